package io.paxlog.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One fail-over run for the tests: an open-loop load on the caller's thread while a controller thread kills the
 * leader at {@code killAtNs} into the run, waits for a write sent after the kill to be acknowledged, and restarts
 * the killed member. Times are measured from the kill, taken as the return of {@link FailoverTarget#killLeader()}
 * (the leader is dead by then; the call itself first finds the leader, so answers during it prove nothing).
 *
 * @param killCallNs how long {@link FailoverTarget#killLeader()} took
 * @param failoverNs from the kill to the first answer to a message intended after it (0 if none came)
 * @param rejoinedNs from the kill to the return of {@link FailoverTarget#restartKilled()} (0 if it did not return)
 */
record FailoverRun(OpenLoopLoad.Result result, int killedMember, long killCallNs, long failoverNs, long rejoinedNs,
    Throwable controllerError)
{
    private static final long ACK_WAIT_NS = TimeUnit.SECONDS.toNanos(20);

    static FailoverRun run(final FailoverTarget target, final long ratePerSecond, final long durationNs,
        final long killAtNs) throws InterruptedException
    {
        final Probe probe = new Probe(target);
        final int[] killed = {-1};
        final long[] rejoinedNs = {0};
        final long[] killCallNs = {0};
        final Throwable[] error = {null};
        final Thread controller = new Thread(() ->
        {
            try
            {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(killAtNs));
                final long callNs = System.nanoTime();
                killed[0] = target.killLeader();
                final long killNs = System.nanoTime(); // the leader is certainly dead now
                probe.killNs = killNs;
                killCallNs[0] = killNs - callNs;
                final long deadline = System.nanoTime() + ACK_WAIT_NS;
                while (probe.firstAckAfterKillNs == 0 && System.nanoTime() - deadline < 0)
                {
                    Thread.sleep(5);
                }
                target.restartKilled();
                rejoinedNs[0] = System.nanoTime() - killNs;
            }
            catch (final Throwable ex)
            {
                error[0] = ex;
            }
        }, "failover-controller");
        controller.start();
        final OpenLoopLoad.Result result = new OpenLoopLoad(ratePerSecond, durationNs, 0)
            .stragglerTimeoutNs(TimeUnit.SECONDS.toNanos(3)).run(probe);
        // keep polling the client while the killed member restarts, as an application would: a client left unpolled
        // sends no keep-alives, and past the session timeout (10 s) the cluster closes its session
        final long joinDeadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (controller.isAlive() && System.nanoTime() - joinDeadlineNs < 0)
        {
            probe.poll((messageId, intendedSendNs) -> { });
            controller.join(1);
        }
        if (controller.isAlive())
        {
            controller.interrupt();
            controller.join();
            error[0] = new IllegalStateException("the controller did not finish within 60 s of the load's end");
        }
        int last = probe.acksPer250Ms.length;
        while (last > 0 && probe.acksPer250Ms[last - 1] == 0)
        {
            last--;
        }
        System.out.println("answers per 250 ms: " + Arrays.toString(Arrays.copyOf(probe.acksPer250Ms, last)));
        final long failoverNs = probe.firstAckAfterKillNs == 0 ? 0 : probe.firstAckAfterKillNs - probe.killNs;
        return new FailoverRun(result, killed[0], killCallNs[0], failoverNs, rejoinedNs[0], error[0]);
    }

    /** Passes everything through, noting when the first message intended after the kill is answered. */
    private static final class Probe implements BenchTarget, BenchTarget.ResponseHandler
    {
        private final BenchTarget target;
        private ResponseHandler handler;
        volatile long killNs;
        volatile long firstAckAfterKillNs;
        final long startNs = System.nanoTime();
        final int[] acksPer250Ms = new int[160];

        Probe(final BenchTarget target)
        {
            this.target = target;
        }

        @Override
        public String name()
        {
            return target.name();
        }

        @Override
        public void start(final BenchSettings settings)
        {
            throw new UnsupportedOperationException("the target is started already");
        }

        @Override
        public boolean offer(final long messageId, final long intendedSendNs)
        {
            return target.offer(messageId, intendedSendNs);
        }

        @Override
        public int poll(final ResponseHandler handler)
        {
            this.handler = handler;
            return target.poll(this);
        }

        @Override
        public void onResponse(final long messageId, final long intendedSendNs)
        {
            final long kill = killNs;
            if (kill != 0 && firstAckAfterKillNs == 0 && intendedSendNs - kill >= 0)
            {
                firstAckAfterKillNs = System.nanoTime();
            }
            final int bucket = (int)((System.nanoTime() - startNs) / 250_000_000L);
            if (bucket < acksPer250Ms.length)
            {
                acksPer250Ms[bucket]++;
            }
            handler.onResponse(messageId, intendedSendNs);
        }

        @Override
        public void close()
        {
        }
    }
}
