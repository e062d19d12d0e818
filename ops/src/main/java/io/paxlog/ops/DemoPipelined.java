package io.paxlog.ops;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.client.ResponseListener;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The demo's last phase: what one client does when it keeps commands in flight instead of waiting for each answer.
 * It offers increments of one counter as fast as the session's window (1,024 commands by default) lets it, for a
 * few seconds, then waits for the last answers, and prints one line: the writes, their rate and their round trips
 * (p50, p99, p99.9, from offer to answer), and the counter's value read back from the leader. It passes when every
 * command was answered, none failed, and the counter holds exactly the answered increments.
 *
 * <p>Threading: everything on the calling thread (the listener runs inside {@link PaxlogClient#poll()}).
 */
final class DemoPipelined
{
    private static final String COUNTER = "pipelined";
    private static final long DRAIN_TIMEOUT_NS = 15_000_000_000L;

    private DemoPipelined()
    {
    }

    static boolean run(final Member[] members, final Path root, final long seconds, final List<String> errors)
    {
        final long[] offeredNs = new long[PaxlogClient.SESSION_WINDOW];
        final int mask = offeredNs.length - 1;
        final Histogram roundTrips = new Histogram(60_000_000_000L, 3);
        final long[] outcomes = new long[2]; // answered, failed
        final ResponseListener listener = new ResponseListener()
        {
            public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
                final int length)
            {
                roundTrips.recordValue(Math.min(System.nanoTime() - offeredNs[(int)(sequence & mask)],
                    roundTrips.getHighestTrackableValue()));
                outcomes[0]++;
            }

            public void onFailure(final long sequence, final PaxlogException cause)
            {
                outcomes[1]++;
                synchronized (errors)
                {
                    errors.add("pipelined seq " + sequence + ": " + cause.getMessage());
                }
            }
        };
        try (PaxlogClient client = new PaxlogClient(new PaxlogClientContext().members(members)
            .aeronDirectoryName(root.resolve("pipelined").toString()).callTimeoutNs(DRAIN_TIMEOUT_NS)
            .responseListener(listener)))
        {
            client.command(CounterMachine.add(COUNTER, 0)); // opens the session before the clock starts
            final UnsafeBuffer add = new UnsafeBuffer(CounterMachine.add(COUNTER, 1));
            final long startNs = System.nanoTime();
            final long endNs = startNs + seconds * 1_000_000_000L;
            long offered = 0;
            long now = startNs;
            while (now < endNs)
            {
                final long sequence = client.offerCommand(add, 0, add.capacity());
                if (sequence > 0)
                {
                    offeredNs[(int)(sequence & mask)] = now;
                    offered++;
                }
                else if (sequence == PaxlogClient.CLOSED)
                {
                    break;
                }
                client.poll();
                now = System.nanoTime();
            }
            final long drainEndNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
            while (outcomes[0] + outcomes[1] < offered && System.nanoTime() < drainEndNs)
            {
                client.poll();
            }
            final long elapsedNs = System.nanoTime() - startNs;
            final long value = CounterMachine.valueOf(client.query(CounterMachine.get(COUNTER),
                ReadConsistency.LINEARIZABLE, 0).value());
            System.out.printf(Locale.ROOT, "pipelined: one client, up to %,d commands in flight, %d s: %,d writes " +
                "(%,d/s), round trip p50 %.2f ms p99 %.2f ms p99.9 %.2f ms; counter %s = %,d on the leader%n",
                client.maxOutstanding(), seconds, outcomes[0], outcomes[0] * 1_000_000_000L / Math.max(1, elapsedNs),
                roundTrips.getValueAtPercentile(50) / 1e6, roundTrips.getValueAtPercentile(99) / 1e6,
                roundTrips.getValueAtPercentile(99.9) / 1e6, COUNTER, value);
            return outcomes[0] == offered && outcomes[1] == 0 && value == outcomes[0];
        }
        catch (final PaxlogException ex)
        {
            synchronized (errors)
            {
                errors.add("pipelined: " + ex.getMessage());
            }
            return false;
        }
    }
}
