package io.paxlog.node;

import io.paxlog.client.AdminClient;
import io.paxlog.client.FollowerLag;
import io.paxlog.client.NodeStatusReport;
import io.paxlog.client.PaxlogClient;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin channel against three real nodes: status with per-follower lag from the leader, a 50 ms inbound delay
 * on a follower (the fault shim) under which writes still commit and the follower reports delayed frames, and a
 * node started without {@code paxlog.faults.enabled} refusing the fault.
 */
class AdminChannelTest
{
    private static final long MS = 1_000_000L;
    private static final int NO_FAULTS = 2;

    private static Properties faultsOnAllButNode2(final int id)
    {
        final Properties p = new Properties();
        if (id != NO_FAULTS)
        {
            p.setProperty(NodeConfig.FAULTS_ENABLED_PROP, "true");
        }
        return p;
    }

    private static NodeStatusReport await(final Supplier<NodeStatusReport> ask,
        final java.util.function.Predicate<NodeStatusReport> until, final String what) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 5_000;
        NodeStatusReport last = null;
        while (System.currentTimeMillis() < deadline)
        {
            last = ask.get();
            if (last != null && until.test(last))
            {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(what + "; last report: " + last);
    }

    @Test
    void statusFaultDelayAndRefusal() throws Exception
    {
        try (InvokedCluster cluster = new InvokedCluster(3, "none", false, new Properties(),
            AdminChannelTest::faultsOnAllButNode2))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            try (AdminClient admin = new AdminClient(cluster.members(), cluster.root.resolve("admin").toString());
                PaxlogClient client = new PaxlogClient(cluster.members(), cluster.root.resolve("client").toString(),
                    300 * MS, 20_000 * MS))
            {
                final long[] answeredNanos = new long[3];
                long beforeNanos;
                NodeStatusReport[] all;
                int agreed = -1;
                final long settleDeadline = System.nanoTime() + 10_000 * MS;
                do // a leader just elected may still lose a duel: take the one all three members agree on
                {
                    beforeNanos = System.nanoTime();
                    all = admin.statusAll(2_000 * MS, answeredNanos);
                    agreed = agreedLeader(all);
                }
                while (agreed < 0 && System.nanoTime() < settleDeadline);
                final int leader = agreed;
                assertTrue(leader >= 0, "the members agree on a leader");
                final int delayed = leader == 0 ? 1 : 0; // a follower with faults enabled
                for (int m = 0; m < 3; m++)
                {
                    assertNotNull(all[m], "member " + m + " answers statusAll");
                    assertEquals(m, all[m].nodeId(), "answers land at their member's index");
                    assertTrue(answeredNanos[m] >= beforeNanos, "answer time stamped");
                }
                assertEquals("leader", all[leader].role());
                final NodeStatusReport leading = admin.status(leader, 2_000 * MS);
                assertNotNull(leading, "the leader answers");
                assertEquals("leader", leading.role());
                assertEquals(leader, leading.nodeId());
                assertEquals(leader, leading.leaderId());
                assertEquals(2, leading.followers().size(), leading.toString());
                for (final FollowerLag f : leading.followers())
                {
                    assertTrue(f.nodeId() != leader && f.nodeId() >= 0 && f.nodeId() < 3, f.toString());
                }
                await(() -> admin.status(delayed, 1_000 * MS),
                    r -> r.role().equals("follower") && r.leaderId() == leader && r.followers().isEmpty(),
                    "a follower reports its leader and no followers");

                assertFalse(admin.fault(NO_FAULTS, 50 * MS, 0, 10_000 * MS, 2_000 * MS),
                    "a node without paxlog.faults.enabled refuses");
                assertEquals(0, admin.status(NO_FAULTS, 1_000 * MS).faultDelayNs());

                assertTrue(admin.fault(delayed, 50 * MS, 0, 20_000 * MS, 2_000 * MS));
                for (int i = 0; i < 30; i++)
                {
                    client.command(CounterMachine.add("x", 1)); // commits with the leader and the other follower
                }
                final NodeStatusReport held = await(() -> admin.status(delayed, 1_000 * MS),
                    r -> r.delayedFrames() > 0, "the delayed follower holds frames");
                assertEquals(50 * MS, held.faultDelayNs());
                final NodeStatusReport lead = admin.status(leader, 1_000 * MS);
                for (final FollowerLag f : lead.followers())
                {
                    assertTrue(f.lastAckAgeNs() >= 0, "both followers ack (one 50 ms late): " + lead);
                }
                final long commit = lead.commitSlot();
                assertTrue(commit >= 30, lead.toString());
                await(() -> admin.status(delayed, 1_000 * MS), r -> r.appliedSlot() >= commit,
                    "the delayed follower applies what was committed, late");

                assertTrue(admin.fault(delayed, 0, 0, 0, 2_000 * MS), "clear");
                await(() -> admin.status(delayed, 1_000 * MS), r -> r.delayedFrames() == 0 && r.faultDelayNs() == 0,
                    "cleared: nothing held, no delay");
                assertEquals(30, CounterMachine.valueOf(client.command(CounterMachine.add("x", 0)).value()));
                final NodeStatusReport snapshot = admin.snapshot(delayed, 10_000 * MS);
                assertNotNull(snapshot);
                assertTrue(snapshot.snapshotSlot() >= commit, snapshot.toString());
            }
        }
    }

    /** The leader every member names, when one of them reports itself leader; -1 otherwise. */
    private static int agreedLeader(final NodeStatusReport[] all)
    {
        int leader = -1;
        for (final NodeStatusReport r : all)
        {
            if (r == null || (leader >= 0 && r.leaderId() != leader) || r.leaderId() < 0)
            {
                return -1;
            }
            leader = r.leaderId();
        }
        return all[leader].role().equals("leader") ? leader : -1;
    }
}
