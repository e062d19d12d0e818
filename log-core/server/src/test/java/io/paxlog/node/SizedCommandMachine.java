package io.paxlog.node;

import io.paxlog.sm.ApplyContext;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A test machine for commands of any size: each command is an 8-byte id followed by any number of filler bytes.
 * It counts the commands it applied, sums their ids, checks the filler (byte {@code i} of the command is
 * {@code (id + i)} as a byte) and counts ids it saw before (a command applied twice) in a bit set of ids below
 * {@link #IDS_MAX}. A query answers {@code count, idSum, duplicates, badFiller} (four longs). Deterministic.
 */
public final class SizedCommandMachine implements StateMachine
{
    /** Ids are below this (the bit set's size). */
    public static final int IDS_MAX = 1 << 22;

    private final long[] seen = new long[IDS_MAX / 64];
    private long count;
    private long idSum;
    private long duplicates;
    private long badFiller;

    /**
     * The command of {@code id} for machine id 0 (the only machine), {@code length} bytes in all with the machine id
     * byte (at least 9), into {@code buffer} from 0. Returns {@code length}.
     */
    public static int encode(final MutableDirectBuffer buffer, final long id, final int length)
    {
        buffer.putByte(0, (byte)0);
        buffer.putLong(1, id);
        for (int i = 8; i < length - 1; i++)
        {
            buffer.putByte(1 + i, (byte)(id + i));
        }
        return length;
    }

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
    {
        if (length < 8)
        {
            badFiller++;
            return 0;
        }
        final long id = command.getLong(offset);
        for (int i = 8; i < length; i += 997)
        {
            if (command.getByte(offset + i) != (byte)(id + i))
            {
                badFiller++;
                break;
            }
        }
        if (id >= 0 && id < IDS_MAX)
        {
            final int word = (int)(id >>> 6);
            final long bit = 1L << id;
            if ((seen[word] & bit) != 0)
            {
                duplicates++;
            }
            seen[word] |= bit;
        }
        count++;
        idSum += id;
        result.putLong(0, count);
        return 8;
    }

    public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
    {
        result.putLong(0, count);
        result.putLong(8, idSum);
        result.putLong(16, duplicates);
        result.putLong(24, badFiller);
        return 32;
    }

    public void snapshot(final SnapshotWriter writer)
    {
        writer.writeLong(count);
        writer.writeLong(idSum);
        writer.writeLong(duplicates);
        writer.writeLong(badFiller);
        for (final long w : seen)
        {
            writer.writeLong(w);
        }
    }

    public void restore(final SnapshotReader reader)
    {
        count = reader.readLong();
        idSum = reader.readLong();
        duplicates = reader.readLong();
        badFiller = reader.readLong();
        for (int i = 0; i < seen.length; i++)
        {
            seen[i] = reader.readLong();
        }
    }
}
