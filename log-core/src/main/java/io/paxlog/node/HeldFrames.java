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
 */
final class HeldFrames
{
    private static final int OFFER_ATTEMPTS = 3;
    private static final int RECORD_HEADER = 8;

    private final ExpandableDirectByteBuffer held;
    private final int capacityBytes;
    private final List<Publication> publications = new ArrayList<>();
    private final List<Integer> freedThisCycle = new ArrayList<>();
    private final List<Integer> reusable = new ArrayList<>();
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
        if (!reusable.isEmpty())
        {
            final int i = reusable.remove(reusable.size() - 1);
            publications.set(i, publication);
            return i;
        }
        publications.add(publication);
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

    /** Offers every held frame; returns how many were sent. */
    int release()
    {
        int count = 0;
        int position = 0;
        while (position < length)
        {
            final int index = held.getInt(position);
            final int frameLength = held.getInt(position + 4);
            final Publication publication = index < publications.size() ? publications.get(index) : null;
            boolean ok = false;
            for (int attempt = 0; publication != null && attempt < OFFER_ATTEMPTS && !ok; attempt++)
            {
                final long result = publication.offer(held, position + RECORD_HEADER, frameLength);
                ok = result > 0;
                if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
                    result == Publication.MAX_POSITION_EXCEEDED)
                {
                    break;
                }
            }
            if (ok)
            {
                count++;
                sent++;
            }
            else
            {
                dropped++;
            }
            position += RECORD_HEADER + frameLength;
        }
        length = 0;
        if (!freedThisCycle.isEmpty())
        {
            reusable.addAll(freedThisCycle);
            freedThisCycle.clear();
        }
        return count;
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
