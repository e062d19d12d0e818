package io.paxlog.codecs;

import org.agrona.DirectBuffer;

/**
 * Test helper: decodes every field, group entry and var-data field of a frame with the generated decoders, in
 * schema order, as a receiver would after {@link FrameChecker} said OK. Enum getters throw on values the schema
 * does not define, so a frame the checker wrongly accepted shows up here as an exception.
 */
final class FullDecode
{
    private final byte[] scratch = new byte[64 * 1024];
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PrepareDecoder prepare = new PrepareDecoder();
    private final PromiseDecoder promise = new PromiseDecoder();
    private final NackDecoder nack = new NackDecoder();
    private final AcceptDecoder accept = new AcceptDecoder();
    private final AcceptedDecoder accepted = new AcceptedDecoder();
    private final CatchupRequestDecoder catchupRequest = new CatchupRequestDecoder();
    private final CatchupResponseDecoder catchupResponse = new CatchupResponseDecoder();
    private final SessionConnectDecoder sessionConnect = new SessionConnectDecoder();
    private final SessionEventDecoder sessionEvent = new SessionEventDecoder();
    private final CommandRequestDecoder commandRequest = new CommandRequestDecoder();
    private final QueryRequestDecoder queryRequest = new QueryRequestDecoder();
    private final CommandResponseDecoder commandResponse = new CommandResponseDecoder();
    private final SessionKeepAliveDecoder keepAlive = new SessionKeepAliveDecoder();
    private final SessionCloseDecoder sessionClose = new SessionCloseDecoder();
    private final StatusRequestDecoder statusRequest = new StatusRequestDecoder();
    private final StatusResponseDecoder statusResponse = new StatusResponseDecoder();
    private final FaultRequestDecoder faultRequest = new FaultRequestDecoder();
    private final MembershipRequestDecoder membershipRequest = new MembershipRequestDecoder();
    private final MembershipResponseDecoder membershipResponse = new MembershipResponseDecoder();
    private final JournalPromiseDecoder journalPromise = new JournalPromiseDecoder();
    private final JournalAcceptedDecoder journalAccepted = new JournalAcceptedDecoder();
    private final JournalCommitDecoder journalCommit = new JournalCommitDecoder();
    private final SnapshotChunkDecoder snapshotChunk = new SnapshotChunkDecoder();
    private final SnapshotRequestDecoder snapshotRequest = new SnapshotRequestDecoder();
    private final JournalSegmentDecoder journalSegment = new JournalSegmentDecoder();

    /**
     * Decodes the whole frame; returns a hash of every value read.
     *
     * @throws AssertionError if the message does not end exactly at {@code offset + length}.
     */
    long decode(final DirectBuffer buffer, final int offset, final int length)
    {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = header.blockLength();
        final int version = header.version();
        long h = header.schemaId();
        final int limit;
        switch (header.templateId())
        {
            case PrepareDecoder.TEMPLATE_ID:
            {
                final PrepareDecoder d = prepare.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.ballot(), d.fromSlot(), d.sendTimeNs());
                limit = d.limit();
                break;
            }

            case PromiseDecoder.TEMPLATE_ID:
            {
                final PromiseDecoder d = promise.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.ballot(), d.echoSendTimeNs(), d.commitSlot());
                for (final PromiseDecoder.EntriesDecoder e : d.entries())
                {
                    h = mix(h, e.slot(), e.ballot(), e.entryType().value(), e.sessionId());
                    h = mix(h, e.sequence(), e.timestampNs(), e.payloadLength(), e.getPayload(scratch, 0, 1 << 16));
                }
                limit = d.limit();
                break;
            }

