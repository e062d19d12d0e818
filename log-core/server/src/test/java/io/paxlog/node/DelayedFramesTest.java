package io.paxlog.node;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fault shim's holding area and the shim itself, without Aeron: release order and time, jitter, bounds. */
class DelayedFramesTest
{
    private static final long MS = 1_000_000L;

    /** What a sink saw: the frame's first int (its number) and the release time it was handed with. */
    private record Released(int number, int length, long releaseNs) { }

    private final List<Released> released = new ArrayList<>();
    private final DelayedFrames.Sink sink = (buffer, offset, length, releaseNs) ->
        released.add(new Released(buffer.getInt(offset), length, releaseNs));

    private static DirectBuffer frame(final int number, final int length)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        b.putInt(0, number);
        for (int i = 4; i < length; i++)
        {
            b.putByte(i, (byte)(number + i));
        }
        return b;
    }

    @Test
    void framesAreReleasedWhenDueInReleaseTimeOrderTiesInArrivalOrder()
    {
        final DelayedFrames held = new DelayedFrames(4096, 64);
        assertTrue(held.hold(frame(1, 40), 0, 40, 30 * MS));
        assertTrue(held.hold(frame(2, 40), 0, 40, 10 * MS));
        assertTrue(held.hold(frame(3, 40), 0, 40, 20 * MS));
        assertTrue(held.hold(frame(4, 40), 0, 40, 20 * MS));
        assertEquals(4, held.count());
        assertEquals(10 * MS, held.nextReleaseNs());

        assertEquals(0, held.releaseDue(10 * MS - 1, 64, sink), "nothing is due before its time");
        assertEquals(1, held.releaseDue(20 * MS - 1, 64, sink));
        assertEquals(0, held.releaseDue(20 * MS - 1, 64, sink), "a frame is released once");
        assertEquals(2, held.releaseDue(25 * MS, 64, sink), "3 and 4 share a release time");
        assertEquals(1, held.releaseDue(Long.MAX_VALUE, 64, sink));
        assertEquals(List.of(new Released(2, 40, 10 * MS), new Released(3, 40, 20 * MS), new Released(4, 40, 20 * MS),
            new Released(1, 40, 30 * MS)), released);
        assertEquals(0, held.count());
        assertEquals(Long.MAX_VALUE, held.nextReleaseNs());
    }

    @Test
    void releaseIsBoundedPerCall()
    {
        final DelayedFrames held = new DelayedFrames(4096, 64);
        for (int i = 0; i < 10; i++)
        {
            held.hold(frame(i, 16), 0, 16, MS);
        }
        assertEquals(4, held.releaseDue(MS, 4, sink));
        assertEquals(6, held.count());
        assertEquals(6, held.releaseDue(MS, 64, sink));
        for (int i = 0; i < 10; i++)
        {
            assertEquals(i, released.get(i).number());
        }
    }

    @Test
    void overflowIsDroppedAndCountedAndTheSpaceComesBackInArrivalOrder()
    {
        // records are 16 + 48 = 64 bytes: four fit in 256
        final DelayedFrames held = new DelayedFrames(256, 64);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(held.hold(frame(i, 48), 0, 48, (10 - i) * MS));
        }
        assertFalse(held.hold(frame(4, 48), 0, 48, MS));
        assertEquals(1, held.dropped());
        assertEquals(4, held.count());

        // frame 3 (the last to arrive) is due first; its bytes stay taken until frames 0..2 are released
        assertEquals(1, held.releaseDue(7 * MS, 64, sink));
        assertFalse(held.hold(frame(5, 48), 0, 48, MS));
        assertEquals(2, held.dropped());
        // frame 0 (the oldest) released: its 64 bytes at the start of the ring come back, the next frame wraps there
        assertEquals(3, held.releaseDue(10 * MS, 64, sink));
        assertEquals(0, held.count());
        for (int i = 0; i < 6; i++)
        {
            assertTrue(held.hold(frame(10 + i, 24), 0, 24, (20 + i) * MS), "40-byte records: six fit in 256");
        }
        assertFalse(held.hold(frame(16, 24), 0, 24, 30 * MS));
        assertEquals(3, held.dropped());
        assertEquals(3, held.releaseDue(22 * MS, 64, sink));
        assertTrue(held.hold(frame(17, 48), 0, 48, 40 * MS), "wraps into the space the first three gave back");
        assertEquals(4, held.releaseDue(Long.MAX_VALUE, 64, sink));
        final List<Integer> order = released.stream().map(Released::number).toList();
        assertEquals(List.of(3, 2, 1, 0, 10, 11, 12, 13, 14, 15, 17), order);
        assertEquals(48, released.get(released.size() - 1).length());
    }

    @Test
    void framesCountLimitIsABoundToo()
    {
        final DelayedFrames held = new DelayedFrames(4096, 2);
        assertTrue(held.hold(frame(1, 8), 0, 8, MS));
        assertTrue(held.hold(frame(2, 8), 0, 8, MS));
        assertFalse(held.hold(frame(3, 8), 0, 8, MS));
        assertEquals(1, held.dropped());
    }

    @Test
    void manyFramesThroughASmallRingKeepTheirBytes()
    {
        final DelayedFrames held = new DelayedFrames(1024, 64);
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int next = 0;
        long now = 0;
        final List<Integer> sent = new ArrayList<>();
        final List<DirectBuffer> frames = new ArrayList<>();
        for (int step = 0; step < 5_000; step++)
        {
            now += MS;
            final int length = 4 + random.nextInt(100);
            final DirectBuffer f = frame(next, length);
            if (held.hold(f, 0, length, now + random.nextLong(20 * MS)))
            {
                sent.add(next);
                frames.add(f);
            }
            next++;
            held.releaseDue(now, 64, (buffer, offset, len, releaseNs) ->
            {
                final int number = buffer.getInt(offset);
                final DirectBuffer original = frames.get(sent.indexOf(number));
                assertEquals(original.capacity(), len);
                for (int i = 0; i < len; i++)
                {
                    assertEquals(original.getByte(i), buffer.getByte(offset + i), "frame " + number + " byte " + i);
                }
                released.add(new Released(number, len, releaseNs));
            });
        }
        held.releaseDue(Long.MAX_VALUE, Integer.MAX_VALUE, sink);
        assertEquals(sent.size(), released.size(), "every frame held came out once");
        assertTrue(held.dropped() > 0, "the small ring overflowed sometimes");
        for (int i = 1; i < released.size() - held.count(); i++)
        {
            assertTrue(released.get(i).releaseNs() >= released.get(i - 1).releaseNs() ||
                released.get(i).releaseNs() <= now, "released in time order within a call");
        }
    }

    @Test
    void shimDelaysWhileActiveReordersWithJitterAndSwitchesItselfOff()
    {
        final List<Integer> direct = new ArrayList<>();
        final FaultShim shim = new FaultShim(1 << 16, 42, (buffer, offset, length, header) ->
            direct.add(buffer.getInt(offset)), sink);
        shim.nowNs(0);
        shim.onFragment(frame(0, 8), 0, 8, null);
        assertEquals(List.of(0), direct, "off: frames pass straight through");

        shim.apply(0, 50 * MS, 20 * MS, 100 * MS);
        assertTrue(shim.active());
        assertEquals(50 * MS, shim.delayNs());
        for (int i = 1; i <= 50; i++)
        {
            shim.nowNs(i * 100_000L); // a frame every 0.1 ms
            shim.onFragment(frame(i, 8), 0, 8, null);
        }
        assertEquals(50, shim.heldFrames());
        assertEquals(0, shim.releaseDue(50 * MS - 1, 64), "nothing before the delay");
        shim.nowNs(80 * MS);
        shim.releaseDue(80 * MS, 64);
        assertEquals(50, released.size());
        boolean reordered = false;
        for (int i = 0; i < released.size(); i++)
        {
            final Released r = released.get(i);
            final long receiveNs = r.number() * 100_000L;
            assertTrue(r.releaseNs() >= receiveNs + 50 * MS && r.releaseNs() <= receiveNs + 70 * MS, r.toString());
            reordered |= i > 0 && r.number() < released.get(i - 1).number();
        }
        assertTrue(reordered, "20 ms of jitter on frames 0.1 ms apart reorders them");

        shim.nowNs(100 * MS);
        assertFalse(shim.active(), "off after its duration");
        assertEquals(0, shim.delayNs());
        shim.onFragment(frame(99, 8), 0, 8, null);
        assertEquals(List.of(0, 99), direct);
    }

    @Test
    void shimJitterIsSeeded()
    {
        assertEquals(releaseTimes(5), releaseTimes(5));
        assertNotEquals(releaseTimes(5), releaseTimes(6));
    }

    private static List<Long> releaseTimes(final long seed)
    {
        final List<Long> times = new ArrayList<>();
        final FaultShim shim = new FaultShim(1 << 16, seed, (buffer, offset, length, header) -> { },
            (buffer, offset, length, releaseNs) -> times.add(releaseNs));
        shim.apply(0, MS, 10 * MS, 0);
        shim.nowNs(0);
        for (int i = 0; i < 20; i++)
        {
            shim.onFragment(frame(i, 8), 0, 8, null);
        }
        shim.releaseDue(Long.MAX_VALUE, 64);
        return times;
    }

    @Test
    void clearSwitchesOffButHeldFramesStillLeaveOnSchedule()
    {
        final FaultShim shim = new FaultShim(1 << 16, 1, (buffer, offset, length, header) -> { }, sink);
        shim.apply(0, 10 * MS, 0, 0);
        shim.nowNs(0);
        shim.onFragment(frame(1, 8), 0, 8, null);
        shim.apply(MS, 0, 0, 0);
        assertFalse(shim.active());
        assertEquals(1, shim.heldFrames());
        assertEquals(0, shim.releaseDue(5 * MS, 64));
        assertEquals(1, shim.releaseDue(10 * MS, 64));
        assertFalse(FaultShim.valid(-1, 0, 0));
        assertFalse(FaultShim.valid(0, FaultShim.DELAY_MAX_NS + 1, 0));
    }
}
