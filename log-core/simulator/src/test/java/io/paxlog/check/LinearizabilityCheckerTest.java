package io.paxlog.check;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small hand-written key-value histories with known verdicts. */
class LinearizabilityCheckerTest
{
    static final long BUDGET = 1_000_000;

    static KvOp read(final int client, final long key, final long value, final long invoke, final long complete)
    {
        return new KvOp(client, KvKind.READ, key, 0, 0, invoke, complete, true, value);
    }

    static KvOp write(final int client, final long key, final long value, final long invoke, final long complete)
    {
        return new KvOp(client, KvKind.WRITE, key, value, 0, invoke, complete, true, 0);
    }

    static KvOp cas(final int client, final long key, final long expected, final long newValue, final boolean ok,
        final long invoke, final long complete)
    {
        return new KvOp(client, KvKind.CAS, key, expected, newValue, invoke, complete, true, ok ? 1 : 0);
    }

    static KvOp add(final int client, final long key, final long delta, final long after, final long invoke,
        final long complete)
    {
        return new KvOp(client, KvKind.ADD, key, delta, 0, invoke, complete, true, after);
    }

    /** An operation that never returned (its completion time and result are garbage and must be ignored). */
    static KvOp unreturned(final KvOp op)
    {
        return new KvOp(op.client(), op.kind(), op.key(), op.arg1(), op.arg2(), op.invokeNs(), -12345, false, 987);
    }

    static CheckResult check(final KvOp... ops)
    {
        final CheckResult result = LinearizabilityChecker.checkKv(List.of(ops), BUDGET);
        assertFalse(result.timedOut(), result.explanation());
        assertEquals(ops.length, result.opsChecked());
        return result;
    }

    static void assertLinearizable(final KvOp... ops)
    {
        final CheckResult result = check(ops);
        assertTrue(result.linearizable(), result.explanation());
    }

    static CheckResult assertNotLinearizable(final KvOp... ops)
    {
        final CheckResult result = check(ops);
        assertFalse(result.linearizable(), "expected a violation");
        return result;
    }

    @Test
    void emptyHistoryIsLinearizable()
    {
        final CheckResult result = LinearizabilityChecker.checkKv(List.of(), BUDGET);
        assertTrue(result.linearizable());
        assertEquals(0, result.opsChecked());
    }

    @Test
    void sequentialHistories()
    {
        assertLinearizable(read(0, 1, 0, 0, 5));
        assertLinearizable(write(0, 1, 4, 0, 10), read(1, 1, 4, 20, 30), write(1, 1, 6, 40, 50), read(0, 1, 6, 60, 70));
        assertLinearizable(cas(0, 1, 0, 3, true, 0, 10), add(1, 1, 2, 5, 20, 30), read(0, 1, 5, 40, 50));
    }

    @Test
    void staleReadAfterCompletedWriteIsNotLinearizable()
    {
        final CheckResult result = assertNotLinearizable(write(0, 1, 4, 0, 10), read(1, 1, 0, 20, 30));
        assertEquals(1, result.failingKey());
        assertTrue(result.explanation().contains("client 1 READ(key 1) = 0"), result.explanation());
    }

    @Test
    void readOfNeverWrittenValueIsNotLinearizable()
    {
        assertNotLinearizable(write(0, 1, 4, 0, 10), read(1, 1, 5, 20, 30));
        assertNotLinearizable(read(1, 1, 5, 0, 30));
    }

    @Test
    void concurrentWritesThenReadMaySeeEither()
    {
        assertLinearizable(write(0, 1, 1, 0, 10), write(1, 1, 2, 5, 15), read(2, 1, 1, 20, 30));
        assertLinearizable(write(0, 1, 1, 0, 10), write(1, 1, 2, 5, 15), read(2, 1, 2, 20, 30));
        assertNotLinearizable(write(0, 1, 1, 0, 10), write(1, 1, 2, 5, 15), read(2, 1, 0, 20, 30));
    }

    @Test
    void readsDisagreeingWithEverySingleOrderAreNotLinearizable()
    {
        // Both writes precede both reads, so the reads must agree on the last writer.
        assertNotLinearizable(write(0, 1, 1, 0, 10), write(1, 1, 2, 0, 10), read(2, 1, 1, 20, 30),
            read(3, 1, 2, 40, 50));
        // Reads overlapping the second write may see 1 then 2, but not 2 then 1.
        assertLinearizable(write(0, 1, 1, 0, 10), write(1, 1, 2, 20, 100), read(2, 1, 1, 30, 40),
            read(2, 1, 2, 50, 60));
        assertNotLinearizable(write(0, 1, 1, 0, 10), write(1, 1, 2, 20, 100), read(2, 1, 2, 30, 40),
            read(2, 1, 1, 50, 60));
        // Concurrent readers may each see a different side of a write; but no value can come back.
        assertLinearizable(write(0, 1, 7, 0, 100), read(1, 1, 7, 10, 50), read(2, 1, 0, 10, 50));
        assertNotLinearizable(write(0, 1, 7, 0, 100), read(1, 1, 7, 10, 20), read(2, 1, 0, 30, 50));
    }

