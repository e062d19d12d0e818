package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.core.Invariants;
import io.paxlog.core.Invariants.InvariantViolation;
import io.paxlog.sm.ApplyContext;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-stop's pieces: a hosted machine's exceptions come out of every call that changes or writes its state as a
 * {@link StateMachineException} naming the machine, the call and the slot (a query's and an Error pass unchanged);
 * {@link FailStop} tells the failures that stop a node from the rest, names one in one line, and its guard records a
 * failure inside a poll (stopping the journal's writes) and ignores every fragment after it.
 */
class GuardedMachineTest
{
    private static final UnsafeBuffer COMMAND = new UnsafeBuffer(new byte[8]);

    @Test
    void exceptionsFromCallsThatChangeStateNameTheMachineTheCallAndTheSlot()
    {
        final Throwing machine = new Throwing(new IllegalArgumentException("bad\nbytes"));
        final StateMachine guarded = GuardedMachine.guard(new Throwing(null), machine)[1];
        final ApplyContext ctx = new Context(42);
        final ExpandableArrayBuffer result = new ExpandableArrayBuffer();
        final List<StateMachineException> thrown = new ArrayList<>();
        for (final Runnable call : List.<Runnable>of(() -> guarded.apply(ctx, COMMAND, 0, 8, result),
            () -> guarded.onSessionOpened(ctx, 7), () -> guarded.onSessionClosed(ctx, 7), () -> guarded.onTimer(ctx, 3),
            () -> guarded.snapshot(new SnapshotWriter()),
            () -> guarded.restore(new SnapshotReader(new UnsafeBuffer(new byte[8]), 0, 8))))
        {
            thrown.add(assertThrows(StateMachineException.class, call::run));
        }
        final String name = Throwing.class.getName();
        assertEquals("state machine 1 (" + name + ") threw from apply at slot 42: " +
            "java.lang.IllegalArgumentException: bad bytes", thrown.get(0).getMessage(), "one line");
        assertEquals(List.of("apply", "onSessionOpened", "onSessionClosed", "onTimer", "snapshot", "restore"),
            thrown.stream().map(StateMachineException::call).toList());
        assertEquals(List.of(42L, 42L, 42L, 42L, 0L, 0L), thrown.stream().map(StateMachineException::slot).toList());
        for (final StateMachineException ex : thrown)
        {
            assertEquals(1, ex.machineId());
            assertSame(machine.toThrow, ex.getCause());
            assertTrue(FailStop.isFatal(ex));
        }
        assertEquals("state machine 1 (" + name + ") threw from snapshot: java.lang.IllegalArgumentException: bad " +
            "bytes", thrown.get(4).getMessage());
    }

    @Test
    void aQuerysExceptionAndAnErrorPassUnchanged()
    {
        final Throwing machine = new Throwing(new IllegalStateException("query"));
        final StateMachine guarded = GuardedMachine.guard(machine)[0];
        assertSame(machine.toThrow, assertThrows(IllegalStateException.class,
            () -> guarded.query(COMMAND, 0, 8, new ExpandableArrayBuffer())));
        final Throwing failing = new Throwing(new StackOverflowError());
        assertSame(failing.toThrow, assertThrows(StackOverflowError.class,
            () -> GuardedMachine.guard(failing)[0].apply(new Context(1), COMMAND, 0, 8, new ExpandableArrayBuffer())));
    }

    @Test
    void whatStopsANodeAndItsOneLine()
    {
        final InvariantViolation invariant = assertThrows(InvariantViolation.class,
            () -> Invariants.check(false, "a rule"));
        assertTrue(FailStop.isFatal(invariant));
        assertTrue(FailStop.isFatal(new OutOfMemoryError("heap")));
        assertTrue(FailStop.isFatal(new RuntimeException("wrapped", invariant)), "found among the causes");
        assertFalse(FailStop.isFatal(new IllegalStateException("not ours")));
        assertFalse(FailStop.isFatal(new IllegalArgumentException("bad frame")));
        assertEquals("invariant violated: a rule", FailStop.reason(invariant, false));
        assertEquals("java.lang.OutOfMemoryError: heap", FailStop.reason(new OutOfMemoryError("heap"), false));
        assertEquals("java.lang.IllegalStateException: journal corrupt: x (while starting: restoring the snapshot or " +
            "replaying the journal)", FailStop.reason(new IllegalStateException("journal corrupt:\nx"), true));
        assertEquals(603, FailStop.reason(new IllegalStateException("y".repeat(2000)), false).length(), "bounded");
    }

    @Test
    void theGuardRecordsAFailureInsideAPollStopsTheJournalAndIgnoresTheRest() throws Exception
    {
        try (ChronicleJournal journal = new ChronicleJournal(ScratchDirs.create("guard"), SyncPolicy.BATCH))
        {
            final FailStop failStop = new FailStop(journal);
            final List<Integer> handled = new ArrayList<>();
            final StateMachineException failure = new StateMachineException(0, "M", "apply", 9,
                new IllegalStateException("boom"));
            final io.aeron.logbuffer.FragmentHandler guarded = failStop.guard((buffer, offset, length, header) ->
            {
                handled.add(length);
                if (length == 2)
                {
                    throw new IllegalArgumentException("not fatal: as before");
                }
                if (length == 3)
                {
                    throw failure;
                }
            });
            guarded.onFragment(COMMAND, 0, 1, null);
            assertThrows(IllegalArgumentException.class, () -> guarded.onFragment(COMMAND, 0, 2, null));
            assertFalse(failStop.failed());
            assertNull(failStop.failure());
            guarded.onFragment(COMMAND, 0, 3, null); // recorded, not thrown (Aeron's poll would swallow it)
            guarded.onFragment(COMMAND, 0, 4, null);
            assertEquals(List.of(1, 2, 3), handled, "nothing handled after the failure");
            assertTrue(failStop.failed());
            assertSame(failure, failStop.failure());
            assertTrue(journal.writesStopped());
            assertEquals("state machine 0 (M) threw from apply at slot 9: java.lang.IllegalStateException: boom",
                failStop.reason());
            final AgentTerminationException end = failStop.termination();
            assertSame(failure, end.getCause());
            failStop.record(new OutOfMemoryError(), false);
            assertSame(failure, failStop.failure(), "the first failure counts");
        }
    }

    /** Throws {@code toThrow} from every call (or nothing when it is null). */
    private static final class Throwing implements StateMachine
    {
        final Throwable toThrow;

        Throwing(final Throwable toThrow)
        {
            this.toThrow = toThrow;
        }

        private void maybeThrow()
        {
            if (toThrow instanceof RuntimeException ex)
            {
                throw ex;
            }
            if (toThrow instanceof Error error)
            {
                throw error;
            }
        }

        public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
            final MutableDirectBuffer result)
        {
            maybeThrow();
            return 0;
        }

        public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
        {
            maybeThrow();
            return 0;
        }

        public void onSessionOpened(final ApplyContext ctx, final long sessionId)
        {
            maybeThrow();
        }

        public void onSessionClosed(final ApplyContext ctx, final long sessionId)
        {
            maybeThrow();
        }

        public void onTimer(final ApplyContext ctx, final long timerId)
        {
            maybeThrow();
        }

        public void snapshot(final SnapshotWriter writer)
        {
            maybeThrow();
        }

        public void restore(final SnapshotReader reader)
        {
            maybeThrow();
        }
    }

    /** The slot being applied; nothing else. */
    private record Context(long slot) implements ApplyContext
    {
        public long timestampNs()
        {
            return 0;
        }

        public long sessionId()
        {
            return 0;
        }

        public long sequence()
        {
            return 0;
        }

        public void scheduleTimer(final long timerId, final long deadlineNs)
        {
        }

        public void cancelTimer(final long timerId)
        {
        }

        public void respond(final long sessionId, final long sequence, final DirectBuffer result, final int offset,
            final int length)
        {
        }
    }
}
