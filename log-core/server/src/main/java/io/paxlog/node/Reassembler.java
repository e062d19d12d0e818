package io.paxlog.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.IntPredicate;

/**
 * Joins the fragments of messages longer than one Aeron frame into buffers of a fixed size and hands each whole
 * message to the delegate; unfragmented messages pass straight through. It replaces Aeron's
 * {@code FragmentAssembler}, whose buffers grow by half again up to the longest message seen (1.2 MB at once, in the
 * middle of a follower's steady state, the first time a batch that long arrived) and stay for every sender session
 * ever seen (a client that reconnects leaves one behind each time).
 *
 * <p>Limits: at most {@code slotsMax} messages are joined at once (one per sender whose message is in progress), each
 * up to {@code messageBytesMax} bytes. A slot's buffer is allocated the first time the slot is needed, at its full
 * size, and kept: the first slot at construction, so one sender's messages (a follower's leader) never allocate. A
 * slot is freed when its message completes, when its sender's image is gone ({@code imageLive} is asked only when
 * every slot is taken), or when the sender starts a new message. A message that does not fit, whose fragments do not
 * follow each other, or that finds no free slot is dropped and counted ({@link #dropped()}): a sender's loss to
 * recover from, never this node's failure.
 *
 * <p>Threading: the duty-cycle thread only. Allocation: none once the slots in use have their buffers.
 */
final class Reassembler implements FragmentHandler
{
    private static final int NONE = -1;

    private final FragmentHandler delegate;
    private final int messageBytesMax;
    private final IntPredicate imageLive;
    private final UnsafeBuffer[] buffers;
    private final int[] sessionIds;
    private final int[] lengths;
    private final int[] termIds;
    private final int[] nextTermOffsets;
    private final boolean[] taken;
    /** Session id to slot, for the slots taken. */
    private final Int2IntHashMap slotBySession;
    private long dropped;

    /**
     * @param delegate        gets each whole message (and each unfragmented one), with the header of its last fragment
     * @param messageBytesMax the longest message joined; longer ones are dropped
     * @param slotsMax        the most messages joined at once
     * @param imageLive       whether a session's image still exists (its sender may still finish a message)
     */
    Reassembler(final FragmentHandler delegate, final int messageBytesMax, final int slotsMax,
        final IntPredicate imageLive)
    {
        if (messageBytesMax < 1 || slotsMax < 1)
        {
            throw new IllegalArgumentException("messageBytesMax " + messageBytesMax + " and slotsMax " + slotsMax +
                " must be at least 1");
        }
        this.delegate = delegate;
        this.messageBytesMax = messageBytesMax;
        this.imageLive = imageLive;
        this.buffers = new UnsafeBuffer[slotsMax];
        this.sessionIds = new int[slotsMax];
        this.lengths = new int[slotsMax];
        this.termIds = new int[slotsMax];
        this.nextTermOffsets = new int[slotsMax];
        this.taken = new boolean[slotsMax];
        this.slotBySession = new Int2IntHashMap(Math.max(8, slotsMax * 2), 0.5f, NONE);
        buffers[0] = new UnsafeBuffer(new byte[messageBytesMax]);
    }

    /** Messages dropped: too long, fragments out of order, or no free slot. */
    long dropped()
    {
        return dropped;
    }

    /** Slots whose buffer has been allocated (each {@code messageBytesMax} bytes). */
    int buffersAllocated()
    {
        int n = 0;
        for (final UnsafeBuffer b : buffers)
        {
            n += b == null ? 0 : 1;
        }
        return n;
    }

    @Override
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final byte flags = header.flags();
        if ((flags & FrameDescriptor.UNFRAGMENTED) == FrameDescriptor.UNFRAGMENTED)
        {
            delegate.onFragment(buffer, offset, length, header);
            return;
        }
        final int sessionId = header.sessionId();
        int slot = slotBySession.get(sessionId);
        if ((flags & FrameDescriptor.BEGIN_FRAG_FLAG) != 0)
        {
            if (slot != NONE)
            {
                free(slot); // the sender began again: what it had not finished will not be finished
                dropped++;
            }
            slot = claim(sessionId);
            if (slot == NONE)
            {
                dropped++;
                return;
            }
            lengths[slot] = 0;
        }
        else if (slot == NONE)
        {
            return; // the rest of a message already dropped (or begun before this node listened)
        }
        else if (header.termId() != termIds[slot] || header.termOffset() != nextTermOffsets[slot])
        {
            free(slot);
            dropped++;
            return;
        }
        if (length > messageBytesMax - lengths[slot])
        {
            free(slot);
            dropped++;
            return;
        }
        buffers[slot].putBytes(lengths[slot], buffer, offset, length);
        lengths[slot] += length;
        termIds[slot] = header.termId();
        nextTermOffsets[slot] = header.nextTermOffset();
        if ((flags & FrameDescriptor.END_FRAG_FLAG) != 0)
        {
            final int messageLength = lengths[slot];
            free(slot); // before the delegate runs: its failure must not leave the slot taken
            delegate.onFragment(buffers[slot], 0, messageLength, header);
        }
    }

    private int claim(final int sessionId)
    {
        int slot = freeSlot();
        if (slot == NONE)
        {
            for (int s = 0; s < taken.length; s++)
            {
                if (taken[s] && !imageLive.test(sessionIds[s]))
                {
                    free(s);
                    dropped++;
                }
            }
            slot = freeSlot();
            if (slot == NONE)
            {
                return NONE;
            }
        }
        if (buffers[slot] == null)
        {
            buffers[slot] = new UnsafeBuffer(new byte[messageBytesMax]);
        }
        taken[slot] = true;
        sessionIds[slot] = sessionId;
        slotBySession.put(sessionId, slot);
        return slot;
    }

    /** A free slot, those with a buffer first; NONE when all are taken. */
    private int freeSlot()
    {
        int unallocated = NONE;
        for (int s = 0; s < taken.length; s++)
        {
            if (!taken[s])
            {
                if (buffers[s] != null)
                {
                    return s;
                }
                unallocated = unallocated == NONE ? s : unallocated;
            }
        }
        return unallocated;
    }

    private void free(final int slot)
    {
        taken[slot] = false;
        slotBySession.remove(sessionIds[slot]);
    }
}
