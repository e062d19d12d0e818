package io.paxlog.client;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paxlog.codecs.CommandResponseDecoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes what arrives on the client's response subscription and hands it on with primitives: a CommandResponse
 * to {@link CommandWindow#onCommandResponse} (command sequences) or {@link BlockingCalls#onQueryResponse} (query
 * correlation ids, from {@link #QUERY_ID_BASE} up); a SessionEvent to the members, the blocking calls and the
 * window. Frames of another schema or another session, and malformed frames, are ignored (the attempt times out
 * and is retried). Keeps the highest slot seen in an OK answer, the floor of the session's SEQUENTIAL reads.
 *
 * <p>Decoders and the result view are reused; decoding allocates nothing but the detail text of a REJECTED or
 * CLOSED event.
 *
 * <p>Threading: owned by one {@link PaxlogClient} and used on its thread only, from {@link PaxlogClient#poll()}.
 */
final class ClientResponseAdapter implements FragmentHandler
{
    /** Query correlation ids live above every command sequence, so the two kinds of answer never collide. */
    static final long QUERY_ID_BASE = 1L << 62;
    private static final int FRAGMENT_LIMIT = 128;

    private final long sessionId;
    private final ClientTransport transport;
    private final Subscription responses;
    private final ClientMembers members;
    private final CommandWindow window;
    private final BlockingCalls blocking;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CommandResponseDecoder responseDecoder = new CommandResponseDecoder();
    private final SessionEventDecoder eventDecoder = new SessionEventDecoder();
    private final UnsafeBuffer resultView = new UnsafeBuffer(0, 0);
    private long lastSeenSlot;
    private long nowNs;

    ClientResponseAdapter(final ClientTransport transport, final ClientMembers members, final CommandWindow window,
        final BlockingCalls blocking)
    {
        this.sessionId = transport.sessionId();
        this.transport = transport;
        this.responses = transport.responses();
        this.members = members;
        this.window = window;
        this.blocking = blocking;
    }

    /** The highest slot reflected in any OK answer this session received. */
    long lastSeenSlot()
    {
        return lastSeenSlot;
    }

    /** Receives what has arrived (up to a bounded number of fragments); returns the fragments read. */
    int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        return responses.poll(assembler, FRAGMENT_LIMIT);
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != CommandResponseDecoder.SCHEMA_ID)
        {
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int templateId = headerDecoder.templateId();
        if (templateId == CommandResponseDecoder.TEMPLATE_ID)
        {
            onResponseFrame(buffer, body);
        }
        else if (templateId == SessionEventDecoder.TEMPLATE_ID)
        {
            onEventFrame(buffer, body);
        }
    }

    private void onResponseFrame(final DirectBuffer buffer, final int body)
    {
        final long sequence;
        final short status;
        final int leaderId;
        final long slot;
        try
        {
            responseDecoder.wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
            if (responseDecoder.sessionId() != sessionId)
            {
                return;
            }
            sequence = responseDecoder.sequence();
            status = responseDecoder.statusRaw();
            leaderId = responseDecoder.leaderNodeId();
            slot = responseDecoder.slot();
            responseDecoder.wrapResult(resultView);
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return; // a malformed answer is ignored; the attempt times out and is retried
        }
        if (status == CommandStatus.OK.value() && slot > lastSeenSlot)
        {
            lastSeenSlot = slot; // the newest state this session has seen, for sequential reads
        }
        if (sequence >= QUERY_ID_BASE)
        {
            blocking.onQueryResponse(sequence, status, leaderId, slot, resultView);
        }
        else
        {
            window.onCommandResponse(sequence, status, leaderId, slot, resultView, nowNs);
        }
    }

    private void onEventFrame(final DirectBuffer buffer, final int body)
    {
        final short code;
        final int eventLeader;
        final String detail;
        byte[] challenge = null;
        try
        {
            eventDecoder.wrap(buffer, body, headerDecoder.blockLength(), headerDecoder.version());
            if (eventDecoder.sessionId() != sessionId)
            {
                return;
            }
            code = eventDecoder.codeRaw();
            eventLeader = eventDecoder.leaderNodeId();
            detail = code == SessionEventCode.REJECTED.value() || code == SessionEventCode.CLOSED.value() ?
                eventDecoder.detail() : null;
            if (code == SessionEventCode.CHALLENGE.value())
            {
                eventDecoder.skipDetail();
                final int length = eventDecoder.challengeLength();
                if (length <= 0 || length > io.paxlog.auth.AuthVerdict.CHALLENGE_LENGTH_MAX)
                {
                    return;
                }
                challenge = new byte[length];
                eventDecoder.getChallenge(challenge, 0, length);
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return;
        }
        if (challenge != null)
        {
            onChallenge(eventLeader, challenge);
            return;
        }
        onSessionEvent(code, eventLeader, detail);
    }

    /**
     * Member {@code memberId} challenged the session's connect: the credentials answer it in the next connect to that
     * member, sent at once; credentials that cannot answer fail the session's calls as a refusal would.
     */
    private void onChallenge(final int memberId, final byte[] challenge)
    {
        if (!members.valid(memberId))
        {
            return;
        }
        if (transport.onChallenge(memberId, challenge))
        {
            members.resendConnectNow(memberId);
        }
        else
        {
            onSessionEvent(SessionEventCode.REJECTED.value(), memberId, "authentication failed: member " + memberId +
                " sent a challenge that this client's credentials cannot answer");
        }
    }

    private void onSessionEvent(final short code, final int leaderId, final String detail)
    {
        if (code == SessionEventCode.OPEN.value())
        {
            members.onOpenEvent(leaderId);
        }
        else if (code == SessionEventCode.REDIRECT.value())
        {
            members.onRedirectEvent(leaderId);
        }
        else if (code == SessionEventCode.REJECTED.value())
        {
            final String reason = "session " + sessionId + " rejected by a member: " + detail;
            blocking.onRejected(reason);
            members.onRejectedEvent();
            window.failAll(reason, false);
        }
        else if (code == SessionEventCode.CLOSED.value())
        {
            window.sessionClosed("session " + sessionId + " was closed by the cluster" +
                (detail == null || detail.isEmpty() ? "" : ": " + detail));
        }
    }
}
