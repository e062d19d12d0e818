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

    /** What a change may see and do of its node (a view of {@link ConsensusNode}). */
    interface Steps
    {
        boolean leading();

        Membership committed();

        long commitSlot();

        /** The highest slot {@code member} acknowledged in the leader's ballot. */
        long ackSlot(int member);

        /** {@link ConsensusNode#proposeConfig}: the slot, or a negative refusal. */
        long proposeConfig(long nowNs, Membership next, byte[] tail);

        /** The change ended; reported once. */
        void ended(long requestId, boolean done, String detail);
    }

    private final int catchupSlots;
    private final long catchupTimeoutNs;
    /** The planted bug {@link PlantedBug#RECONFIG_SKIP_CATCHUP}: an added member votes at once. */
    private final boolean skipCatchup;
    private final Steps node;

    private Phase phase = Phase.IDLE;
    private long requestId;
    private int addId;
    private int removeId;
    private int acceptQuorum;
    private int electionQuorum;
    private byte[] tail;
    private long deadlineNs;
    private long proposedSlot;

    MembershipChange(final int catchupSlots, final long catchupTimeoutNs, final boolean skipCatchup, final Steps node)
    {
        this.catchupSlots = catchupSlots;
        this.catchupTimeoutNs = catchupTimeoutNs;
        this.skipCatchup = skipCatchup;
        this.node = node;
    }

    /** Validates and starts a change (see {@link ConsensusNode#requestMembershipChange}); null or why not. */
    String request(final long nowNs, final long requestId, final int addId, final int removeId, final int acceptQuorum,
        final int electionQuorum, final byte[] tail, final Membership current, final long deadlineNs)
    {
        if (active())
        {
            return "membership change " + this.requestId + " is in progress";
        }
        if (addId < -1 || addId >= Membership.MEMBERS_MAX || removeId < -1 || removeId >= Membership.MEMBERS_MAX ||
            (addId < 0 && removeId < 0) || addId == removeId)
        {
            return "add " + addId + ", remove " + removeId + ": name a member id in 0.." +
                (Membership.MEMBERS_MAX - 1) + " to add, to remove, or one of each";
        }
        if (addId >= 0 && current.isVoter(addId))
        {
            return "member " + addId + " already votes in " + current;
        }
        if (removeId >= 0 && !current.isMember(removeId))
        {
            return "member " + removeId + " is not in " + current;
        }
        begin(requestId, addId, removeId, acceptQuorum, electionQuorum, tail, deadlineNs);
        final String invalid = finalInvalidReason(current);
        if (invalid != null)
        {
            end();
            return invalid;
        }
        drive(nowNs);
        return null;
    }

    /** Advances the change by one step when it can; returns 1 if it proposed something. */
    int drive(final long nowNs)
    {
        if (!active() || !node.leading())
        {
            return 0;
        }
        switch (phase)
        {
            case IDLE:
                if (skipCatchup)
                {
                    return proposeFinal(nowNs); // planted bug: no learner step, no catch-up
                }
                if (addId >= 0 && !node.committed().isMember(addId))
                {
                    return proposeStep(nowNs, Phase.LEARNER, withLearner(node.committed()));
                }
                if (addId >= 0)
                {
                    waitForCatchUp();
                    return 0;
                }
                return proposeFinal(nowNs);
            case LEARNER:
                if (node.commitSlot() >= proposedSlot)
                {
                    waitForCatchUp();
                }
                return 0;
            case CATCH_UP:
            {
                final long acked = node.ackSlot(addId);
                if (acked > 0 && acked >= node.commitSlot() - catchupSlots)
                {
                    return proposeFinal(nowNs);
                }
                if (nowNs - deadlineNs >= 0)
                {
                    finish(false, "member " + addId + " did not catch up in " + catchupTimeoutNs / 1_000_000 +
                        " ms (acknowledged slot " + acked + ", commit " + node.commitSlot() + "); it stays a learner");
                }
                return 0;
            }
            default:
                return 0; // FINAL: ends when its entry commits (onCommitted) or leadership is lost
        }
    }

    /** The commit point reached {@code commitSlot}: a final step at or below it completes the change. */
    void onCommitted(final long commitSlot, final Membership committed)
    {
        if (phase == Phase.FINAL && commitSlot >= proposedSlot)
        {
            finish(true, "committed " + committed + " at slot " + proposedSlot);
        }
    }

    void onLeadershipLost(final String reason)
    {
        if (active())
        {
            finish(false, "leadership lost (" + reason + ")");
        }
    }

    private int proposeFinal(final long nowNs)
    {
        final String invalid = finalInvalidReason(node.committed());
        if (invalid != null)
        {
            finish(false, invalid);
            return 0;
        }
        return proposeStep(nowNs, Phase.FINAL, finalMembership(node.committed()));
    }

    private int proposeStep(final long nowNs, final Phase next, final Membership membership)
    {
        final long slot = node.proposeConfig(nowNs, membership, tail);
        if (slot > 0)
        {
            proposed(next, slot);
            return 1;
        }
        if (slot == ConsensusNode.TOO_LARGE)
        {
            finish(false, "configuration entry over " + CoreConfig.CONFIG_ENTRY_BYTES_MAX + " bytes");
            return 0;
        }
        return 0; // busy or back-pressure: the next tick retries
    }

    private void finish(final boolean done, final String detail)
    {
        final long id = requestId;
        end();
        node.ended(id, done, detail);
    }

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
