package io.paxlog.check;

import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search is generic: a lock-table model, and a nondeterministic model through the power-set construction. */
class GenericModelTest
{
    /** A try-lock request or a release on one lock of a lock table. */
    record LockOp(int client, boolean acquire, long lock, long invoke, long complete, boolean returned,
        boolean granted)
    {
    }

    /** Lock table: per lock, the holder or -1 when free. */
    static final class LockModel implements Model<LockOp, Integer>
    {
        @Override
        public Integer initialState()
        {
            return -1;
        }

        @Override
        public Integer step(final Integer holder, final LockOp op)
        {
            if (!op.acquire())
            {
                return holder == op.client() ? Integer.valueOf(-1) : null;
            }
            final boolean free = holder == -1;
            if (op.returned() && op.granted() != free)
            {
                return null;
            }
            return free ? Integer.valueOf(op.client()) : holder;
        }

        @Override
        public long invokeNs(final LockOp op)
        {
            return op.invoke();
        }

        @Override
        public long completeNs(final LockOp op)
        {
            return op.complete();
        }

        @Override
        public boolean returned(final LockOp op)
        {
            return op.returned();
        }

        @Override
        public long partition(final LockOp op)
        {
            return op.lock();
        }
    }

    private static LockOp acquire(final int client, final long lock, final boolean granted, final long from,
        final long to)
    {
        return new LockOp(client, true, lock, from, to, true, granted);
    }

    private static LockOp release(final int client, final long lock, final long from, final long to)
    {
        return new LockOp(client, false, lock, from, to, true, true);
    }

    private static CheckResult checkLocks(final LockOp... ops)
    {
        return LinearizabilityChecker.check(List.of(ops), new LockModel(), 100_000);
    }

    @Test
    void lockTable()
    {
        assertTrue(checkLocks(acquire(1, 7, true, 0, 10), release(1, 7, 20, 30), acquire(2, 7, true, 40, 50))
            .linearizable());
        assertTrue(checkLocks(acquire(1, 7, true, 0, 10), release(1, 7, 20, 30), acquire(2, 7, true, 25, 50))
            .linearizable(), "the release is concurrent with the second acquire");
        assertTrue(checkLocks(acquire(1, 7, true, 0, 10), acquire(2, 7, false, 5, 15)).linearizable());
        assertTrue(checkLocks(acquire(1, 7, true, 0, 10), acquire(2, 8, true, 5, 15)).linearizable(),
            "different locks are independent");
        final CheckResult twoHolders = checkLocks(acquire(1, 7, true, 0, 10), acquire(2, 7, true, 5, 15),
            acquire(3, 8, true, 0, 10));
        assertFalse(twoHolders.linearizable());
        assertEquals(7, twoHolders.failingKey());
        assertFalse(checkLocks(acquire(1, 7, true, 0, 10), release(2, 7, 20, 30)).linearizable(),
            "only the holder may release");
        assertTrue(checkLocks(acquire(1, 7, true, 0, 10), new LockOp(1, false, 7, 20, 0, false, false),
            acquire(2, 7, true, 40, 50)).linearizable(), "a release that never returned may have taken effect");
    }

    /** An operation on a lossy register: PUT_EITHER stores a or b (unspecified which); GET returns the value. */
    record RegOp(boolean put, long a, long b, long invoke, long complete, long result)
    {
    }

    /** The lossy register, whose PUT_EITHER is nondeterministic. */
    static final class LossyRegister implements NondeterministicModel<RegOp, Long>
    {
        @Override
        public Long initialState()
        {
            return 0L;
        }

        @Override
        public Collection<Long> successors(final Long value, final RegOp op)
        {
            if (op.put())
            {
                return Set.of(op.a(), op.b());
            }
            return op.result() == value ? Set.of(value) : Set.of();
        }

        @Override
        public long invokeNs(final RegOp op)
        {
            return op.invoke();
        }

        @Override
        public long completeNs(final RegOp op)
        {
            return op.complete();
        }

        @Override
        public boolean returned(final RegOp op)
        {
            return true;
        }
    }

    private static boolean lossy(final RegOp... ops)
    {
        final CheckResult result = LinearizabilityChecker.check(List.of(ops), new LossyRegister().toModel(), 100_000);
        assertFalse(result.timedOut());
        return result.linearizable();
    }

    @Test
    void nondeterministicModelThroughThePowerSet()
    {
        final RegOp put = new RegOp(true, 1, 2, 0, 10, 0);
        assertTrue(lossy(put, new RegOp(false, 0, 0, 20, 30, 1)));
        assertTrue(lossy(put, new RegOp(false, 0, 0, 20, 30, 2), new RegOp(false, 0, 0, 40, 50, 2)));
        assertFalse(lossy(put, new RegOp(false, 0, 0, 20, 30, 1), new RegOp(false, 0, 0, 40, 50, 2)),
            "the put chose one value");
        assertFalse(lossy(put, new RegOp(false, 0, 0, 20, 30, 3)));
        assertTrue(lossy(put, new RegOp(false, 0, 0, 5, 30, 0)), "a concurrent read may precede the put");

        final Model<RegOp, Set<Long>> model = new LossyRegister().toModel();
        assertEquals(Set.of(1L, 2L), model.step(model.initialState(), put));
        assertEquals(Set.of(2L), model.step(Set.of(1L, 2L), new RegOp(false, 0, 0, 0, 0, 2)));
        assertNull(model.step(Set.of(1L, 2L), new RegOp(false, 0, 0, 0, 0, 3)));
    }
}
