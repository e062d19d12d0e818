package io.paxlog.core;

import java.util.Arrays;

/**
 * One configuration of the cluster (docs/membership.md): the voters, the learners (members that receive the log
 * but count in no quorum), the accept quorum W and the election quorum R, with W + R greater than the number of
 * voters. Members are ids 0..{@value #MEMBERS_MAX}-1 held as bit sets. Immutable; a new one is made only when a
 * configuration entry is decoded or proposed, so quorum counting on the hot path allocates nothing.
 *
 * <p>Encoded as the payload of a configuration entry: version byte, voters, learners (little-endian longs),
 * W, R (little-endian shorts), then an opaque tail the runtime owns (member addresses) which the core carries
 * but never reads.
 */
public final class Membership
{
    public static final int MEMBERS_MAX = 64;
    static final byte VERSION = 1;
    /** Bytes before the runtime's tail. */
    public static final int HEADER_LENGTH = 1 + 8 + 8 + 2 + 2;

    private final long voters;
    private final long learners;
    private final int acceptQuorum;
    private final int electionQuorum;
    private final int voterCount;

    private Membership(final long voters, final long learners, final int acceptQuorum, final int electionQuorum)
    {
        this.voters = voters;
        this.learners = learners;
        this.acceptQuorum = acceptQuorum;
        this.electionQuorum = electionQuorum;
        this.voterCount = Long.bitCount(voters);
    }

    /** Why these figures make no configuration, or null if they do. */
    public static String invalidReason(final long voters, final long learners, final int acceptQuorum,
        final int electionQuorum)
    {
        final int n = Long.bitCount(voters);
        if (n == 0)
        {
            return "a configuration needs at least one voter";
        }
        if ((voters & learners) != 0)
        {
            return "member " + Long.numberOfTrailingZeros(voters & learners) + " is both a voter and a learner";
        }
        if (acceptQuorum < 1 || acceptQuorum > n || electionQuorum < 1 || electionQuorum > n)
        {
            return "W and R must be in 1.." + n + " (W=" + acceptQuorum + " R=" + electionQuorum + ")";
        }
        if (acceptQuorum + electionQuorum <= n)
        {
            return "W + R must exceed the number of voters (W=" + acceptQuorum + " R=" + electionQuorum + " N=" + n + ")";
        }
        return null;
    }

    /** A configuration; throws IllegalArgumentException with {@link #invalidReason} when the figures make none. */
    public static Membership of(final long voters, final long learners, final int acceptQuorum,
        final int electionQuorum)
    {
        final String reason = invalidReason(voters, learners, acceptQuorum, electionQuorum);
        if (reason != null)
        {
            throw new IllegalArgumentException(reason);
        }
        return new Membership(voters, learners, acceptQuorum, electionQuorum);
    }

    /** A configuration with no validation: only for the planted bug that allows W + R <= N. */
    static Membership unchecked(final long voters, final long learners, final int acceptQuorum,
        final int electionQuorum)
    {
        return new Membership(voters, learners, acceptQuorum, electionQuorum);
    }

    /** Voters 0..n-1 with the given quorums (0 means a majority), no learners: the static cluster of old. */
    public static Membership firstN(final int n, final int acceptQuorum, final int electionQuorum)
    {
        final int majority = n / 2 + 1;
        final long voters = n == MEMBERS_MAX ? -1L : (1L << n) - 1;
        return of(voters, 0, acceptQuorum == 0 ? majority : acceptQuorum,
            electionQuorum == 0 ? majority : electionQuorum);
    }

    public long voters()
    {
        return voters;
    }

    public long learners()
    {
        return learners;
    }

    /** Voters and learners: everyone the leader sends the log to. */
    public long members()
    {
        return voters | learners;
    }

    public int voterCount()
    {
        return voterCount;
    }

    public int acceptQuorum()
    {
        return acceptQuorum;
    }

    public int electionQuorum()
    {
        return electionQuorum;
    }

    /** N - R + 1 voters: every such set meets every election quorum. */
    public int leaseQuorum()
    {
        return voterCount - electionQuorum + 1;
    }

    public boolean isVoter(final int id)
    {
        return id >= 0 && id < MEMBERS_MAX && (voters & (1L << id)) != 0;
    }

    public boolean isLearner(final int id)
    {
        return id >= 0 && id < MEMBERS_MAX && (learners & (1L << id)) != 0;
    }

