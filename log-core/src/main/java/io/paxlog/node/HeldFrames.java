package io.paxlog.node;

import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames produced during a duty cycle, held until the journal writes they depend on are durable, then offered to
 * their publications ("persist before send"). Bounded: past {@code capacityBytes} a frame is dropped and counted
 * (the protocol tolerates loss; clients retry). Offers make a bounded number of attempts; a frame that cannot be
 * sent (back-pressure, not connected) is dropped and counted.
 *
 * <p>Except while a reply publication connects. A publication registered with {@link #registerReply} (a client's
 * or an admin tool's response channel, made when its first request arrived) is not connected for the first
 * moments of its life (Aeron's setup round trip), and the first answer on it would be offered too early: before
 * this class waited, every admin status request and many session opens lost their first answer and counted a
 * dropped send (a fresh one-node cluster reported {@code dropped_sends=1} with nothing wrong). Frames for such a
 * publication that has never sent a frame (not connected, or connected and not yet given a window by its receiver:
 * back-pressured at position 0) wait, in order, for up to {@link #CONNECT_WAIT_NS} (and at most
 * {@link #WAITING_BYTES_MAX} bytes of them), offered again at every release, before anything newer for it; then
 * they are dropped and counted. Once it has sent a frame, a reply publication is treated as any other.
 */
final class HeldFrames
{
    private static final int OFFER_ATTEMPTS = 3;
    private static final int RECORD_HEADER = 8;
    /** How long frames for a reply publication that never sent a frame wait for it. */
    static final long CONNECT_WAIT_NS = 1_000_000_000L;
    /** Most bytes of frames waiting for reply publications to connect. */
    static final int WAITING_BYTES_MAX = 1 << 20;
    /** {@link #connectWaitUntilNs}: frames for this publication never wait (consensus, or it sent a frame). */
    private static final long NO_WAIT = Long.MIN_VALUE;
    /** {@link #connectWaitUntilNs}: a reply publication not yet offered anything; its wait starts at the first. */
    private static final long WAIT_NOT_STARTED = Long.MAX_VALUE;

    private final ExpandableDirectByteBuffer held;
    private final int capacityBytes;
    private final List<Publication> publications = new ArrayList<>();
    private final List<Integer> freedThisCycle = new ArrayList<>();
    private final List<Integer> reusable = new ArrayList<>();
    /** Per publication index: {@link #NO_WAIT}, {@link #WAIT_NOT_STARTED} or the time its frames stop waiting. */
    private final org.agrona.collections.LongArrayList connectWaitUntilNs = new org.agrona.collections.LongArrayList();
    private ExpandableDirectByteBuffer waiting = new ExpandableDirectByteBuffer(1024);
    private ExpandableDirectByteBuffer waitingNext = new ExpandableDirectByteBuffer(1024);
    private int waitingLength;
    private int waitingNextLength;
    /** Per publication index: the release in which a frame for it last went to wait (later ones follow it). */
    private final org.agrona.collections.LongArrayList waitedInRelease = new org.agrona.collections.LongArrayList();
    private long releases;
    private int length;
    private long dropped;
    private long sent;

    HeldFrames(final int capacityBytes)
    {
        this.capacityBytes = capacityBytes;
        this.held = new ExpandableDirectByteBuffer(Math.min(capacityBytes, 1 << 20));
    }

    /** Registers a publication; returns its index for {@link #hold}. */
    int register(final Publication publication)
    {
        return register(publication, NO_WAIT);
    }

    /**
     * Registers a reply publication, made for an endpoint that just sent a request: frames for it wait while it
     * connects (see the class comment). Returns its index for {@link #hold}.
     */
    int registerReply(final Publication publication)
    {
        return register(publication, WAIT_NOT_STARTED);
    }

    private int register(final Publication publication, final long wait)
    {
        if (!reusable.isEmpty())
        {
            final int i = reusable.remove(reusable.size() - 1);
            publications.set(i, publication);
            connectWaitUntilNs.setLong(i, wait);
            waitedInRelease.setLong(i, -1);
            return i;
        }
        publications.add(publication);
        connectWaitUntilNs.addLong(wait);
        waitedInRelease.addLong(-1);
        return publications.size() - 1;
    }

    /** Frees an index; it is reused only after the next release, so no held frame goes to a newcomer. */
    void unregister(final int index)
    {
        publications.set(index, null);
        freedThisCycle.add(index);
    }

    void hold(final int publicationIndex, final DirectBuffer src, final int offset, final int frameLength)
    {
        final int recordLength = RECORD_HEADER + frameLength;
        if (length + recordLength > capacityBytes)
        {
            dropped++;
            return;
        }
        held.putInt(length, publicationIndex);
        held.putInt(length + 4, frameLength);
        held.putBytes(length + RECORD_HEADER, src, offset, frameLength);
        length += recordLength;
    }

    /**
     * Offers the frames still waiting for their reply publication to connect, then every frame held this cycle, in
     * that order; returns how many were sent. {@code nowNs} times the waits.
     */
    int release(final long nowNs)
    {
        int count = 0;
        releases++;
        waitingNextLength = 0;
        for (int position = 0; position < waitingLength; )
        {
            final int frameLength = waiting.getInt(position + 4);
            count += offer(waiting, position, frameLength, nowNs);
            position += RECORD_HEADER + frameLength;
        }
        for (int position = 0; position < length; )
        {
            final int frameLength = held.getInt(position + 4);
            count += offer(held, position, frameLength, nowNs);
            position += RECORD_HEADER + frameLength;
        }
        length = 0;
        final ExpandableDirectByteBuffer swap = waiting;
        waiting = waitingNext;
        waitingNext = swap;
        waitingLength = waitingNextLength;
        if (!freedThisCycle.isEmpty())
        {
            reusable.addAll(freedThisCycle);
            freedThisCycle.clear();
        }
        return count;
    }

    /** As {@link #release(long)} at time 0 (for callers with no reply publications). */
    int release()
    {
        return release(0);
    }

    /** Offers the record at {@code position} of {@code src}; 1 if sent, else 0 (it waits on, or is dropped). */
    private int offer(final ExpandableDirectByteBuffer src, final int position, final int frameLength, final long nowNs)
    {
        final int index = src.getInt(position);
        final Publication publication = index < publications.size() ? publications.get(index) : null;
        final long result;
        if (publication == null)
        {
            result = Publication.CLOSED;
        }
        else if (waitedInRelease.getLong(index) == releases)
        {
            result = Publication.NOT_CONNECTED; // an earlier frame for it waits: this one waits behind it
        }
        else
        {
            result = offer(publication, src, position + RECORD_HEADER, frameLength);
        }
        if (result > 0)
        {
            connectWaitUntilNs.setLong(index, NO_WAIT); // it sends: from now on like any publication
            sent++;
            return 1;
        }
        // a reply publication that never sent anything is not connected yet, or connected but not yet given a
        // window by its receiver (back-pressured at position 0): both pass within moments
        if ((result == Publication.NOT_CONNECTED || result == Publication.BACK_PRESSURED ||
            result == Publication.ADMIN_ACTION) && publication != null && mayWait(index, nowNs) &&
            waitingNextLength + RECORD_HEADER + frameLength <= WAITING_BYTES_MAX)
        {
            waitingNext.putBytes(waitingNextLength, src, position, RECORD_HEADER + frameLength);
            waitingNextLength += RECORD_HEADER + frameLength;
            waitedInRelease.setLong(index, releases);
            return 0;
        }
        dropped++;
        return 0;
    }

    /** At most {@link #OFFER_ATTEMPTS} offers (no more once the publication is not connected or closed). */
    private static long offer(final Publication publication, final DirectBuffer src, final int offset,
        final int length)
    {
        long result = Publication.CLOSED;
        for (int attempt = 0; attempt < OFFER_ATTEMPTS; attempt++)
        {
            result = publication.offer(src, offset, length);
            if (result > 0 || result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                break;
            }
        }
        return result;
    }

    /** Whether frames for reply publication {@code index}, not sending yet, may wait for it at {@code nowNs}. */
    private boolean mayWait(final int index, final long nowNs)
    {
        final long until = connectWaitUntilNs.getLong(index);
        if (until == NO_WAIT)
        {
            return false;
        }
        if (until == WAIT_NOT_STARTED)
        {
            connectWaitUntilNs.setLong(index, nowNs + CONNECT_WAIT_NS);
            return true;
        }
        return nowNs - until < 0;
    }

    /** Receives a held frame in {@link #forEachHeld}. */
    interface HeldFrame
    {
        void frame(int publicationIndex, DirectBuffer buffer, int offset, int length);
    }

    /** Shows each frame held since the last release, in order, without sending or releasing it. */
    void forEachHeld(final HeldFrame visitor)
    {
        for (int position = 0; position < length; position += RECORD_HEADER + held.getInt(position + 4))
        {
            visitor.frame(held.getInt(position), held, position + RECORD_HEADER, held.getInt(position + 4));
        }
    }

    boolean isEmpty()
    {
        return length == 0;
    }

    long dropped()
    {
        return dropped;
    }

    long sent()
    {
        return sent;
    }
}
