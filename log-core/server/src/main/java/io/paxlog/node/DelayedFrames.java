package io.paxlog.node;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bounded holding area for frames that are to be handed on later: each frame is copied in with its release time
 * and {@link #releaseDue} hands out, in release-time order (ties in arrival order), every frame whose time has come.
 * The fault shim ({@link FaultShim}) keeps delayed consensus frames here.
 *
 * <p>Bounds: at most {@code capacityBytes} of records (a 16-byte header plus the frame, rounded up to 8) and at most
 * {@code framesMax} frames; a frame that does not fit is dropped and counted ({@link #dropped()}). Bytes are
 * allocated from a ring in arrival order and given back in arrival order, so a frame released early (jitter
 * reorders) keeps its bytes until every frame that arrived before it was released too.
 *
 * <p>Allocation: everything is allocated in the constructor; holding and releasing allocate nothing.
 * Threading: one thread (the node's duty cycle).
 */
final class DelayedFrames
{
    /** Where a released frame goes; the bytes are valid only during the call. */
    @FunctionalInterface
    interface Sink
    {
        void onReleased(DirectBuffer buffer, int offset, int length, long releaseNs);
    }

    static final int RECORD_HEADER = 16;
    private static final int ALIGNMENT = 8;
    private static final int LENGTH_OFFSET = 0;
    private static final int STATE_OFFSET = 4;
    private static final int FRAME_LENGTH_OFFSET = 8;
    private static final int HELD = 1;
    private static final int RELEASED = 2;

    private final UnsafeBuffer ring;
    private final int capacityBytes;
    // min-heap of held frames by (release time, arrival number)
    private final long[] heapReleaseNs;
    private final long[] heapArrival;
    private final int[] heapPosition;
    private int count;
    private long arrivals;
    private int head;
    private int tail;
    /** Where the data before a wrap ends (the tail wrapped to 0 and the head has not followed yet); -1 if none. */
    private int wrapAt = -1;
    private long dropped;

    DelayedFrames(final int capacityBytes, final int framesMax)
    {
        if (capacityBytes < RECORD_HEADER + ALIGNMENT || framesMax < 1)
        {
            throw new IllegalArgumentException("capacityBytes=" + capacityBytes + " framesMax=" + framesMax);
        }
        this.capacityBytes = capacityBytes & -ALIGNMENT;
        this.ring = new UnsafeBuffer(new byte[this.capacityBytes]);
        this.heapReleaseNs = new long[framesMax];
        this.heapArrival = new long[framesMax];
        this.heapPosition = new int[framesMax];
    }

    /** Frames held now (not yet released). */
    int count()
    {
        return count;
    }

    /** Frames dropped because the holding area was full. */
    long dropped()
    {
        return dropped;
    }

    /** The earliest release time held, or {@link Long#MAX_VALUE} when empty. */
    long nextReleaseNs()
    {
        return count == 0 ? Long.MAX_VALUE : heapReleaseNs[0];
    }

    /** Copies a frame in, to be released at {@code releaseNs}; false (and counted) if it does not fit. */
    boolean hold(final DirectBuffer src, final int offset, final int length, final long releaseNs)
    {
        final int recordLength = (RECORD_HEADER + length + ALIGNMENT - 1) & -ALIGNMENT;
        if (count == heapPosition.length || recordLength > capacityBytes || length < 0)
        {
            dropped++;
            return false;
        }
        if (count == 0)
        {
            reclaimAll();
        }
        final int at;
        if (wrapAt < 0)
        {
            if (capacityBytes - tail >= recordLength)
            {
                at = tail;
            }
            else if (head >= recordLength)
            {
                wrapAt = tail;
                at = 0;
            }
            else
            {
                dropped++;
                return false;
            }
        }
        else if (head - tail >= recordLength)
        {
            at = tail;
        }
        else
        {
            dropped++;
            return false;
        }
        ring.putInt(at + LENGTH_OFFSET, recordLength);
        ring.putInt(at + STATE_OFFSET, HELD);
        ring.putInt(at + FRAME_LENGTH_OFFSET, length);
        ring.putBytes(at + RECORD_HEADER, src, offset, length);
        tail = at + recordLength;
        push(releaseNs, arrivals++, at);
        return true;
    }

    /**
     * Hands at most {@code limit} frames whose release time is at or before {@code nowNs} to {@code sink}, earliest
     * first, each with its own release time. Returns how many were released.
     */
    int releaseDue(final long nowNs, final int limit, final Sink sink)
    {
        int released = 0;
        while (count > 0 && heapReleaseNs[0] <= nowNs && released < limit)
        {
            final long releaseNs = heapReleaseNs[0];
            final int at = heapPosition[0];
            pop();
            ring.putInt(at + STATE_OFFSET, RELEASED); // before the call: a throwing sink must not wedge the ring
            released++;
            sink.onReleased(ring, at + RECORD_HEADER, ring.getInt(at + FRAME_LENGTH_OFFSET), releaseNs);
        }
        reclaim();
        return released;
    }

    /** Gives back, in arrival order, the bytes of records already released. */
    private void reclaim()
    {
        if (count == 0)
        {
            reclaimAll();
            return;
        }
        while (true)
        {
            if (wrapAt >= 0 && head == wrapAt)
            {
                head = 0;
                wrapAt = -1;
            }
            if ((wrapAt < 0 && head == tail) || ring.getInt(head + STATE_OFFSET) != RELEASED)
            {
                return;
            }
            head += ring.getInt(head + LENGTH_OFFSET);
        }
    }

    private void reclaimAll()
    {
        head = 0;
        tail = 0;
        wrapAt = -1;
    }

    private void push(final long releaseNs, final long arrival, final int position)
    {
        int i = count++;
        while (i > 0)
        {
            final int parent = (i - 1) >>> 1;
            if (!before(releaseNs, arrival, heapReleaseNs[parent], heapArrival[parent]))
            {
                break;
            }
            set(i, heapReleaseNs[parent], heapArrival[parent], heapPosition[parent]);
            i = parent;
        }
        set(i, releaseNs, arrival, position);
    }

    private void pop()
    {
        final int last = --count;
        final long releaseNs = heapReleaseNs[last];
        final long arrival = heapArrival[last];
        final int position = heapPosition[last];
        int i = 0;
        while (true)
        {
            final int left = 2 * i + 1;
            if (left >= count)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < count &&
                before(heapReleaseNs[right], heapArrival[right], heapReleaseNs[left], heapArrival[left]) ? right : left;
            if (!before(heapReleaseNs[child], heapArrival[child], releaseNs, arrival))
            {
                break;
            }
            set(i, heapReleaseNs[child], heapArrival[child], heapPosition[child]);
            i = child;
        }
        if (count > 0)
        {
            set(i, releaseNs, arrival, position);
        }
    }

    private static boolean before(final long timeA, final long arrivalA, final long timeB, final long arrivalB)
    {
        return timeA < timeB || (timeA == timeB && arrivalA < arrivalB);
    }

    private void set(final int i, final long releaseNs, final long arrival, final int position)
    {
        heapReleaseNs[i] = releaseNs;
        heapArrival[i] = arrival;
        heapPosition[i] = position;
    }
}
