package io.paxlog.bench.run;

import io.paxlog.client.PaxlogClientContext;
import io.paxlog.bench.BenchSettings;
import io.paxlog.bench.Systems;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench/run}: Paxlog, Aeron Cluster and the raw-Aeron floors side by side in one run, every scenario of the
 * benchmark, with a results folder and one summary line. Exit 0 when every run completed without loss, 1 when
 * something was lost or failed (the results are still written), 2 for a usage error.
 */
@Command(name = "bench/run", mixinStandardHelpOptions = true, version = "paxlog bench/run 0.1.0", sortOptions = false, usageHelpWidth = 110,
    description = {
        "Runs the latency benchmark: open-loop write round trips (coordinated-omission corrected, HdrHistogram) of",
        "Paxlog, Aeron Cluster and the raw-Aeron floors at fixed rates and sizes, each system's throughput (the",
        "highest doubled offered rate it sustains: all sent and answered, none lost, p99 under a limit, 10 ms by",
        "default), each system's max rate with p99 under a limit, Paxlog's lease and follower reads, leader",
        "fail-over, journal replay, allocation per operation and the JMH micro-benchmarks. Writes .hgrm files,",
        "summary.md, summary.csv, PNG plots and machine.txt into the output folder and ends with:",
        "  summary write_p50_ratio=A write_p99_ratio=B floor_ratio=C lease_read_ratio=D max_rate_ratio=E",
        "    worst_p99_ratio=W throughput_ratio=T",
        "(one line; A, B, C, W at 10k msg/s, or at the written rate nearest it; W: the largest Paxlog /",
        "Aeron Cluster write p99 ratio over the sizes written at that rate;",
        "T: Paxlog / Aeron Cluster throughput at 32 B). A throughput point a system does not sustain is a",
        "measurement, not a failure: only write points that lose messages and errors make the exit code 1.",
        "On a shared machine quote the ratios of one run, not absolute times."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:every run completed, nothing lost", "1:a run lost messages or a system failed",
        "2:usage error"})
public final class BenchRun implements Callable<Integer>
{
    /** The throughput scenario's sizes unless {@code --sizes} gives others: 32 and 288 bytes. */
    static final List<Integer> THROUGHPUT_SIZES = List.of(32, 288);
    /** The highest {@code --throughput-start} and {@code --throughput-top}, msg/s. */
    static final long THROUGHPUT_RATE_MAX = 10_000_000;

    @Option(names = "--quick", description = "A short run: every system and scenario, only the 10k msg/s 32 B " +
        "write point, the throughput scan at 32 B only, short runs, few probes and trials. Explicit options still " +
        "apply.")
    boolean quick;

