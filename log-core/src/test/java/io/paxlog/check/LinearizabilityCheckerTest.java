package io.paxlog.check;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known linearizable and non-linearizable histories. */
class LinearizabilityCheckerTest
{
    private static final long BUDGET = 1_000_000;

    private static KvOp write(final int c, final long key, final long v, final long from, final long to)
    {
        return new KvOp(c, KvKind.WRITE, key, v, 0, from, to, true, 0);
    }

    private static KvOp read(final int c, final long key, final long v, final long from, final long to)
    {
        return new KvOp(c, KvKind.READ, key, 0, 0, from, to, true, v);
    }

    private static KvOp cas(final int c, final long expect, final long update, final boolean ok, final long from,
        final long to)
    {
        return new KvOp(c, KvKind.CAS, 0, expect, update, from, to, true, ok ? 1 : 0);
    }

    private static KvOp add(final int c, final long delta, final long after, final long from, final long to)
    {
        return new KvOp(c, KvKind.ADD, 0, delta, 0, from, to, true, after);
    }

    private static KvOp pendingWrite(final int c, final long v, final long from)
    {
        return new KvOp(c, KvKind.WRITE, 0, v, 0, from, 0, false, 0);
    }

    private static boolean ok(final KvOp... ops)
    {
        final CheckResult r = LinearizabilityChecker.checkKv(List.of(ops), BUDGET);
        assertFalse(r.timedOut());
        return r.linearizable();
    }

    @Test
    void sequentialHistories()
    {
        assertTrue(ok(write(0, 0, 1, 0, 10), read(1, 0, 1, 20, 30)));
        assertTrue(ok(read(1, 0, 0, 0, 5)), "initial value is 0");
        assertFalse(ok(write(0, 0, 1, 0, 10), read(1, 0, 0, 20, 30)), "stale read after a completed write");
        assertFalse(ok(read(1, 0, 7, 0, 5)), "read of a value never written");
    }

    @Test
    void concurrentWritesEitherOrder()
    {
        assertTrue(ok(write(0, 0, 1, 0, 10), write(1, 0, 2, 5, 15), read(2, 0, 1, 20, 30)));
        assertTrue(ok(write(0, 0, 1, 0, 10), write(1, 0, 2, 5, 15), read(2, 0, 2, 20, 30)));
        assertFalse(ok(write(0, 0, 1, 0, 10), write(1, 0, 2, 5, 15), read(2, 0, 1, 20, 30), read(2, 0, 2, 31, 40),
            read(3, 0, 1, 41, 50)), "reads flip back to an overwritten value");
    }

    @Test
    void readConcurrentWithWriteMaySeeEitherButNotFlipFlop()
    {
        assertTrue(ok(write(0, 0, 1, 0, 100), read(1, 0, 1, 10, 20), read(1, 0, 1, 30, 40)));
        assertFalse(ok(write(0, 0, 1, 0, 100), read(1, 0, 1, 10, 20), read(1, 0, 0, 30, 40)),
            "once the new value is seen, the old one cannot come back");
    }

    @Test
    void equalTimestampsAreConcurrent()
    {
        assertTrue(ok(write(0, 0, 1, 0, 10), read(1, 0, 0, 10, 20)));
    }

    @Test
    void compareAndSet()
    {
        assertFalse(ok(cas(0, 0, 1, true, 0, 10), cas(1, 0, 2, true, 5, 15)), "both CAS from 0 cannot succeed");
        assertTrue(ok(cas(0, 0, 1, true, 0, 10), cas(1, 0, 2, false, 5, 15)));
        assertTrue(ok(cas(0, 0, 1, false, 0, 10), cas(1, 0, 2, true, 5, 15)));
        assertFalse(ok(cas(0, 0, 1, true, 0, 10), read(1, 0, 0, 20, 30)));
        assertFalse(ok(cas(0, 5, 1, true, 0, 10)), "CAS succeeding from a value never held");
    }

    @Test
    void adds()
    {
        assertTrue(ok(add(0, 1, 1, 0, 10), add(1, 1, 2, 5, 15)));
        assertFalse(ok(add(0, 1, 1, 0, 10), add(1, 1, 1, 5, 15)), "two adds cannot both see the same result");
        assertFalse(ok(add(0, 1, 1, 0, 10), read(1, 0, 2, 20, 30)), "a double-applied add shows in a later read");
    }

