package io.paxlog.core;

/**
 * Durable storage of one node's acceptor state: promises, accepted entries and commit marks. The core writes
 * to it; the runtime makes the writes durable.
 *
 * <p><b>Durability contract ("persist before send").</b> Appends may be buffered. The runtime must make every
 * append durable, according to its sync policy, before it transmits any message the core produced after that
 * append in the same or a later step. With a sync policy of {@code none} "durable" means "written to the OS"
 * (it survives a process crash, not a machine crash); durability across machine crashes then comes from
 * replication alone.
 *
 * <p><b>Threading.</b> Called only from the node's duty-cycle thread.
 *
 * <p><b>Determinism.</b> {@link #replay} must return exactly the records appended, in order, up to the last
 * durable one; a torn or partial last record is dropped, never returned damaged.
 */
public interface Journal
{
    /** Records that this acceptor promised {@code ballot} (it will accept nothing lower). */
    void appendPromise(long ballot);

    /** Records that this acceptor accepted {@code entry} at {@code slot} in {@code ballot}. */
    void appendAccepted(long slot, long ballot, Entry entry);

    /** Records that every slot up to {@code commitSlot} is committed and held with its chosen value. */
    void appendCommit(long commitSlot);

    /**
     * Starts a new segment based on a snapshot of every slot up to {@code baseSlot}: the core then appends the
     * promise, the accepted entries after {@code baseSlot} and the commit mark, so the records from here on, with
     * that snapshot, hold all this acceptor must remember. The runtime must have made the snapshot durable before
     * this call, and may delete every earlier record once this segment's first records are durable.
     */
    void startSegment(long baseSlot);

    /**
     * The number of appends made so far (right after an append: that append's number); it never decreases while
     * the journal is open. The default, 0, suits a journal whose appends are durable when they return.
     */
    default long position()
    {
        return 0;
    }

    /**
     * Every append numbered up to this value (see {@link #position()}) is durable, under the sync policy as above.
     * The core reads it so that a leader counts its own acceptance of a slot toward the accept quorum only once its
     * append is durable: with W = 1 (a one-node cluster) no peer's acknowledgement, which can only follow the
     * persist, stands between the append and the commit. The default, {@link Long#MAX_VALUE}, says every append is
     * durable when it returns.
     */
    default long durablePosition()
    {
        return Long.MAX_VALUE;
    }

    /** Replays every durable record in append order. Called once, at start. */
    void replay(Replay handler);

    /** Receives the records of a journal, in order. */
    interface Replay
    {
        void onPromise(long ballot);

        void onAccepted(long slot, long ballot, Entry entry);

        void onCommit(long commitSlot);

        /** The segment that follows is based on a snapshot of every slot up to {@code baseSlot}. */
        void onSegment(long baseSlot);
    }
}
