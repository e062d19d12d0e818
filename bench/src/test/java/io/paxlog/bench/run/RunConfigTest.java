package io.paxlog.bench.run;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunConfigTest
{
    private static RunConfig parse(final String... args)
    {
        final BenchRun run = new BenchRun();
        new CommandLine(run).parseArgs(args);
        return run.conclude();
    }

    /** The default scan doubles from 10k msg/s up to the first rate at or above 1M: 1.28M. */
    @Test
    void throughputRatesDoubleFromTheStartToTheFirstAtOrAboveTheTop()
    {
        assertEquals(List.of(10_000L, 20_000L, 40_000L, 80_000L, 160_000L, 320_000L, 640_000L, 1_280_000L),
            parse().throughput().rates());
        assertEquals(List.of(15_000L, 30_000L, 60_000L, 120_000L, 240_000L, 480_000L, 960_000L, 1_920_000L),
            parse("--throughput-start", "15000").throughput().rates());
        assertEquals(List.of(200L, 400L), parse("--throughput-start", "200", "--throughput-top", "400")
            .throughput().rates());
        assertEquals(List.of(500L), parse("--throughput-start", "500", "--throughput-top", "500")
            .throughput().rates());
    }

    @Test
    void throughputDefaults()
    {
        final RunConfig.ThroughputPlan plan = parse().throughput();
        assertEquals(List.of(32, 288), plan.sizes());
        assertEquals(4, plan.seconds());
        assertEquals(1, plan.warmupSeconds());
        assertEquals(10_000, plan.p99LimitUs());
        assertEquals(List.of(32, 1344), parse("--sizes", "32,1344").throughput().sizes(), "the sizes given");
        assertEquals(List.of(32), parse("--quick").throughput().sizes());
        assertEquals(1, parse("--quick").throughput().seconds());
        assertEquals(List.of(32, 288, 1344), parse().sizes(), "the write scenario keeps its own default sizes");
        assertTrue(parse().runs("throughput"), "part of the default scenarios");
        assertEquals(2, plan.refineSteps(), "two refinement steps by default");
        assertEquals(0, parse("--quick").throughput().refineSteps(), "none in a quick run");
        assertEquals(4, parse("--throughput-refine", "4").throughput().refineSteps());
        for (final String bad : new String[] {"-1", "7"})
        {
            final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> parse("--throughput-refine", bad));
            assertEquals("--throughput-refine must be 0..6, got " + bad, ex.getMessage());
        }
    }
}
