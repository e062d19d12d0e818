package io.paxlog.bench.run;

import io.paxlog.bench.PaxlogTarget;
import io.paxlog.client.PaxlogClient;
import io.paxlog.codecs.ReadConsistency;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Paxlog's reads against its writes, closed loop on one started 3-node cluster and one client session: each round
 * is a write (a command through the log, answered after commit and apply), then a linearizable read (served by
 * the leader under its lease, no log write), then a sequential read at a follower (served by that follower once it
 * has applied the client's last write), each timed on its own. The lease-read ratio of the summary is the lease
 * read's p50 over this scenario's write p50: the same client, the same moment, one call at a time. Aeron Cluster
 * has no read path outside its log, so only Paxlog runs this scenario.
 */
final class ReadScenario
{
    private final RunConfig config;
    private final Results results;

    ReadScenario(final RunConfig config, final Results results)
    {
        this.config = config;
        this.results = results;
    }

    void run()
    {
        try (PaxlogTarget target = new PaxlogTarget())
        {
            target.start(config.settings().withMessageBytes(Results.HEADLINE_BYTES));
            final PaxlogClient client = target.client();
            final byte[] write = new byte[1 + Results.HEADLINE_BYTES]; // machine 0 (echo), then the payload
            final byte[] read = new byte[1 + Results.HEADLINE_BYTES];
            final Histogram writes = histogram();
            final Histogram leaseReads = histogram();
            final Histogram followerReads = histogram();
            final long warmupEndNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.warmupSeconds());
            final long endNs = warmupEndNs + TimeUnit.SECONDS.toNanos(config.seconds());
            int follower = -1;
            long rounds = 0;
            while (true)
            {
                final long t0 = System.nanoTime();
                if (t0 - endNs >= 0)
                {
                    break;
                }
                if (follower < 0)
                {
                    final int leader = target.leaderId();
                    follower = leader < 0 ? -1 : (leader + 1) % 3;
                }
                client.command(write);
                final long t1 = System.nanoTime();
                client.query(read, ReadConsistency.LINEARIZABLE, 0);
                final long t2 = System.nanoTime();
                if (follower >= 0)
                {
                    client.queryMember(follower, read, ReadConsistency.SEQUENTIAL, client.lastSeenSlot());
                }
                final long t3 = System.nanoTime();
                if (t0 - warmupEndNs >= 0)
                {
                    rounds++;
                    writes.recordValue(t1 - t0);
                    leaseReads.recordValue(t2 - t1);
                    if (follower >= 0)
                    {
                        followerReads.recordValue(t3 - t2);
                    }
                }
            }
            final String note = "closed loop, one call at a time, " + rounds + " rounds";
            results.add(ResultRow.latency("reads", "paxlog", "write", 0, Results.HEADLINE_BYTES, writes, rounds,
                rounds, note));
            results.add(ResultRow.latency("reads", "paxlog", "lease-read", 0, Results.HEADLINE_BYTES, leaseReads,
                rounds, rounds, note + ", linearizable (leader lease)"));
            results.add(ResultRow.latency("reads", "paxlog", "follower-read", 0, Results.HEADLINE_BYTES,
                followerReads, followerReads.getTotalCount(), followerReads.getTotalCount(),
                note + ", sequential at member " + follower + " (minSlot = the client's last seen slot)"));
        }
        catch (final Exception ex)
        {
            results.fail("reads paxlog: " + ex);
        }
    }

    private static Histogram histogram()
    {
        return new Histogram(60_000_000_000L, 3);
    }
}
