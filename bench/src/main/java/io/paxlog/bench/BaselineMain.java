package io.paxlog.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the baselines one after another, each freshly started and closed: {@code aeron-floor-1},
 * {@code aeron-floor-2}, {@code aeron-cluster} and {@code paxlog} ({@link PaxlogTarget}), open loop at 10,000 msg/s with 32 B messages for 5 s after a 2 s
 * warm-up, and prints one line per target:
 * {@code target=... sent=... received=... lost=... p50_us=... p99_us=... p999_us=... max_us=...}.
 *
 * <p>Options (all optional): {@code --rate N} msg/s, {@code --seconds S}, {@code --warmup S}, {@code --bytes B},
 * {@code --idle backoff|busy-spin|yielding|sleeping}, {@code --targets a,b,c} (names as above),
 * {@code --topology in-process|processes} (every node in this JVM, the default, or each node in its own child JVM;
 * see {@link BenchSettings#topology()}), {@code --cpus LIST} (processes only: child JVMs run under
 * {@code taskset -c LIST}). Exit code 0 when every target answered every measured message, 1 when any lost one or
 * failed, 2 on a usage error.
 */
public final class BaselineMain
{
    static final String USAGE = "usage: ops/bench baseline [--rate N] [--seconds S] [--warmup S] [--bytes B] " +
        "[--idle backoff|busy-spin|yielding|sleeping] [--targets aeron-floor-1,aeron-floor-2,aeron-cluster,paxlog] " +
        "[--topology in-process|processes] [--cpus LIST]";

    private BaselineMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    static int run(final String[] args)
    {
        long rate = 10_000;
        long seconds = 5;
        long warmup = 2;
        BenchSettings settings = BenchSettings.defaults();
        List<String> targets = List.of("aeron-floor-1", "aeron-floor-2", "aeron-cluster", "paxlog");
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                final String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--rate" -> rate = Long.parseLong(value);
                    case "--seconds" -> seconds = Long.parseLong(value);
                    case "--warmup" -> warmup = Long.parseLong(value);
                    case "--bytes" -> settings = settings.withMessageBytes(Integer.parseInt(value));
                    case "--idle" -> settings = settings.withIdleStrategy(value);
                    case "--targets" -> targets = List.of(value.split(","));
                    case "--topology" -> settings = settings.withTopology(value);
                    case "--cpus" -> settings = settings.withCpus(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            for (final String name : targets)
            {
                target(name);
            }
            TargetSupport.checkPinning(settings, "baseline");
        }
        catch (final RuntimeException ex)
        {
            System.err.println("BaselineMain: " + ex.getMessage() + "\n" + USAGE);
            return 2;
        }

        final OpenLoopLoad load = new OpenLoopLoad(rate, TimeUnit.SECONDS.toNanos(seconds),
            TimeUnit.SECONDS.toNanos(warmup));
        final List<String> lines = new ArrayList<>();
        boolean ok = true;
        for (final String name : targets)
        {
            try (BenchTarget target = target(name))
            {
                target.start(settings);
                final OpenLoopLoad.Result result = load.run(target);
                String line = result.summaryLine();
                if (target instanceof AeronClusterTarget cluster)
                {
                    line += " leader_changes=" + cluster.newLeaderEvents();
                }
                System.out.println(line);
                lines.add(line);
                ok &= result.lost() == 0 && result.notSent() == 0;
            }
            catch (final Exception ex)
            {
                System.out.println("target=" + name + " FAILED: " + ex);
                ex.printStackTrace();
                ok = false;
            }
        }
        System.out.printf("rate=%d msg/s bytes=%d seconds=%d warmup=%d idle=%s topology=%s cpus=%s%n", rate,
            settings.messageBytes(), seconds, warmup, settings.idleStrategy(), settings.topology(),
            settings.cpus() == null ? "any" : settings.cpus());
        return ok ? 0 : 1;
    }

    static BenchTarget target(final String name)
    {
        return Systems.create(name);
    }
}
