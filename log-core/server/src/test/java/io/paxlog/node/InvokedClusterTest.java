package io.paxlog.node;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 3, acceptance 3: three real nodes in one JVM driven by AgentInvoker, a leader killed mid-run. */
class InvokedClusterTest
{
    @Test
    void countersSurviveLeaderFailoverWithNoLossAndNoDoubleApply() throws Exception
    {
        try (InvokedCluster cluster = new InvokedCluster(3, "batch"))
        {
            awaitLeader(cluster, 10_000);
            final AtomicLong acked = new AtomicLong();
            final int clients = 4;
            final int perClient = 500;
            final Thread[] threads = new Thread[clients];
            final Throwable[] failure = new Throwable[1];
            for (int c = 0; c < clients; c++)
            {
                final int index = c;
                threads[c] = new Thread(() ->
                {
                    try (PaxlogClient client = new PaxlogClient(cluster.members(),
                        cluster.root.resolve("client" + index).toString(), 300_000_000L, 20_000_000_000L))
                    {
                        for (int i = 0; i < perClient; i++)
                        {
                            client.command(CounterMachine.add("x", 1));
                            acked.incrementAndGet();
                        }
                    }
                    catch (final PaxlogException ex)
                    {
                        failure[0] = ex;
                    }
                });
                threads[c].start();
            }
            while (acked.get() < clients * perClient / 3)
            {
                Thread.sleep(10);
            }
            final int oldLeader = cluster.leader();
            cluster.kill(oldLeader);
            final long killedAt = System.nanoTime();
            final int newLeader = awaitLeader(cluster, 10_000);
            final long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.println("failover from " + oldLeader + " to " + newLeader + " in " + failoverMs + " ms");
            cluster.start(oldLeader);
            for (final Thread t : threads)
            {
                t.join();
            }
            assertEquals(null, failure[0]);
            assertEquals(clients * perClient, acked.get());
            awaitConverged(cluster, 15_000);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(acked.get(), cluster.machines[i].valueOf("x"), "node " + i + " counter");
            }
        }
    }

    static int awaitLeader(final InvokedCluster cluster, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final int leader = cluster.leader();
            if (leader >= 0)
            {
                return leader;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no leader within " + timeoutMs + " ms");
    }

    static void awaitConverged(final InvokedCluster cluster, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final long a = cluster.status(0).appliedSlot();
            if (a > 0 && a == cluster.status(1).appliedSlot() && a == cluster.status(2).appliedSlot())
            {
                return;
            }
            Thread.sleep(10);
        }
        assertTrue(false, "replicas did not converge: " + cluster.status(0) + " " + cluster.status(1) + " " +
            cluster.status(2));
    }
}
