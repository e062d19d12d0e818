package io.paxlog.client;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.paxlog.codecs.FaultOutcome;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MembershipResponseDecoder;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import io.paxlog.codecs.StatusResponseDecoder;
import io.paxlog.codecs.VotingState;
import io.paxlog.protocol.Member;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the frames arriving on an {@link AdminClient}'s response channel: a StatusResponse becomes a
 * {@link NodeStatusReport}, a MembershipResponse an {@link AdminClient.MembershipResult}, a REJECTED SessionEvent
 * the node's reason for refusing, each only when it answers a correlation id awaited now (the single call's, or one
 * of a {@link AdminClient#statusAll} round's); anything else, a frame the {@link FrameChecker} rejects included, is
 * ignored. Never throws for a frame the checker accepts. Between calls nothing is awaited, so nothing is kept: a
 * stray answer (any correlation id, -1 included) cannot leave state behind for the next call.
 *
 * <p>Threading: not thread-safe; AdminClient uses it under its lock, on the thread polling the subscription.
 */
final class AdminResponseAdapter implements FragmentHandler
{
    private final FrameChecker checker;
    private final StatusResponseDecoder response = new StatusResponseDecoder();
    private final MembershipResponseDecoder membershipResponse = new MembershipResponseDecoder();
    private final SessionEventDecoder refusal = new SessionEventDecoder();
    private boolean awaiting;
    private long awaitedCorrelationId = -1;
    private String refusedDetail;
    private NodeStatusReport answer;
    private FaultOutcome answerOutcome;
    private AdminClient.MembershipResult membershipAnswer;
    /** A {@link AdminClient#statusAll} round: the first of its consecutive correlation ids (i's is first + i). */
    private long allFirstCorrelationId = -1;
    /** The round's answers; null when no round is under way. */
    private NodeStatusReport[] allAnswers;
    private long[] allAnsweredNanos;

    /** @param checker validates each frame before anything decodes it (its limits are the admin client's). */
    AdminResponseAdapter(final FrameChecker checker)
    {
        this.checker = checker;
    }

    /** Awaits the answer to {@code correlationId}; forgets the last answer, outcome, refusal and membership answer. */
    void await(final long correlationId)
    {
        awaiting = true;
        awaitedCorrelationId = correlationId;
        refusedDetail = null;
        answer = null;
        answerOutcome = null;
        membershipAnswer = null;
    }

    /** Stops awaiting a single answer (the last one read stays readable). */
    void awaitNone()
    {
        awaiting = false;
        awaitedCorrelationId = -1;
    }

    /**
     * Awaits a status round: the answer to {@code firstCorrelationId + i} goes to {@code answers[i]}, once (an
     * element already set is kept), and its {@link System#nanoTime()} to {@code answeredNanos[i]}; the arrays'
     * lengths are equal and the round's size.
     */
    void awaitAll(final long firstCorrelationId, final NodeStatusReport[] answers, final long[] answeredNanos)
    {
        allFirstCorrelationId = firstCorrelationId;
        allAnswers = answers;
        allAnsweredNanos = answeredNanos;
    }

    /** Ends a status round. */
    void awaitAllNone()
    {
        allFirstCorrelationId = -1;
        allAnswers = null;
        allAnsweredNanos = null;
    }

    /** The status answering the awaited correlation id, or null. */
    NodeStatusReport answer()
    {
        return answer;
    }

    /** The fault outcome of the last status report read (single or of a round), or null since {@link #await}. */
    FaultOutcome answerOutcome()
    {
        return answerOutcome;
    }

    /** The reason the node refused the awaited request (a REJECTED session event), or null. */
    String refusedDetail()
    {
        return refusedDetail;
    }

    /** The MembershipResponse answering the awaited correlation id, or null. */
    AdminClient.MembershipResult membershipAnswer()
    {
        return membershipAnswer;
    }

    void clearMembershipAnswer()
    {
        membershipAnswer = null;
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
    {
        if (checker.check(buffer, offset, length) != FrameCheck.OK)
        {
            return; // not an answer of this schema: ignored
        }
        if (checker.templateId() == SessionEventDecoder.TEMPLATE_ID)
        {
            refusal.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, checker.actingBlockLength(),
                checker.actingVersion());
            if (awaiting && refusal.correlationId() == awaitedCorrelationId &&
                refusal.code() == SessionEventCode.REJECTED)
            {
                refusedDetail = refusal.detail(); // the node refused the request (authentication)
            }
            return;
        }
        if (checker.templateId() == MembershipResponseDecoder.TEMPLATE_ID)
        {
            membershipResponse.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, checker.actingBlockLength(),
                checker.actingVersion());
            if (awaiting && membershipResponse.correlationId() == awaitedCorrelationId)
            {
                final String outcome = membershipResponse.outcome().name();
                final int nodeId = membershipResponse.nodeId();
                final int leaderId = membershipResponse.leaderId();
                final long commitSlot = membershipResponse.commitSlot();
                membershipAnswer = new AdminClient.MembershipResult(outcome, nodeId, leaderId, commitSlot,
                    membershipResponse.detail());
            }
            return;
        }
        if (checker.templateId() != StatusResponseDecoder.TEMPLATE_ID)
        {
            return;
        }
        final int version = checker.actingVersion();
        response.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, checker.actingBlockLength(), version);
        final long correlationId = response.correlationId();
        final boolean single = awaiting && correlationId == awaitedCorrelationId;
        final long allIndex = allAnswers == null ? -1 : correlationId - allFirstCorrelationId;
        final boolean ofAll = allIndex >= 0 && allIndex < allAnswers.length && allAnswers[(int)allIndex] == null;
        if (!single && !ofAll)
        {
            return; // an answer to an earlier call or an earlier resend
        }
        final boolean v2 = version >= 2;
        final int nodeId = response.nodeId();
        final String role = switch (response.role())
        {
            case LEADER -> "leader";
            case CANDIDATE -> "candidate";
            default -> "follower";
        };
        final long ballot = response.ballot();
        final long commitSlot = response.commitSlot();
        final long appliedSlot = response.appliedSlot();
        final long leaseRemainingNs = response.leaseRemainingNs();
        final long droppedFrames = response.droppedFrames();
        final int leaderId = v2 ? response.leaderId() : -1;
        final long snapshotSlot = v2 ? response.snapshotSlot() : 0;
        final long droppedSends = v2 ? response.droppedSends() : 0;
        final long delayedFrames = v2 ? response.delayedFrames() : 0;
        final long faultDelayNs = v2 ? response.faultDelayNs() : 0;
        answerOutcome = v2 ? response.faultOutcome() : FaultOutcome.NONE;
        final List<FollowerLag> followers = new ArrayList<>();
        for (final StatusResponseDecoder.FollowersDecoder f : response.followers())
        {
            followers.add(new FollowerLag(f.nodeId(), f.ackedSlot(), f.lagSlots(), f.lastAckAgeNs()));
        }
        long voters = 0;
        long learners = 0;
        for (final StatusResponseDecoder.ConfigurationDecoder c : response.configuration())
        {
            final int id = c.nodeId();
            if (id >= 0 && id <= Member.ID_MAX)
            {
                if (c.votingState() == VotingState.VOTER)
                {
                    voters |= 1L << id;
                }
                else
                {
                    learners |= 1L << id;
                }
            }
        }
        final String configuration = response.configurationDetail();
        final NodeStatusReport report = new NodeStatusReport(nodeId, role, ballot, leaderId, commitSlot, appliedSlot,
            leaseRemainingNs, snapshotSlot, droppedFrames, droppedSends, delayedFrames, faultDelayNs, followers,
            voters, learners, configuration);
        if (single)
        {
            answer = report;
        }
        else
        {
            allAnswers[(int)allIndex] = report;
            allAnsweredNanos[(int)allIndex] = System.nanoTime();
        }
    }
}