            case NackDecoder.TEMPLATE_ID:
            {
                final NackDecoder d = nack.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.rejectedBallot(), d.promisedBallot(), d.remainingNs());
                h = mix(h, d.commitSlot(), d.reason().value(), 0, 0);
                limit = d.limit();
                break;
            }

            case AcceptDecoder.TEMPLATE_ID:
            {
                final AcceptDecoder d = accept.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.ballot(), d.sendTimeNs(), d.commitSlot());
                h = mix(h, d.firstSlot(), 0, 0, 0);
                for (final AcceptDecoder.EntriesDecoder e : d.entries())
                {
                    h = mix(h, e.entryType().value(), e.sessionId(), e.sequence(), e.timestampNs());
                    h = mix(h, e.payloadLength(), e.getPayload(scratch, 0, 1 << 16), 0, 0);
                }
                limit = d.limit();
                break;
            }

            case AcceptedDecoder.TEMPLATE_ID:
            {
                final AcceptedDecoder d = accepted.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.ballot(), d.echoSendTimeNs(), d.ackSlot());
                limit = d.limit();
                break;
            }

            case CatchupRequestDecoder.TEMPLATE_ID:
            {
                final CatchupRequestDecoder d = catchupRequest.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.fromSlot(), 0, 0);
                limit = d.limit();
                break;
            }

            case CatchupResponseDecoder.TEMPLATE_ID:
            {
                final CatchupResponseDecoder d = catchupResponse.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.firstSlot(), 0, 0);
                for (final CatchupResponseDecoder.EntriesDecoder e : d.entries())
                {
                    h = mix(h, e.ballot(), e.entryType().value(), e.sessionId(), e.sequence());
                    h = mix(h, e.timestampNs(), e.payloadLength(), e.getPayload(scratch, 0, 1 << 16), 0);
                }
                limit = d.limit();
                break;
            }

            case SessionConnectDecoder.TEMPLATE_ID:
            {
                final SessionConnectDecoder d = sessionConnect.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.responseStreamId(), d.responseChannel().hashCode(), d.sessionTtlMs());
                h = mix(h, d.credentialsLength(), d.getCredentials(scratch, 0, 1 << 16), 0, 0);
                limit = d.limit();
                break;
            }

            case SessionEventDecoder.TEMPLATE_ID:
            {
                final SessionEventDecoder d = sessionEvent.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.sessionId(), d.code().value(), d.leaderNodeId());
                h = mix(h, d.detail().hashCode(), d.challengeLength(), d.getChallenge(scratch, 0, 1 << 16), 0);
                h = mix(h, d.members().hashCode(), 0, 0, 0);
                limit = d.limit();
                break;
            }

            case CommandRequestDecoder.TEMPLATE_ID:
            {
                final CommandRequestDecoder d = commandRequest.wrap(buffer, body, blockLength, version);
                h = mix(h, d.sessionId(), d.sequence(), d.payloadLength(), d.getPayload(scratch, 0, 1 << 16));
                limit = d.limit();
                break;
            }

            case QueryRequestDecoder.TEMPLATE_ID:
            {
                final QueryRequestDecoder d = queryRequest.wrap(buffer, body, blockLength, version);
                h = mix(h, d.sessionId(), d.correlationId(), d.consistency().value(), d.minSlot());
                h = mix(h, d.payloadLength(), d.getPayload(scratch, 0, 1 << 16), 0, 0);
                limit = d.limit();
                break;
            }

            case CommandResponseDecoder.TEMPLATE_ID:
            {
                final CommandResponseDecoder d = commandResponse.wrap(buffer, body, blockLength, version);
                h = mix(h, d.sessionId(), d.sequence(), d.status().value(), d.leaderNodeId());
                h = mix(h, d.slot(), d.resultLength(), d.getResult(scratch, 0, 1 << 16), 0);
                h = mix(h, d.members().hashCode(), 0, 0, 0);
                limit = d.limit();
                break;
            }

            case SessionKeepAliveDecoder.TEMPLATE_ID:
            {
                final SessionKeepAliveDecoder d = keepAlive.wrap(buffer, body, blockLength, version);
                h = mix(h, d.sessionId(), 0, 0, 0);
                limit = d.limit();
                break;
            }

            case SessionCloseDecoder.TEMPLATE_ID:
            {
                final SessionCloseDecoder d = sessionClose.wrap(buffer, body, blockLength, version);
                h = mix(h, d.sessionId(), 0, 0, 0);
                limit = d.limit();
                break;
            }

            case StatusRequestDecoder.TEMPLATE_ID:
            {
                final StatusRequestDecoder d = statusRequest.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.responseStreamId(), d.responseChannel().hashCode(), 0);
                h = mix(h, d.credentialsLength(), d.getCredentials(scratch, 0, 1 << 16), 0, 0);
                limit = d.limit();
                break;
            }

            case StatusResponseDecoder.TEMPLATE_ID:
            {
                final StatusResponseDecoder d = statusResponse.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.nodeId(), d.role().value(), d.ballot());
                h = mix(h, d.commitSlot(), d.appliedSlot(), d.leaseRemainingNs(), d.droppedFrames());
                h = mix(h, d.leaderId(), d.snapshotSlot(), d.droppedSends(), d.delayedFrames());
                h = mix(h, d.faultDelayNs(), d.faultOutcomeRaw(), 0, 0);
                for (final StatusResponseDecoder.FollowersDecoder f : d.followers())
                {
                    h = mix(h, f.nodeId(), f.ackedSlot(), f.lagSlots(), f.lastAckAgeNs());
                }
                for (final StatusResponseDecoder.ConfigurationDecoder c : d.configuration())
                {
                    h = mix(h, c.nodeId(), c.votingState().value(), 0, 0);
                }
                h = mix(h, d.configurationDetail().hashCode(), 0, 0, 0);
                limit = d.limit();
                break;
            }

            case FaultRequestDecoder.TEMPLATE_ID:
            {
                final FaultRequestDecoder d = faultRequest.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.responseStreamId(), d.delayNs(), d.jitterNs());
                h = mix(h, d.durationNs(), d.responseChannel().hashCode(), 0, 0);
                h = mix(h, d.credentialsLength(), d.getCredentials(scratch, 0, 1 << 16), 0, 0);
                limit = d.limit();
                break;
            }

            case MembershipRequestDecoder.TEMPLATE_ID:
            {
                final MembershipRequestDecoder d = membershipRequest.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.responseStreamId(), d.removeNodeId(), d.acceptQuorum());
                h = mix(h, d.electionQuorum(), d.addMember().hashCode(), d.responseChannel().hashCode(), 0);
                h = mix(h, d.credentialsLength(), d.getCredentials(scratch, 0, 1 << 16), 0, 0);
                limit = d.limit();
                break;
            }

            case MembershipResponseDecoder.TEMPLATE_ID:
            {
                final MembershipResponseDecoder d = membershipResponse.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.nodeId(), d.outcome().value(), d.leaderId());
                h = mix(h, d.commitSlot(), d.detail().hashCode(), 0, 0);
                limit = d.limit();
                break;
            }

            case JournalPromiseDecoder.TEMPLATE_ID:
            {
                final JournalPromiseDecoder d = journalPromise.wrap(buffer, body, blockLength, version);
                h = mix(h, d.ballot(), d.checksum(), 0, 0);
                limit = d.limit();
                break;
            }

            case JournalAcceptedDecoder.TEMPLATE_ID:
            {
                final JournalAcceptedDecoder d = journalAccepted.wrap(buffer, body, blockLength, version);
                h = mix(h, d.slot(), d.ballot(), d.entryType().value(), d.sessionId());
                h = mix(h, d.sequence(), d.timestampNs(), d.checksum(), d.getPayload(scratch, 0, 1 << 16));
                limit = d.limit();
                break;
            }

            case JournalCommitDecoder.TEMPLATE_ID:
            {
                final JournalCommitDecoder d = journalCommit.wrap(buffer, body, blockLength, version);
                h = mix(h, d.commitSlot(), d.checksum(), 0, 0);
                limit = d.limit();
                break;
            }

            case JournalSegmentDecoder.TEMPLATE_ID:
            {
                final JournalSegmentDecoder d = journalSegment.wrap(buffer, body, blockLength, version);
                h = mix(h, d.baseSlot(), d.checksum(), 0, 0);
                limit = d.limit();
                break;
            }

            case SnapshotChunkDecoder.TEMPLATE_ID:
            {
                final SnapshotChunkDecoder d = snapshotChunk.wrap(buffer, body, blockLength, version);
                h = mix(h, d.fromNodeId(), d.ballot(), d.snapshotSlot(), d.totalLength());
                h = mix(h, d.chunkOffset(), d.snapshotChecksum(), d.getData(scratch, 0, 1 << 16), 0);
                limit = d.limit();
                break;
            }

            case SnapshotRequestDecoder.TEMPLATE_ID:
            {
                final SnapshotRequestDecoder d = snapshotRequest.wrap(buffer, body, blockLength, version);
                h = mix(h, d.correlationId(), d.responseStreamId(), d.responseChannel().hashCode(), 0);
                h = mix(h, d.credentialsLength(), d.getCredentials(scratch, 0, 1 << 16), 0, 0);
                limit = d.limit();
                break;
            }

            default:
                throw new AssertionError("no decoder for template " + header.templateId());
        }

        if (limit != offset + length)
        {
            throw new AssertionError("message ends at " + limit + ", frame at " + (offset + length));
        }

        return h;
    }

    private static long mix(final long h, final long a, final long b, final long c, final long d)
    {
        return (((h * 31 + a) * 31 + b) * 31 + c) * 31 + d;
    }
}
