package io.paxlog.sim;

import io.paxlog.check.KvKind;
import io.paxlog.check.KvOp;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.LockTable;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;

/**
 * A simulated client process. It opens a session (through the leader, which writes the open into the log and
 * answers once it is applied), then runs one operation at a time with increasing sequence numbers: key-value
 * operations (checked for linearizability) and lock operations on the real lock table (checked for exclusivity
 * and fencing by {@link Simulation}). Follows redirects, retries the same sequence on timeout against other
 * nodes, and gives up after a deadline (the operation is then recorded as never returned: it may or may not have
 * taken effect). When the cluster closes its session (silent longer than its TTL, for example behind a
 * partition) the client records the operation in flight as indeterminate and opens a new session.
 */
final class SimClient
{
    static final long ATTEMPT_TIMEOUT_NS = 60_000_000L;
    static final long OP_DEADLINE_NS = 1_500_000_000L;
    static final long SESSION_TTL_MS = 500;
    /** The exactly-once window each session asks for: this client keeps one command in flight. */
    static final int SESSION_WINDOW = 8;
    static final int KEYS = 3;
    static final int LOCKS = 2;
    private static final int SESSION_ID_STRIDE = 1000;

    final int endpoint;
    final int index;
    private final Simulation sim;
    private final SplittableRandom random;
    private final long[] heldTokens = new long[LOCKS];

    private long sessionId;
    private int sessionEpoch;
    private boolean sessionOpen;
    private boolean openSent;
    private boolean openRedirected;
    private long sequence;
    private boolean busy;
    private KvKind kind;
    private int lockOp;
    private long key;
    private long arg1;
    private long arg2;
    private long invokeNs;
    private int target;
    private long attemptDeadlineNs;
    private int attempt;
    private boolean attemptAnswered;
    private boolean stopped;
    private long lastValue;

    SimClient(final int index, final int endpoint, final int nodes, final Simulation sim, final long seed)
    {
        this.index = index;
        this.endpoint = endpoint;
        this.sim = sim;
        this.random = new SplittableRandom(seed * 7919 + index);
        this.target = random.nextInt(nodes);
        newSession();
    }

    private void newSession()
    {
        sessionId = index + 1 + (long)SESSION_ID_STRIDE * sessionEpoch++;
        sessionOpen = false;
        openSent = false;
        sequence = 0;
        java.util.Arrays.fill(heldTokens, 0);
    }

    boolean busy()
    {
        return busy || (!sessionOpen && !stopped);
    }

    void stop()
    {
        stopped = true;
    }

    /** Timer: open the session, start a new operation when idle, or retry/give up when the attempt timed out. */
    void onWake()
    {
        final long now = sim.now();
        if (!sessionOpen)
        {
            if (!stopped && now >= attemptDeadlineNs)
            {
                if (openSent && !openRedirected)
                {
                    target = sim.nextContact(target); // no answer: try another member
                }
                sendOpen(now);
            }
            return;
        }
        if (!busy)
        {
            if (!stopped)
            {
                invoke(now);
            }
            return;
        }
        if (now - invokeNs >= OP_DEADLINE_NS)
        {
            finish(now, false, 0, 0, false);
            sim.scheduleClient(this, now + 1_000_000L);
            return;
        }
        if (now >= attemptDeadlineNs)
        {
            target = sim.nextContact(target);
            sendAttempt(now);
        }
    }

    private void sendOpen(final long now)
    {
        attemptDeadlineNs = now + ATTEMPT_TIMEOUT_NS;
        openSent = true;
        openRedirected = false;
        sim.send(endpoint, target, new Msg.SessionOpen(sessionId, SESSION_TTL_MS, SESSION_WINDOW));
        sim.scheduleClient(this, attemptDeadlineNs);
    }

    private void invoke(final long now)
    {
        sequence++;
        busy = true;
        attempt = 0;
        invokeNs = now;
        kind = null;
        lockOp = 0;
        final int r = random.nextInt(100);
        if (r < 85)
        {
            key = random.nextInt(KEYS);
            if (r < 25)
            {
                kind = KvKind.READ;
            }
            else if (r < 45)
            {
                kind = KvKind.WRITE;
                arg1 = sim.uniqueValue();
            }
            else if (r < 65)
            {
                kind = KvKind.CAS;
                arg1 = random.nextInt(3) == 0 ? sim.recentValue(random) : lastValue;
                arg2 = sim.uniqueValue();
            }
            else
            {
                kind = KvKind.ADD;
                arg1 = 1 + random.nextInt(5);
            }
        }
        else
        {
            key = random.nextInt(LOCKS);
            if (heldTokens[(int)key] != 0 || r >= 97)
            {
                lockOp = 2;
            }
            else
            {
                lockOp = 1;
                arg1 = random.nextInt(3) * 100L;
            }
            sim.safety().noteLockOp(sessionId, sequence, (int)key, lockOp == 1);
        }
        sendAttempt(now);
    }

