package io.paxlog.codecs;

/**
 * The protocol vocabulary clients and nodes share beyond the frames' layout: the Aeron stream ids each kind of
 * frame travels on, a session's exactly-once window and the member-id range. Stated here once, in the module both
 * sides depend on without depending on each other; every other statement of these numbers refers to this class.
 *
 * <p>Copies that must stay separate are held equal by {@code ConstantsAgreeTest} (log-core), which fails when
 * they disagree: the host's exactly-once window ({@code StateMachineHost.SESSION_WINDOW}, module state-machines,
 * which does not depend on the codecs), the pure core's ballot layout ({@code core.Ballot}) and member bit sets
 * ({@code core.Membership.MEMBERS_MAX}), and the node's stream ids ({@code node.NodeAgent}: a copy only until that
 * class, under concurrent change for issue 15, can refer here).
 */
public final class ProtocolLimits
{
    /** Stream of consensus frames between members (on each member's consensus endpoint). */
    public static final int CONSENSUS_STREAM = 101;

    /** Stream of client and admin requests to a member (on its client endpoint). */
    public static final int CLIENT_STREAM = 102;

    /** Stream of a client session's answers and session events (on the client's response channel). */
    public static final int RESPONSE_STREAM = 103;

    /** Stream of admin answers (on the admin client's response channel). */
    public static final int ADMIN_RESPONSE_STREAM = 104;

    /**
     * How many of a session's most recent sequences the cluster deduplicates (a retried command within it is
     * answered from the cache; an older one is refused), and so the most commands a client may have outstanding.
     * A power of two: the host indexes its cache by {@code sequence & (cells - 1)}, growing it (16, 32, ... up to
     * this) only as deep as a session pipelines. Thousands, so that one session can keep a round trip of about a
     * millisecond busy at hundreds of thousands of commands per second.
     */
    public static final int SESSION_WINDOW = 4096;

    /** The largest member id: configurations hold ids 0..63, one bit each in a {@code long}. */
    public static final int MEMBER_ID_MAX = 63;

    /** How many member ids there are ({@code 0..}{@value #MEMBER_ID_MAX}): the size of every per-member array. */
    public static final int MEMBER_IDS = MEMBER_ID_MAX + 1;

    /**
     * Bits of a ballot (an {@code int64} on the wire) that hold the proposer's member id, below the round:
     * {@code ballot = round << BALLOT_NODE_ID_BITS | nodeId}; ballot 0 is none. {@link ProtocolText#ballot} reads
     * ballots this way.
     */
    public static final int BALLOT_NODE_ID_BITS = 16;

    private ProtocolLimits()
    {
    }
}
