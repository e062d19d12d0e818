package io.paxlog.node;

import io.paxlog.core.PlantedBug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a node may start with what it finds in its data directory: a member that lost its promises and accepted
 * entries must never vote under its old identity again (it could help a quorum choose against a value already
 * chosen), and a journal of another cluster or member must never be taken for its own. docs/architecture.md,
 * "Member identity", says what is and is not detectable.
 *
 * <p>{@link #refusal} is the rule, pure, shared by the node ({@link #claim}, from {@link PaxlogNode}) and the
 * simulator (a machine whose disk is replaced). {@link #claim} applies it to a node's directory and, at a first
 * start, writes the {@link JournalIdentity} before the journal exists.
 */
public final class IdentityCheck
{
    /** The way back, in every refusal: a fresh identity, caught up as a learner before it votes. */
    static final String WAY_BACK = "bring it back as a new member: ops/cluster start --rejoin --node %d " +
        "(or ops/cluster replace-member --node %d --new NEW); docs/operations.md \"A member that lost its state\"";

    /** A node that must not start: the message is the one line to print (exit 2). */
    public static final class Refused extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Refused(final String message)
        {
            super(message);
        }
    }

    /**
     * What a node finds at start.
     *
     * @param identity           the journal's identity, null if it has none
     * @param identityUnreadable why the journal's identity file, which is there, cannot be read; else null
     * @param journalRecords     the journal holds segments (records)
     * @param snapshots          the data directory holds snapshots
     */
    public record Found(JournalIdentity identity, String identityUnreadable, boolean journalRecords,
        boolean snapshots)
    {
    }

    private IdentityCheck()
    {
    }

    /**
     * The rule. Returns null if member {@code memberId} of cluster {@code clusterId} may start with {@code found}
     * (a restart with its own journal, or a first start with an empty directory), else why not (the reason only;
     * {@link #line} adds the way back).
     *
     * @param stateRequired {@code paxlog.state.required}: this member has run before (ops/cluster records it at the
     *                      member's first start), so an empty journal is lost state, not a first start
     */
    public static String refusal(final long clusterId, final int memberId, final Found found,
        final boolean stateRequired)
    {
        if (found.identityUnreadable() != null)
        {
            return found.identityUnreadable() + ": the journal's cluster and member are unknown";
        }
        final JournalIdentity id = found.identity();
        if (id != null)
        {
            if (id.clusterId() != clusterId || id.memberId() != memberId)
            {
                return "the journal belongs to " + id + ", not to cluster " + clusterId + " member " + memberId +
                    " (" + NodeConfig.CLUSTER_ID_PROP + ", paxlog.node.id; a wrong " + NodeConfig.DIR_PROP + "?)";
            }
            return null;
        }
        if (found.journalRecords())
        {
            return "the journal holds records but no " + JournalIdentity.FILE + " file: its cluster and member are " +
                "unknown";
        }
        if (stateRequired)
        {
            return "there is no journal, but this member has run before (" + NodeConfig.STATE_REQUIRED_PROP +
                "=true): it lost its promises and accepted entries and must not vote as member " + memberId;
        }
        if (found.snapshots())
        {
            return "there is no journal, but there are snapshots: the journal was lost, and with it this member's " +
                "promises and accepted entries; it must not vote as member " + memberId;
        }
        return null;
    }

    /** The one line a refused node prints. */
    public static String line(final int memberId, final String dir, final String reason)
    {
        return "paxlog node " + memberId + ": refusing to start from " + dir + ": " + reason + "; " +
            String.format(WAY_BACK, memberId, memberId);
    }

    /**
     * Checks the node's directory ({@link #refusal}); at a first start writes its {@link JournalIdentity}. With the
     * planted bug {@link PlantedBug#WIPED_REJOINS_AS_SELF} a node that lost its journal starts as itself anyway.
     *
     * @return true if this is the member's first start (it had no journal)
     * @throws Refused with the line to print
     */
    public static boolean claim(final NodeConfig config)
    {
        final Path journalDir = config.dir().resolve("journal");
        JournalIdentity identity = null;
        String unreadable = null;
        try
        {
            identity = JournalIdentity.read(journalDir);
        }
        catch (final JournalIdentity.Unreadable ex)
        {
            unreadable = ex.getMessage();
        }
        final Found found = new Found(identity, unreadable, ChronicleJournal.hasSegments(journalDir),
            hasSnapshots(config.dir().resolve("snapshots")));
        final String reason = refusal(config.clusterId(), config.nodeId(), found, config.stateRequired());
        final boolean wiped = identity == null && unreadable == null && !found.journalRecords();
        if (reason != null && !(wiped && config.plantedBugs().contains(PlantedBug.WIPED_REJOINS_AS_SELF)))
        {
            throw new Refused(line(config.nodeId(), config.dir().toString(), reason));
        }
        if (identity == null)
        {
            new JournalIdentity(config.clusterId(), config.nodeId()).write(journalDir);
        }
        return identity == null;
    }

    private static boolean hasSnapshots(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*"))
        {
            return files.iterator().hasNext();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }
}
