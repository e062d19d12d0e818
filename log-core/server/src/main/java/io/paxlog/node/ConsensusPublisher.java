package io.paxlog.node;

import io.paxlog.codecs.SnapshotChunkEncoder;
import org.agrona.DirectBuffer;
import io.paxlog.codecs.AcceptEncoder;
import io.paxlog.codecs.AcceptedEncoder;
import io.paxlog.codecs.CatchupRequestEncoder;
import io.paxlog.codecs.CatchupResponseEncoder;
import io.paxlog.codecs.EntryType;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.NackEncoder;
import io.paxlog.codecs.PrepareEncoder;
import io.paxlog.codecs.PromiseEncoder;
import io.paxlog.core.Entry;
import io.paxlog.core.NackReason;
import io.paxlog.core.Outbox;
import io.paxlog.protocol.Member;
import org.agrona.ExpandableArrayBuffer;

/**
 * The core's {@link Outbox} on a real node: encodes each message as an SBE frame into one reused buffer, seals it
 * in the {@link FrameEnvelope} when members authenticate each other (the frame is encoded after the envelope's
 * prefix and the tag written behind it, in the same buffer), and hands it to {@link HeldFrames}, which sends it
 * after the duty cycle's journal sync. Encoders are created once; nothing is allocated per message.
 */
final class ConsensusPublisher implements Outbox
{
    private long snapshotRequests;
    private SnapshotTransfer snapshotOffers;
    private final SnapshotChunkEncoder snapshotChunk = new SnapshotChunkEncoder();
    private final int selfId;
    private final int[] peerPublication;
    private final HeldFrames held;
    /** Sized for the largest frame at start (the envelope included), so no frame grows it: nothing allocated. */
    private final ExpandableArrayBuffer buffer;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PrepareEncoder prepare = new PrepareEncoder();
    private final PromiseEncoder promise = new PromiseEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final AcceptEncoder accept = new AcceptEncoder();
    private final AcceptedEncoder accepted = new AcceptedEncoder();
    private final CatchupRequestEncoder catchupRequest = new CatchupRequestEncoder();
    private final CatchupResponseEncoder catchupResponse = new CatchupResponseEncoder();

    /** The envelope each frame is sealed in (authentication on), or null (frames go out bare). */
    private final FrameEnvelope envelope;
    /** Where the SBE frame starts in the buffer: after the envelope's prefix, or at 0. */
    private final int prefix;

    /** Frames for an id this node has no publication to (no address known): dropped, counted. */
    private long unaddressed;

    /** A publisher with no peers yet ({@link #peer} adds them as their addresses become known). */
    ConsensusPublisher(final int selfId, final HeldFrames held, final FrameEnvelope envelope,
        final int frameLengthMax)
    {
        this.buffer = new ExpandableArrayBuffer(frameLengthMax + FrameEnvelope.PREFIX_LENGTH + 1024);
        this.envelope = envelope;
        this.prefix = envelope == null ? 0 : FrameEnvelope.PREFIX_LENGTH;
        this.selfId = selfId;
        this.peerPublication = new int[Member.ID_MAX + 1];
        java.util.Arrays.fill(peerPublication, -1);
        this.held = held;
    }

    /** Frames for member {@code id} go to the {@link HeldFrames} publication {@code publicationIndex} from now on. */
    void peer(final int id, final int publicationIndex)
    {
        peerPublication[id] = publicationIndex;
    }

    /** The publication index frames for {@code id} go to; -1 if none. */
    int peerPublication(final int id)
    {
        return peerPublication[id];
    }

    long unaddressed()
    {
        return unaddressed;
    }

    private void hold(final int to, final int encodedLength)
    {
        if (to < 0 || to >= peerPublication.length || peerPublication[to] < 0)
        {
            unaddressed++;
            return;
        }
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encodedLength;
        held.hold(peerPublication[to], buffer, 0, envelope == null ? frameLength : envelope.seal(buffer, frameLength));
    }

    private static EntryType type(final Entry e)
    {
        return e.isNoop() ? EntryType.NOOP : e.isConfig() ? EntryType.CONFIG : EntryType.COMMAND;
    }

