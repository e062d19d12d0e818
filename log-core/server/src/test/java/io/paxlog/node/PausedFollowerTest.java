package io.paxlog.node;

import io.paxlog.testing.RepoRoot;
import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: a follower paused (SIGSTOP) for 15 s, longer than Aeron's 10 s client liveness timeout, under load. Aeron
 * closes the client of a process that was stopped that long; before the fix the node lived on without a transport
 * (a zombie: campaigning with rising ballots nobody heard, {@code ops/cluster start} refusing it as running). Now,
 * within 5 s of SIGCONT, it serves again or has exited with one line (then, restarted, it serves); the leader keeps
 * its leadership and ballot throughout, and every acknowledged add is in the final counter on every member.
 */
class PausedFollowerTest
{
    private static final int NODES = 3;
    private static final int CLIENTS = 2;
    private static final long PAUSE_MS = 15_000;
    private static final long RESUME_DEADLINE_MS = 5_000;
    private static final long RESTART_DEADLINE_MS = 15_000;

    @Test
    void followerPausedPastAeronTimeoutsServesAgainOrExitsAndTheLeaderKeepsLeading() throws Exception
    {
        try (LocalProcessCluster cluster = new LocalProcessCluster(ScratchDirs.create("paxlog-pause"),
            RepoRoot.path(), NODES, "none"))
        {
            final Path root = cluster.root();
            final Member[] members = cluster.members();
            cluster.startAll();
            assertTrue(cluster.awaitLeader(-1, 30_000) >= 0, "a leader is elected; see " + root);

            final AtomicLong acked = new AtomicLong();
            final AtomicBoolean stopLoad = new AtomicBoolean();
            final ConcurrentLinkedQueue<Throwable> clientFailures = new ConcurrentLinkedQueue<>();
            final List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++)
            {
                final String dir = root.resolve("client" + c).toString();
                final Thread t = new Thread(() ->
                {
                    try (PaxlogClient client = new PaxlogClient(members, dir, 250_000_000L, 30_000_000_000L))
                    {
                        while (!stopLoad.get())
                        {
                            client.command(CounterMachine.add("x", 1));
                            acked.incrementAndGet();
                        }
                    }
                    catch (final RuntimeException ex)
                    {
                        clientFailures.add(ex);
                    }
                }, "load-" + c);
                t.start();
                clients.add(t);
            }
            awaitAcks(acked, 500, 20_000, clientFailures);

            // the leader once the load runs (a busy box may have changed it while the cluster started)
            final int leader = cluster.awaitLeader(-1, 10_000);
            assertTrue(leader >= 0, "a leader under load; see " + root);
            final String leaderLine = cluster.status(leader);
            assertTrue(leaderLine != null && leaderLine.contains("role=leader"), "the leader's status: " + leaderLine);
            final String ballot = field(leaderLine, "ballot");
            final int paused = (leader + 1) % NODES;
            final long roleChangesBefore = roleChanges(cluster.log(leader), leader);
            final LeaderWatch watch = new LeaderWatch(cluster, leader, ballot);
            watch.start();

            cluster.pause(paused);
            final long ackedAtPause = acked.get();
            Thread.sleep(PAUSE_MS);
            final long ackedBeforeResume = acked.get();
            assertTrue(ackedBeforeResume > ackedAtPause + 100, "the leader kept committing while node " + paused +
                " was paused: " + ackedAtPause + " -> " + ackedBeforeResume + " acks");
            final long commitAtResume = Long.parseLong(field(cluster.status(leader), "commit"));
            cluster.resume(paused);
            final long resumedNs = System.nanoTime();

            String outcome = null;
            while (outcome == null && (System.nanoTime() - resumedNs) / 1_000_000 < RESUME_DEADLINE_MS)
            {
                if (cluster.exitCode(paused) != null)
                {
                    outcome = "exited";
                }
                else if (serves(cluster.status(paused), commitAtResume))
                {
                    outcome = "serves";
                }
                else
                {
                    Thread.sleep(20);
                }
            }
            final long afterResumeMs = (System.nanoTime() - resumedNs) / 1_000_000;
            assertNotNull(outcome, "node " + paused + " neither serves nor exited " + afterResumeMs + " ms after " +
                "SIGCONT (status: " + cluster.status(paused) + "); the end of its log:\n" +
                LocalProcessCluster.logTail(cluster.log(paused), 12));
            System.out.println("node " + paused + " " + outcome + " " + afterResumeMs + " ms after SIGCONT");
            if (outcome.equals("exited"))
            {
                final int code = cluster.exitCode(paused);
                final String tail = LocalProcessCluster.logTail(cluster.log(paused), 3);
                final String last = tail.substring(tail.lastIndexOf('\n') + 1);
                System.out.println("exit code " + code + ", last log line: " + last);
                assertEquals(NodeMain.EXIT_TRANSPORT_LOST, code, "exit code; the end of its log:\n" + tail);
                assertTrue(last.contains("transport lost") && last.contains("exit " + NodeMain.EXIT_TRANSPORT_LOST),
                    "one line naming why it stopped, last in its log:\n" + tail);
                final long commitAtRestart = Long.parseLong(field(cluster.status(leader), "commit"));
                cluster.start(paused);
                final long restartedNs = System.nanoTime();
                boolean served = false;
                while (!served && (System.nanoTime() - restartedNs) / 1_000_000 < RESTART_DEADLINE_MS)
                {
                    served = serves(cluster.status(paused), commitAtRestart);
                    Thread.sleep(served ? 0 : 20);
                }
                assertTrue(served, "restarted node " + paused + " serves (status: " + cluster.status(paused) +
                    "); the end of its log:\n" + LocalProcessCluster.logTail(cluster.log(paused), 12));
                System.out.println("restarted node " + paused + " serves " + (System.nanoTime() - restartedNs) /
                    1_000_000 + " ms after its start");
            }
            final long ackedAtServe = acked.get();
            awaitAcks(acked, ackedAtServe + 100, 10_000, clientFailures);

            stopLoad.set(true);
            for (final Thread t : clients)
            {
                t.join(40_000);
            }
            watch.stop();
            assertEquals(List.of(), new ArrayList<>(clientFailures), "no client call failed");
            assertEquals(List.of(), watch.violations(), "the leader kept its leadership and ballot " + ballot);
            assertEquals(roleChangesBefore, roleChanges(cluster.log(leader), leader),
                "no role change in the leader's log (" + cluster.log(leader) + ")");
            final String leaderAtEnd = cluster.status(leader);
            assertTrue(leaderAtEnd != null && leaderAtEnd.contains("role=leader") &&
                field(leaderAtEnd, "ballot").equals(ballot), "still the leader at ballot " + ballot + ": " + leaderAtEnd);
            assertCountersEqual(cluster, members, root, acked.get());
            System.out.println("acked " + acked.get() + " adds (" + ackedAtPause + " at the pause, " +
                ackedBeforeResume + " at SIGCONT); leader " + leader + " at ballot " + ballot + " throughout");
        }
    }

    /** Applied at least {@code slot}, following a leader: the node is back in the cluster. */
    private static boolean serves(final String status, final long slot)
    {
        return status != null && status.contains("role=follower") && Long.parseLong(field(status, "applied")) >= slot;
    }

    private static void awaitAcks(final AtomicLong acked, final long target, final long timeoutMs,
        final ConcurrentLinkedQueue<Throwable> failures) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (acked.get() < target && failures.isEmpty() && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(10);
        }
        assertEquals(List.of(), new ArrayList<>(failures), "no client call failed");
        assertTrue(acked.get() >= target, acked.get() + " acks within " + timeoutMs + " ms, expected " + target);
    }

    private static void assertCountersEqual(final LocalProcessCluster cluster, final Member[] members,
        final Path root, final long expected) throws InterruptedException
    {
        try (PaxlogClient reader = new PaxlogClient(members, root.resolve("reader").toString(), 250_000_000L,
            10_000_000_000L))
        {
            final long deadline = System.currentTimeMillis() + 20_000;
            final long[] values = new long[NODES];
            final long[] slots = new long[NODES];
            boolean equal = false;
            while (!equal && System.currentTimeMillis() < deadline)
            {
                equal = true;
                for (int i = 0; i < NODES; i++)
                {
                    final PaxlogClient.Result r = reader.queryMember(i, CounterMachine.get("x"));
                    values[i] = CounterMachine.valueOf(r.value());
                    slots[i] = r.slot();
                    equal &= values[i] == expected && slots[i] == slots[0];
                }
                Thread.sleep(equal ? 0 : 100);
            }
            assertTrue(equal, "counters " + Arrays.toString(values) + " at applied slots " + Arrays.toString(slots) +
                ", expected " + expected + " (every acknowledged add) on every member");
        }
    }

    /** The value of {@code name=} in a status line. */
    private static String field(final String line, final String name)
    {
        assertNotNull(line, "a status line");
        for (final String word : line.split(" "))
        {
            if (word.startsWith(name + "="))
            {
                return word.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + "= in " + line);
    }

    /** Role changes node {@code id} logged ({@code node ID: -> ROLE ...}). */
    private static long roleChanges(final Path log, final int id) throws IOException
    {
        try (var lines = Files.lines(log))
        {
            return lines.filter(l -> l.contains("node " + id + ": -> ")).count();
        }
    }

    /**
     * Polls every member's status file every 20 ms: the leader must report itself leader at its ballot whenever its
     * status is fresh, and no other member may report itself leader.
     */
    private static final class LeaderWatch implements Runnable
    {
        private final LocalProcessCluster cluster;
        private final int leader;
        private final String ballot;
        private final List<String> violations = new ArrayList<>();
        private final Thread thread = new Thread(this, "leader-watch");
        private volatile boolean stop;

        LeaderWatch(final LocalProcessCluster cluster, final int leader, final String ballot)
        {
            this.cluster = cluster;
            this.leader = leader;
            this.ballot = ballot;
        }

        void start()
        {
            thread.start();
        }

        void stop() throws InterruptedException
        {
            stop = true;
            thread.join();
        }

        synchronized List<String> violations()
        {
            return new ArrayList<>(violations);
        }

        public void run()
        {
            while (!stop)
            {
                try
                {
                    for (int i = 0; i < NODES; i++)
                    {
                        final String line = cluster.status(i);
                        if (line == null)
                        {
                            continue;
                        }
                        final boolean claims = line.contains("role=leader");
                        if (i == leader ? !claims || !field(line, "ballot").equals(ballot) : claims)
                        {
                            record(line);
                        }
                    }
                    Thread.sleep(20);
                }
                catch (final IOException | RuntimeException ex)
                {
                    record("status read failed: " + ex);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }

        private synchronized void record(final String violation)
        {
            if (violations.size() < 20)
            {
                violations.add(violation);
            }
        }
    }
}
