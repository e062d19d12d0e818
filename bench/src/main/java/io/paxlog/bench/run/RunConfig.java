package io.paxlog.bench.run;

import io.paxlog.bench.BenchSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark run does, as {@link BenchRun} parsed it from the command line.
 *
 * @param systems          systems under test, in report order
 * @param scenarios        scenarios to run, in run order
 * @param rates            fixed rates of the write scenario, msg/s, ascending
 * @param sizes            message sizes of the write scenario, bytes
 * @param seconds          measured seconds of each fixed-rate write point and of the reads scenario
 * @param warmupSeconds    unmeasured warm-up seconds before each measured run
 * @param probeSeconds     measured seconds of each probe of the max-rate search
 * @param maxProbes        most probes of the max-rate search per system
 * @param p99LimitUs       the p99 a rate must stay under to count as sustained, microseconds
 * @param failoverTrials   leader kills per system in the failover scenario
 * @param failoverRate     the load's rate during fail-over trials, msg/s
 * @param replayEntries    journal entries written and replayed by the replay scenario
 * @param jmhIterations    JMH warm-up and measurement iterations (1 s each) per micro-benchmark
 * @param settings         message size, idle strategy, topology and temp root the targets start with
 * @param repeat           how many times each write and throughput point runs, the systems interleaved (1: once)
 * @param throughput       what the throughput scenario offers and when it counts a rate as sustained
 */
public record RunConfig(List<String> systems, List<String> scenarios, List<Long> rates, List<Integer> sizes,
    long seconds, long warmupSeconds, long probeSeconds, int maxProbes, long p99LimitUs, int failoverTrials,
    long failoverRate, long replayEntries, int jmhIterations, BenchSettings settings, int repeat,
    ThroughputPlan throughput)
{
    /** The most {@code --repeat} accepts. */
    public static final int REPEAT_MAX = 20;

    public static final List<String> SCENARIOS =
        List.of("write", "throughput", "max-rate", "reads", "failover", "replay", "allocation", "jmh");

    /**
     * The throughput scenario's plan: offered rates doubling from {@code startRateMsgPerSec} up to the first one at
     * or above {@code topRateMsgPerSec}, at each message size.
     *
     * @param startRateMsgPerSec the first offered rate
     * @param topRateMsgPerSec   the scan ends with the first doubled rate at or above this one
     * @param sizes              message sizes, bytes
     * @param seconds            measured seconds of each point
     * @param warmupSeconds      unmeasured warm-up seconds before each point
     * @param p99LimitUs         the p99 a run must stay under to sustain its rate, microseconds
     * @param refineSteps        after the doubling scan, how many times each system's throughput is refined between
     *                           its highest sustained rate and the next rate it failed (the geometric middle, each
     *                           step halving the gap in ratio: 2 steps tell rates apart by 19%, not 100%)
     */
    public record ThroughputPlan(long startRateMsgPerSec, long topRateMsgPerSec, List<Integer> sizes, long seconds,
        long warmupSeconds, long p99LimitUs, int refineSteps)
    {
        /** The most {@code --throughput-refine} accepts. */
        public static final int REFINE_STEPS_MAX = 6;

        /** The offered rates, ascending: start, 2 x start, 4 x start, ... up to the first at or above the top. */
        public List<Long> rates()
        {
            final List<Long> rates = new ArrayList<>();
            long rate = startRateMsgPerSec;
            rates.add(rate);
            while (rate < topRateMsgPerSec)
            {
                rate *= 2;
                rates.add(rate);
            }
            return List.copyOf(rates);
        }
    }

    public boolean runs(final String scenario)
    {
        return scenarios.contains(scenario);
    }
}
