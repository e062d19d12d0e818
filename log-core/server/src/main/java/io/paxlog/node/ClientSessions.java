package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.paxlog.codecs.CommandResponseEncoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.util.HashMap;
import java.util.Map;

/**
 * The node's view of connected clients: each session's response publication, and encoding of responses, which
 * are held with the consensus frames until the journal sync of the duty cycle. Bounded by
 * {@code paxlog.sessions.max}; a connect beyond it is rejected with a clear reason. A session that sends nothing
 * (command, query or keep-alive) for {@code paxlog.session.timeout.ms} is forgotten and its response publication
 * closed once unused; the client reconnects when its next attempt goes unanswered. This is the node's view only:
 * the exactly-once table that the log replicates lives in {@link io.paxlog.sm.StateMachineHost}.
 */
final class ClientSessions
{
    /** Reply-only channels (admin answers, refusals, challenges) open beyond one per session, at most. */
    static final int REPLY_CHANNELS_MAX = 64;

    private record Session(int publicationIndex, Publication publication, String key) { }

    private static final byte[] NO_BYTES = new byte[0];
    private byte[] members = NO_BYTES;
    private final Aeron aeron;
    private final HeldFrames held;
    private final int sessionsMax;
    private final long sessionTimeoutNs;
    private final Long2LongHashMap lastSeenNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final LongArrayList expired = new LongArrayList();
    private long lastExpiryCheckNs;
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final Map<String, Session> byChannel = new HashMap<>();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final SessionEventEncoder event = new SessionEventEncoder();
    private final CommandResponseEncoder response = new CommandResponseEncoder();

    /** The node's MTU as a channel parameter, added to response channels that set none. */
    private final String mtuParam;

    ClientSessions(final Aeron aeron, final HeldFrames held, final int sessionsMax, final long sessionTimeoutNs,
        final int mtu)
    {
        this.mtuParam = "mtu=" + mtu;
        this.aeron = aeron;
        this.held = held;
        this.sessionsMax = sessionsMax;
        this.sessionTimeoutNs = sessionTimeoutNs;
    }

    /** Registers (or re-registers) a session's response channel; returns false if the table is full. */
    boolean connect(final long sessionId, final String channel, final int streamId, final long nowNs)
    {
        if (touch(sessionId, nowNs))
        {
            return true;
        }
        if (sessions.size() >= sessionsMax)
        {
            return false;
        }
        final String key = channel + "|" + streamId;
        Session s = byChannel.get(key);
        if (s == null)
        {
            final Publication publication = aeron.addPublication(withMtu(channel), streamId);
            s = new Session(held.registerReply(publication), publication, key);
            byChannel.put(key, s);
        }
        sessions.put(sessionId, s);
        lastSeenNs.put(sessionId, nowNs);
        return true;
    }

    boolean known(final long sessionId)
    {
        return sessions.containsKey(sessionId);
    }

    /** Notes that {@code sessionId} was heard from; false if the session is not connected here. */
    boolean touch(final long sessionId, final long nowNs)
    {
        if (!sessions.containsKey(sessionId))
        {
            return false;
        }
        lastSeenNs.put(sessionId, nowNs);
        return true;
    }

