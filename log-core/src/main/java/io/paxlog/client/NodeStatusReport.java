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
 */
public record NodeStatusReport(int nodeId, String role, long ballot, int leaderId, long commitSlot, long appliedSlot,
    long leaseRemainingNs, long snapshotSlot, long droppedFrames, long droppedSends, long delayedFrames,
    long faultDelayNs, List<FollowerLag> followers)
{
    public NodeStatusReport
    {
        followers = List.copyOf(followers);
    }
}
