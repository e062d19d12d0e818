package io.paxlog.node;

import io.paxlog.client.AdminClient;
import io.paxlog.client.AdminClient.MembershipResult;
import io.paxlog.client.NodeStatusReport;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 7, acceptance 3: a live 3-node cluster under a client workload adds two members, removes the original
 * leader, and replaces one more member; no acknowledged write is lost and the final members agree. The clients are
 * configured with the first three members only: they find the new ones through the member lists REDIRECTs carry.
 * The admin client drives the changes as {@code ops/cluster add-member|remove-member|replace-member} does.
 */
class MembershipChangeTest
{
    private static final long MS = 1_000_000L;

    @Test
    void addTwoRemoveTheLeaderAndReplaceOneMoreUnderLoad() throws Exception
    {
        final Properties overrides = new Properties();
        // a short log and frequent snapshots: joiners catch up by a snapshot (carrying the configuration) and the tail
        overrides.setProperty(NodeConfig.SNAPSHOT_INTERVAL_PROP, "300");
        overrides.setProperty(io.paxlog.core.CoreConfig.LOG_CAPACITY_SLOTS_PROP, "1024");
        overrides.setProperty(io.paxlog.core.CoreConfig.PROMISE_ENTRIES_MAX_PROP, "256");
        overrides.setProperty(io.paxlog.core.CoreConfig.WINDOW_SLOTS_PROP, "128");
        try (InvokedCluster cluster = new InvokedCluster(3, 6, "batch", overrides);
            AdminClient admin = new AdminClient(cluster.members(), cluster.root.resolve("admin").toString()))
        {
            final int originalLeader = cluster.awaitLeader();
            final Workload workload = new Workload(cluster, 2);
            workload.awaitAcked(1_500); // past the log's capacity: the first joiner needs a snapshot

            cluster.start(3);
            change(cluster, admin, cluster.members()[3], -1, "add 3");
            workload.awaitAcked(workload.acked() + 200);
            cluster.start(4);
            change(cluster, admin, cluster.members()[4], -1, "add 4");
            workload.awaitAcked(workload.acked() + 200);

            final long removedAt = change(cluster, admin, null, originalLeader, "remove the original leader");
            awaitCommitted(admin, voters(0b11111, originalLeader), removedAt);
            final int newLeader = cluster.awaitLeader();
            assertNotEquals(originalLeader, newLeader, "the removed leader stepped down");
            cluster.kill(originalLeader);
            workload.awaitAcked(workload.acked() + 200);

            final int replaced = originalLeader == 0 ? 1 : 0;
            cluster.start(5);
            final long replacedAt = change(cluster, admin, cluster.members()[5], replaced, "replace " + replaced);
            final long finalVoters = voters(0b111111, originalLeader) & ~(1L << replaced);
            awaitCommitted(admin, finalVoters, replacedAt);
            cluster.kill(replaced);
            workload.awaitAcked(workload.acked() + 200);
            workload.stop();
            assertTrue(installedSnapshots(cluster, 3, 4, 5) > 0, "a joiner installed a snapshot");

            final long acked = workload.acked();
            final long uncertain = workload.uncertain();
            final List<Integer> finals = ids(finalVoters);
            awaitConverged(cluster, finals);
            final long value = cluster.machines[finals.get(0)].valueOf("x");
            System.out.println("membership change under load: acked=" + acked + " uncertain=" + uncertain +
                " counter=" + value + " final voters=" + finals + " leader=" + cluster.leader());
            assertTrue(value >= acked && value <= acked + uncertain, "every acknowledged add applied once: counter " +
                value + ", acked " + acked + ", uncertain " + uncertain);
            for (final int id : finals)
            {
                assertEquals(value, cluster.machines[id].valueOf("x"), "member " + id + " holds the same counter");
                final NodeStatusReport report = admin.status(id, 2_000 * MS);
                assertEquals(finalVoters, report.configVoters(), "member " + id + " shows the final voters: " +
                    report.configuration());
                assertEquals("voter", report.votingState(id));
            }
        }
    }

    /** Snapshots the joiners installed from peers (a joiner's configuration came with one). */
    static long installedSnapshots(final InvokedCluster cluster, final int... joiners)
    {
        long installed = 0;
        for (final int id : joiners)
        {
            if (cluster.nodes[id] != null)
            {
                installed += cluster.nodes[id].agent().snapshotsInstalled();
            }
        }
        return installed;
    }

