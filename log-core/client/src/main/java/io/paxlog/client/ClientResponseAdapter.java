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
import io.paxlog.protocol.Member;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

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
 * <p>Membership: a REDIRECT (answer or session event, schema version 5 on) may carry the cluster's latest members
 * ({@code id=host:consensusPort:clientPort,...}); a new list is parsed ({@link Member#parseList}) and handed to
 * {@link ClientMembers#learn} before the redirect itself, so the leader it names may be a member just learned. A
 * list that does not parse (or is longer than {@link #MEMBERS_TEXT_LENGTH_MAX}) drops the frame, counted like any
 * malformed one. The last list's bytes are kept, so the same list again (every redirect carries it) is neither
 * parsed nor learned again.
 *
 * <p>Decoders and the result view are reused; decoding allocates nothing but the detail text of a REJECTED or
 * CLOSED event and a members list not seen before.
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
    /** Longest members text parsed: that of every member id with the longest host and ports. */
    static final int MEMBERS_TEXT_LENGTH_MAX = Member.LIST_TEXT_LENGTH_MAX;
    private static final int RECEIVED = 0;
    private static final int IGNORED = 1;
    private static final int DROPPED = 2;

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
    private final UnsafeBuffer membersView = new UnsafeBuffer(0, 0);
    private final FrameChecker checker = new FrameChecker(FRAME_LENGTH_MAX, 0, FRAME_LENGTH_MAX);
    private long dropped;
    private long ignored;
    private long received;
    private long lastSeenSlot;
    private long nowNs;
    private int frameEnd;
    /** The members text last seen on a REDIRECT (null before the first) and whether it failed to parse. */
    private byte[] lastMembersText;
    private boolean lastMembersMalformed;

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
        frameEnd = offset + length;
        final int outcome;
        if (templateId == CommandResponseDecoder.TEMPLATE_ID)
        {
            outcome = onResponseFrame(buffer, body);
        }
        else if (templateId == SessionEventDecoder.TEMPLATE_ID)
        {
            outcome = onEventFrame(buffer, body);
        }
        else
        {
            outcome = DROPPED; // a well-formed message of the schema that no member sends to a client
        }
        if (outcome == RECEIVED)
        {
            received++;
        }
        else if (outcome == IGNORED)
        {
            ignored++;
        }
        else
        {
            dropped++;
        }
    }

    private int onResponseFrame(final DirectBuffer buffer, final int body)
    {
        responseDecoder.wrap(buffer, body, checker.actingBlockLength(), checker.actingVersion());
        if (responseDecoder.sessionId() != sessionId)
        {
            return IGNORED;
        }
        final long sequence = responseDecoder.sequence();
        final short status = responseDecoder.statusRaw();
        final int leaderId = responseDecoder.leaderNodeId();
        final long slot = responseDecoder.slot();
        responseDecoder.wrapResult(resultView);
        if (status == CommandStatus.REDIRECT.value() && responseDecoder.actingVersion() >=
            CommandResponseDecoder.membersSinceVersion() && !onMembersText(buffer, responseDecoder.limit()))
        {
            return DROPPED;
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
        return RECEIVED;
    }

    private int onEventFrame(final DirectBuffer buffer, final int body)
    {
        eventDecoder.wrap(buffer, body, checker.actingBlockLength(), checker.actingVersion());
        if (eventDecoder.sessionId() != sessionId)
        {
            return IGNORED;
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
                return IGNORED;
            }
            final byte[] challenge = new byte[length];
            eventDecoder.getChallenge(challenge, 0, length);
            onChallenge(eventLeader, challenge);
            return RECEIVED;
        }
        if (code == SessionEventCode.REDIRECT.value() &&
            eventDecoder.actingVersion() >= SessionEventDecoder.membersSinceVersion())
        {
            eventDecoder.skipDetail();
            eventDecoder.skipChallenge();
            if (!onMembersText(buffer, eventDecoder.limit()))
            {
                return DROPPED;
            }
        }
        onSessionEvent(code, eventLeader, detail);
        return RECEIVED;
    }

    /**
     * The members text of a REDIRECT, the var-data field at {@code at} (the frame's last): empty, or the list last
     * seen, changes nothing; a new list is parsed and learned. False if it is malformed (too long, not a member list,
     * or not one member of it can be reached): the caller drops the frame. The {@link FrameChecker} checked the
     * field's length against the frame's end; it is checked again here, cheaply, before anything is read (a frame
     * ending before the field carries no members).
     */
    private boolean onMembersText(final DirectBuffer buffer, final int at)
    {
        if (frameEnd - at < CommandResponseDecoder.membersHeaderLength())
        {
            return true;
        }
        final long textLength = buffer.getInt(at, CommandResponseDecoder.BYTE_ORDER) & 0xFFFF_FFFFL;
        final int textOffset = at + CommandResponseDecoder.membersHeaderLength();
        if (textLength > MEMBERS_TEXT_LENGTH_MAX || textLength > frameEnd - textOffset)
        {
            return false;
        }
        if (textLength == 0)
        {
            return true;
        }
        membersView.wrap(buffer, textOffset, (int)textLength);
        if (sameAsLastMembersText(membersView))
        {
            return !lastMembersMalformed;
        }
        final byte[] text = new byte[(int)textLength];
        membersView.getBytes(0, text);
        lastMembersText = text;
        final Member[] list;
        try
        {
            list = Member.parseList(new String(text, StandardCharsets.UTF_8));
        }
        catch (final IllegalArgumentException ex)
        {
            lastMembersMalformed = true;
            return false;
        }
        lastMembersMalformed = !members.learn(list, nowNs); // not one member reachable: as good as malformed
        return !lastMembersMalformed;
    }

    private boolean sameAsLastMembersText(final DirectBuffer text)
    {
        final byte[] last = lastMembersText;
        if (last == null || last.length != text.capacity())
        {
            return false;
        }
        for (int i = 0; i < last.length; i++)
        {
            if (last[i] != text.getByte(i))
            {
                return false;
            }
        }
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
