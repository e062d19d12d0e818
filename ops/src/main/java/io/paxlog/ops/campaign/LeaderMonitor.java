package io.paxlog.ops.campaign;

import io.paxlog.client.AdminClient;
import io.paxlog.client.NodeStatusReport;

/**
 * Asks every member for its status over the admin channel a few times a second and records who leads (the member
 * reporting role leader with the highest ballot) in the history, for the timeline and for faults that target the
 * leader, and every leader's lease remaining with the times it was asked and answered, for {@link LeaseChecks}.
 * One thread; {@link #leader()} may be read from any thread.
 */
final class LeaderMonitor implements AutoCloseable
{
    private static final long STATUS_TIMEOUT_NS = 150_000_000L;
    private static final long INTERVAL_MS = 50;

    private final AdminClient admin;
    private final int memberCount;
    private final History history;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int leader = -1;

    LeaderMonitor(final AdminClient admin, final int memberCount, final History history)
    {
        this.admin = admin;
        this.memberCount = memberCount;
        this.history = history;
        this.thread = new Thread(this::run, "campaign-leader-monitor");
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** The member that led at the last poll, or -1. */
    int leader()
    {
        return leader;
    }

    /**
     * One poll, on the caller's thread (also used by the final checks): every member asked at once, so a slow or
     * dead member costs the round its timeout, not a timeout per member.
     */
    synchronized int pollOnce()
    {
        int best = -1;
        long bestBallot = Long.MIN_VALUE;
        final long[] answeredNanos = new long[memberCount];
        final long askedNs = history.nowNs();
        final NodeStatusReport[] statuses;
        try
        {
            statuses = admin.statusAll(STATUS_TIMEOUT_NS, answeredNanos);
        }
        catch (final RuntimeException ex)
        {
            return leader;
        }
        for (int m = 0; m < memberCount; m++)
        {
            final NodeStatusReport status = statuses[m];
            if (status == null || status.nodeId() != m || !"leader".equals(status.role()))
            {
                continue;
            }
            if (status.leaseRemainingNs() > 0)
            {
                history.lease(new History.LeaseSample(m, status.ballot(), askedNs,
                    answeredNanos[m] - history.startNs(), status.leaseRemainingNs()));
            }
            if (status.ballot() > bestBallot)
            {
                best = m;
                bestBallot = status.ballot();
            }
        }
        leader = best;
        history.leader(best, best < 0 ? 0 : bestBallot);
        return best;
    }

    private void run()
    {
        while (running)
        {
            pollOnce();
            try
            {
                Thread.sleep(INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(2_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
