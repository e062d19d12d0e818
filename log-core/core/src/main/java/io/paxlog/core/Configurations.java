package io.paxlog.core;

/**
 * The configurations this node knows (docs/membership.md): the committed one, which governs the slot after the
 * commit point, and the configuration entries its log holds above the commit point, each of which governs the
 * slots above its own once committed. A leader fences its proposals behind an uncommitted configuration entry, so
 * in a healthy cluster at most one is pending; more can linger from deposed leaders until they are overwritten
 * or committed. Many more are pending, for a moment, wherever entries arrive ahead of the commit point that covers
 * them: a journal replay sees a whole catch-up batch (up to {@code paxlog.catchup.entries.max} slots, every
 * configuration entry in it) before the commit mark written after it. So the list grows as needed (the simulator
 * found a joiner that could not restart when a fixed bound of 16 was exceeded).
 *
 * <p>Threading and determinism: owned by one {@link ConsensusNode}; pure; allocates only when a configuration
 * entry is stored.
 */
final class Configurations
{
    /** Room for this many pending entries from the start; the list doubles when it needs more. */
    static final int PENDING_MAX = 16;

    private Membership committed;
    private long committedAtSlot;
    private long[] pendingSlots = new long[PENDING_MAX];
    private Membership[] pending = new Membership[PENDING_MAX];
    private int pendingCount;

    Configurations(final Membership initial)
    {
        this.committed = initial;
    }

    /** Starts over from {@code membership}, committed at {@code atSlot} (a snapshot's), dropping pending ones. */
    void reset(final Membership membership, final long atSlot)
    {
        committed = membership;
        committedAtSlot = atSlot;
        java.util.Arrays.fill(pending, null);
        pendingCount = 0;
    }

    /** The configuration governing the slot after the commit point. */
    Membership committed()
    {
        return committed;
    }

    /** The slot of the entry that set {@link #committed()} (0 for the initial configuration). */
    long committedAtSlot()
    {
        return committedAtSlot;
    }

    int pendingCount()
    {
        return pendingCount;
    }

    long pendingSlot(final int i)
    {
        return pendingSlots[i];
    }

    Membership pending(final int i)
    {
        return pending[i];
    }

    /** The newest configuration known: the highest pending one, else the committed one. */
    Membership latest()
    {
        return pendingCount == 0 ? committed : pending[pendingCount - 1];
    }

    /** Every member (voter or learner) of every configuration that may govern a slot above the commit point. */
    long membersInEffect()
    {
        long members = committed.members();
        for (int i = 0; i < pendingCount; i++)
        {
            members |= pending[i].members();
        }
        return members;
    }

    /** The configuration governing {@code slot} (set by the latest configuration entry below it). */
    Membership governing(final long slot)
    {
        for (int i = pendingCount - 1; i >= 0; i--)
        {
            if (pendingSlots[i] < slot)
            {
                return pending[i];
            }
        }
        return committed;
    }

    /** The lowest pending configuration slot at or above {@code slot}, or Long.MAX_VALUE. */
    long pendingSlotAtOrAbove(final long slot)
    {
        for (int i = 0; i < pendingCount; i++)
        {
            if (pendingSlots[i] >= slot)
            {
                return pendingSlots[i];
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * The log now holds {@code entry} at {@code slot} (above the commit point): a configuration entry there is
     * recorded, anything else replaces what was recorded there. An entry that does not decode as a configuration
     * counts as none (adapters validate configuration payloads; a leader never proposes an invalid one).
     */
    void onStored(final long slot, final Entry entry)
    {
        final int at = indexOf(slot);
        if (at >= 0)
        {
            removeAt(at);
        }
        if (!entry.isConfig())
        {
            return;
        }
        final Membership m = Membership.decode(entry.payloadArray(), entry.payloadOffset(), entry.payloadLength());
        if (m == null)
        {
            return;
        }
        if (pendingCount == pending.length)
        {
            pendingSlots = java.util.Arrays.copyOf(pendingSlots, pendingCount * 2);
            pending = java.util.Arrays.copyOf(pending, pendingCount * 2);
        }
        int i = pendingCount;
        while (i > 0 && pendingSlots[i - 1] > slot)
        {
            pendingSlots[i] = pendingSlots[i - 1];
            pending[i] = pending[i - 1];
            i--;
        }
        pendingSlots[i] = slot;
        pending[i] = m;
        pendingCount++;
    }

    /** The commit point reached {@code commitSlot}: pending configurations at or below it become committed. */
    void onCommitted(final long commitSlot)
    {
        while (pendingCount > 0 && pendingSlots[0] <= commitSlot)
        {
            committed = pending[0];
            committedAtSlot = pendingSlots[0];
            removeAt(0);
        }
    }

    private int indexOf(final long slot)
    {
        for (int i = 0; i < pendingCount; i++)
        {
            if (pendingSlots[i] == slot)
            {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(final int at)
    {
        for (int i = at; i < pendingCount - 1; i++)
        {
            pendingSlots[i] = pendingSlots[i + 1];
            pending[i] = pending[i + 1];
        }
        pendingCount--;
        pending[pendingCount] = null;
    }
}
