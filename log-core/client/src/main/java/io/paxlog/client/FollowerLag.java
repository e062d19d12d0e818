package io.paxlog.client;

/**
 * How far one follower is behind, as its leader sees it (part of a {@link NodeStatusReport} from a leader).
 *
 * @param nodeId       the follower's member id.
 * @param ackedSlot    the highest slot it acknowledged in the leader's ballot (0 if none yet).
 * @param lagSlots     the leader's last slot minus {@code ackedSlot}.
 * @param lastAckAgeNs time since the leader last heard an ack from it, on the leader's clock; -1 if never in this
 *                     ballot.
 */
public record FollowerLag(int nodeId, long ackedSlot, long lagSlots, long lastAckAgeNs)
{
}
