package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The planted bug {@code lock-double-grant}, a deliberately wrong lock machine that exists only so the checkers
 * can show they catch a broken machine: the real {@link LockTable}, except that a try-lock refused because
 * someone holds the lock is answered GRANTED (with the entry's slot as token). Deterministic, so replicas agree;
 * only the simulator's lock checks (and the fault campaign's) can see that two sessions now believe they hold one
 * lock. Never host it otherwise: the simulator hosts it under {@code --plant lock-double-grant} and a real node
 * started with {@code paxlog.plant=lock-double-grant} in place of the lock table ({@link Machines#LOCKS}). Here,
 * beside the lock table, so that both may use it without the node depending on the simulator.
 */
public final class DoubleGrantingLocks implements StateMachine
{
    private final LockTable table = new LockTable();

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
    {
        final int n = table.apply(ctx, command, offset, length, result);
        if (n == LockTable.RESULT_LENGTH && command.getByte(offset) == LockTable.OP_ACQUIRE &&
            result.getByte(0) == LockTable.NOT_GRANTED)
        {
            result.putByte(0, (byte)LockTable.GRANTED);
            result.putLong(1, ctx.slot(), ByteOrder.BIG_ENDIAN);
        }
        return n;
    }

    public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
    {
        return table.query(query, offset, length, result);
    }

    public void onSessionOpened(final ApplyContext ctx, final long sessionId)
    {
        table.onSessionOpened(ctx, sessionId);
    }

    public void onSessionClosed(final ApplyContext ctx, final long sessionId)
    {
        table.onSessionClosed(ctx, sessionId);
    }

    public void onTimer(final ApplyContext ctx, final long timerId)
    {
        table.onTimer(ctx, timerId);
    }

    public void snapshot(final SnapshotWriter writer)
    {
        table.snapshot(writer);
    }

    public void restore(final SnapshotReader reader)
    {
        table.restore(reader);
    }
}
