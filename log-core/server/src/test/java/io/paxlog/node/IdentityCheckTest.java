package io.paxlog.node;

import io.paxlog.replica.JournalIdentity;
import io.paxlog.replica.IdentityCheck;
import io.paxlog.core.Entry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node starts only from its own journal, or from an empty directory at a first start: a lost journal (with
 * {@code paxlog.state.required=true}, or with snapshots left), another cluster's or member's journal, a journal
 * without an identity, and an unreadable identity are refused in one line naming the way back.
 */
class IdentityCheckTest
{
    @TempDir
    Path dir;

    private NodeConfig config(final int nodeId, final long clusterId, final String... extra)
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, "0=127.0.0.1:20001:20002,1=127.0.0.1:20003:20004,2=127.0.0.1:20005:20006");
        p.setProperty("paxlog.node.id", Integer.toString(nodeId));
        p.setProperty(NodeConfig.DIR_PROP, dir.toString());
        p.setProperty(NodeConfig.CLUSTER_ID_PROP, Long.toString(clusterId));
        for (int i = 0; i < extra.length; i += 2)
        {
            p.setProperty(extra[i], extra[i + 1]);
        }
        return NodeConfig.fromProperties(p).conclude();
    }

    private String refused(final NodeConfig config)
    {
        final String line = assertThrows(IdentityCheck.Refused.class, () -> IdentityClaim.claim(config)).getMessage();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("paxlog node " + config.nodeId() + ": refusing to start from " + dir + ": "), line);
        assertTrue(line.endsWith("bring it back as a new member: ops/cluster start --rejoin --node " +
            config.nodeId() + " (or ops/cluster replace-member --node " + config.nodeId() + " --new NEW); " +
            "docs/operations.md \"A member that lost its state\""), line);
        return line;
    }

    /** A journal with records, as a node leaves it. */
    private void writeJournal()
    {
        try (ChronicleJournal j = new ChronicleJournal(dir.resolve("journal"), SyncPolicy.BATCH))
        {
            j.appendPromise(7);
            j.appendAccepted(1, 7, new Entry().setNoop(1));
            j.sync();
        }
    }

    @Test
    void aFirstStartWritesTheIdentityAndARestartFindsIt() throws Exception
    {
        assertTrue(IdentityClaim.claim(config(1, 42)), "an empty directory is a first start");
        assertEquals(new JournalIdentity(42, 1), JournalIdentity.read(dir.resolve("journal")));
        writeJournal();
        assertFalse(IdentityClaim.claim(config(1, 42, NodeConfig.STATE_REQUIRED_PROP, "true")), "a restart");
        assertFalse(IdentityClaim.claim(config(1, 42)), "a restart");
    }

    @Test
    void aLostJournalIsRefusedWhenTheMemberHasRunOrSnapshotsAreLeft() throws Exception
    {
        IdentityClaim.claim(config(2, 42));
        writeJournal();
        deleteTree(dir.resolve("journal"));
        assertTrue(refused(config(2, 42, NodeConfig.STATE_REQUIRED_PROP, "true"))
            .contains("there is no journal, but this member has run before (paxlog.state.required=true)"));
        assertTrue(refused(config(2, 42, NodeConfig.STATE_REQUIRED_PROP, "true", "paxlog.join", "true"))
            .contains("must not vote as member 2"), "a joining member that ran is refused too");

        Files.createDirectories(dir.resolve("snapshots"));
        Files.write(dir.resolve("snapshots").resolve("snapshot-100.bin"), new byte[] {1});
        assertTrue(refused(config(2, 42)).contains("there is no journal, but there are snapshots"));
        assertFalse(Files.exists(dir.resolve("journal").resolve(JournalIdentity.FILE)), "a refusal writes nothing");
    }

    @Test
    void anotherClustersOrMembersJournalIsRefused()
    {
        IdentityClaim.claim(config(1, 42));
        writeJournal();
        assertTrue(refused(config(1, 43)).contains("the journal belongs to cluster 42 member 1, not to cluster 43 " +
            "member 1 (paxlog.cluster.id, paxlog.node.id; a wrong paxlog.dir?)"));
        assertTrue(refused(config(2, 42)).contains("the journal belongs to cluster 42 member 1, not to cluster 42 " +
            "member 2"));
    }

    @Test
    void aJournalWithoutAnIdentityOrWithAGarbledOneIsRefused() throws Exception
    {
        writeJournal();
        assertTrue(refused(config(0, 42)).contains("the journal holds records but no identity file"));
        Files.writeString(dir.resolve("journal").resolve(JournalIdentity.FILE), "cluster.id=x\n");
        assertTrue(refused(config(0, 42)).contains("holds no cluster.id and member.id: the journal's cluster and " +
            "member are unknown"));
    }

    @Test
    void thePlantedBugStartsAWipedMemberAsItself() throws Exception
    {
        IdentityClaim.claim(config(2, 42));
        deleteTree(dir.resolve("journal"));
        assertTrue(IdentityClaim.claim(config(2, 42, NodeConfig.STATE_REQUIRED_PROP, "true", NodeConfig.PLANT_PROP,
            "wiped-rejoins-as-self")), "wiped-rejoins-as-self starts it as a first start");
        assertTrue(refused(config(2, 43, NodeConfig.PLANT_PROP, "wiped-rejoins-as-self"))
            .contains("belongs to cluster 42"), "the plant concerns lost journals only");
    }

    @Test
    void theRuleIsPure()
    {
        final JournalIdentity own = new JournalIdentity(5, 1);
        assertNull(IdentityCheck.refusal(5, 1, new IdentityCheck.Found(null, null, false, false), false));
        assertNull(IdentityCheck.refusal(5, 1, new IdentityCheck.Found(own, null, true, true), true));
        assertTrue(IdentityCheck.refusal(5, 1, new IdentityCheck.Found(null, null, false, false), true) != null);
        assertTrue(IdentityCheck.refusal(5, 1, new IdentityCheck.Found(null, null, false, true), false) != null);
        assertTrue(IdentityCheck.refusal(5, 1, new IdentityCheck.Found(null, null, true, false), false) != null);
        assertTrue(IdentityCheck.refusal(5, 2, new IdentityCheck.Found(own, null, true, false), false) != null);
        assertTrue(IdentityCheck.refusal(6, 1, new IdentityCheck.Found(own, null, true, false), false) != null);
    }

    private static void deleteTree(final Path root) throws Exception
    {
        try (var files = Files.walk(root))
        {
            for (final Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