    private byte[] command()
    {
        if (kind != null)
        {
            return sim.largeCommand(sessionId, sequence) ? KvCommand.encodeLarge(kind, key, arg1, arg2) :
                KvCommand.encode(kind, key, arg1, arg2);
        }
        final String name = "lock-" + key;
        return lockOp == 1 ? LockCommands.acquire(name, arg1) : LockCommands.release(name);
    }

    private void sendAttempt(final long now)
    {
        attempt++;
        attemptAnswered = false;
        attemptDeadlineNs = now + ATTEMPT_TIMEOUT_NS;
        sim.send(endpoint, target, new Msg.ClientRequest(sessionId, sequence, command()));
        sim.scheduleClient(this, attemptDeadlineNs);
    }

    void onMessage(final int from, final Msg msg)
    {
        if (msg instanceof Msg.ClientResponse r)
        {
            onResponse(from, r);
        }
        else if (msg instanceof Msg.SessionEvent e && e.sessionId() == sessionId)
        {
            onSessionEvent(from, e);
        }
    }

    private void onSessionEvent(final int from, final Msg.SessionEvent e)
    {
        final long now = sim.now();
        switch (e.code())
        {
            case OPEN:
                if (!sessionOpen)
                {
                    sessionOpen = true;
                    target = from;
                    sim.scheduleClient(this, now + random.nextLong(2_000_000L));
                }
                return;
            case REDIRECT:
                if (!sessionOpen)
                {
                    target = e.leaderHint() >= 0 && e.leaderHint() != from ? e.leaderHint() : sim.nextContact(from);
                    openRedirected = true;
                    attemptDeadlineNs = now + 1_000_000L + random.nextLong(2_000_000L);
                    sim.scheduleClient(this, attemptDeadlineNs);
                }
                return;
            case CLOSED:
            case REJECTED: // refused (too many sessions, a bad TTL): the simulated clients start a new one
                sessionClosed(now);
                return;
            default:
                throw new IllegalStateException("code " + e.code());
        }
    }

    private void sessionClosed(final long now)
    {
        if (busy)
        {
            finish(now, false, 0, 0, true);
        }
        newSession();
        attemptDeadlineNs = now;
        sim.scheduleClient(this, now + 1_000_000L);
    }

    private void onResponse(final int from, final Msg.ClientResponse r)
    {
        if (r.sessionId() != sessionId || !busy || r.sequence() != sequence ||
            (attemptAnswered && r.status() != Msg.Status.OK))
        {
            return;
        }
        attemptAnswered = true;
        final long now = sim.now();
        switch (r.status())
        {
            case OK:
                // the answer's bytes, read for this client's own command (as a real client reads its answer)
                final long result = SimResults.forCommand(command(), new UnsafeBuffer(r.result()), r.result().length);
                if (kind == KvKind.READ || kind == KvKind.ADD)
                {
                    lastValue = result;
                }
                if (lockOp == 1 && SimResults.status(result) == LockTable.GRANTED)
                {
                    heldTokens[(int)key] = SimResults.token(result);
                }
                else if (lockOp == 2)
                {
                    heldTokens[(int)key] = 0;
                }
                finish(now, true, result, r.slot(), false);
                sim.scheduleClient(this, now + random.nextLong(3_000_000L));
                return;
            case REDIRECT:
                target = r.leaderHint() >= 0 && r.leaderHint() != from ? r.leaderHint() : sim.nextContact(from);
                sim.scheduleRetry(this, attempt, now + 1_000_000L + random.nextLong(2_000_000L));
                return;
            case BUSY:
                sim.scheduleRetry(this, attempt, now + 5_000_000L);
                return;
            case SESSION_CLOSED:
                sessionClosed(now);
                return;
            default:
                throw new IllegalStateException("client " + index + " seq " + sequence + ": status " + r.status());
        }
    }

    /** Ends the operation in flight: answered, given up, or cut off by the session closing. */
    private void finish(final long now, final boolean returned, final long result, final long slot,
        final boolean sessionClosed)
    {
        busy = false;
        if (kind != null)
        {
            sim.record(new KvOp(index, kind, key, arg1, arg2, invokeNs, returned ? now : Long.MAX_VALUE, returned,
                result), sessionId, sequence, slot, sessionClosed);
        }
        else if (!returned && !sessionClosed)
        {
            sim.lockOpGaveUp(index, invokeNs);
        }
    }

    /** Re-sends the current attempt now (after a redirect or back-pressure). */
    void retryNow(final int forAttempt)
    {
        if (busy && forAttempt == attempt)
        {
            sendAttempt(sim.now());
        }
    }
}
