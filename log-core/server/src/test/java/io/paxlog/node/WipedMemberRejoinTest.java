package io.paxlog.node;

import io.paxlog.testing.RepoRoot;
import io.paxlog.replica.JournalIdentity;
import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.AdminClient;
import io.paxlog.client.AdminClient.MembershipResult;
import io.paxlog.client.NodeStatusReport;
import io.paxlog.client.PaxlogClient;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 14: a member whose journal is wiped while it is stopped refuses to start (exit 2, one line naming the way
 * back), and so does a member handed another member's journal; the documented way back (ops/cluster start --rejoin,
 * which is replace-member with a fresh id: the new member joins as a learner, catches up, then votes while the old
 * one leaves) ends with the new member caught up and voting and the counter equal on every member. Three members
 * in child JVMs as ops/cluster runs them; the test writes what ops/cluster writes (paxlog.state.required=true once
 * a member has started; the new member's properties) and sends the membership request AdminMain sends.
 */
class WipedMemberRejoinTest
{
    private static final long MS = 1_000_000L;
    private static final int ADDS = 40;

    @Test
    void aWipedMemberIsRefusedAndRejoinsAsANewMemberCaughtUpAndVoting() throws Exception
    {
        final Path root = ScratchDirs.create("paxlog-wiped");
        Process newMember = null;
        try (LocalProcessCluster cluster = new LocalProcessCluster(root, RepoRoot.path(), 3, "batch"))
        {
            cluster.startAll();
            assertTrue(cluster.awaitLeader(-1, 30_000) >= 0, "a leader; see " + root);
            for (int id = 0; id < 3; id++)
            {
                // what ops/cluster records once a member has started
                Files.writeString(root.resolve("node" + id + ".properties"),
                    "\n" + NodeConfig.STATE_REQUIRED_PROP + "=true\n", StandardOpenOption.APPEND);
            }
            final Member[] original = cluster.members();
            try (PaxlogClient client = client(root, "client-before", original))
            {
                for (int i = 0; i < ADDS; i++)
                {
                    client.command(CounterMachine.add("x", 1));
                }
            }

            cluster.kill(2);
            final Path node2 = root.resolve("node2");
            assertTrue(Files.exists(node2.resolve("journal").resolve(JournalIdentity.FILE)), "node 2 had an identity");
            deleteTree(node2.resolve("journal"));
            final BadConfigRestartTest.NodeMainRun wiped = BadConfigRestartTest.NodeMainRun.of(
                root.resolve("node2.properties"));
            System.out.println("wiped member: exit " + wiped.exit + ": " + wiped.output);
            assertEquals(2, wiped.exit, wiped.output);
            assertEquals(1, wiped.output.lines().count(), "one line: " + wiped.output);
            assertTrue(wiped.output.startsWith("paxlog node 2: refusing to start from " + node2 + ": there is no " +
                "journal, but this member has run before"), wiped.output);
            assertTrue(wiped.output.contains("ops/cluster start --rejoin --node 2"), wiped.output);
            assertTrue(wiped.output.contains("ops/cluster replace-member --node 2 --new NEW"), wiped.output);
            assertFalse(Files.exists(node2.resolve("journal")), "the refusal created no journal");

            copyTree(root.resolve("node1").resolve("journal"), node2.resolve("journal"));
            final BadConfigRestartTest.NodeMainRun foreign = BadConfigRestartTest.NodeMainRun.of(
                root.resolve("node2.properties"));
            System.out.println("another member's journal: exit " + foreign.exit + ": " + foreign.output);
            assertEquals(2, foreign.exit, foreign.output);
            assertEquals(1, foreign.output.lines().count(), "one line: " + foreign.output);
            assertTrue(foreign.output.contains("the journal belongs to cluster 0 member 1, not to cluster 0 member 2"),
                foreign.output);
            deleteTree(node2.resolve("journal"));

            // the way back (ops/cluster start --rejoin --node 2): member 3, a fresh id, on node 2's host, replaces 2
            final Member fresh = new Member(3, "127.0.0.1", LocalProcessCluster.freePort(),
                LocalProcessCluster.freePort());
            final Member[] all = {original[0], original[1], original[2], fresh};
            newMember = LocalProcessCluster.launchJvm(RepoRoot.path(), List.of(), NodeMain.class.getName(),
                List.of("--config", joinerProperties(root, all).toString()), root.resolve("node3.log"));
            final List<Integer> finals = List.of(0, 1, 3);
            try (AdminClient admin = new AdminClient(all, root.resolve("admin").toString());
                PaxlogClient client = client(root, "client-after", all))
            {
                final long slot = replace(cluster, admin, fresh, 2);
                for (int i = 0; i < ADDS; i++)
                {
                    client.command(CounterMachine.add("x", 1));
                }
                final long deadline = System.nanoTime() + 30_000 * MS;
                String state = "";
                while (System.nanoTime() < deadline)
                {
                    state = converged(admin, client, finals, slot, 2 * ADDS);
                    if (state == null)
                    {
                        break;
                    }
                    assertTrue(newMember.isAlive(), "member 3 runs; see " + root.resolve("node3.log"));
                    Thread.sleep(100);
                }
                if (state != null)
                {
                    fail("not converged within 30 s: " + state);
                }
                final NodeStatusReport three = admin.status(3, 2_000 * MS);
                System.out.println("member 3 after the rejoin: " + three);
                assertEquals("voter", three.votingState(3), three.configuration());
                assertEquals("-", three.votingState(2), three.configuration());
            }
        }
        finally
        {
            if (newMember != null)
            {
                newMember.destroyForcibly().waitFor();
            }
        }
    }

    /** Null once every member in {@code ids} votes in the final configuration and holds the counter at
     * {@code value} at the same applied slot, past {@code slot}; otherwise what is still different. */
    private static String converged(final AdminClient admin, final PaxlogClient client, final List<Integer> ids,
        final long slot, final long value)
    {
        long applied = -1;
        for (final int id : ids)
        {
            final NodeStatusReport r = admin.status(id, 1_000 * MS);
            if (r == null)
            {
                return "member " + id + " does not answer";
            }
            final long counter = CounterMachine.valueOf(client.queryMember(id, CounterMachine.get("x")).value());
            if (r.appliedSlot() < slot || counter != value || !r.votingState(3).equals("voter") ||
                (applied >= 0 && r.appliedSlot() != applied))
            {
                return "member " + id + " applied " + r.appliedSlot() + " counter " + counter + " in " +
                    r.configuration();
            }
            applied = r.appliedSlot();
        }
        return null;
    }

    /** The change AdminMain replace-member sends, to the leader, until done; its commit slot. */
    private static long replace(final LocalProcessCluster cluster, final AdminClient admin, final Member add,
        final int removeId) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000 * MS;
        while (System.nanoTime() < deadline)
        {
            final int leader = cluster.awaitLeader(removeId, 5_000);
            if (leader >= 0)
            {
                final MembershipResult result = admin.changeMembership(leader, add, removeId, 0, 0, 45_000 * MS);
                System.out.println("replace " + removeId + " by " + add.id() + ": " + result);
                if (result != null && result.done())
                {
                    return result.commitSlot();
                }
            }
            Thread.sleep(100);
        }
        fail("replace " + removeId + " by " + add.id() + ": not done within 60 s");
        return -1;
    }

    /** What ops/cluster writes for a new member: the current members and itself, paxlog.join=true. */
    private static Path joinerProperties(final Path root, final Member[] all) throws IOException
    {
        final String members = Stream.of(all).map(Member::spec).collect(Collectors.joining(","));
        final Path file = root.resolve("node3.properties");
        Files.writeString(file, String.join("\n", NodeConfig.MEMBERS_PROP + "=" + members, "paxlog.node.id=3",
            NodeConfig.DIR_PROP + "=" + root.resolve("node3"), NodeConfig.AERON_DIR_PROP + "=" + root.resolve("aeron3"),
            NodeConfig.SYNC_PROP + "=batch", "paxlog.join=true", ""));
        return file;
    }

    private static PaxlogClient client(final Path root, final String name, final Member[] members)
    {
        return new PaxlogClient(members, root.resolve(name).toString(), 250_000_000L, 30_000_000_000L);
    }

    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path p : files.toList())
            {
                final Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