    public boolean isMember(final int id)
    {
        return isVoter(id) || isLearner(id);
    }

    /** True if the members in {@code promised} include an election quorum of this configuration's voters. */
    boolean electionQuorumIn(final long promised)
    {
        return Long.bitCount(promised & voters) >= electionQuorum;
    }

    /** True if, with the members in {@code refused} refusing, no election quorum of voters is left. */
    boolean electionQuorumImpossible(final long refused)
    {
        return voterCount - Long.bitCount(refused & voters) < electionQuorum;
    }

    /**
     * The {@code k}-th largest of {@code perMember[id]} over the voters (ids index {@code perMember}), using
     * {@code scratch} (at least {@link #voterCount()} long) so nothing is allocated.
     */
    long kthLargestOverVoters(final long[] perMember, final int k, final long[] scratch)
    {
        return kthLargestOverVoters(perMember, k, scratch, -1, 0);
    }

    /** As above, with member {@code selfId}'s value taken as {@code selfValue} instead of its element. */
    private long kthLargestOverVoters(final long[] perMember, final int k, final long[] scratch, final int selfId,
        final long selfValue)
    {
        int n = 0;
        long rest = voters;
        while (rest != 0)
        {
            final int id = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
            scratch[n++] = id == selfId ? selfValue : perMember[id];
        }
        Arrays.sort(scratch, 0, n);
        return scratch[n - k];
    }

    /** The highest slot W voters hold, given each member's contiguous held slot. */
    long acceptQuorumSlot(final long[] heldSlot, final long[] scratch)
    {
        return kthLargestOverVoters(heldSlot, acceptQuorum, scratch);
    }

    /** As above, with the leader's own held slot ({@code selfSlot}) in place of its element. */
    long acceptQuorumSlot(final long[] heldSlot, final int selfId, final long selfSlot, final long[] scratch)
    {
        return kthLargestOverVoters(heldSlot, acceptQuorum, scratch, selfId, selfSlot);
    }

    /** The lease quorum's oldest time in {@code timesNs} (Long.MIN_VALUE entries count as never). */
    long leaseQuorumTime(final long[] timesNs, final long[] scratch)
    {
        return kthLargestOverVoters(timesNs, leaseQuorum(), scratch);
    }

    /** Writes the header at {@code offset} of {@code dst}; returns {@link #HEADER_LENGTH}. */
    public int encodeHeader(final byte[] dst, final int offset)
    {
        dst[offset] = VERSION;
        putLong(dst, offset + 1, voters);
        putLong(dst, offset + 9, learners);
        putShort(dst, offset + 17, acceptQuorum);
        putShort(dst, offset + 19, electionQuorum);
        return HEADER_LENGTH;
    }

    /** Decodes a configuration entry's header; null if it is not one this version understands or is invalid. */
    public static Membership decode(final byte[] src, final int offset, final int length)
    {
        if (length < HEADER_LENGTH || src[offset] != VERSION)
        {
            return null;
        }
        final long voters = getLong(src, offset + 1);
        final long learners = getLong(src, offset + 9);
        final int w = getShort(src, offset + 17);
        final int r = getShort(src, offset + 19);
        return invalidReason(voters, learners, w, r) == null ? new Membership(voters, learners, w, r) : null;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof Membership m && m.voters == voters && m.learners == learners &&
            m.acceptQuorum == acceptQuorum && m.electionQuorum == electionQuorum;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(voters * 31 + learners) * 31 + acceptQuorum * 7 + electionQuorum;
    }

    @Override
    public String toString()
    {
        return "voters=" + ids(voters) + " learners=" + ids(learners) + " W=" + acceptQuorum + " R=" + electionQuorum;
    }

    /** The ids in a bit set, as {@code [0,1,2]}. */
    public static String ids(final long set)
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

    private static void putLong(final byte[] b, final int at, final long v)
    {
        for (int i = 0; i < 8; i++)
        {
            b[at + i] = (byte)(v >>> (8 * i));
        }
    }

    private static long getLong(final byte[] b, final int at)
    {
        long v = 0;
        for (int i = 7; i >= 0; i--)
        {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static void putShort(final byte[] b, final int at, final int v)
    {
        b[at] = (byte)v;
        b[at + 1] = (byte)(v >>> 8);
    }

    private static int getShort(final byte[] b, final int at)
    {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }
}
