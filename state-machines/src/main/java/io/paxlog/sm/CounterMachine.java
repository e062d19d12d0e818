package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Named 64-bit counters: add, get, compare-and-set, and multi-counter transactions. Commands and results are
 * small big-endian records built with the static helpers here (used by clients), which prefix the
 * {@link #MACHINE_ID} byte a {@link StateMachineHost} routes by; the layouts below follow that byte. Counters
 * start at 0.
 *
 * <p>Command: {@code op(1) nameLength(2) name(UTF-8) a(8) b(8)}. Results: ADD and GET give the value (8 bytes);
 * CAS gives {@code success(1) value(8)}, the value after the operation. A malformed command changes nothing and
 * gives an empty result.
 *
 * <p>Transaction ({@link #transaction}): {@code op(1)=TXN guards(1) {name value(8)}* then(1) {kind(1) name
 * value(8)}* else(1) {...}*} with names as {@code length(2) bytes}. If every guard counter equals its value the
 * "then" ops run, otherwise the "else" ops, all in one entry (atomically). Op kinds: ADD, SET. Result:
 * {@code guardsHeld(1)} then the value after each op run (8 bytes each). At most {@link #TXN_ITEMS_MAX} guards
 * and ops per list.
 *
 * <p>Counters live in an open-addressing table keyed by the name's bytes, so applying a command to an existing
 * counter allocates nothing; only a new name allocates (its key, and the table when it grows).
 */
public final class CounterMachine implements StateMachine
{
    /** The id the static command helpers address: hosts place the counters here ({@link Machines#standard()}). */
    public static final int MACHINE_ID = Machines.COUNTERS;
    public static final byte OP_ADD = 1;
    public static final byte OP_GET = 2;
    public static final byte OP_CAS = 3;
    public static final byte OP_TXN = 4;
    public static final byte TXN_ADD = 1;
    public static final byte TXN_SET = 2;
    public static final int TXN_ITEMS_MAX = 64;
    /** The most distinct counters; a command creating one more changes nothing and gives an empty result. */
    public static final int COUNTERS_MAX = 1 << 20;
    public static final int NAME_LENGTH_MAX = 256;
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private byte[][] names = new byte[64][];
    private long[] hashes = new long[64];
    private long[] values = new long[64];
    private int size;

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
    {
        if (length >= 1 && command.getByte(offset) == OP_TXN)
        {
            return transact(command, offset, length, result);
        }
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
        if (mutate && size >= COUNTERS_MAX && op != OP_GET && find(cmd, nameOffset, nameLength) < 0)
        {
            return 0;
        }
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

    /**
     * Validates the whole transaction first (so a malformed one changes nothing), then evaluates the guards and
     * runs one list of ops.
     */
    private int transact(final DirectBuffer cmd, final int offset, final int length, final MutableDirectBuffer result)
    {
        final int end = offset + length;
        int p = offset + 1;
        final int guards = p < end ? cmd.getByte(p++) & 0xFF : -1;
        if (guards < 0 || guards > TXN_ITEMS_MAX)
        {
            return 0;
        }
        final int guardsStart = p;
        for (int g = 0; g < guards; g++)
        {
            p = skipItem(cmd, p, end, false);
            if (p < 0)
            {
                return 0;
            }
        }
        final int thenCount = p < end ? cmd.getByte(p++) & 0xFF : -1;
        final int thenStart = p;
        if (thenCount < 0 || thenCount > TXN_ITEMS_MAX)
        {
            return 0;
        }
        for (int k = 0; k < thenCount; k++)
        {
            p = skipItem(cmd, p, end, true);
            if (p < 0)
            {
                return 0;
            }
        }
        final int elseCount = p < end ? cmd.getByte(p++) & 0xFF : -1;
        final int elseStart = p;
        if (elseCount < 0 || elseCount > TXN_ITEMS_MAX)
        {
            return 0;
        }
        for (int k = 0; k < elseCount; k++)
        {
            p = skipItem(cmd, p, end, true);
            if (p < 0)
            {
                return 0;
            }
        }
        if (p != end)
        {
            return 0;
        }
        boolean held = true;
        p = guardsStart;
        for (int g = 0; g < guards; g++)
        {
            final int nameLength = cmd.getShort(p, ORDER) & 0xFFFF;
            final int index = find(cmd, p + 2, nameLength);
            final long expected = cmd.getLong(p + 2 + nameLength, ORDER);
            held &= (index >= 0 ? values[index] : 0) == expected;
            p += 2 + nameLength + 8;
        }
        final int count = held ? thenCount : elseCount;
        if (size + count > COUNTERS_MAX)
        {
            return 0;
        }
        p = held ? thenStart : elseStart;
        result.putByte(0, (byte)(held ? 1 : 0));
        for (int k = 0; k < count; k++)
        {
            final byte kind = cmd.getByte(p);
            final int nameLength = cmd.getShort(p + 1, ORDER) & 0xFFFF;
            final int nameOffset = p + 3;
            final long value = cmd.getLong(nameOffset + nameLength, ORDER);
            final int index = find(cmd, nameOffset, nameLength);
            final long after = kind == TXN_ADD ? (index >= 0 ? values[index] : 0) + value : value;
            store(index, cmd, nameOffset, nameLength, after);
            result.putLong(1 + 8 * k, after, ORDER);
            p = nameOffset + nameLength + 8;
        }
        return 1 + 8 * count;
    }

    /** Checks one guard ({@code name value}) or op ({@code kind name value}); returns the next offset or -1. */
    private static int skipItem(final DirectBuffer cmd, final int p, final int end, final boolean op)
    {
        int q = p;
        if (op)
        {
            if (q >= end)
            {
                return -1;
            }
            final byte kind = cmd.getByte(q++);
            if (kind != TXN_ADD && kind != TXN_SET)
            {
                return -1;
            }
        }
        if (q + 2 > end)
        {
            return -1;
        }
        final int nameLength = cmd.getShort(q, ORDER) & 0xFFFF;
        if (nameLength == 0 || nameLength > NAME_LENGTH_MAX || q + 2 + nameLength + 8 > end)
        {
            return -1;
        }
        return q + 2 + nameLength + 8;
    }

    public void snapshot(final SnapshotWriter writer)
    {
        final Integer[] order = new Integer[size];
        int n = 0;
        for (int i = 0; i < names.length; i++)
        {
            if (names[i] != null)
            {
                order[n++] = i;
            }
        }
        Arrays.sort(order, (x, y) -> Arrays.compareUnsigned(names[x], names[y]));
        writer.writeInt(size);
        for (final int i : order)
        {
            writer.writeBytes(names[i]).writeLong(values[i]);
        }
    }

    public void restore(final SnapshotReader reader)
    {
        names = new byte[64][];
        hashes = new long[64];
        values = new long[64];
        size = 0;
        final int count = reader.readInt();
        final org.agrona.concurrent.UnsafeBuffer name = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);
        for (int k = 0; k < count; k++)
        {
            final byte[] bytes = reader.readBytes();
            name.wrap(bytes);
            store(find(name, 0, bytes.length), name, 0, bytes.length, reader.readLong());
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
        return ByteBuffer.allocate(1 + 3 + n.length + 16).put((byte)MACHINE_ID).put(op).putShort((short)n.length).put(n)
            .putLong(a).putLong(b).array();
    }

    /** Starts a transaction: add guards, then ops, then else-ops, and {@link Txn#build()}. */
    public static Txn transaction()
    {
        return new Txn();
    }

    /** Builds a transaction command (client side; allocates). */
    public static final class Txn
    {
        private final java.io.ByteArrayOutputStream guards = new java.io.ByteArrayOutputStream();
        private final java.io.ByteArrayOutputStream then = new java.io.ByteArrayOutputStream();
        private final java.io.ByteArrayOutputStream otherwise = new java.io.ByteArrayOutputStream();
        private int guardCount;
        private int thenCount;
        private int elseCount;

        /** Guard: counter {@code name} equals {@code value}. */
        public Txn ifEquals(final String name, final long value)
        {
            item(guards, (byte)0, name, value);
            guardCount++;
            return this;
        }

        public Txn thenAdd(final String name, final long delta)
        {
            item(then, TXN_ADD, name, delta);
            thenCount++;
            return this;
        }

        public Txn thenSet(final String name, final long value)
        {
            item(then, TXN_SET, name, value);
            thenCount++;
            return this;
        }

        public Txn elseAdd(final String name, final long delta)
        {
            item(otherwise, TXN_ADD, name, delta);
            elseCount++;
            return this;
        }

        public Txn elseSet(final String name, final long value)
        {
            item(otherwise, TXN_SET, name, value);
            elseCount++;
            return this;
        }

        public byte[] build()
        {
            if (guardCount > TXN_ITEMS_MAX || thenCount > TXN_ITEMS_MAX || elseCount > TXN_ITEMS_MAX)
            {
                throw new IllegalArgumentException("a transaction holds at most " + TXN_ITEMS_MAX + " guards and ops per list");
            }
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(MACHINE_ID);
            out.write(OP_TXN);
            out.write(guardCount);
            out.writeBytes(guards.toByteArray());
            out.write(thenCount);
            out.writeBytes(then.toByteArray());
            out.write(elseCount);
            out.writeBytes(otherwise.toByteArray());
            return out.toByteArray();
        }

        private static void item(final java.io.ByteArrayOutputStream out, final byte kind, final String name,
            final long value)
        {
            final byte[] n = name.getBytes(StandardCharsets.UTF_8);
            if (n.length == 0 || n.length > NAME_LENGTH_MAX)
            {
                throw new IllegalArgumentException("counter name must be 1.." + NAME_LENGTH_MAX + " bytes");
            }
            final ByteBuffer b = ByteBuffer.allocate((kind == 0 ? 0 : 1) + 2 + n.length + 8);
            if (kind != 0)
            {
                b.put(kind);
            }
            b.putShort((short)n.length).put(n).putLong(value);
            out.writeBytes(b.array());
        }
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
