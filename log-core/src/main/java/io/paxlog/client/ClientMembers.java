package io.paxlog.client;

import java.util.Arrays;

/**
 * What the client knows of each member: whether the session is connected there (none, connecting, open), which
 * member it takes for the leader, when it last sent each one something (for keep-alives and for reconnecting a
 * member that may have forgotten the session), how long a member has been answering REDIRECT without naming a
 * leader, and whether a leader has confirmed the session open in the cluster.
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
    private final int memberCount;
    private final long attemptTimeoutNs;
    private final long keepAliveIntervalNs;
    private final long reconnectAfterIdleNs;
    private final long connectRetryNs;

    private final byte[] state;
    private final boolean[] everConnected;
    private final long[] connectResendAtNs;
    private final long[] lastSentNs;
    private final long[] lastKeepAliveAttemptNs;
    private final long[] unknownLeaderSinceNs;
    private int leader;
    private int queryTarget = -1;
    private long nextKeepAliveCheckNs = Long.MAX_VALUE;
    private boolean clusterOpen;
    private long targetsVersion;

    ClientMembers(final ClientTransport transport, final int memberCount, final PaxlogClientContext context,
        final long startNs)
    {
        this.transport = transport;
        this.memberCount = memberCount;
        this.attemptTimeoutNs = context.attemptTimeoutNs();
        this.keepAliveIntervalNs = context.keepAliveIntervalNs();
        this.reconnectAfterIdleNs = context.sessionTimeoutNs() / 2;
        this.connectRetryNs = Math.max(1, Math.min(CONNECT_RETRY_NS_MAX, attemptTimeoutNs / 4));
        this.state = new byte[memberCount];
        this.everConnected = new boolean[memberCount];
        this.connectResendAtNs = new long[memberCount];
        this.lastSentNs = new long[memberCount];
        this.lastKeepAliveAttemptNs = new long[memberCount];
        this.unknownLeaderSinceNs = new long[memberCount];
        Arrays.fill(unknownLeaderSinceNs, NULL_TIME);
        Arrays.fill(lastSentNs, startNs);
        Arrays.fill(lastKeepAliveAttemptNs, startNs);
        this.leader = 0;
    }

    // ------------------------------------------------------------------ queries

    int count()
    {
        return memberCount;
    }

    boolean valid(final int id)
    {
        return id >= 0 && id < memberCount;
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
     * An attempt to {@code target} got no answer: it may have forgotten the session (restart, expiry), so it is
     * reconnected before it is used again; if it is still the target, the next member becomes it, reconnected too.
     */
    void attemptTimedOut(final int target)
    {
        state[target] = NONE;
        if (leader == target)
        {
            leader = (target + 1) % memberCount;
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
        if (result > 0)
        {
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
            targetsVersion++;
        }
    }

    // ------------------------------------------------------------------ answers

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
     * member, now taken for the leader (resend at once); false if the member knows no leader (an election): then
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
            changeLeader((target + 1) % memberCount);
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
        if (openConnecting(leaderId) && valid(leaderId) && leader != leaderId)
        {
            changeLeader(leaderId);
        }
    }

    /** A REJECTED session event: the members connecting refused the session; a later call connects again. */
    void onRejectedEvent()
    {
        for (int m = 0; m < memberCount; m++)
        {
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
        for (int m = 0; m < memberCount; m++)
        {
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
        for (int m = 0; m < memberCount; m++)
        {
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
        for (int m = 0; m < memberCount; m++)
        {
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
