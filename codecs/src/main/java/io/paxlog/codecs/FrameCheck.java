package io.paxlog.codecs;

/**
 * The verdict of {@link FrameChecker#check} on one received frame. Only {@link #OK} frames may be decoded; every
 * other verdict names the first problem found, in the order the checker looks: header, limits, schema, version,
 * template, fixed block, then each group and var-data field in schema order, then the end of the message.
 */
public enum FrameCheck
{
    /** The frame is one complete, well-formed message of this schema; it may be decoded. */
    OK,

    /** The frame is shorter than a message header. */
    TOO_SHORT,

    /** The header's schema id is not this schema's id. */
    WRONG_SCHEMA,

    /** The header's version is 0 or newer than the schema version the codecs were generated from. */
    BAD_VERSION,

    /** The header's template id names no message of this schema. */
    UNKNOWN_TEMPLATE,

    /**
     * A block length (of the message or of a group entry) is smaller than the fixed block the schema requires for
     * the acting version, or too large for any frame to hold.
     */
    BAD_BLOCK_LENGTH,

    /** The fixed block, a group or a var-data field runs past the end of the frame (or of the buffer). */
    TRUNCATED,

    /** The frame is longer than the configured maximum, or a group count or var-data length exceeds its limit. */
    OVERSIZED,

    /** The message ends before the end of the frame. */
    TRAILING_BYTES,

    /** An enum field holds a value the schema does not define (the null value included: every enum is required). */
    BAD_ENUM
}
