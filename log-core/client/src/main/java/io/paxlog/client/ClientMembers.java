package io.paxlog.client;

import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.protocol.Member;

import java.util.Arrays;

/**
 * What the client knows of each member, by member id (0..{@value Member#ID_MAX}, sparse): which ids it knows (has a
 * publication to: those configured, then those learned from redirects), which of them the latest member list names
 * (the rotation targets), whether the session is connected there (none, connecting, open), which member it takes
 * for the leader, when it last sent each one something (for keep-alives and for reconnecting a member that may have
 * forgotten the session), how long a member has been answering REDIRECT without naming a leader, and whether a
 * leader has confirmed the session open in the cluster.
 *
 * <p>Membership: a REDIRECT may carry the cluster's latest member list; {@link #learn} adds the members not known
 * (a publication each, through the {@link ClientTransport}) and makes that list the rotation targets. Rotating "to
 * the next member" (an attempt timed out, a member without a leader) goes to the next id of the latest list after
 * the current one, wrapping around. Members no longer listed stay known (their publications are kept, a query may
 * name them) but are no longer rotated to. Ids are sets of bits in a {@code long}: 64 ids, no allocation.
 *
 * <p>A change that should retarget commands waiting elsewhere (a new leader, a member opened) bumps
 * {@link #targetsVersion()}; the {@link CommandWindow} checks its commands again when it sees a new version.
 *
 * <p>Threading: owned by one {@link PaxlogClient} and used on its thread only.
 */
final class ClientMembers
{
    static final byte NONE = 0;
    static final byte CONNECTING = 1;
    static final byte OPEN = 2;

    private static final long NULL_TIME = Long.MIN_VALUE;
    private static final long CONNECT_RETRY_NS_MAX = 5_000_000L;
    private static final long OFFER_RETRY_NS = 1_000_000L;

    private final ClientTransport transport;
    private final long attemptTimeoutNs;
    private final long keepAliveIntervalNs;
    private final long reconnectAfterIdleNs;
    private final long connectRetryNs;

    private final byte[] state = new byte[ProtocolLimits.MEMBER_IDS];
    private final boolean[] everConnected = new boolean[ProtocolLimits.MEMBER_IDS];
    private final long[] connectResendAtNs = new long[ProtocolLimits.MEMBER_IDS];
    private final long[] lastSentNs = new long[ProtocolLimits.MEMBER_IDS];
    private final long[] lastKeepAliveAttemptNs = new long[ProtocolLimits.MEMBER_IDS];
    private final long[] unknownLeaderSinceNs = new long[ProtocolLimits.MEMBER_IDS];
    /** Connects sent to each member since it last opened the session (for the message of a call never sent). */
    private final int[] connectsSent = new int[ProtocolLimits.MEMBER_IDS];
    /** Whether the latest connect to each member could not even be offered (no connection to its endpoint). */
    private final boolean[] connectUnsent = new boolean[ProtocolLimits.MEMBER_IDS];
    /** The latest session event received, in words (null: none yet); for the message of a call never sent. */
    private String lastSessionEvent;
    /** Bit {@code id} set: a member this client has a publication to. */
    private long knownIds;
    /** Bit {@code id} set: a member of the latest member list (configured or learned), a rotation target. */
    private long listedIds;
    private int leader;
    private int queryTarget = -1;
    private long nextKeepAliveCheckNs = Long.MAX_VALUE;
    private boolean clusterOpen;
    private long targetsVersion;

    /** {@code initial}: the configured members (distinct ids), with publications in {@code transport} already. */
    ClientMembers(final ClientTransport transport, final Member[] initial, final PaxlogClientContext context,
        final long startNs)
    {
        this.transport = transport;
        this.attemptTimeoutNs = context.attemptTimeoutNs();
        this.keepAliveIntervalNs = context.keepAliveIntervalNs();
        this.reconnectAfterIdleNs = context.sessionTimeoutNs() / 2;
        this.connectRetryNs = Math.max(1, Math.min(CONNECT_RETRY_NS_MAX, attemptTimeoutNs / 4));
        Arrays.fill(unknownLeaderSinceNs, NULL_TIME);
        Arrays.fill(lastSentNs, startNs);
        Arrays.fill(lastKeepAliveAttemptNs, startNs);
        for (final Member member : initial)
        {
            knownIds |= 1L << member.id();
        }
        this.listedIds = knownIds;
        this.leader = initial[0].id();
    }

