package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
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
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bare client session speaking the wire protocol to one member (the leader), pipelining counter increments
 * with at most {@code outstanding} unanswered and resending what goes unanswered for a second. For tests that
 * need more throughput than a blocking client gives.
 */
final class PipelinedSession implements AutoCloseable
{
    private static final long SESSION_ID = 4242;
    private final int outstanding;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Publication publication;
    private final Subscription responses;
    private final UnsafeBuffer buffer;
    /** 0: counter increments of "x"; else {@link SizedCommandMachine} commands of this many bytes, id = sequence. */
    private final int commandBytes;
    private final UnsafeBuffer sized;
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
    long busy;
    private long lastProgressNs;

    PipelinedSession(final Member leader, final int outstanding) throws Exception
    {
        this(leader, outstanding, null);
    }

    /** As above, connecting with {@code credentials} (null: none) when the cluster authenticates clients. */
    PipelinedSession(final Member leader, final int outstanding, final io.paxlog.auth.ClientCredentials credentials)
        throws Exception
    {
        this(leader, outstanding, credentials, 0);
    }

    /**
     * As above; {@code commandBytes} above 0 sends {@link SizedCommandMachine} commands of that many bytes (the
     * cluster hosts that machine alone) instead of counter increments.
     */
    PipelinedSession(final Member leader, final int outstanding, final io.paxlog.auth.ClientCredentials credentials,
        final int commandBytes) throws Exception
    {
        this.outstanding = outstanding;
        this.commandBytes = commandBytes;
        this.buffer = new UnsafeBuffer(new byte[1024 + commandBytes]);
        this.sized = new UnsafeBuffer(new byte[Math.max(16, commandBytes)]);
        final String dir = ScratchDirs.create("paxlog-alloc-client").toString();
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
            final byte[] proof = credentials == null ? new byte[0] : credentials.credentials(
                io.paxlog.auth.ClientAuthenticator.SESSION, SESSION_ID, responseChannel, 103, System.currentTimeMillis());
            connect.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(SESSION_ID).responseStreamId(103).sessionTtlMs(0)
                .responseChannel(responseChannel).putCredentials(proof, 0, proof.length);
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
            while (next < last && next + 1 - lowest < outstanding && send(next + 1))
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
        commandEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).sessionId(SESSION_ID).sequence(sequence);
        if (commandBytes == 0)
        {
            commandEncoder.putPayload(command, 0, command.length);
        }
        else
        {
            commandEncoder.putPayload(sized, 0, SizedCommandMachine.encode(sized, sequence, commandBytes));
        }
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
