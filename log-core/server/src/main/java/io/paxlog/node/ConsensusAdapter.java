package io.paxlog.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paxlog.codecs.SnapshotChunkDecoder;
import io.paxlog.codecs.AcceptDecoder;
import io.paxlog.codecs.AcceptedDecoder;
import io.paxlog.codecs.CatchupRequestDecoder;
import io.paxlog.codecs.CatchupResponseDecoder;
import io.paxlog.codecs.EntryType;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.NackDecoder;
import io.paxlog.codecs.PrepareDecoder;
import io.paxlog.codecs.PromiseDecoder;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.Entry;
import io.paxlog.core.Invariants.InvariantViolation;
import io.paxlog.core.NackReason;
import org.agrona.DirectBuffer;

/**
 * Decodes consensus frames from peers and calls the core's {@code onXxx} with primitives. A frame that is
 * malformed in any way (short, wrong schema, unknown template, a length running past the end, an unknown enum,
 * a group larger than the limits, a sender with no address in the {@link AddressBook}) is dropped and counted; nothing it does can throw
 * out of the duty cycle. With authentication on, each frame's {@link FrameEnvelope} is checked first (cluster id,
 * sender, tag) and nothing of a frame that fails it is decoded; a message's {@code fromNodeId} must then be the
 * envelope's sender. What the core or a state machine throws while handling a good frame because this node's own
 * state is broken (an {@code InvariantViolation}, a {@link StateMachineException}, an {@code Error}) is not a bad
 * frame: it escapes, and the node stops ({@link FailStop}).
 */
final class ConsensusAdapter implements FragmentHandler
{
    private final ConsensusNode core;
    private final AddressBook book;
    private final int entriesMax;
    private final FrameChecker checker;
    private final PrepareDecoder prepare = new PrepareDecoder();
    private final PromiseDecoder promise = new PromiseDecoder();
    private final NackDecoder nack = new NackDecoder();
    private final AcceptDecoder accept = new AcceptDecoder();
    private final AcceptedDecoder accepted = new AcceptedDecoder();
    private final CatchupRequestDecoder catchupRequest = new CatchupRequestDecoder();
    private final CatchupResponseDecoder catchupResponse = new CatchupResponseDecoder();
    private final SnapshotChunkDecoder snapshotChunk = new SnapshotChunkDecoder();
    private final org.agrona.concurrent.UnsafeBuffer chunkData = new org.agrona.concurrent.UnsafeBuffer(0, 0);
    private SnapshotTransfer snapshots;
    private final long[] slots;
    private final long[] ballots;
    /** Payload bytes each scratch entry holds from the start (it grows once for a larger payload). */
    /**
     * The payloads of the frame being decoded, one after another: a frame's payloads fit in its length, which is at
     * most the frame limit, so this array (allocated once) holds every frame's and no entry needs one of its own.
     */
    private final byte[] payloads;
    private int payloadsUsed;
    private final Entry[] entries;
    private long nowNs;
    private long dropped;
    private long received;

    /** Checks each frame's envelope before anything else (authentication on); null: frames arrive bare. */
    private final FrameEnvelope envelope;