    // ------------------------------------------------------------------ queries

    /** Whether {@code id} is a member this client knows (can send to); false for any other int. */
    boolean valid(final int id)
    {
        return id >= 0 && id < ProtocolLimits.MEMBER_IDS && (knownIds & (1L << id)) != 0;
    }

    /** Whether {@code id} is in the latest member list (a rotation target). */
    boolean listed(final int id)
    {
        return id >= 0 && id < ProtocolLimits.MEMBER_IDS && (listedIds & (1L << id)) != 0;
    }

    /** The ids known, ascending, for messages: "0, 2, 5". Allocates. */
    String knownIdsText()
    {
        final StringBuilder b = new StringBuilder();
        for (long bits = knownIds; bits != 0; bits &= bits - 1)
        {
            b.append(b.length() == 0 ? "" : ", ").append(Long.numberOfTrailingZeros(bits));
        }
        return b.toString();
    }

    /**
     * The member after {@code id} in the latest member list, by id, wrapping around to the lowest ({@code id} itself
     * if it is the only one listed). {@code id} need not be listed (a member removed since): the next listed above it.
     */
    int next(final int id)
    {
        final long above = id < 0 ? listedIds : id >= Member.ID_MAX ? 0 : listedIds & (-2L << id);
        return Long.numberOfTrailingZeros(above != 0 ? above : listedIds);
    }

    int leader()
    {
        return leader;
    }

    boolean isOpen(final int member)
    {
        return state[member] == OPEN;
    }

    boolean isNone(final int member)
    {
        return state[member] == NONE;
    }

    /** Bumped whenever commands waiting for another member should be looked at again. */
    long targetsVersion()
    {
        return targetsVersion;
    }

    // ------------------------------------------------------------------ changes

    /** The member a blocking query waits for (its connects are resent too); -1 for none. */
    void queryTarget(final int member)
    {
        queryTarget = member;
    }

    /** The member may have forgotten the session (no answer, a restart): connect again before using it. */
    void forget(final int member)
    {
        state[member] = NONE;
    }

    /** Something was sent to {@code member} at {@code now}. */
    void sent(final int member, final long now)
    {
        lastSentNs[member] = now;
    }

    void changeLeader(final int member)
    {
        leader = member;
        targetsVersion++; // commands waiting to connect elsewhere are retargeted on the next poll
    }

    /**
     * The cluster's latest member list, from a REDIRECT ({@link Member#parseList}: distinct ids in
     * 0..{@value Member#ID_MAX}). Members not known are added, a publication each (a known id at another address is
     * moved there and connected again before use); the list becomes the rotation targets; a leader no longer listed
     * gives way to the next listed member. A new member the media driver refuses (its host does not resolve) is left
     * out. Returns false, changing nothing more, if no member of the list could be added or was known. Waits for the
     * media driver for a new member only.
     */
    boolean learn(final Member[] list, final long now)
    {
        long listed = 0;
        for (final Member member : list)
        {
            final int id = member.id();
            final int added = transport.addMember(member);
            if (added == ClientTransport.ADDED)
            {
                knownIds |= 1L << id;
                state[id] = NONE;
                everConnected[id] = false;
                unknownLeaderSinceNs[id] = NULL_TIME;
                lastSentNs[id] = now;
                lastKeepAliveAttemptNs[id] = now;
            }
            if (valid(id))
            {
                listed |= 1L << id;
            }
        }
        if (listed == 0)
        {
            return false;
        }
        listedIds = listed;
        if (!listed(leader))
        {
            changeLeader(next(leader));
        }
        return true;
    }

    /**
     * An attempt to {@code target} got no answer: it may have forgotten the session (restart, expiry), so it is
     * reconnected before it is used again; if it is still the target, the next member becomes it, reconnected too.
     */
    void attemptTimedOut(final int target)
    {
        state[target] = NONE;
        if (leader == target)
        {
            leader = next(target);
            state[leader] = NONE;
        }
    }

