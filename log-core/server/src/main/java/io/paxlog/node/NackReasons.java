package io.paxlog.node;

import io.paxlog.core.NackReason;

/**
 * The core's {@link NackReason} and the wire's {@code io.paxlog.codecs.NackReason}, mapped by name, never by
 * position: reordering or inserting a constant in either enum cannot make one reason read as another. Every core
 * reason must exist on the wire under its name (checked when this class loads; NackReasonsTest checks both ways).
 * Tables built once; lookups allocate nothing.
 */
final class NackReasons
{
    private static final io.paxlog.codecs.NackReason[] TO_WIRE = new io.paxlog.codecs.NackReason[NackReason.values().length];
    private static final NackReason[] FROM_WIRE = new NackReason[256];

    static
    {
        for (final NackReason reason : NackReason.values())
        {
            final io.paxlog.codecs.NackReason wire = io.paxlog.codecs.NackReason.valueOf(reason.name());
            TO_WIRE[reason.ordinal()] = wire;
            FROM_WIRE[wire.value()] = reason;
        }
    }

    private NackReasons()
    {
    }

    /** The wire value of {@code reason}. */
    static io.paxlog.codecs.NackReason toWire(final NackReason reason)
    {
        return TO_WIRE[reason.ordinal()];
    }

    /** The core reason a received raw wire value stands for; null for a value the core does not know (dropped). */
    static NackReason fromWire(final short raw)
    {
        return raw < 0 || raw >= FROM_WIRE.length ? null : FROM_WIRE[raw];
    }
}