    @Option(names = "--systems", split = ",", paramLabel = "LIST",
        description = "Systems to run, comma-separated (default: all): paxlog (every default), paxlog-shared (each " +
        "node's media driver on threads of its own), paxlog-invoker (each node's " +
        "media driver on its duty-cycle thread), aeron-cluster, aeron-floor-1, aeron-floor-2.")
    List<String> systems;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST",
        description = "Scenarios to run, comma-separated (default: all): write, throughput, max-rate, reads, " +
        "failover, replay, allocation, jmh.")
    List<String> scenarios;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Results folder (default: bench-results/<date-time> in the current directory).")
    Path out;

    @Option(names = "--rates", split = ",", paramLabel = "MSG_PER_S",
        description = "Write scenario rates, msg/s (default 1000,10000,50000; --quick: 10000).")
    List<Long> rates;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES",
        description = "Write scenario message sizes, bytes, 16..1048576 (the client's largest command; default " +
            "32,288,1344; --quick: 32). Also the throughput scenario's sizes when given (its default: 32,288; " +
            "--quick: 32).")
    List<Integer> sizes;

    @Option(names = "--seconds", paramLabel = "S",
        description = "Measured seconds per write point and for the reads (default 10; --quick: 4).")
    Long seconds;

    @Option(names = "--warmup", paramLabel = "S", description = "Warm-up seconds before each run (default 3; " +
        "--quick: 2); the throughput scenario has its own, --throughput-warmup.")
    Long warmup;

    @Option(names = "--probe-seconds", paramLabel = "S",
        description = "Measured seconds per max-rate probe (default 4; --quick: 2).")
    Long probeSeconds;

    @Option(names = "--max-probes", paramLabel = "N", description = "Max-rate probes per system (default 10; " +
        "--quick: 6).")
    Integer maxProbes;

    @Option(names = "--p99-limit-us", paramLabel = "US", defaultValue = "1000",
        description = "The p99 a max-rate probe must stay under, microseconds (default ${DEFAULT-VALUE}).")
    long p99LimitUs;

    @Option(names = "--throughput-start", paramLabel = "MSG_PER_S", defaultValue = "10000",
        description = "The throughput scenario's first offered rate; each next point doubles it (default " +
        "${DEFAULT-VALUE}).")
    long throughputStartMsgPerSec;

    @Option(names = "--throughput-top", paramLabel = "MSG_PER_S", defaultValue = "1000000",
        description = "The throughput scan ends with the first doubled rate at or above this (default " +
        "${DEFAULT-VALUE}: from 10000 the last point is 1280000), or earlier, after the first rate no system " +
        "sustained. Every system runs at every rate until then: no early stop at a system's first failure.")
    long throughputTopMsgPerSec;

    @Option(names = "--throughput-seconds", paramLabel = "S",
        description = "Measured seconds per throughput point, each on a freshly started system (default 4; " +
        "--quick: 1).")
    Long throughputSeconds;

    @Option(names = "--throughput-warmup", paramLabel = "S", defaultValue = "1",
        description = "Warm-up seconds before each throughput point (default ${DEFAULT-VALUE}).")
    long throughputWarmupSeconds;

    @Option(names = "--throughput-refine", paramLabel = "N",
        description = "After the doubling scan, refine each system's throughput N times between its highest " +
        "sustained rate and the next rate it failed, at their geometric middle (default 2, so rates 19% apart are " +
        "told apart instead of 100%; --quick: 0; at most " + RunConfig.ThroughputPlan.REFINE_STEPS_MAX + ").")
    Integer throughputRefine;

    @Option(names = "--throughput-p99-limit-us", paramLabel = "US", defaultValue = "10000",
        description = "A system sustains an offered rate when it sent and answered every message, lost none and " +
        "kept p99 under this many microseconds (default ${DEFAULT-VALUE}); its throughput is the highest rate it " +
        "sustains.")
    long throughputP99LimitUs;

    @Option(names = "--failover-trials", paramLabel = "N",
        description = "Leader kills per system in the failover scenario (default 5; --quick: 2).")
    Integer failoverTrials;

    @Option(names = "--failover-rate", paramLabel = "MSG_PER_S", defaultValue = "2000",
        description = "Open-loop rate during fail-over trials (default ${DEFAULT-VALUE}).")
    long failoverRate;

    @Option(names = "--replay-entries", paramLabel = "N",
        description = "Journal entries in the replay scenario (default 1000000; --quick: 200000).")
    Long replayEntries;

    @Option(names = "--jmh-iterations", paramLabel = "N",
        description = "JMH warm-up and measurement iterations, 1 s each (default 3; --quick: 1).")
    Integer jmhIterations;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
        description = "Run every write and throughput point N times (1.." + RunConfig.REPEAT_MAX + ", default 1), " +
        "the systems interleaved (A B C A B C ...); each percentile and each ratio is then reported as the median " +
        "of the N runs with its min-max, the summary line uses the medians, and a throughput point is sustained " +
        "when more than half of its runs sustained it.")
    int repeat;

    @Option(names = "--topology", paramLabel = "T", defaultValue = "in-process",
        description = "in-process (every node and the client in this JVM, the default on small boxes) or " +
        "processes (each node its own JVM).")
    String topology;

    @Option(names = "--idle", paramLabel = "STRATEGY", defaultValue = "backoff",
        description = "Idle strategy of every node thread of every system: backoff (default), busy-spin (for real " +
        "hardware with spare cores), yielding or sleeping.")
    String idle;

    @Option(names = "--cpus", paramLabel = "LIST",
        description = "Pin with taskset to this CPU list (e.g. 2-5): the benchmark JVM, and with --topology " +
        "processes every node JVM too. For real hardware with isolated cores; bench/run applies it.")
    String cpus;

    @Option(names = "--temp-root", paramLabel = "DIR",
        description = "Where systems put their media-driver and cluster directories (default /dev/shm if " +
        "writable, else java.io.tmpdir).")
    Path tempRoot;

    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code. */
    public static int execute(final String... args)
    {
        final CommandLine cmd = new CommandLine(new BenchRun());
        cmd.setParameterExceptionHandler((ex, a) ->
        {
            cmd.getErr().println("bench/run: " + ex.getMessage() + " (see bench/run --help)");
            return 2;
        });
        return cmd.execute(args);
    }

    @Override
    public Integer call() throws Exception
    {
        final RunConfig config;
        try
        {
            config = conclude();
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("bench/run: " + ex.getMessage() + " (see bench/run --help)");
            return 2;
        }
        final Path outDir = out != null ? out : Path.of("bench-results",
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(outDir);
        final String settingsLine = describe(config);
        final String machineBefore = MachineInfo.describe(settingsLine);
        System.out.println("bench/run: " + settingsLine + "\nresults: " + outDir.toAbsolutePath());

        final long startNs = System.nanoTime();
        final Results results = new Results(System.out, config.throughput().p99LimitUs());
        final WriteScenario writes = new WriteScenario(config, results);
        if (config.runs("write"))
        {
            writes.run(config.rates(), config.sizes(), config.runs("allocation"));
        }
        else if (config.runs("allocation"))
        {
            writes.run(List.of(Results.HEADLINE_RATE), List.of(Results.HEADLINE_BYTES), true);
        }
        if (config.runs("throughput"))
        {
            new ThroughputScenario(config, results).run();
        }
        if (config.runs("max-rate"))
        {
            new MaxRateScenario(config, results).run();
        }
        if (config.runs("reads") && config.systems().contains(Systems.PAXLOG))
        {
            new ReadScenario(config, results).run();
        }
        if (config.runs("failover"))
        {
            new FailoverScenario(config, results).run();
        }
        if (config.runs("replay") && config.systems().contains(Systems.PAXLOG))
        {
            MicroScenarios.replay(config, results);
        }
        if (config.runs("jmh") && config.systems().contains(Systems.PAXLOG))
        {
            MicroScenarios.jmh(config, results);
        }

        final String machine = machineBefore + "load at end: " +
            Files.readString(Path.of("/proc/loadavg")).trim() + "\nrun time: " +
            (System.nanoTime() - startNs) / 1_000_000_000L + " s\n";
        Files.writeString(outDir.resolve("machine.txt"), machine);
        final List<String> plots = new ArrayList<>(PercentilePlot.plotAll(results.rows(), outDir));
        plots.addAll(ThroughputPlot.plotAll(results, outDir));
        results.write(outDir, machine, plots);
        System.out.println("results: " + outDir.toAbsolutePath() + " (summary.md, summary.csv, " +
            results.rows().stream().filter(r -> r.isLatency() && r.histogram().getTotalCount() > 0).count() +
            " .hgrm, " + plots.size() + " .png, machine.txt)");
        results.failures().forEach(f -> System.out.println("FAILED: " + f));
        System.out.println(results.summaryLine());
        return results.failures().isEmpty() ? 0 : 1;
    }

    private static String describe(final RunConfig c)
    {
        return "systems=" + String.join(",", c.systems()) + " scenarios=" + String.join(",", c.scenarios()) +
            " rates=" + c.rates() + " sizes=" + c.sizes() + " seconds=" + c.seconds() + " warmup=" +
            c.warmupSeconds() + " probe_seconds=" + c.probeSeconds() + " max_probes=" + c.maxProbes() +
            " p99_limit_us=" + c.p99LimitUs() + " failover_trials=" + c.failoverTrials() + " failover_rate=" +
            c.failoverRate() + " throughput_rates=" + c.throughput().rates() + " throughput_sizes=" +
            c.throughput().sizes() + " throughput_seconds=" + c.throughput().seconds() + " throughput_warmup=" +
            c.throughput().warmupSeconds() + " throughput_p99_limit_us=" + c.throughput().p99LimitUs() +
            " throughput_refine=" + c.throughput().refineSteps() +
            " replay_entries=" + c.replayEntries() + " jmh_iterations=" + c.jmhIterations() +
            " repeat=" + c.repeat() + " topology=" + c.settings().topology() + " idle=" + c.settings().idleStrategy() +
            (c.settings().cpus() == null ? "" : " cpus=" + c.settings().cpus());
    }

    /** Applies the quick or full defaults to what was not given, and validates everything. */
    RunConfig conclude()
    {
        final List<String> sys = systems == null ? Systems.ALL : distinct(systems);
        for (final String s : sys)
        {
            require(Systems.ALL.contains(s), "--systems: unknown system '" + s + "' (known: " +
                String.join(", ", Systems.ALL) + ")");
        }
        final List<String> scen = scenarios == null ? RunConfig.SCENARIOS : distinct(scenarios);
        for (final String s : scen)
        {
            require(RunConfig.SCENARIOS.contains(s), "--scenarios: unknown scenario '" + s + "' (known: " +
                String.join(", ", RunConfig.SCENARIOS) + ")");
        }
        final List<Long> r = new ArrayList<>(rates != null ? rates :
            quick ? List.of(10_000L) : List.of(1_000L, 10_000L, 50_000L));
        r.forEach(v -> require(v >= 1 && v <= 1_000_000, "--rates: each rate must be 1..1000000 msg/s, got " + v));
        r.sort(Long::compare);
        final List<Integer> z = sizes != null ? sizes : quick ? List.of(32) : BenchSettings.STANDARD_SIZES;
        z.forEach(v -> require(v >= BenchSettings.HEADER_BYTES && v <= PaxlogClientContext.MAX_PAYLOAD_BYTES_LIMIT,
            "--sizes: each size must be " + BenchSettings.HEADER_BYTES + ".." +
            PaxlogClientContext.MAX_PAYLOAD_BYTES_LIMIT + " bytes (the client's largest command), got " + v));
        final long sec = positive(seconds, quick ? 4 : 10, "--seconds", 3600);
        final long warm = warmup != null ? warmup : quick ? 2 : 3;
        require(warm >= 0 && warm <= 600, "--warmup must be 0..600 seconds, got " + warm);
        final long probe = positive(probeSeconds, quick ? 2 : 4, "--probe-seconds", 600);
        final int probes = (int)positive(maxProbes == null ? null : (long)maxProbes, quick ? 6 : 10, "--max-probes",
            30);
        require(p99LimitUs >= 1 && p99LimitUs <= 10_000_000, "--p99-limit-us must be 1..10000000, got " + p99LimitUs);
        final int trials = (int)positive(failoverTrials == null ? null : (long)failoverTrials, quick ? 2 : 5,
            "--failover-trials", 100);
        require(failoverRate >= 1 && failoverRate <= 100_000, "--failover-rate must be 1..100000 msg/s, got " +
            failoverRate);
        final long replay = positive(replayEntries, quick ? 200_000 : 1_000_000, "--replay-entries", 100_000_000);
        final int jmhIter = (int)positive(jmhIterations == null ? null : (long)jmhIterations, quick ? 1 : 3,
            "--jmh-iterations", 50);
        require(throughputStartMsgPerSec >= 1 && throughputStartMsgPerSec <= THROUGHPUT_RATE_MAX,
            "--throughput-start must be 1.." + THROUGHPUT_RATE_MAX + " msg/s, got " + throughputStartMsgPerSec);
        require(throughputTopMsgPerSec >= throughputStartMsgPerSec && throughputTopMsgPerSec <= THROUGHPUT_RATE_MAX,
            "--throughput-top must be --throughput-start.." + THROUGHPUT_RATE_MAX + " msg/s, got " +
            throughputTopMsgPerSec);
        final long throughputSec = positive(throughputSeconds, quick ? 1 : 4, "--throughput-seconds", 60);
        require(throughputWarmupSeconds >= 0 && throughputWarmupSeconds <= 60,
            "--throughput-warmup must be 0..60 seconds, got " + throughputWarmupSeconds);
        require(throughputP99LimitUs >= 1 && throughputP99LimitUs <= 10_000_000,
            "--throughput-p99-limit-us must be 1..10000000, got " + throughputP99LimitUs);
        require(repeat >= 1 && repeat <= RunConfig.REPEAT_MAX, "--repeat must be 1.." + RunConfig.REPEAT_MAX +
            ", got " + repeat);
        require(topology.equals("in-process") || topology.equals("processes"),
            "--topology must be in-process or processes, got '" + topology + "'");
        require(BenchSettings.IDLE_STRATEGIES.contains(idle), "--idle must be one of " +
            String.join(", ", BenchSettings.IDLE_STRATEGIES) + ", got '" + idle + "'");
        BenchSettings settings = BenchSettings.defaults().withIdleStrategy(idle).withTopology(topology);
        if (cpus != null)
        {
            require(BenchSettings.isCpuList(cpus), "--cpus must be a CPU list such as 2,3 " +
                "or 2-5, got '" + cpus + "'");
            if (topology.equals("processes"))
            {
                settings = settings.withCpus(cpus); // each node JVM; bench/run pins this JVM itself
            }
        }
        if (tempRoot != null)
        {
            settings = settings.withTempRoot(tempRoot);
        }
        final int refine = throughputRefine != null ? throughputRefine : quick ? 0 : 2;
        require(refine >= 0 && refine <= RunConfig.ThroughputPlan.REFINE_STEPS_MAX, "--throughput-refine must be 0.." +
            RunConfig.ThroughputPlan.REFINE_STEPS_MAX + ", got " + refine);
        final RunConfig.ThroughputPlan throughput = new RunConfig.ThroughputPlan(throughputStartMsgPerSec,
            throughputTopMsgPerSec, sizes != null || quick ? List.copyOf(z) : THROUGHPUT_SIZES, throughputSec,
            throughputWarmupSeconds, throughputP99LimitUs, refine);
        return new RunConfig(sys, scen, List.copyOf(r), List.copyOf(z), sec, warm, probe, probes, p99LimitUs, trials,
            failoverRate, replay, jmhIter, settings, repeat, throughput);
    }

    private static List<String> distinct(final List<String> values)
    {
        return values.stream().map(String::trim).filter(v -> !v.isEmpty()).distinct().toList();
    }

    private static long positive(final Long given, final long dflt, final String flag, final long max)
    {
        final long v = given != null ? given : dflt;
        require(v >= 1 && v <= max, flag + " must be 1.." + max + ", got " + v);
        return v;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
