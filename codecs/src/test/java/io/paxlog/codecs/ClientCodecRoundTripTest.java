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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trip of every client and admin message, as {@link CodecRoundTripTest} does for consensus messages and
 * journal records. Var-data fields are tried empty, one byte long and 1,000 bytes long (strings include a two-byte
 * UTF-8 character when they are long enough). The version-5 {@code members} lists of SessionEvent and
 * CommandResponse take the complementary length (1,000 bytes when the other field is empty, and so on), so each is
 * also tried empty and long.
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
        final String members = text(1000 - detailLength);
        final int length = HEADER + new SessionEventEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(-44L).sessionId(0x0BAD_F00DL).code(SessionEventCode.CLOSED).leaderNodeId(6)
            .detail(detail).putChallenge(CREDENTIALS, 0, CREDENTIALS.length).members(members).encodedLength();

        final SessionEventDecoder d = checkAndWrap(buffer, length, new SessionEventDecoder());
        assertEquals(-44L, d.correlationId());
        assertEquals(0x0BAD_F00DL, d.sessionId());
        assertEquals(SessionEventCode.CLOSED, d.code());
        assertEquals(6, d.leaderNodeId());
        assertEquals(detail, d.detail());
        assertCredentials(d.challengeLength(), d::getChallenge);
        assertEquals(members, d.members());
        assertEquals(length, d.limit());
    }

    @Test
    void sessionEventRedirectCarriesTheMembers()
    {
        final int length = HEADER + new SessionEventEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(45L).sessionId(0L).code(SessionEventCode.REDIRECT).leaderNodeId(3)
            .detail("not the leader").putChallenge(CREDENTIALS, 0, 0).members(MEMBERS).encodedLength();

        final SessionEventDecoder d = checkAndWrap(buffer, length, new SessionEventDecoder());
        assertEquals(SessionEventCode.REDIRECT, d.code());
        assertEquals(3, d.leaderNodeId());
        assertEquals("not the leader", d.detail());
        assertEquals(0, d.challengeLength());
        d.skipChallenge();
        assertEquals(MEMBERS, d.members());
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
        final String members = text(1000 - resultLength);
        final int length = HEADER + new CommandResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(13L).sequence(14L).status(CommandStatus.SESSION_CLOSED).leaderNodeId(-1).slot(15_000_000L)
            .putResult(result, 0, result.length).members(members).encodedLength();

        final CommandResponseDecoder d = checkAndWrap(buffer, length, new CommandResponseDecoder());
        assertEquals(13L, d.sessionId());
        assertEquals(14L, d.sequence());
        assertEquals(CommandStatus.SESSION_CLOSED, d.status());
        assertEquals(-1, d.leaderNodeId());
        assertEquals(15_000_000L, d.slot());
        final byte[] actual = new byte[d.resultLength()];
        assertEquals(resultLength, d.getResult(actual, 0, actual.length));
        assertArrayEquals(result, actual);
        assertEquals(members, d.members());
        assertEquals(length, d.limit());
    }

    @Test
    void commandResponseRedirectCarriesTheMembers()
    {
        final int length = HEADER + new CommandResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .sessionId(16L).sequence(17L).status(CommandStatus.REDIRECT).leaderNodeId(2).slot(-1L)
            .putResult(CREDENTIALS, 0, 0).members(MEMBERS).encodedLength();

        final CommandResponseDecoder d = checkAndWrap(buffer, length, new CommandResponseDecoder());
        assertEquals(16L, d.sessionId());
        assertEquals(17L, d.sequence());
        assertEquals(CommandStatus.REDIRECT, d.status());
        assertEquals(2, d.leaderNodeId());
        assertEquals(-1L, d.slot());
        assertEquals(0, d.resultLength());
        d.skipResult();
        assertEquals(MEMBERS, d.members());
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

    /** Configuration groups of zero, one and three members (the last two learners), each with its detail text. */
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 3 })
    void statusResponse(final int members)
    {
        final String detail = 0 == members ? "" : "W=2 R=2 committed " + MEMBERS + "\u00e9";
        final StatusResponseEncoder e = new StatusResponseEncoder();
        e.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(56L).nodeId(2).role(NodeRole.LEADER).ballot(0x0000_0003_0000_0002L).commitSlot(1_000L)
            .appliedSlot(998L).leaseRemainingNs(250_000_000L).droppedFrames(17L).leaderId(2).snapshotSlot(900L)
            .droppedSends(3L).delayedFrames(12L).faultDelayNs(50_000_000L).faultOutcome(FaultOutcome.APPLIED)
            .followersCount(2)
            .next().nodeId(0).ackedSlot(1_000L).lagSlots(0L).lastAckAgeNs(3_000_000L)
            .next().nodeId(1).ackedSlot(990L).lagSlots(10L).lastAckAgeNs(-1L);
        final StatusResponseEncoder.ConfigurationEncoder configuration = e.configurationCount(members);
        for (int i = 0; i < members; i++)
        {
            configuration.next().nodeId(configurationNodeId(i)).votingState(votingState(i));
        }
        e.configurationDetail(detail);
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
        final StatusResponseDecoder.ConfigurationDecoder decoded = d.configuration();
        assertEquals(members, decoded.count());
        for (int i = 0; i < members; i++)
        {
            decoded.next();
            assertEquals(configurationNodeId(i), decoded.nodeId());
            assertEquals(votingState(i), decoded.votingState());
        }
        assertEquals(detail, d.configurationDetail());
        assertEquals(length, d.limit());
    }

    /** Every raw votingState of a configuration entry (the second of three) other than VOTER and LEARNER. */
    @Test
    void statusResponseConfigurationWithUndefinedVotingStateIsBadEnum()
    {
        final StatusResponseEncoder e = new StatusResponseEncoder();
        e.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(59L).nodeId(1).role(NodeRole.LEADER)
            .faultOutcome(FaultOutcome.NONE).followersCount(0);
        final StatusResponseEncoder.ConfigurationEncoder configuration = e.configurationCount(3);
        for (int i = 0; i < 3; i++)
        {
            configuration.next().nodeId(configurationNodeId(i)).votingState(votingState(i));
        }
        e.configurationDetail("x");
        final int length = HEADER + e.encodedLength();
        final int secondEntry = HEADER + StatusResponseDecoder.BLOCK_LENGTH + 2 * GroupSizeEncodingDecoder.ENCODED_LENGTH
            + StatusResponseDecoder.ConfigurationDecoder.sbeBlockLength();
        final int offset = secondEntry + StatusResponseDecoder.ConfigurationDecoder.votingStateEncodingOffset();
        assertEquals(VotingState.VOTER.value(), buffer.getByte(offset), "the byte under test is the votingState");

        assertEnumChecked(length, offset, VotingState.VOTER.value(), VotingState.LEARNER.value());
        buffer.putByte(offset, (byte)VotingState.LEARNER.value());
        final StatusResponseDecoder d = checkAndWrap(buffer, length, new StatusResponseDecoder());
        d.followers();
        final StatusResponseDecoder.ConfigurationDecoder decoded = d.configuration();
        assertEquals(VotingState.VOTER, decoded.next().votingState());
        assertEquals(VotingState.LEARNER, decoded.next().votingState());
        assertEquals(VotingState.LEARNER, decoded.next().votingState());
        assertEquals("x", d.configurationDetail());
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

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 1000 })
    void membershipRequest(final int varDataLength)
    {
        final String addMember = 0 == varDataLength ? "" : 1 == varDataLength ? "4" : "4=host-d:9004:9104" +
            text(varDataLength - 18);
        final String channel = text(1000 - varDataLength);
        final int length = HEADER + new MembershipRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(0x4D45_4D42_0000_0001L).responseStreamId(1_044).removeNodeId(2).acceptQuorum(3)
            .electionQuorum(-5).addMember(addMember).responseChannel(channel)
            .putCredentials(CREDENTIALS, 0, CREDENTIALS.length).encodedLength();

        final MembershipRequestDecoder d = checkAndWrap(buffer, length, new MembershipRequestDecoder());
        assertEquals(0x4D45_4D42_0000_0001L, d.correlationId());
        assertEquals(1_044, d.responseStreamId());
        assertEquals(2, d.removeNodeId());
        assertEquals(3, d.acceptQuorum());
        assertEquals(-5, d.electionQuorum());
        assertEquals(addMember, d.addMember());
        assertEquals(channel, d.responseChannel());
        assertCredentials(d.credentialsLength(), d::getCredentials);
        assertEquals(length, d.limit());
    }

    @Test
    void membershipRequestRemovingOnlyWithoutCredentials()
    {
        final int length = HEADER + new MembershipRequestEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(-1L).responseStreamId(0).removeNodeId(-1).acceptQuorum(0).electionQuorum(0)
            .addMember("").responseChannel("aeron:udp?endpoint=localhost:20121").putCredentials(CREDENTIALS, 0, 0)
            .encodedLength();

        final MembershipRequestDecoder d = checkAndWrap(buffer, length, new MembershipRequestDecoder());
        assertEquals(-1L, d.correlationId());
        assertEquals(0, d.responseStreamId());
        assertEquals(-1, d.removeNodeId());
        assertEquals(0, d.acceptQuorum());
        assertEquals(0, d.electionQuorum());
        assertEquals("", d.addMember());
        assertEquals("aeron:udp?endpoint=localhost:20121", d.responseChannel());
        assertEquals(0, d.credentialsLength());
        d.skipCredentials();
        assertEquals(length, d.limit());
    }

    @ParameterizedTest
    @EnumSource(value = MembershipOutcome.class, mode = EnumSource.Mode.EXCLUDE, names = "NULL_VAL")
    void membershipResponse(final MembershipOutcome outcome)
    {
        final String detail = text(outcome.ordinal() * 499 + 1); // 1, 500 and 999 bytes
        final int length = HEADER + new MembershipResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(0x4D45_4D42_0000_0002L).nodeId(1).outcome(outcome).leaderId(-1)
            .commitSlot(0x0000_0001_0000_0000L + outcome.value()).detail(detail).encodedLength();

        final MembershipResponseDecoder d = checkAndWrap(buffer, length, new MembershipResponseDecoder());
        assertEquals(0x4D45_4D42_0000_0002L, d.correlationId());
        assertEquals(1, d.nodeId());
        assertEquals(outcome, d.outcome());
        assertEquals(-1, d.leaderId());
        assertEquals(0x0000_0001_0000_0000L + outcome.value(), d.commitSlot());
        assertEquals(detail, d.detail());
        assertEquals(length, d.limit());
    }

    @Test
    void membershipResponseWithEmptyDetail()
    {
        final int length = HEADER + new MembershipResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(60L).nodeId(Integer.MAX_VALUE).outcome(MembershipOutcome.DONE).leaderId(Integer.MIN_VALUE)
            .commitSlot(Long.MAX_VALUE).detail("").encodedLength();

        final MembershipResponseDecoder d = checkAndWrap(buffer, length, new MembershipResponseDecoder());
        assertEquals(60L, d.correlationId());
        assertEquals(Integer.MAX_VALUE, d.nodeId());
        assertEquals(MembershipOutcome.DONE, d.outcome());
        assertEquals(Integer.MIN_VALUE, d.leaderId());
        assertEquals(Long.MAX_VALUE, d.commitSlot());
        assertEquals("", d.detail());
        assertEquals(length, d.limit());
    }

    /** Every raw outcome other than DONE, FAILED and REFUSED (the null value 255 included) is BAD_ENUM. */
    @Test
    void membershipResponseWithUndefinedOutcomeIsBadEnum()
    {
        final int length = HEADER + new MembershipResponseEncoder().wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(61L).nodeId(2).outcome(MembershipOutcome.FAILED).leaderId(2).commitSlot(7L)
            .detail("no quorum").encodedLength();
        final int offset = HEADER + MembershipResponseDecoder.outcomeEncodingOffset();
        assertEquals(MembershipOutcome.FAILED.value(), buffer.getByte(offset), "the byte under test is the outcome");

        assertEnumChecked(length, offset, MembershipOutcome.DONE.value(), MembershipOutcome.FAILED.value(),
            MembershipOutcome.REFUSED.value());
        buffer.putByte(offset, (byte)MembershipOutcome.REFUSED.value());
        final MembershipResponseDecoder d = checkAndWrap(buffer, length, new MembershipResponseDecoder());
        assertEquals(MembershipOutcome.REFUSED, d.outcome());
        assertEquals("no quorum", d.detail());
        assertEquals(length, d.limit());
    }

    /** The members list a redirect carries: id=host:consensusPort:clientPort, comma separated. */
    private static final String MEMBERS = "0=host-a:9000:9100,1=host-b:9001:9101,2=host-c:9002:9102";

    private static int configurationNodeId(final int index)
    {
        return 10 + 7 * index;
    }

    private static VotingState votingState(final int index)
    {
        return index < 2 ? VotingState.VOTER : VotingState.LEARNER;
    }

    /**
     * Writes every raw value 0 to 255 at {@code offset} of the frame: exactly the {@code defined} values are OK,
     * every other one is {@link FrameCheck#BAD_ENUM}. Leaves 255 (the null value) there.
     */
    private void assertEnumChecked(final int length, final int offset, final short... defined)
    {
        final FrameChecker checker = new FrameChecker(64 * 1024, 1024, 16 * 1024);
        int ok = 0;
        for (int raw = 0; raw < 256; raw++)
        {
            buffer.putByte(offset, (byte)raw);
            boolean isDefined = false;
            for (final short value : defined)
            {
                isDefined |= value == raw;
            }
            final FrameCheck verdict = checker.check(buffer, 0, length);
            assertEquals(isDefined ? FrameCheck.OK : FrameCheck.BAD_ENUM, verdict, "raw " + raw + " at " + offset);
            ok += FrameCheck.OK == verdict ? 1 : 0;
        }
        assertEquals(defined.length, ok);
        assertEquals(FrameCheck.BAD_ENUM, checker.check(buffer, 0, length), "255 is the null value");
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
