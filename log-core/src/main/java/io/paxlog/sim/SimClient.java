package io.paxlog.sim;

import io.paxlog.check.KvKind;
import io.paxlog.check.KvOp;

import java.util.SplittableRandom;

/**
 * A simulated client process: one operation outstanding at a time, carried in a session with increasing
 * sequence numbers. Follows redirects, retries the same sequence on timeout against other nodes, and gives up
 * after a deadline (the operation is then recorded as never returned: it may or may not have taken effect).
 */
final class SimClient
{
    static final long ATTEMPT_TIMEOUT_NS = 60_000_000L;
    static final long OP_DEADLINE_NS = 1_500_000_000L;
    static final int KEYS = 3;

    final int endpoint;
    final int index;
    final long sessionId;
    private final Simulation sim;
    private final SplittableRandom random;
    private final int nodes;

    private long sequence;
    private boolean busy;
    private KvKind kind;
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
        this.sessionId = index + 1;
        this.nodes = nodes;
        this.sim = sim;
        this.random = new SplittableRandom(seed * 7919 + index);
        this.target = random.nextInt(nodes);
    }

    boolean busy()
    {
        return busy;
    }

    void stop()
    {
        stopped = true;
    }

    /** Timer: start a new operation when idle, or retry/give up when the attempt timed out. */
    void onWake()
    {
        final long now = sim.now();
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
            sim.record(new KvOp(index, kind, key, arg1, arg2, invokeNs, Long.MAX_VALUE, false, 0), sequence, 0);
            busy = false;
            sim.scheduleClient(this, now + 1_000_000L);
            return;
        }
        if (now >= attemptDeadlineNs)
        {
            target = (target + 1) % nodes;
            sendAttempt(now);
        }
    }

    private void invoke(final long now)
    {
        sequence++;
        busy = true;
        attempt = 0;
        invokeNs = now;
        key = random.nextInt(KEYS);
        final int r = random.nextInt(100);
        if (r < 30)
        {
            kind = KvKind.READ;
        }
        else if (r < 55)
        {
            kind = KvKind.WRITE;
            arg1 = sim.uniqueValue();
        }
        else if (r < 80)
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
        sendAttempt(now);
    }

    private void sendAttempt(final long now)
    {
        attempt++;
        attemptAnswered = false;
        attemptDeadlineNs = now + ATTEMPT_TIMEOUT_NS;
        sim.send(endpoint, target, new Msg.ClientRequest(sessionId, sequence, KvCommand.encode(kind, key, arg1, arg2)));
        sim.scheduleClient(this, attemptDeadlineNs);
    }

    void onResponse(final int from, final Msg.ClientResponse r)
    {
        if (!busy || r.sequence() != sequence || (attemptAnswered && r.status() != Msg.Status.OK))
        {
            return;
        }
        attemptAnswered = true;
        final long now = sim.now();
        switch (r.status())
        {
            case OK:
                busy = false;
                if (kind == KvKind.READ || kind == KvKind.ADD)
                {
                    lastValue = r.result();
                }
                sim.record(new KvOp(index, kind, key, arg1, arg2, invokeNs, now, true, r.result()), sequence, r.slot());
                sim.scheduleClient(this, now + random.nextLong(3_000_000L));
                return;
            case REDIRECT:
                target = r.leaderHint() >= 0 && r.leaderHint() != from ? r.leaderHint() : (from + 1) % nodes;
                sim.scheduleRetry(this, attempt, now + 1_000_000L + random.nextLong(2_000_000L));
                return;
            case BUSY:
                sim.scheduleRetry(this, attempt, now + 5_000_000L);
                return;
            default:
                throw new IllegalStateException("status " + r.status());
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
