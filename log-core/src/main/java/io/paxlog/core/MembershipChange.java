package io.paxlog.core;

/**
 * The leader's one membership change in flight (docs/membership.md): add a member (as a learner first, a voter
 * once it caught up), remove one, or both at once (replace). Each step is a configuration entry proposed through
 * {@link ConsensusNode#proposeConfig}; the change ends when the final configuration is committed, or fails (the
 * leader lost its leadership, the new member did not catch up in time, or a step was refused).
 *
 * <p>Threading and determinism: owned by one {@link ConsensusNode}; pure, time comes in as arguments.
 */
final class MembershipChange
{
    enum Phase
    {
        IDLE, LEARNER, CATCH_UP, FINAL
    }

    private Phase phase = Phase.IDLE;
    private long requestId;
    private int addId;
    private int removeId;
    private int acceptQuorum;
    private int electionQuorum;
    private byte[] tail;
    private long deadlineNs;
    private long proposedSlot;

    Phase phase()
    {
        return phase;
    }

    long requestId()
    {
        return requestId;
    }

    int addId()
    {
        return addId;
    }

    int removeId()
    {
        return removeId;
    }

    long deadlineNs()
    {
        return deadlineNs;
    }

    long proposedSlot()
    {
        return proposedSlot;
    }

    byte[] tail()
    {
        return tail;
    }

    void begin(final long requestId, final int addId, final int removeId, final int acceptQuorum,
        final int electionQuorum, final byte[] tail, final long deadlineNs)
    {
        this.requestId = requestId;
        this.addId = addId;
        this.removeId = removeId;
        this.acceptQuorum = acceptQuorum;
        this.electionQuorum = electionQuorum;
        this.tail = tail;
        this.deadlineNs = deadlineNs;
        this.proposedSlot = 0;
        this.phase = Phase.IDLE;
    }

    void proposed(final Phase next, final long slot)
    {
        phase = next;
        proposedSlot = slot;
    }

    void waitForCatchUp()
    {
        phase = Phase.CATCH_UP;
        proposedSlot = 0;
    }

    void end()
    {
        phase = Phase.IDLE;
        tail = null;
    }

    boolean active()
    {
        return tail != null;
    }

    /** {@code current} with {@link #addId()} as a learner (no quorum changes). */
    Membership withLearner(final Membership current)
    {
        return Membership.of(current.voters(), current.learners() | (1L << addId), current.acceptQuorum(),
            current.electionQuorum());
    }

    /** Why the final configuration from {@code current} would be invalid, or null. */
    String finalInvalidReason(final Membership current)
    {
        final long voters = finalVoters(current);
        final int n = Long.bitCount(voters);
        return Membership.invalidReason(voters, finalLearners(current), quorum(acceptQuorum, n),
            quorum(electionQuorum, n));
    }

    /** {@code current} with the added member voting and the removed one gone; W and R as asked (0: majority). */
    Membership finalMembership(final Membership current)
    {
        final long voters = finalVoters(current);
        final int n = Long.bitCount(voters);
        return Membership.of(voters, finalLearners(current), quorum(acceptQuorum, n), quorum(electionQuorum, n));
    }

    private long finalVoters(final Membership current)
    {
        long voters = current.voters();
        if (addId >= 0)
        {
            voters |= 1L << addId;
        }
        if (removeId >= 0)
        {
            voters &= ~(1L << removeId);
        }
        return voters;
    }

    private long finalLearners(final Membership current)
    {
        long learners = current.learners();
        if (addId >= 0)
        {
            learners &= ~(1L << addId);
        }
        if (removeId >= 0)
        {
            learners &= ~(1L << removeId);
        }
        return learners;
    }

    private static int quorum(final int asked, final int voters)
    {
        return asked > 0 ? asked : voters / 2 + 1;
    }
}
