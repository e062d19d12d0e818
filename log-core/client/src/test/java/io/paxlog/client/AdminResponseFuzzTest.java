package io.paxlog.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.codecs.FaultOutcome;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MembershipOutcome;
import io.paxlog.codecs.MembershipResponseDecoder;
import io.paxlog.codecs.MembershipResponseEncoder;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.NodeRole;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import io.paxlog.codecs.SessionEventEncoder;
import io.paxlog.codecs.StatusResponseDecoder;
import io.paxlog.codecs.StatusResponseEncoder;
import io.paxlog.codecs.VotingState;
import io.paxlog.protocol.Member;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input: what an operator's {@link AdminClient} does with hostile datagrams on its response channel.
 * Frames go into the {@link AdminResponseAdapter} an AdminClient builds (same {@link FrameChecker} limits), told,
 * as AdminClient's calls tell it, which correlation ids are awaited: a single call's ({@link #AWAITED}) and a
 * {@code statusAll} round's ({@link #ROUND_FIRST} + i for member position i).
 *
 * <p>Input: one byte (bits 0-2: the round's size minus one; bit 3: no single call awaited; bit 4: no round under
 * way), then frames as {@code [mode: 1 byte][length: 2 bytes big-endian][bytes]}, each alone in a buffer of exactly
 * its length. Mode bit 0 ({@link #ADDRESSED}): a correlation id is written where StatusResponse, MembershipResponse
 * and SessionEvent carry it (right after the header), so fuzzed content reaches the decoding past the id filter:
 * with bit 1 clear the single call's id; set, the round's first id plus bits 2-5 minus one (-1..14: inside and
 * outside the round). As a single call does, each frame is read after {@code await} (what an earlier frame left is
 * forgotten); the round's answers stay across frames. Seeds ({@link #main}): the answers a node sends (statuses of a
 * leader, a follower and a candidate with the version-5 configuration, one of version 2, membership outcomes, a
 * REJECTED and an OPEN session event), each addressed to the call, to the round and as sent.
 *
 * <p>Properties: nothing escapes the adapter; a frame an independent {@link FrameChecker} (same limits) rejects
 * changes nothing, and a frame changes at most one thing; a status report, membership result or refusal appears
 * only for the awaited correlation id (a round's answer only for an id of the round whose answer is not yet in, and
 * is then never replaced), and does appear for every well-formed answer awaited; a report says what the frame says,
 * decoded here independently, its voters and learners exactly the configuration entries whose ids are 0..63.
 */
class AdminResponseFuzzTest
{
    static final String METHOD = "hostileAnswersReportOnlyWhatWasAwaitedNeverThrown";
    static final Path SEEDS = Path.of("src/test/resources/io/paxlog/client/AdminResponseFuzzTestInputs/" + METHOD);
    static final long AWAITED = 0x5EED_0000_0001L;
    static final long ROUND_FIRST = 0x5EED_0000_0100L;
    static final byte AS_SENT = 0;
    static final byte ADDRESSED = 1;
    static final byte TO_ROUND = 2;
    /** The setup byte of the seeds: a round of 3, a single call awaited too. */
    static final byte SETUP = 2;
    private static final int ID_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    @FuzzTest(maxDuration = "30s")
    void hostileAnswersReportOnlyWhatWasAwaitedNeverThrown(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final Answers answers = new Answers(input[0]);
        int p = 1;
        while (p + 3 <= input.length)
        {
            final byte mode = input[p];
            final int length = Math.min(((input[p + 1] & 0xFF) << 8) | (input[p + 2] & 0xFF), input.length - p - 3);
            final byte[] bytes = Arrays.copyOfRange(input, p + 3, p + 3 + length);
            p += 3 + length;
            answers.deliver(mode, bytes);
        }
    }

    @Test
    void everyAnswerIsReadForTheCallAndTheRoundAndIgnoredOtherwise()
    {
        final Answers answers = new Answers(SETUP);
        int round = 0;
        for (final Map.Entry<String, byte[]> e : frames().entrySet())
        {
            final String name = e.getKey();
            final boolean status = name.startsWith("status");
            assertEquals(Outcome.NONE, answers.deliver(AS_SENT, e.getValue()), name + " for no one");
            final Outcome expected = status ? Outcome.REPORT : name.startsWith("membership") ? Outcome.MEMBERSHIP :
                name.equals("event-rejected") ? Outcome.REFUSAL : Outcome.NONE;
            assertEquals(expected, answers.deliver(ADDRESSED, e.getValue()), name + " for the call");
            if (status && round < 3)
            {
                assertEquals(Outcome.ROUND, answers.deliver(toRound(round), e.getValue()), name + " for the round");
                assertEquals(Outcome.NONE, answers.deliver(toRound(round), e.getValue()), name + " again: kept");
                round++;
            }
            else
            {
                assertEquals(Outcome.NONE, answers.deliver(toRound(3), e.getValue()), name + " past the round");
            }
        }
        assertEquals(3, round);
    }

    @Test
    void theConfigurationKeepsOnlyIdsZeroTo63()
    {
        final byte[] frame = status(NodeRole.LEADER, FaultOutcome.NONE, new int[] {-1, 0, 63, 64, 1000, 7},
            new VotingState[] {VotingState.VOTER, VotingState.VOTER, VotingState.LEARNER, VotingState.VOTER,
                VotingState.LEARNER, VotingState.LEARNER}, "W=1 R=1");
        final Answers answers = new Answers(SETUP);
        assertEquals(Outcome.REPORT, answers.deliver(ADDRESSED, frame));
        final NodeStatusReport report = answers.adapter.answer();
        assertEquals(1L, report.configVoters());
        assertEquals((1L << 63) | (1L << 7), report.configLearners());
        assertEquals("learner", report.votingState(63));
        assertEquals("-", report.votingState(62));
    }

    @Test
    void nothingIsKeptBetweenCalls()
    {
        final AdminResponseAdapter adapter = new Answers(SETUP).adapter;
        final byte[] membership = frames().get("membership-done").clone();
        new UnsafeBuffer(membership).putLong(ID_OFFSET, -1L, ByteOrder.LITTLE_ENDIAN);
        adapter.awaitNone();
        adapter.onFragment(new UnsafeBuffer(membership), 0, membership.length, null);
        assertNull(adapter.membershipAnswer(), "an answer with id -1 while nothing is awaited");
        adapter.await(AWAITED);
        new UnsafeBuffer(membership).putLong(ID_OFFSET, AWAITED, ByteOrder.LITTLE_ENDIAN);
        adapter.onFragment(new UnsafeBuffer(membership), 0, membership.length, null);
        assertNotNull(adapter.membershipAnswer());
        adapter.await(AWAITED + 1);
        assertNull(adapter.membershipAnswer(), "the next call starts clean");
    }

    @Test
    void theCommittedSeedsAreCurrent() throws IOException
    {
        for (final Map.Entry<String, byte[]> e : frames().entrySet())
        {
            final Path seed = SEEDS.resolve("valid-" + e.getKey());
            assertArrayEquals(seed(e.getValue()), Files.readAllBytes(seed),
                seed + " is stale: regenerate with AdminResponseFuzzTest.main (from log-core)");
        }
    }

    /** Writes the seeds (run from log-core). */
    public static void main(final String[] args) throws IOException
    {
        Files.createDirectories(SEEDS);
        for (final Map.Entry<String, byte[]> e : frames().entrySet())
        {
            Files.write(SEEDS.resolve("valid-" + e.getKey()), seed(e.getValue()));
        }
    }

    /** The setup byte, then the frame addressed to the call, to the round's member 1, and as sent. */
    private static byte[] seed(final byte[] frame)
    {
        final byte[] seed = new byte[1 + 3 * (3 + frame.length)];
        seed[0] = SETUP;
        final byte[] modes = {ADDRESSED, toRound(1), AS_SENT};
        for (int i = 0; i < modes.length; i++)
        {
            final int at = 1 + i * (3 + frame.length);
            seed[at] = modes[i];
            seed[at + 1] = (byte)(frame.length >>> 8);
            seed[at + 2] = (byte)frame.length;
            System.arraycopy(frame, 0, seed, at + 3, frame.length);
        }
        return seed;
    }

    /** The mode addressing a frame to the round's position {@code index} (-1..14). */
    static byte toRound(final int index)
    {
        return (byte)(ADDRESSED | TO_ROUND | (index + 1) << 2);
    }

    /** Answers as a node encodes them, correlation id 0 (addressing writes the awaited one in). */
    static Map<String, byte[]> frames()
    {
        final Map<String, byte[]> frames = new LinkedHashMap<>();
        final String detail = "voters=0,1,2 learners=3 W=2 R=2 committed 0=127.0.0.1:20000:20001," +
            "1=127.0.0.1:20002:20003,2=127.0.0.1:20004:20005,3=127.0.0.1:20006:20007";
        final int[] ids = {0, 1, 2, 3};
        final VotingState[] states = {VotingState.VOTER, VotingState.VOTER, VotingState.VOTER, VotingState.LEARNER};
        frames.put("status-leader", status(NodeRole.LEADER, FaultOutcome.NONE, ids, states, detail));
        frames.put("status-follower", status(NodeRole.FOLLOWER, FaultOutcome.NONE, ids, states, detail));
        frames.put("status-candidate-fault", status(NodeRole.CANDIDATE, FaultOutcome.APPLIED, ids, states, detail));
        final byte[] v5 = status(NodeRole.FOLLOWER, FaultOutcome.REFUSED, new int[0], new VotingState[0], "");
        // version 2: without the configuration group's header (4 bytes) and the empty detail's length (4 bytes)
        final byte[] v2 = Arrays.copyOf(v5, v5.length - 8);
        new UnsafeBuffer(v2).putShort(MessageHeaderDecoder.versionEncodingOffset(), (short)2, ByteOrder.LITTLE_ENDIAN);
        frames.put("status-v2", v2);
        frames.put("membership-done", membership(MembershipOutcome.DONE, "added 3"));
        frames.put("membership-failed", membership(MembershipOutcome.FAILED, "learner 3 did not catch up"));
        frames.put("membership-refused", membership(MembershipOutcome.REFUSED, "not the leader"));
        frames.put("event-rejected", event(SessionEventCode.REJECTED, "authentication failed"));
        frames.put("event-open", event(SessionEventCode.OPEN, ""));
        return frames;
    }

    static byte[] status(final NodeRole role, final FaultOutcome fault, final int[] ids, final VotingState[] states,
        final String detail)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final StatusResponseEncoder status = new StatusResponseEncoder().wrapAndApplyHeader(buffer, 0,
            new MessageHeaderEncoder()).correlationId(0).nodeId(1).role(role).ballot(0x0003_0001L).commitSlot(1200)
            .appliedSlot(1199).leaseRemainingNs(role == NodeRole.LEADER ? 80_000_000L : 0).droppedFrames(2)
            .leaderId(role == NodeRole.CANDIDATE ? -1 : 1).snapshotSlot(1000).droppedSends(0).delayedFrames(3)
            .faultDelayNs(fault == FaultOutcome.APPLIED ? 5_000_000L : 0).faultOutcome(fault);
        final boolean leading = role == NodeRole.LEADER;
        final StatusResponseEncoder.FollowersEncoder followers = status.followersCount(leading ? 2 : 0);
        if (leading)
        {
            followers.next().nodeId(0).ackedSlot(1200).lagSlots(0).lastAckAgeNs(1_000_000L);
            followers.next().nodeId(2).ackedSlot(1150).lagSlots(50).lastAckAgeNs(-1);
        }
        final StatusResponseEncoder.ConfigurationEncoder configuration = status.configurationCount(ids.length);
        for (int i = 0; i < ids.length; i++)
        {
            configuration.next().nodeId(ids[i]).votingState(states[i]);
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + status.configurationDetail(detail).encodedLength();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] membership(final MembershipOutcome outcome, final String detail)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new MembershipResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(0).nodeId(1).outcome(outcome)
            .leaderId(outcome == MembershipOutcome.REFUSED ? 2 : 1).commitSlot(outcome == MembershipOutcome.DONE ?
            1300 : 0).detail(detail).encodedLength();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] event(final SessionEventCode code, final String detail)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new SessionEventEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(0).sessionId(0).code(code)
            .leaderNodeId(-1).detail(detail).putChallenge(new byte[0], 0, 0).members("").encodedLength();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /** What one frame did. */
    enum Outcome
    {
        NONE, REPORT, ROUND, MEMBERSHIP, REFUSAL
    }

    /** An adapter as an AdminClient has it, awaiting a call's answer and a round's, checked around each frame. */
    static final class Answers
    {
        final AdminResponseAdapter adapter = new AdminResponseAdapter(new FrameChecker(AdminClient.FRAME_LENGTH_MAX,
            AdminClient.FOLLOWERS_MAX, AdminClient.VAR_DATA_MAX));
        private final FrameChecker checker = new FrameChecker(AdminClient.FRAME_LENGTH_MAX, AdminClient.FOLLOWERS_MAX,
            AdminClient.VAR_DATA_MAX);
        private final boolean single;
        private final boolean roundUnderWay;
        private final NodeStatusReport[] round;
        private final long[] stamps;

        Answers(final byte setup)
        {
            single = (setup & 8) == 0;
            roundUnderWay = (setup & 16) == 0;
            round = new NodeStatusReport[1 + (setup & 7)];
            stamps = new long[round.length];
            if (roundUnderWay)
            {
                adapter.awaitAll(ROUND_FIRST, round, stamps);
            }
        }

        Outcome deliver(final byte mode, final byte[] bytes)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(bytes);
            if ((mode & ADDRESSED) != 0 && bytes.length >= ID_OFFSET + 8)
            {
                final long id = (mode & TO_ROUND) == 0 ? AWAITED : ROUND_FIRST + ((mode >> 2) & 15) - 1;
                frame.putLong(ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
            }
            final FrameCheck verdict = checker.check(frame, 0, bytes.length);
            final int template = verdict == FrameCheck.OK ? checker.templateId() : -1;
            final int version = verdict == FrameCheck.OK ? checker.actingVersion() : -1;
            final int blockLength = verdict == FrameCheck.OK ? checker.actingBlockLength() : -1;
            final long id = bytes.length >= ID_OFFSET + 8 ? frame.getLong(ID_OFFSET, ByteOrder.LITTLE_ENDIAN) : 0;

            adapter.await(AWAITED); // what a call does first; then forgets it if no call is under way
            if (!single)
            {
                adapter.awaitNone();
            }
            final NodeStatusReport[] roundBefore = round.clone();
            final long[] stampsBefore = stamps.clone();
            adapter.onFragment(frame, 0, bytes.length, null);

            int changes = 0;
            Outcome outcome = Outcome.NONE;
            NodeStatusReport report = null;
            if (adapter.answer() != null)
            {
                changes++;
                outcome = Outcome.REPORT;
                report = adapter.answer();
                assertTrue(single && id == AWAITED, "a report only for the awaited id, not " + id);
            }
            for (int i = 0; i < round.length; i++)
            {
                if (round[i] != roundBefore[i])
                {
                    changes++;
                    outcome = Outcome.ROUND;
                    report = round[i];
                    assertTrue(roundUnderWay && id == ROUND_FIRST + i, "member " + i + "'s answer, not id " + id);
                    assertNull(roundBefore[i], "a round's answer is never replaced");
                    assertNotNull(round[i]);
                }
                else if (stamps[i] != stampsBefore[i])
                {
                    throw new AssertionError("a stamp without an answer at " + i);
                }
            }
            final AdminClient.MembershipResult membership = adapter.membershipAnswer();
            if (membership != null)
            {
                changes++;
                outcome = Outcome.MEMBERSHIP;
                assertEquals(MembershipResponseDecoder.TEMPLATE_ID, template);
                assertTrue(single && id == AWAITED, "a membership result only for the awaited id, not " + id);
                checkMembership(frame, membership);
            }
            if (adapter.refusedDetail() != null)
            {
                changes++;
                outcome = Outcome.REFUSAL;
                assertEquals(SessionEventDecoder.TEMPLATE_ID, template);
                assertTrue(single && id == AWAITED, "a refusal only for the awaited id, not " + id);
                assertEquals(SessionEventCode.REJECTED.value(), frame.getByte(ID_OFFSET +
                    SessionEventDecoder.codeEncodingOffset()) & 0xFF, "a refusal is a REJECTED event");
            }
            assertTrue(changes <= 1, "one frame, one answer at most: " + changes);
            if (verdict != FrameCheck.OK)
            {
                assertEquals(0, changes, "a frame the checker rejects (" + verdict + ") changes nothing");
            }
            if (report != null)
            {
                assertEquals(StatusResponseDecoder.TEMPLATE_ID, template);
                checkReport(frame, version, blockLength, report);
            }
            else
            {
                assertNull(adapter.answerOutcome(), "an outcome without a report");
            }
            // and every well-formed answer awaited is read
            if (template == StatusResponseDecoder.TEMPLATE_ID)
            {
                final long index = id - ROUND_FIRST;
                final boolean forRound = roundUnderWay && index >= 0 && index < round.length &&
                    roundBefore[(int)index] == null;
                assertEquals(single && id == AWAITED || forRound, report != null, "a status answering id " + id);
            }
            if (template == MembershipResponseDecoder.TEMPLATE_ID)
            {
                assertEquals(single && id == AWAITED, membership != null, "a membership answer for id " + id);
            }
            if (template == SessionEventDecoder.TEMPLATE_ID)
            {
                final boolean rejected = frame.getByte(ID_OFFSET + SessionEventDecoder.codeEncodingOffset()) ==
                    SessionEventCode.REJECTED.value();
                assertEquals(single && id == AWAITED && rejected, adapter.refusedDetail() != null, "a refusal");
            }
            return outcome;
        }

        private void checkMembership(final UnsafeBuffer frame, final AdminClient.MembershipResult result)
        {
            final int body = ID_OFFSET;
            assertEquals(MembershipOutcome.get((short)(frame.getByte(body +
                MembershipResponseDecoder.outcomeEncodingOffset()) & 0xFF)).name(), result.outcome());
            assertTrue(List.of("DONE", "FAILED", "REFUSED").contains(result.outcome()), result.outcome());
            assertEquals(frame.getInt(body + MembershipResponseDecoder.nodeIdEncodingOffset(),
                ByteOrder.LITTLE_ENDIAN), result.nodeId());
            assertEquals(frame.getInt(body + MembershipResponseDecoder.leaderIdEncodingOffset(),
                ByteOrder.LITTLE_ENDIAN), result.leaderId());
            assertEquals(frame.getLong(body + MembershipResponseDecoder.commitSlotEncodingOffset(),
                ByteOrder.LITTLE_ENDIAN), result.commitSlot());
            final int at = body + checker.actingBlockLength();
            assertEquals(new String(bytes(frame, at + 4, frame.getInt(at, ByteOrder.LITTLE_ENDIAN)),
                StandardCharsets.UTF_8), result.detail());
        }

        /** The report against the frame, decoded here from the layout (offsets from the codecs' constants). */
        private void checkReport(final UnsafeBuffer frame, final int version, final int blockLength,
            final NodeStatusReport report)
        {
            final int body = ID_OFFSET;
            final ByteOrder le = ByteOrder.LITTLE_ENDIAN;
            assertEquals(frame.getInt(body + StatusResponseDecoder.nodeIdEncodingOffset(), le), report.nodeId());
            final int role = frame.getByte(body + StatusResponseDecoder.roleEncodingOffset()) & 0xFF;
            assertEquals(role == NodeRole.LEADER.value() ? "leader" : role == NodeRole.CANDIDATE.value() ?
                "candidate" : "follower", report.role());
            assertEquals(frame.getLong(body + StatusResponseDecoder.ballotEncodingOffset(), le), report.ballot());
            assertEquals(frame.getLong(body + StatusResponseDecoder.commitSlotEncodingOffset(), le),
                report.commitSlot());
            assertEquals(frame.getLong(body + StatusResponseDecoder.appliedSlotEncodingOffset(), le),
                report.appliedSlot());
            assertEquals(frame.getLong(body + StatusResponseDecoder.leaseRemainingNsEncodingOffset(), le),
                report.leaseRemainingNs());
            assertEquals(frame.getLong(body + StatusResponseDecoder.droppedFramesEncodingOffset(), le),
                report.droppedFrames());
            final boolean v2 = version >= 2;
            assertEquals(v2 ? frame.getInt(body + StatusResponseDecoder.leaderIdEncodingOffset(), le) : -1,
                report.leaderId());
            assertEquals(v2 ? frame.getLong(body + StatusResponseDecoder.snapshotSlotEncodingOffset(), le) : 0,
                report.snapshotSlot());
            assertEquals(v2 ? frame.getLong(body + StatusResponseDecoder.faultDelayNsEncodingOffset(), le) : 0,
                report.faultDelayNs());
            assertSame(v2 ? FaultOutcome.get((short)(frame.getByte(body +
                StatusResponseDecoder.faultOutcomeEncodingOffset()) & 0xFF)) : FaultOutcome.NONE,
                adapter.answerOutcome());

            int at = body + blockLength;
            int followers = 0;
            if (v2)
            {
                final int entryLength = frame.getShort(at, le) & 0xFFFF;
                followers = frame.getShort(at + 2, le) & 0xFFFF;
                at += 4;
                for (int i = 0; i < followers; i++, at += entryLength)
                {
                    final FollowerLag lag = report.followers().get(i);
                    assertEquals(frame.getInt(at, le), lag.nodeId());
                    assertEquals(frame.getLong(at + 4, le), lag.ackedSlot());
                }
            }
            assertEquals(followers, report.followers().size(), "every follower");
            long voters = 0;
            long learners = 0;
            String detail = "";
            if (version >= 5)
            {
                final int entryLength = frame.getShort(at, le) & 0xFFFF;
                final int count = frame.getShort(at + 2, le) & 0xFFFF;
                at += 4;
                for (int i = 0; i < count; i++, at += entryLength)
                {
                    final int id = frame.getInt(at + StatusResponseDecoder.ConfigurationDecoder.nodeIdEncodingOffset(),
                        le);
                    final int state = frame.getByte(at +
                        StatusResponseDecoder.ConfigurationDecoder.votingStateEncodingOffset()) & 0xFF;
                    if (id >= 0 && id <= Member.ID_MAX)
                    {
                        if (state == VotingState.VOTER.value())
                        {
                            voters |= 1L << id;
                        }
                        else
                        {
                            assertEquals(VotingState.LEARNER.value(), state, "a voting state the schema has");
                            learners |= 1L << id;
                        }
                    }
                }
                detail = new String(bytes(frame, at + 4, frame.getInt(at, le)), StandardCharsets.UTF_8);
                assertEquals(frame.capacity(), at + 4 + frame.getInt(at, le), "the detail ends the frame");
            }
            assertEquals(voters, report.configVoters(), "the voters: entries with ids 0..63");
            assertEquals(learners, report.configLearners(), "the learners: entries with ids 0..63");
            assertEquals(detail, report.configuration());
            for (int id = 0; id <= Member.ID_MAX; id++)
            {
                final String state = report.votingState(id);
                assertEquals((voters & (1L << id)) != 0 ? "voter" : (learners & (1L << id)) != 0 ? "learner" : "-",
                    state, "member " + id);
            }
        }

        private static byte[] bytes(final UnsafeBuffer frame, final int at, final int length)
        {
            final byte[] bytes = new byte[length];
            frame.getBytes(at, bytes);
            return bytes;
        }
    }
}
