package io.paxlog.core;

/**
 * Receives what the core learned: committed entries, in slot order, exactly once per slot per start (after a
 * restart the core replays committed slots from the journal first), and role changes.
 *
 * <p><b>Threading.</b> Called only from the node's duty-cycle thread, from inside a core call.
 * <p><b>Determinism.</b> Every node delivers the same entry for the same slot (Agreement); what the listener
 * does with it must depend only on the entry and its slot and ballot.
 */
public interface CommitListener
{
    void onCommitted(long slot, long ballot, Entry entry);

    void onRoleChange(Role newRole, long ballot, long nowNs, String reason);
}
