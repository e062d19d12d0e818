package io.paxlog.client;

import io.aeron.Publication;
import io.paxlog.codecs.CommandRequestEncoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderEncoder;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The commands outstanding, indexed by sequence in a ring of {@code maxOutstanding} cells (at most
 * {@link PaxlogClient#SESSION_WINDOW}). Each command's encoded CommandRequest frame lives in a byte ring of
 * {@code maxOutstandingBytes}, frames one after another in sequence order (a frame that would not fit before the
 * ring's end starts the next lap), so every attempt resends the <em>same</em> sequence; space is reclaimed as the
 * lowest unanswered command is answered. The credits are both: a sequence is offered only while
 * {@code sequence - lowestUnanswered < maxOutstanding} and its frame's bytes fit. Each cell holds the command's
 * frame position and state (sent, delayed by a back-pressured publication, awaiting a connection, parked), its
 * target, its attempt count and its deadlines. Also: the commandAsync calls queued for a place in the
 * window, and the end of the session (everything outstanding fails). An answered or failed command leaves the
 * window at once, so its outcome is delivered (by {@link CommandOutcomes}) exactly once.
 *
 * <p><b>Parking.</b> A command answered BUSY (the leader's window is full) or REDIRECT without a leader (an election)
 * is parked, not resent on a timer: every parked command resent every {@code retryDelayNs} would flood the leader or
 * the candidates with the whole window (128 commands of 1 MiB each every millisecond starved an election). Commands
 * are sent while fewer than {@code sendLimit} are in flight (sent, delayed or awaiting a connection): a BUSY answer
 * lowers the limit to the number still in flight, an OK raises it by one per limit's worth of OK answers (additive
 * increase), and each OK makes room for a parked command, lowest sequence first. With nothing in flight the lowest
 * parked command alone is sent as a probe, after {@code retryDelayNs} doubling up to {@code attemptTimeoutNs / 8}
 * while the probes are parked again; an OK resets the delay. New offers are parked too while any command is.
 *
 * <p>Offering, answering and checking allocate nothing; failures, futures and queued calls do.
 *
 * <p>Threading: owned by one {@link PaxlogClient} and used on its thread only.
 */
final class CommandWindow
{
    /** A CommandRequest frame's bytes besides its payload: message header, block, payload length. */
    static final int COMMAND_FRAME_OVERHEAD_BYTES = MessageHeaderEncoder.ENCODED_LENGTH +
        CommandRequestEncoder.BLOCK_LENGTH + CommandRequestEncoder.payloadHeaderLength();
    private static final int FRAME_ALIGNMENT = 8;

    /** The longest refusal reason a client quotes from a REJECTED answer. */
    private static final int REJECTION_REASON_MAX = 200;
    private static final byte FREE = 0;
    private static final byte SENT = 1;
    private static final byte DELAYED = 2;
    private static final byte AWAITING_CONNECT = 3;
    private static final byte PARKED = 4;

    private record Queued(byte[] payload, CompletableFuture<PaxlogClient.Result> future, long deadlineNs) { }

    private final ClientTransport transport;
    private final ClientMembers members;
    private final CommandOutcomes outcomes;
    private final long sessionId;
    private final int maxOutstanding;
    private final int maxPayloadBytes;
    private final long attemptTimeoutNs;
    private final long callTimeoutNs;
    private final long retryDelayNs;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final CommandRequestEncoder commandEncoder = new CommandRequestEncoder();
    private final UnsafeBuffer asyncPayload = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer ring;
    private final int ringBytes;
    /** Bytes ever reserved (the next frame's position) and the position of the lowest unanswered frame. */
    private long ringHead;
    private long ringTail;
    private final long[] cellPosition;
    private final long[] cellSequence;
    private final byte[] cellState;
    private final int[] cellTarget;
    private final int[] cellAttempts;
    private final int[] cellFrameLength;
    private final long[] attemptDeadlineNs;
    private final long[] sendAtNs;
    private final long[] callDeadlineNs;
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private long lastSequence;
    private long lowestUnanswered = 1;
    private int outstanding;
    private long nextCheckNs = Long.MAX_VALUE;
    private long checkedTargetsVersion;
    private String closedReason;
    private int parked;
    private int sendLimit;
    private int answeredSinceIncrease;
    private final long probeDelayMaxNs;
    private long probeDelayNs;
    private long probeAtNs = Long.MAX_VALUE;


    CommandWindow(final ClientTransport transport, final ClientMembers members, final CommandOutcomes outcomes,
        final PaxlogClientContext context)
    {
        this.transport = transport;
        this.members = members;
        this.outcomes = outcomes;
        this.sessionId = transport.sessionId();
        this.maxOutstanding = context.maxOutstanding();
        this.maxPayloadBytes = context.maxPayloadBytes();
        this.attemptTimeoutNs = context.attemptTimeoutNs();
        this.callTimeoutNs = context.callTimeoutNs();
        this.retryDelayNs = context.retryDelayNs();
        this.ringBytes = context.maxOutstandingBytes();
        this.ring = new UnsafeBuffer(new byte[ringBytes]);
        this.cellPosition = new long[maxOutstanding];
        this.cellSequence = new long[maxOutstanding];
        this.cellState = new byte[maxOutstanding];
        this.cellTarget = new int[maxOutstanding];
        this.cellAttempts = new int[maxOutstanding];
        this.cellFrameLength = new int[maxOutstanding];
        this.attemptDeadlineNs = new long[maxOutstanding];
        this.sendAtNs = new long[maxOutstanding];
        this.callDeadlineNs = new long[maxOutstanding];
        this.sendLimit = maxOutstanding;
        this.probeDelayMaxNs = Math.max(retryDelayNs, attemptTimeoutNs / 8);
        this.probeDelayNs = retryDelayNs;
    }

    // ------------------------------------------------------------------ state

    long lastSequence()
    {
        return lastSequence;
    }

    int outstanding()
    {
        return outstanding;
    }

    int maxOutstanding()
    {
        return maxOutstanding;
    }

    /** True if commandAsync calls wait for a place in the window (they go before new offers). */
    boolean hasQueued()
    {
        return !queued.isEmpty();
    }

    /** Why the session ended, or null while it lasts. */
    String closedReason()
    {
        return closedReason;
    }

    /** The ring bytes a command of {@code payloadLength} bytes takes. */
    static int frameBytes(final int payloadLength)
    {
        return BitUtil.align(COMMAND_FRAME_OVERHEAD_BYTES + payloadLength, FRAME_ALIGNMENT);
    }

    /** Where a frame of {@code frameBytes} would go (the next lap's start if it does not fit before the end), or -1. */
    private long reserve(final int frameBytes)
    {
        long position = ringHead;
        final int index = (int)(position % ringBytes);
        if (index + frameBytes > ringBytes)
        {
            position += ringBytes - index;
        }
        return position + frameBytes - ringTail > ringBytes ? -1 : position;
    }

    private int index(final int cell)
    {
        return (int)(cellPosition[cell] % ringBytes);
    }

    void checkPayload(final int length)
    {
        if (length < 0 || length > maxPayloadBytes)
        {
            throw new IllegalArgumentException("command of " + length + " bytes: must be at most maxPayloadBytes=" +
                maxPayloadBytes);
        }
    }

    /** The timeout message of a command that never got a place in the window. */
    String notSentMessage()
    {
        return "command was not sent within " + callTimeoutNs / 1_000_000 + " ms: the session's credits stayed " +
            "taken (maxOutstanding=" + maxOutstanding + " commands, maxOutstandingBytes=" + ringBytes + "; " +
            outstanding + " outstanding, session " + sessionId + ")";
    }

    // ------------------------------------------------------------------ offering

    /**
     * Encodes the next sequence into the ring and sends it to the leader (or waits for the leader's connection).
     * Returns the sequence, or {@link PaxlogClient#BACK_PRESSURED} (credits taken, in commands or bytes, or the
     * publication back-pressured) consuming no sequence.
     */
    long offer(final DirectBuffer payload, final int offset, final int length, final long now)
    {
        final long sequence = lastSequence + 1;
        final int frameBytes = frameBytes(length);
        final long position = outstanding == 0 ? 0 : reserve(frameBytes); // an empty ring starts again at 0
        if (sequence - lowestUnanswered >= maxOutstanding || position < 0)
        {
            return PaxlogClient.BACK_PRESSURED;
        }
        final int cell = cell(sequence);
        cellPosition[cell] = position;
        commandEncoder.wrapAndApplyHeader(ring, index(cell), headerEncoder).sessionId(sessionId)
            .sequence(sequence).putPayload(payload, offset, length);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength();
        final int target = members.leader();
        final boolean park = parked > 0 || inFlight() >= sendLimit;
        if (!park)
        {
            members.refresh(target, now);
            members.requireClusterOpen(target);
        }
        long result = Publication.NOT_CONNECTED;
        if (!park && members.isOpen(target))
        {
            result = transport.offer(target, ring, index(cell), frameLength);
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                return PaxlogClient.BACK_PRESSURED;
            }
        }
        lastSequence = sequence;
        if (outstanding == 0)
        {
            lowestUnanswered = sequence;
            ringTail = position;
        }
        ringHead = position + frameBytes;
        outstanding++;
        cellSequence[cell] = sequence;
        cellFrameLength[cell] = frameLength;
        cellAttempts[cell] = 0;
        callDeadlineNs[cell] = now + callTimeoutNs;
        outcomes.future(cell, null);
        if (park)
        {
            cellTarget[cell] = target;
            park(cell, now);
        }
        else if (members.isOpen(target))
        {
            sent(cell, target, result, now);
        }
        else
        {
            awaitConnect(cell, target, now);
        }
        nextCheckNs = Math.min(nextCheckNs, Math.min(attemptDeadlineNs[cell], callDeadlineNs[cell]));
        return sequence;
    }

    /** commandAsync: offers now if nothing is queued and there is room, else queues (a copy) until there is. */
    CompletableFuture<PaxlogClient.Result> offerAsync(final byte[] command, final long now)
    {
        final CompletableFuture<PaxlogClient.Result> future = new CompletableFuture<>();
        if (queued.isEmpty())
        {
            asyncPayload.wrap(command);
            final long sequence = offer(asyncPayload, 0, command.length, now);
            if (sequence > 0)
            {
                outcomes.future(cell(sequence), future);
                return future;
            }
        }
        queued.addLast(new Queued(command.clone(), future, now + callTimeoutNs));
        return future;
    }

    /** Sends (or schedules) an outstanding command's next attempt, to the current leader. */
    private void dispatch(final int cell, final long now)
    {
        final int target = members.leader();
        members.refresh(target, now);
        members.requireClusterOpen(target);
        if (!members.isOpen(target))
        {
            awaitConnect(cell, target, now);
            return;
        }
        final long result = transport.offer(target, ring, index(cell), cellFrameLength[cell]);
        if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
        {
            cellState[cell] = DELAYED;
            sendAtNs[cell] = now;
            return;
        }
        sent(cell, target, result, now);
    }

    private void sent(final int cell, final int target, final long result, final long now)
    {
        // an offer to a member that is not connected counts as a lost attempt: it times out and rotates
        cellState[cell] = SENT;
        cellTarget[cell] = target;
        cellAttempts[cell]++;
        attemptDeadlineNs[cell] = now + attemptTimeoutNs;
        if (result > 0)
        {
            members.sent(target, now);
        }
    }

    private void awaitConnect(final int cell, final int target, final long now)
    {
        if (members.isNone(target))
        {
            members.startConnect(target, now);
        }
        cellState[cell] = AWAITING_CONNECT;
        cellTarget[cell] = target;
        attemptDeadlineNs[cell] = now + attemptTimeoutNs;
    }

    private int inFlight()
    {
        return outstanding - parked;
    }

    /** Parks a command until an OK makes room or, with nothing in flight, until its turn as the probe. */
    private void park(final int cell, final long now)
    {
        if (cellState[cell] != PARKED)
        {
            cellState[cell] = PARKED;
            parked++;
        }
        attemptDeadlineNs[cell] = Long.MAX_VALUE;
        scheduleProbe(now);
    }

    /** With commands parked and none in flight, the lowest parked one is sent after the probe delay, which doubles. */
    private void scheduleProbe(final long now)
    {
        if (parked > 0 && inFlight() == 0 && probeAtNs == Long.MAX_VALUE)
        {
            probeAtNs = now + probeDelayNs;
            probeDelayNs = Math.min(probeDelayMaxNs, Math.max(1_000L, probeDelayNs * 2));
            nextCheckNs = Math.min(nextCheckNs, probeAtNs);
        }
    }

    /** Sends parked commands, lowest sequence first: at most {@code count}, and while fewer than the limit fly. */
    private int unpark(final int count, final long now)
    {
        int sent = 0;
        for (long sequence = lowestUnanswered; sequence <= lastSequence && parked > 0 && sent < count &&
            inFlight() < sendLimit; sequence++)
        {
            final int cell = cell(sequence);
            if (cellSequence[cell] == sequence && cellState[cell] == PARKED)
            {
                parked--;
                cellState[cell] = SENT;
                dispatch(cell, now);
                nextCheckNs = Math.min(nextCheckNs, cellState[cell] == DELAYED ? sendAtNs[cell] :
                    attemptDeadlineNs[cell]);
                sent++;
            }
        }
        return sent;
    }

    private void delay(final int cell, final long atNs)
    {
        cellState[cell] = DELAYED;
        sendAtNs[cell] = atNs;
        nextCheckNs = Math.min(nextCheckNs, atNs);
    }

    // ------------------------------------------------------------------ duty cycle

    /** Sends queued commandAsync calls, then resends and times out outstanding commands when due. */
    int poll(final long now)
    {
        int work = 0;
        if (!queued.isEmpty())
        {
            work += drainQueued(now);
        }
        if (now >= nextCheckNs || members.targetsVersion() != checkedTargetsVersion)
        {
            work += checkOutstanding(now);
        }
        return work;
    }

    private int drainQueued(final long now)
    {
        int work = 0;
        Queued q;
        while (closedReason == null && (q = queued.peekFirst()) != null)
        {
            if (now >= q.deadlineNs())
            {
                queued.pollFirst();
                q.future().completeExceptionally(new PaxlogException.Timeout(notSentMessage()));
                work++;
                continue;
            }
            asyncPayload.wrap(q.payload());
            final long sequence = offer(asyncPayload, 0, q.payload().length, now);
            if (sequence < 0)
            {
                break;
            }
            queued.pollFirst();
            outcomes.future(cell(sequence), q.future());
            work++;
        }
        return work;
    }

    /** Timeouts, resends after a delay, and commands waiting for a connection: in sequence order. */
    private int checkOutstanding(final long now)
    {
        int work = 0;
        if (parked > 0 && inFlight() == 0 && now >= probeAtNs)
        {
            probeAtNs = Long.MAX_VALUE;
            work += unpark(1, now);
        }
        long next = Long.MAX_VALUE;
        checkedTargetsVersion = members.targetsVersion();
        final int leaderAtStart = members.leader();
        for (long sequence = lowestUnanswered; sequence <= lastSequence; sequence++)
        {
            final int cell = cell(sequence);
            if (cellSequence[cell] != sequence)
            {
                continue;
            }
            if (now >= callDeadlineNs[cell])
            {
                fail(cell, sequence, new PaxlogException.Timeout(timeoutMessage(cell, sequence)));
                work++;
                continue;
            }
            switch (cellState[cell])
            {
                case SENT:
                    if (now >= attemptDeadlineNs[cell])
                    {
                        members.attemptTimedOut(cellTarget[cell]);
                        dispatch(cell, now);
                        work++;
                    }
                    break;
                case DELAYED:
                    if (now >= sendAtNs[cell])
                    {
                        dispatch(cell, now);
                        work++;
                    }
                    break;
                case AWAITING_CONNECT:
                    if (cellTarget[cell] != members.leader() || members.isOpen(members.leader()))
                    {
                        dispatch(cell, now);
                        work++;
                    }
                    else if (now >= attemptDeadlineNs[cell])
                    {
                        members.attemptTimedOut(cellTarget[cell]);
                        dispatch(cell, now);
                        work++;
                    }
                    break;
                default:
                    break;
            }
            if (cellSequence[cell] == sequence)
            {
                final long due = cellState[cell] == DELAYED ? sendAtNs[cell] : attemptDeadlineNs[cell];
                next = Math.min(next, Math.min(due, callDeadlineNs[cell]));
            }
        }
        scheduleProbe(now);
        if (parked > 0 && inFlight() == 0)
        {
            next = Math.min(next, probeAtNs);
        }
        // a rotation during the scan retargets the commands already passed on the next poll
        nextCheckNs = members.leader() != leaderAtStart ? Long.MIN_VALUE : next;
        return work;
    }

    /**
     * A command's timeout message. One never sent (it waited all along for the session to open: no leader opened
     * it) says so, and that it was not applied; one sent says how often, and that it may have been applied.
     */
    private String timeoutMessage(final int cell, final long sequence)
    {
        final int attempts = cellAttempts[cell];
        if (attempts == 0)
        {
            return "command seq " + sequence + " was never sent within " + callTimeoutNs / 1_000_000 + " ms: " +
                members.notOpenReason(cellTarget[cell], sessionId, true) + "; it was not applied";
        }
        return "command seq " + sequence + " got no answer within " + callTimeoutNs / 1_000_000 + " ms after " +
            attempts + (attempts == 1 ? " attempt" : " attempts") + " (session " + sessionId +
            "); it may or may not have been applied";
    }

    // ------------------------------------------------------------------ answers

    /** A CommandResponse for this session; {@code result} holds the result bytes (all its capacity). */
    void onCommandResponse(final long sequence, final short status, final int leaderId, final long slot,
        final DirectBuffer result, final long now)
    {
        if (sequence < lowestUnanswered || sequence > lastSequence)
        {
            return;
        }
        final int cell = cell(sequence);
        if (cellSequence[cell] != sequence)
        {
            return; // answered already (a retry answered twice) or failed: delivered once only
        }
        if (status == CommandStatus.OK.value())
        {
            members.onCommandAnswered(leaderId);
            complete(cell, sequence, slot, result);
            probeDelayNs = retryDelayNs;
            if (++answeredSinceIncrease >= sendLimit)
            {
                answeredSinceIncrease = 0;
                sendLimit = Math.min(maxOutstanding, sendLimit + 1);
            }
            if (parked > 0)
            {
                probeAtNs = Long.MAX_VALUE;
                unpark(maxOutstanding, now);
                scheduleProbe(now);
            }
        }
        else if (status == CommandStatus.REDIRECT.value())
        {
            if (cellState[cell] != SENT)
            {
                return; // already being resent
            }
            if (members.onCommandRedirect(cellTarget[cell], leaderId, now))
            {
                dispatch(cell, now);
            }
            else
            {
                park(cell, now); // an election: the lowest parked command probes until a leader is known
            }
        }
        else if (status == CommandStatus.BUSY.value())
        {
            if (cellState[cell] == SENT)
            {
                park(cell, now);
                sendLimit = Math.max(1, inFlight());
                answeredSinceIncrease = 0;
            }
        }
        else if (status == CommandStatus.REJECTED.value())
        {
            fail(cell, sequence, new PaxlogException.Rejected(result.capacity() > 0 ?
                "command seq " + sequence + " rejected by the cluster: " + printable(result) :
                "command seq " + sequence + " rejected by the cluster (status REJECTED, session " + sessionId +
                "; e.g. the sequence fell out of the session's window of " + PaxlogClient.SESSION_WINDOW + ")"));
        }
        else if (status == CommandStatus.SESSION_CLOSED.value())
        {
            sessionClosed("session " + sessionId + " was closed by the cluster (status SESSION_CLOSED for command seq " +
                sequence + ")");
        }
    }

    /** The node's reason for a refusal, as printable ASCII of at most {@value #REJECTION_REASON_MAX} characters. */
    private static String printable(final DirectBuffer reason)
    {
        final int length = Math.min(reason.capacity(), REJECTION_REASON_MAX);
        final StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            final byte b = reason.getByte(i);
            text.append(b >= 0x20 && b < 0x7F ? (char)b : '?');
        }
        return text.toString();
    }

    // ------------------------------------------------------------------ outcomes

    private void complete(final int cell, final long sequence, final long slot, final DirectBuffer result)
    {
        free(cell, sequence);
        outcomes.onResponse(cell, sequence, slot, result);
    }

    private void fail(final int cell, final long sequence, final PaxlogException cause)
    {
        free(cell, sequence);
        outcomes.onFailure(cell, sequence, cause);
    }

    private void free(final int cell, final long sequence)
    {
        if (cellState[cell] == PARKED)
        {
            parked--;
        }
        cellSequence[cell] = 0;
        cellState[cell] = FREE;
        outstanding--;
        if (sequence == lowestUnanswered)
        {
            long s = sequence + 1;
            while (s <= lastSequence && cellSequence[cell(s)] != s)
            {
                s++;
            }
            lowestUnanswered = s;
            ringTail = s <= lastSequence ? cellPosition[cell(s)] : ringHead;
        }
    }

    /** Fails every outstanding and queued command (a rejected or closed session). */
    void failAll(final String reason, final boolean closed)
    {
        for (long sequence = lowestUnanswered; sequence <= lastSequence; sequence++)
        {
            final int cell = cell(sequence);
            if (cellSequence[cell] == sequence)
            {
                final String message = reason + "; command seq " + sequence + " may or may not have been applied";
                fail(cell, sequence, closed ? new PaxlogException.SessionClosed(message) :
                    new PaxlogException.Rejected(message));
            }
        }
        Queued q;
        while ((q = queued.pollFirst()) != null)
        {
            q.future().completeExceptionally(closed ? new PaxlogException.SessionClosed(reason + "; command not sent") :
                new PaxlogException.Rejected(reason + "; command not sent"));
        }
    }

    /** The session is over for good (the first reason stays): everything outstanding fails as SessionClosed. */
    void sessionClosed(final String reason)
    {
        if (closedReason == null)
        {
            closedReason = reason;
            failAll(reason, true);
        }
    }

    private int cell(final long sequence)
    {
        return (int)(sequence % maxOutstanding);
    }
}
