package io.paxlog.client;

import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.QueryRequestEncoder;
import io.paxlog.codecs.ReadConsistency;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The blocking calls, on top of the pipelined client: {@link #command} offers through
 * {@link PaxlogClient#offerCommand} and polls until {@link CommandOutcomes} hands it that sequence's outcome;
 * {@link #query} sends a QueryRequest (correlation ids from {@link ClientResponseAdapter#QUERY_ID_BASE} up) and
 * polls until it is answered, retrying on no answer, BUSY and REDIRECT until the call deadline. Both keep calling
 * {@link PaxlogClient#poll()}, so commands offered asynchronously progress meanwhile. Also remembers a REJECTED
 * session event for the blocking call in progress.
 *
 * <p>Threading: owned by one {@link PaxlogClient} and used on its thread only, never from inside {@code poll()}.
 */
final class BlockingCalls
{
    private static final long NULL_TIME = Long.MIN_VALUE;

    private final PaxlogClient client;
    private final ClientTransport transport;
    private final ClientMembers members;
    private final CommandWindow window;
    private final CommandOutcomes outcomes;
    private final long sessionId;
    private final long attemptTimeoutNs;
    private final long callTimeoutNs;
    private final long retryDelayNs;
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private final UnsafeBuffer blockingPayload = new UnsafeBuffer(0, 0);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final QueryRequestEncoder queryEncoder = new QueryRequestEncoder();
    private final ExpandableArrayBuffer queryBuffer = new ExpandableArrayBuffer(256);

    private long queryCorrelation;
    private long awaitedQueryId;
    private int queryStatus = -1;
    private int queryLeader;
    private long querySlot;
    private byte[] queryResult;
    private String rejectedDetail;

    BlockingCalls(final PaxlogClient client, final ClientTransport transport, final ClientMembers members,
        final CommandWindow window, final CommandOutcomes outcomes, final PaxlogClientContext context)
    {
        this.client = client;
        this.transport = transport;
        this.members = members;
        this.window = window;
        this.outcomes = outcomes;
        this.sessionId = transport.sessionId();
        this.attemptTimeoutNs = context.attemptTimeoutNs();
        this.callTimeoutNs = context.callTimeoutNs();
        this.retryDelayNs = context.retryDelayNs();
    }

    /** A member refused the session: the blocking call in progress fails with this (a {@code Rejected}). */
    void onRejected(final String reason)
    {
        rejectedDetail = reason;
    }

    /** See {@link PaxlogClient#command}; the caller checked the thread and the payload. */
    PaxlogClient.Result command(final byte[] command)
    {
        final long deadlineNs = System.nanoTime() + callTimeoutNs;
        blockingPayload.wrap(command);
        long sequence;
        idle.reset();
        while ((sequence = client.offerCommand(blockingPayload, 0, command.length)) < 0)
        {
            if (sequence == PaxlogClient.CLOSED)
            {
                throw new PaxlogException.SessionClosed(window.closedReason());
            }
            if (System.nanoTime() >= deadlineNs)
            {
                throw new PaxlogException.Timeout(window.notSentMessage());
            }
            idle.idle(client.poll());
        }
        outcomes.await(sequence);
        try
        {
            idle.reset();
            while (!outcomes.awaitedDone())
            {
                idle.idle(client.poll());
            }
            return outcomes.awaitedResult();
        }
        finally
        {
            outcomes.stopAwaiting();
        }
    }

    /**
     * Reads at {@code consistency}: from the leader (following REDIRECT answers and changing the leader) when
     * {@code fixedMember} is -1, else from that member only. A REDIRECT from a fixed member fails the call at once
     * for LINEARIZABLE (only the leader serves it) and is asked again after retryDelayNs otherwise, as BUSY is
     * (a SEQUENTIAL read the member cannot serve yet). No answer within attemptTimeoutNs: the member is
     * reconnected and asked again (the next member of the latest list, unless fixed). A REDIRECT naming a member this
     * client does not know (even after learning the list it carried) counts as naming no leader. The caller checked
     * the thread and that a fixed member is known.
     */
    PaxlogClient.Result query(final int fixedMember, final byte[] query, final ReadConsistency consistency,
        final long minSlot)
    {
        final long id = ClientResponseAdapter.QUERY_ID_BASE + ++queryCorrelation;
        final String what = fixedMember >= 0 ? "query " + id + " to member " + fixedMember : "query " + id;
        final long deadlineNs = System.nanoTime() + callTimeoutNs;
        int target = fixedMember >= 0 ? fixedMember : members.leader();
        int attempts = 0;
        long pauseUntilNs = NULL_TIME;
        rejectedDetail = null;
        try
        {
            while (true)
            {
                if (!pollUntil(pauseUntilNs, deadlineNs))
                {
                    break;
                }
                final long attemptDeadlineNs = Math.min(deadlineNs, System.nanoTime() + attemptTimeoutNs);
                members.queryTarget(target);
                if (!awaitOpen(target, attemptDeadlineNs))
                {
                    checkSession();
                    members.forget(target);
                    target = fixedMember >= 0 ? fixedMember : members.next(target);
                    continue;
                }
                attempts++;
                awaitedQueryId = id;
                queryStatus = -1;
                queryResult = null;
                sendQuery(target, id, query, consistency, minSlot);
                idle.reset();
                while (queryStatus < 0 && window.closedReason() == null && rejectedDetail == null &&
                    System.nanoTime() < attemptDeadlineNs)
                {
                    idle.idle(client.poll());
                }
                checkSession();
                if (queryStatus < 0)
                {
                    members.forget(target); // it may have forgotten the session
                    target = fixedMember >= 0 ? fixedMember : members.next(target);
                    continue;
                }
                if (queryStatus == CommandStatus.OK.value())
                {
                    if (fixedMember < 0 && consistency == ReadConsistency.LINEARIZABLE && members.leader() != target)
                    {
                        members.changeLeader(target);
                    }
                    return new PaxlogClient.Result(queryResult, querySlot);
                }
                if (queryStatus == CommandStatus.REDIRECT.value())
                {
                    if (fixedMember < 0)
                    {
                        final int named = queryLeader;
                        target = members.valid(named) && named != target ? named : members.next(target);
                        if (members.valid(named) && members.leader() != named)
                        {
                            members.changeLeader(named);
                        }
                    }
                    else if (consistency == ReadConsistency.LINEARIZABLE)
                    {
                        throw new PaxlogException.Rejected(what + " rejected: LINEARIZABLE reads are served by the " +
                            "leader only, and member " + fixedMember + " is not the leader (it names " +
                            (members.valid(queryLeader) ? "member " + queryLeader : "no leader") + ")");
                    }
                    pauseUntilNs = System.nanoTime() + retryDelayNs;
                }
                else if (queryStatus == CommandStatus.BUSY.value())
                {
                    pauseUntilNs = System.nanoTime() + retryDelayNs;
                }
                else if (queryStatus == CommandStatus.SESSION_CLOSED.value())
                {
                    window.sessionClosed("session " + sessionId + " was closed by the cluster (status " +
                        "SESSION_CLOSED for " + what + ")");
                    throw new PaxlogException.SessionClosed(window.closedReason());
                }
                else
                {
                    throw new PaxlogException.Rejected(what + " rejected by the cluster (status " +
                        CommandStatus.get((short)queryStatus) + ")");
                }
            }
        }
        finally
        {
            awaitedQueryId = 0;
            members.queryTarget(-1);
            queryResult = null;
        }
        if (attempts == 0)
        {
            throw new PaxlogException.Timeout(what + " was never sent within " + callTimeoutNs / 1_000_000 + " ms: " +
                members.notOpenReason(target, sessionId, false));
        }
        throw new PaxlogException.Timeout(what + " got no answer within " + callTimeoutNs / 1_000_000 + " ms after " +
            attempts + (attempts == 1 ? " attempt" : " attempts") + " (session " + sessionId + ")");
    }

    /** A CommandResponse carrying a query correlation id; only the awaited query's first answer counts. */
    void onQueryResponse(final long id, final short status, final int leaderId, final long slot,
        final DirectBuffer result)
    {
        if (id != awaitedQueryId || queryStatus >= 0)
        {
            return;
        }
        if (status == CommandStatus.OK.value())
        {
            final byte[] bytes = new byte[result.capacity()];
            result.getBytes(0, bytes);
            queryResult = bytes;
        }
        querySlot = slot;
        queryLeader = leaderId;
        queryStatus = status;
    }

    /** Polls until {@code untilNs}; false if the call deadline passed first. */
    private boolean pollUntil(final long untilNs, final long deadlineNs)
    {
        idle.reset();
        long now;
        while ((now = System.nanoTime()) < untilNs && now < deadlineNs)
        {
            checkSession();
            idle.idle(client.poll());
        }
        return now < deadlineNs;
    }

    /** Connects to {@code member} if needed and polls until it is open; false if the attempt deadline passed. */
    private boolean awaitOpen(final int member, final long attemptDeadlineNs)
    {
        final long now = System.nanoTime();
        members.refresh(member, now);
        if (members.isNone(member))
        {
            members.startConnect(member, now);
        }
        idle.reset();
        while (!members.isOpen(member) && window.closedReason() == null && rejectedDetail == null &&
            System.nanoTime() < attemptDeadlineNs)
        {
            idle.idle(client.poll());
        }
        return members.isOpen(member);
    }

    private void sendQuery(final int target, final long id, final byte[] query, final ReadConsistency consistency,
        final long minSlot)
    {
        queryEncoder.wrapAndApplyHeader(queryBuffer, 0, headerEncoder).sessionId(sessionId).correlationId(id)
            .consistency(consistency).minSlot(minSlot).putPayload(query, 0, query.length);
        if (transport.offer(target, queryBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH +
            queryEncoder.encodedLength()) > 0)
        {
            members.sent(target, System.nanoTime());
        }
    }

    private void checkSession()
    {
        if (window.closedReason() != null)
        {
            throw new PaxlogException.SessionClosed(window.closedReason());
        }
        if (rejectedDetail != null)
        {
            final String detail = rejectedDetail;
            rejectedDetail = null;
            throw new PaxlogException.Rejected(detail);
        }
    }
}
