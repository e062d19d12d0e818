package io.paxlog.bench;

import io.paxlog.sm.ApplyContext;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The benchmark's state machine: answers every command with its own bytes (after the host's machine-id byte) and
 * counts what it applied. Paxlog's equivalent of an echo ClusteredService: the answer comes after commit and
 * apply, so the round trip includes replication. Deterministic, allocation-free.
 */
public final class EchoMachine implements StateMachine
{
    private long applied;

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
    {
        applied++;
        result.putBytes(0, command, offset, length);
        return length;
    }

    public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
    {
        result.putLong(0, applied);
        return 8;
    }

    public void snapshot(final SnapshotWriter writer)
    {
        writer.writeLong(applied);
    }

    public void restore(final SnapshotReader reader)
    {
        applied = reader.readLong();
    }

    public long applied()
    {
        return applied;
    }
}
