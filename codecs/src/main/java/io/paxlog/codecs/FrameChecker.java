package io.paxlog.codecs;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.ToIntFunction;

import org.agrona.DirectBuffer;

/**
 * Validates a received frame completely before anything decodes it, so the generated decoders only ever see
 * well-formed messages of this schema.
 *
 * <p>{@link #check} reads the message header, checks the schema id, version, template id and block length, then
 * walks every repeating group and var-data field of that message in schema order, checking each length against the
 * end of the frame and the configured limits and each enum field against the values the schema defines, and finally
 * that the message ends exactly at {@code offset + length}. The layout of every message is declared once, below,
 * from the generated codecs' constants (block lengths, enum offsets), so it cannot drift from the generated code.
 *
 * <p>Schema evolution: a block length larger than the known fixed block is accepted (a newer producer appended
 * fields; decoders skip by the acting block length); a smaller one is rejected. Every field of the current schema
 * of version 1 is required of every accepted version; what a later version appended (fields with
 * {@code sinceVersion="N"}, such as StatusResponse's version-2 fields and its {@code followers} group, or the
 * version-3 {@code credentials} of SessionConnect and the admin requests and {@code challenge} of SessionEvent) is
 * required only of frames whose header says version N or later: such a message has one layout per version, newest first, and
 * a frame is checked against the newest layout its version carries.
 *
 * <p>Never throws for any bytes, any offset or any length: it reads the bytes itself (the generated decoders bound
 * nothing by the frame end), every read is preceded by its own bounds check against the frame end, and an offset or
 * length outside the buffer (or a null buffer) is reported as {@link FrameCheck#TRUNCATED}.
 * Does not allocate. Not thread-safe: use one instance per thread (it remembers the last OK frame's header).
 */
public final class FrameChecker
{
    /** Largest var-data length the schema allows ({@code varDataEncoding} maxValue). */
    public static final int VAR_DATA_LENGTH_LIMIT = 1_073_741_824;
    /** Largest group count an SBE {@code uint16} numInGroup may carry (65535 is its null value). */
    public static final int GROUP_COUNT_LIMIT = 65_534;

    private static final ByteOrder ORDER = MessageHeaderDecoder.BYTE_ORDER;
    private static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    private static final int VAR_DATA_HEADER_LENGTH = 4;
    private static final int BLOCK_LENGTH_OFFSET = MessageHeaderDecoder.blockLengthEncodingOffset();
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int SCHEMA_ID_OFFSET = MessageHeaderDecoder.schemaIdEncodingOffset();
    private static final int VERSION_OFFSET = MessageHeaderDecoder.versionEncodingOffset();
    private static final int GROUP_BLOCK_LENGTH_OFFSET = GroupSizeEncodingDecoder.blockLengthEncodingOffset();
    private static final int GROUP_COUNT_OFFSET = GroupSizeEncodingDecoder.numInGroupEncodingOffset();

    private static final Block[] NO_GROUPS = new Block[0];
    private static final EnumField[] NO_ENUMS = new EnumField[0];
    private static final Block[] LAYOUTS = layouts();

    private final int frameLengthMax;
    private final int groupCountMax;
    private final int varDataLengthMax;
    private int position;
    private int templateId = -1;
    private int actingBlockLength = -1;
    private int actingVersion = -1;

