package io.paxlog.replica;


/**
 * Whether a node may start with what it finds in its data directory: a member that lost its promises and accepted
 * entries must never vote under its old identity again (it could help a quorum choose against a value already
 * chosen), and a journal of another cluster or member must never be taken for its own. docs/architecture.md,
 * "Member identity", says what is and is not detectable.
 *
 * <p>{@link #refusal} is the rule, pure, shared by the node ({@code io.paxlog.node.IdentityClaim}, which applies it
 * to a node's directory and, at a first start, writes the {@link JournalIdentity} before the journal exists) and the
 * simulator (a machine whose disk is replaced).
 */
public final class IdentityCheck
{
    /** The node setting naming the cluster a journal belongs to (named in refusals). */
    public static final String CLUSTER_ID_PROP = "paxlog.cluster.id";
    /** The node setting naming its data directory (named in refusals). */
    public static final String DIR_PROP = "paxlog.dir";
    /** The node setting saying this member has run before (named in refusals). */
    public static final String STATE_REQUIRED_PROP = "paxlog.state.required";

    /** The way back, in every refusal: a fresh identity, caught up as a learner before it votes. */
    public static final String WAY_BACK = "bring it back as a new member: ops/cluster start --rejoin --node %d " +
        "(or ops/cluster replace-member --node %d --new NEW); docs/operations.md \"A member that lost its state\"";

    /** A node that must not start: the message is the one line to print (exit 2). */
    public static final class Refused extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        public Refused(final String message)
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
                    " (" + CLUSTER_ID_PROP + ", paxlog.node.id; a wrong " + DIR_PROP + "?)";
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
            return "there is no journal, but this member has run before (" + STATE_REQUIRED_PROP +
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
}
