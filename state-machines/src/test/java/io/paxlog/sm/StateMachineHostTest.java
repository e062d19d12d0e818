package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateMachineHostTest
{
    private static final long MS = 1_000_000L;
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final byte SCHEDULE = 'S';
    private static final byte CANCEL = 'C';
    private static final byte PEND = 'P';
    private static final byte RESPOND = 'R';
    private static final byte ECHO = 'E';

    /**
     * A test machine: schedules, cancels and answers on command, logs every call into a list shared with its
     * siblings, and can cancel or move other timers when one fires. Its state is the count of commands applied.
     */
    private static final class Probe implements StateMachine
    {
        final int id;
        final List<String> log;
        /** Timer id to {other timer id, new deadline or -1 to cancel}, acted on when the first one fires. */
        final Map<Long, long[]> onFire = new HashMap<>();
        long applied;

        Probe(final int id, final List<String> log)
        {
            this.id = id;
            this.log = log;
        }

        public int apply(final ApplyContext ctx, final DirectBuffer cmd, final int offset, final int length,
            final MutableDirectBuffer result)
        {
            applied++;
            log.add("apply m" + id + " slot " + ctx.slot() + " s" + ctx.sessionId() + ":" + ctx.sequence());
            switch (cmd.getByte(offset))
            {
                case SCHEDULE:
                    ctx.scheduleTimer(cmd.getLong(offset + 1, BE), cmd.getLong(offset + 9, BE));
                    break;
                case CANCEL:
                    ctx.cancelTimer(cmd.getLong(offset + 1, BE));
                    break;
                case PEND:
                    return PENDING;
                case RESPOND:
                    ctx.respond(cmd.getLong(offset + 1, BE), cmd.getLong(offset + 9, BE), cmd, offset + 17, length - 17);
                    break;
                default:
                    break;
            }
            result.putLong(0, applied, BE);
            return 8;
        }

        public int query(final DirectBuffer query, final int offset, final int length,
            final MutableDirectBuffer result)
        {
            result.putLong(0, applied, BE);
            return 8;
        }

        public void onSessionOpened(final ApplyContext ctx, final long sessionId)
        {
            log.add("open m" + id + " s" + sessionId);
        }

        public void onSessionClosed(final ApplyContext ctx, final long sessionId)
        {
            log.add("close m" + id + " s" + sessionId);
        }

        public void onTimer(final ApplyContext ctx, final long timerId)
        {
            log.add("timer m" + id + " #" + timerId + " slot " + ctx.slot() + " at " + ctx.timestampNs());
            final long[] action = onFire.get(timerId);
            if (action != null)
            {
                if (action[1] < 0)
                {
                    ctx.cancelTimer(action[0]);
                }
                else
                {
                    ctx.scheduleTimer(action[0], action[1]);
                }
            }
        }

        public void snapshot(final SnapshotWriter writer)
        {
            writer.writeLong(applied);
        }

        public void restore(final SnapshotReader reader)
        {
            applied = reader.readLong();
        }
    }

    private final List<String> log = new ArrayList<>();
    private final Probe m0 = new Probe(0, log);
    private final Probe m1 = new Probe(1, log);
    private final HostHarness h = new HostHarness(m0, m1);
    private final long t0 = h.timeNs;

    private static byte[] cmd(final int machine, final byte op, final long a, final long b, final String text)
    {
        final byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 16 + t.length).put((byte)machine).put(op).putLong(a).putLong(b).put(t)
            .array();
    }

    private static byte[] schedule(final int machine, final long timerId, final long deadlineNs)
    {
        return cmd(machine, SCHEDULE, timerId, deadlineNs, "");
    }

    private static byte[] cancel(final int machine, final long timerId)
    {
        return cmd(machine, CANCEL, timerId, 0, "");
    }

    private static byte[] respond(final int machine, final long session, final long sequence, final String text)
    {
        return cmd(machine, RESPOND, session, sequence, text);
    }

    private static byte[] echo(final int machine)
    {
        return new byte[] {(byte)machine, ECHO};
    }

    private List<String> drain()
    {
        final List<String> copy = new ArrayList<>(log);
        log.clear();
        return copy;
    }

    private static long valueOf(final byte[] result)
    {
        return ByteBuffer.wrap(result).getLong();
    }

    @Test
    void timersFireInDeadlineMachineAndIdOrderBeforeTheEntryThatReachesTheirDeadline()
    {
        h.open(1, 10_000);
        long seq = 0;
        h.apply(1, ++seq, schedule(1, 5, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 7, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(1, 2, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(1, 9, t0 + 5 * MS));
        h.apply(1, ++seq, schedule(0, 1, t0 + 20 * MS));
        h.apply(1, ++seq, schedule(0, (1L << 48) - 1, t0 + 10 * MS));
        assertEquals(t0 + 5 * MS, h.host.nextTimerDeadlineNs());
        drain();

        h.timeNs = t0 + 5 * MS - 1;
        h.apply(1, ++seq, echo(0));
        assertEquals(List.of("apply m0 slot " + h.slot + " s1:" + seq), drain(), "nothing is due yet");

        h.timeNs = t0 + 10 * MS;
        h.apply(1, ++seq, echo(0));
        final long slot = h.slot;
        final long due = t0 + 10 * MS;
        assertEquals(List.of(
            "timer m1 #9 slot " + slot + " at " + due,
            "timer m0 #7 slot " + slot + " at " + due,
            "timer m0 #" + ((1L << 48) - 1) + " slot " + slot + " at " + due,
            "timer m1 #2 slot " + slot + " at " + due,
            "timer m1 #5 slot " + slot + " at " + due,
            "apply m0 slot " + slot + " s1:" + seq), drain());
        assertEquals(t0 + 20 * MS, h.host.nextTimerDeadlineNs());

        h.timeNs = t0 + 20 * MS - 1;
        h.tick();
        assertEquals(List.of(), drain());
        h.timeNs = t0 + 20 * MS;
        h.tick();
        assertEquals(List.of("timer m0 #1 slot " + h.slot + " at " + h.timeNs), drain(), "a tick entry fires it");
        assertEquals(Long.MAX_VALUE, h.host.nextTimerDeadlineNs());

        h.timeNs = t0; // an entry stamped earlier does not move log time back
        h.tick();
        assertEquals(t0 + 20 * MS, h.host.logTimeNs());
    }

    @Test
    void cancelledAndMovedTimersDoNotFireAtTheirOldDeadline()
    {
        h.open(1, 10_000);
        long seq = 0;
        h.apply(1, ++seq, schedule(0, 1, t0 + 10 * MS));
        h.apply(1, ++seq, cancel(0, 1));
        h.apply(1, ++seq, schedule(0, 2, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 2, t0 + 30 * MS));
        h.apply(1, ++seq, schedule(1, 1, t0 + 10 * MS)); // the same id on another machine is another timer
        h.apply(1, ++seq, cancel(0, 99)); // not scheduled: no effect
        drain();

        h.timeNs = t0 + 10 * MS;
        h.tick();
        assertEquals(List.of("timer m1 #1 slot " + h.slot + " at " + h.timeNs), drain(),
            "m0 #1 was cancelled and m0 #2 moved");
        h.timeNs = t0 + 30 * MS - 1;
        h.tick();
        assertEquals(List.of(), drain());
        h.timeNs = t0 + 30 * MS;
        h.tick();
        assertEquals(List.of("timer m0 #2 slot " + h.slot + " at " + h.timeNs), drain());
        h.timeNs = t0 + 1_000 * MS;
        h.tick();
        assertEquals(List.of(), drain(), "each fired once");
        assertEquals(Long.MAX_VALUE, h.host.nextTimerDeadlineNs());
    }

    @Test
    void aTimerMovedWithinItsRoundFiresOnlyAtItsNewDeadline()
    {
        h.open(1, 10_000);
        long seq = 0;
        m0.onFire.put(1L, new long[] {2, t0 + 30 * MS});
        m0.onFire.put(3L, new long[] {4, -1});
        m0.onFire.put(5L, new long[] {8, t0 + 10 * MS});
        h.apply(1, ++seq, schedule(0, 1, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 2, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 3, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 4, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 5, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 6, t0 + 10 * MS));
        h.apply(1, ++seq, cancel(0, 6));
        h.apply(1, ++seq, schedule(0, 7, t0 + 10 * MS));
        h.apply(1, ++seq, schedule(0, 7, t0 + 25 * MS));
        drain();

        h.timeNs = t0 + 10 * MS;
        h.tick();
        final long at = h.timeNs;
        assertEquals(List.of(
            "timer m0 #1 slot " + h.slot + " at " + at,
            "timer m0 #3 slot " + h.slot + " at " + at,
            "timer m0 #5 slot " + h.slot + " at " + at,
            "timer m0 #8 slot " + h.slot + " at " + at), drain(),
            "#2 moved and #4 cancelled by earlier timers of the round, #6 cancelled, #7 moved; #8, scheduled " +
            "already due by #5, fires before the same entry");
        h.timeNs = t0 + 29 * MS;
        h.tick();
        assertEquals(List.of("timer m0 #7 slot " + h.slot + " at " + h.timeNs), drain());
        h.timeNs = t0 + 30 * MS;
        h.tick();
        assertEquals(List.of("timer m0 #2 slot " + h.slot + " at " + h.timeNs), drain());
        h.timeNs = t0 + 1_000 * MS;
        h.tick();
        assertEquals(List.of(), drain(), "each fired once");
    }

    @Test
    void aDeferredAnswerIsReportedOnceAndARetryGetsItAsADuplicate()
    {
        h.open(1, 10_000);
        h.open(2, 10_000);
        assertEquals(0, h.apply(1, 1, new byte[] {1, PEND}).length);
        assertEquals(StateMachineHost.PENDING, h.lastOutcome);
        assertEquals(StateMachineHost.WAITING, h.host.lookup(1, 1), "applied, answer to come");
        assertEquals(0, h.host.resultLength());
        assertEquals(StateMachineHost.UNKNOWN, h.host.lookup(1, 2));
        h.apply(1, 1, new byte[] {1, PEND});
        assertEquals(StateMachineHost.WAITING, h.lastOutcome, "a retry while pending is not applied again");
        assertEquals(1, m1.applied);

        h.apply(2, 1, respond(1, 1, 1, "filled"));
        final long answeredAt = h.slot;
        assertEquals(1, h.deferred.size());
        final HostHarness.Deferred d = h.deferred.get(0);
        assertEquals(1, d.sessionId());
        assertEquals(1, d.sequence());
        assertEquals(answeredAt, d.slot());
        assertEquals("filled", new String(d.result(), StandardCharsets.UTF_8));

        h.apply(2, 2, respond(1, 1, 1, "again"));
        h.apply(2, 3, respond(1, 1, 2, "never asked"));
        h.apply(2, 4, respond(1, 7, 1, "no such session"));
        assertEquals(1, h.deferred.size(), "answered once; unknown or answered sequences are ignored");

        final byte[] retry = h.apply(1, 1, new byte[] {1, PEND});
        assertEquals(StateMachineHost.DUPLICATE, h.lastOutcome);
        assertEquals("filled", new String(retry, StandardCharsets.UTF_8));
        assertEquals(StateMachineHost.DUPLICATE, h.host.lookup(1, 1));
        assertEquals("filled", new String(Arrays.copyOf(h.host.result().byteArray(), h.host.resultLength()),
            StandardCharsets.UTF_8));
        assertEquals(5, m1.applied, "the retries were never applied");
        assertEquals(1, h.deferred.size());
    }

    @Test
    void sessionsMustBeOpen()
    {
        final byte[] first = h.apply(9, 1, echo(0));
        assertEquals(StateMachineHost.NO_SESSION, h.lastOutcome);
        assertEquals(0, first.length);
        assertEquals(StateMachineHost.NO_SESSION, h.host.lookup(9, 1));
        assertEquals(0, m0.applied);
        h.close(9);
        assertEquals(List.of(), drain(), "closing an unknown session tells no machine");

        h.open(9, 5_000);
        assertEquals(List.of("open m0 s9", "open m1 s9"), drain());
        assertTrue(h.host.hasSession(9));
        assertEquals(5_000 * MS, h.host.sessionTtlNs(9));
        assertEquals(1, valueOf(h.apply(9, 1, echo(0))));
        assertEquals(StateMachineHost.APPLIED, h.lastOutcome);
        h.open(9, 7_000);
        assertEquals(List.of("apply m0 slot " + (h.slot - 1) + " s9:1"), drain(), "re-open only updates the TTL");
        assertEquals(7_000 * MS, h.host.sessionTtlNs(9));

        h.close(9);
        assertEquals(List.of("close m0 s9", "close m1 s9"), drain());
        assertFalse(h.host.hasSession(9));
        h.apply(9, 2, echo(0));
        assertEquals(StateMachineHost.NO_SESSION, h.lastOutcome);
        assertEquals(StateMachineHost.NO_SESSION, h.host.lookup(9, 1), "its results went with it");
        assertEquals(1, m0.applied);

        h.open(9, 5_000);
        h.apply(9, 3, new byte[] {5, ECHO});
        assertEquals(StateMachineHost.INVALID, h.lastOutcome, "no machine 5");
        h.apply(9, 4, new byte[0]);
        assertEquals(StateMachineHost.INVALID, h.lastOutcome, "empty payload");
    }

    @Test
    void sequencesOutsideTheWindowAreTooOld()
    {
        h.open(1, 10_000);
        final int w = h.host.sessionWindow(1);
        assertEquals(StateMachineHost.SESSION_WINDOW_UNSTATED, w);
        final long n = w + 72;
        for (long seq = 1; seq <= n; seq++)
        {
            assertEquals(seq, valueOf(h.apply(1, seq, echo(0))));
        }
        final long oldest = n - w + 1;
        assertEquals(StateMachineHost.TOO_OLD, h.host.lookup(1, oldest - 1));
        assertEquals(StateMachineHost.DUPLICATE, h.host.lookup(1, oldest));
        assertEquals(oldest, h.host.result().getLong(0, BE));
        h.apply(1, oldest - 1, echo(0));
        assertEquals(StateMachineHost.TOO_OLD, h.lastOutcome);
        assertEquals(0, h.host.resultLength());
        final byte[] dup = h.apply(1, oldest, echo(0));
        assertEquals(StateMachineHost.DUPLICATE, h.lastOutcome);
        assertEquals(oldest, valueOf(dup));
        assertEquals(n, m0.applied);

        // a jump ahead moves the window with it; gaps inside it are still unknown
        final long jump = n + w + 72;
        assertEquals(n + 1, valueOf(h.apply(1, jump, echo(0))));
        assertEquals(StateMachineHost.TOO_OLD, h.host.lookup(1, jump - w));
        assertEquals(StateMachineHost.TOO_OLD, h.host.lookup(1, n));
        assertEquals(StateMachineHost.UNKNOWN, h.host.lookup(1, jump - 1));
        assertEquals(n + 2, valueOf(h.apply(1, jump - 1, echo(0))), "a late sequence inside the window applies");
        assertEquals(StateMachineHost.TOO_OLD, h.host.lookup(1, 0));
    }

    @Test
    void eachSessionKeepsTheWindowItsClientAskedForRoundedUpToAPowerOfTwo()
    {
        assertEquals(1, StateMachineHost.windowFor(1));
        assertEquals(1024, StateMachineHost.windowFor(1000));
        assertEquals(4096, StateMachineHost.windowFor(4096));
        assertEquals(StateMachineHost.SESSION_WINDOW, StateMachineHost.windowFor(Integer.MAX_VALUE));
        assertEquals(StateMachineHost.SESSION_WINDOW_UNSTATED, StateMachineHost.windowFor(0));

        h.open(2, 10_000, 1000);
        assertEquals(1024, h.host.sessionWindow(2));
        // answered out of order, as a pipelining client's retries land: 1,000 sequences, odd ones first
        for (long seq = 1; seq <= 1000; seq += 2)
        {
            h.apply(2, seq, echo(1));
        }
        for (long seq = 2; seq <= 1000; seq += 2)
        {
            h.apply(2, seq, echo(1));
        }
        for (long seq = 1; seq <= 1000; seq++)
        {
            assertEquals(StateMachineHost.DUPLICATE, h.host.lookup(2, seq), "seq " + seq);
        }
        h.apply(2, 1024, echo(1));
        assertEquals(StateMachineHost.DUPLICATE, h.host.lookup(2, 1), "the window's far end");
        h.apply(2, 1025, echo(1));
        assertEquals(StateMachineHost.TOO_OLD, h.host.lookup(2, 1));
        assertEquals(StateMachineHost.DUPLICATE, h.host.lookup(2, 2));
        h.open(2, 10_000, 8);
        assertEquals(1024, h.host.sessionWindow(2), "a re-open keeps the first open's window");

        // a legacy open event (no window) gets 128
        final byte[] legacy = Arrays.copyOf(StateMachineHost.openEvent(10_000, 4096), 9);
        h.event(3, legacy);
        assertEquals(StateMachineHost.SESSION_WINDOW_UNSTATED, h.host.sessionWindow(3));

        // the window survives a snapshot, and the restored host answers alike
        final SnapshotWriter w = new SnapshotWriter();
        h.host.snapshot(w);
        final byte[] image = Arrays.copyOf(w.buffer().byteArray(), w.length());
        final HostHarness r = new HostHarness(new Probe(0, new ArrayList<>()), new Probe(1, new ArrayList<>()));
        r.host.restore(new SnapshotReader(new UnsafeBuffer(image), 0, image.length));
        assertEquals(1024, r.host.sessionWindow(2));
        assertEquals(StateMachineHost.SESSION_WINDOW_UNSTATED, r.host.sessionWindow(3));
        final SnapshotWriter again = new SnapshotWriter();
        r.host.snapshot(again);
        assertArrayEquals(image, Arrays.copyOf(again.buffer().byteArray(), again.length()));
        for (long seq = 0; seq <= 1026; seq++)
        {
            final int expected = h.host.lookup(2, seq);
            final int expectedLength = h.host.resultLength();
            assertEquals(expected, r.host.lookup(2, seq), "seq " + seq);
            assertEquals(expectedLength, r.host.resultLength(), "seq " + seq);
        }
    }

    @Test
    void aVersionOneSnapshotRestoresItsSessionsWithTheUnstatedWindow()
    {
        final SnapshotWriter w = new SnapshotWriter();
        // version 1: machine count, applied slot, log time, sessions (id, ttl, highest, cells), timers, machines
        w.writeInt(2).writeLong(5).writeLong(t0).writeInt(1);
        w.writeLong(9).writeLong(10_000 * MS).writeLong(3).writeInt(1);
        w.writeLong(3).writeByte((byte)1).writeBytes(new UnsafeBuffer(new byte[] {1, 2}), 0, 2);
        w.writeInt(0);
        final SnapshotWriter machines = new SnapshotWriter();
        m0.snapshot(machines);
        m1.snapshot(machines);
        final byte[] image = new byte[w.length() + machines.length()];
        w.buffer().getBytes(0, image, 0, w.length());
        machines.buffer().getBytes(0, image, w.length(), machines.length());
        final HostHarness r = new HostHarness(new Probe(0, new ArrayList<>()), new Probe(1, new ArrayList<>()));
        r.host.restore(new SnapshotReader(new UnsafeBuffer(image), 0, image.length));
        assertEquals(StateMachineHost.SESSION_WINDOW_UNSTATED, r.host.sessionWindow(9));
        assertEquals(StateMachineHost.DUPLICATE, r.host.lookup(9, 3));
        assertEquals(2, r.host.resultLength());
    }

    @Test
    void snapshotRestoresSessionsTimersAndMachines()
    {
        h.open(1, 10_000);
        h.open(2, 3_000);
        h.apply(1, 1, echo(0));
        h.apply(1, 2, new byte[] {1, PEND});
        h.apply(2, 1, new byte[] {1, PEND});
        h.apply(2, 2, respond(1, 1, 2, "done"));
        h.apply(1, 3, schedule(0, 4, t0 + 50 * MS));
        h.apply(1, 4, schedule(1, 4, t0 + 40 * MS));
        h.apply(1, 5, schedule(1, 8, t0 + 60 * MS));
        h.timeNs = t0 + 5 * MS;
        h.apply(2, 3, echo(1));

        final SnapshotWriter w = new SnapshotWriter();
        h.host.snapshot(w);
        final byte[] image = Arrays.copyOf(w.buffer().byteArray(), w.length());
        final List<String> restoredLog = new ArrayList<>();
        final Probe r0 = new Probe(0, restoredLog);
        final Probe r1 = new Probe(1, restoredLog);
        final HostHarness r = new HostHarness(r0, r1);
        r.host.restore(new SnapshotReader(new UnsafeBuffer(image), 0, image.length));
        r.slot = h.slot;
        r.timeNs = h.timeNs;

        final SnapshotWriter again = new SnapshotWriter();
        r.host.snapshot(again);
        assertArrayEquals(image, Arrays.copyOf(again.buffer().byteArray(), again.length()));
        assertEquals(h.host.appliedSlot(), r.host.appliedSlot());
        assertEquals(h.host.logTimeNs(), r.host.logTimeNs());
        assertEquals(2, r.host.sessionCount());
        assertEquals(3_000 * MS, r.host.sessionTtlNs(2));
        assertEquals(t0 + 40 * MS, r.host.nextTimerDeadlineNs());
        assertEquals(m0.applied, r0.applied);
        assertEquals(m1.applied, r1.applied);
        assertEquals(StateMachineHost.DUPLICATE, r.host.lookup(1, 2));
        assertEquals("done", new String(Arrays.copyOf(r.host.result().byteArray(), r.host.resultLength()),
            StandardCharsets.UTF_8));
        assertEquals(StateMachineHost.WAITING, r.host.lookup(2, 1));
        assertEquals(StateMachineHost.DUPLICATE, r.host.lookup(1, 1));
        assertEquals(StateMachineHost.UNKNOWN, r.host.lookup(1, 6));
        assertEquals(StateMachineHost.NO_SESSION, r.host.lookup(3, 1));

        // the same entries from here on give the same calls, results and answers
        log.clear();
        final int before = h.deferred.size();
        for (final HostHarness x : List.of(h, r))
        {
            x.timeNs = t0 + 45 * MS;
            x.apply(1, 6, respond(1, 2, 1, "late"));
            x.timeNs = t0 + 60 * MS;
            x.tick();
            x.close(2);
            x.apply(2, 4, echo(0));
        }
        assertEquals(List.of(
            "timer m1 #4 slot " + (h.slot - 3) + " at " + (t0 + 45 * MS),
            "apply m1 slot " + (h.slot - 3) + " s1:6",
            "timer m0 #4 slot " + (h.slot - 2) + " at " + (t0 + 60 * MS),
            "timer m1 #8 slot " + (h.slot - 2) + " at " + (t0 + 60 * MS),
            "close m0 s2",
            "close m1 s2"), log);
        assertEquals(log, restoredLog);
        assertEquals(before + 1, h.deferred.size());
        assertEquals(1, r.deferred.size());
        assertEquals(h.deferred.get(before).toString().replaceAll("\\[B@\\w+", ""),
            r.deferred.get(0).toString().replaceAll("\\[B@\\w+", ""));
        assertArrayEquals(h.deferred.get(before).result(), r.deferred.get(0).result());
        assertEquals(StateMachineHost.NO_SESSION, r.lastOutcome);
        final SnapshotWriter endA = new SnapshotWriter();
        final SnapshotWriter endB = new SnapshotWriter();
        h.host.snapshot(endA);
        r.host.snapshot(endB);
        assertArrayEquals(Arrays.copyOf(endA.buffer().byteArray(), endA.length()),
            Arrays.copyOf(endB.buffer().byteArray(), endB.length()));
    }

    @Test
    void aQueryThatThrowsIsRefusedAndCountedAndChangesNothing()
    {
        final StateMachine throwsOnQuery = new StateMachine()
        {
            public int apply(final ApplyContext ctx, final DirectBuffer cmd, final int offset, final int length,
                final MutableDirectBuffer result)
            {
                return 0;
            }

            public int query(final DirectBuffer query, final int offset, final int length,
                final MutableDirectBuffer result)
            {
                return query.getInt(offset + length); // reads past the query: a malformed one, as a machine may
            }

            public void snapshot(final SnapshotWriter writer)
            {
            }

            public void restore(final SnapshotReader reader)
            {
            }
        };
        final HostHarness x = new HostHarness(m0, throwsOnQuery);
        final UnsafeBuffer q = new UnsafeBuffer(new byte[] {1, 7});
        assertFalse(x.host.query(q, 0, 2), "refused, not thrown");
        assertEquals(1, x.host.queryFailures());
        assertEquals(0, x.host.resultLength());
        assertTrue(x.host.query(new UnsafeBuffer(new byte[] {0}), 0, 1), "the other machine still answers");
        assertEquals(8, x.host.resultLength());
        assertEquals(1, x.host.queryFailures());
    }

    /**
     * Every answer goes through the sink, the immediate ones too: the machine's result, the recorded result of a
     * duplicate, an empty answer for a pending command, a retry of it and a closed session; deferred answers an apply
     * produces come before that apply's own answer.
     */
    @Test
    void everyAnswerGoesThroughTheSinkDeferredOnesBeforeTheAnswerOfTheirApply()
    {
        final List<String> heard = new ArrayList<>();
        final StateMachineHost host = new StateMachineHost(new ResponseSink()
        {
            public void onDeferredResponse(final long sessionId, final long sequence, final long slot,
                final DirectBuffer result, final int offset, final int length)
            {
                heard.add("deferred s" + sessionId + "#" + sequence + " " + length + "B");
            }

            public void onAnswer(final long sessionId, final long sequence, final long slot, final int outcome,
                final DirectBuffer result, final int offset, final int length)
            {
                heard.add("answer s" + sessionId + "#" + sequence + " outcome " + outcome + " " +
                    (length == 8 ? "count " + result.getLong(offset, BE) : length + "B"));
            }
        }, new Probe(0, log));
        long slot = 0;
        final long t = 1_000_000_000L;
        final byte[] open = StateMachineHost.openEvent(10_000, 16);
        host.apply(++slot, t, 7, 0, new UnsafeBuffer(open), 0, open.length);
        final byte[] pend = cmd(0, PEND, 0, 0, "");
        final byte[] answerIt = respond(0, 7, 1, "done");
        final byte[] echo = echo(0);
        host.apply(++slot, t, 7, 1, new UnsafeBuffer(pend), 0, pend.length);
        host.apply(++slot, t, 7, 1, new UnsafeBuffer(pend), 0, pend.length);
        host.apply(++slot, t, 7, 2, new UnsafeBuffer(answerIt), 0, answerIt.length);
        host.apply(++slot, t, 7, 2, new UnsafeBuffer(answerIt), 0, answerIt.length);
        host.apply(++slot, t, 9, 1, new UnsafeBuffer(echo), 0, echo.length);
        assertEquals(List.of(
            "answer s7#1 outcome " + StateMachineHost.PENDING + " 0B",
            "answer s7#1 outcome " + StateMachineHost.WAITING + " 0B",
            "deferred s7#1 4B",
            "answer s7#2 outcome " + StateMachineHost.APPLIED + " count 2",
            "answer s7#2 outcome " + StateMachineHost.DUPLICATE + " count 2",
            "answer s9#1 outcome " + StateMachineHost.NO_SESSION + " 0B"), heard);
    }
}
