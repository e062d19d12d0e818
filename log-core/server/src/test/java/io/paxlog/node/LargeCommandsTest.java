package io.paxlog.node;

import io.paxlog.testing.RepoRoot;
import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.core.CoreConfig;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, acceptance 2: large commands never wedge a cluster. Three node processes; one client pipelines commands
 * of 16 KiB (the client's default maximum), 64 KiB, and 1 MiB (under a configured 1 MiB maximum), 128 at a time;
 * a follower is killed and restarted (it catches up through catch-up responses, and through promises when it later
 * votes), then the leader is killed with the window full (the new leader's promises carry the uncommitted tail,
 * in parts). Every acknowledged command is applied exactly once on every member (a {@link SizedCommandMachine}
 * counts ids and duplicates), and no node logs a failed send. Before frames were bounded by bytes, a 64-entry
 * accept of 16 KiB commands exceeded the receiver's 1 MiB frame limit and a catch-up or promise threw inside
 * {@code Publication.offer} on every duty cycle, and the cluster never recovered.
 */
class LargeCommandsTest
{
    private static final int NODES = 3;
    private static final int IN_FLIGHT = 128;

    @Test
    void sixteenKibCommandsPipelinedThroughAFollowerRestartAndALeaderKill() throws Exception
    {
        run(16 * 1024, 20_000, new Properties());
    }

    @Test
    void sixtyFourKibCommands() throws Exception
    {
        run(64 * 1024, 12_000, new Properties());
    }

    /**
     * 1 MiB commands, with the timeouts such commands need (election and lease 1 s, resend 200 ms: see
     * {@link NodeConfig#largeCommandWarning()}). With the 100 ms defaults the members stood for election against a
     * live leader while GC of a log of 1 MiB entries paused them (pauses of 100-370 ms measured), and before clients
     * parked refused commands a full window was resent every millisecond to the candidates: one CI run in four saw
     * no leader for 60 s.
     */
    @Test
    void oneMibCommandsUnderAConfiguredOneMibMaximum() throws Exception
    {
        final Properties p = new Properties();
        p.setProperty(CoreConfig.COMMAND_BYTES_MAX_PROP, Integer.toString(1 << 20));
        p.setProperty(CoreConfig.ELECTION_TIMEOUT_PROP, "1000000000");
        p.setProperty(CoreConfig.LEASE_TIMEOUT_PROP, "1000000000");
        p.setProperty(CoreConfig.RESEND_TIMEOUT_PROP, "200000000");
        // a small ring, so the nodes' logs of 1 MiB entries stay within a default heap
        p.setProperty(CoreConfig.WINDOW_SLOTS_PROP, "128");
        p.setProperty(CoreConfig.PROMISE_ENTRIES_MAX_PROP, "256");
        p.setProperty(CoreConfig.LOG_CAPACITY_SLOTS_PROP, "1024");
        run(1 << 20, 10_000, p);
    }

    private static void run(final int commandBytes, final long runMs, final Properties extra) throws Exception
    {
        final Properties props = new Properties();
        props.setProperty(NodeConfig.SYNC_PROP, "none");
        props.setProperty(NodeConfig.MACHINES_PROP, SizedCommandMachine.class.getName());
        props.putAll(extra);
        try (LocalProcessCluster cluster = new LocalProcessCluster(ScratchDirs.create("paxlog-large"),
            RepoRoot.path(), NODES, props, List.of()))
        {
            final Path root = cluster.root();
            cluster.startAll();
            assertTrue(cluster.awaitLeader(-1, 30_000) >= 0, "a leader is elected; see " + root);
            final CommandPump pump = new CommandPump(cluster.members(), root.resolve("client").toString(), IN_FLIGHT,
                commandBytes, (buffer, id) -> SizedCommandMachine.encode(buffer, id, commandBytes));
            final Thread thread = new Thread(pump, "pump");
            thread.start();
            final long startMs = System.currentTimeMillis();

            sleepUntil(startMs + runMs / 5);
            final int firstLeader = cluster.awaitLeader(-1, 10_000);
            final int follower = (firstLeader + 1) % NODES;
            cluster.kill(follower);
            System.out.println("killed follower " + follower + " at " + pump.acked + " acks");
            sleepUntil(startMs + 2 * runMs / 5);
            cluster.start(follower);
            System.out.println("restarted follower " + follower + " at " + pump.acked + " acks");

            sleepUntil(startMs + 3 * runMs / 5);
            final int leader = cluster.awaitLeader(-1, 10_000);
            assertTrue(leader >= 0, "a leader before the kill");
            while (pump.outstanding < IN_FLIGHT / 2 && System.currentTimeMillis() < startMs + 4 * runMs / 5)
            {
                Thread.onSpinWait(); // kill it with the window full
            }
            cluster.kill(leader);
            System.out.println("killed leader " + leader + " at " + pump.acked + " acks, " + pump.outstanding +
                " in flight");
            assertTrue(cluster.awaitLeader(leader, 20_000) >= 0, "a new leader after the kill; see " + root);
            cluster.start(leader);

            sleepUntil(startMs + runMs);
            pump.stop = true;
            thread.join(120_000);
            assertEquals(null, pump.failure, "the client failed; see " + root);
            System.out.println(commandBytes + " B commands: acked=" + pump.acked + " in " + runMs + " ms");
            assertTrue(pump.acked > 0, "nothing was acknowledged");

            // every member converges on exactly the acknowledged commands, each applied once
            try (PaxlogClient reader = new PaxlogClient(cluster.members(), root.resolve("reader").toString(),
                250_000_000L, 10_000_000_000L))
            {
                final long deadline = System.currentTimeMillis() + 60_000;
                final long[][] seen = new long[NODES][];
                boolean equal = false;
                while (!equal && System.currentTimeMillis() < deadline)
                {
                    equal = true;
                    for (int i = 0; i < NODES; i++)
                    {
                        try
                        {
                            seen[i] = figures(reader.queryMember(i, new byte[]{0}).value());
                        }
                        catch (final PaxlogException ex)
                        {
                            seen[i] = null;
                        }
                        equal &= seen[i] != null && seen[i][0] == pump.acked && seen[i][1] == pump.idSum;
                    }
                    Thread.sleep(equal ? 0 : 200);
                }
                for (int i = 0; i < NODES; i++)
                {
                    assertTrue(seen[i] != null, "member " + i + " never answered; see " + root);
                    assertEquals(pump.acked, seen[i][0], "member " + i + " applied count " + Arrays.toString(seen[i]));
                    assertEquals(pump.idSum, seen[i][1], "member " + i + " id sum");
                    assertEquals(0, seen[i][2], "member " + i + " applied a command twice");
                    assertEquals(0, seen[i][3], "member " + i + " applied a command with damaged bytes");
                }
            }
            for (int i = 0; i < NODES; i++)
            {
                final String log = Files.readString(cluster.log(i));
                assertTrue(!log.contains("send failed") && !log.contains("maxMessageLength") &&
                    !log.contains("Exception") && !log.contains("WARNING: paxlog.command.bytes.max"),
                    "member " + i + " logged a failed send, an exception or a timeout warning: " +
                    LocalProcessCluster.logTail(cluster.log(i), 20));
            }
        }
    }

    private static long[] figures(final byte[] value)
    {
        final ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new long[]{ b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24) };
    }

    private static void sleepUntil(final long atMs) throws InterruptedException
    {
        final long waitMs = atMs - System.currentTimeMillis();
        if (waitMs > 0)
        {
            Thread.sleep(waitMs);
        }
    }
}