    /** Sends the change to the leader (again, while there is none or it is busy) until it ends; its commit slot. */
    static long change(final InvokedCluster cluster, final AdminClient admin, final Member add, final int removeId,
        final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 60_000 * MS;
        while (System.nanoTime() < deadline)
        {
            final int leader = cluster.leader();
            if (leader < 0)
            {
                Thread.sleep(20);
                continue;
            }
            final MembershipResult result = admin.changeMembership(leader, add, removeId, 0, 0, 45_000 * MS);
            System.out.println(what + ": " + result);
            if (result != null && result.done())
            {
                return result.commitSlot();
            }
            Thread.sleep(100); // refused (leadership moved, a change in progress) or failed: ask again
        }
        fail(what + ": not done within 60 s");
        return -1;
    }

    /** Waits until each of {@code voters} reports a commit point at or past {@code slot}. */
    static void awaitCommitted(final AdminClient admin, final long voters, final long slot) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000 * MS;
        for (final int id : ids(voters))
        {
            while (true)
            {
                final NodeStatusReport report = admin.status(id, 500 * MS);
                if (report != null && report.commitSlot() >= slot)
                {
                    break;
                }
                if (System.nanoTime() > deadline)
                {
                    fail("member " + id + " did not commit slot " + slot + ": " + report);
                }
                Thread.sleep(20);
            }
        }
    }

    static void awaitConverged(final InvokedCluster cluster, final List<Integer> ids) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 20_000 * MS;
        while (System.nanoTime() < deadline)
        {
            final long applied = cluster.status(ids.get(0)).appliedSlot();
            boolean equal = applied > 0;
            for (final int id : ids)
            {
                equal &= cluster.status(id).appliedSlot() == applied;
            }
            if (equal)
            {
                return;
            }
            Thread.sleep(20);
        }
        final StringBuilder b = new StringBuilder();
        for (final int id : ids)
        {
            b.append(' ').append(cluster.status(id));
        }
        fail("the final members did not converge:" + b);
    }

    static long voters(final long all, final int removed)
    {
        return all & ~(1L << removed);
    }

    static List<Integer> ids(final long set)
    {
        final List<Integer> ids = new ArrayList<>();
        for (long rest = set; rest != 0; rest &= rest - 1)
        {
            ids.add(Long.numberOfTrailingZeros(rest));
        }
        return ids;
    }

    /**
     * Clients adding 1 to counter x in a loop, each knowing only the initial members. An add that throws may or may
     * not have been applied: counted as uncertain.
     */
    static final class Workload
    {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong acked = new AtomicLong();
        private final AtomicLong uncertain = new AtomicLong();
        private final Thread[] threads;

        Workload(final InvokedCluster cluster, final int clients)
        {
            threads = new Thread[clients];
            for (int c = 0; c < clients; c++)
            {
                final String dir = cluster.root.resolve("client" + c).toString();
                threads[c] = new Thread(() ->
                {
                    try (PaxlogClient client = new PaxlogClient(cluster.initialMembers(), dir, 300 * MS,
                        20_000 * MS))
                    {
                        while (running.get())
                        {
                            try
                            {
                                client.command(CounterMachine.add("x", 1));
                                acked.incrementAndGet();
                            }
                            catch (final PaxlogException ex)
                            {
                                uncertain.incrementAndGet();
                                System.out.println("workload: " + ex.getMessage());
                            }
                        }
                    }
                }, "workload-" + c);
                threads[c].start();
            }
        }

        long acked()
        {
            return acked.get();
        }

        long uncertain()
        {
            return uncertain.get();
        }

        void awaitAcked(final long count) throws InterruptedException
        {
            final long deadline = System.nanoTime() + 30_000 * MS;
            while (acked.get() < count)
            {
                if (System.nanoTime() > deadline)
                {
                    fail("the workload stalled at " + acked.get() + " acknowledged adds (waiting for " + count + ")");
                }
                Thread.sleep(10);
            }
        }

        void stop() throws InterruptedException
        {
            running.set(false);
            for (final Thread t : threads)
            {
                t.join(30_000);
            }
        }
    }
}
