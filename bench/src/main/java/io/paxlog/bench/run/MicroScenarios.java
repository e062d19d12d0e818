package io.paxlog.bench.run;

import io.paxlog.bench.ReplayRateBench;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.lang.management.ManagementFactory;
import java.util.Collection;

/** The single-node scenarios: journal replay rate on restart, and the JMH micro-benchmarks. */
final class MicroScenarios
{
    /** The JMH benchmarks the runner includes (codec encode/decode, journal append, one core step). */
    static final String JMH_INCLUDE = "io\\.paxlog\\.bench\\.jmh\\..*";

    private MicroScenarios()
    {
    }

    static void replay(final RunConfig config, final Results results)
    {
        try
        {
            final ReplayRateBench.Measurement m = ReplayRateBench.measure(config.replayEntries());
            if (m.delivered() != m.entries())
            {
                results.fail("replay: wrote " + m.entries() + " entries, replay delivered " + m.delivered());
            }
            results.add(ResultRow.figure("replay", "paxlog", "replay", m.replayRate(), "entries/s",
                m.entries() + " entries of 32 B, journal write " + m.writeRate() + " entries/s (unsynced)"));
        }
        catch (final Exception ex)
        {
            results.fail("replay: " + ex);
        }
    }

    static void jmh(final RunConfig config, final Results results)
    {
        System.out.println("jmh: running " + JMH_INCLUDE + " (1 fork, " + config.jmhIterations() +
            " warm-up and measurement iterations of 1 s each)");
        final Options options = new OptionsBuilder()
            .include(JMH_INCLUDE)
            .forks(1)
            .warmupIterations(config.jmhIterations())
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(config.jmhIterations())
            .measurementTime(TimeValue.seconds(1))
            .jvmArgs(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-Xrunjdwp") && !a.startsWith("-agentlib")).toArray(String[]::new))
            .verbosity(VerboseMode.SILENT)
            .build();
        try
        {
            final Collection<RunResult> runs = new Runner(options).run();
            if (runs.isEmpty())
            {
                results.fail("jmh: no benchmark matched " + JMH_INCLUDE);
            }
            for (final RunResult run : runs)
            {
                final String name = run.getParams().getBenchmark().replace("io.paxlog.bench.jmh.", "");
                final String params = run.getParams().getParamsKeys().isEmpty() ? "" :
                    " " + run.getParams().getParamsKeys().stream().map(k -> k + "=" + run.getParams().getParam(k))
                        .reduce((a, b) -> a + "," + b).orElse("");
                results.add(ResultRow.figure("jmh", "paxlog", name + params, run.getPrimaryResult().getScore(),
                    run.getPrimaryResult().getScoreUnit(), String.format(java.util.Locale.ROOT, "error ±%.1f",
                        run.getPrimaryResult().getScoreError())));
            }
        }
        catch (final Exception ex)
        {
            results.fail("jmh: " + ex);
        }
    }
}
