package io.paxlog.node;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paxlog.codecs.SnapshotRequestDecoder;
import io.paxlog.codecs.CommandRequestDecoder;
import io.paxlog.codecs.FaultRequestDecoder;
import io.paxlog.codecs.MembershipRequestDecoder;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.QueryRequestDecoder;
import io.paxlog.codecs.SessionCloseDecoder;
import io.paxlog.codecs.SessionConnectDecoder;
import io.paxlog.codecs.SessionKeepAliveDecoder;
import io.paxlog.codecs.StatusRequestDecoder;
import io.paxlog.core.Invariants.InvariantViolation;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes client and admin frames arriving on the node's client endpoint and calls its {@link ClientRequests} (the
 * {@link NodeAgent}). Malformed frames are dropped and counted; nothing here throws out of the duty cycle, but for a
 * failure of the node's own state while a good frame is handled (an {@code InvariantViolation}, a
 * {@link StateMachineException}, an {@code Error}), which stops the node ({@link FailStop}). Connects
 * and admin requests carry their credentials (schema version 3) on to the agent, whose {@link ClientGate} checks
 * them. Threading: the duty-cycle thread only.
 */
final class ClientAdapter implements FragmentHandler
{
    /** Longest command or query payload accepted. */
    static final int PAYLOAD_MAX = io.paxlog.core.CoreConfig.COMMAND_BYTES_MAX_LIMIT;
    /** Longest response channel or added member's spec accepted, in bytes. */
    static final int CHANNEL_MAX = 512;
    /** Longest credentials accepted. */
    static final int CREDENTIALS_MAX = io.paxlog.auth.ClientCredentials.LENGTH_MAX;

    private final ClientRequests agent;
    private final FrameChecker checker;
    private final SessionConnectDecoder connect = new SessionConnectDecoder();
    private final CommandRequestDecoder command = new CommandRequestDecoder();
    private final QueryRequestDecoder query = new QueryRequestDecoder();
    private final SessionKeepAliveDecoder keepAlive = new SessionKeepAliveDecoder();
    private final SessionCloseDecoder close = new SessionCloseDecoder();
    private final StatusRequestDecoder statusRequest = new StatusRequestDecoder();
    private final SnapshotRequestDecoder snapshotRequest = new SnapshotRequestDecoder();
    private final FaultRequestDecoder faultRequest = new FaultRequestDecoder();
    private final MembershipRequestDecoder membershipRequest = new MembershipRequestDecoder();
    private final UnsafeBuffer queryPayload = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer commandPayload = new UnsafeBuffer(0, 0);
    /** The credentials of a connect or admin request (empty for frames of schema version 2 or older). */
    private final UnsafeBuffer credentials = new UnsafeBuffer(0, 0);
    private long dropped;

    ClientAdapter(final ClientRequests agent, final int frameLengthMax)
    {
        this.checker = new FrameChecker(frameLengthMax, 1, PAYLOAD_MAX);
        this.agent = agent;
    }

