package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.paxlog.node.AuthTestSupport.CLUSTER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Members authenticate each other (docs/architecture.md "Frame envelope"): a rogue on the members' own consensus
 * channels sends well-formed frames built with the real encoders (a Prepare with a huge ballot, an Accept carrying
 * commands, an Accepted, a client command) sealed with a wrong key, frames claiming a non-member sender (signed with
 * the right key, so only membership stops them), a wrong cluster id, a sender that differs from the message's
 * {@code fromNodeId}, and truncated envelopes. Nothing changes (leader, ballots, commit, state), and each member's
 * per-reason counters show exactly those frames; its {@code dropped frames} rises by their total.
 */
class RogueSenderTest
{
    private static final int TIMES = 5;
    private static final long HUGE_BALLOT = Long.MAX_VALUE / 2;

    @Test
    void rogueFramesChangeNothingAndAreCountedByReason() throws Exception
    {
        final Path secrets = ScratchDirs.create("paxlog-secrets");
        try (InvokedCluster cluster = new InvokedCluster(3, "none", false, AuthTestSupport.secured(secrets)))
        {
            final byte[] clusterKey = AuthTestSupport.secret(secrets, "cluster.secret");
            final int leader = InvokedClusterTest.awaitLeader(cluster, 10_000);
            try (PaxlogClient client = new PaxlogClient(new PaxlogClientContext().members(cluster.members())
                .aeronDirectoryName(cluster.root.resolve("client").toString()).attemptTimeoutNs(300_000_000L)
                .clientSecret(AuthTestSupport.secret(secrets, "client.secret"))))
            {
                for (int i = 0; i < 20; i++)
                {
                    client.command(CounterMachine.add("x", 1));
                }
                AuthTestSupport.awaitSettled(cluster, new int[] {0, 1, 2}, "x", 20);
                final NodeAgent.NodeStatus[] before = new NodeAgent.NodeStatus[3];
                for (int id = 0; id < 3; id++)
                {
                    before[id] = cluster.status(id);
                    assertEquals(20, cluster.machines[id].valueOf("x"));
                    assertEquals(0L, before[id].droppedFrames(), "node " + id + " dropped nothing before");
                }
                final byte[] wrongKey = new byte[32];
                final byte[] payload = CounterMachine.add("x", 1_000);
                try (AuthTestSupport.Rogue rogue = new AuthTestSupport.Rogue(cluster, cluster.config(0).aeronDir()))
                {
                    for (int to = 0; to < 3; to++)
                    {
                        final int peer = (to + 1) % 3;
                        final int other = (to + 2) % 3;
                        // wrong key: a huge Prepare, an Accept of commands, an Accepted, a client command
                        final FrameEnvelope forged = rogue.envelope(wrongKey, CLUSTER_ID, peer);
                        rogue.sealAndSend(forged, rogue.prepare(peer, HUGE_BALLOT, 1), to, TIMES);
                        rogue.sealAndSend(forged, rogue.accept(peer, HUGE_BALLOT, 10_000, 1, client.sessionId(),
                            payload, 3), to, TIMES);
                        rogue.sealAndSend(forged, rogue.accepted(peer, before[leader].ballot(), 1_000), to, TIMES);
                        rogue.sealAndSend(forged, rogue.command(FrameEnvelope.PREFIX_LENGTH, client.sessionId(), 500,
                            payload), to, TIMES);
                        // the right key, but a sender that is no member (id 7; or the receiver itself)
                        rogue.sealAndSend(rogue.envelope(clusterKey, CLUSTER_ID, 7), rogue.prepare(7, HUGE_BALLOT, 1),
                            to, TIMES);
                        rogue.sealAndSend(rogue.envelope(clusterKey, CLUSTER_ID, to), rogue.prepare(to, HUGE_BALLOT, 1),
                            to, TIMES);
                        // the right key, another cluster's id
                        rogue.sealAndSend(rogue.envelope(clusterKey, CLUSTER_ID + 1, peer),
                            rogue.prepare(peer, HUGE_BALLOT, 1), to, TIMES);
                        // the right key and a member's envelope, but the message speaks for another member
                        rogue.sealAndSend(rogue.envelope(clusterKey, CLUSTER_ID, peer),
                            rogue.prepare(other, HUGE_BALLOT, 1), to, TIMES);
                        // shorter than an envelope
                        rogue.sendRaw(to, 20, TIMES);
                    }
                }
                final long deadline = System.currentTimeMillis() + 5_000;
                Map<String, Long>[] after = null;
                while (System.currentTimeMillis() < deadline)
                {
                    after = readAll(cluster);
                    if (allArrived(after))
                    {
                        break;
                    }
                    Thread.sleep(20);
                }
                Thread.sleep(300); // any effect the frames could have had would show by now
                after = readAll(cluster);
                for (int id = 0; id < 3; id++)
                {
                    final Map<String, Long> c = after[id];
                    System.out.println("node " + id + " after the rogue: " + c);
                    assertEquals(4L * TIMES, c.get("auth bad mac"), "node " + id + ": " + c);
                    assertEquals(2L * TIMES, c.get("auth not member"), "node " + id + ": " + c);
                    assertEquals((long)TIMES, c.get("auth wrong cluster"), "node " + id + ": " + c);
                    assertEquals((long)TIMES, c.get("auth sender mismatch"), "node " + id + ": " + c);
                    assertEquals((long)TIMES, c.get("auth truncated"), "node " + id + ": " + c);
                    assertEquals(9L * TIMES, c.get("dropped frames"), "node " + id + ": total in dropped frames");
                    final NodeAgent.NodeStatus now = cluster.status(id);
                    assertEquals(before[id].role(), now.role(), "node " + id + " role");
                    assertEquals(before[id].ballot(), now.ballot(), "node " + id + " ballot");
                    assertEquals(before[id].commitSlot(), now.commitSlot(), "node " + id + " commit");
                    assertEquals(20, cluster.machines[id].valueOf("x"), "node " + id + " state");
                }
                assertEquals(leader, cluster.leader(), "same leader");
                assertEquals(21, CounterMachine.valueOf(client.command(CounterMachine.add("x", 1)).value()),
                    "the cluster still serves");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long>[] readAll(final InvokedCluster cluster)
    {
        final Map<String, Long>[] all = new Map[3];
        for (int id = 0; id < 3; id++)
        {
            all[id] = AuthTestSupport.counters(cluster, id);
        }
        return all;
    }

    private static boolean allArrived(final Map<String, Long>[] counters)
    {
        for (final Map<String, Long> c : counters)
        {
            if (c.getOrDefault("dropped frames", 0L) < 9L * TIMES)
            {
                return false;
            }
        }
        return true;
    }
}