    public void prepare(final int to, final long ballot, final long fromSlot, final long sendTimeNs)
    {
        prepare.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).ballot(ballot).fromSlot(fromSlot)
            .sendTimeNs(sendTimeNs);
        hold(to, prepare.encodedLength());
    }

    public void promise(final int to, final long ballot, final long echoSendTimeNs, final long commitSlot,
        final long coverFromSlot, final long coverToSlot, final long[] slots, final long[] ballots,
        final Entry[] entries, final int first, final int count)
    {
        promise.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).ballot(ballot)
            .echoSendTimeNs(echoSendTimeNs).commitSlot(commitSlot).coverFromSlot(coverFromSlot)
            .coverToSlot(coverToSlot);
        final PromiseEncoder.EntriesEncoder group = promise.entriesCount(count);
        for (int i = first; i < first + count; i++)
        {
            final Entry e = entries[i];
            group.next().slot(slots[i]).ballot(ballots[i]).entryType(type(e)).sessionId(e.sessionId())
                .sequence(e.sequence()).timestampNs(e.timestampNs()).putPayload(e.payloadArray(), e.payloadOffset(), e.payloadLength());
        }
        hold(to, promise.encodedLength());
    }

    public void nack(final int to, final long rejectedBallot, final long promisedBallot, final long leaseRemainingNs,
        final long commitSlot, final NackReason reason)
    {
        nack.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).rejectedBallot(rejectedBallot)
            .promisedBallot(promisedBallot).remainingNs(leaseRemainingNs).commitSlot(commitSlot)
            .reason(NackReasons.toWire(reason));
        hold(to, nack.encodedLength());
    }

    public void accept(final int to, final long ballot, final long sendTimeNs, final long commitSlot,
        final long firstSlot, final Entry[] entries, final int count)
    {
        accept.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).ballot(ballot).sendTimeNs(sendTimeNs)
            .commitSlot(commitSlot).firstSlot(firstSlot);
        final AcceptEncoder.EntriesEncoder group = accept.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            final Entry e = entries[i];
            group.next().entryType(type(e)).sessionId(e.sessionId()).sequence(e.sequence())
                .timestampNs(e.timestampNs()).putPayload(e.payloadArray(), e.payloadOffset(), e.payloadLength());
        }
        hold(to, accept.encodedLength());
    }

    public void accepted(final int to, final long ballot, final long echoSendTimeNs, final long ackSlot)
    {
        accepted.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).ballot(ballot)
            .echoSendTimeNs(echoSendTimeNs).ackSlot(ackSlot);
        hold(to, accepted.encodedLength());
    }

    /** Passed on to the {@link SnapshotTransfer}, which snapshots the state machines and sends the chunks. */
    public void installSnapshot(final int to, final long ballot)
    {
        snapshotRequests++;
        if (snapshotOffers != null)
        {
            snapshotOffers.offer(to, ballot);
        }
    }

    void snapshotOffers(final SnapshotTransfer transfer)
    {
        this.snapshotOffers = transfer;
    }

    long snapshotRequests()
    {
        return snapshotRequests;
    }

    void snapshotChunk(final int to, final long ballot, final long slot, final long totalLength, final long offset,
        final int checksum, final DirectBuffer data, final int dataOffset, final int dataLength)
    {
        snapshotChunk.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).ballot(ballot).snapshotSlot(slot)
            .totalLength(totalLength).chunkOffset(offset).snapshotChecksum(checksum).putData(data, dataOffset, dataLength);
        hold(to, snapshotChunk.encodedLength());
    }

    public void catchupRequest(final int to, final long fromSlot)
    {
        catchupRequest.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).fromSlot(fromSlot);
        hold(to, catchupRequest.encodedLength());
    }

    public void catchupResponse(final int to, final long firstSlot, final long[] ballots, final Entry[] entries,
        final int count)
    {
        catchupResponse.wrapAndApplyHeader(buffer, prefix, header).fromNodeId(selfId).firstSlot(firstSlot);
        final CatchupResponseEncoder.EntriesEncoder group = catchupResponse.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            final Entry e = entries[i];
            group.next().ballot(ballots[i]).entryType(type(e)).sessionId(e.sessionId()).sequence(e.sequence())
                .timestampNs(e.timestampNs()).putPayload(e.payloadArray(), e.payloadOffset(), e.payloadLength());
        }
        hold(to, catchupResponse.encodedLength());
    }
}
