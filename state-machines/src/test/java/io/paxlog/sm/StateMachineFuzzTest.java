package io.paxlog.sm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input (issue 7): state-machine command and query decoding. Arbitrary bytes go through
 * {@link StateMachineHost} into {@link CounterMachine} and {@link LockTable} as a log would deliver them.
 *
 * <p>Input format of {@link #replicasApplyingTheSameBytesAgree} (so seeds are readable and mutations stay
 * meaningful): records {@code [op][length][length bytes]}; see {@link Op}. Two replicas apply every record; one
 * of them is replaced, when the input asks, by a fresh host restored from the other's snapshot (a follower that
 * installed a snapshot). Properties: nothing throws out of apply or query; both replicas give the same outcome,
 * result, deferred answers and query answers at every step; their snapshots are byte-equal at the end.
 */
class StateMachineFuzzTest
{
    /** The ops of the input format. */
    static final class Op
    {
        static final int OPEN = 0;       // session (b0 & 3) + 1, ttl ms from b1.. (big-endian long) if present
        static final int COMMAND = 1;    // session (b0 & 3) + 1, sequence b1 (0: an event entry), payload b2..
        static final int QUERY = 2;      // query bytes (first byte: machine id)
        static final int CLOSE = 3;      // session (b0 & 3) + 1
        static final int TIME = 4;       // log time advances by b0 * 10 ms, then a tick event
        static final int NOOP = 5;       // a no-op entry
        static final int RESTORE = 6;    // replica B := a fresh host restored from replica A's snapshot
        static final int COUNT = 7;

        private Op()
        {
        }
    }

    /** One replica: the host, its deferred answers and the slot/time it is at. */
    private static final class Replica
    {
        final List<String> deferred = new ArrayList<>();
        final StateMachineHost host;

        Replica()
        {
            host = new StateMachineHost((s, q, slot, r, o, l) -> deferred.add(s + "/" + q + "@" + slot + "=" +
                Arrays.toString(copy(r, o, l))), Machines.standard());
        }

        byte[] snapshot()
        {
            final SnapshotWriter w = new SnapshotWriter();
            host.snapshot(w);
            return copy(w.buffer(), 0, w.length());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void replicasApplyingTheSameBytesAgree(final byte[] input)
    {
        final Replica a = new Replica();
        Replica b = new Replica();
        long slot = 0;
        long timeNs = 1_000_000_000L;
        int p = 0;
        int steps = 0;
        while (p + 2 <= input.length && steps++ < 256)
        {
            final int op = (input[p] & 0xFF) % Op.COUNT;
            final int length = Math.min(input[p + 1] & 0xFF, input.length - p - 2);
            final byte[] bytes = Arrays.copyOfRange(input, p + 2, p + 2 + length);
            p += 2 + length;
            final long session = (length > 0 ? bytes[0] & 3 : 0) + 1;
            switch (op)
            {
                case Op.OPEN:
                {
                    final long ttlMs = length >= 9 ? new UnsafeBuffer(bytes).getLong(1, java.nio.ByteOrder.BIG_ENDIAN) :
                        10_000;
                    both(a, b, ++slot, timeNs, session, 0, StateMachineHost.openEvent(ttlMs, 1 + (int)(session % StateMachineHost.SESSION_WINDOW)));
                    break;
                }
                case Op.COMMAND:
                {
                    final long sequence = length > 1 ? bytes[1] & 0xFF : 1;
                    final byte[] payload = length > 2 ? Arrays.copyOfRange(bytes, 2, length) : new byte[0];
                    both(a, b, ++slot, timeNs, session, sequence, payload);
                    break;
                }
                case Op.QUERY:
                {
                    final boolean qa = a.host.query(new UnsafeBuffer(bytes), 0, length);
                    final boolean qb = b.host.query(new UnsafeBuffer(bytes), 0, length);
                    assertEquals(qa, qb, "query accepted on one replica only");
                    assertArrayEquals(copy(a.host.result(), 0, a.host.resultLength()),
                        copy(b.host.result(), 0, b.host.resultLength()), "query answers differ");
                    break;
                }
                case Op.CLOSE:
                    both(a, b, ++slot, timeNs, session, 0, StateMachineHost.closeEvent());
                    break;
                case Op.TIME:
                    timeNs += (length > 0 ? bytes[0] & 0xFF : 1) * 10_000_000L;
                    both(a, b, ++slot, timeNs, 0, 0, StateMachineHost.tickEvent());
                    break;
                case Op.NOOP:
                    slot++;
                    assertEquals(a.host.applyNoop(slot, timeNs), b.host.applyNoop(slot, timeNs));
                    assertEquals(a.deferred, b.deferred, "deferred answers differ after a no-op");
                    break;
                case Op.RESTORE:
                {
                    final byte[] image = a.snapshot();
                    final Replica restored = new Replica();
                    restored.host.restore(new SnapshotReader(new UnsafeBuffer(image), 0, image.length));
                    restored.deferred.addAll(a.deferred);
                    assertArrayEquals(image, restored.snapshot(), "a restored replica snapshots differently");
                    b = restored;
                    break;
                }
                default:
                    throw new AssertionError(op);
            }
        }
        assertArrayEquals(a.snapshot(), b.snapshot(), "replicas diverged");
        assertEquals(a.deferred, b.deferred, "deferred answers differ");
    }

    private static void both(final Replica a, final Replica b, final long slot, final long timeNs, final long session,
        final long sequence, final byte[] payload)
    {
        final int oa = a.host.apply(slot, timeNs, session, sequence, new UnsafeBuffer(payload), 0, payload.length);
        final byte[] ra = copy(a.host.result(), 0, a.host.resultLength());
        final int ob = b.host.apply(slot, timeNs, session, sequence, new UnsafeBuffer(payload), 0, payload.length);
        final byte[] rb = copy(b.host.result(), 0, b.host.resultLength());
        assertTrue(oa >= StateMachineHost.APPLIED && oa <= StateMachineHost.WAITING, "unknown outcome " + oa);
        assertEquals(oa, ob, "outcomes differ at slot " + slot);
        assertArrayEquals(ra, rb, "results differ at slot " + slot);
        assertEquals(a.deferred, b.deferred, "deferred answers differ at slot " + slot);
    }

    /**
     * A snapshot image from arbitrary bytes (a snapshot transfer is checksummed, so this is defence in depth):
     * {@link StateMachineHost#restore} either refuses it with an IllegalStateException or builds a state whose own
     * snapshot restores to the same bytes.
     */
    @FuzzTest(maxDuration = "30s")
    void restoreFromArbitraryBytesRefusesOrRoundTrips(final byte[] image)
    {
        final Replica r = new Replica();
        try
        {
            r.host.restore(new SnapshotReader(new UnsafeBuffer(image), 0, image.length));
        }
        catch (final IllegalStateException expected)
        {
            return;
        }
        final byte[] again = r.snapshot();
        final Replica second = new Replica();
        second.host.restore(new SnapshotReader(new UnsafeBuffer(again), 0, again.length));
        assertArrayEquals(again, second.snapshot(), "snapshot of a restored state does not round-trip");
    }

    static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return out;
    }
}
