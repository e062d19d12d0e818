package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paxlog.codecs.CommandRequestEncoder;
import io.paxlog.codecs.CommandResponseDecoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.SessionConnectEncoder;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Role;
import io.paxlog.sm.CounterMachine;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3, acceptance 6: the leader's duty-cycle thread allocates nothing in steady state. Three real nodes (one
 * thread each, embedded media drivers, Chronicle journals) take pipelined counter increments from one session
 * (at most {@link ServiceHost#SESSION_WINDOW} outstanding); after a warm-up that fills the log ring once, the
 * leader thread's allocated bytes over at least 1M more commands must stay below 1 byte per command.
 */
class LeaderAllocationTest
{
    private static final int WARMUP = Integer.getInteger("paxlog.test.alloc.warmup", 200_000);
    private static final int MEASURED = Integer.getInteger("paxlog.test.alloc.commands", 1_000_000);
    private static final int OUTSTANDING = 100;

    @Test
    void leaderHotPathAllocatesLessThanOneBytePerCommand() throws Exception
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
        try (InvokedCluster cluster = new InvokedCluster(3, "batch", true, slow))
        {
            final int leader = awaitLeader(cluster);
            try (RawSession session = new RawSession(cluster.members[leader]))
            {
                session.run(WARMUP);
                assertEquals(leader, cluster.leader(), "leadership moved during warm-up");
                final long tid = cluster.nodeThread(leader).getId();
                final long before = threads.getThreadAllocatedBytes(tid);
                final long start = System.nanoTime();
                session.run(MEASURED);
                final long elapsedNs = System.nanoTime() - start;
                final long allocated = threads.getThreadAllocatedBytes(tid) - before;
                assertEquals(leader, cluster.leader(), "leadership moved during the measurement");
                final double perCommand = (double)allocated / MEASURED;
                System.out.printf("leader n%d: %d commands, %d bytes allocated on its duty-cycle thread " +
                    "(%.4f bytes/command), %d commands/s, busy answers %d%n", leader, MEASURED, allocated,
                    perCommand, MEASURED * 1_000_000_000L / Math.max(1, elapsedNs), session.busy);
                assertTrue(perCommand < 1.0, "bytes per command: " + perCommand);
                assertEquals(WARMUP + MEASURED, cluster.machines[leader].valueOf("x"));
            }
        }
    }

    private static int awaitLeader(final InvokedCluster cluster) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final int leader = cluster.leader();
            if (leader >= 0 && cluster.status(leader).role() == Role.LEADER)
            {
                return leader;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no leader within 10 s");
    }

    /** A bare client session speaking the wire protocol to the leader, pipelining commands with retries. */
    private static final class RawSession implements AutoCloseable
    {
        private static final long SESSION_ID = 4242;
        private final MediaDriver driver;
        private final Aeron aeron;
        private final Publication publication;
        private final Subscription responses;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
        private final CommandRequestEncoder commandEncoder = new CommandRequestEncoder();
        private final CommandResponseDecoder responseDecoder = new CommandResponseDecoder();
        private final byte[] command = CounterMachine.add("x", 1);
        private final FragmentAssembler assembler = new FragmentAssembler(this::onResponse);
        private final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        private boolean[] done = new boolean[0];
        private long base;
        private long lowest;
        private long next;
        private long busy;
        private long lastProgressNs;

        RawSession(final Member leader) throws Exception
        {
            final String dir = Files.createTempDirectory("paxlog-alloc-client").toString();
            driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir)
                .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
            final String responseChannel = "aeron:udp?endpoint=127.0.0.1:" + InvokedCluster.freePort();
            responses = aeron.addSubscription(responseChannel, 103);
            publication = aeron.addPublication(leader.clientChannel(), 102);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!publication.isConnected() || !responses.isConnected())
            {
                final SessionConnectEncoder connect = new SessionConnectEncoder();
                connect.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(SESSION_ID).responseStreamId(103).sessionTtlMs(0)
                    .responseChannel(responseChannel);
                publication.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength());
                Thread.sleep(20);
                assertTrue(System.nanoTime() < deadline, "session did not connect");
            }
        }

        /** Sends {@code count} increments (sequences continue across calls) and waits for every answer. */
        void run(final int count)
        {
            base = next;
            lowest = next + 1;
            done = new boolean[count + 1];
            final long last = next + count;
            lastProgressNs = System.nanoTime();
            final long deadline = lastProgressNs + 600_000_000_000L;
            while (lowest <= last)
            {
                int work = 0;
                while (next < last && next + 1 - lowest < OUTSTANDING && send(next + 1))
                {
                    next++;
                    work++;
                }
                work += responses.poll(assembler, 256);
                while (lowest <= last && done[(int)(lowest - base)])
                {
                    lowest++;
                    lastProgressNs = System.nanoTime();
                }
                if (work == 0 && System.nanoTime() - lastProgressNs > 1_000_000_000L)
                {
                    for (long seq = lowest; seq <= next; seq++)
                    {
                        if (!done[(int)(seq - base)])
                        {
                            send(seq);
                        }
                    }
                    lastProgressNs = System.nanoTime();
                }
                assertTrue(System.nanoTime() < deadline, "commands stalled at sequence " + lowest);
                idle.idle(work);
            }
        }

        private boolean send(final long sequence)
        {
            commandEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).sessionId(SESSION_ID).sequence(sequence)
                .putPayload(command, 0, command.length);
            return publication.offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength()) > 0;
        }

        private void onResponse(final DirectBuffer b, final int offset, final int length, final io.aeron.logbuffer.Header h)
        {
            headerDecoder.wrap(b, offset);
            if (headerDecoder.templateId() != CommandResponseDecoder.TEMPLATE_ID)
            {
                return;
            }
            responseDecoder.wrap(b, offset + MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
                headerDecoder.version());
            final long seq = responseDecoder.sequence();
            final CommandStatus status = responseDecoder.status();
            if (seq <= base || seq > base + done.length - 1)
            {
                return;
            }
            if (status == CommandStatus.OK)
            {
                done[(int)(seq - base)] = true;
            }
            else if (status == CommandStatus.BUSY)
            {
                busy++;
                send(seq);
            }
            else
            {
                throw new AssertionError("command " + seq + " answered " + status);
            }
        }

        public void close()
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }
}
