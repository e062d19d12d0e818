package io.paxlog.node;

import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames produced during a duty cycle, held until the journal writes they depend on are durable, then offered to
 * their publications ("persist before send").
 *
 * <p>Bounded: past {@code capacityBytes} a frame is dropped and counted (the protocol tolerates loss; clients
 * retry). Offers make a bounded number of attempts. A frame its publication is back-pressured for (the receiver's
 * window is full: a multi-frame promise or catch-up, say) stays held, with every later frame for that publication so
 * their order holds, and is offered again at the next release, for at most {@code keepNs}; after that, or when the
 * publication is not connected or closed, it is dropped and counted. An offer that throws (a frame over the
 * transport's largest message, a client closed under the node) drops that frame only, is counted, and is reported
 * at most once per {@link #REPORT_INTERVAL_NS} with the node id; the held buffer is always reset, so nothing is
 * offered again on the next cycle because an earlier frame failed. {@link #failingForNs} tells how long every offer
 * has been throwing, so the node can stop when it can no longer send anything.
 *
 * <p>A reply publication ({@link #registerReply}: a client's or an admin tool's response channel, made when its first
 * request arrived) is not connected for the first moments of its life (Aeron's setup round trip): frames for one
 * that has never sent a frame wait while it is not connected too, for up to {@link #CONNECT_WAIT_NS}, in order, so
 * its first answer is not dropped (before, every admin status request cost a dropped send). Once it has sent a
 * frame, a reply publication is treated as any other.
 *
 * <p>Not thread-safe: the node's duty-cycle thread only.
 */
final class HeldFrames
{
    /** How often a send failure is reported at most. */
    static final long REPORT_INTERVAL_NS = 5_000_000_000L;
    private static final int OFFER_ATTEMPTS = 3;
    /** Per frame: publication index, frame length, and the time it was first offered (0: not yet). */
    private static final int RECORD_HEADER = 16;
    private static final long NOT_OFFERED = 0;
    /** How long frames for a reply publication that never sent a frame wait for it to connect. */
    static final long CONNECT_WAIT_NS = 1_000_000_000L;

    private final ExpandableDirectByteBuffer held;
    private final int capacityBytes;
    private final long keepNs;
    private final String nodeName;
    private final List<Publication> publications = new ArrayList<>();
    private final List<Integer> freedThisCycle = new ArrayList<>();
    private final List<Integer> reusable = new ArrayList<>();
    /** Per publication index: the release in which it was back-pressured (its later frames wait too). */
    private long[] blockedInRelease = new long[16];
    /** Per publication index: a reply publication that has not yet sent a frame (its frames wait to connect). */
    private boolean[] awaitingConnect = new boolean[16];
    private long releases;
    private int length;
    private long dropped;
    private long sent;
    private long sendFailures;
    private long backPressured;
    private long lastReportNs = Long.MIN_VALUE;
    private long failingSinceNs = Long.MIN_VALUE;

    HeldFrames(final int capacityBytes)
    {
        this(capacityBytes, 40_000_000L, "node");
    }

    /**
     * @param capacityBytes the most bytes held at once.
     * @param keepNs        how long a back-pressured frame is kept for another try.
     * @param nodeName      how reports name this node ("node 2").
     */
    HeldFrames(final int capacityBytes, final long keepNs, final String nodeName)
    {
        this.capacityBytes = capacityBytes;
        this.keepNs = keepNs;
        this.nodeName = nodeName;
        this.held = new ExpandableDirectByteBuffer(Math.min(capacityBytes, 1 << 20));
    }

    /** Registers a publication; returns its index for {@link #hold}. */
    int register(final Publication publication)
    {
        return register(publication, false);
    }

    /**
     * Registers a reply publication, made for an endpoint that just sent a request: its frames wait while it
     * connects (see the class comment). Returns its index for {@link #hold}.
     */
    int registerReply(final Publication publication)
    {
        return register(publication, true);
    }

    private int register(final Publication publication, final boolean reply)
    {
        final int i;
        if (!reusable.isEmpty())
        {
            i = reusable.remove(reusable.size() - 1);
            publications.set(i, publication);
        }
        else
        {
            publications.add(publication);
            i = publications.size() - 1;
            if (publications.size() > blockedInRelease.length)
            {
                blockedInRelease = java.util.Arrays.copyOf(blockedInRelease, blockedInRelease.length * 2);
                awaitingConnect = java.util.Arrays.copyOf(awaitingConnect, awaitingConnect.length * 2);
            }
        }
        blockedInRelease[i] = 0;
        awaitingConnect[i] = reply;
        return i;
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
        held.putLong(length + 8, NOT_OFFERED);
        held.putBytes(length + RECORD_HEADER, src, offset, frameLength);
        length += recordLength;
    }

    /** Offers every held frame (see the class comment); returns how many were sent. */
    int release()
    {
        return release(System.nanoTime());
    }

    /** As {@link #release()}, at {@code nowNs} (the duty cycle's clock). */
    int release(final long nowNs)
    {
        releases++;
        int count = 0;
        int position = 0;
        int kept = 0;
        while (position < length)
        {
            final int index = held.getInt(position);
            final int frameLength = held.getInt(position + 4);
            final long firstOfferNs = held.getLong(position + 8);
            final int recordLength = RECORD_HEADER + frameLength;
            final Publication publication = index < publications.size() ? publications.get(index) : null;
            final long outcome;
            if (publication == null)
            {
                outcome = Publication.CLOSED;
            }
            else if (blockedInRelease[index] == releases)
            {
                outcome = Publication.BACK_PRESSURED; // an earlier frame for it waits: keep the order
            }
            else
            {
                outcome = offer(publication, position + RECORD_HEADER, frameLength, nowNs);
            }
            final boolean connecting = publication != null && awaitingConnect[index];
            if (outcome > 0)
            {
                count++;
                sent++;
                awaitingConnect[index] = false;
            }
            else if ((outcome == Publication.BACK_PRESSURED || outcome == Publication.ADMIN_ACTION ||
                connecting && outcome == Publication.NOT_CONNECTED) &&
                (firstOfferNs == NOT_OFFERED || nowNs - firstOfferNs < (connecting ? CONNECT_WAIT_NS : keepNs)))
            {
                blockedInRelease[index] = releases;
                backPressured++;
                if (kept != position)
                {
                    held.putBytes(kept, held, position, recordLength);
                }
                held.putLong(kept + 8, firstOfferNs == NOT_OFFERED ? nowNs | 1 : firstOfferNs);
                kept += recordLength;
            }
            else
            {
                dropped++;
            }
            position += recordLength;
        }
        length = kept;
        if (!freedThisCycle.isEmpty())
        {
            reusable.addAll(freedThisCycle);
            freedThisCycle.clear();
        }
        return count;
    }

    /** One offer of a held frame, with bounded attempts; a throw is a failed send (counted, reported). */
    private long offer(final Publication publication, final int offset, final int frameLength, final long nowNs)
    {
        long result = Publication.BACK_PRESSURED;
        for (int attempt = 0; attempt < OFFER_ATTEMPTS; attempt++)
        {
            try
            {
                result = publication.offer(held, offset, frameLength);
            }
            catch (final RuntimeException ex)
            {
                sendFailed(ex, frameLength, nowNs);
                return Publication.CLOSED;
            }
            if (result > 0)
            {
                failingSinceNs = Long.MIN_VALUE;
                return result;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                return result;
            }
        }
        return result;
    }

    private void sendFailed(final RuntimeException ex, final int frameLength, final long nowNs)
    {
        sendFailures++;
        if (failingSinceNs == Long.MIN_VALUE)
        {
            failingSinceNs = nowNs;
        }
        if (lastReportNs == Long.MIN_VALUE || nowNs - lastReportNs >= REPORT_INTERVAL_NS)
        {
            lastReportNs = nowNs;
            NodeLog.info(nodeName + ": send failed, frame of " + frameLength + " bytes dropped (" +
                sendFailures + " failed sends so far): " + ex);
        }
    }

    /** How long every offer has been throwing, as of {@code nowNs}; 0 if the last offer did not throw. */
    long failingForNs(final long nowNs)
    {
        return failingSinceNs == Long.MIN_VALUE ? 0 : nowNs - failingSinceNs;
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

    /** Offers that threw (each dropped its frame). */
    long sendFailures()
    {
        return sendFailures;
    }

    /** Times a frame was kept for another try because its publication was back-pressured. */
    long backPressured()
    {
        return backPressured;
    }
}