    ConsensusAdapter(final ConsensusNode core, final AddressBook book, final int entriesMax, final int frameLengthMax,
        final FrameEnvelope envelope)
    {
        this.envelope = envelope;
        this.checker = new FrameChecker(frameLengthMax, entriesMax, frameLengthMax);
        this.core = core;
        this.book = book;
        this.entriesMax = entriesMax;
        this.slots = new long[entriesMax];
        this.ballots = new long[entriesMax];
        this.entries = new Entry[entriesMax];
        this.payloads = new byte[frameLengthMax];
        for (int i = 0; i < entriesMax; i++)
        {
            entries[i] = new Entry(0); // views of the payloads array, reused by every frame: nothing allocated
        }
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    void snapshots(final SnapshotTransfer transfer)
    {
        this.snapshots = transfer;
    }

    long dropped()
    {
        return dropped;
    }

    long received()
    {
        return received;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
    {
        try
        {
            if (envelope != null && envelope.open(buffer, offset, length) != FrameEnvelope.OK)
            {
                dropped++; // counted by reason in the envelope too; nothing of it was decoded
                return;
            }
            final boolean ok = envelope == null ? dispatch(buffer, offset, length) :
                dispatch(buffer, offset + FrameEnvelope.PREFIX_LENGTH, envelope.frameLength(length));
            if (!ok)
            {
                dropped++;
            }
            else
            {
                received++;
            }
        }
        catch (final InvariantViolation ex)
        {
            throw ex; // not a bad frame: this node's own state is broken (fail-stop, FailStop)
        }
        catch (final IndexOutOfBoundsException | IllegalStateException | IllegalArgumentException ex)
        {
            dropped++;
        }
    }

    private boolean dispatch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (checker.check(buffer, offset, length) != FrameCheck.OK)
        {
            return false;
        }
        // the checker validated every length, group and enum and that the message ends at the frame end
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = checker.actingBlockLength();
        final int version = checker.actingVersion();
        switch (checker.templateId())
        {
            case PrepareDecoder.TEMPLATE_ID:
                prepare.wrap(buffer, body, blockLength, version);
                if (!member(prepare.fromNodeId()))
                {
                    return false;
                }
                core.onPrepare(nowNs, prepare.fromNodeId(), prepare.ballot(), prepare.fromSlot(), prepare.sendTimeNs());
                return true;
            case PromiseDecoder.TEMPLATE_ID:
                return onPromise(buffer, body, blockLength, version);
            case NackDecoder.TEMPLATE_ID:
            {
                nack.wrap(buffer, body, blockLength, version);
                final NackReason reason = NackReasons.fromWire(nack.reasonRaw());
                if (!member(nack.fromNodeId()) || reason == null)
                {
                    return false;
                }
                core.onNack(nowNs, nack.fromNodeId(), nack.rejectedBallot(), nack.promisedBallot(), nack.remainingNs(),
                    nack.commitSlot(), reason);
                return true;
            }
            case AcceptDecoder.TEMPLATE_ID:
                return onAccept(buffer, body, blockLength, version);
            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                snapshotChunk.wrap(buffer, body, blockLength, version);
                final int from = snapshotChunk.fromNodeId();
                if (!member(from) || snapshots == null)
                {
                    return false;
                }
                final long ballot = snapshotChunk.ballot();
                final long slot = snapshotChunk.snapshotSlot();
                final long total = snapshotChunk.totalLength();
                final long chunkOffset = snapshotChunk.chunkOffset();
                final int checksum = snapshotChunk.snapshotChecksum();
                snapshotChunk.wrapData(chunkData);
                snapshots.onChunk(nowNs, from, ballot, slot, total, chunkOffset, checksum, chunkData, 0,
                    chunkData.capacity());
                return true;
            }
            case AcceptedDecoder.TEMPLATE_ID:
                accepted.wrap(buffer, body, blockLength, version);
                if (!member(accepted.fromNodeId()))
                {
                    return false;
                }
                core.onAccepted(nowNs, accepted.fromNodeId(), accepted.ballot(), accepted.echoSendTimeNs(),
                    accepted.ackSlot());
                return true;
            case CatchupRequestDecoder.TEMPLATE_ID:
                catchupRequest.wrap(buffer, body, blockLength, version);
                if (!member(catchupRequest.fromNodeId()))
                {
                    return false;
                }
                core.onCatchupRequest(nowNs, catchupRequest.fromNodeId(), catchupRequest.fromSlot());
                return true;
            case CatchupResponseDecoder.TEMPLATE_ID:
                return onCatchupResponse(buffer, body, blockLength, version);
            default:
                return false;
        }
    }

