package io.paxlog.sim;

import io.paxlog.core.PlantedBug;

import static io.paxlog.cli.CliArgs.parseLong;
import static io.paxlog.cli.CliArgs.positiveLong;
import static io.paxlog.cli.CliArgs.value;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command line of the simulator ({@code ops/sim}). Exit codes: 0 no violation, 1 violations found, 2 usage error.
 */
public final class SimMain
{
    static final String USAGE = String.join("\n",
        "usage: ops/sim [--seeds N] [--first-seed S] [--nodes N] [--quorum RxWy] [--membership] [--plant BUG]",
        "               [--threads T]",
        "       ops/sim --seed S [--nodes N] [--quorum RxWy] [--membership] [--plant BUG]   replay one seed, print its trace",
        "       ops/sim --scenario livelock-plain|livelock-lease",
        "  --seeds N         run N seeds (default 100), from --first-seed (default 1)",
        "  --nodes N         cluster size 1..7; default: each seed draws 3 or 5",
        "  --quorum RxWy     election quorum R and accept quorum W, e.g. R4W2 (W + R must exceed N)",
        "  --membership      membership changes among the faults (add, remove, replace members; 3..7 voters, majority",
        "                    quorums, so it needs --nodes 3..7 and no --quorum); reconfig-skip-catchup implies it",
        "  --plant BUG       run with a planted bug: " + plantNames(),
        "  --drift-factor F  clock rates spread F times the configured drift bound (F > 1 breaks the lease bound)",
        "  --max-failures K  stop after K failing seeds (default: run all)",
        "  --threads T       worker threads (default: available processors)");

