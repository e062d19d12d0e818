package io.paxlog.client;

import java.util.List;

/**
 * One node's answer on the admin channel ({@link AdminClient}), taken on its duty cycle when the request arrived.
 *
 * @param nodeId           the member that answered.
 * @param role             {@code "leader"}, {@code "follower"} or {@code "candidate"}.
 * @param ballot           the leader's active ballot, or the ballot this node last promised.
 * @param leaderId         the leader this node knows (itself when leading); -1 if unknown.
 * @param commitSlot       the highest slot it knows committed.
 * @param appliedSlot      the highest slot applied to its state machines.
 * @param leaseRemainingNs how long its lease still runs (0 unless leader with a live lease).
 * @param snapshotSlot     the slot of its latest snapshot (0 if none).
 * @param droppedFrames    frames it received and dropped: malformed, or no room in the fault shim.
 * @param droppedSends     frames it could not send (back-pressure, not connected, no room).
 * @param delayedFrames    consensus frames the fault shim holds now.
 * @param faultDelayNs     the fault shim's delay while on; 0 when off.
 * @param followers        one entry per other member when this node leads; empty otherwise.
 * @param configVoters     the voters of the latest configuration it knows (member ids as a bit set).
 * @param configLearners   that configuration's learners (members catching up, not yet voting).
 * @param configuration    that configuration as text: {@code voters=[..] learners=[..] W=w R=r committed|pending
 *                         members=id=host:consensusPort:clientPort,...}.
 */
public record NodeStatusReport(int nodeId, String role, long ballot, int leaderId, long commitSlot, long appliedSlot,
    long leaseRemainingNs, long snapshotSlot, long droppedFrames, long droppedSends, long delayedFrames,
    long faultDelayNs, List<FollowerLag> followers, long configVoters, long configLearners, String configuration)
{
    public NodeStatusReport
    {
        followers = List.copyOf(followers);
        configuration = configuration == null ? "" : configuration;
    }

    /** A report from a node that shows no configuration (schema before version 5). */
    public NodeStatusReport(final int nodeId, final String role, final long ballot, final int leaderId,
        final long commitSlot, final long appliedSlot, final long leaseRemainingNs, final long snapshotSlot,
        final long droppedFrames, final long droppedSends, final long delayedFrames, final long faultDelayNs,
        final List<FollowerLag> followers)
    {
        this(nodeId, role, ballot, leaderId, commitSlot, appliedSlot, leaseRemainingNs, snapshotSlot, droppedFrames,
            droppedSends, delayedFrames, faultDelayNs, followers, 0, 0, "");
    }

    /** Whether the configuration shown is committed (not a change still under way). */
    public boolean configurationCommitted()
    {
        return configuration.contains(" committed ");
    }

    /** The voting state of {@code id} in the latest configuration the node knows: voter, learner or "-". */
    public String votingState(final int id)
    {
        return (configVoters & (1L << id)) != 0 ? "voter" : (configLearners & (1L << id)) != 0 ? "learner" : "-";
    }
}
