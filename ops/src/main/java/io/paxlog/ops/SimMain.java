package io.paxlog.ops;

import io.paxlog.core.PlantedBug;
import io.paxlog.sim.LivelockScenario;
import io.paxlog.sim.Seeds;
import io.paxlog.sim.SimParams;
import io.paxlog.sim.Simulation;

import static io.paxlog.cli.CliArgs.parseLong;
import static io.paxlog.cli.CliArgs.longInRange;
import static io.paxlog.cli.CliArgs.positiveLong;
import static io.paxlog.cli.CliArgs.value;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command line of the simulator ({@code ops/sim}). Exit codes: 0 no violation, 1 violations found, 2 usage error.
 */
public final class SimMain
{
    /** The most worker threads {@code --threads} starts. */
    static final int THREADS_MAX = 256;

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
        "  --threads T       worker threads, 1..256 (default: available processors)");

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
        final Seeds.Summary summary = Seeds.run(o.firstSeed, o.seeds, o.nodes, o.r, o.w, o.planted, o.driftFactor,
            o.membership, o.threads, o.maxFailures, failed ->
            {
                out.println("seed " + failed.seed() + " FAILED (" + failed.params() + ")");
                failed.violations().forEach(v -> out.println("  violation: " + v));
                out.println("  replay: ops/sim --seed " + failed.seed() + o.replayFlags());
            });
        out.println(summary.line());
        return summary.violations() == 0 ? 0 : 1;
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
        int threads = Math.min(THREADS_MAX, Runtime.getRuntime().availableProcessors());
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
                    case "--max-failures" -> o.maxFailures = (int)longInRange(a, value(args, ++i, a), 1,
                        Integer.MAX_VALUE);
                    case "--threads" -> o.threads = (int)longInRange(a, value(args, ++i, a), 1, THREADS_MAX);
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
