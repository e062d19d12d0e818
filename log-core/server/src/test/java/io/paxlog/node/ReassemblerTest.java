package io.paxlog.node;

import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's reassembly of messages longer than one Aeron frame: whole messages out, fixed buffers, every bad case
 * dropped and counted, no allocation once a sender's slot has its buffer (the follower that allocated 1.2 MB at once
 * in LeaderAllocationTest's 16 KiB case when Aeron's assembler grew).
 */
class ReassemblerTest
{
    private static final int FRAGMENT = 1_000;

    private final List<byte[]> delivered = new ArrayList<>();
    private final Set<Integer> liveSessions = new HashSet<>();
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(new byte[DataHeaderFlyweight.HEADER_LENGTH]);
    private final DataHeaderFlyweight flyweight = new DataHeaderFlyweight(headerBuffer);
    private final Header header = new Header(0, 16);
    private final UnsafeBuffer source = new UnsafeBuffer(new byte[0]);
    /** Per session: the term offset its next fragment has. */
    private final int[] nextOffset = new int[8];

    private Reassembler reassembler(final int messageBytesMax, final int slots)
    {
        header.buffer(headerBuffer);
        header.offset(0);
        return new Reassembler(this::deliver, messageBytesMax, slots, liveSessions::contains);
    }

    private void deliver(final DirectBuffer buffer, final int offset, final int length, final Header h)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        delivered.add(copy);
    }

    private static byte[] message(final int length, final int seed)
    {
        final byte[] m = new byte[length];
        for (int i = 0; i < length; i++)
        {
            m[i] = (byte)(i * 31 + seed);
        }
        return m;
    }

    /** Sends fragment {@code index} of {@code m} (of {@code count}) as session {@code session}'s next frame. */
    private void fragment(final Reassembler r, final int session, final byte[] m, final int index)
    {
        final int count = (m.length + FRAGMENT - 1) / FRAGMENT;
        final int from = index * FRAGMENT;
        final int length = Math.min(FRAGMENT, m.length - from);
        byte flags = 0;
        flags |= index == 0 ? FrameDescriptor.BEGIN_FRAG_FLAG : 0;
        flags |= index == count - 1 ? FrameDescriptor.END_FRAG_FLAG : 0;
        frame(r, session, flags, m, from, length);
    }

    private void frame(final Reassembler r, final int session, final byte flags, final byte[] m, final int from,
        final int length)
    {
        final int frameLength = DataHeaderFlyweight.HEADER_LENGTH + length;
        flyweight.frameLength(frameLength);
        flyweight.flags(flags);
        flyweight.sessionId(session);
        flyweight.termId(7);
        flyweight.termOffset(nextOffset[session]);
        nextOffset[session] += BitUtil.align(frameLength, FrameDescriptor.FRAME_ALIGNMENT);
        source.wrap(m);
        r.onFragment(source, from, length, header);
    }

    private void send(final Reassembler r, final int session, final byte[] m)
    {
        final int count = (m.length + FRAGMENT - 1) / FRAGMENT;
        for (int i = 0; i < count; i++)
        {
            fragment(r, session, m, i);
        }
    }

    @Test
    void unfragmentedMessagesPassStraightThrough()
    {
        final Reassembler r = reassembler(4096, 1);
        final byte[] m = message(100, 1);
        frame(r, 1, FrameDescriptor.UNFRAGMENTED, m, 0, m.length);
        assertEquals(1, delivered.size());
        assertArrayEquals(m, delivered.get(0));
        assertEquals(0, r.dropped());
    }

    @Test
    void joinsInterleavedMessagesOfSeveralSendersWhole()
    {
        final Reassembler r = reassembler(10_000, 4);
        final byte[] a = message(5_500, 1);
        final byte[] b = message(10_000, 2);
        for (int i = 0; i < 10; i++)
        {
            if (i < 6)
            {
                fragment(r, 1, a, i);
            }
            fragment(r, 2, b, i);
        }
        assertEquals(2, delivered.size());
        assertArrayEquals(a, delivered.get(0));
        assertArrayEquals(b, delivered.get(1));
        assertEquals(0, r.dropped());
        assertEquals(2, r.buffersAllocated(), "one buffer per sender joined at once");
        send(r, 3, a);
        send(r, 4, b);
        assertEquals(2, r.buffersAllocated(), "freed slots are reused");
    }

    @Test
    void aMessageLongerThanTheLimitIsDroppedAndCountedAndTheNextOneJoined()
    {
        final Reassembler r = reassembler(4_000, 1);
        send(r, 1, message(4_001, 1));
        assertEquals(0, delivered.size());
        assertEquals(1, r.dropped());
        final byte[] ok = message(4_000, 2);
        send(r, 1, ok);
        assertEquals(1, delivered.size());
        assertArrayEquals(ok, delivered.get(0));
    }

    @Test
    void fragmentsThatDoNotFollowEachOtherDropTheMessage()
    {
        final Reassembler r = reassembler(10_000, 1);
        final byte[] m = message(3_000, 1);
        fragment(r, 1, m, 0);
        nextOffset[1] += 32; // a gap in the term
        fragment(r, 1, m, 1);
        fragment(r, 1, m, 2);
        assertEquals(0, delivered.size());
        assertEquals(1, r.dropped());
        send(r, 1, m);
        assertArrayEquals(m, delivered.get(0));
    }

    @Test
    void aSenderThatBeginsAgainDropsWhatItHadNotFinished()
    {
        final Reassembler r = reassembler(10_000, 1);
        final byte[] first = message(3_000, 1);
        final byte[] second = message(2_500, 2);
        fragment(r, 1, first, 0);
        send(r, 1, second);
        assertEquals(1, delivered.size());
        assertArrayEquals(second, delivered.get(0));
        assertEquals(1, r.dropped());
    }

    @Test
    void withEverySlotTakenAMessageIsDroppedUnlessASlotsImageIsGone()
    {
        final Reassembler r = reassembler(10_000, 2);
        liveSessions.add(1);
        liveSessions.add(2);
        final byte[] m = message(3_000, 1);
        fragment(r, 1, m, 0);
        fragment(r, 2, m, 0);
        send(r, 3, m);
        assertEquals(0, delivered.size());
        assertEquals(1, r.dropped(), "no slot for session 3");
        liveSessions.remove(1); // session 1's image went away mid-message
        send(r, 3, m);
        assertEquals(1, delivered.size());
        assertArrayEquals(m, delivered.get(0));
        assertEquals(2, r.dropped(), "session 1's unfinished message counted as well");
        fragment(r, 2, m, 1);
        fragment(r, 2, m, 2);
        assertEquals(2, delivered.size(), "session 2 was not disturbed");
    }

    /**
     * Warmed up on short messages, then longer ones up to the limit: nothing grows (Aeron's assembler allocates a
     * larger buffer each time a message is half again longer than any before).
     */
    @Test
    void joiningAllocatesNothingOnceTheSlotHasItsBufferEvenAsMessagesGrow()
    {
        final long[] joined = new long[1];
        header.buffer(headerBuffer);
        header.offset(0);
        final Reassembler r = new Reassembler((buffer, offset, length, h) -> joined[0] += length, 64 * 1024, 2,
            liveSessions::contains);
        final byte[] m = message(64 * 1024, 3);
        final byte[][] prefixes = new byte[1_000][];
        for (int i = 0; i < prefixes.length; i++)
        {
            prefixes[i] = java.util.Arrays.copyOf(m, 2_000 + i * 63);
        }
        for (int i = 0; i < 2_000; i++) // warm-up (interpreter, JIT) on short messages only
        {
            nextOffset[1] = 0;
            send(r, 1, prefixes[0]);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long expected = 2_000L * prefixes[0].length;
        for (final byte[] prefix : prefixes)
        {
            nextOffset[1] = 0;
            send(r, 1, prefix);
            expected += prefix.length;
        }
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertEquals(expected, joined[0]);
        assertEquals(1, r.buffersAllocated());
        assertTrue(allocated < 1_000, "allocated " + allocated + " B joining 1,000 messages of 2,000 to 64,937 B");
    }

    @Test
    void refusesLimitsBelowOne()
    {
        assertThrows(IllegalArgumentException.class, () -> reassembler(0, 1));
        assertThrows(IllegalArgumentException.class, () -> reassembler(1, 0));
    }
}
