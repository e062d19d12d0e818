package io.paxlog.sm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterMachineTest
{
    @Test
    void addGetAndCompareAndSet()
    {
        final CounterMachine m = new CounterMachine();
        assertEquals(5, CounterMachine.valueOf(m.apply(1, 0, CounterMachine.add("x", 5))));
        assertEquals(3, CounterMachine.valueOf(m.apply(2, 0, CounterMachine.add("x", -2))));
        assertEquals(3, CounterMachine.valueOf(m.query(CounterMachine.get("x"))));
        final byte[] failed = m.apply(3, 0, CounterMachine.cas("x", 4, 10));
        assertFalse(CounterMachine.casSucceeded(failed));
        assertEquals(3, CounterMachine.valueOf(failed));
        final byte[] ok = m.apply(4, 0, CounterMachine.cas("x", 3, 10));
        assertTrue(CounterMachine.casSucceeded(ok));
        assertEquals(10, m.valueOf("x"));
        assertEquals(0, m.valueOf("never"));
    }

    @Test
    void malformedCommandsChangeNothing()
    {
        final CounterMachine m = new CounterMachine();
        assertEquals(0, m.apply(1, 0, new byte[] {1, 0}).length);
        assertEquals(0, m.apply(2, 0, new byte[] {9, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).length);
        assertEquals(0, m.query(CounterMachine.add("x", 1)).length, "queries never mutate");
        assertEquals("{}", m.digest());
    }
}
