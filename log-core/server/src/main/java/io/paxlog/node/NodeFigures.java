package io.paxlog.node;

import io.paxlog.codecs.FaultOutcome;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.NodeRole;
import io.paxlog.codecs.StatusResponseEncoder;
import io.paxlog.codecs.VotingState;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.Role;
import io.paxlog.protocol.Member;
import org.agrona.MutableDirectBuffer;

/**
 * The figures a node reports, taken from the core and the runtime in one place and shown three ways: the
 * StatusResponse of the admin channel ({@link #encode}), the Aeron counters ({@link NodeCounters}), and the
 * {@link NodeAgent.NodeStatus} record behind the status file. {@link #refresh} runs on the duty cycle (every 10 ms and
 * before each admin answer) and allocates nothing; the scalar figures are volatile so {@link #record} may be called
 * from any thread. The per-follower figures are read on the duty cycle only.
 */
final class NodeFigures
{
    private final int nodeId;
    private final long[] ackedSlot;
    private final long[] lastAckAgeNs;
    private volatile Role role;
    private volatile long ballot;
    private volatile int leaderId = -1;
    private volatile long commitSlot;
    private volatile long appliedSlot;
    private volatile long lastSlot;
    private volatile long leaseRemainingNs;
    private volatile long snapshotSlot;
    private volatile long snapshotPauseNs;
    private volatile long droppedFrames;
    private volatile long droppedSends;
    private volatile long delayedFrames;
    private volatile long faultDelayNs;
    /** Authentication drops by reason ({@link NodeCounters#AUTH_BASE} order); duty cycle only. */
    private final long[] auth = new long[NodeCounters.AUTH_COUNT];

    /** The latest configuration's members and voters (ids as bit sets), and that configuration as text. */
    private volatile long configMembers;
    private volatile long configVoters;
    private volatile String configuration = "";

    NodeFigures(final int nodeId)
    {
        this.nodeId = nodeId;
        this.ackedSlot = new long[Member.ID_MAX + 1];
        this.lastAckAgeNs = new long[Member.ID_MAX + 1];
    }

    /**
     * The latest configuration this node knows changed: its members and voters, and {@code text} (quorums,
     * whether committed, addresses) for the status answer. Rare; may allocate.
     */
    void configuration(final long members, final long voters, final String text)
    {
        configMembers = members;
        configVoters = voters;
        configuration = text;
    }

    /** Reads the core's figures at {@code nowNs} and takes the runtime's counts. */
    void refresh(final ConsensusNode core, final long nowNs, final long droppedFrames, final long droppedSends,
        final long delayedFrames, final long faultDelayNs)
    {
        final Role r = core.role();
        final long leaseEnd = core.leaseEndNs();
        ballot = r == Role.LEADER ? core.activeBallot() : core.promisedBallot();
        leaderId = core.leaderId();
        commitSlot = core.commitSlot();
        appliedSlot = core.appliedSlot();
        lastSlot = core.lastSlot();
        leaseRemainingNs = leaseEnd == Long.MIN_VALUE ? 0 : Math.max(0, leaseEnd - nowNs);
        this.droppedFrames = droppedFrames;
        this.droppedSends = droppedSends;
        this.delayedFrames = delayedFrames;
        this.faultDelayNs = faultDelayNs;
        for (long rest = configMembers; rest != 0; rest &= rest - 1)
        {
            final int m = Long.numberOfTrailingZeros(rest);
            ackedSlot[m] = core.memberAckedSlot(m);
            final long lastAckNs = core.memberLastAckNs(m);
            lastAckAgeNs[m] = lastAckNs == Long.MIN_VALUE ? -1 : Math.max(0, nowNs - lastAckNs);
        }
        role = r; // last: a reader that sees a role sees the figures of the same refresh or a later one
    }

    /** Records a snapshot taken or installed at {@code slot}; {@code pauseNs} is how long the duty cycle paused. */
    void snapshot(final long slot, final long pauseNs)
    {
        snapshotSlot = slot;
        if (pauseNs >= 0)
        {
            snapshotPauseNs = pauseNs;
        }
    }

    /**
     * Encodes a StatusResponse with these figures at {@code offset} of {@code buffer} (followers only when this node
     * leads: one entry per other member); returns the frame length.
     */
    int encode(final MutableDirectBuffer buffer, final int offset, final MessageHeaderEncoder header,
        final StatusResponseEncoder status, final long correlationId, final FaultOutcome outcome)
    {
        final Role r = role;
        status.wrapAndApplyHeader(buffer, offset, header).correlationId(correlationId).nodeId(nodeId)
            .role(NodeRole.get((short)r.ordinal())).ballot(ballot).commitSlot(commitSlot).appliedSlot(appliedSlot)
            .leaseRemainingNs(leaseRemainingNs).droppedFrames(droppedFrames).leaderId(leaderId)
            .snapshotSlot(snapshotSlot).droppedSends(droppedSends).delayedFrames(delayedFrames)
            .faultDelayNs(faultDelayNs).faultOutcome(outcome);
        final boolean leading = r == Role.LEADER;
        final long members = configMembers;
        final long others = members & ~(1L << nodeId);
        final StatusResponseEncoder.FollowersEncoder followers =
            status.followersCount(leading ? Long.bitCount(others) : 0);
        if (leading)
        {
            final long last = lastSlot;
            for (long rest = others; rest != 0; rest &= rest - 1)
            {
                final int m = Long.numberOfTrailingZeros(rest);
                followers.next().nodeId(m).ackedSlot(ackedSlot[m]).lagSlots(Math.max(0, last - ackedSlot[m]))
                    .lastAckAgeNs(lastAckAgeNs[m]);
            }
        }
        final long voters = configVoters;
        final StatusResponseEncoder.ConfigurationEncoder config = status.configurationCount(Long.bitCount(members));
        for (long rest = members; rest != 0; rest &= rest - 1)
        {
            final int m = Long.numberOfTrailingZeros(rest);
            config.next().nodeId(m).votingState((voters & (1L << m)) != 0 ? VotingState.VOTER : VotingState.LEARNER);
        }
        status.configurationDetail(configuration);
        return MessageHeaderEncoder.ENCODED_LENGTH + status.encodedLength();
    }

    /** Takes the authentication counts: the envelope's five drop reasons, then refused client requests. */
    void refreshAuth(final ConsensusAdapter adapter, final long clientsRefused)
    {
        for (int i = 0; i < NodeCounters.AUTH_COUNT - 1; i++)
        {
            auth[i] = adapter.authDrops(1 + i);
        }
        auth[NodeCounters.AUTH_COUNT - 1] = clientsRefused;
    }

    /** Stores the figures in the node's Aeron counters. */
    void publish(final NodeCounters counters)
    {
        counters.update(role.ordinal(), ballot, commitSlot, appliedSlot, leaseRemainingNs, snapshotSlot,
            droppedFrames, droppedSends, delayedFrames, auth);
    }

    Role role()
    {
        return role;
    }

    /** The figures as a record (any thread); null before the first refresh. */
    NodeAgent.NodeStatus record()
    {
        final Role r = role;
        return r == null ? null : new NodeAgent.NodeStatus(nodeId, r, ballot, commitSlot, appliedSlot,
            leaseRemainingNs, droppedFrames, droppedSends, snapshotSlot, snapshotPauseNs, configuration);
    }
}
