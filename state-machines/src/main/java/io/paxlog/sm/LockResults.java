package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The layout of the {@link LockTable}'s results; clients read them with the public methods. {@code status(1)
 * token(8)} ({@link LockTable#RESULT_LENGTH} bytes) for acquire, release and check, {@code status(1) token(8)
 * holderSession(8)} ({@link LockTable#HOLDER_RESULT_LENGTH} bytes) for holder; big-endian. An empty result (a
 * malformed command, or one the host refused) has status {@link LockTable#NO_STATUS}. Each reader comes in two
 * forms: a byte array (a blocking call's result) and a buffer range (a {@code ResponseListener}'s), the latter
 * allocating nothing. The lock table writes them with {@link #write} and {@link #writeHolder}.
 *
 * <p>Threading: stateless; any thread.
 */
public final class LockResults
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private LockResults()
    {
    }

    /** The status of a result, or {@link LockTable#NO_STATUS} if it is empty. */
    public static int status(final byte[] result)
    {
        return result.length == 0 ? LockTable.NO_STATUS : result[0] & 0xFF;
    }

    public static int status(final DirectBuffer result, final int offset, final int length)
    {
        return length < 1 ? LockTable.NO_STATUS : result.getByte(offset) & 0xFF;
    }

    /** The fencing token of a result (0 if it has none). */
    public static long token(final byte[] result)
    {
        return result.length < LockTable.RESULT_LENGTH ? 0 : ByteBuffer.wrap(result).order(ORDER).getLong(1);
    }

    public static long token(final DirectBuffer result, final int offset, final int length)
    {
        return length < LockTable.RESULT_LENGTH ? 0 : result.getLong(offset + 1, ORDER);
    }

    /** The holder session of a holder result (0 if none). */
    public static long holderSession(final byte[] result)
    {
        return result.length < LockTable.HOLDER_RESULT_LENGTH ? 0 : ByteBuffer.wrap(result).order(ORDER).getLong(9);
    }

    public static long holderSession(final DirectBuffer result, final int offset, final int length)
    {
        return length < LockTable.HOLDER_RESULT_LENGTH ? 0 : result.getLong(offset + 9, ORDER);
    }

    /** A status's name, for tools and logs. */
    public static String statusName(final int status)
    {
        switch (status)
        {
            case LockTable.NO_STATUS: return "NO_STATUS";
            case LockTable.GRANTED: return "GRANTED";
            case LockTable.NOT_GRANTED: return "NOT_GRANTED";
            case LockTable.TIMED_OUT: return "TIMED_OUT";
            case LockTable.RELEASED: return "RELEASED";
            case LockTable.NOT_HOLDER: return "NOT_HOLDER";
            case LockTable.CURRENT: return "CURRENT";
            case LockTable.STALE: return "STALE";
            case LockTable.HELD: return "HELD";
            case LockTable.FREE: return "FREE";
            case LockTable.DELAYED: return "DELAYED";
            case LockTable.REJECTED: return "REJECTED";
            default: return "STATUS_" + status;
        }
    }

    /** Machine side: writes {@code status(1) token(8)} at offset 0; returns {@link LockTable#RESULT_LENGTH}. */
    static int write(final MutableDirectBuffer result, final int status, final long token)
    {
        result.putByte(0, (byte)status);
        result.putLong(1, token, ORDER);
        return LockTable.RESULT_LENGTH;
    }

    /**
     * Machine side: writes {@code status(1) token(8) holderSession(8)} at offset 0; returns
     * {@link LockTable#HOLDER_RESULT_LENGTH}.
     */
    static int writeHolder(final MutableDirectBuffer result, final int status, final long token,
        final long holderSession)
    {
        result.putByte(0, (byte)status);
        result.putLong(1, token, ORDER);
        result.putLong(9, holderSession, ORDER);
        return LockTable.HOLDER_RESULT_LENGTH;
    }
}
