package io.paxlog.node;

import io.paxlog.testing.RepoRoot;
import io.paxlog.protocol.Member;
import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.core.CoreConfig;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 (acceptance 4): fail-stop. Three node processes (sync batch) under a pipelined client load; one follower
 * has a failure planted in its own settings ({@code paxlog.plant} in its properties file only): (1) its commit path
 * breaks an invariant at a slot ({@code invariant-fails-at-slot}), or (2) its state machine
 * ({@link FailingApplyMachine}, {@code apply-throws-on-marker}) throws from apply on a marked command the client
 * sends (the other two members apply it as an ordinary command). The failing member must exit 4
 * ({@code NodeMain.EXIT_FAIL_STOP}) within 1 s of the failure (its timestamped fail-stop line against the moment this
 * test sees the process gone), its log ending with one line naming the cause and nothing logged between the failure
 * and that line; the other two keep acknowledging writes; every acknowledged command is applied exactly once on them
 * (count, id sum, no duplicate); and the failed member, restarted without the plant, catches up to the same state.
 * Before fail-stop the failure was swallowed (the consensus adapter counted it as a bad frame) and the member ran on,
 * its applied slot past an entry it never applied.
 */
class FailStopTest
{
    private static final int NODES = 3;
    /** The member the failure is planted in; started after the other two elected a leader, so it follows. */
    private static final int FAILING = 1;
    private static final int IN_FLIGHT = 16;
    /** The planted invariant fails when this slot is delivered; the marked command has this id (and sequence). */
    private static final long FAIL_AT = 3_000;
    private static final long FAIL_STOP_MS = 1_000;
    private static final long ACKS_AFTER = 500;
    /** How long the failing member is given to stop once the cluster acknowledged command {@link #FAIL_AT}. */
    private static final long GRACE_MS = 15_000;
    /** {@code NodeMain.EXIT_FAIL_STOP} as documented; a literal, so this test also runs against the code before it. */
    private static final int EXIT_FAIL_STOP = 4;

    @Test
    void aBrokenInvariantStopsTheMemberAndTheOthersServeOn() throws Exception
    {
        run(NodeConfig.PLANT_PROP + "=" + PlantedFailure.INVARIANT_FAILS_AT_SLOT.cliName() + "\n" +
            NodeConfig.PLANT_INVARIANT_SLOT_PROP + "=" + FAIL_AT + "\n", -1,
            "invariant violated: planted: invariant fails at slot " + FAIL_AT);
    }

    @Test
    void aStateMachineThrowingFromApplyStopsTheMemberAndTheOthersServeOn() throws Exception
    {
        run(NodeConfig.PLANT_PROP + "=" + PlantedFailure.APPLY_THROWS_ON_MARKER.cliName() + "\n", FAIL_AT,
            "state machine 0 (" + FailingApplyMachine.class.getName() + ") threw from apply at slot ");
    }