    long dropped()
    {
        return dropped;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
    {
        try
        {
            if (!dispatch(buffer, offset, length))
            {
                dropped++;
            }
        }
        catch (final InvariantViolation ex)
        {
            throw ex; // not a bad frame: this node's own state is broken (fail-stop, FailStop)
        }
        catch (final IndexOutOfBoundsException | IllegalStateException | IllegalArgumentException ex)
        {
            dropped++;
        }
    }

    private boolean dispatch(final DirectBuffer buffer, final int offset, final int length)
    {
        if (checker.check(buffer, offset, length) != FrameCheck.OK)
        {
            return false;
        }
        // the checker validated every length, group and enum and that the message ends at the frame end
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = checker.actingBlockLength();
        final int version = checker.actingVersion();
        switch (checker.templateId())
        {
            case SessionConnectDecoder.TEMPLATE_ID:
            {
                connect.wrap(buffer, body, blockLength, version);
                final long correlationId = connect.correlationId();
                final int streamId = connect.responseStreamId();
                final long ttlMs = connect.sessionTtlMs();
                final int window = connect.window() == SessionConnectDecoder.windowNullValue() ? 0 : connect.window();
                if (connect.responseChannelLength() > CHANNEL_MAX)
                {
                    return false;
                }
                final String channel = connect.responseChannel();
                if (!channel.startsWith("aeron:"))
                {
                    return false;
                }
                if (connect.credentialsLength() > CREDENTIALS_MAX)
                {
                    return false;
                }
                connect.wrapCredentials(credentials);
                agent.onSessionConnect(correlationId, channel, streamId, ttlMs, window, credentials, 0,
                    credentials.capacity());
                return true;
            }
            case CommandRequestDecoder.TEMPLATE_ID:
            {
                command.wrap(buffer, body, blockLength, version);
                final long sessionId = command.sessionId();
                final long sequence = command.sequence();
                final int payloadLength = command.payloadLength();
                if (payloadLength > PAYLOAD_MAX)
                {
                    return false;
                }
                command.wrapPayload(commandPayload);
                agent.onCommand(sessionId, sequence, commandPayload, 0, payloadLength);
                return true;
            }
            case QueryRequestDecoder.TEMPLATE_ID:
            {
                query.wrap(buffer, body, blockLength, version);
                final long sessionId = query.sessionId();
                final long correlationId = query.correlationId();
                final short consistency = query.consistencyRaw();
                final long minSlot = query.minSlot();
                if (consistency < 0 || consistency > 2)
                {
                    return false;
                }
                query.wrapPayload(queryPayload);
                agent.onQuery(sessionId, correlationId, consistency, minSlot, queryPayload, 0, queryPayload.capacity());
                return true;
            }
            case SessionKeepAliveDecoder.TEMPLATE_ID:
                keepAlive.wrap(buffer, body, blockLength, version);
                agent.onKeepAlive(keepAlive.sessionId());
                return true;
            case SessionCloseDecoder.TEMPLATE_ID:
                close.wrap(buffer, body, blockLength, version);
                agent.onSessionClose(close.sessionId());
                return true;
            case StatusRequestDecoder.TEMPLATE_ID:
            {
                statusRequest.wrap(buffer, body, blockLength, version);
                final long correlationId = statusRequest.correlationId();
                final int streamId = statusRequest.responseStreamId();
                if (statusRequest.responseChannelLength() > CHANNEL_MAX)
                {
                    return false;
                }
                final String channel = statusRequest.responseChannel();
                if (!channel.startsWith("aeron:"))
                {
                    return false;
                }
                if (statusRequest.credentialsLength() > CREDENTIALS_MAX)
                {
                    return false;
                }
                statusRequest.wrapCredentials(credentials);
                agent.onStatusRequest(correlationId, channel, streamId, credentials, 0, credentials.capacity());
                return true;
            }
            case SnapshotRequestDecoder.TEMPLATE_ID:
            {
                snapshotRequest.wrap(buffer, body, blockLength, version);
                final long correlationId = snapshotRequest.correlationId();
                final int streamId = snapshotRequest.responseStreamId();
                if (snapshotRequest.responseChannelLength() > CHANNEL_MAX)
                {
                    return false;
                }
                final String channel = snapshotRequest.responseChannel();
                if (!channel.startsWith("aeron:"))
                {
                    return false;
                }
                if (snapshotRequest.credentialsLength() > CREDENTIALS_MAX)
                {
                    return false;
                }
                snapshotRequest.wrapCredentials(credentials);
                agent.onSnapshotRequest(correlationId, channel, streamId, credentials, 0, credentials.capacity());
                return true;
            }
            case FaultRequestDecoder.TEMPLATE_ID:
            {
                faultRequest.wrap(buffer, body, blockLength, version);
                final long correlationId = faultRequest.correlationId();
                final int streamId = faultRequest.responseStreamId();
                final long delayNs = faultRequest.delayNs();
                final long jitterNs = faultRequest.jitterNs();
                final long durationNs = faultRequest.durationNs();
                if (faultRequest.responseChannelLength() > CHANNEL_MAX)
                {
                    return false;
                }
                final String channel = faultRequest.responseChannel();
                if (!channel.startsWith("aeron:"))
                {
                    return false;
                }
                if (faultRequest.credentialsLength() > CREDENTIALS_MAX)
                {
                    return false;
                }
                faultRequest.wrapCredentials(credentials);
                agent.onFaultRequest(correlationId, channel, streamId, delayNs, jitterNs, durationNs, credentials, 0,
                    credentials.capacity());
                return true;
            }
            case MembershipRequestDecoder.TEMPLATE_ID:
            {
                membershipRequest.wrap(buffer, body, blockLength, version);
                final long correlationId = membershipRequest.correlationId();
                final int streamId = membershipRequest.responseStreamId();
                final int removeId = membershipRequest.removeNodeId();
                final int acceptQuorum = membershipRequest.acceptQuorum();
                final int electionQuorum = membershipRequest.electionQuorum();
                if (membershipRequest.addMemberLength() > CHANNEL_MAX)
                {
                    return false;
                }
                final String addMember = membershipRequest.addMember();
                if (membershipRequest.responseChannelLength() > CHANNEL_MAX)
                {
                    return false;
                }
                final String channel = membershipRequest.responseChannel();
                if (!channel.startsWith("aeron:") || membershipRequest.credentialsLength() > CREDENTIALS_MAX)
                {
                    return false;
                }
                membershipRequest.wrapCredentials(credentials);
                agent.onMembershipRequest(correlationId, channel, streamId, removeId, acceptQuorum, electionQuorum,
                    addMember, credentials, 0, credentials.capacity());
                return true;
            }
            default:
                return false;
        }
    }
}