    /** A member not sent anything for half the session timeout may have forgotten the session: reconnect it. */
    void refresh(final int member, final long now)
    {
        if (state[member] == OPEN && now - lastSentNs[member] >= reconnectAfterIdleNs)
        {
            state[member] = NONE;
        }
    }

    /**
     * Commands need the session open in the cluster (its open applied through the log, which only a leader
     * confirms with OPEN); a member that only answered REDIRECT has registered the session's channel, not opened
     * the session. Until an OPEN arrives, the target is connected again so that, as leader, it opens the session.
     */
    void requireClusterOpen(final int target)
    {
        if (!clusterOpen && state[target] == OPEN)
        {
            state[target] = NONE;
        }
    }

    /** The member challenged the connect: the next poll resends it (with the answer) if it is still connecting. */
    void resendConnectNow(final int member)
    {
        connectResendAtNs[member] = Long.MIN_VALUE;
    }

    void startConnect(final int member, final long now)
    {
        state[member] = CONNECTING;
        everConnected[member] = true;
        sendConnect(member, now);
    }

    private void sendConnect(final int member, final long now)
    {
        final long result = transport.offerConnect(member);
        connectUnsent[member] = result <= 0;
        if (result > 0)
        {
            connectsSent[member]++;
            lastSentNs[member] = now;
            connectResendAtNs[member] = now + connectRetryNs;
        }
        else
        {
            connectResendAtNs[member] = now + Math.min(OFFER_RETRY_NS, connectRetryNs);
        }
        nextKeepAliveCheckNs = Math.min(nextKeepAliveCheckNs, now + keepAliveIntervalNs);
    }

    private void opened(final int member)
    {
        if (state[member] != OPEN)
        {
            state[member] = OPEN;
            everConnected[member] = true;
            connectsSent[member] = 0;
            targetsVersion++;
        }
    }

    /**
     * Why a call waiting for the session at {@code member} was never sent, in words, for its timeout message: for a
     * command ({@code needsLeader}) no leader opened the session, else the member never answered the connect; with
     * the connects sent to it and the latest session event heard. Allocates.
     */
    String notOpenReason(final int member, final long sessionId, final boolean needsLeader)
    {
        final StringBuilder b = new StringBuilder();
        b.append(needsLeader && !clusterOpen ? "no leader opened session " + sessionId :
            "session " + sessionId + " was not open at member " + member);
        b.append(lastSessionEvent == null ? " (no session event received; " : " (last session event: " +
            lastSessionEvent + "; ");
        final int sent = valid(member) ? connectsSent[member] : 0;
        if (sent > 0)
        {
            b.append(sent).append(sent == 1 ? " connect" : " connects").append(" sent to member ").append(member);
        }
        else if (valid(member) && connectUnsent[member])
        {
            b.append("no connect could be sent to member ").append(member)
                .append(", not connected to it: is it running at its configured address?");
        }
        else
        {
            b.append("no connect sent to member ").append(member);
        }
        return b.append(')').toString();
    }

    /** A command was answered OK, naming {@code leaderId} (the leader that applied it). */
    void onCommandAnswered(final int leaderId)
    {
        if (valid(leaderId))
        {
            opened(leaderId);
            unknownLeaderSinceNs[leaderId] = NULL_TIME;
        }
    }

    /**
     * {@code target} answered a command with REDIRECT naming {@code leaderId}. Returns true if that names another
     * member this client knows, now taken for the leader (resend at once); false if the member knows no leader (an
     * election) or names one this client does not know (a members list the redirect carried was learned first): then
     * the command is asked again shortly, and if the member stays without a leader for attemptTimeoutNs while it is
     * the target, the next member becomes the target.
     */
    boolean onCommandRedirect(final int target, final int leaderId, final long now)
    {
        if (valid(leaderId) && leaderId != target)
        {
            unknownLeaderSinceNs[target] = NULL_TIME;
            if (leader != leaderId)
            {
                changeLeader(leaderId);
            }
            return true;
        }
        if (unknownLeaderSinceNs[target] == NULL_TIME)
        {
            unknownLeaderSinceNs[target] = now;
        }
        else if (now - unknownLeaderSinceNs[target] >= attemptTimeoutNs && leader == target)
        {
            unknownLeaderSinceNs[target] = NULL_TIME;
            changeLeader(next(target));
        }
        return false;
    }

