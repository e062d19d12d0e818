package io.paxlog.node;

import io.paxlog.sm.ApplyContext;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A node's wrapper around one hosted state machine ({@link PaxlogNode} wraps each): every call passes through, and
 * an exception escaping a call that changes or writes the machine's state (apply, session open and close, timers,
 * snapshot, restore) comes out as a {@link StateMachineException} naming the machine, the call and the slot, which
 * stops the node ({@link FailStop}); but for a restore of a snapshot sent by a peer, which {@code SnapshotTransfer}
 * refuses, restoring the machines' previous state (a failure of that rollback stops the node). An {@link Error}
 * passes unchanged (it stops the node too). A query's exceptions pass unchanged: a query changes nothing, and it
 * answers one client, whose malformed query must not stop a member (the host answers it REJECTED).
 *
 * <p>Costs nothing on the steady-state path (a try block and one more call); allocates only on a failure. Threading
 * and determinism are the machine's ({@link StateMachine}).
 */
final class GuardedMachine implements StateMachine
{
    private final StateMachine machine;
    private final int machineId;

    private GuardedMachine(final StateMachine machine, final int machineId)
    {
        this.machine = machine;
        this.machineId = machineId;
    }

    /** Each of {@code machines} wrapped, by machine id (its position). */
    static StateMachine[] guard(final StateMachine... machines)
    {
        final StateMachine[] guarded = new StateMachine[machines.length];
        for (int i = 0; i < machines.length; i++)
        {
            guarded[i] = new GuardedMachine(machines[i], i);
        }
        return guarded;
    }

    private StateMachineException failed(final String call, final long slot, final Exception ex)
    {
        return new StateMachineException(machineId, machine.getClass().getName(), call, slot, ex);
    }

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
    {
        try
        {
            return machine.apply(ctx, command, offset, length, result);
        }
        catch (final Exception ex)
        {
            throw failed("apply", ctx.slot(), ex);
        }
    }

    public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
    {
        return machine.query(query, offset, length, result);
    }

    public void onSessionOpened(final ApplyContext ctx, final long sessionId)
    {
        try
        {
            machine.onSessionOpened(ctx, sessionId);
        }
        catch (final Exception ex)
        {
            throw failed("onSessionOpened", ctx.slot(), ex);
        }
    }

    public void onSessionClosed(final ApplyContext ctx, final long sessionId)
    {
        try
        {
            machine.onSessionClosed(ctx, sessionId);
        }
        catch (final Exception ex)
        {
            throw failed("onSessionClosed", ctx.slot(), ex);
        }
    }

    public void onTimer(final ApplyContext ctx, final long timerId)
    {
        try
        {
            machine.onTimer(ctx, timerId);
        }
        catch (final Exception ex)
        {
            throw failed("onTimer", ctx.slot(), ex);
        }
    }

    public void snapshot(final SnapshotWriter writer)
    {
        try
        {
            machine.snapshot(writer);
        }
        catch (final Exception ex)
        {
            throw failed("snapshot", 0, ex);
        }
    }

    public void restore(final SnapshotReader reader)
    {
        try
        {
            machine.restore(reader);
        }
        catch (final Exception ex)
        {
            throw failed("restore", 0, ex);
        }
    }
}
