package io.paxlog.check;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event list, the linearized set and the memo table. */
class SearchStructuresTest
{
    private static List<Integer> walk(final EventList events)
    {
        final List<Integer> order = new ArrayList<>();
        for (int e = events.first(); e != EventList.END; e = events.next(e))
        {
            order.add(e);
        }
        return order;
    }

    @Test
    void eventsAreOrderedByTimeWithCallsBeforeReturnsAtEqualTimes()
    {
        // op0 [0, 10], op1 [10, 20], op2 [5, never], op3 [3, 10]
        final EventList events = new EventList(new long[] {0, 10, 5, 3}, new long[] {10, 20, 0, 10},
            new boolean[] {true, true, false, true});
        assertEquals(List.of(0, 6, 2, 1, 7, 3), walk(events));
        assertArrayEquals(new int[] {2}, events.pending());
        assertTrue(events.rank(4) < events.rank(1), "op2 is invoked before op0 returns");
        assertTrue(EventList.isCall(6));
        assertFalse(EventList.isCall(7));
        assertFalse(EventList.isCall(EventList.END));
        assertEquals(3, EventList.operation(7));
    }

    @Test
    void liftAndUnliftRestoreTheList()
    {
        final EventList events = new EventList(new long[] {0, 1, 2}, new long[] {3, 4, 5},
            new boolean[] {true, true, true});
        final List<Integer> original = walk(events);
        events.lift(1);
        assertEquals(List.of(0, 4, 1, 5), walk(events));
        events.lift(0);
        assertEquals(List.of(4, 5), walk(events));
        events.lift(2);
        assertEquals(List.of(), walk(events));
        events.unlift(2);
        events.unlift(0);
        events.unlift(1);
        assertEquals(original, walk(events));
    }

    @Test
    void linearizedSetHashDependsOnlyOnMembers()
    {
        final LinearizedSet a = new LinearizedSet(130);
        final LinearizedSet b = new LinearizedSet(130);
        a.add(3);
        a.add(129);
        b.add(129);
        b.add(64);
        b.add(3);
        b.remove(64);
        assertEquals(a.hash(), b.hash());
        assertTrue(a.sameAs(b.snapshot()));
        assertEquals(2, b.count());
        assertTrue(b.contains(129));
        assertFalse(b.contains(64));
    }

    @Test
    void memoTablePrunesRepeatsAndDominatedConfigurations()
    {
        final MemoTable<Long> memo = new MemoTable<>(KvModel.INSTANCE);
        final LinearizedSet set = new LinearizedSet(10);
        set.add(1);
        assertTrue(memo.visit(set, 5L, new long[] {0b10}));
        assertFalse(memo.visit(set, 5L, new long[] {0b10}), "seen");
        assertFalse(memo.visit(set, 5L, new long[] {0b110}), "dominated: applies more hanging ops");
        assertTrue(memo.visit(set, 5L, new long[] {0b100}), "incomparable");
        assertTrue(memo.visit(set, 6L, new long[] {0b110}), "other state");
        assertTrue(memo.visit(set, 5L, new long[] {0}), "dominates the others");
        assertFalse(memo.visit(set, 5L, new long[] {0b1000}));
        set.add(2);
        assertTrue(memo.visit(set, 5L, new long[] {0b10}), "other linearized set");
        for (long s = 0; s < 5_000; s++)
        {
            assertTrue(memo.visit(set, 100 + s, new long[] {0}));
        }
        assertEquals(5_003, memo.size());
        assertFalse(memo.visit(set, 2_000L, new long[] {0}));
    }
}