    private static void run(final String plant, final long markedId, final String cause) throws Exception
    {
        final Properties props = new Properties();
        props.setProperty(NodeConfig.SYNC_PROP, "batch");
        props.setProperty(NodeConfig.MACHINES_PROP, FailingApplyMachine.class.getName());
        // a loaded 2-core box starves 100 ms elections; 1 s keeps the leader (and the failing member a follower)
        props.setProperty(CoreConfig.ELECTION_TIMEOUT_PROP, "1000000000");
        props.setProperty(CoreConfig.LEASE_TIMEOUT_PROP, "1000000000");
        try (LocalProcessCluster cluster = new LocalProcessCluster(ScratchDirs.create("paxlog-failstop"),
            RepoRoot.path(), NODES, props, List.of()))
        {
            final Path root = cluster.root();
            final Path failingProperties = root.resolve("node" + FAILING + ".properties");
            final String unplanted = Files.readString(failingProperties);
            Files.writeString(failingProperties, unplanted + "\n" + plant);
            for (int i = 0; i < NODES; i++)
            {
                if (i != FAILING)
                {
                    cluster.start(i);
                }
            }
            assertTrue(cluster.awaitLeader(-1, 30_000) >= 0, "the other two elect a leader; see " + root);
            cluster.start(FAILING);
            assertTrue(awaitStatus(cluster, FAILING, "role=follower", 30_000), "node " + FAILING + " follows; " +
                "see " + root);

            final CommandPump pump = new CommandPump(cluster.members(), root.resolve("client").toString(), IN_FLIGHT, 64,
                (buffer, id) -> id == markedId ? FailingApplyMachine.encodeMarked(buffer, id) :
                    SizedCommandMachine.encode(buffer, id, 9));
            final Thread thread = new Thread(pump, "pump");
            thread.start();
            try
            {
                // the failing member stops within 1 s of the failure, with one line naming the cause; by the time
                // the cluster acknowledged command FAIL_AT, slot FAIL_AT (and the marked command) is committed
                long deadline = System.currentTimeMillis() + 120_000;
                while (cluster.exitCode(FAILING) == null && pump.failure == null &&
                    System.currentTimeMillis() < deadline)
                {
                    if (pump.acked >= FAIL_AT && deadline - System.currentTimeMillis() > GRACE_MS)
                    {
                        deadline = System.currentTimeMillis() + GRACE_MS;
                    }
                    Thread.sleep(5);
                }
                final long exitSeenMs = System.currentTimeMillis();
                assertNull(pump.failure, "the client failed; see " + root);
                final Integer exit = cluster.exitCode(FAILING);
                assertNotNull(exit, "node " + FAILING + " still runs " + GRACE_MS / 1000 + " s after the cluster " +
                    "acknowledged command " + FAIL_AT + " (" + pump.acked + " acks; status: " +
                    cluster.status(FAILING) + "); the end of its log:\n" +
                    LocalProcessCluster.logTail(cluster.log(FAILING), 12));
                final List<String> lines = Files.readAllLines(cluster.log(FAILING));
                final String tail = LocalProcessCluster.logTail(cluster.log(FAILING), 30);
                int failedAt = -1;
                for (int i = 0; i < lines.size() && failedAt < 0; i++)
                {
                    failedAt = lines.get(i).contains(" node " + FAILING + ": fail-stop: ") ? i : -1;
                }
                assertTrue(failedAt >= 0, "a line at the failure; the end of the log:\n" + tail);
                final String last = lines.get(lines.size() - 1);
                System.out.println("exit " + exit + "; at the failure: " + lines.get(failedAt) + "\nlast line: " +
                    last);
                assertEquals(EXIT_FAIL_STOP, exit, "exit code; the end of its log:\n" + tail);
                assertTrue(last.contains(" paxlog node " + FAILING + " stopping: " + cause) &&
                    last.contains("; exit " + EXIT_FAIL_STOP + " (its state is not trusted"),
                    "the last line names the cause: " + last);
                final List<String> logged = lines.subList(failedAt + 1, lines.size() - 1).stream()
                    .filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).collect(Collectors.toList());
                assertEquals(List.of(), logged, "nothing logged between the failure and the last line");
                final long failedMs = Instant.parse(lines.get(failedAt).substring(0, lines.get(failedAt).indexOf(' ')))
                    .toEpochMilli();
                final long stopMs = exitSeenMs - failedMs;
                System.out.println("node " + FAILING + " exited " + stopMs + " ms after the failure");
                assertTrue(stopMs <= FAIL_STOP_MS, "exited " + stopMs + " ms after the failure");

                // the other two serve on
                final long ackedAtExit = pump.acked;
                final long serveDeadline = System.currentTimeMillis() + 30_000;
                while (pump.acked < ackedAtExit + ACKS_AFTER && pump.failure == null &&
                    System.currentTimeMillis() < serveDeadline)
                {
                    Thread.sleep(10);
                }
                assertNull(pump.failure, "the client failed; see " + root);
                assertTrue(pump.acked >= ackedAtExit + ACKS_AFTER, "the others acknowledged " +
                    (pump.acked - ackedAtExit) + " writes after the failure, expected " + ACKS_AFTER);
            }
            finally
            {
                pump.stop = true;
                thread.join(120_000);
            }
            assertNull(pump.failure, "the client failed; see " + root);
            assertTrue(markedId < 0 || pump.acked >= markedId, "the marked command was acknowledged");
            System.out.println("acked " + pump.acked + " commands");

            try (PaxlogClient reader = new PaxlogClient(cluster.members(), root.resolve("reader").toString(),
                250_000_000L, 10_000_000_000L))
            {
                // every acknowledged command applied exactly once on the survivors
                for (int i = 0; i < NODES; i++)
                {
                    if (i != FAILING)
                    {
                        assertApplied(reader, i, pump, root);
                    }
                }
                // restarted without the plant, the failed member catches up to the same state as the others
                Files.writeString(failingProperties, unplanted);
                cluster.start(FAILING);
                for (int i = 0; i < NODES; i++)
                {
                    assertApplied(reader, (FAILING + i) % NODES, pump, root);
                }
                assertNull(cluster.exitCode(FAILING), "the restarted member runs");
            }
        }
    }

    /** Member {@code id} applied exactly the acknowledged commands, each once, within 60 s. */
    private static void assertApplied(final PaxlogClient reader, final int id, final CommandPump pump, final Path root)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        long[] seen = null;
        while (System.currentTimeMillis() < deadline &&
            (seen == null || seen[0] != pump.acked || seen[1] != pump.idSum))
        {
            try
            {
                seen = figures(reader.queryMember(id, new byte[]{0}).value());
            }
            catch (final PaxlogException ex)
            {
                seen = null;
            }
            Thread.sleep(seen != null && seen[0] == pump.acked ? 0 : 200);
        }
        assertNotNull(seen, "member " + id + " never answered; see " + root);
        System.out.println("member " + id + ": " + Arrays.toString(seen));
        assertEquals(pump.acked, seen[0], "member " + id + " applied count (count, id sum, duplicates, bad filler) " +
            Arrays.toString(seen));
        assertEquals(pump.idSum, seen[1], "member " + id + " id sum");
        assertEquals(0, seen[2], "member " + id + " applied a command twice");
        assertEquals(0, seen[3], "member " + id + " applied a damaged command");
    }

    private static long[] figures(final byte[] value)
    {
        final ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new long[]{b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24)};
    }

    private static boolean awaitStatus(final LocalProcessCluster cluster, final int id, final String part,
        final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final String status = cluster.status(id);
            if (status != null && status.contains(part))
            {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