    /**
     * @param frameLengthMax   longest frame accepted, header included; longer frames are {@link FrameCheck#OVERSIZED}.
     * @param groupCountMax    largest count accepted in any repeating group, at most {@link #GROUP_COUNT_LIMIT}.
     * @param varDataLengthMax longest var-data field accepted, at most {@link #VAR_DATA_LENGTH_LIMIT}.
     */
    public FrameChecker(final int frameLengthMax, final int groupCountMax, final int varDataLengthMax)
    {
        if (frameLengthMax < HEADER_LENGTH)
        {
            throw new IllegalArgumentException("frameLengthMax must hold a message header: " + frameLengthMax);
        }
        if (groupCountMax < 0 || groupCountMax > GROUP_COUNT_LIMIT)
        {
            throw new IllegalArgumentException(
                "groupCountMax outside [0, " + GROUP_COUNT_LIMIT + "]: " + groupCountMax);
        }
        if (varDataLengthMax < 0 || varDataLengthMax > VAR_DATA_LENGTH_LIMIT)
        {
            throw new IllegalArgumentException(
                "varDataLengthMax outside [0, " + VAR_DATA_LENGTH_LIMIT + "]: " + varDataLengthMax);
        }
        this.frameLengthMax = frameLengthMax;
        this.groupCountMax = groupCountMax;
        this.varDataLengthMax = varDataLengthMax;
    }

