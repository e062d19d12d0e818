package io.paxlog.client;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.paxlog.codecs.CommandRequestEncoder;
import io.paxlog.codecs.CommandResponseDecoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.QueryRequestEncoder;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.codecs.SessionCloseEncoder;
import io.paxlog.codecs.SessionConnectEncoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import io.paxlog.node.Member;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.security.SecureRandom;

/**
 * A Paxlog client session. Each command carries (sessionId, sequence); a command is retried with the same
 * sequence after a timeout or a leader change, and the cluster applies it once (answering retries from its
 * session cache). Follows redirects to the leader and tries the other members when one does not answer.
 *
 * <p><b>Threading.</b> Not thread-safe: one thread per client. Calls are blocking, with one command outstanding at
 * a time (the natural back-pressure of a session); run several clients for concurrency.
 */
public final class PaxlogClient implements AutoCloseable
{
    static final int CLIENT_STREAM = 102;
    static final int RESPONSE_STREAM = 103;

    private final Member[] members;
    private final long attemptTimeoutNs;
    private final long callTimeoutNs;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final Publication[] publications;
    private final Subscription responses;
    private final String responseChannel;
    private final long sessionId;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SessionConnectEncoder connectEncoder = new SessionConnectEncoder();
    private final SessionCloseEncoder closeEncoder = new SessionCloseEncoder();
    private final CommandRequestEncoder commandEncoder = new CommandRequestEncoder();
    private final QueryRequestEncoder queryEncoder = new QueryRequestEncoder();
    private final SessionEventDecoder eventDecoder = new SessionEventDecoder();
    private final CommandResponseDecoder responseDecoder = new CommandResponseDecoder();
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private final FragmentHandler handler = new io.aeron.FragmentAssembler(this::onFragment);
    private final boolean[] connected;

    private long sequence;
    private long correlation;
    private int leader;
    private long awaitedId;
    private CommandStatus awaitedStatus;
    private int awaitedLeader;
    private long awaitedSlot;
    private byte[] awaitedResult;
    private String rejected;

    /** Result of a command: the bytes the state machine returned and the slot it was applied at. */
    public record Result(byte[] value, long slot) { }

    public PaxlogClient(final Member[] members, final String aeronDir, final long attemptTimeoutNs,
        final long callTimeoutNs)
    {
        if (members.length == 0)
        {
            throw new IllegalArgumentException("no members to connect to");
        }
        this.members = members.clone();
        this.attemptTimeoutNs = attemptTimeoutNs;
        this.callTimeoutNs = callTimeoutNs;
        this.driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
        this.responseChannel = "aeron:udp?endpoint=" + members[0].host() + ":" + freePort();
        this.responses = aeron.addSubscription(responseChannel, RESPONSE_STREAM);
        this.publications = new Publication[members.length];
        this.connected = new boolean[members.length];
        for (int i = 0; i < members.length; i++)
        {
            publications[i] = aeron.addPublication(members[i].clientChannel(), CLIENT_STREAM);
        }
        this.sessionId = new SecureRandom().nextLong() & Long.MAX_VALUE;
        this.leader = 0;
    }

