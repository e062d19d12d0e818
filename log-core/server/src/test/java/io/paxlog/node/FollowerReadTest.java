package io.paxlog.node;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.client.ResponseListener;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.sm.CounterMachine;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PaxlogClient#queryMember(int, byte[], ReadConsistency, long)} against three real nodes in one JVM: a
 * SEQUENTIAL read at a chosen follower with {@code minSlot = lastSeenSlot()} sees the session's own last write
 * (the follower answers BUSY until it has applied that slot), and a LINEARIZABLE read at a follower is refused.
 */
class FollowerReadTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aSequentialReadAtAFollowerWithMinSlotLastSeenSlotReflectsTheClientsOwnLastWrite() throws Exception
    {
        final int writes = 200;
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            final int leader = InvokedClusterTest.awaitLeader(cluster, 10_000);
            try (PaxlogClient client = new PaxlogClient(context(cluster, "sequential")))
            {
                for (int i = 1; i <= writes; i++)
                {
                    final PaxlogClient.Result written = client.command(CounterMachine.add("x", 1));
                    assertEquals(i, CounterMachine.valueOf(written.value()), "the write's own result");
                    final int follower = (leader + 1 + i % 2) % 3;
                    final PaxlogClient.Result read = client.queryMember(follower, CounterMachine.get("x"),
                        ReadConsistency.SEQUENTIAL, client.lastSeenSlot());
                    assertEquals(i, CounterMachine.valueOf(read.value()),
                        "write " + i + " (slot " + written.slot() + ") read at follower " + follower);
                    assertTrue(read.slot() >= written.slot(),
                        "answered at slot " + read.slot() + " before the write's slot " + written.slot());
                }
            }
        }
    }

    /**
     * A follower that was down while the session wrote is certainly behind when it comes back: a SEQUENTIAL read
     * there with {@code minSlot = lastSeenSlot()} is answered only once it has caught up (BUSY until then). An
     * EVENTUAL read at the same point is not: tried once, it answered at slot 1027 of 20002 (counter 1025).
     */
    @Test
    void aRestartedFollowerThatMissedWritesAnswersASequentialReadOnlyOnceCaughtUp() throws Exception
    {
        final int writes = 20_000;
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            final int leader = InvokedClusterTest.awaitLeader(cluster, 10_000);
            final int follower = (leader + 1) % 3;
            final Answers answers = new Answers();
            try (PaxlogClient client = new PaxlogClient(context(cluster, "restarted").responseListener(answers)))
            {
                client.command(CounterMachine.add("x", 1));
                cluster.kill(follower);
                increments(client, answers, writes - 1);
                final long lastWrite = client.lastSeenSlot();
                cluster.start(follower);
                final long startNs = System.nanoTime();
                final PaxlogClient.Result read = client.queryMember(follower, CounterMachine.get("x"),
                    ReadConsistency.SEQUENTIAL, lastWrite);
                System.out.println("restarted follower " + follower + " answered at slot " + read.slot() + " (write at " +
                    lastWrite + ") " + (System.nanoTime() - startNs) / MS + " ms after its restart");
                assertEquals(writes, CounterMachine.valueOf(read.value()), "the follower's answer misses writes");
                assertTrue(read.slot() >= lastWrite, "answered at " + read.slot() + " before slot " + lastWrite);
            }
        }
    }

    @Test
    void aLinearizableReadAtAFollowerIsRefusedAndTheLeaderServesIt() throws Exception
    {
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            final int leader = InvokedClusterTest.awaitLeader(cluster, 10_000);
            final int follower = (leader + 1) % 3;
            try (PaxlogClient client = new PaxlogClient(context(cluster, "linearizable")))
            {
                client.command(CounterMachine.add("x", 5));
                final PaxlogException.Rejected refused = assertThrows(PaxlogException.Rejected.class,
                    () -> client.queryMember(follower, CounterMachine.get("x"), ReadConsistency.LINEARIZABLE, 0));
                assertTrue(refused.getMessage().contains("member " + follower + " is not the leader (it names member " +
                    leader + ")"), refused.getMessage());
                assertEquals(5, CounterMachine.valueOf(client.queryMember(leader, CounterMachine.get("x"),
                    ReadConsistency.LINEARIZABLE, 0).value()));
            }
        }
    }

    /** Pipelines {@code n} increments of x and polls until each is answered. */
    private static void increments(final PaxlogClient client, final Answers answers, final int n)
    {
        final UnsafeBuffer add = new UnsafeBuffer(CounterMachine.add("x", 1));
        final IdleStrategy idle = new BackoffIdleStrategy();
        final long deadlineNs = System.nanoTime() + 30_000 * MS;
        int offered = 0;
        while (answers.answered < n)
        {
            int work = 0;
            while (offered < n && client.offerCommand(add, 0, add.capacity()) > 0)
            {
                offered++;
                work++;
            }
            idle.idle(work + client.poll());
            assertEquals(0, answers.failed, "failed increments");
            assertTrue(System.nanoTime() < deadlineNs, answers.answered + " of " + n + " increments answered");
        }
    }

    private static final class Answers implements ResponseListener
    {
        int answered;
        int failed;

        public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
            final int length)
        {
            answered++;
        }

        public void onFailure(final long sequence, final PaxlogException cause)
        {
            failed++;
        }
    }

    private static PaxlogClientContext context(final InvokedCluster cluster, final String name)
    {
        return new PaxlogClientContext().members(cluster.members())
            .aeronDirectoryName(cluster.root.resolve("client-" + name).toString())
            .attemptTimeoutNs(500 * MS).callTimeoutNs(20_000 * MS);
    }
}