    private SimMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final Options o;
        try
        {
            o = Options.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("ops/sim: " + ex.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (o.help)
        {
            out.println(USAGE);
            return 0;
        }
        if (o.scenario != null)
        {
            final LivelockScenario.Outcome outcome = LivelockScenario.run(o.scenario.equals("livelock-lease"), 1000);
            out.println(outcome);
            return 0;
        }
        if (o.replaySeed != null)
        {
            final Simulation.Result r = Simulation.run(o.replaySeed, o.nodes, o.r, o.w, o.planted, o.driftFactor,
                o.membership, true);
            out.print(r.trace());
            out.println("seed=" + r.seed() + " simulated_ms=" + r.simulatedMs() + " ops_checked=" + r.opsChecked() +
                " lease_reads=" + r.leaseReads() + " violations=" + r.violations().size());
            r.violations().forEach(v -> out.println("violation: " + v));
            return r.ok() ? 0 : 1;
        }
        return runSeeds(o, out);
    }

    private static int runSeeds(final Options o, final PrintStream out)
    {
        final Summary summary = runSeeds(o.firstSeed, o.seeds, o.nodes, o.r, o.w, o.planted, o.driftFactor,
            o.membership, o.threads, o.maxFailures, failed ->
            {
                out.println("seed " + failed.seed() + " FAILED (" + failed.params() + ")");
                failed.violations().forEach(v -> out.println("  violation: " + v));
                out.println("  replay: ops/sim --seed " + failed.seed() + o.replayFlags());
            });
        out.println(summary.line());
        return summary.violations() == 0 ? 0 : 1;
    }

    /** Totals of a run of seeds. */
    public record Summary(long seeds, int violations, int failingSeeds, double seedsPerSecond, long opsChecked,
        List<Simulation.Result> failures, java.util.Set<String> faultsExercised)
    {
        public String line()
        {
            return String.format("seeds=%d violations=%d seeds_per_s=%.1f ops_checked=%d", seeds, violations,
                seedsPerSecond, opsChecked);
        }
    }

    /**
     * Runs {@code count} seeds from {@code firstSeed} on {@code threads} workers; results are reported in seed
     * order, so output is the same for the same arguments. Stops after {@code maxFailures} failing seeds (0: never).
     */
    public static Summary runSeeds(final long firstSeed, final long count, final int nodes, final int r, final int w,
        final EnumSet<PlantedBug> planted, final double driftFactor, final boolean membership, final int threads,
        final int maxFailures, final java.util.function.Consumer<Simulation.Result> onFailure)
    {
        final long startNs = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final List<Simulation.Result> failures = new ArrayList<>();
        final java.util.Set<String> faults = new java.util.TreeSet<>();
        int violations = 0;
        long opsChecked = 0;
        long seedsRun = 0;
        try
        {
            final int chunk = Math.max(threads * 4, 16);
            for (long base = 0; base < count && (maxFailures == 0 || failures.size() < maxFailures); base += chunk)
            {
                final List<Future<Simulation.Result>> futures = new ArrayList<>();
                for (long i = base; i < Math.min(count, base + chunk); i++)
                {
                    final long seed = firstSeed + i;
                    futures.add(pool.submit(() -> Simulation.run(seed, nodes, r, w, planted, driftFactor, membership,
                        false)));
                }
                for (final Future<Simulation.Result> f : futures)
                {
                    final Simulation.Result result = f.get();
                    seedsRun++;
                    opsChecked += result.opsChecked();
                    faults.addAll(result.faults());
                    if (!result.ok())
                    {
                        violations += result.violations().size();
                        failures.add(result);
                        onFailure.accept(result);
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            throw new IllegalStateException("simulator crashed: " + ex.getCause(), ex.getCause());
        }
        finally
        {
            pool.shutdownNow();
        }
        final double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
        return new Summary(seedsRun, violations, failures.size(), seedsRun / seconds, opsChecked, failures, faults);
    }

    private static String plantNames()
    {
        final StringBuilder sb = new StringBuilder();
        for (final PlantedBug bug : PlantedBug.values())
        {
            sb.append(sb.length() == 0 ? "" : ", ").append(bug.cliName());
        }
        return sb.toString();
    }

    /** Parsed command-line options. */
    static final class Options
    {
        long seeds = 100;
        long firstSeed = 1;
        Long replaySeed;
        int nodes;
        int r;
        int w;
        EnumSet<PlantedBug> planted = EnumSet.noneOf(PlantedBug.class);
        String scenario;
        double driftFactor = 1.0;
        boolean membership;
        int maxFailures;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean help;

        static Options parse(final String[] args)
        {
            final Options o = new Options();
            for (int i = 0; i < args.length; i++)
            {
                final String a = args[i];
                switch (a)
                {
                    case "--help", "-h" -> o.help = true;
                    case "--seeds" -> o.seeds = positiveLong(a, value(args, ++i, a));
                    case "--first-seed" -> o.firstSeed = parseLong(a, value(args, ++i, a));
                    case "--seed" -> o.replaySeed = parseLong(a, value(args, ++i, a));
                    case "--nodes" -> o.nodes = nodes(value(args, ++i, a));
                    case "--quorum" -> o.quorum(value(args, ++i, a));
                    case "--membership" -> o.membership = true;
                    case "--plant" -> o.plant(value(args, ++i, a));
                    case "--scenario" -> o.scenario(value(args, ++i, a));
                    case "--drift-factor" -> o.driftFactor = driftFactor(value(args, ++i, a));
                    case "--max-failures" -> o.maxFailures = (int)positiveLong(a, value(args, ++i, a));
                    case "--threads" -> o.threads = (int)positiveLong(a, value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (o.membership && o.r > 0)
            {
                throw new IllegalArgumentException("--membership cannot be combined with --quorum (changes use " +
                    "majority quorums)");
            }
            if (o.membership && o.nodes > 0 && o.nodes < SimParams.VOTERS_MIN)
            {
                throw new IllegalArgumentException("--membership needs --nodes " + SimParams.VOTERS_MIN + ".." +
                    SimParams.VOTERS_MAX + " (got " + o.nodes + ")");
            }
            if (o.membership && o.scenario != null)
            {
                throw new IllegalArgumentException("--membership does not apply to --scenario");
            }
            if (o.planted.contains(PlantedBug.RECONFIG_SKIP_CATCHUP) && (o.r > 0 || (o.nodes > 0 && o.nodes < 3)))
            {
                throw new IllegalArgumentException("--plant reconfig-skip-catchup runs membership changes: it needs " +
                    "--nodes 3..7 and no --quorum");
            }
            if (o.r > 0)
            {
                final int n = o.nodes > 0 ? o.nodes : 0;
                if (n == 0)
                {
                    throw new IllegalArgumentException("--quorum needs --nodes");
                }
                if (o.r > n || o.w > n)
                {
                    throw new IllegalArgumentException("--quorum " + "R" + o.r + "W" + o.w + ": R and W must be <= " + n);
                }
                if (o.r + o.w <= n && !o.planted.contains(PlantedBug.QUORUM_TOO_SMALL))
                {
                    throw new IllegalArgumentException("--quorum R" + o.r + "W" + o.w + ": W + R must exceed N=" + n);
                }
            }
            return o;
        }

        private void quorum(final String v)
        {
            final Matcher m = Pattern.compile("R(\\d+)W(\\d+)").matcher(v);
            if (!m.matches())
            {
                throw new IllegalArgumentException("--quorum '" + v + "': expected RxWy, e.g. R4W2");
            }
            r = Integer.parseInt(m.group(1));
            w = Integer.parseInt(m.group(2));
            if (r < 1 || w < 1)
            {
                throw new IllegalArgumentException("--quorum '" + v + "': R and W must be >= 1");
            }
        }

        private void plant(final String v)
        {
            try
            {
                planted.add(PlantedBug.fromCliName(v));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("--plant '" + v + "': expected one of " + plantNames());
            }
        }

        private void scenario(final String v)
        {
            if (!v.equals("livelock-plain") && !v.equals("livelock-lease"))
            {
                throw new IllegalArgumentException("--scenario '" + v + "': expected livelock-plain or livelock-lease");
            }
            scenario = v;
        }

        String replayFlags()
        {
            final StringBuilder sb = new StringBuilder();
            if (nodes > 0)
            {
                sb.append(" --nodes ").append(nodes);
            }
            if (r > 0)
            {
                sb.append(" --quorum R").append(r).append('W').append(w);
            }
            if (membership)
            {
                sb.append(" --membership");
            }
            planted.forEach(b -> sb.append(" --plant ").append(b.cliName()));
            if (driftFactor != 1.0)
            {
                sb.append(" --drift-factor ").append(driftFactor);
            }
            return sb.toString();
        }

        private static int nodes(final String v)
        {
            final long n = parseLong("--nodes", v);
            if (n < 1 || n > 7)
            {
                throw new IllegalArgumentException("--nodes '" + v + "': expected 1..7");
            }
            return (int)n;
        }

        private static double driftFactor(final String v)
        {
            try
            {
                final double d = Double.parseDouble(v);
                if (!(d >= 0 && d <= 100))
                {
                    throw new NumberFormatException();
                }
                return d;
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("--drift-factor '" + v + "': expected a number in 0..100");
            }
        }
    }
}
