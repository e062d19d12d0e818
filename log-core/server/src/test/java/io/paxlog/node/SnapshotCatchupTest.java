package io.paxlog.node;

import io.paxlog.core.CoreConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots, compaction and catch-up by snapshot on real nodes: with a snapshot every 2,000 entries and a small
 * log ring, pipelined increments keep the journal bounded; then a follower is stopped, its directory wiped, and
 * restarted empty: the leader no longer holds the slots it needs, so it must rejoin by snapshot install and reach
 * the same applied state. {@code -Dpaxlog.test.snapshot.commands=1000000} runs the million.
 */
class SnapshotCatchupTest
{
    private static final int COMMANDS = Integer.getInteger("paxlog.test.snapshot.commands", 30_000);
    private static final int SNAPSHOT_EVERY = Integer.getInteger("paxlog.test.snapshot.every", 2_000);

    @Test
    void journalStaysBoundedAndAWipedFollowerRejoinsBySnapshot() throws Exception
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.SNAPSHOT_INTERVAL_PROP, Integer.toString(SNAPSHOT_EVERY));
        p.setProperty(CoreConfig.LOG_CAPACITY_SLOTS_PROP, "4096");
        p.setProperty(CoreConfig.PROMISE_ENTRIES_MAX_PROP, "1024");
        p.setProperty(CoreConfig.WINDOW_SLOTS_PROP, "512");
        p.setProperty(CoreConfig.LEASE_TIMEOUT_PROP, "1000000000");
        p.setProperty(CoreConfig.HEARTBEAT_INTERVAL_PROP, "50000000");
        p.setProperty(CoreConfig.ELECTION_TIMEOUT_PROP, "500000000");
        try (InvokedCluster cluster = new InvokedCluster(3, "batch", true, p))
        {
            final int leader = cluster.awaitLeader();
            final int follower = (leader + 1) % 3;
            long maxJournalBytes = 0;
            try (PipelinedSession session = new PipelinedSession(cluster.members[leader], 100))
            {
                final int rounds = 10;
                for (int r = 0; r < rounds; r++)
                {
                    session.run(COMMANDS / rounds);
                    maxJournalBytes = Math.max(maxJournalBytes, journalBytes(cluster, leader));
                }
                final long applied = cluster.status(leader).appliedSlot();
                final long snapshot = cluster.status(leader).snapshotSlot();
                System.out.printf("%d commands, applied=%d, leader snapshot=%d, journal bytes max %d now %d, " +
                    "segments %d%n", COMMANDS, applied, snapshot, maxJournalBytes, journalBytes(cluster, leader),
                    segments(cluster, leader));
                assertTrue(snapshot >= applied - 2L * SNAPSHOT_EVERY, "snapshots keep up: " + snapshot + " of " + applied);
                assertTrue(segments(cluster, leader) <= 2, "old journal segments are deleted");
                // at most two segments of one block each (a file is one block long, mostly sparse, until its
                // records outgrow it): a third segment kept would pass the bound
                assertTrue(maxJournalBytes < 3 * ChronicleJournal.BLOCK_BYTES, "journal bounded: " + maxJournalBytes +
                    " bytes");

                cluster.kill(follower);
                deleteTree(cluster.root.resolve("node" + follower));
                session.run(COMMANDS / rounds); // the leader's ring moves on past everything the follower had
                cluster.start(follower);
                final long target = cluster.status(leader).appliedSlot();
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (cluster.status(follower) == null || cluster.status(follower).appliedSlot() < target)
                {
                    assertTrue(System.nanoTime() < deadline, "wiped follower did not catch up: " +
                        cluster.status(follower) + " target " + target);
                    Thread.sleep(50);
                }
                final long expected = COMMANDS + COMMANDS / rounds;
                assertEquals(expected, cluster.machines[leader].valueOf("x"));
                final long followerSnapshot = cluster.status(follower).snapshotSlot();
                System.out.printf("wiped follower n%d rejoined: snapshot installed at slot %d, applied %d, x=%d%n",
                    follower, followerSnapshot, cluster.status(follower).appliedSlot(),
                    cluster.machines[follower].valueOf("x"));
                assertTrue(followerSnapshot > 0, "the follower rejoined by snapshot install");
                awaitEqual(cluster, follower, expected);
            }
        }
    }

    private static void awaitEqual(final InvokedCluster cluster, final int node, final long expected)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (cluster.machines[node].valueOf("x") != expected)
        {
            assertTrue(System.nanoTime() < deadline, "node " + node + " holds x=" +
                cluster.machines[node].valueOf("x") + ", expected " + expected);
            Thread.sleep(20);
        }
    }

    private static long journalBytes(final InvokedCluster cluster, final int node)
    {
        return ChronicleJournal.bytesOnDisk(cluster.root.resolve("node" + node).resolve("journal"));
    }

    private static long segments(final InvokedCluster cluster, final int node) throws Exception
    {
        try (Stream<Path> s = Files.list(cluster.root.resolve("node" + node).resolve("journal")))
        {
            return s.filter(Files::isDirectory).count();
        }
    }

    private static void deleteTree(final Path dir) throws Exception
    {
        if (Files.exists(dir))
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                for (final Path f : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