    private static int freePort()
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (final SocketException ex)
        {
            throw new PaxlogException("cannot find a free UDP port for responses: " + ex.getMessage());
        }
    }

    public long sessionId()
    {
        return sessionId;
    }

    public long lastSequence()
    {
        return sequence;
    }

    /** Applies {@code command} through the log, exactly once; blocks until applied or the call times out. */
    public Result command(final byte[] command)
    {
        final long seq = ++sequence;
        return call(seq, target -> sendCommand(target, seq, command), "command seq " + seq);
    }

    /** Reads from the state machine without a log write, at the given consistency. */
    public Result query(final byte[] query, final ReadConsistency consistency, final long minSlot)
    {
        final long id = ++correlation;
        return call(id, target -> sendQuery(target, id, query, consistency, minSlot), "query " + id);
    }

    /**
     * Reads from one particular member at EVENTUAL consistency (whatever it has applied, with the slot it
     * reflects): for operators and tests comparing replicas.
     */
    public Result queryMember(final int member, final byte[] query)
    {
        final long id = ++correlation;
        final long deadlineNs = System.nanoTime() + callTimeoutNs;
        while (System.nanoTime() < deadlineNs)
        {
            connect(member);
            awaitedId = id;
            awaitedStatus = null;
            sendQuery(member, id, query, ReadConsistency.EVENTUAL, 0);
            final long attemptDeadlineNs = Math.min(deadlineNs, System.nanoTime() + attemptTimeoutNs);
            while (awaitedStatus == null && System.nanoTime() < attemptDeadlineNs)
            {
                idle.idle(responses.poll(handler, 16));
            }
            if (awaitedStatus == CommandStatus.OK)
            {
                return new Result(awaitedResult, awaitedSlot);
            }
        }
        throw new PaxlogException.Timeout("member " + member + " did not answer a query within " +
            callTimeoutNs / 1_000_000 + " ms");
    }

    private interface Sender
    {
        boolean send(int target);
    }

    private Result call(final long id, final Sender sender, final String what)
    {
        final long deadlineNs = System.nanoTime() + callTimeoutNs;
        int attempts = 0;
        int target = leader;
        while (System.nanoTime() < deadlineNs)
        {
            attempts++;
            if (attempts > 1 || !connected[target])
            {
                connect(target);
            }
            awaitedId = id;
            awaitedStatus = null;
            sender.send(target);
            final long attemptDeadlineNs = Math.min(deadlineNs, System.nanoTime() + attemptTimeoutNs);
            while (awaitedStatus == null && rejected == null && System.nanoTime() < attemptDeadlineNs)
            {
                idle.idle(responses.poll(handler, 16));
            }
            if (rejected != null)
            {
                final String reason = rejected;
                rejected = null;
                throw new PaxlogException.Rejected("session rejected: " + reason);
            }
            if (awaitedStatus == null)
            {
                target = (target + 1) % members.length;
                continue;
            }
            switch (awaitedStatus)
            {
                case OK:
                    leader = target;
                    return new Result(awaitedResult, awaitedSlot);
                case REDIRECT:
                    target = awaitedLeader >= 0 && awaitedLeader < members.length && awaitedLeader != target ?
                        awaitedLeader : (target + 1) % members.length;
                    pause(1);
                    break;
                case BUSY:
                    pause(2);
                    break;
                default:
                    throw new PaxlogException.Rejected(what + ": " + awaitedStatus);
            }
        }
        throw new PaxlogException.Timeout(what + " got no answer within " + callTimeoutNs / 1_000_000 + " ms after " +
            attempts + " attempts (session " + sessionId + "); it may or may not have been applied");
    }


    private void connect(final int target)
    {
        connectEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(sessionId).sessionTtlMs(0)
            .responseStreamId(RESPONSE_STREAM).responseChannel(responseChannel);
        connected[target] = offer(target, connectEncoder.encodedLength());
    }

    private boolean sendCommand(final int target, final long seq, final byte[] command)
    {
        commandEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).sessionId(sessionId).sequence(seq)
            .putPayload(command, 0, command.length);
        return offer(target, commandEncoder.encodedLength());
    }

    private boolean sendQuery(final int target, final long id, final byte[] query, final ReadConsistency consistency,
        final long minSlot)
    {
        queryEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).sessionId(sessionId).correlationId(id)
            .consistency(consistency).minSlot(minSlot).putPayload(query, 0, query.length);
        return offer(target, queryEncoder.encodedLength());
    }

    private boolean offer(final int target, final int bodyLength)
    {
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            final long r = publications[target].offer(buffer, 0, length);
            if (r > 0)
            {
                return true;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED)
            {
                return false;
            }
            pause(1);
        }
        return false;
    }

    private void onFragment(final org.agrona.DirectBuffer b, final int offset, final int length,
        final io.aeron.logbuffer.Header h)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        headerDecoder.wrap(b, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        try
        {
            if (headerDecoder.templateId() == CommandResponseDecoder.TEMPLATE_ID)
            {
                responseDecoder.wrap(b, body, headerDecoder.blockLength(), headerDecoder.version());
                if (responseDecoder.sessionId() == sessionId && responseDecoder.sequence() == awaitedId)
                {
                    final CommandStatus status = responseDecoder.status();
                    awaitedLeader = responseDecoder.leaderNodeId();
                    awaitedSlot = responseDecoder.slot();
                    final byte[] result = new byte[responseDecoder.resultLength()];
                    responseDecoder.getResult(result, 0, result.length);
                    awaitedResult = result;
                    awaitedStatus = status;
                }
            }
            else if (headerDecoder.templateId() == SessionEventDecoder.TEMPLATE_ID)
            {
                eventDecoder.wrap(b, body, headerDecoder.blockLength(), headerDecoder.version());
                if (eventDecoder.sessionId() == sessionId && eventDecoder.code() == SessionEventCode.REJECTED)
                {
                    rejected = eventDecoder.detail();
                }
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            // a malformed response is ignored; the attempt times out and is retried
        }
    }

    private static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new PaxlogException("interrupted");
        }
    }

    public void close()
    {
        for (int i = 0; i < publications.length; i++)
        {
            closeEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).sessionId(sessionId);
            publications[i].offer(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + closeEncoder.encodedLength());
        }
        CloseHelper.closeAll(aeron, driver);
    }
}
