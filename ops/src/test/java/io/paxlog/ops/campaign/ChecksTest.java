package io.paxlog.ops.campaign;

import io.paxlog.sm.LockTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The campaign's checks on hand-made histories: a clean one passes, and each planted fault (a stale read, a lost
 * acknowledged add, a double-applied add, two lock holders at once, a token going backwards) is caught by its check.
 */
class ChecksTest
{
    private static final Set<String> ADD_KEYS = Set.of("a");

    private static Op ok(final int p, final Op.Kind kind, final String key, final long arg1, final long arg2,
        final long from, final long to, final long value, final long token)
    {
        return new Op(p, kind, key, arg1, arg2, from, to, Op.Outcome.OK, value, token);
    }

    private static List<Op> clean()
    {
        final List<Op> ops = new ArrayList<>();
        ops.add(ok(0, Op.Kind.ADD, "a", 1, 0, 0, 10, 1, 0));
        ops.add(ok(1, Op.Kind.ADD, "a", 1, 0, 5, 15, 2, 0));
        ops.add(new Op(2, Op.Kind.ADD, "a", 1, 0, 20, -1, Op.Outcome.UNKNOWN, 0, 0));
        ops.add(ok(3, Op.Kind.READ, "r", 0, 0, 0, 5, 0, 0));
        ops.add(ok(3, Op.Kind.CAS, "r", 0, 7, 6, 12, 1, 0));
        ops.add(ok(1, Op.Kind.READ, "r", 0, 0, 13, 14, 7, 0));
        ops.add(ok(4, Op.Kind.ACQUIRE, "l", 500, 0, 0, 10, LockTable.GRANTED, 1));
        ops.add(ok(4, Op.Kind.CHECK, "l", 1, 0, 11, 12, LockTable.CURRENT, 0));
        ops.add(ok(4, Op.Kind.RELEASE, "l", 0, 0, 13, 14, LockTable.RELEASED, 0));
        ops.add(ok(5, Op.Kind.ACQUIRE, "l", 500, 0, 5, 16, LockTable.GRANTED, 2));
        ops.add(ok(5, Op.Kind.RELEASE, "l", 0, 0, 17, 18, LockTable.RELEASED, 0));
        ops.add(ok(9, Op.Kind.READ, "a", 0, 0, 100, 101, 3, 0));   // final read: 2 acked + the unknown one
        return ops;
    }

    @Test
    void cleanHistoryPasses()
    {
        final Checks.Verdict v = Checks.check(clean(), ADD_KEYS);
        assertTrue(v.ok(), v.problems().toString());
        assertTrue(v.linearizable());
    }

    @Test
    void staleReadIsNotLinearizable()
    {
        final List<Op> ops = clean();
        // after the CAS to 7 completed (t=12), a read invoked later returns the old value
        ops.add(ok(6, Op.Kind.READ, "r", 0, 0, 20, 21, 0, 0));
        final Checks.Verdict v = Checks.check(ops, ADD_KEYS);
        assertFalse(v.linearizable());
        assertFalse(v.ok());
        assertTrue(v.linearizabilityDetail().contains("'r'"), v.linearizabilityDetail());
    }

    @Test
    void lostAcknowledgedAddIsCounted()
    {
        final List<Op> ops = clean();
        ops.removeIf(op -> op.invokeNs() == 100);
        ops.add(ok(9, Op.Kind.READ, "a", 0, 0, 100, 101, 1, 0));
        final Checks.Verdict v = Checks.check(ops, ADD_KEYS);
        assertEquals(1, v.ackedLost());
        assertFalse(v.ok());
    }

    @Test
    void doubleApplyIsCounted()
    {
        final List<Op> ops = clean();
        ops.removeIf(op -> op.invokeNs() == 100);
        ops.add(ok(9, Op.Kind.READ, "a", 0, 0, 100, 101, 5, 0));
        final Checks.Verdict v = Checks.check(ops, ADD_KEYS);
        assertEquals(2, v.doubleApplied());
        assertFalse(v.ok());
        // two acknowledged adds that saw the same value
        final List<Op> same = clean();
        same.add(ok(7, Op.Kind.ADD, "a", 1, 0, 30, 40, 2, 0));
        assertTrue(Checks.check(same, ADD_KEYS).doubleApplied() >= 1);
    }

    @Test
    void overlappingHoldersAreCaught()
    {
        final List<Op> ops = clean();
        // process 6 is granted the lock (token 3) while process 4's hold (token 1) is confirmed later by its release
        ops.add(ok(4, Op.Kind.ACQUIRE, "l", 500, 0, 30, 31, LockTable.GRANTED, 4));
        ops.add(ok(6, Op.Kind.ACQUIRE, "l", 500, 0, 32, 33, LockTable.GRANTED, 5));
        ops.add(ok(4, Op.Kind.RELEASE, "l", 0, 0, 35, 36, LockTable.RELEASED, 0));
        final Checks.Verdict v = Checks.check(ops, ADD_KEYS);
        assertEquals(1, v.lockOverlaps(), v.problems().toString());
        assertFalse(v.ok());
    }

    @Test
    void tokensGoingBackwardsAreCaught()
    {
        final List<Op> ops = clean();
        ops.add(ok(6, Op.Kind.ACQUIRE, "l", 500, 0, 40, 41, LockTable.GRANTED, 2));   // token 2 again, later
        final Checks.Verdict v = Checks.check(ops, ADD_KEYS);
        assertTrue(v.tokenErrors() >= 1, v.problems().toString());
        assertFalse(v.ok());
    }

    @Test
    void unavailabilityIsTheLongestGapBetweenAcknowledgedWrites()
    {
        final List<Op> ops = List.of(ok(0, Op.Kind.ADD, "a", 1, 0, 0, 100, 1, 0),
            ok(0, Op.Kind.ADD, "a", 1, 0, 100, 700, 2, 0), ok(0, Op.Kind.READ, "a", 0, 0, 700, 2_000, 2, 0));
        assertEquals(600, Checks.maxUnavailableNs(ops, 0, 900));
        assertEquals(1_000, Checks.maxUnavailableNs(ops, 0, 1_700));
    }

    @Test
    void historyFileRoundTrips(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        final History history = new History(System.nanoTime(), 1_000);
        clean().forEach(history::add);
        final int f = history.faultStarted("partition-leader", "leader 0 isolated");
        history.faultEnded(f);
        history.leader(0, 5);
        final Path file = dir.resolve("history.txt");
        history.write(file);
        assertEquals(history.ops(), History.read(file));
        Timeline.write(history, history.ops(), 3_000_000_000L, dir.resolve("t.txt"), dir.resolve("t.png"));
        assertTrue(Files.readString(dir.resolve("t.txt")).contains("partition-leader"));
        assertTrue(Files.size(dir.resolve("t.png")) > 1_000);
    }
}
