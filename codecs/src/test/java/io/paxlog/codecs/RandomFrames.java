package io.paxlog.codecs;

import java.util.SplittableRandom;

import org.agrona.MutableDirectBuffer;

/**
 * Test helper: encodes valid frames of every message of the schema with the generated encoders, with field values,
 * group counts (0 to 4) and var-data lengths (0 to 23, sometimes up to 1,000) drawn from a seeded generator.
 */
final class RandomFrames
{
    /** Every template id of the schema, in schema order. */
    static final int[] TEMPLATE_IDS =
    {
        PrepareDecoder.TEMPLATE_ID, PromiseDecoder.TEMPLATE_ID, NackDecoder.TEMPLATE_ID, AcceptDecoder.TEMPLATE_ID,
        AcceptedDecoder.TEMPLATE_ID, CatchupRequestDecoder.TEMPLATE_ID, CatchupResponseDecoder.TEMPLATE_ID,
        SessionConnectDecoder.TEMPLATE_ID, SessionEventDecoder.TEMPLATE_ID, CommandRequestDecoder.TEMPLATE_ID,
        QueryRequestDecoder.TEMPLATE_ID, CommandResponseDecoder.TEMPLATE_ID, SessionKeepAliveDecoder.TEMPLATE_ID,
        SessionCloseDecoder.TEMPLATE_ID, StatusRequestDecoder.TEMPLATE_ID, StatusResponseDecoder.TEMPLATE_ID,
        JournalPromiseDecoder.TEMPLATE_ID, JournalAcceptedDecoder.TEMPLATE_ID, JournalCommitDecoder.TEMPLATE_ID,
        SnapshotChunkDecoder.TEMPLATE_ID, SnapshotRequestDecoder.TEMPLATE_ID, JournalSegmentDecoder.TEMPLATE_ID,
        FaultRequestDecoder.TEMPLATE_ID, MembershipRequestDecoder.TEMPLATE_ID, MembershipResponseDecoder.TEMPLATE_ID
    };

    private final SplittableRandom random;
    private final byte[] bytes = new byte[1000];
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final PrepareEncoder prepare = new PrepareEncoder();
    private final PromiseEncoder promise = new PromiseEncoder();
    private final NackEncoder nack = new NackEncoder();
    private final AcceptEncoder accept = new AcceptEncoder();
    private final AcceptedEncoder accepted = new AcceptedEncoder();
    private final CatchupRequestEncoder catchupRequest = new CatchupRequestEncoder();
    private final CatchupResponseEncoder catchupResponse = new CatchupResponseEncoder();
    private final SessionConnectEncoder sessionConnect = new SessionConnectEncoder();
    private final SessionEventEncoder sessionEvent = new SessionEventEncoder();
    private final CommandRequestEncoder commandRequest = new CommandRequestEncoder();
    private final QueryRequestEncoder queryRequest = new QueryRequestEncoder();
    private final CommandResponseEncoder commandResponse = new CommandResponseEncoder();
    private final SessionKeepAliveEncoder keepAlive = new SessionKeepAliveEncoder();
    private final SessionCloseEncoder sessionClose = new SessionCloseEncoder();
    private final StatusRequestEncoder statusRequest = new StatusRequestEncoder();
    private final StatusResponseEncoder statusResponse = new StatusResponseEncoder();
    private final FaultRequestEncoder faultRequest = new FaultRequestEncoder();
    private final MembershipRequestEncoder membershipRequest = new MembershipRequestEncoder();
    private final MembershipResponseEncoder membershipResponse = new MembershipResponseEncoder();
    private final JournalPromiseEncoder journalPromise = new JournalPromiseEncoder();
    private final JournalAcceptedEncoder journalAccepted = new JournalAcceptedEncoder();
    private final JournalCommitEncoder journalCommit = new JournalCommitEncoder();
    private final SnapshotChunkEncoder snapshotChunk = new SnapshotChunkEncoder();
    private final SnapshotRequestEncoder snapshotRequest = new SnapshotRequestEncoder();
    private final JournalSegmentEncoder journalSegment = new JournalSegmentEncoder();

    RandomFrames(final SplittableRandom random)
    {
        this.random = random;
    }

    /** Encodes a random valid frame of {@code templateId} at {@code offset}; returns its length, header included. */
    int encode(final int templateId, final MutableDirectBuffer buffer, final int offset)
    {
        final SplittableRandom r = random;
        final int bodyLength;
        switch (templateId)
        {
            case PrepareDecoder.TEMPLATE_ID:
                bodyLength = prepare.wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).ballot(r.nextLong()).fromSlot(r.nextLong()).sendTimeNs(r.nextLong())
                    .encodedLength();
                break;

            case PromiseDecoder.TEMPLATE_ID:
            {
                final int count = r.nextInt(5);
                final PromiseEncoder.EntriesEncoder entries = promise.wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).ballot(r.nextLong()).echoSendTimeNs(r.nextLong()).commitSlot(r.nextLong())
                    .entriesCount(count);
                for (int i = 0; i < count; i++)
                {
                    final int length = payload();
                    entries.next().slot(r.nextLong()).ballot(r.nextLong()).entryType(entryType())
                        .sessionId(r.nextLong()).sequence(r.nextLong()).timestampNs(r.nextLong())
                        .putPayload(bytes, 0, length);
                }
                bodyLength = promise.encodedLength();
                break;
            }