    /** Forgets sessions silent for longer than the timeout (checked every 100 ms); returns sessions expired. */
    int expire(final long nowNs)
    {
        if (nowNs - lastExpiryCheckNs < 100_000_000L)
        {
            return 0;
        }
        lastExpiryCheckNs = nowNs;
        expired.clear();
        final Long2LongHashMap.EntryIterator it = lastSeenNs.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            if (nowNs - it.getLongValue() > sessionTimeoutNs)
            {
                expired.addLong(it.getLongKey());
            }
        }
        for (int i = 0; i < expired.size(); i++)
        {
            close(expired.getLong(i));
        }
        return expired.size();
    }

    /** Forgets a session; its response publication is closed once no session uses it. */
    void close(final long sessionId)
    {
        lastSeenNs.remove(sessionId);
        final Session s = sessions.remove(sessionId);
        if (s != null && !sessions.containsValue(s))
        {
            byChannel.remove(s.key());
            held.unregister(s.publicationIndex());
            s.publication().close();
        }
    }

    int count()
    {
        return sessions.size();
    }

    /**
     * A one-off publication for an admin reply (status, a refusal, a challenge), cached by channel; -1 when
     * {@link #REPLY_CHANNELS_MAX} more channels than sessions are open already (requests from anyone, authenticated
     * or not, must not open publications without bound).
     */
    int adminPublication(final String channel, final int streamId)
    {
        final String key = channel + "|" + streamId;
        Session s = byChannel.get(key);
        if (s == null)
        {
            if (byChannel.size() >= sessionsMax + REPLY_CHANNELS_MAX)
            {
                return -1;
            }
            final Publication publication = aeron.addPublication(channel, streamId);
            s = new Session(held.registerReply(publication), publication, key);
            byChannel.put(key, s);
        }
        return s.publicationIndex();
    }

    /**
     * The latest configuration's members as {@code id=host:consensusPort:clientPort,...} (UTF-8), sent with every
     * REDIRECT so that clients learn members they were not configured with. Set on the duty cycle when it changes.
     */
    void members(final byte[] utf8)
    {
        this.members = utf8;
    }

    void sessionEvent(final long sessionId, final long correlationId, final SessionEventCode code, final int leaderId,
        final String detail)
    {
        final Session s = sessions.get(sessionId);
        if (s == null)
        {
            return;
        }
        event.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).sessionId(sessionId).code(code)
            .leaderNodeId(leaderId).detail(detail).putChallenge(NO_BYTES, 0, 0);
        final byte[] list = code == SessionEventCode.REDIRECT ? members : NO_BYTES;
        event.putMembers(list, 0, list.length);
        held.hold(s.publicationIndex(), buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + event.encodedLength());
    }

    void rejectConnect(final String channel, final int streamId, final long correlationId, final String detail)
    {
        final int publication = adminPublication(channel, streamId);
        if (publication < 0)
        {
            return;
        }
        event.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).sessionId(correlationId)
            .code(SessionEventCode.REJECTED).leaderNodeId(-1).detail(detail).putChallenge(NO_BYTES, 0, 0)
            .putMembers(NO_BYTES, 0, 0);
        held.hold(publication, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + event.encodedLength());
    }

    /** A CHALLENGE session event to a connect's channel: {@code memberId} asks the client to answer these bytes. */
    void challenge(final String channel, final int streamId, final long sessionId, final int memberId,
        final byte[] challenge)
    {
        final int publication = adminPublication(channel, streamId);
        if (publication < 0)
        {
            return;
        }
        event.wrapAndApplyHeader(buffer, 0, header).correlationId(sessionId).sessionId(sessionId)
            .code(SessionEventCode.CHALLENGE).leaderNodeId(memberId).detail("").putChallenge(challenge, 0,
            challenge.length).putMembers(NO_BYTES, 0, 0);
        held.hold(publication, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + event.encodedLength());
    }

    void respond(final long sessionId, final long sequence, final CommandStatus code, final int leaderId,
        final long slot, final DirectBuffer result, final int resultLength)
    {
        respond(sessionId, sequence, code, leaderId, slot, result, 0, resultLength);
    }

    void respond(final long sessionId, final long sequence, final CommandStatus code, final int leaderId,
        final long slot, final DirectBuffer result, final int resultOffset, final int resultLength)
    {
        final Session s = sessions.get(sessionId);
        if (s == null)
        {
            return;
        }
        response.wrapAndApplyHeader(buffer, 0, header).sessionId(sessionId).sequence(sequence).status(code)
            .leaderNodeId(leaderId).slot(slot).putResult(result, resultOffset, resultLength);
        final byte[] list = code == CommandStatus.REDIRECT ? members : NO_BYTES;
        response.putMembers(list, 0, list.length);
        held.hold(s.publicationIndex(), buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + response.encodedLength());
    }

    /** Holds an admin reply (a StatusResponse encoded by the caller) for {@code publicationIndex}. */
    void adminReply(final int publicationIndex, final DirectBuffer frame, final int length)
    {
        held.hold(publicationIndex, frame, 0, length);
    }

    /** {@code channel} with the node's MTU, unless the client's channel sets one itself. */
    private String withMtu(final String channel)
    {
        return channel.contains("mtu=") ? channel : channel + (channel.contains("?") ? "|" : "?") + mtuParam;
    }
}
