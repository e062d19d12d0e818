package io.paxlog.sim;

import io.paxlog.core.PlantedBug;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A check that never fails proves nothing: each planted bug must be caught within 2,000 seeds. */
class PlantedBugsTest
{
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    @ParameterizedTest
    @EnumSource(PlantedBug.class)
    void everyPlantedBugIsCaught(final PlantedBug bug)
    {
        final Seeds.Summary summary = Seeds.run(1, 2000, 0, 0, 0, EnumSet.of(bug), 1.0, false, THREADS, 1, r -> { });
        assertFalse(summary.failures().isEmpty(), bug.cliName() + " was not caught in " + summary.seeds() + " seeds");
        final Simulation.Result caught = summary.failures().get(0);
        System.out.println(bug.cliName() + " caught at seed " + caught.seed() + ": " + caught.violations().get(0));
    }

    /** PROTOCOL.md invariant 3: a clock running faster than rho allows must make a test fail. */
    @Test
    void clocksDriftingBeyondTheBoundBreakLeaseExclusivity()
    {
        final Seeds.Summary summary = Seeds.run(1, 2000, 0, 0, 0, EnumSet.noneOf(PlantedBug.class), 4.0, false,
            THREADS, 1, r -> { });
        assertFalse(summary.failures().isEmpty(), "drift 4x the bound was not detected");
        final String violation = summary.failures().get(0).violations().get(0);
        System.out.println("drift beyond bound caught at seed " + summary.failures().get(0).seed() + ": " + violation);
        assertTrue(violation.startsWith("lease exclusivity"), violation);
    }
}
