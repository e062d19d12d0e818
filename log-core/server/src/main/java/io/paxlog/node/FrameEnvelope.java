package io.paxlog.node;

import io.paxlog.auth.FrameAuthenticator;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The authenticated envelope of a consensus frame (docs/architecture.md "Frame envelope"):
 * <pre>
 *   0   cluster id        int64 LE
 *   8   sender member id  int32 LE
 *   12  SBE frame         (message header + body, as without authentication)
 *   end tag               {@link FrameAuthenticator#tagLength()} bytes (16: HMAC-SHA256/128) over bytes 0 .. end
 * </pre>
 * {@link #open} checks a received frame in a fixed order, before any SBE decoding: long enough, the cluster id, the
 * sender a member, the tag; the verdict names the first check that failed, and each is counted on its own. The
 * adapter then requires the SBE message's {@code fromNodeId} to be the envelope's sender.
 *
 * <p>Threading: the node's duty cycle only. Allocates nothing.
 */
final class FrameEnvelope
{
    static final int CLUSTER_ID_OFFSET = 0;
    static final int SENDER_OFFSET = 8;
    /** Bytes before the SBE frame. */
    static final int PREFIX_LENGTH = 12;

    static final int OK = 0;
    static final int TRUNCATED = 1;
    static final int WRONG_CLUSTER = 2;
    static final int NOT_MEMBER = 3;
    static final int SENDER_MISMATCH = 4;
    static final int BAD_MAC = 5;
    /** Counter names of the drop reasons, indexed by verdict (OK unused). */
    static final String[] REASONS = {"", "auth truncated", "auth wrong cluster", "auth not member",
        "auth sender mismatch", "auth bad mac"};

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final FrameAuthenticator authenticator;
    private final long clusterId;
    private final int selfId;
    /** Whether an id is a member's (has an address): a frame from any other id is dropped. */
    private final java.util.function.IntPredicate member;
    private final int tagLength;
    private final long[] drops = new long[REASONS.length];
    private int sender = -1;

    /** An envelope for a cluster of members 0..{@code memberCount - 1}. */
    FrameEnvelope(final FrameAuthenticator authenticator, final long clusterId, final int selfId, final int memberCount)
    {
        this(authenticator, clusterId, selfId, id -> id < memberCount);
    }

    /** An envelope hearing the ids {@code member} accepts (a node's {@link AddressBook}). */
    FrameEnvelope(final FrameAuthenticator authenticator, final long clusterId, final int selfId,
        final java.util.function.IntPredicate member)
    {
        this.authenticator = authenticator;
        this.clusterId = clusterId;
        this.selfId = selfId;
        this.member = member;
        this.tagLength = authenticator.tagLength();
        if (tagLength < 8 || tagLength > 64)
        {
            throw new IllegalArgumentException("a frame authenticator's tag must be 8..64 bytes: " + tagLength);
        }
    }

    /** Bytes an envelope adds to a frame. */
    int overhead()
    {
        return PREFIX_LENGTH + tagLength;
    }

    /**
     * Seals the SBE frame of {@code frameLength} bytes at {@link #PREFIX_LENGTH} of {@code buffer}: writes the prefix
     * in front and the tag behind it. Returns the length of the whole envelope, from offset 0.
     */
    int seal(final MutableDirectBuffer buffer, final int frameLength)
    {
        buffer.putLong(CLUSTER_ID_OFFSET, clusterId, ORDER);
        buffer.putInt(SENDER_OFFSET, selfId, ORDER);
        final int signed = PREFIX_LENGTH + frameLength;
        authenticator.sign(buffer, 0, signed, signed);
        return signed + tagLength;
    }

    /**
     * Checks a received envelope; on {@link #OK} the SBE frame is {@link #frameLength} bytes at
     * {@code offset + PREFIX_LENGTH} and {@link #sender()} the member that sent it. Other verdicts are counted.
     */
    int open(final DirectBuffer buffer, final int offset, final int length)
    {
        final int verdict = check(buffer, offset, length);
        if (verdict != OK)
        {
            drops[verdict]++;
        }
        return verdict;
    }

    private int check(final DirectBuffer buffer, final int offset, final int length)
    {
        sender = -1;
        if (length < PREFIX_LENGTH + tagLength + 1 || offset < 0 || offset > buffer.capacity() - length)
        {
            return TRUNCATED;
        }
        if (buffer.getLong(offset + CLUSTER_ID_OFFSET, ORDER) != clusterId)
        {
            return WRONG_CLUSTER;
        }
        final int from = buffer.getInt(offset + SENDER_OFFSET, ORDER);
        if (from < 0 || from == selfId || !member.test(from))
        {
            return NOT_MEMBER; // a node sends nothing to itself: its own id from outside is no member's frame
        }
        final int signed = length - tagLength;
        if (!authenticator.verify(buffer, offset, signed, offset + signed))
        {
            return BAD_MAC;
        }
        sender = from;
        return OK;
    }

    /** The SBE frame's length in an envelope of {@code length} bytes. */
    int frameLength(final int length)
    {
        return length - PREFIX_LENGTH - tagLength;
    }

    /** The sender of the last envelope found {@link #OK}; -1 after any other verdict. */
    int sender()
    {
        return sender;
    }

    /** Counts a frame whose SBE {@code fromNodeId} is not the envelope's sender (the adapter finds it). */
    void senderMismatch()
    {
        drops[SENDER_MISMATCH]++;
    }

    /** Frames dropped for {@code reason} (a verdict other than OK). */
    long drops(final int reason)
    {
        return drops[reason];
    }
}
