package io.paxlog.core;

/**
 * A ballot is (round, nodeId) packed into one long, ordered by round then nodeId, so plain {@code long}
 * comparison orders ballots. Ballot {@link #NONE} (0) is below every real ballot; real rounds start at 1.
 */
public final class Ballot
{
    public static final long NONE = 0L;
    public static final int NODE_ID_BITS = 16;
    public static final int NODE_ID_MAX = (1 << NODE_ID_BITS) - 1;

    private Ballot()
    {
    }

    public static long of(final long round, final int nodeId)
    {
        Invariants.check(round >= 0 && round < (1L << (63 - NODE_ID_BITS)), "ballot round out of range");
        Invariants.check(nodeId >= 0 && nodeId <= NODE_ID_MAX, "ballot nodeId out of range");
        return (round << NODE_ID_BITS) | nodeId;
    }

    public static long round(final long ballot)
    {
        return ballot >>> NODE_ID_BITS;
    }

    public static int nodeId(final long ballot)
    {
        return (int)(ballot & NODE_ID_MAX);
    }

    /** The smallest ballot owned by {@code nodeId} that is above {@code seen}. */
    public static long nextAbove(final long seen, final int nodeId)
    {
        return of(round(seen) + 1, nodeId);
    }

    public static String toString(final long ballot)
    {
        return ballot == NONE ? "none" : round(ballot) + "." + nodeId(ballot);
    }
}
