package io.paxlog.ops.campaign;

import io.paxlog.client.AdminClient;
import io.paxlog.client.NodeStatusReport;
import io.paxlog.protocol.Member;

/**
 * Asks every member for its status over the admin channel a few times a second and records who leads (the member
 * reporting role leader with the highest ballot) in the history, for the timeline and for faults that target the
 * leader, and every leader's lease remaining with the times it was asked and answered, for {@link LeaseChecks}.
 * It asks the current members ({@link CurrentMembers}: after a replacement, the new member and not the old one).
 * One thread; {@link #leader()} may be read from any thread.
 */
final class LeaderMonitor implements AutoCloseable
{
    private static final long STATUS_TIMEOUT_NS = 150_000_000L;
    private static final long INTERVAL_MS = 50;

    private final CurrentMembers members;
    private final History history;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int leader = -1;

    LeaderMonitor(final CurrentMembers members, final History history)
    {
        this.members = members;
        this.history = history;
        this.thread = new Thread(this::run, "campaign-leader-monitor");
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** The id of the member that led at the last poll, or -1. */
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
        final AdminClient admin = members.admin();
        final Member[] asked = admin.members(); // statusAll answers by these positions
        final long[] answeredNanos = new long[asked.length];
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
        for (int m = 0; m < asked.length; m++)
        {
            final NodeStatusReport status = statuses[m];
            final int id = asked[m].id();
            if (status == null || status.nodeId() != id || !"leader".equals(status.role()))
            {
                continue;
            }
            if (status.leaseRemainingNs() > 0)
            {
                history.lease(new History.LeaseSample(id, status.ballot(), askedNs,
                    answeredNanos[m] - history.startNs(), status.leaseRemainingNs()));
            }
            if (status.ballot() > bestBallot)
            {
                best = id;
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