    private boolean onPromise(final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        promise.wrap(buffer, body, blockLength, version);
        final int from = promise.fromNodeId();
        final long ballot = promise.ballot();
        final long echo = promise.echoSendTimeNs();
        final long commitSlot = promise.commitSlot();
        // a version-5 promise is whole; from version 6 a part says which slots it covers
        final boolean parts = version >= PromiseDecoder.coverFromSlotSinceVersion();
        final long coverFrom = parts ? promise.coverFromSlot() : 0;
        final long coverTo = parts ? promise.coverToSlot() : Long.MAX_VALUE;
        final PromiseDecoder.EntriesDecoder group = promise.entries();
        final int count = group.count();
        if (!member(from) || count > entriesMax)
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            group.next();
            slots[i] = group.slot();
            ballots[i] = group.ballot();
            final Entry e = decodeEntry(i, group.entryType(), group.sessionId(), group.sequence(),
                group.timestampNs(), group.payloadLength());
            if (e == null)
            {
                return false;
            }
            if (e.isNoop())
            {
                group.skipPayload();
            }
            else
            {
                group.getPayload(e.payloadArray(), e.payloadOffset(), e.payloadLength());
                if (!validConfig(e))
                {
                    return false;
                }
            }
        }
        learnAddresses(count);
        core.onPromise(nowNs, from, ballot, echo, commitSlot, coverFrom, coverTo, slots, ballots, entries, count);
        return true;
    }

    private boolean onAccept(final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        accept.wrap(buffer, body, blockLength, version);
        final int from = accept.fromNodeId();
        final long ballot = accept.ballot();
        final long sendTimeNs = accept.sendTimeNs();
        final long commitSlot = accept.commitSlot();
        final long firstSlot = accept.firstSlot();
        final AcceptDecoder.EntriesDecoder group = accept.entries();
        final int count = group.count();
        if (!member(from) || count > entriesMax)
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            group.next();
            final Entry e = decodeEntry(i, group.entryType(), group.sessionId(), group.sequence(),
                group.timestampNs(), group.payloadLength());
            if (e == null)
            {
                return false;
            }
            if (e.isNoop())
            {
                group.skipPayload();
            }
            else
            {
                group.getPayload(e.payloadArray(), e.payloadOffset(), e.payloadLength());
                if (!validConfig(e))
                {
                    return false;
                }
            }
        }
        learnAddresses(count);
        core.onAccept(nowNs, from, ballot, sendTimeNs, commitSlot, firstSlot, entries, count);
        return true;
    }

    private boolean onCatchupResponse(final DirectBuffer buffer, final int body, final int blockLength,
        final int version)
    {
        catchupResponse.wrap(buffer, body, blockLength, version);
        final int from = catchupResponse.fromNodeId();
        final long firstSlot = catchupResponse.firstSlot();
        final CatchupResponseDecoder.EntriesDecoder group = catchupResponse.entries();
        final int count = group.count();
        if (!member(from) || count > entriesMax)
        {
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            group.next();
            ballots[i] = group.ballot();
            final Entry e = decodeEntry(i, group.entryType(), group.sessionId(), group.sequence(),
                group.timestampNs(), group.payloadLength());
            if (e == null)
            {
                return false;
            }
            if (e.isNoop())
            {
                group.skipPayload();
            }
            else
            {
                group.getPayload(e.payloadArray(), e.payloadOffset(), e.payloadLength());
                if (!validConfig(e))
                {
                    return false;
                }
            }
        }
        learnAddresses(count);
        core.onCatchupResponse(nowNs, from, firstSlot, ballots, entries, count);
        return true;
    }

    /**
     * Fills the reused scratch entry {@code i} from the fixed fields, a view of the next {@code payloadLength}
     * bytes of {@link #payloads} for the caller to read the payload into from the frame (fields are read in schema
     * order; entry 0 starts the frame's payloads over). Null if the entry is invalid. The core copies what it
     * keeps, so the scratch entries and their bytes are reused by the next frame.
     */
    private Entry decodeEntry(final int i, final EntryType type, final long sessionId, final long sequence,
        final long timestampNs, final int payloadLength)
    {
        if (type == EntryType.NULL_VAL || payloadLength < 0)
        {
            return null;
        }
        if (i == 0)
        {
            payloadsUsed = 0;
        }
        if (type == EntryType.NOOP)
        {
            return entries[i].wrapView(Entry.TYPE_NOOP, 0, 0, timestampNs, payloads, 0, 0);
        }
        if (payloadLength > payloads.length - payloadsUsed)
        {
            return null; // more payload than a frame within the limit can carry: the frame checker lets none through
        }
        final int offset = payloadsUsed;
        payloadsUsed += payloadLength;
        return entries[i].wrapView(type == EntryType.CONFIG ? Entry.TYPE_CONFIG : Entry.TYPE_COMMAND, sessionId,
            sequence, timestampNs, payloads, offset, payloadLength);
    }

    /**
     * A configuration entry must decode as one, member addresses included (a malformed one drops the whole frame,
     * counted).
     */
    private static boolean validConfig(final Entry e)
    {
        return !e.isConfig() || AddressBook.parseTail(e.payloadArray(), e.payloadOffset(), e.payloadLength()) != null;
    }

    /**
     * The members of configuration entries in a frame that passed every check become reachable before the core
     * sees it (a candidate asks the members of each configuration a promise reveals; a leader's accepts reach a
     * new learner).
     */
    private void learnAddresses(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final Entry e = entries[i];
            if (e.isConfig())
            {
                book.learnConfig(e.payloadArray(), e.payloadOffset(), e.payloadLength());
            }
        }
    }

    /**
     * Whether {@code nodeId}, the sender a message names, is a member (and, with authentication on, the member
     * whose envelope carried it: a member cannot speak for another).
     */
    private boolean member(final int nodeId)
    {
        if (envelope != null && nodeId != envelope.sender())
        {
            envelope.senderMismatch();
            return false;
        }
        return book.hears(nodeId);
    }

    /** Frames dropped by the envelope's checks for {@code reason} ({@link FrameEnvelope}); 0 without one. */
    long authDrops(final int reason)
    {
        return envelope == null ? 0 : envelope.drops(reason);
    }
}
