package io.paxlog.sm;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterMachineTest
{
    private final CounterMachine m = new CounterMachine();
    private final HostHarness h = new HostHarness(m);
    private long seq;

    CounterMachineTest()
    {
        h.open(1, 10_000);
    }

    private byte[] apply(final byte[] command)
    {
        return h.apply(1, ++seq, command);
    }

    @Test
    void addGetAndCompareAndSet()
    {
        assertEquals(5, CounterMachine.valueOf(apply(CounterMachine.add("x", 5))));
        assertEquals(3, CounterMachine.valueOf(apply(CounterMachine.add("x", -2))));
        assertEquals(3, CounterMachine.valueOf(h.query(CounterMachine.get("x"))));
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
            assertEquals(i, CounterMachine.valueOf(h.query(CounterMachine.get("counter-" + i))));
        }
    }

    @Test
    void malformedCommandsChangeNothing()
    {
        assertEquals(0, apply(new byte[] {0, 1, 0}).length);
        assertEquals(0, apply(new byte[] {0, 9, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).length);
        assertEquals(0, h.query(CounterMachine.add("x", 1)).length, "queries never mutate");
        final byte[] txn = CounterMachine.transaction().ifEquals("a", 0).thenAdd("b", 1).build();
        for (int cut = 1; cut < txn.length; cut++)
        {
            assertEquals(0, apply(java.util.Arrays.copyOf(txn, cut)).length, "truncated transaction at " + cut);
        }
        assertEquals("{}", m.digest());
        apply(new byte[] {7, 1});
        assertEquals(StateMachineHost.INVALID, h.lastOutcome, "no machine 7");
    }

    @Test
    void transactionRunsThenOrElseAtomically()
    {
        apply(CounterMachine.add("balance", 100));
        final byte[] debit = CounterMachine.transaction().ifEquals("balance", 100).ifEquals("frozen", 0)
            .thenAdd("balance", -30).thenAdd("spent", 30).elseSet("rejected", 1).build();
        final byte[] first = apply(debit);
        assertEquals(17, first.length);
        assertEquals(1, first[0]);
        assertEquals(70, m.valueOf("balance"));
        assertEquals(30, m.valueOf("spent"));
        final byte[] second = apply(debit);
        assertEquals(9, second.length);
        assertEquals(0, second[0], "guard fails now that the balance is 70");
        assertEquals(70, m.valueOf("balance"));
        assertEquals(1, m.valueOf("rejected"));
    }

    @Test
    void snapshotRestoresAnEqualMachine()
    {
        for (int i = 0; i < 300; i++)
        {
            apply(CounterMachine.add("c" + (i % 37), i));
        }
        final SnapshotWriter w = new SnapshotWriter();
        h.host.snapshot(w);
        final CounterMachine copy = new CounterMachine();
        final StateMachineHost restored = new StateMachineHost(ResponseSink.NONE, copy);
        restored.restore(new SnapshotReader(w.buffer(), 0, w.length()));
        assertEquals(m.digest(), copy.digest());
        final SnapshotWriter again = new SnapshotWriter();
        restored.snapshot(again);
        assertArrayEquals(java.util.Arrays.copyOf(w.buffer().byteArray(), w.length()),
            java.util.Arrays.copyOf(again.buffer().byteArray(), again.length()), "snapshots are deterministic");
        assertEquals(StateMachineHost.DUPLICATE, restored.lookup(1, seq), "the session window travels too");
    }

    @Test
    void applyingToExistingCountersAllocatesNothing()
    {
        final byte[][] commands = {CounterMachine.add("orders", 1), CounterMachine.cas("fills", 0, 0),
            CounterMachine.get("orders")};
        final UnsafeBuffer[] buffers = {new UnsafeBuffer(commands[0]), new UnsafeBuffer(commands[1]),
            new UnsafeBuffer(commands[2])};
        long slot = 10;
        for (int i = 0; i < 100_000; i++)
        {
            h.host.apply(++slot, 5, 1, ++seq, buffers[i % 3], 0, commands[i % 3].length);
        }
        final com.sun.management.ThreadMXBean bean =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++)
        {
            h.host.apply(++slot, 5, 1, ++seq, buffers[i % 3], 0, commands[i % 3].length);
        }
        final long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes over 1M commands");
    }
}
