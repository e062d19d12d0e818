package io.paxlog.sm;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterMachineTest
{
    private final CounterMachine m = new CounterMachine();
    private final ExpandableArrayBuffer result = new ExpandableArrayBuffer(64);

    private byte[] apply(final byte[] command)
    {
        final int n = m.apply(1, 0, new UnsafeBuffer(command), 0, command.length, result);
        return Arrays.copyOf(result.byteArray(), n);
    }

    private byte[] query(final byte[] command)
    {
        final int n = m.query(new UnsafeBuffer(command), 0, command.length, result);
        return Arrays.copyOf(result.byteArray(), n);
    }

    @Test
    void addGetAndCompareAndSet()
    {
        assertEquals(5, CounterMachine.valueOf(apply(CounterMachine.add("x", 5))));
        assertEquals(3, CounterMachine.valueOf(apply(CounterMachine.add("x", -2))));
        assertEquals(3, CounterMachine.valueOf(query(CounterMachine.get("x"))));
        final byte[] failed = apply(CounterMachine.cas("x", 4, 10));
        assertFalse(CounterMachine.casSucceeded(failed));
        assertEquals(3, CounterMachine.valueOf(failed));
        final byte[] ok = apply(CounterMachine.cas("x", 3, 10));
        assertTrue(CounterMachine.casSucceeded(ok));
        assertEquals(10, m.valueOf("x"));
        assertEquals(0, m.valueOf("never"));
    }

    @Test
    void manyNamesSurviveTableGrowth()
    {
        for (int i = 0; i < 1000; i++)
        {
            apply(CounterMachine.add("counter-" + i, i));
        }
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(i, m.valueOf("counter-" + i));
            assertEquals(i, CounterMachine.valueOf(query(CounterMachine.get("counter-" + i))));
        }
    }

    @Test
    void malformedCommandsChangeNothing()
    {
        assertEquals(0, apply(new byte[] {1, 0}).length);
        assertEquals(0, apply(new byte[] {9, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).length);
        assertEquals(0, query(CounterMachine.add("x", 1)).length, "queries never mutate");
        assertEquals("{}", m.digest());
    }

    @Test
    void applyingToExistingCountersAllocatesNothing()
    {
        final byte[][] commands = {CounterMachine.add("orders", 1), CounterMachine.cas("fills", 0, 0),
            CounterMachine.get("orders")};
        final UnsafeBuffer[] buffers = {new UnsafeBuffer(commands[0]), new UnsafeBuffer(commands[1]),
            new UnsafeBuffer(commands[2])};
        for (int i = 0; i < 100_000; i++)
        {
            m.apply(i, 0, buffers[i % 3], 0, commands[i % 3].length, result);
        }
        final com.sun.management.ThreadMXBean bean =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++)
        {
            m.apply(i, 0, buffers[i % 3], 0, commands[i % 3].length, result);
        }
        final long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes over 1M commands");
    }
}
