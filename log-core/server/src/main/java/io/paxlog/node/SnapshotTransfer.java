package io.paxlog.node;

import io.paxlog.core.ConsensusNode;
import io.paxlog.protocol.Member;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.core.Membership;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Catch-up by snapshot over the consensus streams. Sender: when the core asks ({@code Outbox.installSnapshot})
 * for a peer that needs slots this node's log no longer holds, it snapshots the state machines at the applied
 * slot and sends the bytes in {@link #CHUNK_BYTES} chunks, at most {@link #CHUNKS_PER_CYCLE} per duty cycle and
 * one transfer per peer at a time. Receiver: assembles the chunks of one (sender, slot) in order (Aeron delivers
 * a publication in order; a gap abandons the transfer and the sender offers again later), checks the CRC32C,
 * saves the snapshot durably, restores the state machines from it and tells the core, which restarts its log
 * after the snapshot and acknowledges it.
 *
 * <p>Bounded: a snapshot larger than {@code paxlog.snapshot.bytes.max} is refused (counted). Threading: the
 * node's duty-cycle thread.
 */
final class SnapshotTransfer
{
    static final int CHUNK_BYTES = 16 * 1024;
    static final int CHUNKS_PER_CYCLE = 8;
    /** At most one snapshot per peer per this interval: serializing the state is not free, and a dead peer asks too. */
    static final long OFFER_INTERVAL_NS = 1_000_000_000L;

    /** Sends one chunk to a peer (the publisher holds it until the cycle's journal sync). */
    @FunctionalInterface
    interface ChunkSender
    {
        void send(int to, long ballot, long slot, long totalLength, long offset, int checksum, DirectBuffer data,
            int dataOffset, int dataLength);
    }

    /** Told when a received snapshot has been installed (so the runtime can drop state that it replaced). */
    @FunctionalInterface
    interface InstallListener
    {
        void onInstalled(long slot);
    }

    private static final class Outgoing
    {
        long ballot;
        long slot;
        byte[] bytes;
        int checksum;
        int sent;
    }

    private final NodeSnapshot content;
    private final ConsensusNode core;
    private final SnapshotStore store;
    private final ChunkSender sender;
    private final InstallListener installListener;
    private final long maxBytes;
    private final Outgoing[] outgoing;
    private final long[] lastOfferNs;
    private final org.agrona.concurrent.NanoClock clock;
    private final SnapshotWriter writer = new SnapshotWriter();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();
    private int incomingFrom = -1;
    private long incomingBallot;
    private long incomingSlot;
    private int incomingChecksum;
    private byte[] incoming;
    private int incomingReceived;
    private long sentSnapshots;
    private long installed;
    private long refused;

    SnapshotTransfer(final NodeSnapshot content, final ConsensusNode core, final SnapshotStore store,
        final long maxBytes, final ChunkSender sender, final InstallListener installListener,
        final org.agrona.concurrent.NanoClock clock)
    {
        this.clock = clock;
        this.lastOfferNs = new long[Member.ID_MAX + 1];
        Arrays.fill(lastOfferNs, Long.MIN_VALUE / 2);
        this.content = content;
        this.core = core;
        this.store = store;
        this.maxBytes = maxBytes;
        this.sender = sender;
        this.installListener = installListener;
        this.outgoing = new Outgoing[Member.ID_MAX + 1];
    }

    /**
     * The core asked to send {@code to} a snapshot; ignored while one is on its way to that peer or if one was
     * started less than {@link #OFFER_INTERVAL_NS} ago.
     */
    void offer(final int to, final long ballot)
    {
        final long nowNs = clock.nanoTime();
        if (outgoing[to] != null || nowNs - lastOfferNs[to] < OFFER_INTERVAL_NS)
        {
            return;
        }
        lastOfferNs[to] = nowNs;
        writer.reset();
        content.write(writer);
        final Outgoing o = new Outgoing();
        o.ballot = ballot;
        o.slot = core.appliedSlot();
        o.bytes = Arrays.copyOf(writer.buffer().byteArray(), writer.length());
        crc.reset();
        crc.update(o.bytes);
        o.checksum = (int)crc.getValue();
        outgoing[to] = o;
        sentSnapshots++;
        System.out.println("paxlog: sending snapshot at slot " + o.slot + " (" + o.bytes.length + " bytes) to node " +
            to);
    }

    /** Sends the next chunks of transfers in progress; returns chunks sent. */
    int sendChunks()
    {
        int sentChunks = 0;
        for (int to = 0; to < outgoing.length; to++)
        {
            final Outgoing o = outgoing[to];
            if (o == null)
            {
                continue;
            }
            view.wrap(o.bytes);
            for (int k = 0; k < CHUNKS_PER_CYCLE && (o.sent < o.bytes.length || o.bytes.length == 0); k++)
            {
                final int length = Math.min(CHUNK_BYTES, o.bytes.length - o.sent);
                sender.send(to, o.ballot, o.slot, o.bytes.length, o.sent, o.checksum, view, o.sent, length);
                o.sent += length;
                sentChunks++;
                if (o.bytes.length == 0)
                {
                    break;
                }
            }
            if (o.sent >= o.bytes.length)
            {
                outgoing[to] = null;
            }
        }
        return sentChunks;
    }

    /** One chunk from {@code from}; installs the snapshot when its last chunk arrives intact. */
    void onChunk(final long nowNs, final int from, final long ballot, final long slot, final long totalLength,
        final long offset, final int checksum, final DirectBuffer data, final int dataOffset, final int dataLength)
    {
        if (slot <= core.commitSlot())
        {
            return;
        }
        if (totalLength < 0 || totalLength > maxBytes)
        {
            refused++;
            return;
        }
        if (incoming == null || incomingFrom != from || incomingSlot != slot)
        {
            if (offset != 0)
            {
                return;
            }
            incomingFrom = from;
            incomingBallot = ballot;
            incomingSlot = slot;
            incomingChecksum = checksum;
            incoming = new byte[(int)totalLength];
            incomingReceived = 0;
        }
        if (offset != incomingReceived || incomingReceived + dataLength > incoming.length)
        {
            incoming = null; // a gap: start again when the sender offers again
            return;
        }
        data.getBytes(dataOffset, incoming, incomingReceived, dataLength);
        incomingReceived += dataLength;
        if (incomingReceived < incoming.length)
        {
            return;
        }
        final byte[] bytes = incoming;
        incoming = null;
        crc.reset();
        crc.update(bytes);
        if ((int)crc.getValue() != incomingChecksum)
        {
            refused++;
            return;
        }
        view.wrap(bytes);
        // the machines restore in place: keep what they hold now, so a snapshot that passes its checksum yet fails to
        // restore (a sender's bug, or a forged one) leaves this node exactly as it was, not half restored
        writer.reset();
        content.write(writer);
        final byte[] before = Arrays.copyOf(writer.buffer().byteArray(), writer.length());
        final Membership membership;
        try
        {
            membership = content.restore(view, 0, bytes.length);
        }
        catch (final RuntimeException ex)
        {
            content.restore(new UnsafeBuffer(before), 0, before.length);
            refused++;
            NodeLog.info("refused the snapshot at slot " + slot + " from node " + from + ": it does not restore (" +
                String.valueOf(ex.getMessage()).replaceAll("\\p{Cntrl}", " ") + ")");
            return;
        }
        store.save(slot, view, 0, bytes.length); // saved only once it restored
        installListener.onInstalled(slot);
        core.installSnapshot(nowNs, from, incomingBallot, slot, membership);
        installed++;
        System.out.println("paxlog: installed snapshot at slot " + slot + " (" + bytes.length + " bytes) from node " +
            from);
    }

    long sentSnapshots()
    {
        return sentSnapshots;
    }

    long installed()
    {
        return installed;
    }

    long refused()
    {
        return refused;
    }
}
