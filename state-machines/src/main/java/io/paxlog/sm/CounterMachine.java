package io.paxlog.sm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Named 64-bit counters: add, get and compare-and-set. Commands and results are small binary records built with
 * the static helpers here (used by clients and the node alike). Counters start at 0.
 *
 * <p>Command: {@code op(1) nameLength(2) name(UTF-8) a(8) b(8)}. Results: ADD and GET give the value (8 bytes);
 * CAS gives {@code success(1) value(8)}, the value after the operation. A malformed command changes nothing and
 * gives an empty result.
 */
public final class CounterMachine implements StateMachine
{
    public static final byte OP_ADD = 1;
    public static final byte OP_GET = 2;
    public static final byte OP_CAS = 3;
    public static final int NAME_LENGTH_MAX = 256;

    private final TreeMap<String, Long> counters = new TreeMap<>();

    public byte[] apply(final long slot, final long leaderTimestampNs, final byte[] command)
    {
        return execute(command, true);
    }

    public byte[] query(final byte[] query)
    {
        return execute(query, false);
    }

    private byte[] execute(final byte[] command, final boolean mutate)
    {
        final ByteBuffer in = ByteBuffer.wrap(command);
        if (command.length < 3)
        {
            return new byte[0];
        }
        final byte op = in.get();
        final int nameLength = in.getShort() & 0xFFFF;
        if (nameLength > NAME_LENGTH_MAX || command.length != 3 + nameLength + 16)
        {
            return new byte[0];
        }
        final String name = new String(command, 3, nameLength, StandardCharsets.UTF_8);
        in.position(3 + nameLength);
        final long a = in.getLong();
        final long b = in.getLong();
        final long current = counters.getOrDefault(name, 0L);
        switch (op)
        {
            case OP_ADD:
                if (!mutate)
                {
                    return new byte[0];
                }
                counters.put(name, current + a);
                return value(current + a);
            case OP_GET:
                return value(current);
            case OP_CAS:
                if (!mutate)
                {
                    return new byte[0];
                }
                if (current == a)
                {
                    counters.put(name, b);
                    return ByteBuffer.allocate(9).put((byte)1).putLong(b).array();
                }
                return ByteBuffer.allocate(9).put((byte)0).putLong(current).array();
            default:
                return new byte[0];
        }
    }

    public long valueOf(final String name)
    {
        return counters.getOrDefault(name, 0L);
    }

    /** A digest of every counter, for comparing replicas. */
    public String digest()
    {
        return counters.toString();
    }

    public static byte[] add(final String name, final long delta)
    {
        return command(OP_ADD, name, delta, 0);
    }

    public static byte[] get(final String name)
    {
        return command(OP_GET, name, 0, 0);
    }

    public static byte[] cas(final String name, final long expected, final long newValue)
    {
        return command(OP_CAS, name, expected, newValue);
    }

    private static byte[] command(final byte op, final String name, final long a, final long b)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > NAME_LENGTH_MAX)
        {
            throw new IllegalArgumentException("counter name must be 1.." + NAME_LENGTH_MAX + " bytes");
        }
        return ByteBuffer.allocate(3 + n.length + 16).put(op).putShort((short)n.length).put(n).putLong(a).putLong(b)
            .array();
    }

    /** Reads the value from an ADD or GET result, or the value after a CAS. */
    public static long valueOf(final byte[] result)
    {
        return result.length == 9 ? ByteBuffer.wrap(result).getLong(1) : ByteBuffer.wrap(result).getLong();
    }

    /** True if a CAS result says it succeeded. */
    public static boolean casSucceeded(final byte[] result)
    {
        return result.length == 9 && result[0] == 1;
    }

    private static byte[] value(final long v)
    {
        return ByteBuffer.allocate(8).putLong(v).array();
    }
}
