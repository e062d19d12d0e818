package io.paxlog.sim;

import io.paxlog.check.KvKind;
import io.paxlog.sm.ApplyContext;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulator's register/counter store as a {@link StateMachine} (hosted at {@link #MACHINE_ID} beside the real
 * lock table): keys map to longs; READ, WRITE, CAS and ADD as {@link KvCommand} encodes them. The result is one
 * long: the value read, 0 for a write, 1/0 for a CAS, the value after an ADD. Exactly-once is the host's job.
 */
final class KvMachine implements StateMachine
{
    static final int MACHINE_ID = 0;
    private final TreeMap<Long, Long> values = new TreeMap<>();

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
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
        if (length != KvCommand.LENGTH)
        {
            return 0;
        }
        final KvKind kind = KvKind.values()[cmd.getByte(offset)];
        final long key = cmd.getLong(offset + 1, ByteOrder.BIG_ENDIAN);
        final long arg1 = cmd.getLong(offset + 9, ByteOrder.BIG_ENDIAN);
        final long arg2 = cmd.getLong(offset + 17, ByteOrder.BIG_ENDIAN);
        final long current = read(key);
        long out = 0;
        switch (kind)
        {
            case READ:
                out = current;
                break;
            case WRITE:
                if (mutate)
                {
                    values.put(key, arg1);
                }
                break;
            case CAS:
                if (mutate && current == arg1)
                {
                    values.put(key, arg2);
                    out = 1;
                }
                break;
            case ADD:
                if (mutate)
                {
                    values.put(key, current + arg1);
                }
                out = current + arg1;
                break;
            default:
                throw new IllegalStateException("kind " + kind);
        }
        result.putLong(0, out, ByteOrder.BIG_ENDIAN);
        return 8;
    }

    long read(final long key)
    {
        return values.getOrDefault(key, 0L);
    }

    public void snapshot(final SnapshotWriter writer)
    {
        writer.writeInt(values.size());
        for (final Map.Entry<Long, Long> e : values.entrySet())
        {
            writer.writeLong(e.getKey()).writeLong(e.getValue());
        }
    }

    public void restore(final SnapshotReader reader)
    {
        values.clear();
        final int n = reader.readInt();
        for (int i = 0; i < n; i++)
        {
            values.put(reader.readLong(), reader.readLong());
        }
    }

    /** Reads the long result of a command or query. */
    static long resultOf(final DirectBuffer result, final int length)
    {
        return length == 8 ? result.getLong(0, ByteOrder.BIG_ENDIAN) : 0;
    }
}
