package io.paxlog.bench.run;

import io.paxlog.bench.BenchTarget;
import io.paxlog.bench.FailoverTarget;
import io.paxlog.bench.Systems;
import io.paxlog.core.CoreConfig;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Leader fail-over under load, for the systems that have a leader (Paxlog and Aeron Cluster): an open-loop load at
 * {@link RunConfig#failoverRate()} runs against the started cluster; after a steady second the leader is killed
 * ({@link FailoverTarget#killLeader()}), and the trial measures the time from the kill to the first acknowledged
 * write that was sent after the kill. The load goes on for another second, the killed member is restarted and
 * given time to rejoin, and the next trial begins on the same cluster. Messages lost around a kill are counted and
 * reported (an Aeron Cluster client does not resend what was in flight; Paxlog's client does), not failed.
 */
final class FailoverScenario
{
    static final long STEADY_NS = TimeUnit.SECONDS.toNanos(1);
    static final long AFTER_NS = TimeUnit.SECONDS.toNanos(1);
    static final long TRIAL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    static final long REJOIN_SETTLE_MS = 1_000;

    private final RunConfig config;
    private final Results results;

    FailoverScenario(final RunConfig config, final Results results)
    {
        this.config = config;
        this.results = results;
    }

    void run()
    {
        for (final String system : config.systems())
        {
            try (BenchTarget target = Systems.create(system))
            {
                if (!(target instanceof FailoverTarget failover))
                {
                    continue; // the floors have no leader to kill
                }
                target.start(config.settings().withMessageBytes(Results.HEADLINE_BYTES));
                trials(system, failover);
            }
            catch (final Exception ex)
            {
                results.fail("failover " + system + ": " + ex);
            }
        }
    }

    private void trials(final String system, final FailoverTarget target) throws Exception
    {
        final Histogram recovery = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
        long lost = 0;
        long sent = 0;
        for (int trial = 0; trial < config.failoverTrials(); trial++)
        {
            final Trial t = new Trial(target, config.failoverRate());
            t.run();
            sent += t.sent;
            lost += t.sent - t.answered;
            if (t.recoveryNs < 0)
            {
                results.fail(String.format(Locale.ROOT, "failover %s trial %d: no write acknowledged within %d s " +
                    "of killing leader %d", system, trial + 1, TimeUnit.NANOSECONDS.toSeconds(TRIAL_TIMEOUT_NS),
                    t.killed));
                return;
            }
            recovery.recordValue(t.recoveryNs);
            System.out.printf(Locale.ROOT, "failover   %-14s trial %d: killed leader %d, next ack after %.1f ms, " +
                "%d of %d messages unanswered%n", system, trial + 1, t.killed, t.recoveryNs / 1e6,
                t.sent - t.answered, t.sent);
            target.restartKilled();
            Thread.sleep(REJOIN_SETTLE_MS);
        }
        final String note = system.startsWith(Systems.PAXLOG) ?
            String.format(Locale.ROOT, "lease timeout %d ms (target: p50 <= 2x lease)",
                CoreConfig.LEASE_TIMEOUT_DEFAULT_NS / 1_000_000) :
            "leader heartbeat timeout 1 s (Aeron Cluster's own default is 10 s)";
        results.add(ResultRow.latency("failover", system, "kill-to-ack", 0, 0, recovery,
            recovery.getTotalCount(), recovery.getTotalCount(), note + "; " + lost + " of " + sent +
            " messages unanswered around the kills, at " + config.failoverRate() + " msg/s"));
    }

    /** One kill under open-loop load; allocation and precision do not matter here (a few trials). */
    private static final class Trial implements BenchTarget.ResponseHandler
    {
        private final FailoverTarget target;
        private final long rate;
        private final IdleStrategy idle = new YieldingIdleStrategy();
        private long killNs = Long.MAX_VALUE;
        private long recoveryNs = -1;
        private int killed = -1;
        private long sent;
        private long answered;

        Trial(final FailoverTarget target, final long rate)
        {
            this.target = target;
            this.rate = rate;
        }

        void run() throws Exception
        {
            final long startNs = System.nanoTime();
            long endNs = startNs + STEADY_NS + TRIAL_TIMEOUT_NS;
            long next = 0;
            while (System.nanoTime() - endNs < 0)
            {
                final long now = System.nanoTime();
                if (killed < 0 && now - startNs >= STEADY_NS)
                {
                    killNs = System.nanoTime();
                    killed = target.killLeader();
                }
                final long intendedNs = startNs + next * 1_000_000_000L / rate;
                int work = 0;
                if (now - intendedNs >= 0 && target.offer(next, intendedNs))
                {
                    next++;
                    sent++;
                    work++;
                }
                work += target.poll(this);
                if (recoveryNs >= 0 && endNs - (killNs + recoveryNs + AFTER_NS) > 0)
                {
                    endNs = killNs + recoveryNs + AFTER_NS;
                }
                idle.idle(work);
            }
            final long drainEndNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (answered < sent && System.nanoTime() - drainEndNs < 0)
            {
                idle.idle(target.poll(this));
            }
        }

        @Override
        public void onResponse(final long messageId, final long intendedSendNs)
        {
            answered++;
            if (recoveryNs < 0 && intendedSendNs - killNs >= 0)
            {
                recoveryNs = System.nanoTime() - killNs;
            }
        }
    }
}