            case NackDecoder.TEMPLATE_ID:
                bodyLength = nack.wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).rejectedBallot(r.nextLong()).promisedBallot(r.nextLong())
                    .remainingNs(r.nextLong()).commitSlot(r.nextLong()).reason(pick(NackReason.values()))
                    .encodedLength();
                break;

            case AcceptDecoder.TEMPLATE_ID:
            {
                final int count = r.nextInt(5);
                final AcceptEncoder.EntriesEncoder entries = accept.wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).ballot(r.nextLong()).sendTimeNs(r.nextLong()).commitSlot(r.nextLong())
                    .firstSlot(r.nextLong()).entriesCount(count);
                for (int i = 0; i < count; i++)
                {
                    final int length = payload();
                    entries.next().entryType(entryType()).sessionId(r.nextLong()).sequence(r.nextLong())
                        .timestampNs(r.nextLong()).putPayload(bytes, 0, length);
                }
                bodyLength = accept.encodedLength();
                break;
            }

            case AcceptedDecoder.TEMPLATE_ID:
                bodyLength = accepted.wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).ballot(r.nextLong()).echoSendTimeNs(r.nextLong()).ackSlot(r.nextLong())
                    .encodedLength();
                break;

            case CatchupRequestDecoder.TEMPLATE_ID:
                bodyLength = catchupRequest.wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).fromSlot(r.nextLong()).encodedLength();
                break;

            case CatchupResponseDecoder.TEMPLATE_ID:
            {
                final int count = r.nextInt(5);
                final CatchupResponseEncoder.EntriesEncoder entries = catchupResponse
                    .wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).firstSlot(r.nextLong()).entriesCount(count);
                for (int i = 0; i < count; i++)
                {
                    final int length = payload();
                    entries.next().ballot(r.nextLong()).entryType(entryType()).sessionId(r.nextLong())
                        .sequence(r.nextLong()).timestampNs(r.nextLong()).putPayload(bytes, 0, length);
                }
                bodyLength = catchupResponse.encodedLength();
                break;
            }

            case SessionConnectDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = sessionConnect.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).responseStreamId(r.nextInt()).sessionTtlMs(r.nextLong()).putResponseChannel(bytes, 0, length)
                    .putCredentials(bytes, 0, payload()).encodedLength();
                break;
            }

            case SessionEventDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = sessionEvent.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).sessionId(r.nextLong()).code(pick(SessionEventCode.values()))
                    .leaderNodeId(r.nextInt()).putDetail(bytes, 0, length).putChallenge(bytes, 0, payload())
                    .putMembers(bytes, 0, payload()).encodedLength();
                break;
            }

            case CommandRequestDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = commandRequest.wrapAndApplyHeader(buffer, offset, header)
                    .sessionId(r.nextLong()).sequence(r.nextLong()).putPayload(bytes, 0, length).encodedLength();
                break;
            }

            case QueryRequestDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = queryRequest.wrapAndApplyHeader(buffer, offset, header)
                    .sessionId(r.nextLong()).correlationId(r.nextLong()).consistency(pick(ReadConsistency.values()))
                    .minSlot(r.nextLong()).putPayload(bytes, 0, length).encodedLength();
                break;
            }

            case CommandResponseDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = commandResponse.wrapAndApplyHeader(buffer, offset, header)
                    .sessionId(r.nextLong()).sequence(r.nextLong()).status(pick(CommandStatus.values()))
                    .leaderNodeId(r.nextInt()).slot(r.nextLong()).putResult(bytes, 0, length)
                    .putMembers(bytes, 0, payload()).encodedLength();
                break;
            }

            case SessionKeepAliveDecoder.TEMPLATE_ID:
                bodyLength = keepAlive.wrapAndApplyHeader(buffer, offset, header).sessionId(r.nextLong())
                    .encodedLength();
                break;

            case SessionCloseDecoder.TEMPLATE_ID:
                bodyLength = sessionClose.wrapAndApplyHeader(buffer, offset, header).sessionId(r.nextLong())
                    .encodedLength();
                break;

            case StatusRequestDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = statusRequest.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).responseStreamId(r.nextInt()).putResponseChannel(bytes, 0, length)
                    .putCredentials(bytes, 0, payload()).encodedLength();
                break;
            }

            case StatusResponseDecoder.TEMPLATE_ID:
            {
                statusResponse.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).nodeId(r.nextInt()).role(pick(NodeRole.values()))
                    .ballot(r.nextLong()).commitSlot(r.nextLong()).appliedSlot(r.nextLong())
                    .leaseRemainingNs(r.nextLong()).droppedFrames(r.nextLong()).leaderId(r.nextInt())
                    .snapshotSlot(r.nextLong()).droppedSends(r.nextLong()).delayedFrames(r.nextLong())
                    .faultDelayNs(r.nextLong()).faultOutcome(pick(FaultOutcome.values()));
                final int count = r.nextInt(4);
                final StatusResponseEncoder.FollowersEncoder followers = statusResponse.followersCount(count);
                for (int i = 0; i < count; i++)
                {
                    followers.next().nodeId(r.nextInt()).ackedSlot(r.nextLong()).lagSlots(r.nextLong())
                        .lastAckAgeNs(r.nextLong());
                }
                final int members = r.nextInt(5);
                final StatusResponseEncoder.ConfigurationEncoder configuration =
                    statusResponse.configurationCount(members);
                for (int i = 0; i < members; i++)
                {
                    configuration.next().nodeId(r.nextInt()).votingState(pick(VotingState.values()));
                }
                statusResponse.putConfigurationDetail(bytes, 0, payload());
                bodyLength = statusResponse.encodedLength();
                break;
            }

            case FaultRequestDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = faultRequest.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).responseStreamId(r.nextInt()).delayNs(r.nextLong())
                    .jitterNs(r.nextLong()).durationNs(r.nextLong()).putResponseChannel(bytes, 0, length)
                    .putCredentials(bytes, 0, payload()).encodedLength();
                break;
            }

            case MembershipRequestDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                membershipRequest.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).responseStreamId(r.nextInt()).removeNodeId(r.nextInt())
                    .acceptQuorum(r.nextInt()).electionQuorum(r.nextInt()).putAddMember(bytes, 0, length);
                final int channelLength = payload();
                membershipRequest.putResponseChannel(bytes, 0, channelLength).putCredentials(bytes, 0, payload());
                bodyLength = membershipRequest.encodedLength();
                break;
            }

            case MembershipResponseDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = membershipResponse.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).nodeId(r.nextInt()).outcome(pick(MembershipOutcome.values()))
                    .leaderId(r.nextInt()).commitSlot(r.nextLong()).putDetail(bytes, 0, length).encodedLength();
                break;
            }

            case JournalPromiseDecoder.TEMPLATE_ID:
                bodyLength = journalPromise.wrapAndApplyHeader(buffer, offset, header)
                    .ballot(r.nextLong()).checksum(r.nextInt()).encodedLength();
                break;

            case JournalAcceptedDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = journalAccepted.wrapAndApplyHeader(buffer, offset, header)
                    .slot(r.nextLong()).ballot(r.nextLong()).entryType(entryType()).sessionId(r.nextLong())
                    .sequence(r.nextLong()).timestampNs(r.nextLong()).checksum(r.nextInt())
                    .putPayload(bytes, 0, length).encodedLength();
                break;
            }

            case JournalCommitDecoder.TEMPLATE_ID:
                bodyLength = journalCommit.wrapAndApplyHeader(buffer, offset, header)
                    .commitSlot(r.nextLong()).checksum(r.nextInt()).encodedLength();
                break;

            case JournalSegmentDecoder.TEMPLATE_ID:
                bodyLength = journalSegment.wrapAndApplyHeader(buffer, offset, header)
                    .baseSlot(r.nextLong()).checksum(r.nextInt()).encodedLength();
                break;

            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = snapshotChunk.wrapAndApplyHeader(buffer, offset, header)
                    .fromNodeId(r.nextInt()).ballot(r.nextLong()).snapshotSlot(r.nextLong()).totalLength(r.nextLong())
                    .chunkOffset(r.nextLong()).snapshotChecksum(r.nextInt()).putData(bytes, 0, length).encodedLength();
                break;
            }

            case SnapshotRequestDecoder.TEMPLATE_ID:
            {
                final int length = payload();
                bodyLength = snapshotRequest.wrapAndApplyHeader(buffer, offset, header)
                    .correlationId(r.nextLong()).responseStreamId(r.nextInt()).putResponseChannel(bytes, 0, length)
                    .putCredentials(bytes, 0, payload()).encodedLength();
                break;
            }

            default:
                throw new IllegalArgumentException("no such template: " + templateId);
        }

        return MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
    }

    private int payload()
    {
        final int length = random.nextInt(8) == 0 ? random.nextInt(bytes.length + 1) : random.nextInt(24);
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.nextInt();
        }

        return length;
    }

    private EntryType entryType()
    {
        return pick(EntryType.values());
    }

    private <E extends Enum<E>> E pick(final E[] values)
    {
        while (true)
        {
            final E value = values[random.nextInt(values.length)];
            if (!"NULL_VAL".equals(value.name()))
            {
                return value;
            }
        }
    }
}
