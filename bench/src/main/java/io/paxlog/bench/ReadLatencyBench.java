package io.paxlog.bench;

import io.paxlog.client.PaxlogClient;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.node.LocalProcessCluster;
import io.paxlog.sm.CounterMachine;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Write latency against linearizable-read latency on the same 3-process local cluster in the same run. One
 * client alternates a counter increment (through the log: replication, journal sync, apply) and a linearizable
 * read of the counter (served by the leader's lease without a log write), timing each with HdrHistogram after a
 * warm-up. Prints both distributions and the ratio of the medians; the target (issue 4) is read p50 at most half
 * the write p50. On a shared 2-core box quote the ratio, not the absolute times.
 */
final class ReadLatencyBench
{
    private ReadLatencyBench()
    {
    }

    static int main(final String[] args) throws Exception
    {
        long seconds = 10;
        String sync = "batch";
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--seconds" -> seconds = parse(args, ++i, "--seconds", 1, 3600);
                case "--sync" ->
                {
                    sync = i + 1 < args.length ? args[++i] : "";
                    if (!sync.equals("none") && !sync.equals("batch"))
                    {
                        System.err.println("ops/bench reads: --sync must be none or batch, got '" + sync + "'");
                        return 2;
                    }
                }
                default ->
                {
                    System.err.println("ops/bench reads: unknown option '" + args[i] + "'\n" + BenchMain.USAGE);
                    return 2;
                }
            }
        }
        final Path root = Files.createTempDirectory("paxlog-bench-reads");
        final int rc = run(root, seconds, sync);
        if (rc == 0)
        {
            TargetSupport.deleteDir(root); // a passed run leaves nothing behind; a failed one its logs
        }
        return rc;
    }

    private static int run(final Path root, final long seconds, final String sync) throws Exception
    {
        final Path home = Path.of(System.getProperty("paxlog.home", "."));
        try (LocalProcessCluster cluster = new LocalProcessCluster(root, home, 3, sync))
        {
            cluster.startAll();
            if (cluster.awaitLeader(-1, 30_000) < 0)
            {
                System.out.println("bench FAILED: no leader within 30 s (logs in " + root + ")");
                return 1;
            }
            final Histogram writes = new Histogram(60_000_000_000L, 3);
            final Histogram reads = new Histogram(60_000_000_000L, 3);
            try (PaxlogClient client = new PaxlogClient(cluster.members(), root.resolve("client").toString(),
                500_000_000L, 10_000_000_000L))
            {
                final byte[] add = CounterMachine.add("bench", 1);
                final byte[] get = CounterMachine.get("bench");
                final long warmupEnd = System.nanoTime() + Math.min(3, seconds) * 1_000_000_000L;
                while (System.nanoTime() < warmupEnd)
                {
                    client.command(add);
                    client.query(get, ReadConsistency.LINEARIZABLE, 0);
                }
                final long end = System.nanoTime() + seconds * 1_000_000_000L;
                while (System.nanoTime() < end)
                {
                    final long t0 = System.nanoTime();
                    client.command(add);
                    final long t1 = System.nanoTime();
                    client.query(get, ReadConsistency.LINEARIZABLE, 0);
                    final long t2 = System.nanoTime();
                    writes.recordValue(t1 - t0);
                    reads.recordValue(t2 - t1);
                }
            }
            final double ratio = (double)reads.getValueAtPercentile(50) / writes.getValueAtPercentile(50);
            System.out.printf("sync=%s writes: n=%d p50=%dus p90=%dus p99=%dus max=%dus%n", sync,
                writes.getTotalCount(), us(writes, 50), us(writes, 90), us(writes, 99), writes.getMaxValue() / 1000);
            System.out.printf("sync=%s linearizable reads: n=%d p50=%dus p90=%dus p99=%dus max=%dus%n", sync,
                reads.getTotalCount(), us(reads, 50), us(reads, 90), us(reads, 99), reads.getMaxValue() / 1000);
            final boolean met = ratio <= 0.5;
            System.out.printf("read p50 / write p50 = %.2f (target <= 0.50): %s%n", ratio, met ? "MET" : "MISSED");
            return met ? 0 : 1;
        }
    }

    private static long us(final Histogram h, final double percentile)
    {
        return h.getValueAtPercentile(percentile) / 1000;
    }

    private static long parse(final String[] args, final int i, final String flag, final long min, final long max)
    {
        try
        {
            final long v = Long.parseLong(args[i]);
            if (v >= min && v <= max)
            {
                return v;
            }
        }
        catch (final NumberFormatException | ArrayIndexOutOfBoundsException ignored)
        {
            // reported below
        }
        System.err.println("ops/bench reads: " + flag + " must be an integer in " + min + ".." + max);
        System.exit(2);
        return 0;
    }
}
