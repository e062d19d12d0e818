package io.paxlog.client;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paxlog.codecs.CommandResponseDecoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Decodes what arrives on the client's response subscription and hands it on with primitives: a CommandResponse
 * to {@link CommandWindow#onCommandResponse} (command sequences) or {@link BlockingCalls#onQueryResponse} (query
 * correlation ids, from {@link #QUERY_ID_BASE} up); a SessionEvent to the members, the blocking calls and the
 * window. Each frame is first checked in full by a {@link FrameChecker} (lengths, var data and enums against the
 * frame's end, schema, version, template): a malformed frame, one of another schema and any message a member never
 * sends a client are dropped and counted ({@link #dropped()}), never decoded and never thrown out of
 * {@link #poll}; well-formed frames of another session are ignored ({@link #ignored()}). An attempt whose answer
 * was dropped times out and is retried. Keeps the highest slot seen in an OK answer, the floor of the session's SEQUENTIAL reads.
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
    /**
     * Largest answer frame checked in full: Aeron's largest message at the default 16 MiB term (2 MiB) and more; a
     * larger one cannot be a member's answer.
     */
    static final int FRAME_LENGTH_MAX = 16 << 20;

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
    private final FrameChecker checker = new FrameChecker(FRAME_LENGTH_MAX, 0, FRAME_LENGTH_MAX);
    private long dropped;
    private long ignored;
    private long received;
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

    /** Frames dropped unread: malformed (the {@link FrameChecker}'s verdict), another schema, or no client message. */
    long dropped()
    {
        return dropped;
    }

    /** Well-formed answers and events for another session, or challenges too long to answer: ignored. */
    long ignored()
    {
        return ignored;
    }

    /** Answers and events of this session handed on. */
    long received()
    {
        return received;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        // every length, enum and var-data field checked against the frame's end before a decoder reads it
        if (checker.check(buffer, offset, length) != FrameCheck.OK)
        {
            dropped++;
            return;
        }
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int templateId = checker.templateId();
        final boolean forThisSession;
        if (templateId == CommandResponseDecoder.TEMPLATE_ID)
        {
            forThisSession = onResponseFrame(buffer, body);
        }
        else if (templateId == SessionEventDecoder.TEMPLATE_ID)
        {
            forThisSession = onEventFrame(buffer, body);
        }
        else
        {
            dropped++; // a well-formed message of the schema that no member sends to a client
            return;
        }
        if (forThisSession)
        {
            received++;
        }
        else
        {
            ignored++;
        }
    }

    private boolean onResponseFrame(final DirectBuffer buffer, final int body)
    {
        responseDecoder.wrap(buffer, body, checker.actingBlockLength(), checker.actingVersion());
        if (responseDecoder.sessionId() != sessionId)
        {
            return false;
        }
        final long sequence = responseDecoder.sequence();
        final short status = responseDecoder.statusRaw();
        final int leaderId = responseDecoder.leaderNodeId();
        final long slot = responseDecoder.slot();
        responseDecoder.wrapResult(resultView);
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
        return true;
    }

    private boolean onEventFrame(final DirectBuffer buffer, final int body)
    {
        eventDecoder.wrap(buffer, body, checker.actingBlockLength(), checker.actingVersion());
        if (eventDecoder.sessionId() != sessionId)
        {
            return false;
        }
        final short code = eventDecoder.codeRaw();
        final int eventLeader = eventDecoder.leaderNodeId();
        final String detail = code == SessionEventCode.REJECTED.value() || code == SessionEventCode.CLOSED.value() ?
            eventDecoder.detail() : null;
        if (code == SessionEventCode.CHALLENGE.value())
        {
            eventDecoder.skipDetail();
            final int length = eventDecoder.challengeLength();
            if (length <= 0 || length > io.paxlog.auth.AuthVerdict.CHALLENGE_LENGTH_MAX)
            {
                return false;
            }
            final byte[] challenge = new byte[length];
            eventDecoder.getChallenge(challenge, 0, length);
            onChallenge(eventLeader, challenge);
            return true;
        }
        onSessionEvent(code, eventLeader, detail);
        return true;
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
