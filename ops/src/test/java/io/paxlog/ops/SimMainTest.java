package io.paxlog.ops;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ops/sim command line: summary format, replay traces, exit codes. */
class SimMainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return SimMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void endsWithExactlyOneSummaryLine()
    {
        assertEquals(0, run("--seeds", "8", "--threads", "2"));
        final String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        assertEquals(1, lines.length);
        assertTrue(lines[0].matches("seeds=8 violations=0 seeds_per_s=[0-9.]+ ops_checked=[0-9]+"), lines[0]);
    }

    @Test
    void membershipRunsEndWithTheSummaryLineAndReplayWithTheirChanges()
    {
        assertEquals(0, run("--seeds", "4", "--nodes", "3", "--membership", "--threads", "2"));
        final String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        assertEquals(1, lines.length);
        assertTrue(lines[0].matches("seeds=4 violations=0 seeds_per_s=[0-9.]+ ops_checked=[0-9]+"), lines[0]);
        out.reset();
        assertEquals(0, run("--seed", "3", "--nodes", "3", "--membership"));
        final String trace = out.toString(StandardCharsets.UTF_8);
        assertTrue(trace.contains("membership,"), "the parameters name the fault");
        assertTrue(trace.contains("sim membership change done: "), "seed 3 completes a change");
        assertTrue(trace.contains("new node joins"), "seed 3 adds a node");
    }

    @Test
    void reconfigSkipCatchupIsCaughtAndItsReplayNeedsNoMembershipFlag()
    {
        assertEquals(1, run("--plant", "reconfig-skip-catchup", "--seeds", "2", "--threads", "2", "--max-failures",
            "1"));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("seed 1 FAILED"), text);
        assertTrue(text.contains("replay: ops/sim --seed 1 --plant reconfig-skip-catchup\n"), text);
    }

    @Test
    void plantedBugExitsOneAndPrintsTheReplayCommand()
    {
        assertEquals(1, run("--plant", "quorum-too-small", "--seeds", "200", "--max-failures", "1"));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("replay: ops/sim --seed "), text);
        assertTrue(text.contains("--plant quorum-too-small"), text);
        assertTrue(text.contains("violation: "), text);
    }

    @Test
    void replayOfOneSeedPrintsItsTraceAndIsDeterministic()
    {
        assertEquals(0, run("--seed", "7"));
        final String first = out.toString(StandardCharsets.UTF_8);
        out.reset();
        assertEquals(0, run("--seed", "7"));
        assertEquals(first, out.toString(StandardCharsets.UTF_8));
        assertTrue(first.contains("-> LEADER"), "trace shows elections");
    }

    @Test
    void usageErrorsExitTwoWithAOneLineReason()
    {
        assertEquals(2, run("--seeds", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: --seeds 'x': expected an integer"));
        err.reset();
        assertEquals(2, run("--nodes", "5", "--quorum", "R2W3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: --quorum R2W3: W + R must exceed N=5"));
        err.reset();
        assertEquals(2, run("--plant", "nonsense"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: --plant 'nonsense'"));
        err.reset();
        assertEquals(2, run("--frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: unknown option '--frobnicate'"));
        err.reset();
        assertEquals(2, run("--membership", "--nodes", "2"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: --membership needs --nodes 3..7 (got 2)\n"));
        err.reset();
        assertEquals(2, run("--membership", "--nodes", "5", "--quorum", "R4W2"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: --membership cannot be combined with " +
            "--quorum"));
        err.reset();
        assertEquals(2, run("--membership", "--scenario", "livelock-plain"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: --membership does not apply to " +
            "--scenario"));
        err.reset();
        assertEquals(2, run("--plant", "reconfig-skip-catchup", "--nodes", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("ops/sim: --plant reconfig-skip-catchup runs " +
            "membership changes"));
    }

    @Test
    void livelockScenariosPrintAsSpecified()
    {
        assertEquals(0, run("--scenario", "livelock-plain"));
        assertEquals(0, run("--scenario", "livelock-lease"));
        final String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        assertEquals("decided=false rounds=1000", lines[0]);
        assertTrue(lines[1].matches("decided=true rounds=[1-3]"), lines[1]);
    }
}
