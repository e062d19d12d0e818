package io.paxlog.node;

import io.paxlog.testing.RepoRoot;
import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3, acceptance 2: three nodes as three JVM processes on loopback UDP; 100,000 counter increments from 4
 * concurrent clients; the leader is killed with SIGKILL mid-run and restarted from its journal; the final counter
 * equals the number of acknowledged increments on every node (nothing lost, nothing applied twice).
 */
class ProcessClusterTest
{
    private static final int NODES = 3;
    private static final int CLIENTS = 4;
    private static final int INCREMENTS = Integer.getInteger("paxlog.test.increments", 100_000);

    @Test
    void leaderKilledWithSigkillLosesNothingAndTheRestartedNodeCatchesUp() throws Exception
    {
        try (LocalProcessCluster cluster = new LocalProcessCluster(ScratchDirs.create("paxlog-procs"),
            RepoRoot.path(), NODES, "none"))
        {
            final Path root = cluster.root();
            final Member[] members = cluster.members();
            cluster.startAll();
            final int leader = cluster.awaitLeader(-1, 30_000);
            assertTrue(leader >= 0, "a leader is elected; see " + root);
            final AtomicLong acked = new AtomicLong();
            final List<Thread> threads = new ArrayList<>();
            final Throwable[] failure = new Throwable[1];
            for (int c = 0; c < CLIENTS; c++)
            {
                final int index = c;
                final Thread t = new Thread(() ->
                {
                    try (PaxlogClient client = new PaxlogClient(members, root.resolve("client" + index).toString(),
                        250_000_000L, 30_000_000_000L))
                    {
                        for (int i = 0; i < INCREMENTS / CLIENTS; i++)
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
                t.start();
                threads.add(t);
            }
            while (acked.get() < INCREMENTS / 3 && failure[0] == null)
            {
                Thread.sleep(20);
            }
            final int current = cluster.awaitLeader(-1, 5_000);
            assertTrue(current >= 0, "a leader before the kill");
            cluster.kill(current);
            final long killedNs = System.nanoTime();
            final int newLeader = cluster.awaitLeader(current, 10_000);
            final long failoverMs = (System.nanoTime() - killedNs) / 1_000_000;
            System.out.println("killed leader " + current + " at " + acked.get() + " acks; node " + newLeader +
                " leads after " + failoverMs + " ms");
            // lease 200 ms + election timeout 100-200 ms, plus up to 100 ms before the status file shows it
            assertTrue(newLeader >= 0 && failoverMs < 1_000, "failover took " + failoverMs + " ms");
            cluster.start(current);
            for (final Thread t : threads)
            {
                t.join();
            }
            assertEquals(null, failure[0]);
            assertEquals(INCREMENTS, acked.get());
            try (PaxlogClient reader = new PaxlogClient(members, root.resolve("reader").toString(), 250_000_000L,
                10_000_000_000L))
            {
                final long deadline = System.currentTimeMillis() + 30_000;
                final long[] values = new long[NODES];
                final long[] slots = new long[NODES];
                boolean equal = false;
                while (!equal && System.currentTimeMillis() < deadline)
                {
                    for (int i = 0; i < NODES; i++)
                    {
                        final PaxlogClient.Result r = reader.queryMember(i, CounterMachine.get("x"));
                        values[i] = CounterMachine.valueOf(r.value());
                        slots[i] = r.slot();
                    }
                    equal = values[0] == INCREMENTS && values[1] == INCREMENTS && values[2] == INCREMENTS &&
                        slots[0] == slots[1] && slots[1] == slots[2];
                    Thread.sleep(equal ? 0 : 100);
                }
                assertTrue(equal, "counters " + java.util.Arrays.toString(values) + " at applied slots " +
                    java.util.Arrays.toString(slots) + ", expected " + INCREMENTS + " everywhere");
            }
        }
    }
}