    /**
     * Checks that {@code length} bytes at {@code offset} of {@code buffer} are exactly one well-formed message of
     * this schema. On {@link FrameCheck#OK}, {@link #templateId()}, {@link #actingBlockLength()} and
     * {@link #actingVersion()} describe the frame; on any other verdict they still describe the last OK frame.
     *
     * @return the verdict; never null, never throws.
     */
    public FrameCheck check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return FrameCheck.TOO_SHORT;
        }
        if (null == buffer || offset < 0 || offset > buffer.capacity() - length)
        {
            return FrameCheck.TRUNCATED;
        }
        if (length > frameLengthMax)
        {
            return FrameCheck.OVERSIZED;
        }

        final int blockLength = buffer.getShort(offset + BLOCK_LENGTH_OFFSET, ORDER) & 0xFFFF;
        final int template = buffer.getShort(offset + TEMPLATE_ID_OFFSET, ORDER) & 0xFFFF;
        final int schemaId = buffer.getShort(offset + SCHEMA_ID_OFFSET, ORDER) & 0xFFFF;
        final int version = buffer.getShort(offset + VERSION_OFFSET, ORDER) & 0xFFFF;
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID)
        {
            return FrameCheck.WRONG_SCHEMA;
        }
        if (0 == version || version > MessageHeaderDecoder.SCHEMA_VERSION)
        {
            return FrameCheck.BAD_VERSION;
        }
        Block layout = template < LAYOUTS.length ? LAYOUTS[template] : null;
        while (null != layout && version < layout.sinceVersion)
        {
            layout = layout.older;
        }
        if (null == layout)
        {
            return FrameCheck.UNKNOWN_TEMPLATE;
        }
        if (blockLength < layout.blockLength || blockLength > frameLengthMax - HEADER_LENGTH)
        {
            return FrameCheck.BAD_BLOCK_LENGTH;
        }

        final int end = offset + length;
        final int blockOffset = offset + HEADER_LENGTH;
        if (end - blockOffset < blockLength)
        {
            return FrameCheck.TRUNCATED;
        }
        if (!enumsValid(layout, buffer, blockOffset))
        {
            return FrameCheck.BAD_ENUM;
        }
        position = blockOffset + blockLength;

        final FrameCheck verdict = walkMembers(layout, buffer, end);
        if (FrameCheck.OK != verdict)
        {
            return verdict;
        }
        if (position != end)
        {
            return FrameCheck.TRAILING_BYTES;
        }

        templateId = template;
        actingBlockLength = blockLength;
        actingVersion = version;

        return FrameCheck.OK;
    }

    /** Template id of the last frame found {@link FrameCheck#OK}, or -1 before the first. */
    public int templateId()
    {
        return templateId;
    }

    /** Block length in the header of the last frame found {@link FrameCheck#OK}, or -1 before the first. */
    public int actingBlockLength()
    {
        return actingBlockLength;
    }

    /** Schema version in the header of the last frame found {@link FrameCheck#OK}, or -1 before the first. */
    public int actingVersion()
    {
        return actingVersion;
    }

    /** Whether {@code templateId} names a message this checker knows the layout of. */
    public static boolean isKnownTemplate(final int templateId)
    {
        return templateId >= 0 && templateId < LAYOUTS.length && null != LAYOUTS[templateId];
    }

    private FrameCheck walkMembers(final Block block, final DirectBuffer buffer, final int end)
    {
        for (final Block group : block.groups)
        {
            final FrameCheck verdict = walkGroup(group, buffer, end);
            if (FrameCheck.OK != verdict)
            {
                return verdict;
            }
        }

        for (int i = 0; i < block.varDataCount; i++)
        {
            if (end - position < VAR_DATA_HEADER_LENGTH)
            {
                return FrameCheck.TRUNCATED;
            }
            final long dataLength = buffer.getInt(position, ORDER) & 0xFFFF_FFFFL;
            if (dataLength > varDataLengthMax)
            {
                return FrameCheck.OVERSIZED;
            }
            if (dataLength > end - position - VAR_DATA_HEADER_LENGTH)
            {
                return FrameCheck.TRUNCATED;
            }
            position += VAR_DATA_HEADER_LENGTH + (int)dataLength;
        }

        return FrameCheck.OK;
    }

    private FrameCheck walkGroup(final Block group, final DirectBuffer buffer, final int end)
    {
        if (end - position < GROUP_HEADER_LENGTH)
        {
            return FrameCheck.TRUNCATED;
        }
        final int blockLength = buffer.getShort(position + GROUP_BLOCK_LENGTH_OFFSET, ORDER) & 0xFFFF;
        final int count = buffer.getShort(position + GROUP_COUNT_OFFSET, ORDER) & 0xFFFF;
        position += GROUP_HEADER_LENGTH;

        if (count > groupCountMax)
        {
            return FrameCheck.OVERSIZED;
        }
        if (blockLength < group.blockLength || blockLength > frameLengthMax)
        {
            return FrameCheck.BAD_BLOCK_LENGTH;
        }
        if ((long)count * (blockLength + group.minTailLength) > end - position)
        {
            return FrameCheck.TRUNCATED;
        }

        for (int i = 0; i < count; i++)
        {
            if (end - position < blockLength)
            {
                return FrameCheck.TRUNCATED;
            }
            if (!enumsValid(group, buffer, position))
            {
                return FrameCheck.BAD_ENUM;
            }
            position += blockLength;

            final FrameCheck verdict = walkMembers(group, buffer, end);
            if (FrameCheck.OK != verdict)
            {
                return verdict;
            }
        }

        return FrameCheck.OK;
    }

    private static boolean enumsValid(final Block block, final DirectBuffer buffer, final int blockOffset)
    {
        for (final EnumField field : block.enums)
        {
            if (!field.valid[buffer.getByte(blockOffset + field.offset) & 0xFF])
            {
                return false;
            }
        }

        return true;
    }

    // ---------------------------------------------------------------- layouts of the schema's messages

    /** Indexed by template id: block(fixed block length, groups, number of var-data fields, enum fields...). */
    private static Block[] layouts()
    {
        final boolean[] entryType = validValues(EntryType.values(), EntryType.NULL_VAL, EntryType::value);
        Block[] t = new Block[0];

        t = put(t, PrepareDecoder.TEMPLATE_ID, block(PrepareDecoder.BLOCK_LENGTH, NO_GROUPS, 0));
        // version 6 appended coverFromSlot and coverToSlot to the promise's root block (promises in parts)
        final Block promiseEntries = block(PromiseDecoder.EntriesDecoder.sbeBlockLength(), NO_GROUPS, 1,
            field(PromiseDecoder.EntriesDecoder.entryTypeEncodingOffset(),
                PromiseDecoder.EntriesDecoder.entryTypeEncodingLength(), entryType));
        t = put(t, PromiseDecoder.TEMPLATE_ID, since(PromiseDecoder.coverFromSlotSinceVersion(),
            block(PromiseDecoder.BLOCK_LENGTH, new Block[]{ promiseEntries }, 0),
            block(PromiseDecoder.coverFromSlotEncodingOffset(), new Block[]{ promiseEntries }, 0)));
        t = put(t, NackDecoder.TEMPLATE_ID, block(NackDecoder.BLOCK_LENGTH, NO_GROUPS, 0,
            field(NackDecoder.reasonEncodingOffset(), NackDecoder.reasonEncodingLength(),
                validValues(NackReason.values(), NackReason.NULL_VAL, NackReason::value))));
        t = put(t, AcceptDecoder.TEMPLATE_ID, block(AcceptDecoder.BLOCK_LENGTH, new Block[]{ block(
            AcceptDecoder.EntriesDecoder.sbeBlockLength(), NO_GROUPS, 1,
            field(AcceptDecoder.EntriesDecoder.entryTypeEncodingOffset(),
                AcceptDecoder.EntriesDecoder.entryTypeEncodingLength(), entryType)) }, 0));
        t = put(t, AcceptedDecoder.TEMPLATE_ID, block(AcceptedDecoder.BLOCK_LENGTH, NO_GROUPS, 0));
        t = put(t, CatchupRequestDecoder.TEMPLATE_ID, block(CatchupRequestDecoder.BLOCK_LENGTH, NO_GROUPS, 0));
        t = put(t, CatchupResponseDecoder.TEMPLATE_ID, block(CatchupResponseDecoder.BLOCK_LENGTH, new Block[]{ block(
            CatchupResponseDecoder.EntriesDecoder.sbeBlockLength(), NO_GROUPS, 1,
            field(CatchupResponseDecoder.EntriesDecoder.entryTypeEncodingOffset(),
                CatchupResponseDecoder.EntriesDecoder.entryTypeEncodingLength(), entryType)) }, 0));
        t = put(t, SnapshotChunkDecoder.TEMPLATE_ID, block(SnapshotChunkDecoder.BLOCK_LENGTH, NO_GROUPS, 1));
        // version 3 appended a credentials var-data field to the connect and the admin requests, and a challenge
        // to the session event: one more var-data field from version 3 on, the same fixed blocks
        t = put(t, SessionConnectDecoder.TEMPLATE_ID, plusVarData(SessionConnectDecoder.credentialsSinceVersion(),
            block(SessionConnectDecoder.BLOCK_LENGTH, NO_GROUPS, 1)));
        // version 5 appended the members list to the session event and the command response
        t = put(t, SessionEventDecoder.TEMPLATE_ID, plusVarData(SessionEventDecoder.membersSinceVersion(),
            plusVarData(SessionEventDecoder.challengeSinceVersion(),
            block(SessionEventDecoder.BLOCK_LENGTH, NO_GROUPS, 1,
            field(SessionEventDecoder.codeEncodingOffset(), SessionEventDecoder.codeEncodingLength(),
                validValues(SessionEventCode.values(), SessionEventCode.NULL_VAL, SessionEventCode::value))))));
        t = put(t, CommandRequestDecoder.TEMPLATE_ID, block(CommandRequestDecoder.BLOCK_LENGTH, NO_GROUPS, 1));
        t = put(t, QueryRequestDecoder.TEMPLATE_ID, block(QueryRequestDecoder.BLOCK_LENGTH, NO_GROUPS, 1,
            field(QueryRequestDecoder.consistencyEncodingOffset(), QueryRequestDecoder.consistencyEncodingLength(),
                validValues(ReadConsistency.values(), ReadConsistency.NULL_VAL, ReadConsistency::value))));
        t = put(t, CommandResponseDecoder.TEMPLATE_ID, plusVarData(CommandResponseDecoder.membersSinceVersion(),
            block(CommandResponseDecoder.BLOCK_LENGTH, NO_GROUPS, 1,
            field(CommandResponseDecoder.statusEncodingOffset(), CommandResponseDecoder.statusEncodingLength(),
                validValues(CommandStatus.values(), CommandStatus.NULL_VAL, CommandStatus::value)))));
        t = put(t, SessionKeepAliveDecoder.TEMPLATE_ID, block(SessionKeepAliveDecoder.BLOCK_LENGTH, NO_GROUPS, 0));
        t = put(t, SessionCloseDecoder.TEMPLATE_ID, block(SessionCloseDecoder.BLOCK_LENGTH, NO_GROUPS, 0));
        t = put(t, StatusRequestDecoder.TEMPLATE_ID, plusVarData(StatusRequestDecoder.credentialsSinceVersion(),
            block(StatusRequestDecoder.BLOCK_LENGTH, NO_GROUPS, 1)));
        t = put(t, SnapshotRequestDecoder.TEMPLATE_ID, plusVarData(SnapshotRequestDecoder.credentialsSinceVersion(),
            block(SnapshotRequestDecoder.BLOCK_LENGTH, NO_GROUPS, 1)));
        t = put(t, FaultRequestDecoder.TEMPLATE_ID, plusVarData(FaultRequestDecoder.credentialsSinceVersion(),
            block(FaultRequestDecoder.BLOCK_LENGTH, NO_GROUPS, 1)));
        final EnumField role = field(StatusResponseDecoder.roleEncodingOffset(),
            StatusResponseDecoder.roleEncodingLength(), validValues(NodeRole.values(), NodeRole.NULL_VAL, NodeRole::value));
        // version 1 ended where the version-2 fields (leaderId first) begin, and had no followers group
        final Block statusResponseV1 = block(StatusResponseDecoder.leaderIdEncodingOffset(), NO_GROUPS, 0, role);
        final EnumField faultOutcome = field(StatusResponseDecoder.faultOutcomeEncodingOffset(),
            StatusResponseDecoder.faultOutcomeEncodingLength(),
            validValues(FaultOutcome.values(), FaultOutcome.NULL_VAL, FaultOutcome::value));
        final Block followers = block(StatusResponseDecoder.FollowersDecoder.sbeBlockLength(), NO_GROUPS, 0);
        // version 5 added the configuration group (each member's voting state) and the configuration as text
        final Block configuration = block(StatusResponseDecoder.ConfigurationDecoder.sbeBlockLength(), NO_GROUPS, 0,
            field(StatusResponseDecoder.ConfigurationDecoder.votingStateEncodingOffset(),
                StatusResponseDecoder.ConfigurationDecoder.votingStateEncodingLength(),
                validValues(VotingState.values(), VotingState.NULL_VAL, VotingState::value)));
        t = put(t, StatusResponseDecoder.TEMPLATE_ID, since(StatusResponseDecoder.configurationDetailSinceVersion(),
            block(StatusResponseDecoder.BLOCK_LENGTH, new Block[]{ followers, configuration }, 1, role, faultOutcome),
            since(StatusResponseDecoder.leaderIdSinceVersion(),
            block(StatusResponseDecoder.BLOCK_LENGTH, new Block[]{ followers }, 0, role, faultOutcome),
            statusResponseV1)));
        t = put(t, MembershipRequestDecoder.TEMPLATE_ID, block(MembershipRequestDecoder.BLOCK_LENGTH, NO_GROUPS, 3));
        t = put(t, MembershipResponseDecoder.TEMPLATE_ID, block(MembershipResponseDecoder.BLOCK_LENGTH, NO_GROUPS, 1,
            field(MembershipResponseDecoder.outcomeEncodingOffset(), MembershipResponseDecoder.outcomeEncodingLength(),
                validValues(MembershipOutcome.values(), MembershipOutcome.NULL_VAL, MembershipOutcome::value))));
        t = put(t, JournalPromiseDecoder.TEMPLATE_ID, block(JournalPromiseDecoder.BLOCK_LENGTH, NO_GROUPS, 0));
        t = put(t, JournalAcceptedDecoder.TEMPLATE_ID, block(JournalAcceptedDecoder.BLOCK_LENGTH, NO_GROUPS, 1,
            field(JournalAcceptedDecoder.entryTypeEncodingOffset(), JournalAcceptedDecoder.entryTypeEncodingLength(),
                entryType)));
        t = put(t, JournalCommitDecoder.TEMPLATE_ID, block(JournalCommitDecoder.BLOCK_LENGTH, NO_GROUPS, 0));
        t = put(t, JournalSegmentDecoder.TEMPLATE_ID, block(JournalSegmentDecoder.BLOCK_LENGTH, NO_GROUPS, 0));

        return t;
    }

    private static Block[] put(final Block[] layouts, final int templateId, final Block layout)
    {
        final Block[] grown = templateId < layouts.length ? layouts : Arrays.copyOf(layouts, templateId + 1);
        if (null != grown[templateId])
        {
            throw new IllegalStateException("template id declared twice: " + templateId);
        }
        grown[templateId] = layout;

        return grown;
    }

    private static Block block(
        final int blockLength, final Block[] groups, final int varDataCount, final EnumField... enums)
    {
        return new Block(blockLength, enums.length == 0 ? NO_ENUMS : enums, groups, varDataCount, 0, null);
    }

    /** {@code newer}, required of frames of {@code sinceVersion} or later; older frames are checked as {@code older}. */
    private static Block since(final int sinceVersion, final Block newer, final Block older)
    {
        return new Block(newer.blockLength, newer.enums, newer.groups, newer.varDataCount, sinceVersion, older);
    }

    /** {@code older} with one more var-data field from {@code sinceVersion} on (and {@code older} before it). */
    private static Block plusVarData(final int sinceVersion, final Block older)
    {
        return since(sinceVersion, new Block(older.blockLength, older.enums, older.groups, older.varDataCount + 1, 0,
            null), older);
    }

    private static EnumField field(final int offset, final int encodingLength, final boolean[] valid)
    {
        if (1 != encodingLength)
        {
            throw new IllegalStateException("only uint8 enums are checked; encoding length " + encodingLength);
        }

        return new EnumField(offset, valid);
    }

    private static <E extends Enum<E>> boolean[] validValues(
        final E[] values, final E nullValue, final ToIntFunction<E> raw)
    {
        final boolean[] valid = new boolean[256];
        for (final E value : values)
        {
            if (value != nullValue)
            {
                valid[raw.applyAsInt(value)] = true;
            }
        }

        return valid;
    }

    /** An enum field at a fixed offset of a block and the raw values the schema defines for it. */
    private static final class EnumField
    {
        final int offset;
        final boolean[] valid;

        EnumField(final int offset, final boolean[] valid)
        {
            this.offset = offset;
            this.valid = valid;
        }
    }

    /** The shape of a message or of a group entry: fixed block, enum fields, groups, then var-data fields. */
    private static final class Block
    {
        final int blockLength;
        final EnumField[] enums;
        final Block[] groups;
        final int varDataCount;
        /** Fewest bytes an entry needs after its fixed block: one header per group and per var-data field. */
        final int minTailLength;
        /** The first schema version with this layout; frames of older versions are checked as {@link #older}. */
        final int sinceVersion;
        final Block older;

        Block(final int blockLength, final EnumField[] enums, final Block[] groups, final int varDataCount,
            final int sinceVersion, final Block older)
        {
            this.sinceVersion = sinceVersion;
            this.older = older;
            this.blockLength = blockLength;
            this.enums = enums;
            this.groups = groups;
            this.varDataCount = varDataCount;
            this.minTailLength = groups.length * GROUP_HEADER_LENGTH + varDataCount * VAR_DATA_HEADER_LENGTH;
        }
    }
}
