package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.paxlog.sm.LockCommands.acquire;
import static io.paxlog.sm.LockCommands.check;
import static io.paxlog.sm.LockCommands.holder;
import static io.paxlog.sm.LockCommands.release;
import static io.paxlog.sm.LockCommands.tryAcquire;
import static io.paxlog.sm.LockResults.holderSession;
import static io.paxlog.sm.LockResults.status;
import static io.paxlog.sm.LockResults.token;
import static io.paxlog.sm.LockTable.CURRENT;
import static io.paxlog.sm.LockTable.DELAYED;
import static io.paxlog.sm.LockTable.FREE;
import static io.paxlog.sm.LockTable.GRANTED;
import static io.paxlog.sm.LockTable.HELD;
import static io.paxlog.sm.LockTable.NOT_GRANTED;
import static io.paxlog.sm.LockTable.NOT_HOLDER;
import static io.paxlog.sm.LockTable.REJECTED;
import static io.paxlog.sm.LockTable.RELEASED;
import static io.paxlog.sm.LockTable.STALE;
import static io.paxlog.sm.LockTable.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class LockTableTest
{
    private static final long MS = 1_000_000L;
    private LockTable table = new LockTable();
    private HostHarness h = new HostHarness(new CounterMachine(), table);
    private final Map<Long, Long> seqs = new HashMap<>();

    private void useLockDelay(final long delayNs)
    {
        table = new LockTable(delayNs);
        h = new HostHarness(new CounterMachine(), table);
    }

    private void open(final long... sessions)
    {
        for (final long s : sessions)
        {
            h.open(s, 10_000);
        }
    }

    private long nextSeq(final long session)
    {
        return seqs.merge(session, 1L, Long::sum);
    }

    private byte[] apply(final long session, final byte[] command)
    {
        return h.apply(session, nextSeq(session), command);
    }

    private void assertAnswer(final int expectedStatus, final long expectedToken, final byte[] result)
    {
        assertEquals(LockResults.statusName(expectedStatus), LockResults.statusName(status(result)));
        assertEquals(expectedToken, token(result), "token");
        assertEquals(LockTable.RESULT_LENGTH, result.length);
    }

    private void assertDeferred(final HostHarness.Deferred d, final long session, final long sequence,
        final int expectedStatus, final long expectedToken)
    {
        assertEquals(session, d.sessionId(), "deferred session");
        assertEquals(sequence, d.sequence(), "deferred sequence");
        assertAnswer(expectedStatus, expectedToken, d.result());
    }

    /** Applies an acquire that must wait; returns its sequence. */
    private long waitFor(final long session, final String name, final long timeoutMs)
    {
        final long seq = nextSeq(session);
        final byte[] r = h.apply(session, seq, acquire(name, timeoutMs));
        assertEquals(0, r.length, "a waiting acquire has no immediate result");
        assertEquals(StateMachineHost.PENDING, h.lastOutcome);
        return seq;
    }

    @Test
    void grantTryAndRelease()
    {
        open(1, 2);
        final byte[] first = apply(1, acquire("a", 0));
        assertAnswer(GRANTED, h.slot, first);
        final long t1 = token(first);

        assertAnswer(NOT_GRANTED, t1, apply(2, tryAcquire("a")));
        final byte[] who = h.query(holder("a"));
        assertEquals(HELD, status(who));
        assertEquals(t1, token(who));
        assertEquals(1, holderSession(who));
        assertEquals(LockTable.HOLDER_RESULT_LENGTH, who.length);
        assertAnswer(CURRENT, t1, h.query(check("a", t1)));
        assertAnswer(STALE, t1, h.query(check("a", t1 - 1)));

        assertAnswer(RELEASED, t1, apply(1, release("a")));
        assertEquals(FREE, status(h.query(holder("a"))));
        assertEquals(0, holderSession(h.query(holder("a"))));
        assertAnswer(STALE, 0, h.query(check("a", t1)));
        assertEquals(0, table.lockCount(), "a free lock keeps no state");

        final byte[] second = apply(2, tryAcquire("a"));
        assertAnswer(GRANTED, h.slot, second);
        assertTrue(token(second) > t1);
        assertAnswer(CURRENT, token(second), apply(1, check("a", token(second))));
        assertAnswer(STALE, token(second), apply(1, check("a", t1)));
        assertEquals(2, holderSession(apply(1, holder("a"))), "holder also works through the log");
        assertEquals(1, table.lockCount());
        assertTrue(h.deferred.isEmpty());
    }

    @Test
    void waitersAreGrantedInFifoOrderWithIncreasingTokens()
    {
        open(1, 2, 3, 4);
        final long t1 = token(apply(1, acquire("a", 0)));
        final long s2 = waitFor(2, "a", 10_000);
        final long s3 = waitFor(3, "a", 10_000);
        final long s4 = waitFor(4, "a", 10_000);
        assertEquals(3, table.waiterCount());
        assertEquals(StateMachineHost.WAITING, h.host.lookup(2, s2), "still waiting");

        assertAnswer(RELEASED, t1, apply(1, release("a")));
        assertEquals(1, h.deferred.size());
        final long t2 = h.slot;
        assertDeferred(h.deferred.get(0), 2, s2, GRANTED, t2);
        assertEquals(h.slot, h.deferred.get(0).slot(), "granted by the release entry");
        assertAnswer(NOT_GRANTED, t2, apply(1, tryAcquire("a")));

        assertAnswer(RELEASED, t2, apply(2, release("a")));
        final long t3 = h.slot;
        assertDeferred(h.deferred.get(1), 3, s3, GRANTED, t3);
        assertAnswer(RELEASED, t3, apply(3, release("a")));
        final long t4 = h.slot;
        assertDeferred(h.deferred.get(2), 4, s4, GRANTED, t4);
        assertEquals(3, h.deferred.size());
        assertTrue(t1 < t2 && t2 < t3 && t3 < t4, "tokens strictly increase");
        assertEquals(0, table.waiterCount());
        assertEquals(Long.MAX_VALUE, h.host.nextTimerDeadlineNs(), "granted waiters' timeouts are cancelled");
        assertEquals(StateMachineHost.DUPLICATE, h.host.lookup(2, s2), "the answer is in the session window");
        assertEquals(GRANTED, h.host.result().getByte(0));
    }

    @Test
    void waiterTimesOutAtItsDeadlineAndNotBefore()
    {
        open(1, 2);
        final long t1 = token(apply(1, acquire("a", 0)));
        final long start = h.timeNs;
        final long s2 = waitFor(2, "a", 500);

        h.timeNs = start + 500 * MS - 1;
        h.tick();
        assertTrue(h.deferred.isEmpty(), "not before the deadline");
        assertEquals(1, table.waiterCount());

        h.timeNs = start + 500 * MS;
        h.tick();
        assertEquals(1, h.deferred.size());
        assertDeferred(h.deferred.get(0), 2, s2, TIMED_OUT, t1);
        assertEquals(h.slot, h.deferred.get(0).slot(), "answered at the entry that reaches the deadline");
        assertEquals(0, table.waiterCount());

        assertAnswer(RELEASED, t1, apply(1, release("a")));
        assertEquals(FREE, status(h.query(holder("a"))), "a timed-out waiter is not granted");
        assertEquals(1, h.deferred.size());

        // a waiter granted before its deadline is not answered again when the deadline passes
        apply(1, acquire("a", 0));
        final long s2b = waitFor(2, "a", 500);
        h.timeNs += 100 * MS;
        apply(1, release("a"));
        assertDeferred(h.deferred.get(1), 2, s2b, GRANTED, h.slot);
        h.timeNs += 10_000 * MS;
        h.tick();
        assertEquals(2, h.deferred.size(), "no TIMED_OUT after the grant");
        assertEquals(2, holderSession(h.query(holder("a"))));
    }

    @Test
    void closedHolderPassesItsLocksToTheNextWaitersInNameOrder()
    {
        open(1, 2, 3, 4, 5);
        final long ta = token(apply(1, acquire("b", 0)));
        apply(1, acquire("a", 0));
        apply(1, acquire("c", 0));
        final long waitB = waitFor(2, "b", 10_000);
        final long waitA = waitFor(3, "a", 10_000);
        final long waitC = waitFor(4, "c", 10_000);
        final long waitB2 = waitFor(5, "b", 10_000);

        h.close(1);
        final long close = h.slot;
        assertEquals(3, h.deferred.size());
        assertDeferred(h.deferred.get(0), 3, waitA, GRANTED, close);
        assertDeferred(h.deferred.get(1), 2, waitB, GRANTED, close + 1);
        assertDeferred(h.deferred.get(2), 4, waitC, GRANTED, close + 2);
        assertTrue(close > ta);
        assertEquals(2, holderSession(h.query(holder("b"))));
        assertEquals(1, table.waiterCount(), "session 5 still waits for b");
        assertEquals(StateMachineHost.NO_SESSION, h.host.lookup(1, 1));

        // the next entry's grant still gets a larger token than the bumped ones
        apply(2, release("b"));
        assertDeferred(h.deferred.get(3), 5, waitB2, GRANTED, close + 3);
        assertTrue(h.slot < close + 3, "slot " + h.slot);
        apply(5, release("b"));
        final byte[] again = apply(5, acquire("b", 0));
        assertAnswer(GRANTED, close + 4, again);
    }

    @Test
    void closedSessionsWaitsAreDroppedUnanswered()
    {
        open(1, 2, 3);
        apply(1, acquire("a", 0));
        waitFor(2, "a", 10_000);
        waitFor(2, "a", 10_000);
        final long s3 = waitFor(3, "a", 10_000);
        h.close(2);
        assertEquals(1, table.waiterCount());
        apply(1, release("a"));
        assertEquals(1, h.deferred.size());
        assertDeferred(h.deferred.get(0), 3, s3, GRANTED, h.slot);
        assertEquals(Long.MAX_VALUE, h.host.nextTimerDeadlineNs(), "dropped waits' timeouts are cancelled");
        h.timeNs += 100_000 * MS;
        h.tick();
        assertEquals(1, h.deferred.size(), "dropped waits never time out either");
    }

    @Test
    void lockDelayKeepsAClosedHoldersLockUngrantableUntilItPasses()
    {
        useLockDelay(2_000 * MS);
        open(1, 2, 3);
        final long t1 = token(apply(1, acquire("a", 0)));
        final long s2 = waitFor(2, "a", 10_000);
        final long closedAt = h.timeNs;
        h.close(1);
        assertTrue(h.deferred.isEmpty(), "no grant during the lock-delay");
        final byte[] who = h.query(holder("a"));
        assertEquals(DELAYED, status(who));
        assertEquals(t1, token(who));
        assertEquals(0, holderSession(who));
        assertAnswer(NOT_GRANTED, t1, apply(3, tryAcquire("a")));
        assertAnswer(STALE, 0, h.query(check("a", t1)));

        h.timeNs = closedAt + 2_000 * MS - 1;
        h.tick();
        assertTrue(h.deferred.isEmpty(), "still delayed 1 ns before the end");
        h.timeNs = closedAt + 2_000 * MS;
        h.tick();
        assertEquals(1, h.deferred.size());
        assertDeferred(h.deferred.get(0), 2, s2, GRANTED, h.slot);

        // without waiters the lock becomes free when the delay ends; an explicit release has no delay
        assertAnswer(RELEASED, h.slot, apply(2, release("a")));
        assertEquals(FREE, status(h.query(holder("a"))));
        apply(3, acquire("b", 0));
        h.close(3);
        final long closed3 = h.timeNs;
        assertAnswer(NOT_GRANTED, token(h.query(holder("b"))), apply(2, tryAcquire("b")));
        h.timeNs = closed3 + 2_000 * MS;
        h.tick();
        assertEquals(FREE, status(h.query(holder("b"))));
        assertEquals(0, table.lockCount());
        assertAnswer(GRANTED, h.slot + 1, apply(2, tryAcquire("b")));
    }

    @Test
    void tokensStillIncreaseWhenADelayTimerAndAReleaseGrantInTheSameEntry()
    {
        useLockDelay(100 * MS);
        open(1, 2, 3);
        final long t1 = token(apply(1, acquire("a", 0)));
        final long s2 = waitFor(2, "a", 10_000);
        final long s3 = waitFor(3, "a", 10_000);
        h.close(1);
        h.timeNs += 100 * MS;
        // the delay timer fires just before this entry and grants session 2, which the entry then releases
        final byte[] released = apply(2, release("a"));
        final long slot = h.slot;
        assertEquals(2, h.deferred.size());
        assertDeferred(h.deferred.get(0), 2, s2, GRANTED, slot);
        assertAnswer(RELEASED, slot, released);
        assertDeferred(h.deferred.get(1), 3, s3, GRANTED, slot + 1);
        assertTrue(t1 < slot);
        assertAnswer(RELEASED, slot + 1, apply(3, release("a")));
        assertAnswer(GRANTED, slot + 2, apply(2, acquire("a", 0)));
    }

    @Test
    void onlyTheHolderMayRelease()
    {
        open(1, 2);
        final long t1 = token(apply(1, acquire("a", 0)));
        assertAnswer(NOT_HOLDER, t1, apply(2, release("a")));
        assertEquals(1, holderSession(h.query(holder("a"))));
        assertAnswer(NOT_HOLDER, 0, apply(2, release("never-held")));
        final long s2 = waitFor(2, "a", 10_000);
        assertAnswer(NOT_HOLDER, t1, apply(2, release("a")));
        assertEquals(1, table.waiterCount(), "a waiter's release does not cancel its wait");
        assertAnswer(RELEASED, t1, apply(1, release("a")));
        assertDeferred(h.deferred.get(0), 2, s2, GRANTED, h.slot);
        assertAnswer(NOT_HOLDER, h.slot, apply(1, release("a")));
    }

    @Test
    void acquireByTheHolderIsIdempotent()
    {
        open(1, 2);
        final long t1 = token(apply(1, acquire("a", 0)));
        assertAnswer(GRANTED, t1, apply(1, acquire("a", 5_000)));
        assertEquals(StateMachineHost.APPLIED, h.lastOutcome, "answered at once, not queued");
        assertAnswer(GRANTED, t1, apply(1, tryAcquire("a")));
        assertEquals(0, table.waiterCount());

        // a session that queued twice is granted both requests with the same token
        final long first = waitFor(2, "a", 5_000);
        final long second = waitFor(2, "a", 5_000);
        apply(1, release("a"));
        assertEquals(2, h.deferred.size());
        assertDeferred(h.deferred.get(0), 2, first, GRANTED, h.slot);
        assertDeferred(h.deferred.get(1), 2, second, GRANTED, h.slot);
        assertEquals(0, table.waiterCount());
        assertEquals(Long.MAX_VALUE, h.host.nextTimerDeadlineNs());
        h.timeNs += 10_000 * MS;
        h.tick();
        assertEquals(2, h.deferred.size());
        apply(2, release("a"));
        assertEquals(FREE, status(h.query(holder("a"))));
    }

    @Test
    void boundsAnswerRejectedAndChangeNothing()
    {
        open(1, 2);
        for (int i = 0; i < LockTable.LOCKS_MAX; i++)
        {
            assertEquals(GRANTED, status(apply(1, tryAcquire("L" + i))));
        }
        assertEquals(LockTable.LOCKS_MAX, table.lockCount());
        String before = table.digest();
        assertAnswer(REJECTED, 0, apply(2, tryAcquire("one-more")));
        assertAnswer(REJECTED, 0, apply(2, acquire("one-more", 1_000)));
        assertEquals(before, table.digest());
        assertEquals(GRANTED, status(apply(1, tryAcquire("L7"))), "existing locks still work");
        assertEquals(NOT_GRANTED, status(apply(2, tryAcquire("L7"))));

        int onL5 = 0;
        final List<Long> l5Sequences = new java.util.ArrayList<>();
        for (int k = 0; k < LockTable.WAITERS_MAX; k++)
        {
            final long seq = waitFor(2, "L" + (k % 100), 60_000);
            if (k % 100 == 5)
            {
                onL5++;
                l5Sequences.add(seq);
            }
        }
        assertEquals(LockTable.WAITERS_MAX, table.waiterCount());
        before = table.digest();
        assertAnswer(REJECTED, 0, apply(2, acquire("L5", 60_000)));
        assertEquals(before, table.digest());
        assertTrue(h.deferred.isEmpty());
        assertEquals(NOT_GRANTED, status(apply(2, tryAcquire("L5"))), "a try needs no queue room");

        apply(1, release("L5"));
        assertEquals(LockTable.WAITERS_MAX - onL5, table.waiterCount(), "all of session 2's waits on L5 granted");
        // the host reports only answers to sequences still in the session's window (the latest of its window)
        assertEquals(2, holderSession(h.query(holder("L5"))));
        final long highest = seqs.get(2L);
        final long inWindow = l5Sequences.stream().filter(q -> q > highest - h.host.sessionWindow(2)).count();
        assertEquals(inWindow, h.deferred.size(), "L5 waits among session 2's window of latest sequences");
        assertTrue(inWindow > 0);
        for (final HostHarness.Deferred d : h.deferred)
        {
            assertDeferred(d, 2, d.sequence(), GRANTED, h.slot);
        }
        final int reported = h.deferred.size();
        waitFor(2, "L6", 60_000);
        h.close(2);
        assertEquals(0, table.waiterCount());
        assertEquals(LockTable.LOCKS_MAX - 1, table.lockCount(), "L5 was session 2's");
        h.close(1);
        assertEquals(0, table.lockCount());
        assertEquals(reported, h.deferred.size());
    }

    @Test
    void manyLocksSurviveTableGrowthAndRemoval()
    {
        open(1, 2);
        // 4,096 locks fill the table to its fullest (half) before it grows: long clusters, some wrapping its end;
        // rounds of releasing a third and refilling with new names move them around
        final int full = 4_096;
        final Random rnd = new Random(7);
        final List<String> names = new java.util.ArrayList<>();
        final List<Boolean> held = new java.util.ArrayList<>();
        int count = 0;
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < names.size(); i++)
            {
                if (held.get(i) && rnd.nextInt(3) == 0)
                {
                    assertEquals(RELEASED, status(apply(1, release(names.get(i)))), names.get(i));
                    held.set(i, false);
                    count--;
                }
            }
            while (count < full)
            {
                final String name = "lock/" + names.size();
                assertEquals(GRANTED, status(apply(1, tryAcquire(name))), name);
                names.add(name);
                held.add(true);
                count++;
            }
            assertEquals(count, table.lockCount());
            for (int i = 0; i < names.size(); i++)
            {
                final byte[] who = h.query(holder(names.get(i)));
                assertEquals(held.get(i) ? HELD : FREE, status(who), names.get(i));
                assertEquals(held.get(i) ? 1 : 0, holderSession(who), names.get(i));
            }
        }
        for (int i = 0; i < names.size(); i++)
        {
            assertEquals(held.get(i) ? NOT_GRANTED : GRANTED, status(apply(2, tryAcquire(names.get(i)))),
                names.get(i));
        }
        assertEquals(names.size(), table.lockCount());
        h.close(1);
        h.close(2);
        assertEquals(0, table.lockCount());
        assertEquals(FREE, status(h.query(holder("lock/0"))));
    }

    @Test
    void malformedCommandsChangeNothing()
    {
        open(1);
        final byte[] good = acquire("a", 0);
        for (int cut = 1; cut < good.length; cut++)
        {
            assertEquals(0, apply(1, Arrays.copyOf(good, cut)).length, "truncated at " + cut);
        }
        assertEquals(0, apply(1, Arrays.copyOf(good, good.length + 1)).length, "trailing byte");
        final byte[] negative = acquire("a", 0);
        negative[negative.length - 1] = -1;
        negative[negative.length - 8] = -1;
        assertEquals(0, apply(1, negative).length, "negative timeout");
        final byte[] badOp = release("a");
        badOp[1] = 9;
        assertEquals(0, apply(1, badOp).length, "unknown op");
        final byte[] noName = {(byte)LockTable.MACHINE_ID, LockTable.OP_RELEASE, 0, 0};
        assertEquals(0, apply(1, noName).length, "empty name");
        final byte[] longName = new byte[1 + 3 + 257];
        longName[0] = (byte)LockTable.MACHINE_ID;
        longName[1] = LockTable.OP_RELEASE;
        longName[2] = 1;
        longName[3] = 1;
        assertEquals(0, apply(1, longName).length, "257-byte name");
        assertEquals(StateMachineHost.APPLIED, h.lastOutcome);
        assertEquals(0, h.query(acquire("a", 0)).length, "queries never acquire");
        assertEquals(0, h.query(release("a")).length, "queries never release");
        assertEquals(0, table.lockCount());
        assertEquals(LockTable.NO_STATUS, status(new byte[0]));

        assertThrows(IllegalArgumentException.class, () -> acquire("", 0));
        assertThrows(IllegalArgumentException.class, () -> acquire("x".repeat(257), 0));
        assertThrows(IllegalArgumentException.class, () -> acquire("x", -1));
        final String longest = "é".repeat(128);
        assertEquals(GRANTED, status(apply(1, acquire(longest, 0))), "256 bytes of UTF-8 is allowed");
        assertEquals(1, holderSession(h.query(holder(longest))));
    }

    @Test
    void decodersReadBuffersToo()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[20]);
        b.putByte(2, (byte)HELD);
        b.putLong(3, 42, java.nio.ByteOrder.BIG_ENDIAN);
        b.putLong(11, 7, java.nio.ByteOrder.BIG_ENDIAN);
        assertEquals(HELD, status(b, 2, 17));
        assertEquals(42, token(b, 2, 17));
        assertEquals(7, holderSession(b, 2, 17));
        assertEquals(0, holderSession(b, 2, 9));
        assertEquals(LockTable.NO_STATUS, status(b, 2, 0));
    }

    @Test
    void acquireAndReleaseOfAnExistingLockAllocateNothing()
    {
        open(1);
        final byte[][] commands = {acquire("orders", 0), check("orders", 1), release("orders")};
        final UnsafeBuffer[] buffers = {new UnsafeBuffer(commands[0]), new UnsafeBuffer(commands[1]),
            new UnsafeBuffer(commands[2])};
        long slot = h.slot;
        long seq = 0;
        for (int i = 0; i < 99_999; i++)
        {
            h.host.apply(++slot, h.timeNs, 1, ++seq, buffers[i % 3], 0, commands[i % 3].length);
        }
        assertEquals(RELEASED, h.host.result().getByte(0));
        final com.sun.management.ThreadMXBean bean =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 999_999; i++)
        {
            h.host.apply(++slot, h.timeNs, 1, ++seq, buffers[i % 3], 0, commands[i % 3].length);
        }
        final long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertEquals(RELEASED, h.host.result().getByte(0));
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes over 1M commands");
    }

    // ------------------------------------------------------------------ randomized: snapshots and safety

    /** Passes everything to a lock table, noting how many answers were deferred when a command or close began. */
    private static final class Marking implements StateMachine
    {
        final LockTable table;
        List<HostHarness.Deferred> deferred;
        int mark = -1;

        Marking(final LockTable table)
        {
            this.table = table;
        }

        public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
            final MutableDirectBuffer result)
        {
            mark = deferred.size();
            return table.apply(ctx, command, offset, length, result);
        }

        public int query(final DirectBuffer query, final int offset, final int length,
            final MutableDirectBuffer result)
        {
            return table.query(query, offset, length, result);
        }

        public void onSessionClosed(final ApplyContext ctx, final long sessionId)
        {
            mark = deferred.size();
            table.onSessionClosed(ctx, sessionId);
        }

        public void onTimer(final ApplyContext ctx, final long timerId)
        {
            table.onTimer(ctx, timerId);
        }

        public void snapshot(final SnapshotWriter writer)
        {
            table.snapshot(writer);
        }

        public void restore(final SnapshotReader reader)
        {
            table.restore(reader);
        }
    }

    private static final class Replica
    {
        final LockTable table;
        final Marking marking;
        final HostHarness h;

        Replica(final long lockDelayNs)
        {
            table = new LockTable(lockDelayNs);
            marking = new Marking(table);
            h = new HostHarness(new CounterMachine(), marking);
            marking.deferred = h.deferred;
        }

        byte[] snapshot()
        {
            final SnapshotWriter w = new SnapshotWriter();
            h.host.snapshot(w);
            return Arrays.copyOf(w.buffer().byteArray(), w.length());
        }
    }

    /** What the lock service promised so far, rebuilt from its answers in log order; fails on a violation. */
    private static final class Model
    {
        final long lockDelayNs;
        final long[] holder;
        final long[] heldToken;
        final long[] lastToken;
        final long[] delayUntil;
        final Map<String, Integer> waiting = new HashMap<>();
        final String seed;

        Model(final int locks, final long lockDelayNs, final String seed)
        {
            this.lockDelayNs = lockDelayNs;
            this.seed = seed;
            holder = new long[locks];
            heldToken = new long[locks];
            lastToken = new long[locks];
            delayUntil = new long[locks];
        }

        boolean grantable(final int lock, final long now)
        {
            return holder[lock] == 0 && now >= delayUntil[lock];
        }

        void granted(final int lock, final long session, final long token, final long now)
        {
            if (holder[lock] == session)
            {
                assertEquals(heldToken[lock], token, seed + ": a re-grant keeps the token");
                return;
            }
            assertEquals(0, holder[lock], seed + ": lock " + lock + " granted to " + session + " while held");
            assertTrue(now >= delayUntil[lock], seed + ": lock " + lock + " granted during its lock-delay");
            assertTrue(token > lastToken[lock], seed + ": lock " + lock + " token " + token + " after " +
                lastToken[lock]);
            holder[lock] = session;
            heldToken[lock] = token;
            lastToken[lock] = token;
        }

        void answered(final HostHarness.Deferred d, final long now)
        {
            final Integer lock = waiting.remove(d.sessionId() + ":" + d.sequence());
            assertNotNull(lock, seed + ": answer to " + d.sessionId() + ":" + d.sequence() + " that does not wait");
            final int status = status(d.result());
            if (status == GRANTED)
            {
                granted(lock, d.sessionId(), token(d.result()), now);
            }
            else
            {
                assertEquals(TIMED_OUT, status, seed);
                assertTrue(holder[lock] != d.sessionId(), seed);
            }
        }

        void closed(final long session, final long now)
        {
            waiting.keySet().removeIf(k -> k.startsWith(session + ":"));
            for (int lock = 0; lock < holder.length; lock++)
            {
                if (holder[lock] == session)
                {
                    holder[lock] = 0;
                    delayUntil[lock] = now + lockDelayNs;
                }
            }
        }
    }

    @Test
    void randomRunsRestoredFromASnapshotAtAnyPointBehaveIdenticallyAndStaySafe()
    {
        for (int seed = 1; seed <= 200; seed++)
        {
            randomRun(seed);
        }
    }

    private static void randomRun(final int seed)
    {
        final String where = "seed " + seed;
        final Random rnd = new Random(seed * 0x9E3779B97F4A7C15L); // consecutive small seeds start alike
        final int users = 5;
        final int locks = 3;
        final int steps = 300;
        final long lockDelayNs = seed % 2 == 0 ? 0 : (1 + rnd.nextInt(60)) * MS;
        final long[] timeoutsMs = {5, 20, 80, 400};
        final int snapshotAt = rnd.nextInt(steps);
        final Replica a = new Replica(lockDelayNs);
        Replica b = null;
        final Model model = new Model(locks, lockDelayNs, where);
        final long[] session = new long[users];
        final Map<Long, Long> seqs = new HashMap<>();
        final Map<Long, byte[]> lastCommand = new HashMap<>();
        long nextSession = 1;
        for (int u = 0; u < users; u++)
        {
            session[u] = nextSession++;
            a.h.open(session[u], 10_000);
        }
        for (int step = 0; step <= steps; step++)
        {
            final String at = where + " step " + step;
            if (step == snapshotAt)
            {
                final byte[] image = a.snapshot();
                b = new Replica(lockDelayNs);
                b.h.host.restore(new SnapshotReader(new UnsafeBuffer(image), 0, image.length));
                b.h.slot = a.h.slot;
                b.h.timeNs = a.h.timeNs;
                assertArrayEquals(image, b.snapshot(), at + ": restored snapshot");
                assertEquals(a.table.digest(), b.table.digest(), at);
            }
            final int start = a.h.deferred.size();
            final int startB = b == null ? 0 : b.h.deferred.size();
            a.marking.mark = -1;
            final int u = rnd.nextInt(users);
            final int lock = rnd.nextInt(locks);
            final String name = "lock-" + lock;
            final long s = session[u];
            final int r = step == steps ? -1 : rnd.nextInt(100);
            long advance = rnd.nextInt(4) * MS;
            byte[] command = null;
            boolean retry = false;
            boolean close = false;
            if (r < 0)
            {
                advance = 3_600_000 * MS; // the end: every wait times out or is granted
            }
            else if (r < 30)
            {
                command = acquire(name, timeoutsMs[rnd.nextInt(timeoutsMs.length)]);
            }
            else if (r < 42)
            {
                command = tryAcquire(name);
            }
            else if (r < 70)
            {
                command = release(name);
            }
            else if (r < 76)
            {
                close = true;
            }
            else if (r < 88)
            {
                advance += rnd.nextInt(60) * MS;
            }
            else if (r < 94 && lastCommand.containsKey(s))
            {
                command = lastCommand.get(s);
                retry = true;
            }
            else
            {
                final long token = model.lastToken[lock] - rnd.nextInt(2);
                final byte[] q = rnd.nextBoolean() ? holder(name) : check(name, token);
                final byte[] qa = a.h.query(q);
                if (b != null)
                {
                    assertArrayEquals(qa, b.h.query(q), at + ": query");
                }
            }
            for (final Replica x : b == null ? List.of(a) : List.of(a, b))
            {
                x.h.timeNs += advance;
                if (command != null)
                {
                    final long seq = retry ? seqs.get(s) : seqs.getOrDefault(s, 0L) + 1;
                    x.h.apply(s, seq, command);
                }
                else if (close)
                {
                    x.h.close(s);
                }
                else
                {
                    x.h.tick();
                }
            }
            final byte[] result = Arrays.copyOf(a.h.host.result().byteArray(), a.h.host.resultLength());
            final int outcome = a.h.lastOutcome;
            if (command != null && !retry)
            {
                seqs.merge(s, 1L, Long::sum);
                lastCommand.put(s, command);
            }
            if (b != null)
            {
                assertEquals(outcome, b.h.lastOutcome, at + ": outcome");
                assertArrayEquals(result, Arrays.copyOf(b.h.host.result().byteArray(), b.h.host.resultLength()),
                    at + ": result");
                assertEquals(format(a.h.deferred.subList(start, a.h.deferred.size())),
                    format(b.h.deferred.subList(startB, b.h.deferred.size())), at + ": deferred answers");
                assertEquals(a.table.digest(), b.table.digest(), at + ": state");
            }

            // safety, judged from the answers in log order: earlier deferred answers (timers), the command
            // or close itself, then the answers it gave
            final long now = a.h.host.logTimeNs();
            final int end = a.h.deferred.size();
            final int mark = a.marking.mark < 0 ? end : a.marking.mark;
            for (int i = start; i < mark; i++)
            {
                model.answered(a.h.deferred.get(i), now);
            }
            if (close)
            {
                model.closed(s, now);
            }
            else if (command != null && retry)
            {
                assertTrue(outcome == StateMachineHost.DUPLICATE || outcome == StateMachineHost.WAITING, at);
                assertEquals(outcome == StateMachineHost.WAITING,
                    model.waiting.containsKey(s + ":" + seqs.get(s)), at + ": a pending retry still waits");
            }
            else if (command != null)
            {
                assertEquals(lock, command[command.length - (command[1] == LockTable.OP_RELEASE ? 1 : 9)] - '0');
                checkAnswer(model, at, command[1], lock, s, seqs.get(s), outcome, result, now);
            }
            for (int i = mark; i < end; i++)
            {
                model.answered(a.h.deferred.get(i), now);
            }
            for (int l = 0; l < locks; l++)
            {
                final byte[] who = a.h.query(holder("lock-" + l));
                final int expected = model.holder[l] != 0 ? HELD : now < model.delayUntil[l] ? DELAYED : FREE;
                assertEquals(LockResults.statusName(expected), LockResults.statusName(status(who)), at + " lock " + l);
                assertEquals(model.holder[l], holderSession(who), at + " lock " + l);
                if (expected == HELD)
                {
                    assertEquals(model.heldToken[l], token(who), at + " lock " + l);
                }
            }
            if (close)
            {
                session[u] = nextSession++;
                for (final Replica x : b == null ? List.of(a) : List.of(a, b))
                {
                    x.h.open(session[u], 10_000);
                }
            }
        }
        assertTrue(model.waiting.isEmpty(), where + ": unanswered waits " + model.waiting);
        assertEquals(0, a.table.waiterCount(), where);
        assertNotNull(b, where);
        assertEquals(a.table.digest(), b.table.digest(), where);
        assertArrayEquals(a.snapshot(), b.snapshot(), where + ": final snapshots");
    }

    private static String format(final List<HostHarness.Deferred> answers)
    {
        final StringBuilder b = new StringBuilder();
        for (final HostHarness.Deferred d : answers)
        {
            b.append(d.sessionId()).append(':').append(d.sequence()).append('@').append(d.slot()).append('=')
                .append(Arrays.toString(d.result())).append(' ');
        }
        return b.toString();
    }

    private static void checkAnswer(final Model model, final String at, final byte op, final int lock,
        final long session, final long seq, final int outcome, final byte[] result, final long now)
    {
        assertEquals(op == LockTable.OP_ACQUIRE && outcome == StateMachineHost.PENDING ? StateMachineHost.PENDING :
            StateMachineHost.APPLIED, outcome, at);
        if (outcome == StateMachineHost.PENDING)
        {
            assertTrue(model.holder[lock] != session && !model.grantable(lock, now), at + ": waits for a free lock");
            assertEquals(null, model.waiting.put(session + ":" + seq, lock), at);
            return;
        }
        final int status = status(result);
        switch (status)
        {
            case GRANTED:
                model.granted(lock, session, token(result), now);
                break;
            case NOT_GRANTED:
                assertTrue(model.holder[lock] != session && !model.grantable(lock, now), at + ": refused a free lock");
                assertEquals(model.lastToken[lock], token(result), at);
                break;
            case RELEASED:
                assertEquals(session, model.holder[lock], at + ": released by a non-holder");
                assertEquals(model.heldToken[lock], token(result), at);
                model.holder[lock] = 0;
                break;
            case NOT_HOLDER:
                assertTrue(model.holder[lock] != session, at + ": the holder could not release");
                break;
            default:
                fail(at + ": unexpected " + LockResults.statusName(status));
        }
    }
}