    @Test
    void touchingIntervalsAreConcurrent()
    {
        // The read is invoked at the instant the write completes: either order is allowed.
        assertLinearizable(write(0, 1, 4, 0, 10), read(1, 1, 0, 10, 20));
        assertNotLinearizable(write(0, 1, 4, 0, 10), read(1, 1, 0, 11, 20));
        assertLinearizable(read(1, 1, 4, 0, 10), write(0, 1, 4, 10, 20));
        assertNotLinearizable(read(1, 1, 4, 0, 9), write(0, 1, 4, 10, 20));
    }

    @Test
    void compareAndSet()
    {
        assertNotLinearizable(cas(0, 1, 0, 1, true, 0, 10), cas(1, 1, 0, 2, true, 5, 15));
        assertLinearizable(cas(0, 1, 0, 1, true, 0, 10), cas(1, 1, 0, 2, false, 5, 15));
        assertLinearizable(cas(0, 1, 0, 1, false, 0, 10), cas(1, 1, 0, 2, true, 5, 15));
        assertNotLinearizable(cas(0, 1, 0, 1, false, 0, 10), cas(1, 1, 0, 2, false, 5, 15));
        assertLinearizable(cas(0, 1, 0, 1, true, 0, 10), cas(1, 1, 1, 2, true, 5, 15), read(2, 1, 2, 20, 30));
        assertNotLinearizable(cas(0, 1, 5, 6, true, 0, 10));
        assertNotLinearizable(cas(0, 1, 0, 1, true, 0, 10), read(1, 1, 0, 20, 30));
    }

    @Test
    void add()
    {
        assertLinearizable(add(0, 1, 1, 1, 0, 10), add(1, 1, 1, 2, 5, 15), read(2, 1, 2, 20, 30));
        assertLinearizable(add(0, 1, 1, 2, 0, 10), add(1, 1, 1, 1, 5, 15));
        assertNotLinearizable(add(0, 1, 1, 1, 0, 10), add(1, 1, 1, 1, 5, 15));
        // A single add applied twice (e.g. a retried command) shows in a later read.
        assertNotLinearizable(add(0, 1, 5, 5, 0, 10), read(1, 1, 10, 20, 30));
        assertNotLinearizable(add(0, 1, 5, 5, 0, 10), add(1, 1, 1, 11, 20, 30));
    }

    @Test
    void partitionsByKeyAndNamesTheFailingKey()
    {
        final List<KvOp> history = new ArrayList<>();
        for (int key = 0; key < 5; key++)
        {
            history.add(write(0, key, 10 + key, key * 100L, key * 100L + 10));
            history.add(read(1, key, 10 + key, key * 100L + 5, key * 100L + 20));
            history.add(add(2, key, 1, 11 + key, key * 100L + 30, key * 100L + 40));
        }
        history.add(read(3, 3, 13, 500, 510)); // stale: key 3 was 14 after the add
        final CheckResult result = LinearizabilityChecker.checkKv(history, BUDGET);
        assertFalse(result.linearizable());
        assertFalse(result.timedOut());
        assertEquals(3, result.failingKey());
        assertTrue(result.explanation().startsWith("key 3: "), result.explanation());
        assertTrue(result.explanation().contains("READ(key 3) = 13"), result.explanation());
        assertTrue(result.explanation().contains("prefix has 3 of 4"), result.explanation());
        assertTrue(result.opsChecked() <= history.size());

        history.remove(history.size() - 1);
        final CheckResult fine = LinearizabilityChecker.checkKv(history, BUDGET);
        assertTrue(fine.linearizable(), fine.explanation());
        assertEquals(history.size(), fine.opsChecked());
    }

    @Test
    void budgetExhaustionIsReportedAsTimedOut()
    {
        // Many concurrent writes of distinct values and an impossible read: refuting it needs every subset.
        final List<KvOp> history = new ArrayList<>();
        for (int i = 0; i < 18; i++)
        {
            history.add(write(i, 1, i + 1, 0, 100));
        }
        history.add(read(99, 1, 999, 200, 210));
        final CheckResult result = LinearizabilityChecker.checkKv(history, 5_000);
        assertTrue(result.timedOut(), result.explanation());
        assertFalse(result.linearizable());
        assertEquals(1, result.failingKey());
        assertTrue(result.explanation().contains("budget"), result.explanation());

        final CheckResult tiny = LinearizabilityChecker.checkKv(List.of(write(0, 1, 1, 0, 10),
            read(1, 1, 1, 20, 30)), 1);
        assertTrue(tiny.timedOut());
        assertFalse(tiny.linearizable());
    }

    @Test
    void aTimeoutOnOneKeyDoesNotHideAViolationOnAnother()
    {
        final List<KvOp> history = new ArrayList<>();
        for (int i = 0; i < 18; i++)
        {
            history.add(write(i, 1, i + 1, 0, 100));
        }
        history.add(read(99, 1, 999, 200, 210));
        history.add(write(0, 2, 5, 300, 310));
        history.add(read(1, 2, 6, 320, 330));
        final CheckResult result = LinearizabilityChecker.checkKv(history, 5_000);
        assertFalse(result.linearizable());
        assertFalse(result.timedOut());
        assertEquals(2, result.failingKey());
    }

    @Test
    void rejectsAnOperationThatCompletesBeforeItIsInvoked()
    {
        assertThrows(IllegalArgumentException.class,
            () -> LinearizabilityChecker.checkKv(List.of(read(0, 1, 0, 10, 5)), BUDGET));
    }
}
