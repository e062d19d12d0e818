package io.paxlog.core;

/**
 * How many bytes of a frame the consensus messages the core produces may take, so that every Accept, Promise part
 * and CatchupResponse fits the receiver's frame limit and the transport's largest message
 * ({@link CoreConfig#frameLengthMax()}, the smaller of the two). The core fills each message up to that budget and
 * splits what does not fit across messages; the simulator refuses any message over it, as the real transport does.
 *
 * <p>The bounds are upper bounds on the wire encoding, kept here so that the pure core needs no codec: the node's
 * tests tie them to the SBE codecs' real block lengths and envelope (FrameBudgetTest), so a schema change that
 * outgrows them fails the build instead of producing a frame a member must refuse.
 */
public final class FrameBudget
{
    /**
     * Everything in a consensus frame except its entries, at most: the authentication envelope (28 bytes), the SBE
     * message header (8), the largest root block (Promise: 44) and the entries group header (4), rounded up.
     */
    public static final int MESSAGE_OVERHEAD_BYTES = 128;
    /**
     * Everything in one entry except its payload, at most: the largest entry block (a Promise entry: slot, ballot,
     * type, session, sequence and timestamp, 41 bytes) and the payload's length prefix (4), rounded up.
     */
    public static final int ENTRY_OVERHEAD_BYTES = 48;
    /** The smallest frame limit the core accepts: one entry of {@link #COMMAND_BYTES_MIN} must fit. */
    public static final int COMMAND_BYTES_MIN = 64;

    private FrameBudget()
    {
    }

    /** Bytes {@code entry} takes in a frame, at most. */
    public static int entryBytes(final Entry entry)
    {
        return ENTRY_OVERHEAD_BYTES + entry.payloadLength();
    }

    /** Bytes a frame carrying {@code entryBytes} bytes of entries (as {@link #entryBytes} counts) takes, at most. */
    public static long frameBytes(final long entryBytes)
    {
        return MESSAGE_OVERHEAD_BYTES + entryBytes;
    }

    /** The largest frame a command of {@code commandBytes} can travel in, at most: one entry and the overhead. */
    public static long frameBytesForCommand(final int commandBytes)
    {
        return MESSAGE_OVERHEAD_BYTES + ENTRY_OVERHEAD_BYTES + (long)commandBytes;
    }
}
