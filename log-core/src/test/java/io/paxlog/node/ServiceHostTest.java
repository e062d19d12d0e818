package io.paxlog.node;

import io.paxlog.core.Entry;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceHostTest
{
    private static final long T0 = 1_700_000_000_000_000_000L;

    private static Entry add(final long session, final long seq, final long tsNs)
    {
        return Entry.command(session, seq, tsNs, CounterMachine.add("x", 1));
    }

    @Test
    void pipelinedAndRetriedCommandsApplyOnceWithinTheWindow()
    {
        final CounterMachine machine = new CounterMachine();
        final ServiceHost host = new ServiceHost(machine);
        long slot = 0;
        for (long seq = 1; seq <= 100; seq += 2)
        {
            assertEquals(ServiceHost.APPLIED, host.apply(++slot, add(9, seq, T0)));
        }
        for (long seq = 2; seq <= 100; seq += 2)
        {
            assertEquals(ServiceHost.APPLIED, host.apply(++slot, add(9, seq, T0)), "out-of-order seq " + seq);
        }
        for (long seq = 1; seq <= 100; seq++)
        {
            assertEquals(ServiceHost.DUPLICATE, host.apply(++slot, add(9, seq, T0)), "retry of " + seq);
            assertEquals(ServiceHost.DUPLICATE, host.lookup(9, seq));
        }
        assertEquals(100, machine.valueOf("x"));
        assertEquals(ServiceHost.APPLIED, host.apply(++slot, add(9, 100 + ServiceHost.SESSION_WINDOW, T0)));
        assertEquals(ServiceHost.TOO_OLD, host.apply(++slot, add(9, 100, T0)));
        assertEquals(ServiceHost.TOO_OLD, host.lookup(9, 100));
        assertEquals(ServiceHost.DUPLICATE, host.lookup(9, 100 + ServiceHost.SESSION_WINDOW));
        assertEquals(ServiceHost.UNKNOWN, host.lookup(9, 101), "in the window, never applied");
        assertEquals(ServiceHost.UNKNOWN, host.lookup(9, 101 + ServiceHost.SESSION_WINDOW));
        assertEquals(101, machine.valueOf("x"));
    }

    @Test
    void idleSessionsAreForgottenAfterRetentionOfLogTime()
    {
        final ServiceHost host = new ServiceHost(new CounterMachine());
        host.apply(1, add(1, 1, T0));
        host.apply(2, add(2, 1, T0 + ServiceHost.SESSION_RETENTION_NS / 2));
        assertEquals(2, host.sessionCount());
        host.apply(3, add(2, 2, T0 + ServiceHost.SESSION_RETENTION_NS + 2_000_000_000L));
        assertEquals(1, host.sessionCount());
        assertEquals(ServiceHost.UNKNOWN, host.lookup(1, 1));
        assertEquals(ServiceHost.DUPLICATE, host.lookup(2, 1));
    }
}
