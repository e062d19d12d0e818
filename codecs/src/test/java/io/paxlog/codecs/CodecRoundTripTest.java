package io.paxlog.codecs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trip of every consensus message and journal record: encode with every field set to a distinctive
 * non-default value, check the frame, then decode through the message header and compare every field in schema
 * order (fixed fields, groups, var data). Client and admin messages are in {@link ClientCodecRoundTripTest}.
 */
class CodecRoundTripTest
{
    static final int HEADER = MessageHeaderDecoder.ENCODED_LENGTH;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    @Test
    void prepare()
    {
        final int length = HEADER + new PrepareEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(0x0A0B0C0D).ballot(0x1111_2222_3333_4444L).fromSlot(987_654_321_012L)
            .sendTimeNs(Long.MAX_VALUE - 3).encodedLength();

        final PrepareDecoder d = checkAndWrap(buffer, length, new PrepareDecoder());
        assertEquals(0x0A0B0C0D, d.fromNodeId());
        assertEquals(0x1111_2222_3333_4444L, d.ballot());
        assertEquals(987_654_321_012L, d.fromSlot());
        assertEquals(Long.MAX_VALUE - 3, d.sendTimeNs());
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 4 })
    void promise(final int count)
    {
        final PromiseEncoder encoder = new PromiseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(-17).ballot(0x2222_0000_0000_0003L).echoSendTimeNs(5_000_000_001L).commitSlot(424_242L);
        final PromiseEncoder.EntriesEncoder entries = encoder.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            final byte[] payload = payload(entryPayloadLength(i), i);
            entries.next().slot(1_000_000L + i).ballot(0x3333_0000_0000_0000L + i).entryType(entryType(i))
                .sessionId(-900L - i).sequence(77_000L + i).timestampNs(1_700_000_000_000_000_000L + i)
                .putPayload(payload, 0, payload.length);
        }
        final int length = HEADER + encoder.encodedLength();

        final PromiseDecoder d = checkAndWrap(buffer, length, new PromiseDecoder());
        assertEquals(-17, d.fromNodeId());
        assertEquals(0x2222_0000_0000_0003L, d.ballot());
        assertEquals(5_000_000_001L, d.echoSendTimeNs());
        assertEquals(424_242L, d.commitSlot());
        final PromiseDecoder.EntriesDecoder decoded = d.entries();
        assertEquals(count, decoded.count());
        for (int i = 0; i < count; i++)
        {
            final PromiseDecoder.EntriesDecoder e = decoded.next();
            assertEquals(1_000_000L + i, e.slot());
            assertEquals(0x3333_0000_0000_0000L + i, e.ballot());
            assertEquals(entryType(i), e.entryType());
            assertEquals(-900L - i, e.sessionId());
            assertEquals(77_000L + i, e.sequence());
            assertEquals(1_700_000_000_000_000_000L + i, e.timestampNs());
            final byte[] actual = new byte[e.payloadLength()];
            assertEquals(actual.length, e.getPayload(actual, 0, actual.length));
            assertArrayEquals(payload(entryPayloadLength(i), i), actual);
        }
        assertEquals(length, d.limit());
    }

    @Test
    void nack()
    {
        final int length = HEADER + new NackEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(3).rejectedBallot(0x0000_0001_0000_0002L).promisedBallot(0x0000_0005_0000_0001L)
            .remainingNs(123_456_789L).commitSlot(31_337L).reason(NackReason.BEHIND).encodedLength();

        final NackDecoder d = checkAndWrap(buffer, length, new NackDecoder());
        assertEquals(3, d.fromNodeId());
        assertEquals(0x0000_0001_0000_0002L, d.rejectedBallot());
        assertEquals(0x0000_0005_0000_0001L, d.promisedBallot());
        assertEquals(123_456_789L, d.remainingNs());
        assertEquals(31_337L, d.commitSlot());
        assertEquals(NackReason.BEHIND, d.reason());
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 4 })
    void accept(final int count)
    {
        final AcceptEncoder encoder = new AcceptEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(2).ballot(0x4444_0000_0000_0002L).sendTimeNs(9_000_000_009L).commitSlot(5_550L)
            .firstSlot(5_551L);
        final AcceptEncoder.EntriesEncoder entries = encoder.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            final byte[] payload = payload(entryPayloadLength(i), 10 + i);
            entries.next().entryType(entryType(i)).sessionId(600L + i).sequence(-(1L << 40) - i)
                .timestampNs(1_600_000_000_000_000_000L + i).putPayload(payload, 0, payload.length);
        }
        final int length = HEADER + encoder.encodedLength();

        final AcceptDecoder d = checkAndWrap(buffer, length, new AcceptDecoder());
        assertEquals(2, d.fromNodeId());
        assertEquals(0x4444_0000_0000_0002L, d.ballot());
        assertEquals(9_000_000_009L, d.sendTimeNs());
        assertEquals(5_550L, d.commitSlot());
        assertEquals(5_551L, d.firstSlot());
        final AcceptDecoder.EntriesDecoder decoded = d.entries();
        assertEquals(count, decoded.count());
        for (int i = 0; i < count; i++)
        {
            final AcceptDecoder.EntriesDecoder e = decoded.next();
            assertEquals(entryType(i), e.entryType());
            assertEquals(600L + i, e.sessionId());
            assertEquals(-(1L << 40) - i, e.sequence());
            assertEquals(1_600_000_000_000_000_000L + i, e.timestampNs());
            final byte[] actual = new byte[e.payloadLength()];
            assertEquals(actual.length, e.getPayload(actual, 0, actual.length));
            assertArrayEquals(payload(entryPayloadLength(i), 10 + i), actual);
        }
        assertEquals(length, d.limit());
    }

    @Test
    void accepted()
    {
        final int length = HEADER + new AcceptedEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(4).ballot(0x5555_6666_7777_8888L).echoSendTimeNs(12_345_678_901L).ackSlot(8_675_309L)
            .encodedLength();

        final AcceptedDecoder d = checkAndWrap(buffer, length, new AcceptedDecoder());
        assertEquals(4, d.fromNodeId());
        assertEquals(0x5555_6666_7777_8888L, d.ballot());
        assertEquals(12_345_678_901L, d.echoSendTimeNs());
        assertEquals(8_675_309L, d.ackSlot());
        assertEquals(length, d.limit());
    }

    @Test
    void catchupRequest()
    {
        final int length = HEADER + new CatchupRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(Integer.MAX_VALUE).fromSlot(Long.MIN_VALUE + 1).encodedLength();

        final CatchupRequestDecoder d = checkAndWrap(buffer, length, new CatchupRequestDecoder());
        assertEquals(Integer.MAX_VALUE, d.fromNodeId());
        assertEquals(Long.MIN_VALUE + 1, d.fromSlot());
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 4 })
    void catchupResponse(final int count)
    {
        final CatchupResponseEncoder encoder = new CatchupResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, headerEncoder).fromNodeId(-5).firstSlot(70_000L);
        final CatchupResponseEncoder.EntriesEncoder entries = encoder.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            final byte[] payload = payload(entryPayloadLength(i), 20 + i);
            entries.next().ballot(0x7777_0000_0000_0000L - i).entryType(entryType(i)).sessionId(31L * i + 5)
                .sequence(1L << (20 + i)).timestampNs(-1_000L - i).putPayload(payload, 0, payload.length);
        }
        final int length = HEADER + encoder.encodedLength();

        final CatchupResponseDecoder d = checkAndWrap(buffer, length, new CatchupResponseDecoder());
        assertEquals(-5, d.fromNodeId());
        assertEquals(70_000L, d.firstSlot());
        final CatchupResponseDecoder.EntriesDecoder decoded = d.entries();
        assertEquals(count, decoded.count());
        for (int i = 0; i < count; i++)
        {
            final CatchupResponseDecoder.EntriesDecoder e = decoded.next();
            assertEquals(0x7777_0000_0000_0000L - i, e.ballot());
            assertEquals(entryType(i), e.entryType());
            assertEquals(31L * i + 5, e.sessionId());
            assertEquals(1L << (20 + i), e.sequence());
            assertEquals(-1_000L - i, e.timestampNs());
            final byte[] actual = new byte[e.payloadLength()];
            assertEquals(actual.length, e.getPayload(actual, 0, actual.length));
            assertArrayEquals(payload(entryPayloadLength(i), 20 + i), actual);
        }
        assertEquals(length, d.limit());
    }

    @Test
    void journalPromise()
    {
        final int length = HEADER + new JournalPromiseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .ballot(0x0123_4567_89AB_CDEFL).checksum(0xCAFEBABE).encodedLength();

        final JournalPromiseDecoder d = checkAndWrap(buffer, length, new JournalPromiseDecoder());
        assertEquals(0x0123_4567_89AB_CDEFL, d.ballot());
        assertEquals(0xCAFEBABE, d.checksum());
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void journalAccepted(final int payloadLength)
    {
        final byte[] payload = payload(payloadLength, 99);
        final int length = HEADER + new JournalAcceptedEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .slot(4_000_000_000L).ballot(0x0000_0009_0000_0004L).entryType(EntryType.COMMAND).sessionId(-2L)
            .sequence(65_537L).timestampNs(1_234_567_890_123L).checksum(0x7FEEDBEE)
            .putPayload(payload, 0, payload.length).encodedLength();

        final JournalAcceptedDecoder d = checkAndWrap(buffer, length, new JournalAcceptedDecoder());
        assertEquals(4_000_000_000L, d.slot());
        assertEquals(0x0000_0009_0000_0004L, d.ballot());
        assertEquals(EntryType.COMMAND, d.entryType());
        assertEquals(-2L, d.sessionId());
        assertEquals(65_537L, d.sequence());
        assertEquals(1_234_567_890_123L, d.timestampNs());
        assertEquals(0x7FEEDBEE, d.checksum());
        final byte[] actual = new byte[d.payloadLength()];
        assertEquals(payloadLength, d.getPayload(actual, 0, actual.length));
        assertArrayEquals(payload, actual);
        assertEquals(length, d.limit());
    }

    @Test
    void journalCommit()
    {
        final int length = HEADER + new JournalCommitEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .commitSlot(777_777_777_777L).checksum(-123_456).encodedLength();

        final JournalCommitDecoder d = checkAndWrap(buffer, length, new JournalCommitDecoder());
        assertEquals(777_777_777_777L, d.commitSlot());
        assertEquals(-123_456, d.checksum());
        assertEquals(length, d.limit());
    }

    @Test
    void journalSegment()
    {
        final int length = HEADER + new JournalSegmentEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .baseSlot(123_456_789L).checksum(0x1234_5678).encodedLength();

        final JournalSegmentDecoder d = checkAndWrap(buffer, length, new JournalSegmentDecoder());
        assertEquals(123_456_789L, d.baseSlot());
        assertEquals(0x1234_5678, d.checksum());
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4096, 8000})
    void snapshotChunk(final int dataLength)
    {
        final byte[] data = new byte[dataLength];
        for (int i = 0; i < dataLength; i++)
        {
            data[i] = (byte)(i * 31 + 7);
        }
        final int length = HEADER + new SnapshotChunkEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(2).ballot(0x0000_0007_0000_0002L).snapshotSlot(1_000_000L).totalLength(5_000_000L)
            .chunkOffset(65_536L).snapshotChecksum(-42).putData(data, 0, dataLength).encodedLength();

        final SnapshotChunkDecoder d = checkAndWrap(buffer, length, new SnapshotChunkDecoder());
        assertEquals(2, d.fromNodeId());
        assertEquals(0x0000_0007_0000_0002L, d.ballot());
        assertEquals(1_000_000L, d.snapshotSlot());
        assertEquals(5_000_000L, d.totalLength());
        assertEquals(65_536L, d.chunkOffset());
        assertEquals(-42, d.snapshotChecksum());
        final byte[] actual = new byte[d.dataLength()];
        assertEquals(dataLength, d.getData(actual, 0, actual.length));
        assertArrayEquals(data, actual);
        assertEquals(length, d.limit());
    }

    static int entryPayloadLength(final int index)
    {
        return 0 == index ? 1000 : 1 == index ? 0 : 3 * index + 1;
    }

    static EntryType entryType(final int index)
    {
        return 0 == (index & 1) ? EntryType.COMMAND : EntryType.NOOP;
    }

    static byte[] payload(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i * 7 + 1);
        }

        return bytes;
    }

    /** A string of exactly {@code byteLength} UTF-8 bytes, with a two-byte character when it fits. */
    static String text(final int byteLength)
    {
        final StringBuilder builder = new StringBuilder();
        for (int i = 0; i < byteLength - (byteLength >= 2 ? 2 : 0); i++)
        {
            builder.append((char)('a' + i % 26));
        }
        if (byteLength >= 2)
        {
            builder.append('\u00e9');
        }
        assertEquals(byteLength, builder.toString().getBytes(UTF_8).length);

        return builder.toString();
    }

    /** Asserts the frame at offset 0 is OK, reads its header, and wraps the decoder with the acting values. */
    static <D extends MessageDecoderFlyweight> D checkAndWrap(
        final UnsafeBuffer buffer, final int length, final D decoder)
    {
        final FrameChecker checker = new FrameChecker(64 * 1024, 1024, 16 * 1024);
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, length));
        assertEquals(decoder.sbeTemplateId(), checker.templateId());

        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        assertEquals(decoder.sbeSchemaId(), header.schemaId());
        assertEquals(decoder.sbeTemplateId(), header.templateId());
        assertEquals(decoder.sbeSchemaVersion(), header.version());
        assertEquals(decoder.sbeBlockLength(), header.blockLength());
        decoder.wrap(buffer, HEADER, header.blockLength(), header.version());

        return decoder;
    }
}
