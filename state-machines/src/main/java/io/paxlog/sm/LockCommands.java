package io.paxlog.sm;

import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The layout of the {@link LockTable}'s commands. Clients build commands and queries with the public methods:
 * each is a new byte array holding the
 * {@link LockTable#MACHINE_ID} byte a {@link StateMachineHost} routes by, then {@code op(1) nameLength(2)
 * name(UTF-8, 1..256 bytes)} and, by op, {@code timeoutMs(8)} ({@link #acquire}, {@link #tryAcquire}), nothing
 * ({@link #release}, {@link #holder}) or {@code token(8)} ({@link #check}); big-endian. {@link #check} and
 * {@link #holder} may be sent as queries or through the log. Read the answers with {@link LockResults}. The lock
 * table checks what arrives with {@link #nameLength}, the same layout read back.
 *
 * <p>Threading: stateless; any thread. Every builder allocates its array; the check allocates nothing.
 */
public final class LockCommands
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private LockCommands()
    {
    }

    /**
     * Acquires {@code name}, waiting up to {@code timeoutMs} of log time behind earlier requests if another
     * session holds it (0: answer at once, see {@link #tryAcquire}).
     */
    public static byte[] acquire(final String name, final long timeoutMs)
    {
        if (timeoutMs < 0)
        {
            throw new IllegalArgumentException("timeout must be >= 0 ms: " + timeoutMs);
        }
        return command(LockTable.OP_ACQUIRE, name, true, timeoutMs);
    }

    /** Acquires {@code name} only if it is free now: {@link LockTable#GRANTED} or {@link LockTable#NOT_GRANTED}. */
    public static byte[] tryAcquire(final String name)
    {
        return acquire(name, 0);
    }

    public static byte[] release(final String name)
    {
        return command(LockTable.OP_RELEASE, name, false, 0);
    }

    /**
     * Whether {@code token} is the current holder's fencing token: {@link LockTable#CURRENT} or
     * {@link LockTable#STALE}.
     */
    public static byte[] check(final String name, final long token)
    {
        return command(LockTable.OP_CHECK, name, true, token);
    }

    /**
     * Who holds {@code name}: {@link LockTable#HELD}, {@link LockTable#DELAYED} or {@link LockTable#FREE}, with
     * token and session.
     */
    public static byte[] holder(final String name)
    {
        return command(LockTable.OP_HOLDER, name, false, 0);
    }

    private static byte[] command(final byte op, final String name, final boolean withArg, final long arg)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > LockTable.NAME_LENGTH_MAX)
        {
            throw new IllegalArgumentException("lock name must be 1.." + LockTable.NAME_LENGTH_MAX + " bytes of UTF-8");
        }
        final ByteBuffer b = ByteBuffer.allocate(1 + 3 + n.length + (withArg ? 8 : 0)).order(ORDER);
        b.put((byte)LockTable.MACHINE_ID).put(op).putShort((short)n.length).put(n);
        if (withArg)
        {
            b.putLong(arg);
        }
        return b.array();
    }

    /**
     * Machine side: validates the framing of a command or query (from its op byte, after the machine id);
     * returns the name length (the name starts 3 bytes after {@code offset}), or -1 if it is malformed.
     */
    static int nameLength(final DirectBuffer cmd, final int offset, final int length)
    {
        if (length < 3)
        {
            return -1;
        }
        final byte op = cmd.getByte(offset);
        if (op < LockTable.OP_ACQUIRE || op > LockTable.OP_HOLDER)
        {
            return -1;
        }
        final int nameLength = cmd.getShort(offset + 1, ORDER) & 0xFFFF;
        final int argLength = op == LockTable.OP_ACQUIRE || op == LockTable.OP_CHECK ? 8 : 0;
        if (nameLength == 0 || nameLength > LockTable.NAME_LENGTH_MAX || length != 3 + nameLength + argLength)
        {
            return -1;
        }
        return nameLength;
    }
}
