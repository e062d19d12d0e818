package io.paxlog.codecs;

/**
 * Text forms of wire values, for programs that read frames without the protocol core (the admin client): a
 * ballot as {@code round.nodeId}, a set of member ids as {@code [0,1,2]}. They print what the core's
 * {@code Ballot.toString} and {@code Membership.ids} print, so node logs and admin output agree;
 * {@code ConstantsAgreeTest} (log-core) fails when they differ.
 */
public final class ProtocolText
{
    private static final long NODE_ID_MASK = (1L << ProtocolLimits.BALLOT_NODE_ID_BITS) - 1;

    private ProtocolText()
    {
    }

    /**
     * A ballot as the frames carry it ({@link ProtocolLimits#BALLOT_NODE_ID_BITS}): {@code round.nodeId}, or
     * "none" for 0.
     */
    public static String ballot(final long ballot)
    {
        return ballot == 0 ? "none" :
            (ballot >>> ProtocolLimits.BALLOT_NODE_ID_BITS) + "." + (ballot & NODE_ID_MASK);
    }

    /** The member ids in a bit set (bit {@code id} set for each), as {@code [0,1,2]}. */
    public static String memberIds(final long set)
    {
        final StringBuilder sb = new StringBuilder("[");
        long rest = set;
        while (rest != 0)
        {
            final int id = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
            sb.append(id).append(rest == 0 ? "" : ",");
        }
        return sb.append(']').toString();
    }
}
