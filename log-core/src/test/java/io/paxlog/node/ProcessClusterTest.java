package io.paxlog.node;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.io.File;
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
        final Path root = Files.createTempDirectory("paxlog-procs");
        final Member[] members = new Member[NODES];
        final StringBuilder list = new StringBuilder();
        for (int i = 0; i < NODES; i++)
        {
            members[i] = new Member(i, "127.0.0.1", InvokedCluster.freePort(), InvokedCluster.freePort());
            list.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(members[i].consensusPort())
                .append(':').append(members[i].clientPort());
        }
        final Process[] procs = new Process[NODES];
        for (int i = 0; i < NODES; i++)
        {
            Files.writeString(root.resolve("node" + i + ".properties"), String.join("\n",
                "paxlog.cluster.members=" + list, "paxlog.node.id=" + i, "paxlog.dir=" + root.resolve("node" + i),
                "paxlog.sync=none", "paxlog.aeron.dir=" + root.resolve("aeron" + i), ""));
            procs[i] = launch(root, i);
        }
        try
        {
            final int leader = awaitLeader(root, -1, 30_000);
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
            procs[leader].destroyForcibly().waitFor();
            final long killedNs = System.nanoTime();
            final int newLeader = awaitLeader(root, leader, 10_000);
            final long failoverMs = (System.nanoTime() - killedNs) / 1_000_000;
            System.out.println("killed leader " + leader + " at " + acked.get() + " acks; node " + newLeader +
                " leads after " + failoverMs + " ms");
            assertTrue(failoverMs < 5_000, "failover took " + failoverMs + " ms");
            procs[leader] = launch(root, leader);
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
                long[] values = new long[NODES];
                long[] slots = new long[NODES];
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
        finally
        {
            for (final Process p : procs)
            {
                if (p != null)
                {
                    p.destroyForcibly().waitFor();
                }
            }
        }
    }

    private static Process launch(final Path root, final int id) throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JvmFlags.forChildProcess());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeMain.class.getName());
        cmd.add("--config");
        cmd.add(root.resolve("node" + id + ".properties").toString());
        final File log = root.resolve("node" + id + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
    }

    /** Waits for a status file (other than {@code excluded}'s) to say leader, and returns that node's id. */
    private static int awaitLeader(final Path root, final int excluded, final long timeoutMs) throws Exception
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            for (int i = 0; i < NODES; i++)
            {
                final Path status = root.resolve("node" + i).resolve("status");
                if (i != excluded && Files.exists(status))
                {
                    final String line = Files.readString(status);
                    final long updated = Long.parseLong(line.replaceAll(".*updated_ms=(\\d+).*\\s*", "$1"));
                    if (line.contains("role=leader") && System.currentTimeMillis() - updated < 500)
                    {
                        return i;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no leader within " + timeoutMs + " ms; see " + root);
    }
}
