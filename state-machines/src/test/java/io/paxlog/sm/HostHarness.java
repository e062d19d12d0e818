package io.paxlog.sm;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Drives a {@link StateMachineHost} as a log would: consecutive slots, a settable log time, open sessions. */
final class HostHarness
{
    record Deferred(long sessionId, long sequence, long slot, byte[] result) { }

    final List<Deferred> deferred = new ArrayList<>();
    final StateMachineHost host;
    long slot;
    long timeNs = 1_000_000_000L;
    int lastOutcome;

    HostHarness(final StateMachine... machines)
    {
        host = new StateMachineHost((s, q, sl, r, o, l) -> deferred.add(new Deferred(s, q, sl, copy(r, o, l))),
            machines);
    }

    private static byte[] copy(final org.agrona.DirectBuffer b, final int o, final int l)
    {
        final byte[] a = new byte[l];
        b.getBytes(o, a);
        return a;
    }

    void open(final long sessionId, final long ttlMs)
    {
        open(sessionId, ttlMs, StateMachineHost.SESSION_WINDOW_UNSTATED);
    }

    void open(final long sessionId, final long ttlMs, final int window)
    {
        event(sessionId, StateMachineHost.openEvent(ttlMs, window));
    }

    void close(final long sessionId)
    {
        event(sessionId, StateMachineHost.closeEvent());
    }

    void tick()
    {
        event(0, StateMachineHost.tickEvent());
    }

    void event(final long sessionId, final byte[] payload)
    {
        lastOutcome = host.apply(++slot, timeNs, sessionId, 0, new UnsafeBuffer(payload), 0, payload.length);
    }

    /** Applies a command; returns its immediate result (empty if pending or refused). */
    byte[] apply(final long sessionId, final long sequence, final byte[] command)
    {
        lastOutcome = host.apply(++slot, timeNs, sessionId, sequence, new UnsafeBuffer(command), 0, command.length);
        return Arrays.copyOf(host.result().byteArray(), host.resultLength());
    }

    byte[] query(final byte[] query)
    {
        host.query(new UnsafeBuffer(query), 0, query.length);
        return Arrays.copyOf(host.result().byteArray(), host.resultLength());
    }
}
