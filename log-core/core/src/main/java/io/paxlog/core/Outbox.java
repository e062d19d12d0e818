package io.paxlog.core;

/**
 * Where the core puts the messages it sends, one method per message kind, with primitives. Node ids are
 * 0..N-1. Arrays passed in are the core's scratch buffers: an implementation must copy what it needs before
 * returning and must not keep them.
 *
 * <p><b>Ordering and durability.</b> Messages must not be transmitted before every journal append the core made
 * before producing them is durable (see {@link Journal}). Messages may be lost, duplicated or reordered by the
 * network; the protocol tolerates all three.
 *
 * <p><b>Threading.</b> Called only from the node's duty-cycle thread.
 */
public interface Outbox
{
    /** Phase 1a: asks {@code to} to promise {@code ballot} and report what it accepted at or after {@code fromSlot}. */
    void prepare(int to, long ballot, long fromSlot, long sendTimeNs);

    /**
     * Phase 1b: one part of the promise of {@code ballot}, echoing the prepare's send time (lease measurement), with
     * the sender's commit slot and the {@code count} accepted entries (slot, ballot, entry) at indexes
     * {@code first..first+count-1} of the arrays: every entry the sender holds in the slots
     * {@code coverFromSlot..coverToSlot}. A promise too large for one frame goes in several parts, in slot order;
     * the last one has {@code coverToSlot} {@link Long#MAX_VALUE}. Each part fits one frame ({@link FrameBudget}).
     */
    void promise(int to, long ballot, long echoSendTimeNs, long commitSlot, long coverFromSlot, long coverToSlot,
        long[] slots, long[] ballots, Entry[] entries, int first, int count);

    /**
     * Refusal of {@code rejectedBallot}: the sender has promised {@code promisedBallot}, or it holds a lease
     * for another leader (or is restarting) for {@code leaseRemainingNs} more, or the candidate is too far
     * behind ({@link NackReason}).
     */
    void nack(int to, long rejectedBallot, long promisedBallot, long leaseRemainingNs, long commitSlot, NackReason reason);

    /**
     * Phase 2a: {@code count} entries for consecutive slots from {@code firstSlot} in {@code ballot}, with the
     * leader's commit slot. {@code count == 0} is a heartbeat.
     */
    void accept(int to, long ballot, long sendTimeNs, long commitSlot, long firstSlot, Entry[] entries, int count);

    /**
     * Phase 2b: every slot up to {@code ackSlot} is held durably, accepted in {@code ballot} or known committed.
     * Echoes the accept's send time.
     */
    void accepted(int to, long ballot, long echoSendTimeNs, long ackSlot);

    /** Asks {@code to} for committed entries from {@code fromSlot}. */
    void catchupRequest(int to, long fromSlot);

    /**
     * {@code to} needs slots this node no longer holds in its log: the runtime sends it a snapshot of its state
     * machines (at its applied slot) with {@code ballot}; the receiver installs it with
     * {@link ConsensusNode#installSnapshot}. The core asks at most once per resend timeout per peer.
     */
    void installSnapshot(int to, long ballot);

    /** Committed entries for consecutive slots from {@code firstSlot}, each with the ballot it is held in. */
    void catchupResponse(int to, long firstSlot, long[] ballots, Entry[] entries, int count);
}
