package io.paxlog.sim;

import io.paxlog.core.PlantedBug;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main test: 2,000 seeds of the simulator under every fault kind, 3-node and 5-node clusters, with
 * agreement, durability, lease exclusivity, single writer, exactly-once, linearizability and liveness checked
 * on every seed. A failure message names each failing seed and the command that replays it. Membership seeds
 * add membership changes (add, remove, replace, lost members replaced) to the faults.
 */
class SimulatorSeedsTest
{
    private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    @Test
    void threeNodeClustersKeepEveryInvariantOver1000Seeds()
    {
        runClean(1, 1000, 3, 0, 0);
    }

    @Test
    void fiveNodeClustersKeepEveryInvariantOver1000Seeds()
    {
        runClean(100_001, 1000, 5, 0, 0);
    }

    @Test
    void flexibleQuorumR4W2KeepsEveryInvariant()
    {
        runClean(200_001, 300, 5, 4, 2);
    }

    @Test
    void flexibleQuorumR2W4KeepsEveryInvariant()
    {
        runClean(300_001, 200, 5, 2, 4);
    }

    @Test
    void threeNodeClustersKeepEveryInvariantThroughMembershipChanges()
    {
        final SimMain.Summary summary = runClean(400_001, 200, 3, 0, 0, true);
        assertTrue(summary.faultsExercised().containsAll(MEMBERSHIP_FAULTS), "membership faults exercised: " +
            summary.faultsExercised());
    }

    @Test
    void fiveNodeClustersKeepEveryInvariantThroughMembershipChanges()
    {
        final SimMain.Summary summary = runClean(500_001, 200, 5, 0, 0, true);
        assertTrue(summary.faultsExercised().containsAll(MEMBERSHIP_FAULTS), "membership faults exercised: " +
            summary.faultsExercised());
    }

    private static void runClean(final long first, final int count, final int nodes, final int r, final int w)
    {
        runClean(first, count, nodes, r, w, false);
    }

    private static SimMain.Summary runClean(final long first, final int count, final int nodes, final int r,
        final int w, final boolean membership)
    {
        final SimMain.Summary summary = SimMain.runSeeds(first, count, nodes, r, w, EnumSet.noneOf(PlantedBug.class),
            1.0, membership, THREADS, 5, result -> { });
        System.out.println("nodes=" + nodes + (r > 0 ? " R" + r + "W" + w : "") + (membership ? " membership" : "") +
            ": " + summary.line() + " faults=" + summary.faultsExercised());
        final String failures = summary.failures().stream()
            .map(f -> "seed " + f.seed() + " (" + f.params() + "): " + f.violations() + "\n  replay: ops/sim --seed " +
                f.seed() + " --nodes " + nodes + (r > 0 ? " --quorum R" + r + "W" + w : "") +
                (membership ? " --membership" : ""))
            .collect(Collectors.joining("\n"));
        assertEquals(0, summary.violations(), failures);
        assertEquals(count, summary.seeds());
        assertTrue(summary.opsChecked() > count * 100L, "clients must have issued operations: " + summary.line());
        if (count >= 1000)
        {
            assertEquals(ALL_FAULTS, summary.faultsExercised(), "every fault kind is exercised");
        }
        return summary;
    }

    /** Membership faults a 200-seed membership run must exercise. */
    private static final java.util.Set<String> MEMBERSHIP_FAULTS = new java.util.TreeSet<>(java.util.List.of(
        "membership:add", "membership:remove", "membership:replace", "membership:replace-lost",
        "membership:remove-leader", "membership:change-failed", "membership:removed-stopped",
        "membership:join-by-snapshot", "membership:restart-from-snapshot"));

    private static final java.util.Set<String> ALL_FAULTS = new java.util.TreeSet<>(java.util.List.of(
        "sync:none", "sync:batch", "loss", "duplication", "long-delay", "stall", "pause", "drift",
        "crash:process", "crash:machine", "crash:machine-lost", "crash:all", "crash:disk-replaced",
        "disk-replaced:refused", "partition:isolate", "partition:split", "partition:bridge", "partition:overlap", "partition:one-way",
        "snapshot:compaction", "snapshot:restore", "snapshot:install", "session:expired", "read:read-index"));
}
