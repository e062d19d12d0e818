package io.paxlog.codecs;

import static io.paxlog.codecs.CodecRoundTripTest.HEADER;
import static io.paxlog.codecs.CodecRoundTripTest.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private void writeHeader(final int blockLength, final int templateId)
    {
        new MessageHeaderEncoder().wrap(buffer, 0).blockLength(blockLength).templateId(templateId)
            .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(1);
    }
}
