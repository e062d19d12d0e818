package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.core.Role;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.paxlog.node.AuthTestSupport.CLUSTER_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication does not stop replays, and need not: a frame of the previous leader, authentic (the cluster key,
 * that leader's id and ballot, exactly as it sealed its own), replayed after a new leader was elected is refused by
 * Paxos itself (its ballot is below every promise), and a replayed client command is answered from the session
 * window, applied once. The frames are rebuilt with the fields the old leader sent (its id, ballot and slots) and
 * the cluster key, which is what a capture from the wire would hold. The authentication counters stay at zero: it
 * is the protocol that refuses them.
 */
class ReplayTest
{
    private static final int TIMES = 10;

    @Test
    void oldBallotFramesAndReplayedCommandsChangeNothing() throws Exception
    {
        final Path secrets = ScratchDirs.create("paxlog-secrets");
        try (InvokedCluster cluster = new InvokedCluster(3, "none", false, AuthTestSupport.secured(secrets)))
        {
            final byte[] clusterKey = AuthTestSupport.secret(secrets, "cluster.secret");
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            try (PaxlogClient client = new PaxlogClient(new PaxlogClientContext().members(cluster.members())
                .aeronDirectoryName(cluster.root.resolve("client").toString()).attemptTimeoutNs(300_000_000L)
                .clientSecret(AuthTestSupport.secret(secrets, "client.secret"))))
            {
                for (int i = 0; i < 10; i++)
                {
                    client.command(CounterMachine.add("x", 1));
                }
                // the leader now, with its ballot read while it still leads (on a loaded machine leadership may
                // have moved since the first election)
                int oldLeader;
                NodeAgent.NodeStatus leading;
                do
                {
                    oldLeader = InvokedClusterTest.awaitLeader(cluster, 10_000);
                    leading = cluster.status(oldLeader);
                }
                while (leading.role() != io.paxlog.core.Role.LEADER);
                final long oldBallot = leading.ballot();
                final long oldCommit = leading.commitSlot();

                cluster.kill(oldLeader);
                final int newLeader = awaitNewLeader(cluster, oldLeader);
                for (int i = 0; i < 5; i++)
                {
                    client.command(CounterMachine.add("x", 1));
                }
                final int follower = 3 - oldLeader - newLeader;
                final int[] live = {newLeader, follower};
                AuthTestSupport.awaitSettled(cluster, live, "x", 15);
                final NodeAgent.NodeStatus[] before = {cluster.status(newLeader), cluster.status(follower)};
                assertTrue(before[0].ballot() > oldBallot, "the new leader's ballot is higher");

                final String aeronDir = cluster.config(newLeader).aeronDir();
                try (AuthTestSupport.Rogue replay = new AuthTestSupport.Rogue(cluster, aeronDir))
                {
                    final FrameEnvelope asOldLeader = replay.envelope(clusterKey, CLUSTER_ID, oldLeader);
                    for (final int to : live)
                    {
                        replay.sealAndSend(asOldLeader, replay.prepare(oldLeader, oldBallot, oldCommit + 1), to, TIMES);
                        replay.sealAndSend(asOldLeader, replay.accept(oldLeader, oldBallot, oldCommit + 2, oldCommit + 1,
                            client.sessionId(), CounterMachine.add("x", 1_000), 2), to, TIMES);
                        replay.sealAndSend(asOldLeader, replay.accept(oldLeader, oldBallot, oldCommit, oldCommit + 1,
                            client.sessionId(), CounterMachine.add("x", 1_000), 0), to, TIMES); // a heartbeat
                    }
                    // the session's first command, as it crossed the wire, sent again to the new leader
                    replay.sendToClientChannel(newLeader, replay.command(0, client.sessionId(), 1,
                        CounterMachine.add("x", 1)), TIMES);
                }
                Thread.sleep(500);
                for (int i = 0; i < live.length; i++)
                {
                    final int id = live[i];
                    final NodeAgent.NodeStatus now = cluster.status(id);
                    assertEquals(before[i].ballot(), now.ballot(), "node " + id + " ballot");
                    assertEquals(before[i].role(), now.role(), "node " + id + " role");
                    assertEquals(before[i].commitSlot(), now.commitSlot(), "node " + id + " commit");
                    assertEquals(15, cluster.machines[id].valueOf("x"), "node " + id + ": replays applied nothing");
                    final Map<String, Long> c = AuthTestSupport.counters(cluster, id);
                    assertEquals(0L, c.get("auth bad mac") + c.get("auth not member") + c.get("auth sender mismatch") +
                        c.get("auth wrong cluster") + c.get("auth truncated"), "authentic frames: " + c);
                }
                assertEquals(Role.LEADER, cluster.status(newLeader).role());
                assertEquals(16, CounterMachine.valueOf(client.command(CounterMachine.add("x", 1)).value()));
            }
        }
    }

    private static int awaitNewLeader(final InvokedCluster cluster, final int old) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline)
        {
            final int leader = cluster.leader();
            if (leader >= 0 && leader != old)
            {
                return leader;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no new leader within 10 s");
    }
}
