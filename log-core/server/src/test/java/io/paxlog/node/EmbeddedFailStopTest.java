package io.paxlog.node;

import io.paxlog.protocol.LoopbackPorts;
import io.paxlog.protocol.Member;
import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-stop as an embedded {@link PaxlogNode} reports it: a one-node cluster in this JVM (sync batch, its duty cycle
 * driven through its invoker) whose state machine throws from apply on a marked command. The node reports the
 * failure ({@link PaxlogNode#isFailed()}, {@link PaxlogNode#failure()} naming the machine, the call and the slot,
 * {@link PaxlogNode#failureReason()}), its duty cycle stops and its journal takes no more writes. Restarted with the
 * same bug it fails again on the same entry (a state machine bug is deterministic); restarted with the machine fixed,
 * it serves, the marked command applied once. Here the failure surfaces on the leader's own commit path (the duty
 * cycle's flush), not inside a poll as on the followers of {@link FailStopTest}.
 */
class EmbeddedFailStopTest
{
    private static final long MARKED = 6;

    @Test
    void anEmbeddedNodeReportsItsFailureStopsAndFailsAgainUntilTheMachineIsFixed() throws Exception
    {
        final Path root = ScratchDirs.create("paxlog-embedded-failstop");
        final Member member = new Member(0, "127.0.0.1", LoopbackPorts.free(), LoopbackPorts.free());
        final Member[] members = {member};
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, member.spec());
        p.setProperty("paxlog.node.id", "0");
        p.setProperty(NodeConfig.DIR_PROP, root.resolve("node0").toString());
        p.setProperty(NodeConfig.AERON_DIR_PROP, root.resolve("aeron0").toString());
        p.setProperty(NodeConfig.SYNC_PROP, "batch");
        p.setProperty(NodeConfig.MACHINES_PROP, FailingApplyMachine.class.getName());
        p.setProperty(NodeConfig.PLANT_PROP, PlantedFailure.APPLY_THROWS_ON_MARKER.cliName());
        final NodeConfig planted = NodeConfig.fromProperties(p).conclude();
        p.remove(NodeConfig.PLANT_PROP);
        final NodeConfig fixed = NodeConfig.fromProperties(p).conclude();

        final String failure;
        try (Driven node = new Driven(planted);
            PaxlogClient client = new PaxlogClient(members, root.resolve("client1").toString(), 250_000_000L,
                10_000_000_000L))
        {
            for (long id = 1; id < MARKED; id++)
            {
                assertEquals(id, figure(client.command(command(id, false)).value()), "count after command " + id);
            }
            assertFalse(node.node.isFailed());
            assertNull(node.node.failure());
            client.commandAsync(command(MARKED, true)); // never answered: its apply fails the node
            assertTrue(node.awaitStopped(), "the node stopped");
            final StateMachineException ex = assertInstanceOf(StateMachineException.class, node.node.failure());
            assertEquals(0, ex.machineId());
            assertEquals("apply", ex.call());
            assertTrue(ex.slot() > MARKED, "the slot " + ex.slot() + " (after the session's open)");
            assertEquals("planted: apply throws on marked command " + MARKED, ex.getCause().getMessage());
            failure = node.node.failureReason();
            assertEquals("state machine 0 (" + FailingApplyMachine.class.getName() + ") threw from apply at slot " +
                ex.slot() + ": java.lang.IllegalStateException: planted: apply throws on marked command " + MARKED,
                failure);
            assertTrue(node.node.agent().journal().writesStopped(), "the journal takes no more writes");
        }

        try (Driven again = new Driven(planted))
        {
            assertTrue(again.awaitStopped(), "restarted with the bug, it fails again");
            assertTrue(again.node.failureReason().startsWith(failure), again.node.failureReason());
        }

        try (Driven node = new Driven(fixed);
            PaxlogClient client = new PaxlogClient(members, root.resolve("client2").toString(), 250_000_000L,
                10_000_000_000L))
        {
            assertEquals(MARKED + 1, figure(client.command(command(MARKED + 1, false)).value()),
                "every command applied once, the marked one too");
            assertFalse(node.node.isFailed());
        }
    }

    /** Command {@code id} for the machine: the id, marked or not ({@link FailingApplyMachine}). */
    private static byte[] command(final long id, final boolean marked)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[marked ? 1 + FailingApplyMachine.MARKED_LENGTH : 9]);
        if (marked)
        {
            FailingApplyMachine.encodeMarked(buffer, id);
        }
        else
        {
            SizedCommandMachine.encode(buffer, id, 9);
        }
        return buffer.byteArray();
    }

    /** The count a command's result carries. */
    private static long figure(final byte[] result)
    {
        return ByteBuffer.wrap(result).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    /** A node started on {@code config} and driven by a thread of its own through its invoker until it stops. */
    private static final class Driven implements AutoCloseable
    {
        final PaxlogNode node;
        private final Thread thread;
        private volatile boolean running = true;

        Driven(final NodeConfig config)
        {
            node = PaxlogNode.startInvoked(config, new FailingApplyMachine(config.settings()));
            thread = new Thread(() ->
            {
                while (running && !node.invoker().isClosed())
                {
                    if (node.invoker().invoke() == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
            }, "node-0");
            thread.start();
        }

        /** Waits up to 20 s until the node failed and its invoker closed (the agent's close ran). */
        boolean awaitStopped() throws InterruptedException
        {
            final long deadline = System.currentTimeMillis() + 20_000;
            while (!(node.isFailed() && node.invoker().isClosed()) && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(5);
            }
            return node.isFailed() && node.invoker().isClosed();
        }

        public void close() throws InterruptedException
        {
            running = false;
            thread.join();
            node.close();
        }
    }
}
