package io.paxlog.replica;

import io.paxlog.sm.StateMachineHost;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The leader's side of the session lifecycle and of log time, which the replicated {@link StateMachineHost}
 * cannot see: when a client was last heard from (commands, queries, keep-alives reach only the nodes a client
 * talks to), which session opens it proposed, when a silent session must be closed through the log, and when
 * a tick entry must be written so due timers fire on an idle log.
 *
 * <p>Every node tracks when it last heard from each session, so a new leader starts from what it saw itself;
 * and a new leader gives every session a full TTL from the moment it took over before closing it. Proposals are
 * retried after {@link #RETRY_NS} if they did not take effect (lost with a leader change, back-pressure).
 * Bounded by the host's sessions. Threading: the node's duty-cycle thread.
 */
public final class SessionKeeper
{
    static final long RETRY_NS = 1_000_000_000L;
    private static final long SCAN_INTERVAL_NS = 50_000_000L;
    /** "Never": far in the past, yet {@code nowNs - NEVER} does not overflow. */
    private static final long NEVER = Long.MIN_VALUE / 2;

    /** Proposes a host event entry (sequence 0) for {@code sessionId}; returns the slot or a negative code. */
    @FunctionalInterface
    public interface Proposer
    {
        long propose(long sessionId, DirectBuffer payload, int offset, int length);
    }

    private final StateMachineHost host;
    private final long defaultTtlMs;
    private final Long2LongHashMap lastHeardNs = new Long2LongHashMap(NEVER);
    private final Long2LongHashMap openProposedNs = new Long2LongHashMap(NEVER);
    private final Long2LongHashMap closeProposedNs = new Long2LongHashMap(NEVER);
    private final LongArrayList ids = new LongArrayList();
    private final UnsafeBuffer openEvent = new UnsafeBuffer(new byte[16]);
    private final UnsafeBuffer closeEvent = new UnsafeBuffer(StateMachineHost.closeEvent());
    private final UnsafeBuffer tickEvent = new UnsafeBuffer(StateMachineHost.tickEvent());
    private long leaderSinceNs;
    private long lastScanNs;
    private long tickProposedNs = NEVER;

    public SessionKeeper(final StateMachineHost host, final long defaultTtlMs)
    {
        this.host = host;
        this.defaultTtlMs = defaultTtlMs;
    }

    /** This node just became leader: sessions get a full TTL from now, earlier proposals are forgotten. */
    public void onBecameLeader(final long nowNs)
    {
        leaderSinceNs = nowNs;
        openProposedNs.clear();
        closeProposedNs.clear();
        tickProposedNs = NEVER;
    }

    public void heard(final long sessionId, final long nowNs)
    {
        if (host.hasSession(sessionId) || openProposedNs.containsKey(sessionId))
        {
            lastHeardNs.put(sessionId, nowNs);
        }
    }

    /**
     * Proposes opening {@code sessionId} with {@code ttlMs} (0 for the default) and exactly-once {@code window} (as
     * {@link StateMachineHost#windowFor(int)} takes it) unless an open is already in flight; returns false on
     * back-pressure (the client retries its connect).
     */
    public boolean proposeOpen(final long sessionId, final long ttlMs, final int window, final long nowNs,
        final Proposer proposer)
    {
        final long proposedAt = openProposedNs.get(sessionId);
        if (proposedAt != NEVER && nowNs - proposedAt < RETRY_NS)
        {
            return true;
        }
        final int length = StateMachineHost.openEvent(openEvent, 0, ttlMs > 0 ? ttlMs : defaultTtlMs, window);
        if (proposer.propose(sessionId, openEvent, 0, length) <= 0)
        {
            return false;
        }
        openProposedNs.put(sessionId, nowNs);
        lastHeardNs.put(sessionId, nowNs);
        return true;
    }

    /** The client closed its session: propose closing it through the log (its locks are released). */
    public void proposeClose(final long sessionId, final long nowNs, final Proposer proposer)
    {
        if (host.hasSession(sessionId) && nowNs - closeProposedNs.get(sessionId) >= RETRY_NS &&
            proposer.propose(sessionId, closeEvent, 0, 1) > 0)
        {
            closeProposedNs.put(sessionId, nowNs);
        }
    }

    public void onOpened(final long sessionId)
    {
        openProposedNs.remove(sessionId);
    }

    public void onClosed(final long sessionId)
    {
        closeProposedNs.remove(sessionId);
        lastHeardNs.remove(sessionId);
    }

    public void onTick()
    {
        tickProposedNs = NEVER;
    }

    /**
     * Leader duties: close silent sessions, tick when timers are due. {@code nowNs} is this node's clock,
     * {@code logNowNs} the log time an entry proposed now would carry. Returns entries proposed.
     */
    public int duties(final long nowNs, final long logNowNs, final Proposer proposer)
    {
        int proposed = 0;
        if (host.nextTimerDeadlineNs() <= logNowNs && nowNs - tickProposedNs >= RETRY_NS &&
            proposer.propose(0, tickEvent, 0, 1) > 0)
        {
            tickProposedNs = nowNs;
            proposed++;
        }
        if (nowNs - lastScanNs < SCAN_INTERVAL_NS)
        {
            return proposed;
        }
        lastScanNs = nowNs;
        host.sessionIds(ids);
        for (int i = 0; i < ids.size(); i++)
        {
            final long id = ids.getLong(i);
            final long since = Math.max(lastHeardNs.get(id), leaderSinceNs);
            if (nowNs - since > host.sessionTtlNs(id) && nowNs - closeProposedNs.get(id) >= RETRY_NS &&
                proposer.propose(id, closeEvent, 0, 1) > 0)
            {
                closeProposedNs.put(id, nowNs);
                proposed++;
            }
        }
        return proposed;
    }
}
