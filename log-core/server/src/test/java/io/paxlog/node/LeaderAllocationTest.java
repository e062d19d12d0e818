package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.core.CoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 3, acceptance 6: the leader's duty-cycle thread allocates nothing in steady state. Three real nodes (one
 * thread each, embedded media drivers, Chronicle journals) take pipelined counter increments from one session
 * (at most {@link io.paxlog.sm.StateMachineHost#SESSION_WINDOW} outstanding); after a warm-up that fills the log ring once, the
 * leader thread's allocated bytes over at least 1M more commands must stay below 1 byte per command. The
 * followers' threads are held to the same bound: a follower's garbage means young-GC pauses, which stop the
 * leader too.
 */
class LeaderAllocationTest
{
    private static final int WARMUP = Integer.getInteger("paxlog.test.alloc.warmup", 200_000);
    private static final int MEASURED = Integer.getInteger("paxlog.test.alloc.commands", 1_000_000);
    private static final int OUTSTANDING = 100;

    @Test
    void leaderHotPathAllocatesLessThanOneBytePerCommand() throws Exception
    {
        measure(new Properties());
    }

    /**
     * Issue 16: the same bound at every command size, up to 16 KiB. The log keeps payloads in one ring of bytes
     * allocated at start, so no size grows anything once warmed up (the ring of per-cell arrays it replaced
     * allocated each cell's array again on its first lap: 16.6 KB per command at 16 KiB). Fewer commands for larger
     * sizes, at least 20,000 and 64 MiB of payload.
     */
    @ParameterizedTest
    @ValueSource(ints = {32, 288, 1344, 16384})
    void leaderAndFollowersAllocateLessThanOneBytePerCommandAtEverySize(final int commandBytes) throws Exception
    {
        final int measured = (int)Math.max(20_000, Math.min(MEASURED / 2, (64L << 20) / commandBytes));
        final int warmup = Math.max(5_000, measured / 5);
        measure(new Properties(), null, commandBytes, warmup, measured);
    }

    /**
     * The same with authentication on (docs/operations.md "Authentication"): every consensus frame is sealed and
     * verified with HMAC-SHA256/128, and the client's session was authenticated with the client secret.
     */
    @Test
    void leaderHotPathAllocatesLessThanOneBytePerCommandWithAuthentication() throws Exception
    {
        final java.nio.file.Path secrets = ScratchDirs.create("paxlog-alloc-secrets");
        measure(AuthTestSupport.secured(secrets), secrets);
    }

    private static void measure(final Properties auth) throws Exception
    {
        measure(auth, null);
    }

    private static void measure(final Properties auth, final java.nio.file.Path secrets) throws Exception
    {
        measure(auth, secrets, 0, WARMUP, MEASURED);
    }

    /**
     * Measures the steady state; a leader change (a node starved for longer than the election timeout on this shared
     * two-core machine: CI saw one after 733,300 commands) is not the steady state, so the measurement starts over on
     * a fresh cluster, at most three times.
     */
    private static void measure(final Properties auth, final java.nio.file.Path secrets, final int commandBytes,
        final int warmup, final int measured) throws Exception
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                measureOnce(auth, secrets, commandBytes, warmup, measured);
                return;
            }
            catch (final LeadershipMoved ex)
            {
                if (attempt == 3)
                {
                    throw new AssertionError("leadership moved in each of 3 attempts: " + ex.getMessage(), ex);
                }
                System.out.println("attempt " + attempt + ": " + ex.getMessage() + "; measuring again");
            }
        }
    }

    /** Leadership moved during a measurement. */
    private static final class LeadershipMoved extends Exception
    {
        private static final long serialVersionUID = 1L;

        LeadershipMoved(final String message)
        {
            super(message);
        }
    }

    private static void runOrLeadershipMoved(final PipelinedSession session, final int commands,
        final InvokedCluster cluster, final int leader) throws Exception
    {
        try
        {
            session.run(commands);
        }
        catch (final AssertionError ex)
        {
            if (String.valueOf(ex.getMessage()).endsWith("answered REDIRECT"))
            {
                throw new LeadershipMoved(ex.getMessage());
            }
            throw ex;
        }
        if (cluster.leader() != leader)
        {
            throw new LeadershipMoved("leader n" + leader + " is no longer the leader (n" + cluster.leader() + ")");
        }
    }

    /**
     * {@code commandBytes} 0: counter increments on the standard machines; else {@link SizedCommandMachine} commands
     * of that size.
     */
    private static void measureOnce(final Properties auth, final java.nio.file.Path secrets, final int commandBytes,
        final int warmup, final int measured) throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        // timeouts five times the defaults: three nodes, four media drivers and the client share two cores here,
        // and a starved follower must not start an election in the middle of the measurement
        final Properties slow = new Properties();
        slow.setProperty(CoreConfig.LEASE_TIMEOUT_PROP, "1000000000");
        slow.setProperty(CoreConfig.HEARTBEAT_INTERVAL_PROP, "50000000");
        slow.setProperty(CoreConfig.ELECTION_TIMEOUT_PROP, "500000000");
        // snapshots (a new journal segment, a Chronicle queue per segment) allocate; they are periodic work, not
        // the per-command path measured here
        slow.setProperty(NodeConfig.SNAPSHOT_INTERVAL_PROP, "0");
        slow.setProperty(NodeConfig.SNAPSHOT_INTERVAL_BYTES_PROP, "0");
        slow.putAll(auth);
        final java.util.List<SizedCommandMachine> sized = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.function.Supplier<io.paxlog.sm.StateMachine[]> machines = () ->
        {
            final SizedCommandMachine machine = new SizedCommandMachine();
            sized.add(machine);
            return new io.paxlog.sm.StateMachine[] {machine};
        };
        try (InvokedCluster cluster = commandBytes == 0 ? new InvokedCluster(3, "batch", true, slow) :
            new InvokedCluster(3, "batch", true, slow, machines))
        {
            final int leader = cluster.awaitLeader();
            try (PipelinedSession session = new PipelinedSession(cluster.members[leader], OUTSTANDING,
                secrets == null ? null : new io.paxlog.auth.SharedSecretCredentials(
                    AuthTestSupport.secret(secrets, "client.secret")), commandBytes))
            {
                runOrLeadershipMoved(session, warmup, cluster, leader);
                final long tid = cluster.nodeThread(leader).getId();
                final long[] nodeBefore = new long[3];
                for (int n = 0; n < 3; n++)
                {
                    nodeBefore[n] = threads.getThreadAllocatedBytes(cluster.nodeThread(n).getId());
                }
                try (AllocationRecording recording = new AllocationRecording())
                {
                    final long before = threads.getThreadAllocatedBytes(tid);
                    final long start = System.nanoTime();
                    runOrLeadershipMoved(session, measured, cluster, leader);
                    final long elapsedNs = System.nanoTime() - start;
                    final long allocated = threads.getThreadAllocatedBytes(tid) - before;
                    recording.stop();
                    final double perCommand = (double)allocated / measured;
                    System.out.printf("leader n%d: %d commands of %s, %d bytes allocated on its duty-cycle thread " +
                        "(%.4f bytes/command), %d commands/s, busy answers %d%n", leader, measured,
                        commandBytes == 0 ? "a counter increment" : commandBytes + " B", allocated, perCommand,
                        measured * 1_000_000_000L / Math.max(1, elapsedNs), session.busy);
                    if (perCommand >= 1.0)
                    {
                        throw new AssertionError("leader n" + leader + " bytes per command: " + perCommand +
                            "; where:" + recording.topSites("node-" + leader, 5));
                    }
                    for (int n = 0; n < 3; n++)
                    {
                        if (n == leader)
                        {
                            continue;
                        }
                        // followers too: their garbage stops the leader's thread as well (young-GC pauses)
                        final long followerBytes = threads.getThreadAllocatedBytes(cluster.nodeThread(n).getId()) -
                            nodeBefore[n];
                        final double followerPerCommand = (double)followerBytes / measured;
                        System.out.printf("follower n%d: %d bytes allocated on its duty-cycle thread (%.4f bytes/command)%n",
                            n, followerBytes, followerPerCommand);
                        if (followerPerCommand >= 1.0)
                        {
                            throw new AssertionError("follower n" + n + " bytes per command: " + followerPerCommand +
                                "; where:" + recording.topSites("node-" + n, 5));
                        }
                    }
                    if (commandBytes == 0)
                    {
                        assertEquals(warmup + measured, cluster.machines[leader].valueOf("x"));
                    }
                    else
                    {
                        // the leader applied every command (the followers may trail a little)
                        final long applied = sized.stream().mapToLong(LeaderAllocationTest::count).max().orElse(0);
                        assertEquals(warmup + measured, applied);
                    }
                }
            }
        }
    }

    private static long count(final SizedCommandMachine machine)
    {
        final org.agrona.concurrent.UnsafeBuffer result = new org.agrona.concurrent.UnsafeBuffer(new byte[32]);
        machine.query(null, 0, 0, result);
        return result.getLong(0);
    }
}