    @Test
    void operationsThatNeverReturned()
    {
        assertTrue(ok(pendingWrite(0, 5, 0), read(1, 0, 5, 10, 20)), "an unreturned write may have taken effect");
        assertTrue(ok(pendingWrite(0, 5, 0), read(1, 0, 0, 10, 20)), "or not");
        assertTrue(ok(pendingWrite(0, 5, 0)));
        assertFalse(ok(read(1, 0, 5, 0, 10), pendingWrite(0, 5, 20)),
            "an unreturned write cannot take effect before it was invoked");
        assertFalse(ok(pendingWrite(0, 5, 0), read(1, 0, 5, 10, 20), read(1, 0, 0, 30, 40), read(1, 0, 5, 50, 60)),
            "an unreturned write takes effect at most once");
        final KvOp pendingCas = new KvOp(2, KvKind.CAS, 0, 0, 9, 0, 0, false, 0);
        assertTrue(ok(pendingCas, read(1, 0, 9, 10, 20)), "an unreturned CAS may have succeeded");
    }

    @Test
    void partitionsByKeyAndNamesTheFailingKey()
    {
        final List<KvOp> h = new ArrayList<>();
        h.add(write(0, 1, 10, 0, 10));
        h.add(read(1, 1, 10, 20, 30));
        h.add(write(0, 2, 20, 0, 10));
        h.add(read(1, 2, 99, 20, 30));
        h.add(write(0, 3, 30, 0, 10));
        final CheckResult r = LinearizabilityChecker.checkKv(h, BUDGET);
        assertFalse(r.linearizable());
        assertEquals(2, r.failingKey());
        assertEquals(5, r.opsChecked());
        assertTrue(r.explanation().startsWith("key 2: "), r.explanation());
        assertTrue(r.explanation().contains("READ(k=2) = 99"), r.explanation());
    }

    /** Histories generated from a real sequential execution with random real-time slack are linearizable. */
    @Test
    void randomHistoriesFromASequentialExecution()
    {
        final SplittableRandom rnd = new SplittableRandom(12345);
        for (int round = 0; round < 20; round++)
        {
            final List<KvOp> h = generate(rnd, 8, 300, 3);
            final CheckResult r = LinearizabilityChecker.checkKv(h, 5_000_000);
            assertTrue(r.linearizable(), "round " + round + ": " + r.explanation());

            final List<KvOp> broken = new ArrayList<>(h);
            for (int i = 0; i < broken.size(); i++)
            {
                final KvOp op = broken.get(i);
                if (op.kind() == KvKind.READ && op.returned())
                {
                    broken.set(i, new KvOp(op.client(), op.kind(), op.key(), 0, 0, op.invokeNs(), op.completeNs(), true,
                        -777));
                    break;
                }
            }
            assertFalse(LinearizabilityChecker.checkKv(broken, 5_000_000).linearizable(), "round " + round);
        }
    }

    /**
     * Each client runs one op at a time; each op takes effect at a linearization point strictly inside its
     * [invoke, complete] interval, points in a global sequential order.
     */
    private static List<KvOp> generate(final SplittableRandom rnd, final int clients, final int count, final int keys)
    {
        final long[] values = new long[keys];
        final long[] clientFree = new long[clients];
        final List<KvOp> h = new ArrayList<>();
        long point = 100;
        long next = 1;
        for (int i = 0; i < count; i++)
        {
            point += 1 + rnd.nextInt(10);
            final int c = rnd.nextInt(clients);
            final long invoke = Math.max(clientFree[c] + 1, point - 1 - rnd.nextInt(30));
            if (invoke >= point)
            {
                continue;
            }
            final long complete = point + 1 + rnd.nextInt(30);
            clientFree[c] = complete;
            final int key = rnd.nextInt(keys);
            final int kind = rnd.nextInt(4);
            final boolean returned = rnd.nextInt(20) != 0;
            switch (kind)
            {
                case 0 -> h.add(new KvOp(c, KvKind.READ, key, 0, 0, invoke, complete, returned, values[key]));
                case 1 ->
                {
                    values[key] = next++;
                    h.add(new KvOp(c, KvKind.WRITE, key, values[key], 0, invoke, complete, returned, 0));
                }
                case 2 ->
                {
                    final long expect = rnd.nextBoolean() ? values[key] : values[key] + 1;
                    final boolean success = expect == values[key];
                    final long update = next++;
                    if (success)
                    {
                        values[key] = update;
                    }
                    h.add(new KvOp(c, KvKind.CAS, key, expect, update, invoke, complete, returned, success ? 1 : 0));
                }
                default ->
                {
                    values[key] += 3;
                    h.add(new KvOp(c, KvKind.ADD, key, 3, 0, invoke, complete, returned, values[key]));
                }
            }
        }
        return h;
    }

    @Test
    void budgetExhaustionIsReportedNotClaimedLinearizable()
    {
        final SplittableRandom rnd = new SplittableRandom(7);
        final List<KvOp> h = generate(rnd, 8, 300, 1);
        final CheckResult r = LinearizabilityChecker.checkKv(h, 10);
        assertTrue(r.timedOut());
        assertFalse(r.linearizable());
    }
}
