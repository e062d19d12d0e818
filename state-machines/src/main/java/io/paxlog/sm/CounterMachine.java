package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Named 64-bit counters: add, get and compare-and-set. Commands and results are small big-endian records built
 * with the static helpers here (used by clients). Counters start at 0.
 *
 * <p>Command: {@code op(1) nameLength(2) name(UTF-8) a(8) b(8)}. Results: ADD and GET give the value (8 bytes);
 * CAS gives {@code success(1) value(8)}, the value after the operation. A malformed command changes nothing and
 * gives an empty result.
 *
 * <p>Counters live in an open-addressing table keyed by the name's bytes, so applying a command to an existing
 * counter allocates nothing; only a new name allocates (its key, and the table when it grows).
 */
public final class CounterMachine implements StateMachine
{
    public static final byte OP_ADD = 1;
    public static final byte OP_GET = 2;
    public static final byte OP_CAS = 3;
    public static final int NAME_LENGTH_MAX = 256;
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private byte[][] names = new byte[64][];
    private long[] hashes = new long[64];
    private long[] values = new long[64];
    private int size;

    public int apply(final long slot, final long leaderTimestampNs, final DirectBuffer command, final int offset,
        final int length, final MutableDirectBuffer result)
    {
        return execute(command, offset, length, result, true);
    }

    public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
    {
        return execute(query, offset, length, result, false);
    }

    private int execute(final DirectBuffer cmd, final int offset, final int length, final MutableDirectBuffer result,
        final boolean mutate)
    {
        if (length < 3)
        {
            return 0;
        }
        final byte op = cmd.getByte(offset);
        final int nameLength = cmd.getShort(offset + 1, ORDER) & 0xFFFF;
        if (nameLength == 0 || nameLength > NAME_LENGTH_MAX || length != 3 + nameLength + 16)
        {
            return 0;
        }
        final int nameOffset = offset + 3;
        final long a = cmd.getLong(nameOffset + nameLength, ORDER);
        final long b = cmd.getLong(nameOffset + nameLength + 8, ORDER);
        final int index = find(cmd, nameOffset, nameLength);
        final long current = index >= 0 ? values[index] : 0;
        switch (op)
        {
            case OP_ADD:
                if (!mutate)
                {
                    return 0;
                }
                store(index, cmd, nameOffset, nameLength, current + a);
                result.putLong(0, current + a, ORDER);
                return 8;
            case OP_GET:
                result.putLong(0, current, ORDER);
                return 8;
            case OP_CAS:
                if (!mutate)
                {
                    return 0;
                }
                final boolean swap = current == a;
                if (swap)
                {
                    store(index, cmd, nameOffset, nameLength, b);
                }
                result.putByte(0, (byte)(swap ? 1 : 0));
                result.putLong(1, swap ? b : current, ORDER);
                return 9;
            default:
                return 0;
        }
    }

    /** The slot of the name in the table, or {@code -(insertion point) - 1} if absent. */
    private int find(final DirectBuffer cmd, final int nameOffset, final int nameLength)
    {
        final long hash = hash(cmd, nameOffset, nameLength);
        final int mask = names.length - 1;
        int i = (int)(hash ^ (hash >>> 32)) & mask;
        while (names[i] != null)
        {
            if (hashes[i] == hash && equal(names[i], cmd, nameOffset, nameLength))
            {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -i - 1;
    }

    private void store(final int index, final DirectBuffer cmd, final int nameOffset, final int nameLength,
        final long value)
    {
        if (index >= 0)
        {
            values[index] = value;
            return;
        }
        final byte[] name = new byte[nameLength];
        cmd.getBytes(nameOffset, name);
        final int i = -index - 1;
        names[i] = name;
        hashes[i] = hash(cmd, nameOffset, nameLength);
        values[i] = value;
        if (++size * 2 > names.length)
        {
            grow();
        }
    }

    private void grow()
    {
        final byte[][] oldNames = names;
        final long[] oldHashes = hashes;
        final long[] oldValues = values;
        names = new byte[oldNames.length * 2][];
        hashes = new long[names.length];
        values = new long[names.length];
        final int mask = names.length - 1;
        for (int k = 0; k < oldNames.length; k++)
        {
            if (oldNames[k] != null)
            {
                int i = (int)(oldHashes[k] ^ (oldHashes[k] >>> 32)) & mask;
                while (names[i] != null)
                {
                    i = (i + 1) & mask;
                }
                names[i] = oldNames[k];
                hashes[i] = oldHashes[k];
                values[i] = oldValues[k];
            }
        }
    }

    private static long hash(final DirectBuffer b, final int offset, final int length)
    {
        long h = 0xcbf29ce484222325L;
        for (int k = 0; k < length; k++)
        {
            h = (h ^ (b.getByte(offset + k) & 0xFF)) * 0x100000001b3L;
        }
        return h;
    }

    private static boolean equal(final byte[] name, final DirectBuffer b, final int offset, final int length)
    {
        if (name.length != length)
        {
            return false;
        }
        for (int k = 0; k < length; k++)
        {
            if (name[k] != b.getByte(offset + k))
            {
                return false;
            }
        }
        return true;
    }

    /** The value of a counter (0 if never written); for tests and tools. */
    public long valueOf(final String name)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < names.length; i++)
        {
            if (names[i] != null && Arrays.equals(names[i], n))
            {
                return values[i];
            }
        }
        return 0;
    }

    /** A digest of every counter in name order, for comparing replicas. */
    public String digest()
    {
        final TreeMap<String, Long> sorted = new TreeMap<>();
        for (int i = 0; i < names.length; i++)
        {
            if (names[i] != null)
            {
                sorted.put(new String(names[i], StandardCharsets.UTF_8), values[i]);
            }
        }
        return sorted.toString();
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
}