    /**
     * An OPEN session event: sent by the leader, which names itself, once the session's open is applied through
     * the log. Connects are resent until answered, so events come in duplicates: an event counts only for a member
     * still connecting, and a late duplicate (say from a former leader) changes nothing.
     */
    void onOpenEvent(final int leaderId)
    {
        lastSessionEvent = "OPEN from member " + leaderId;
        clusterOpen = true;
        if (valid(leaderId))
        {
            if (state[leaderId] == CONNECTING)
            {
                opened(leaderId);
            }
        }
        else
        {
            openConnecting(-1);
        }
    }

    /**
     * A REDIRECT session event: sent by a follower, which the event does not name: one of those connecting that is
     * not the leader it names. The follower now knows the session (it can serve reads and keep-alives).
     */
    void onRedirectEvent(final int leaderId)
    {
        lastSessionEvent = "REDIRECT naming " + (leaderId >= 0 ? "member " + leaderId : "no leader");
        if (openConnecting(leaderId) && valid(leaderId) && leader != leaderId)
        {
            changeLeader(leaderId);
        }
    }

    /** A REJECTED session event: the members connecting refused the session; a later call connects again. */
    void onRejectedEvent()
    {
        lastSessionEvent = "REJECTED";
        for (long bits = knownIds; bits != 0; bits &= bits - 1)
        {
            final int m = Long.numberOfTrailingZeros(bits);
            if (state[m] == CONNECTING)
            {
                state[m] = NONE;
            }
        }
    }

    /** Opens the members connecting, but {@code except}; true if there was one. */
    private boolean openConnecting(final int except)
    {
        boolean any = false;
        for (long bits = knownIds; bits != 0; bits &= bits - 1)
        {
            final int m = Long.numberOfTrailingZeros(bits);
            if (m != except && state[m] == CONNECTING)
            {
                opened(m);
                any = true;
            }
        }
        return any;
    }

    // ------------------------------------------------------------------ duty cycle

    /** Resends connects that got no session event yet, and sends the keep-alives due. Returns the work done. */
    int poll(final long now)
    {
        int work = resendConnects(now);
        if (now >= nextKeepAliveCheckNs)
        {
            work += keepAlives(now);
        }
        return work;
    }

    /** Connects are resent until a session event arrives, to the members a command or query waits for. */
    private int resendConnects(final long now)
    {
        int work = 0;
        for (long bits = knownIds; bits != 0; bits &= bits - 1)
        {
            final int m = Long.numberOfTrailingZeros(bits);
            if (state[m] == CONNECTING && (m == leader || m == queryTarget) && now >= connectResendAtNs[m])
            {
                sendConnect(m, now);
                work++;
            }
        }
        return work;
    }

    /** A SessionKeepAlive to every member ever connected that was sent nothing for keepAliveIntervalNs. */
    private int keepAlives(final long now)
    {
        int work = 0;
        long next = Long.MAX_VALUE;
        for (long bits = knownIds; bits != 0; bits &= bits - 1)
        {
            final int m = Long.numberOfTrailingZeros(bits);
            if (!everConnected[m])
            {
                continue;
            }
            final long last = Math.max(lastSentNs[m], lastKeepAliveAttemptNs[m]);
            if (now - last >= keepAliveIntervalNs)
            {
                lastKeepAliveAttemptNs[m] = now;
                if (transport.offerKeepAlive(m) > 0)
                {
                    lastSentNs[m] = now;
                }
                work++;
                next = Math.min(next, now + keepAliveIntervalNs);
            }
            else
            {
                next = Math.min(next, last + keepAliveIntervalNs);
            }
        }
        nextKeepAliveCheckNs = next;
        return work;
    }
}
