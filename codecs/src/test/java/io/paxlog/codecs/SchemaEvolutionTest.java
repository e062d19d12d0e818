package io.paxlog.codecs;

import static io.paxlog.codecs.CodecRoundTripTest.HEADER;
import static io.paxlog.codecs.CodecRoundTripTest.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Frames from a producer whose fixed blocks are longer than this schema's, as a later schema version that appended
 * fields would produce, must be accepted by {@link FrameChecker} and read correctly by the generated decoders.
 *
 * <p>The SBE evolution rule this relies on ({@code sinceVersion}): a new field is only ever appended at the end of
 * a message's (or a group entry's) fixed block, with {@code sinceVersion="N"} where N is the bumped schema
 * version; new groups and var-data fields are appended after the existing ones, also with {@code sinceVersion}.
 * Nothing is removed, reordered or retyped. A decoder then copes with either side being newer:
 * <ul>
 *   <li>older frame, newer decoder: an accessor of a field with {@code sinceVersion} greater than the frame's
 *       acting version returns the field's null value instead of reading past the acting block;</li>
 *   <li>newer frame, older decoder: the decoder skips the fixed block by the acting block length from the message
 *       header (and each group entry by the block length in its group header), so the unknown trailing fields
 *       are stepped over and the groups and var data that follow are found where the producer put them.</li>
 * </ul>
 * The checker therefore only requires a block length at least as long as the fields this schema knows. It rejects a
 * header version newer than {@link MessageHeaderDecoder#SCHEMA_VERSION} ({@link FrameCheck#BAD_VERSION}), so the
 * frames here say version 1 with a longer block; accepting newer versions is a policy decision for the schema's
 * owners, not something the decoders prevent.
 *
 * <p>The other direction, frames of an older version than the codecs', is covered per version bump: a frame that
 * stops where its version's layout ends is accepted and decodes with the later fields empty (or null), and the same
 * bytes claiming the current version are rejected because they lack what that version requires.
 */
class SchemaEvolutionTest
{
    private static final ByteOrder ORDER = MessageHeaderDecoder.BYTE_ORDER;
    private static final long SENTINEL = 0x7E57_7E57_7E57_7E57L;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final FrameChecker checker = new FrameChecker(4096, 16, 1024);

    @Test
    void longerFixedBlockBeforeVarDataIsSkipped()
    {
        final int blockLength = CommandRequestDecoder.BLOCK_LENGTH + 8;
        final byte[] payload = payload(40, 1);
        writeHeader(blockLength, CommandRequestDecoder.TEMPLATE_ID);
        new CommandRequestEncoder().wrap(buffer, HEADER).sessionId(31L).sequence(32L);
        buffer.putLong(HEADER + CommandRequestDecoder.BLOCK_LENGTH, SENTINEL, ORDER);
        int limit = HEADER + blockLength;
        buffer.putInt(limit, payload.length, ORDER);
        buffer.putBytes(limit + 4, payload);
        limit += 4 + payload.length;

        assertEquals(FrameCheck.OK, checker.check(buffer, 0, limit));
        assertEquals(blockLength, checker.actingBlockLength());
        assertEquals(1, checker.actingVersion());

        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        final CommandRequestDecoder d = new CommandRequestDecoder()
            .wrap(buffer, HEADER, header.blockLength(), header.version());
        assertEquals(31L, d.sessionId());
        assertEquals(32L, d.sequence());
        final byte[] actual = new byte[d.payloadLength()];
        d.getPayload(actual, 0, actual.length);
        assertArrayEquals(payload, actual);
        assertEquals(limit, d.limit());
    }

    @Test
    void longerFixedBlockOfFixedOnlyMessageKeepsKnownFieldsAndEnum()
    {
        final int blockLength = NackDecoder.BLOCK_LENGTH + 16;
        writeHeader(blockLength, NackDecoder.TEMPLATE_ID);
        new NackEncoder().wrap(buffer, HEADER).fromNodeId(9).rejectedBallot(10L).promisedBallot(11L)
            .remainingNs(12L).commitSlot(13L).reason(NackReason.RESTARTING);
        buffer.putLong(HEADER + NackDecoder.BLOCK_LENGTH, SENTINEL, ORDER);
        buffer.putLong(HEADER + NackDecoder.BLOCK_LENGTH + 8, SENTINEL, ORDER);
        final int length = HEADER + blockLength;

        assertEquals(FrameCheck.OK, checker.check(buffer, 0, length));
        assertEquals(blockLength, checker.actingBlockLength());

        final NackDecoder d = new NackDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(9, d.fromNodeId());
        assertEquals(10L, d.rejectedBallot());
        assertEquals(11L, d.promisedBallot());
        assertEquals(12L, d.remainingNs());
        assertEquals(13L, d.commitSlot());
        assertEquals(NackReason.RESTARTING, d.reason());
        assertEquals(length, d.limit());
    }

    @Test
    void longerMessageBlockAndLongerGroupEntriesAreSkipped()
    {
        final int blockLength = AcceptDecoder.BLOCK_LENGTH + 8;
        final int entryLength = AcceptDecoder.EntriesDecoder.sbeBlockLength() + 4;
        writeHeader(blockLength, AcceptDecoder.TEMPLATE_ID);
        new AcceptEncoder().wrap(buffer, HEADER).fromNodeId(1).ballot(2L).sendTimeNs(3L).commitSlot(4L).firstSlot(5L);
        buffer.putLong(HEADER + AcceptDecoder.BLOCK_LENGTH, SENTINEL, ORDER);

        int limit = HEADER + blockLength;
        buffer.putShort(limit, (short)entryLength, ORDER);
        buffer.putShort(limit + 2, (short)3, ORDER);
        limit += GroupSizeEncodingDecoder.ENCODED_LENGTH;
        for (int i = 0; i < 3; i++)
        {
            buffer.putByte(limit + AcceptDecoder.EntriesDecoder.entryTypeEncodingOffset(), (byte)(i & 1));
            buffer.putLong(limit + AcceptDecoder.EntriesDecoder.sessionIdEncodingOffset(), 100L + i, ORDER);
            buffer.putLong(limit + AcceptDecoder.EntriesDecoder.sequenceEncodingOffset(), 200L + i, ORDER);
            buffer.putLong(limit + AcceptDecoder.EntriesDecoder.timestampNsEncodingOffset(), 300L + i, ORDER);
            buffer.putInt(limit + AcceptDecoder.EntriesDecoder.sbeBlockLength(), (int)SENTINEL, ORDER);
            limit += entryLength;
            final byte[] payload = payload(5 * i, i);
            buffer.putInt(limit, payload.length, ORDER);
            buffer.putBytes(limit + 4, payload);
            limit += 4 + payload.length;
        }

        assertEquals(FrameCheck.OK, checker.check(buffer, 0, limit));
        assertEquals(blockLength, checker.actingBlockLength());

        final AcceptDecoder d = new AcceptDecoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderDecoder());
        assertEquals(1, d.fromNodeId());
        assertEquals(2L, d.ballot());
        assertEquals(3L, d.sendTimeNs());
        assertEquals(4L, d.commitSlot());
        assertEquals(5L, d.firstSlot());
        final AcceptDecoder.EntriesDecoder entries = d.entries();
        assertEquals(3, entries.count());
        assertEquals(entryLength, entries.actingBlockLength());
        for (int i = 0; i < 3; i++)
        {
            final AcceptDecoder.EntriesDecoder e = entries.next();
            assertEquals(0 == (i & 1) ? EntryType.NOOP : EntryType.COMMAND, e.entryType());
            assertEquals(100L + i, e.sessionId());
            assertEquals(200L + i, e.sequence());
            assertEquals(300L + i, e.timestampNs());
            final byte[] actual = new byte[e.payloadLength()];
            e.getPayload(actual, 0, actual.length);
            assertArrayEquals(payload(5 * i, i), actual);
        }
        assertEquals(limit, d.limit());
    }

    /**
     * A version-1 StatusResponse (the fixed block that ended at droppedFrames, no followers group) is still accepted,
     * and the version-2 accessors read their null values and an empty group instead of bytes past the frame.
     */
    @Test
    void version1StatusResponseIsAcceptedAndVersion2FieldsReadAsNull()
    {
        final int v1BlockLength = StatusResponseDecoder.leaderIdEncodingOffset();
        writeHeader(v1BlockLength, StatusResponseDecoder.TEMPLATE_ID);
        new StatusResponseEncoder().wrap(buffer, HEADER).correlationId(7L).nodeId(1).role(NodeRole.FOLLOWER)
            .ballot(8L).commitSlot(9L).appliedSlot(10L).leaseRemainingNs(0L).droppedFrames(11L);
        buffer.putLong(HEADER + v1BlockLength, SENTINEL, ORDER); // beyond the frame: must not be read
        final int length = HEADER + v1BlockLength;

        assertEquals(FrameCheck.OK, checker.check(buffer, 0, length));
        final StatusResponseDecoder d = new StatusResponseDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        assertEquals(7L, d.correlationId());
        assertEquals(11L, d.droppedFrames());
        assertEquals(StatusResponseDecoder.leaderIdNullValue(), d.leaderId());
        assertEquals(StatusResponseDecoder.delayedFramesNullValue(), d.delayedFrames());
        assertEquals(FaultOutcome.NULL_VAL, d.faultOutcome());
        assertEquals(0, d.followers().count());

        // the same short block claiming version 2 lacks the fields version 2 requires
        new MessageHeaderEncoder().wrap(buffer, 0).version(2);
        assertEquals(FrameCheck.BAD_BLOCK_LENGTH, checker.check(buffer, 0, length));
    }

    /**
     * Version 3 appended {@code credentials} to SessionConnect and the admin requests: a version-2 frame (no
     * credentials) is still accepted and reads as empty credentials; a version-3 frame must carry the field.
     */
    @Test
    void version2ConnectAndStatusRequestHaveNoCredentialsAndVersion3NeedsThem()
    {
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final int connectLength = HEADER + new SessionConnectEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(5L).responseStreamId(6).sessionTtlMs(7L).responseChannel("aeron:udp?endpoint=x:1")
            .encodedLength(); // stops before credentials: the version-2 layout
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, connectLength), "version 3 needs credentials");
        header.version(2);
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, connectLength));
        final SessionConnectDecoder connect = new SessionConnectDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        assertEquals("aeron:udp?endpoint=x:1", connect.responseChannel());
        assertEquals(0, connect.credentialsLength());
        assertEquals(connectLength, connect.limit());

        final int statusLength = HEADER + new StatusRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(8L).responseStreamId(9).responseChannel("aeron:udp?endpoint=y:2").encodedLength();
        header.version(2);
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, statusLength));
        assertEquals(2, checker.actingVersion());
        header.version(MessageHeaderEncoder.SCHEMA_VERSION);
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, statusLength));
    }

    /**
     * Version 5 appended {@code members} to SessionEvent: a version-4 frame (detail and challenge only) is accepted
     * and reads as empty members; the same bytes claiming version 5 are truncated, and a version-4 frame carrying a
     * members field has a field too many.
     */
    @Test
    void version4SessionEventHasNoMembersAndVersion5NeedsThem()
    {
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final byte[] challenge = payload(9, 4);
        final SessionEventEncoder encoder = new SessionEventEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(21L).sessionId(22L).code(SessionEventCode.REDIRECT).leaderNodeId(2)
            .detail("redirect").putChallenge(challenge, 0, challenge.length);
        final int v4Length = HEADER + encoder.encodedLength(); // stops before members: the version-4 layout
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, v4Length), "version 5 needs members");

        header.version(4);
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, v4Length));
        assertEquals(4, checker.actingVersion());
        assertEquals(SessionEventDecoder.BLOCK_LENGTH, checker.actingBlockLength());
        final SessionEventDecoder d = new SessionEventDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        assertEquals(21L, d.correlationId());
        assertEquals(22L, d.sessionId());
        assertEquals(SessionEventCode.REDIRECT, d.code());
        assertEquals(2, d.leaderNodeId());
        assertEquals("redirect", d.detail());
        final byte[] actual = new byte[d.challengeLength()];
        d.getChallenge(actual, 0, actual.length);
        assertArrayEquals(challenge, actual);
        buffer.putInt(v4Length, 0x7E57, ORDER); // beyond the frame: must not be read as a members length
        assertEquals(0, d.membersLength());
        assertEquals("", d.members());
        assertEquals(v4Length, d.limit());

        // a version-2 frame has neither challenge nor members
        final int v2Length = HEADER + new SessionEventEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(23L).sessionId(24L).code(SessionEventCode.OPEN).leaderNodeId(0).detail("")
            .encodedLength();
        header.version(2);
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, v2Length));
        final SessionEventDecoder v2 = new SessionEventDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        assertEquals("", v2.detail());
        assertEquals(0, v2.challengeLength());
        assertEquals("", v2.members());
        assertEquals(v2Length, v2.limit());
        for (final int version : new int[]{ 3, 4, 5 })
        {
            header.version(version);
            assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, v2Length), "version " + version);
        }

        // the full version-5 frame: OK as version 5, one field too many for version 4
        header.version(5);
        final int v5Length = HEADER + new SessionEventEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(25L).sessionId(26L).code(SessionEventCode.REDIRECT).leaderNodeId(1).detail("r")
            .putChallenge(challenge, 0, 0).members("1=a:1:2").encodedLength();
        header.version(5);
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, v5Length));
        assertEquals(5, checker.actingVersion());
        header.version(4);
        assertEquals(FrameCheck.TRAILING_BYTES, checker.check(buffer, 0, v5Length));
    }

    /**
     * Version 5 appended {@code members} to CommandResponse: a version-4 frame (result only) is accepted and reads as
     * empty members; the same bytes claiming version 5 are truncated.
     */
    @Test
    void version4CommandResponseHasNoMembersAndVersion5NeedsThem()
    {
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final byte[] result = payload(33, 6);
        final int v4Length = HEADER + new CommandResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(41L).sequence(42L).status(CommandStatus.OK).leaderNodeId(1).slot(43L)
            .putResult(result, 0, result.length).encodedLength(); // stops before members: the version-4 layout
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, v4Length), "version 5 needs members");

        for (final int version : new int[]{ 1, 2, 3, 4 })
        {
            header.version(version);
            assertEquals(FrameCheck.OK, checker.check(buffer, 0, v4Length), "version " + version);
            assertEquals(version, checker.actingVersion());
        }
        final CommandResponseDecoder d = new CommandResponseDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        assertEquals(41L, d.sessionId());
        assertEquals(42L, d.sequence());
        assertEquals(CommandStatus.OK, d.status());
        assertEquals(1, d.leaderNodeId());
        assertEquals(43L, d.slot());
        final byte[] actual = new byte[d.resultLength()];
        d.getResult(actual, 0, actual.length);
        assertArrayEquals(result, actual);
        buffer.putInt(v4Length, 0x7E57, ORDER); // beyond the frame: must not be read as a members length
        assertEquals(0, d.membersLength());
        assertEquals("", d.members());
        assertEquals(v4Length, d.limit());

        header.version(MessageHeaderEncoder.SCHEMA_VERSION);
        final int v5Length = HEADER + new CommandResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(44L).sequence(45L).status(CommandStatus.REDIRECT).leaderNodeId(2).slot(-1L)
            .putResult(result, 0, 0).members("0=a:1:2,2=c:5:6").encodedLength();
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, v5Length));
        header.version(4);
        assertEquals(FrameCheck.TRAILING_BYTES, checker.check(buffer, 0, v5Length));
    }

    /**
     * Version 5 appended the {@code configuration} group and {@code configurationDetail} to StatusResponse: a
     * version-4 frame (fixed block and followers only) is accepted and reads as an empty configuration and detail; the
     * same bytes claiming version 5 are truncated, and so is a version-5 frame with the group but without the detail.
     */
    @Test
    void version4StatusResponseHasNoConfigurationAndVersion5NeedsIt()
    {
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final StatusResponseEncoder encoder = new StatusResponseEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, header).correlationId(51L).nodeId(3).role(NodeRole.LEADER)
            .ballot(52L).commitSlot(53L).appliedSlot(54L).leaseRemainingNs(55L).droppedFrames(56L).leaderId(3)
            .snapshotSlot(57L).droppedSends(58L).delayedFrames(59L).faultDelayNs(60L)
            .faultOutcome(FaultOutcome.NONE)
            .followersCount(2)
            .next().nodeId(1).ackedSlot(53L).lagSlots(0L).lastAckAgeNs(1_000L)
            .next().nodeId(2).ackedSlot(50L).lagSlots(3L).lastAckAgeNs(-1L);
        final int v4Length = HEADER + encoder.encodedLength(); // stops after followers: the version-4 layout
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, v4Length), "version 5 needs the configuration");

        for (final int version : new int[]{ 2, 3, 4 })
        {
            header.version(version);
            assertEquals(FrameCheck.OK, checker.check(buffer, 0, v4Length), "version " + version);
            assertEquals(version, checker.actingVersion());
            assertEquals(StatusResponseDecoder.BLOCK_LENGTH, checker.actingBlockLength());
        }
        final StatusResponseDecoder d = new StatusResponseDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        assertEquals(51L, d.correlationId());
        assertEquals(3, d.nodeId());
        assertEquals(NodeRole.LEADER, d.role());
        assertEquals(3, d.leaderId());
        assertEquals(60L, d.faultDelayNs());
        assertEquals(FaultOutcome.NONE, d.faultOutcome());
        final StatusResponseDecoder.FollowersDecoder followers = d.followers();
        assertEquals(2, followers.count());
        assertEquals(1, followers.next().nodeId());
        assertEquals(2, followers.next().nodeId());
        assertEquals(-1L, followers.lastAckAgeNs());
        buffer.putShort(v4Length, (short)5, ORDER); // beyond the frame: must not be read as a group header
        buffer.putShort(v4Length + 2, (short)3, ORDER);
        final StatusResponseDecoder.ConfigurationDecoder configuration = d.configuration();
        assertEquals(0, configuration.count());
        assertFalse(configuration.hasNext());
        assertEquals(0, d.configurationDetailLength());
        assertEquals("", d.configurationDetail());
        assertEquals(v4Length, d.limit());

        // version 5 with the group but without the trailing detail is truncated too
        header.version(5);
        encoder.configurationCount(1).next().nodeId(4).votingState(VotingState.LEARNER);
        final int withoutDetail = HEADER + encoder.encodedLength();
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, withoutDetail));
        encoder.configurationDetail("W=2 R=2 uncommitted");
        final int v5Length = HEADER + encoder.encodedLength();
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, v5Length));
        assertEquals(5, checker.actingVersion());
        final StatusResponseDecoder v5 = new StatusResponseDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        final StatusResponseDecoder.FollowersDecoder v5Followers = v5.followers();
        assertEquals(2, v5Followers.count());
        assertEquals(1, v5Followers.next().nodeId());
        assertEquals(2, v5Followers.next().nodeId());
        final StatusResponseDecoder.ConfigurationDecoder members = v5.configuration();
        assertEquals(1, members.count());
        assertEquals(4, members.next().nodeId());
        assertEquals(VotingState.LEARNER, members.votingState());
        assertEquals("W=2 R=2 uncommitted", v5.configurationDetail());
        assertEquals(v5Length, v5.limit());

        // the version-5 frame claiming version 4 has a group and a field too many
        header.version(4);
        assertEquals(FrameCheck.TRAILING_BYTES, checker.check(buffer, 0, v5Length));
    }

    /**
     * Version 6 appended {@code coverFromSlot} and {@code coverToSlot} to Promise (promises in parts): a version-5
     * promise (the shorter block, then its entries) is accepted and its cover fields read as null, so the receiver
     * takes it as whole; the same bytes claiming version 6 lack the fields.
     */
    @Test
    void version5PromiseHasNoCoverAndVersion6NeedsIt()
    {
        final int v5BlockLength = PromiseDecoder.coverFromSlotEncodingOffset();
        writeHeader(v5BlockLength, PromiseDecoder.TEMPLATE_ID);
        new MessageHeaderEncoder().wrap(buffer, 0).version(5);
        // encode a version-6 promise after the header, then move its entries group down over the two new fields
        final PromiseEncoder encoder = new PromiseEncoder().wrap(buffer, HEADER).fromNodeId(2).ballot(300L)
            .echoSendTimeNs(4L).commitSlot(5L).coverFromSlot(6L).coverToSlot(7L);
        encoder.entriesCount(1).next().slot(6L).ballot(200L).entryType(EntryType.COMMAND).sessionId(8L).sequence(9L)
            .timestampNs(10L).putPayload(payload(3, 1), 0, 3);
        final int groupStart = HEADER + PromiseEncoder.BLOCK_LENGTH;
        final int groupLength = encoder.encodedLength() - PromiseEncoder.BLOCK_LENGTH;
        buffer.putBytes(HEADER + v5BlockLength, buffer, groupStart, groupLength);
        final int v5Length = HEADER + v5BlockLength + groupLength;

        assertEquals(FrameCheck.OK, checker.check(buffer, 0, v5Length));
        assertEquals(5, checker.actingVersion());
        final PromiseDecoder d = new PromiseDecoder()
            .wrap(buffer, HEADER, checker.actingBlockLength(), checker.actingVersion());
        assertEquals(300L, d.ballot());
        assertEquals(PromiseDecoder.coverFromSlotNullValue(), d.coverFromSlot());
        assertEquals(PromiseDecoder.coverToSlotNullValue(), d.coverToSlot());
        final PromiseDecoder.EntriesDecoder entries = d.entries();
        assertEquals(1, entries.count());
        assertEquals(6L, entries.next().slot());
        assertEquals(200L, entries.ballot());

        new MessageHeaderEncoder().wrap(buffer, 0).version(6);
        assertEquals(FrameCheck.BAD_BLOCK_LENGTH, checker.check(buffer, 0, v5Length));
    }

    private void writeHeader(final int blockLength, final int templateId)
    {
        new MessageHeaderEncoder().wrap(buffer, 0).blockLength(blockLength).templateId(templateId)
            .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(1);
    }
}
