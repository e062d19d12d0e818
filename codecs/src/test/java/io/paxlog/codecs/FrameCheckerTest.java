package io.paxlog.codecs;

import static io.paxlog.codecs.CodecRoundTripTest.HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import java.util.function.IntPredicate;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * One test per verdict of {@link FrameChecker}: valid frames of every template are OK, and each kind of damage is
 * reported with its own verdict.
 */
class FrameCheckerTest
{
    private static final int FRAME_MAX = 64 * 1024;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FRAME_MAX + 64]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final FrameChecker checker = new FrameChecker(FRAME_MAX, 1024, 16 * 1024);
    private final RandomFrames frames = new RandomFrames(new SplittableRandom(42));

    @Test
    void randomValidFramesOfEveryTemplateAreOk()
    {
        for (final int templateId : RandomFrames.TEMPLATE_IDS)
        {
            for (int i = 0; i < 50; i++)
            {
                final int length = frames.encode(templateId, buffer, 0);
                assertEquals(FrameCheck.OK, checker.check(buffer, 0, length), "template " + templateId);
                assertEquals(templateId, checker.templateId());
                assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, checker.actingVersion());
                assertEquals(new MessageHeaderDecoder().wrap(buffer, 0).blockLength(), checker.actingBlockLength());
            }
        }
    }

    @Test
    void everyTruncationIsTooShortOrTruncated()
    {
        for (final int templateId : RandomFrames.TEMPLATE_IDS)
        {
            for (int i = 0; i < 20; i++)
            {
                final int length = frames.encode(templateId, buffer, 0);
                for (int cut = 0; cut < length; cut++)
                {
                    final FrameCheck expected = cut < HEADER ? FrameCheck.TOO_SHORT : FrameCheck.TRUNCATED;
                    assertEquals(expected, checker.check(buffer, 0, cut), "template " + templateId + " cut " + cut);
                }
            }
        }
    }

    @Test
    void frameLongerThanMaximumIsOversized()
    {
        final FrameChecker small = new FrameChecker(HEADER + CommandRequestDecoder.BLOCK_LENGTH + 4 + 10, 16, 1024);
        assertEquals(FrameCheck.OK, small.check(buffer, 0, commandRequest(10)));
        assertEquals(FrameCheck.OVERSIZED, small.check(buffer, 0, commandRequest(11)));
    }

    @Test
    void groupCountAboveLimitIsOversized()
    {
        final FrameChecker limited = new FrameChecker(FRAME_MAX, 3, 1024);
        assertEquals(FrameCheck.OK, limited.check(buffer, 0, accept(3, 0)));
        assertEquals(FrameCheck.OVERSIZED, limited.check(buffer, 0, accept(4, 0)));

        final int length = accept(1, 0);
        final int countOffset =
            HEADER + AcceptDecoder.BLOCK_LENGTH + GroupSizeEncodingDecoder.numInGroupEncodingOffset();
        buffer.putShort(countOffset, (short)0xFFFF, MessageHeaderDecoder.BYTE_ORDER);
        assertEquals(FrameCheck.OVERSIZED, checker.check(buffer, 0, length));
    }

    @Test
    void varDataAboveLimitIsOversized()
    {
        final FrameChecker limited = new FrameChecker(FRAME_MAX, 16, 100);
        assertEquals(FrameCheck.OK, limited.check(buffer, 0, commandRequest(100)));
        assertEquals(FrameCheck.OVERSIZED, limited.check(buffer, 0, commandRequest(101)));
        assertEquals(FrameCheck.OK, limited.check(buffer, 0, accept(2, 100)));
        assertEquals(FrameCheck.OVERSIZED, limited.check(buffer, 0, accept(2, 101)));

        final int length = commandRequest(3);
        buffer.putInt(HEADER + CommandRequestDecoder.BLOCK_LENGTH, -1, MessageHeaderDecoder.BYTE_ORDER);
        assertEquals(FrameCheck.OVERSIZED, checker.check(buffer, 0, length));
    }

    @Test
    void wrongSchemaId()
    {
        final int length = commandRequest(5);
        header.wrap(buffer, 0).schemaId(MessageHeaderDecoder.SCHEMA_ID + 1);
        assertEquals(FrameCheck.WRONG_SCHEMA, checker.check(buffer, 0, length));
    }

    @Test
    void versionZeroAndNewerVersionsAreBad()
    {
        for (final int version : new int[]{ 0, MessageHeaderDecoder.SCHEMA_VERSION + 1, 0xFFFF })
        {
            final int length = commandRequest(5);
            header.wrap(buffer, 0).version(version);
            assertEquals(FrameCheck.BAD_VERSION, checker.check(buffer, 0, length), "version " + version);
        }
    }

    @Test
    void everyTemplateIdOutsideTheSchemaIsUnknown()
    {
        final int length = commandRequest(0);
        for (int templateId = 0; templateId <= 0xFFFF; templateId++)
        {
            header.wrap(buffer, 0).templateId(templateId);
            final FrameCheck verdict = checker.check(buffer, 0, length);
            if (isSchemaTemplate(templateId))
            {
                assertNotEquals(FrameCheck.UNKNOWN_TEMPLATE, verdict, "template " + templateId);
            }
            else
            {
                assertEquals(FrameCheck.UNKNOWN_TEMPLATE, verdict, "template " + templateId);
            }
        }
    }

    @Test
    void blockLengthSmallerThanTheFixedBlockOrAbsurdIsBad()
    {
        for (final int templateId : RandomFrames.TEMPLATE_IDS)
        {
            final int length = frames.encode(templateId, buffer, 0);
            final int blockLength = new MessageHeaderDecoder().wrap(buffer, 0).blockLength();
            for (final int bad : new int[]{ 0, blockLength - 1, 0xFFFF })
            {
                header.wrap(buffer, 0).blockLength(bad);
                assertEquals(FrameCheck.BAD_BLOCK_LENGTH, checker.check(buffer, 0, length), "template " + templateId);
            }
        }

        final int length = accept(2, 3);
        final int groupBlockLengthOffset = HEADER + AcceptDecoder.BLOCK_LENGTH;
        buffer.putShort(groupBlockLengthOffset, (short)(AcceptDecoder.EntriesDecoder.sbeBlockLength() - 1),
            MessageHeaderDecoder.BYTE_ORDER);
        assertEquals(FrameCheck.BAD_BLOCK_LENGTH, checker.check(buffer, 0, length));
    }

    @Test
    void everyUndefinedEnumValueIsBadEnum()
    {
        final IntPredicate entryType = raw -> defined(() -> EntryType.get((short)raw) != EntryType.NULL_VAL);

        assertEnumChecked(new NackEncoder().wrapAndApplyHeader(buffer, 0, header).reason(NackReason.LEASE)
            .encodedLength(), NackDecoder.reasonEncodingOffset(),
            raw -> defined(() -> NackReason.get((short)raw) != NackReason.NULL_VAL));
        assertEnumChecked(new SessionEventEncoder().wrapAndApplyHeader(buffer, 0, header)
            .code(SessionEventCode.OPEN).detail("x").putChallenge(new byte[1], 0, 1).members("y").encodedLength(),
            SessionEventDecoder.codeEncodingOffset(),
            raw -> defined(() -> SessionEventCode.get((short)raw) != SessionEventCode.NULL_VAL));
        assertEnumChecked(new QueryRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .consistency(ReadConsistency.SEQUENTIAL).putPayload(new byte[2], 0, 2).encodedLength(),
            QueryRequestDecoder.consistencyEncodingOffset(),
            raw -> defined(() -> ReadConsistency.get((short)raw) != ReadConsistency.NULL_VAL));
        assertEnumChecked(new CommandResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .status(CommandStatus.BUSY).putResult(new byte[1], 0, 1).members("").encodedLength(),
            CommandResponseDecoder.statusEncodingOffset(),
            raw -> defined(() -> CommandStatus.get((short)raw) != CommandStatus.NULL_VAL));
        final StatusResponseEncoder status = new StatusResponseEncoder();
        status.wrapAndApplyHeader(buffer, 0, header).role(NodeRole.CANDIDATE).faultOutcome(FaultOutcome.NONE)
            .followersCount(0);
        status.configurationCount(0);
        status.configurationDetail("");
        assertEnumChecked(status.encodedLength(),
            StatusResponseDecoder.roleEncodingOffset(),
            raw -> defined(() -> NodeRole.get((short)raw) != NodeRole.NULL_VAL));
        status.wrapAndApplyHeader(buffer, 0, header).role(NodeRole.LEADER).faultOutcome(FaultOutcome.APPLIED)
            .followersCount(0);
        status.configurationCount(0);
        status.configurationDetail("z");
        assertEnumChecked(status.encodedLength(),
            StatusResponseDecoder.faultOutcomeEncodingOffset(),
            raw -> defined(() -> FaultOutcome.get((short)raw) != FaultOutcome.NULL_VAL));
        final IntPredicate votingState = raw -> defined(() -> VotingState.get((short)raw) != VotingState.NULL_VAL);
        status.wrapAndApplyHeader(buffer, 0, header).role(NodeRole.LEADER).faultOutcome(FaultOutcome.NONE)
            .followersCount(1).next().nodeId(1);
        status.configurationCount(2).next().nodeId(0).votingState(VotingState.VOTER)
            .next().nodeId(3).votingState(VotingState.LEARNER);
        status.configurationDetail("W=1 R=1");
        final int firstMember = StatusResponseDecoder.BLOCK_LENGTH + GroupSizeEncodingDecoder.ENCODED_LENGTH
            + StatusResponseDecoder.FollowersDecoder.sbeBlockLength() + GroupSizeEncodingDecoder.ENCODED_LENGTH
            + StatusResponseDecoder.ConfigurationDecoder.votingStateEncodingOffset();
        final int secondMember = firstMember + StatusResponseDecoder.ConfigurationDecoder.sbeBlockLength();
        assertEnumChecked(status.encodedLength(), firstMember, votingState);
        buffer.putByte(HEADER + firstMember, (byte)VotingState.VOTER.value()); // left at the null value
        assertEnumChecked(status.encodedLength(), secondMember, votingState);
        assertEnumChecked(new MembershipResponseEncoder().wrapAndApplyHeader(buffer, 0, header)
            .outcome(MembershipOutcome.REFUSED).detail("not the leader").encodedLength(),
            MembershipResponseDecoder.outcomeEncodingOffset(),
            raw -> defined(() -> MembershipOutcome.get((short)raw) != MembershipOutcome.NULL_VAL));
        assertEnumChecked(new JournalAcceptedEncoder().wrapAndApplyHeader(buffer, 0, header)
            .entryType(EntryType.NOOP).putPayload(new byte[4], 0, 4).encodedLength(),
            JournalAcceptedDecoder.entryTypeEncodingOffset(), entryType);

        final int first = AcceptDecoder.BLOCK_LENGTH + GroupSizeEncodingDecoder.ENCODED_LENGTH
            + AcceptDecoder.EntriesDecoder.entryTypeEncodingOffset();
        final int second = first + AcceptDecoder.EntriesDecoder.sbeBlockLength() + 4;
        assertEnumChecked(accept(2, 0) - HEADER, first, entryType);
        assertEnumChecked(accept(2, 0) - HEADER, second, entryType);

        final PromiseEncoder promise = new PromiseEncoder().wrapAndApplyHeader(buffer, 0, header);
        promise.entriesCount(1).next().entryType(EntryType.COMMAND).putPayload(new byte[3], 0, 3);
        assertEnumChecked(promise.encodedLength(), PromiseDecoder.BLOCK_LENGTH + GroupSizeEncodingDecoder.ENCODED_LENGTH
            + PromiseDecoder.EntriesDecoder.entryTypeEncodingOffset(), entryType);

        final CatchupResponseEncoder catchup = new CatchupResponseEncoder().wrapAndApplyHeader(buffer, 0, header);
        catchup.entriesCount(1).next().entryType(EntryType.NOOP).putPayload(new byte[3], 0, 3);
        assertEnumChecked(catchup.encodedLength(), CatchupResponseDecoder.BLOCK_LENGTH
            + GroupSizeEncodingDecoder.ENCODED_LENGTH + CatchupResponseDecoder.EntriesDecoder.entryTypeEncodingOffset(),
            entryType);
    }

    @Test
    void bytesAfterTheMessageAreTrailing()
    {
        for (final int templateId : RandomFrames.TEMPLATE_IDS)
        {
            final int length = frames.encode(templateId, buffer, 0);
            assertEquals(FrameCheck.TRAILING_BYTES, checker.check(buffer, 0, length + 1), "template " + templateId);
            assertEquals(FrameCheck.TRAILING_BYTES, checker.check(buffer, 0, length + 17), "template " + templateId);
        }
    }

    @Test
    void frameAtNonZeroOffsetInsideLargerBufferIsOk()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (final int templateId : RandomFrames.TEMPLATE_IDS)
        {
            for (int i = 0; i < buffer.capacity(); i++)
            {
                buffer.putByte(i, (byte)random.nextInt());
            }
            final int offset = 1 + random.nextInt(61);
            final int length = frames.encode(templateId, buffer, offset);
            assertEquals(FrameCheck.OK, checker.check(buffer, offset, length), "template " + templateId);
            assertEquals(templateId, checker.templateId());
            assertEquals(new FullDecode().decode(buffer, offset, length), new FullDecode().decode(
                copy(buffer, offset, length), 0, length), "same values as the frame copied to offset 0");
        }
    }

    @Test
    void argumentsOutsideTheBufferAreRejectedWithoutThrowing()
    {
        final int length = commandRequest(5);
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, -1, length));
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, buffer.capacity() - length + 1, length));
        assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, Integer.MAX_VALUE, length));
        assertEquals(FrameCheck.TRUNCATED, checker.check(null, 0, length));
        assertEquals(FrameCheck.TOO_SHORT, checker.check(buffer, 0, -1));
        assertEquals(FrameCheck.TOO_SHORT, checker.check(buffer, 0, Integer.MIN_VALUE));
        assertEquals(FrameCheck.OVERSIZED, checker.check(new UnsafeBuffer(new byte[FRAME_MAX + 1]), 0, FRAME_MAX + 1));
    }

    @Test
    void checkingValidFramesDoesNotAllocate()
    {
        final int count = RandomFrames.TEMPLATE_IDS.length;
        final UnsafeBuffer all = new UnsafeBuffer(new byte[count * 8 * 1024]);
        final int[] offsets = new int[count];
        final int[] lengths = new int[count];
        for (int i = 0, offset = 0; i < count; offset += lengths[i], i++)
        {
            offsets[i] = offset;
            lengths[i] = frames.encode(RandomFrames.TEMPLATE_IDS[i], all, offset);
        }

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        int ok = checkAll(all, offsets, lengths, 20_000);
        final long baselineStart = threads.getThreadAllocatedBytes(threadId);
        final long baseline = threads.getThreadAllocatedBytes(threadId) - baselineStart;
        final long before = threads.getThreadAllocatedBytes(threadId);
        ok += checkAll(all, offsets, lengths, 20_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before - baseline;

        assertEquals(2 * 20_000 * count, ok, "every frame is OK");
        assertEquals(0, allocated, "bytes allocated by " + 20_000 * count + " checks");
    }

    private int checkAll(final UnsafeBuffer all, final int[] offsets, final int[] lengths, final int rounds)
    {
        int ok = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < offsets.length; i++)
            {
                if (FrameCheck.OK == checker.check(all, offsets[i], lengths[i]))
                {
                    ok++;
                }
            }
        }

        return ok;
    }

    @Test
    void lastOkFrameIsRememberedAcrossRejections()
    {
        final int length = commandRequest(5);
        assertEquals(FrameCheck.OK, checker.check(buffer, 0, length));
        assertEquals(FrameCheck.TRAILING_BYTES, checker.check(buffer, 0, length + 1));
        assertEquals(CommandRequestDecoder.TEMPLATE_ID, checker.templateId());
        assertEquals(CommandRequestDecoder.BLOCK_LENGTH, checker.actingBlockLength());
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, checker.actingVersion());
    }

    private void assertEnumChecked(final int bodyLength, final int fieldOffset, final IntPredicate defined)
    {
        final int length = HEADER + bodyLength;
        final int offset = HEADER + fieldOffset;
        for (int raw = 0; raw < 256; raw++)
        {
            buffer.putByte(offset, (byte)raw);
            final FrameCheck expected = defined.test(raw) ? FrameCheck.OK : FrameCheck.BAD_ENUM;
            assertEquals(expected, checker.check(buffer, 0, length), "raw " + raw + " at " + offset);
        }
        assertEquals(FrameCheck.BAD_ENUM, checker.check(buffer, 0, length), "255 is the null value");
    }

    private static boolean defined(final java.util.function.BooleanSupplier lookup)
    {
        try
        {
            return lookup.getAsBoolean();
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private static boolean isSchemaTemplate(final int templateId)
    {
        for (final int id : RandomFrames.TEMPLATE_IDS)
        {
            if (id == templateId)
            {
                return true;
            }
        }

        return false;
    }

    private static UnsafeBuffer copy(final UnsafeBuffer source, final int offset, final int length)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, source, offset, length);

        return copy;
    }

    private int commandRequest(final int payloadLength)
    {
        return HEADER + new CommandRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
            .sessionId(1).sequence(2).putPayload(new byte[payloadLength], 0, payloadLength).encodedLength();
    }

    private int accept(final int count, final int payloadLength)
    {
        final AcceptEncoder encoder = new AcceptEncoder().wrapAndApplyHeader(buffer, 0, header);
        final AcceptEncoder.EntriesEncoder entries = encoder.entriesCount(count);
        for (int i = 0; i < count; i++)
        {
            entries.next().entryType(EntryType.COMMAND).putPayload(new byte[payloadLength], 0, payloadLength);
        }

        return HEADER + encoder.encodedLength();
    }
}
