package io.paxlog.node;

import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.core.Membership;
import io.paxlog.protocol.Member;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every member address a node has seen, by member id (0..{@value Member#ID_MAX}): those of its configuration file,
 * then those of each configuration entry it decodes (in a frame, in its journal, in a snapshot) or proposes. The
 * core addresses peers by id only; this book is how the runtime reaches them, and which senders it hears at all (a
 * frame from an id not in the book is no member's). Ids are never forgotten (a removed member may still hold the
 * entries a lagging one needs); an id seen again with another address moves there. Bounded by the
 * {@value ProtocolLimits#MEMBER_IDS} ids.
 *
 * <p>A configuration entry's payload is the core's header ({@link Membership#HEADER_LENGTH} bytes) followed by
 * this runtime's tail: the members' addresses as {@code id=host:consensusPort:clientPort,...} in UTF-8, the
 * format of {@code paxlog.cluster.members}.
 *
 * <p>Threading: the node's duty-cycle thread.
 */
final class AddressBook
{
    /** Told of each new or moved address, on the thread that learned it. */
    @FunctionalInterface
    interface Listener
    {
        void onAddress(Member member);
    }

    /** The longest tail accepted: the longest text of a member list. */
    static final int TAIL_LENGTH_MAX = Member.LIST_TEXT_LENGTH_MAX;

    private final Member[] byId = new Member[Member.ID_MAX + 1];
    private final int selfId;
    private Listener listener;
    private boolean hearUnknown;
    private long learned;

    AddressBook(final int selfId, final Member[] initial)
    {
        this.selfId = selfId;
        for (final Member m : initial)
        {
            byId[m.id()] = m;
        }
    }

    /** Where new addresses are reported from now on (those already known are reported now, self excepted). */
    void listener(final Listener listener)
    {
        this.listener = listener;
        for (final Member m : byId)
        {
            if (m != null && m.id() != selfId)
            {
                listener.onAddress(m);
            }
        }
    }

    /**
     * Whether a frame from {@code id} is heard: an id with an address, or, while this node is a joiner that no
     * configuration it knows lists yet ({@link #hearUnknown}), any id: it cannot know who leads now until the leader's
     * first frames (a snapshot, configuration entries) tell it, and it answers only those whose address it learned.
     */
    boolean hears(final int id)
    {
        return known(id) || (hearUnknown && id >= 0 && id < byId.length);
    }

    /** See {@link #hears}: set while this node joins and is in no configuration it knows. */
    void hearUnknown(final boolean hearUnknown)
    {
        this.hearUnknown = hearUnknown;
    }

    /** Whether {@code id} is an id this node has an address for (a member of some configuration it saw). */
    boolean known(final int id)
    {
        return id >= 0 && id < byId.length && byId[id] != null;
    }

    Member member(final int id)
    {
        return known(id) ? byId[id] : null;
    }

    /** Records {@code member}'s address; true if it was new or moved. */
    boolean learn(final Member member)
    {
        final Member before = byId[member.id()];
        if (member.equals(before))
        {
            return false;
        }
        if (member.id() == selfId && before != null)
        {
            return false; // a node's own address is what it was started with
        }
        byId[member.id()] = member;
        learned++;
        if (listener != null && member.id() != selfId)
        {
            listener.onAddress(member);
        }
        return true;
    }

    /** Learns the addresses in a configuration entry's payload (header then tail); false if the tail is malformed. */
    boolean learnConfig(final byte[] payload, final int offset, final int length)
    {
        final Member[] members = parseTail(payload, offset, length);
        if (members == null)
        {
            return false;
        }
        for (final Member m : members)
        {
            learn(m);
        }
        return true;
    }

    /**
     * The members a configuration entry's payload lists; an empty array for an entry without a tail (a simulator's,
     * or a test's); null if the header or the tail is malformed.
     */
    static Member[] parseTail(final byte[] payload, final int offset, final int length)
    {
        if (length < Membership.HEADER_LENGTH || Membership.decode(payload, offset, length) == null)
        {
            return null;
        }
        final int tailLength = length - Membership.HEADER_LENGTH;
        if (tailLength == 0)
        {
            return new Member[0];
        }
        if (tailLength > TAIL_LENGTH_MAX)
        {
            return null;
        }
        try
        {
            return Member.parseList(new String(payload, offset + Membership.HEADER_LENGTH, tailLength,
                StandardCharsets.UTF_8));
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
    }

    /** The tail for a configuration of {@code members} (ids): their addresses, as this book has them. */
    byte[] tail(final long members)
    {
        return Member.format(list(members)).getBytes(StandardCharsets.UTF_8);
    }

    /** The known members among {@code members} (ids), by id. */
    Member[] list(final long members)
    {
        final List<Member> list = new ArrayList<>();
        for (long rest = members; rest != 0; rest &= rest - 1)
        {
            final int id = Long.numberOfTrailingZeros(rest);
            if (byId[id] != null)
            {
                list.add(byId[id]);
            }
        }
        return list.toArray(new Member[0]);
    }

    /** Addresses learned (new or moved) since the node started. */
    long learnedCount()
    {
        return learned;
    }
}
