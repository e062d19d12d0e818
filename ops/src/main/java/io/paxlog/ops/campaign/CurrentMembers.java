package io.paxlog.ops.campaign;

import io.paxlog.client.AdminClient;
import io.paxlog.protocol.Member;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Who the campaign's members are now. A campaign starts with the cluster file's members; a replacement
 * ({@link MemberReplacement}) swaps one for a new member on the same host. Members are kept by <em>slot</em>: slot i
 * is a host (a namespace and address), and the member in it changes when it is replaced, so faults that pick a
 * host or a member by slot target the new member from then on, and the other slots are untouched.
 *
 * <p>Also holds the admin client for the current members ({@link #admin()}): a replacement makes a new one that
 * knows the new member (element i of {@link AdminClient#statusAll} is the member in slot i at the time it was made);
 * earlier ones stay open until {@link #close()}, as another thread may still be using one.
 *
 * <p>And the members taken by something that must not be disturbed: the process faults of the nemesis and the
 * replacement {@link #claim} the members they act on, so no fault kills or pauses a member being replaced and the
 * replacement never picks a member a fault holds down. Thread-safe.
 */
final class CurrentMembers implements AutoCloseable
{
    private final Function<Member[], AdminClient> adminFactory;
    private final List<AdminClient> retired = new ArrayList<>();
    private Member[] members;
    private String[] netns;
    private AdminClient admin;
    /** Ids claimed ({@link #claim}), one bit each. */
    private long claimed;

    /**
     * @param adminFactory makes an admin client for the given members (tests may return null)
     */
    CurrentMembers(final ClusterFile cluster, final Function<Member[], AdminClient> adminFactory)
    {
        this.members = cluster.members().clone();
        this.netns = cluster.memberNetns().clone();
        this.adminFactory = adminFactory;
        this.admin = adminFactory.apply(members.clone());
    }

    synchronized int size()
    {
        return members.length;
    }

    /** The id of the member in slot {@code slot}. */
    synchronized int id(final int slot)
    {
        return members[slot].id();
    }

    synchronized Member member(final int slot)
    {
        return members[slot];
    }

    /** The network namespace of slot {@code slot} (null when not on namespace hosts). */
    synchronized String netns(final int slot)
    {
        return netns[slot];
    }

    /** The slot member {@code id} is in, or -1 if it is not a current member. */
    synchronized int slotOf(final int id)
    {
        for (int i = 0; i < members.length; i++)
        {
            if (members[i].id() == id)
            {
                return i;
            }
        }
        return -1;
    }

    /** The current members, by slot. */
    synchronized Member[] members()
    {
        return members.clone();
    }

    /** The current members' ids, by slot. */
    synchronized int[] ids()
    {
        return Arrays.stream(members).mapToInt(Member::id).toArray();
    }

    /** The admin client for the current members. */
    synchronized AdminClient admin()
    {
        return admin;
    }

    /**
     * Member {@code oldId} was replaced by {@code replacement}, in the same slot (its host), with namespace
     * {@code replacementNetns}: from now on everything that picks that slot gets the new member.
     */
    void replace(final int oldId, final Member replacement, final String replacementNetns)
    {
        final Member[] next;
        final int slot;
        synchronized (this)
        {
            slot = slotOf(oldId);
            if (slot < 0)
            {
                throw new IllegalArgumentException("member " + oldId + " is not a current member");
            }
            next = members.clone();
            next[slot] = replacement;
        }
        final AdminClient nextAdmin = adminFactory.apply(next.clone()); // launches a media driver: not under the lock
        synchronized (this)
        {
            members = next;
            netns = netns.clone();
            netns[slot] = replacementNetns;
            if (admin != null)
            {
                retired.add(admin);
            }
            admin = nextAdmin;
        }
    }

    /** Claims member {@code id} for something that must not be disturbed; false if it is claimed already. */
    synchronized boolean claim(final int id)
    {
        if ((claimed & (1L << id)) != 0)
        {
            return false;
        }
        claimed |= 1L << id;
        return true;
    }

    synchronized void release(final int id)
    {
        claimed &= ~(1L << id);
    }

    synchronized boolean claimed(final int id)
    {
        return (claimed & (1L << id)) != 0;
    }

    @Override
    public void close()
    {
        final List<AdminClient> all;
        synchronized (this)
        {
            all = new ArrayList<>(retired);
            if (admin != null)
            {
                all.add(admin);
            }
            retired.clear();
            admin = null;
        }
        for (final AdminClient a : all)
        {
            try
            {
                a.close();
            }
            catch (final RuntimeException ignored)
            {
                // closing at the end of the campaign
            }
        }
    }
}
