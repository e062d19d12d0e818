package io.paxlog.codecs;

import static io.paxlog.codecs.CodecRoundTripTest.HEADER;
import static io.paxlog.codecs.CodecRoundTripTest.checkAndWrap;
import static io.paxlog.codecs.CodecRoundTripTest.payload;
import static io.paxlog.codecs.CodecRoundTripTest.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trip of every client and admin message, as {@link CodecRoundTripTest} does for consensus messages and
 * journal records. Var-data fields are tried empty, one byte long and 1,000 bytes long (strings include a two-byte
 * UTF-8 character when they are long enough).
 */
class ClientCodecRoundTripTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void sessionConnect(final int channelLength)
    {
        final String channel = text(channelLength);
        final int length = HEADER + new SessionConnectEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(0x5EED_0000_0000_0001L).responseStreamId(1_001).sessionTtlMs(1_500).responseChannel(channel)
            .putCredentials(CREDENTIALS, 0, CREDENTIALS.length).encodedLength();

        final SessionConnectDecoder d = checkAndWrap(buffer, length, new SessionConnectDecoder());
        assertEquals(0x5EED_0000_0000_0001L, d.correlationId());
        assertEquals(1_001, d.responseStreamId());
        assertEquals(1_500, d.sessionTtlMs());
        assertEquals(channel, d.responseChannel());
        assertCredentials(d.credentialsLength(), d::getCredentials);
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void sessionEvent(final int detailLength)
    {
        final String detail = text(detailLength);
        final int length = HEADER + new SessionEventEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(-44L).sessionId(0x0BAD_F00DL).code(SessionEventCode.CLOSED).leaderNodeId(6)
            .detail(detail).putChallenge(CREDENTIALS, 0, CREDENTIALS.length).encodedLength();

        final SessionEventDecoder d = checkAndWrap(buffer, length, new SessionEventDecoder());
        assertEquals(-44L, d.correlationId());
        assertEquals(0x0BAD_F00DL, d.sessionId());
        assertEquals(SessionEventCode.CLOSED, d.code());
        assertEquals(6, d.leaderNodeId());
        assertEquals(detail, d.detail());
        assertCredentials(d.challengeLength(), d::getChallenge);
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void commandRequest(final int payloadLength)
    {
        final byte[] payload = payload(payloadLength, 3);
        final int length = HEADER + new CommandRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(8_888L).sequence(1L << 33).putPayload(payload, 0, payload.length).encodedLength();

        final CommandRequestDecoder d = checkAndWrap(buffer, length, new CommandRequestDecoder());
        assertEquals(8_888L, d.sessionId());
        assertEquals(1L << 33, d.sequence());
        final byte[] actual = new byte[d.payloadLength()];
        assertEquals(payloadLength, d.getPayload(actual, 0, actual.length));
        assertArrayEquals(payload, actual);
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void queryRequest(final int payloadLength)
    {
        final byte[] payload = payload(payloadLength, 4);
        final int length = HEADER + new QueryRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(12L).correlationId(0x0C0C_0C0C_0C0CL).consistency(ReadConsistency.EVENTUAL).minSlot(999L)
            .putPayload(payload, 0, payload.length).encodedLength();

        final QueryRequestDecoder d = checkAndWrap(buffer, length, new QueryRequestDecoder());
        assertEquals(12L, d.sessionId());
        assertEquals(0x0C0C_0C0C_0C0CL, d.correlationId());
        assertEquals(ReadConsistency.EVENTUAL, d.consistency());
        assertEquals(999L, d.minSlot());
        final byte[] actual = new byte[d.payloadLength()];
        assertEquals(payloadLength, d.getPayload(actual, 0, actual.length));
        assertArrayEquals(payload, actual);
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void commandResponse(final int resultLength)
    {
        final byte[] result = payload(resultLength, 5);
        final int length = HEADER + new CommandResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(13L).sequence(14L).status(CommandStatus.SESSION_CLOSED).leaderNodeId(-1).slot(15_000_000L)
            .putResult(result, 0, result.length).encodedLength();

        final CommandResponseDecoder d = checkAndWrap(buffer, length, new CommandResponseDecoder());
        assertEquals(13L, d.sessionId());
        assertEquals(14L, d.sequence());
        assertEquals(CommandStatus.SESSION_CLOSED, d.status());
        assertEquals(-1, d.leaderNodeId());
        assertEquals(15_000_000L, d.slot());
        final byte[] actual = new byte[d.resultLength()];
        assertEquals(resultLength, d.getResult(actual, 0, actual.length));
        assertArrayEquals(result, actual);
        assertEquals(length, d.limit());
    }

    @Test
    void sessionKeepAlive()
    {
        final int length = HEADER + new SessionKeepAliveEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(0x0102_0304_0506_0708L).encodedLength();

        final SessionKeepAliveDecoder d = checkAndWrap(buffer, length, new SessionKeepAliveDecoder());
        assertEquals(0x0102_0304_0506_0708L, d.sessionId());
        assertEquals(length, d.limit());
    }

    @Test
    void sessionClose()
    {
        final int length = HEADER + new SessionCloseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(-0x0102_0304_0506_0708L).encodedLength();

        final SessionCloseDecoder d = checkAndWrap(buffer, length, new SessionCloseDecoder());
        assertEquals(-0x0102_0304_0506_0708L, d.sessionId());
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void statusRequest(final int channelLength)
    {
        final String channel = text(channelLength);
        final int length = HEADER + new StatusRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(55L).responseStreamId(-7).responseChannel(channel)
            .putCredentials(CREDENTIALS, 0, CREDENTIALS.length).encodedLength();

        final StatusRequestDecoder d = checkAndWrap(buffer, length, new StatusRequestDecoder());
        assertEquals(55L, d.correlationId());
        assertEquals(-7, d.responseStreamId());
        assertEquals(channel, d.responseChannel());
        assertCredentials(d.credentialsLength(), d::getCredentials);
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void snapshotRequest(final int channelLength)
    {
        final String channel = text(channelLength);
        final int length = HEADER + new SnapshotRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(57L).responseStreamId(9).responseChannel(channel)
            .putCredentials(CREDENTIALS, 0, CREDENTIALS.length).encodedLength();

        final SnapshotRequestDecoder d = checkAndWrap(buffer, length, new SnapshotRequestDecoder());
        assertEquals(57L, d.correlationId());
        assertEquals(9, d.responseStreamId());
        assertEquals(channel, d.responseChannel());
        assertCredentials(d.credentialsLength(), d::getCredentials);
        assertEquals(length, d.limit());
    }

    @Test
    void statusResponse()
    {
        final StatusResponseEncoder e = new StatusResponseEncoder();
        e.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(56L).nodeId(2).role(NodeRole.LEADER).ballot(0x0000_0003_0000_0002L).commitSlot(1_000L)
            .appliedSlot(998L).leaseRemainingNs(250_000_000L).droppedFrames(17L).leaderId(2).snapshotSlot(900L)
            .droppedSends(3L).delayedFrames(12L).faultDelayNs(50_000_000L).faultOutcome(FaultOutcome.APPLIED)
            .followersCount(2)
            .next().nodeId(0).ackedSlot(1_000L).lagSlots(0L).lastAckAgeNs(3_000_000L)
            .next().nodeId(1).ackedSlot(990L).lagSlots(10L).lastAckAgeNs(-1L);
        final int length = HEADER + e.encodedLength();

        final StatusResponseDecoder d = checkAndWrap(buffer, length, new StatusResponseDecoder());
        assertEquals(56L, d.correlationId());
        assertEquals(2, d.nodeId());
        assertEquals(NodeRole.LEADER, d.role());
        assertEquals(0x0000_0003_0000_0002L, d.ballot());
        assertEquals(1_000L, d.commitSlot());
        assertEquals(998L, d.appliedSlot());
        assertEquals(250_000_000L, d.leaseRemainingNs());
        assertEquals(17L, d.droppedFrames());
        assertEquals(2, d.leaderId());
        assertEquals(900L, d.snapshotSlot());
        assertEquals(3L, d.droppedSends());
        assertEquals(12L, d.delayedFrames());
        assertEquals(50_000_000L, d.faultDelayNs());
        assertEquals(FaultOutcome.APPLIED, d.faultOutcome());
        final StatusResponseDecoder.FollowersDecoder followers = d.followers();
        assertEquals(2, followers.count());
        followers.next();
        assertEquals(0, followers.nodeId());
        assertEquals(1_000L, followers.ackedSlot());
        assertEquals(0L, followers.lagSlots());
        assertEquals(3_000_000L, followers.lastAckAgeNs());
        followers.next();
        assertEquals(1, followers.nodeId());
        assertEquals(990L, followers.ackedSlot());
        assertEquals(10L, followers.lagSlots());
        assertEquals(-1L, followers.lastAckAgeNs());
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void faultRequest(final int channelLength)
    {
        final String channel = text(channelLength);
        final int length = HEADER + new FaultRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(58L).responseStreamId(104).delayNs(50_000_000L).jitterNs(5_000_000L)
            .durationNs(2_000_000_000L).responseChannel(channel)
            .putCredentials(CREDENTIALS, 0, CREDENTIALS.length).encodedLength();

        final FaultRequestDecoder d = checkAndWrap(buffer, length, new FaultRequestDecoder());
        assertEquals(58L, d.correlationId());
        assertEquals(104, d.responseStreamId());
        assertEquals(50_000_000L, d.delayNs());
        assertEquals(5_000_000L, d.jitterNs());
        assertEquals(2_000_000_000L, d.durationNs());
        assertEquals(channel, d.responseChannel());
        assertCredentials(d.credentialsLength(), d::getCredentials);
        assertEquals(length, d.limit());
    }

    private static final byte[] CREDENTIALS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17};

    /** Reads a version-3 credentials (or challenge) field and compares it with {@link #CREDENTIALS}. */
    private static void assertCredentials(final int length, final BytesReader reader)
    {
        assertEquals(CREDENTIALS.length, length);
        final byte[] read = new byte[length];
        reader.get(read, 0, length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(CREDENTIALS, read);
    }

    @FunctionalInterface
    private interface BytesReader
    {
        int get(byte[] dst, int offset, int length);
    }
}
