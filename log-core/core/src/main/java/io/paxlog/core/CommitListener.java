package io.paxlog.core;

/**
 * Receives what the core learned: committed entries, in slot order, exactly once per slot per start (after a
 * restart the core replays committed slots from the journal first), role changes, and the end of membership
 * changes. Configuration entries ({@link Entry#isConfig()}) are delivered like any other: a runtime keeps the
 * latest for its member addresses and snapshots, and hands none to state machines.
 *
 * <p><b>Threading.</b> Called only from the node's duty-cycle thread, from inside a core call.
 * <p><b>Determinism.</b> Every node delivers the same entry for the same slot (Agreement); what the listener
 * does with it must depend only on the entry and its slot and ballot.
 */
public interface CommitListener
{
    void onCommitted(long slot, long ballot, Entry entry);

    void onRoleChange(Role newRole, long ballot, long nowNs, String reason);

    /**
     * A membership change this node started as leader ({@link ConsensusNode#requestMembershipChange}) ended:
     * {@code done} if its final configuration is committed, else it failed for {@code detail} (one line). A failed
     * change may have committed its first step (the new member stays a learner).
     */
    default void onMembershipChange(final long requestId, final boolean done, final String detail)
    {
    }
}
