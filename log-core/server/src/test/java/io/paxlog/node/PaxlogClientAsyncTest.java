package io.paxlog.node;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.client.ResponseListener;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.sm.CounterMachine;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The pipelined client against three real nodes in one JVM (CounterMachine). */
class PaxlogClientAsyncTest
{
    private static final long MS = 1_000_000L;

    @Test
    void twentyThousandPipelinedIncrementsAreEachAnsweredOnce() throws Exception
    {
        final int n = 20_000;
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            final Tally tally = new Tally(n);
            try (PaxlogClient client = new PaxlogClient(context(cluster, "pipelined").maxOutstanding(64)
                .attemptTimeoutNs(2_000 * MS).responseListener(tally)))
            {
                final int maxSeen = drive(client, tally, n, 25_000, -1, null);
                tally.assertAllAnsweredOnce(n);
                assertEquals(64, maxSeen, "the pipeline filled the window");
                assertEquals(0, client.outstanding());
                assertEquals(n, client.lastSequence());
                for (int v = 1; v <= n; v++)
                {
                    assertTrue(tally.valueSeen[v], "no increment answered with counter value " + v);
                }
                assertEquals(n, counter(client), "counter read linearizably");
            }
        }
    }

    @Test
    void offerIsBackPressuredWhenMaxOutstandingAreOutstandingWithoutConsumingASequence() throws Exception
    {
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            final Tally tally = new Tally(16);
            try (PaxlogClient client = new PaxlogClient(context(cluster, "bp").maxOutstanding(8).responseListener(tally)))
            {
                final UnsafeBuffer add = new UnsafeBuffer(CounterMachine.add("x", 1));
                for (int i = 1; i <= 8; i++)
                {
                    assertEquals(i, client.offerCommand(add, 0, add.capacity()));
                }
                assertEquals(8, client.outstanding());
                assertEquals(PaxlogClient.BACK_PRESSURED, client.offerCommand(add, 0, add.capacity()));
                assertEquals(PaxlogClient.BACK_PRESSURED, client.offerCommand(add, 0, add.capacity()));
                assertEquals(8, client.lastSequence(), "refused offers consumed no sequence");
                pollUntil(client, () -> tally.answered + tally.failed == 8);
                assertEquals(9, client.offerCommand(add, 0, add.capacity()));
                pollUntil(client, () -> tally.answered + tally.failed == 9);
                tally.assertAllAnsweredOnce(9);
                assertEquals(9, counter(client));
            }
        }
    }

    /**
     * Written for the server contract: exactly once per (session, sequence) over the session's 128 most recent
     * sequences, a retry of an applied command answered from the cache with the same result. A server that caches
     * only a session's last sequence fails it at times: it answers such retries with an empty result, and skips
     * (but answers OK) a retried sequence that arrives after a higher one was applied.
     */
    @Test
    void outstandingCommandsSurviveALeaderKillAndAreEachAnsweredOnce() throws Exception
    {
        final int n = 6_000;
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            final Tally tally = new Tally(n);
            try (PaxlogClient client = new PaxlogClient(context(cluster, "failover").maxOutstanding(64)
                .attemptTimeoutNs(300 * MS).callTimeoutNs(20_000 * MS).responseListener(tally)))
            {
                final int[] killed = {-1};
                final long[] killedAtNs = new long[1];
                final int[] answeredAtKill = new int[1];
                drive(client, tally, n, 28_000, n / 3, () ->
                {
                    killed[0] = cluster.leader();
                    answeredAtKill[0] = tally.answered;
                    System.out.println("killing leader " + killed[0] + " with " + client.outstanding() +
                        " commands outstanding, " + tally.answered + " answered");
                    assertTrue(client.outstanding() > 0, "commands outstanding at the kill");
                    killedAtNs[0] = System.nanoTime();
                    cluster.kill(killed[0]);
                });
                assertTrue(killed[0] >= 0, "a leader was killed");
                System.out.println("all " + n + " answered " + (System.nanoTime() - killedAtNs[0]) / MS +
                    " ms after the kill; leader now " + cluster.leader() + "; " + tally.badLength +
                    " OK answers had no 8-byte result");
                assertTrue(answeredAtKill[0] < n, "commands remained after the kill");
                tally.assertAllAnsweredOnce(n);
                assertEquals(tally.answered, counter(client), "counter == answered increments");
                // a retry of an applied command is answered from the session cache with the same result
                assertEquals(0, tally.badLength, "OK answers without the increment's result");
                for (int v = 1; v <= n; v++)
                {
                    assertTrue(tally.valueSeen[v], "no increment answered with counter value " + v);
                }
            }
        }
    }

    @Test
    void steadyStatePipelineDoesNotAllocateOnTheClientThread() throws Exception
    {
        final int warmUp = 20_000;
        final int measured = 200_000;
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            final Tally tally = new Tally(warmUp + measured);
            try (PaxlogClient client = new PaxlogClient(context(cluster, "alloc").maxOutstanding(64)
                .attemptTimeoutNs(5_000 * MS).callTimeoutNs(30_000 * MS).responseListener(tally)))
            {
                drive(client, tally, warmUp, 15_000, -1, null);
                final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
                final long id = Thread.currentThread().getId();
                final long before = threads.getThreadAllocatedBytes(id);
                final long startNs = System.nanoTime();
                drive(client, tally, warmUp + measured, 28_000, -1, null);
                final long elapsedNs = System.nanoTime() - startNs;
                final long allocated = threads.getThreadAllocatedBytes(id) - before;
                System.out.println("client thread allocated " + allocated + " bytes over " + measured +
                    " pipelined commands (" + measured * 1_000_000_000L / Math.max(1, elapsedNs) + "/s)");
                tally.assertAllAnsweredOnce(warmUp + measured);
                assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over " + measured + " commands");
            }
        }
    }

    // ------------------------------------------------------------------ harness

    private static PaxlogClientContext context(final InvokedCluster cluster, final String name)
    {
        return new PaxlogClientContext().members(cluster.members())
            .aeronDirectoryName(cluster.root.resolve("client-" + name).toString())
            .attemptTimeoutNs(500 * MS).callTimeoutNs(20_000 * MS);
    }

    private static long counter(final PaxlogClient client)
    {
        return CounterMachine.valueOf(client.query(CounterMachine.get("x"), ReadConsistency.LINEARIZABLE, 0).value());
    }

    interface Action
    {
        void run() throws Exception;
    }

    /**
     * Offers increments until sequence {@code total} is offered and polls until all are answered or failed; runs
     * {@code action} once when {@code actionAt} are answered. Returns the most commands seen outstanding. Allocates
     * nothing itself.
     */
    private static int drive(final PaxlogClient client, final Tally tally, final int total, final long limitMs,
        final int actionAt, final Action action) throws Exception
    {
        final UnsafeBuffer add = new UnsafeBuffer(CounterMachine.add("x", 1));
        final IdleStrategy idle = new BackoffIdleStrategy();
        final long deadline = System.nanoTime() + limitMs * MS;
        int maxSeen = 0;
        boolean acted = action == null;
        while (tally.answered + tally.failed < total)
        {
            int work = 0;
            while (client.lastSequence() < total)
            {
                final long sequence = client.offerCommand(add, 0, add.capacity());
                if (sequence < 0)
                {
                    assertEquals(PaxlogClient.BACK_PRESSURED, sequence);
                    break;
                }
                work++;
            }
            maxSeen = Math.max(maxSeen, client.outstanding());
            if (!acted && tally.answered >= actionAt)
            {
                acted = true;
                action.run();
            }
            work += client.poll();
            idle.idle(work);
            if (System.nanoTime() > deadline)
            {
                fail("after " + limitMs + " ms: " + tally.answered + " answered, " + tally.failed + " failed of " +
                    total + ", " + client.outstanding() + " outstanding");
            }
        }
        return maxSeen;
    }

    private static void pollUntil(final PaxlogClient client, final java.util.function.BooleanSupplier done)
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        final long deadline = System.nanoTime() + 10_000 * MS;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not done within 10 s");
            }
            idle.idle(client.poll());
        }
    }

    /** Per-sequence outcome counts, preallocated (the listener allocates nothing). */
    static final class Tally implements ResponseListener
    {
        final byte[] count;
        final boolean[] valueSeen;
        int answered;
        int failed;
        int badLength;
        PaxlogException firstFailure;

        Tally(final int sequences)
        {
            count = new byte[sequences + 1];
            valueSeen = new boolean[sequences + 1];
        }

        public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
            final int length)
        {
            count[(int)sequence]++;
            answered++;
            if (length != 8)
            {
                badLength++;
                return;
            }
            final long value = result.getLong(offset, ByteOrder.BIG_ENDIAN);
            if (value > 0 && value < valueSeen.length)
            {
                valueSeen[(int)value] = true;
            }
        }

        public void onFailure(final long sequence, final PaxlogException cause)
        {
            count[(int)sequence]++;
            failed++;
            if (firstFailure == null)
            {
                firstFailure = cause;
            }
        }

        void assertAllAnsweredOnce(final int total)
        {
            assertNull(firstFailure, () -> failed + " failed, first: " + firstFailure.getMessage());
            assertEquals(total, answered);
            for (int s = 1; s <= total; s++)
            {
                if (count[s] != 1)
                {
                    fail("sequence " + s + " had " + count[s] + " outcomes");
                }
            }
        }
    }
}
