package io.paxlog.replica;

import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.core.CommitListener;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.Role;
import io.paxlog.sm.ResponseSink;
import io.paxlog.sm.StateMachineHost;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.Function;

/**
 * The service-side rules of one replica, written once for every runtime: a real node ({@code node.NodeAgent}) and
 * the simulator ({@code sim.SimNode}) both drive this class, so a seed the simulator passes exercises the rules the
 * node runs. It owns the {@link StateMachineHost} and decides, for each client request: session opens (admission:
 * the session limit, the TTL range; proposed through the log by the {@link SessionKeeper}, answered OPEN once
 * applied), commands (redirects, exactly-once lookups, proposals and the answers pending on their slots, BUSY on
 * back-pressure, refusal of oversized commands), queries at the four read levels (lease, ReadIndex, sequential at a
 * replica that applied the client's last seen slot, eventual), keep-alives and closes; and, as the core's
 * {@link CommitListener}, applies committed entries, answers the clients waiting for them, and hands on every answer
 * a state machine defers (after the answer of the command that caused it, in the order they were produced). Every
 * answer of an apply, immediate or deferred, reaches it through the host's {@link ResponseSink} ({@link #onAnswer},
 * {@link #onDeferredResponse}): nothing reads the host's result buffer after an apply.
 *
 * <p>It talks to the outside only through {@link ReplicaOutput}. Time arrives as arguments; it reads no clock and
 * starts no thread. Threading: the runtime's one thread. Allocation: none on the command, query and apply paths once
 * warmed up (refusal texts and session events allocate). Determinism: same inputs, same outputs, same order.
 */
public final class Replica implements CommitListener, ResponseSink
{
    /** The node setting that bounds open sessions, named in refusals. */
    public static final String SESSIONS_MAX_PROP = "paxlog.sessions.max";
    /** A linearizable read waiting longer than this for its ReadIndex round is answered BUSY. */
    public static final long READ_WAIT_MAX_NS = 1_000_000_000L;
    /** The most bytes of deferred answers one apply may produce before they are handed on (then more: grows). */
    private static final int DEFERRED_INITIAL_BYTES = 4096;
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private final int nodeId;
    private final int sessionsMax;
    private final ReplicaOutput out;
    private final StateMachineHost host;
    private final SessionKeeper keeper;
    private final PendingResponses pending;
    private final PendingReads reads = new PendingReads();
    private final UnsafeBuffer entryPayload = new UnsafeBuffer(0, 0);
    /** The answer of the command being applied, as the host reported it ({@link #onAnswer}); valid until its next call. */
    private final UnsafeBuffer answer = new UnsafeBuffer(0, 0);
    private int answerLength;
    private final UnsafeBuffer deferredView = new UnsafeBuffer(0, 0);
    private final ExpandableArrayBuffer deferred = new ExpandableArrayBuffer(DEFERRED_INITIAL_BYTES);
    private final SessionKeeper.Proposer proposer = this::proposeEvent;
    private int deferredBytes;
    private boolean applying;
    private long nowNs;
    private ConsensusNode core;

    /**
     * @param nodeId             this member's id (named in answers it gives as leader)
     * @param sessionsMax        the most sessions open in the cluster; more are refused
     * @param sessionTtlMs       the TTL of a session that asks for none (0)
     * @param windowSlots        the core's window of uncommitted slots (sizes the pending answers)
     * @param hostFactory        makes the host, given the sink for deferred answers (this replica)
     * @param out                where answers go
     */
    public Replica(final int nodeId, final int sessionsMax, final long sessionTtlMs, final int windowSlots,
        final Function<ResponseSink, StateMachineHost> hostFactory, final ReplicaOutput out)
    {
        this.nodeId = nodeId;
        this.sessionsMax = sessionsMax;
        this.out = out;
        this.host = hostFactory.apply(this);
        this.keeper = new SessionKeeper(host, sessionTtlMs);
        this.pending = new PendingResponses(windowSlots);
    }

    /** The core this replica proposes to and reads from (it is the core's commit listener): set once, before use. */
    public void bind(final ConsensusNode core)
    {
        this.core = core;
    }

    public StateMachineHost host()
    {
        return host;
    }

    /** Forgets the answers pending on slots (a snapshot replaced the log under them). */
    public void clearPending()
    {
        pending.clear();
    }

    // ------------------------------------------------------------------ requests

    /**
     * A client asks to open (or re-open) its session at this member, with the exactly-once {@code window} it needs
     * (its most commands in flight; 0 when its SessionConnect did not say, which gets
     * {@link StateMachineHost#SESSION_WINDOW_UNSTATED}).
     */
    public void onSessionConnect(final long nowNs, final long sessionId, final long ttlMs, final int window)
    {
        this.nowNs = nowNs;
        keeper.heard(sessionId, nowNs);
        if (core.role() != Role.LEADER)
        {
            out.sessionEvent(sessionId, SessionEventCode.REDIRECT, core.leaderId(), "not the leader");
        }
        else if (host.hasSession(sessionId))
        {
            out.sessionEvent(sessionId, SessionEventCode.OPEN, nodeId, "");
        }
        else if (host.sessionCount() >= sessionsMax)
        {
            out.sessionEvent(sessionId, SessionEventCode.REJECTED, nodeId, "too many open sessions in the cluster (" +
                SESSIONS_MAX_PROP + "=" + sessionsMax + ")");
        }
        else if (ttlMs < 0 || ttlMs > StateMachineHost.SESSION_TTL_MAX_MS)
        {
            out.sessionEvent(sessionId, SessionEventCode.REJECTED, nodeId, "session TTL must be in 0.." +
                StateMachineHost.SESSION_TTL_MAX_MS + " ms: " + ttlMs);
        }
        else if (window < 0 || window > StateMachineHost.SESSION_WINDOW)
        {
            out.sessionEvent(sessionId, SessionEventCode.REJECTED, nodeId, "session window must be in 1.." +
                StateMachineHost.SESSION_WINDOW + " commands: " + window);
        }
        else
        {
            keeper.proposeOpen(sessionId, ttlMs, window, nowNs, proposer); // OPEN is sent once it is applied
        }
    }

    /** A command of a session: answered now (redirect, duplicate, refusal, BUSY) or once its slot is applied. */
    public void onCommand(final long nowNs, final long sessionId, final long sequence, final DirectBuffer payload,
        final int offset, final int length)
    {
        this.nowNs = nowNs;
        keeper.heard(sessionId, nowNs);
        if (core.role() != Role.LEADER)
        {
            out.answer(sessionId, sequence, CommandStatus.REDIRECT, core.leaderId(), 0, EMPTY, 0, 0);
            return;
        }
        if (sequence < 1)
        {
            out.answer(sessionId, sequence, CommandStatus.REJECTED, nodeId, 0, EMPTY, 0, 0);
            return;
        }
        // the host may lag this leader's commit point (a new leader applies what it recovered first), so an
        // unknown session is not an answer here: the command goes through the log, and its apply decides
        final int known = host.lookup(sessionId, sequence);
        switch (known)
        {
            case StateMachineHost.UNKNOWN:
            case StateMachineHost.NO_SESSION:
                break;
            case StateMachineHost.WAITING:
                return; // applied; the machine answers when it can
            default:
                respond(sessionId, sequence, known, 0, host.result(), host.resultLength()); // the recorded answer
                return;
        }
        final long slot = core.propose(nowNs, sessionId, sequence, payload, offset, length);
        if (slot == ConsensusNode.BACK_PRESSURE)
        {
            out.answer(sessionId, sequence, CommandStatus.BUSY, nodeId, 0, EMPTY, 0, 0);
        }
        else if (slot == ConsensusNode.TOO_LARGE)
        {
            // refused for good, with the reason as the result text (allocates: a client error, not the hot path)
            final byte[] why = ("command of " + length + " bytes exceeds " + CoreConfig.COMMAND_BYTES_MAX_PROP + "=" +
                core.config().commandBytesMax()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            out.answer(sessionId, sequence, CommandStatus.REJECTED, nodeId, 0, new UnsafeBuffer(why), 0, why.length);
        }
        else if (slot > 0)
        {
            pending.add(slot, sessionId, sequence);
        }
    }

    /**
     * A query at one of the read levels. Linearizable: served at once under the leader's lease (checked at
     * {@code readNowNs}, a clock reading taken after the query arrived), else queued for a ReadIndex round
     * ({@link #serveReads}); sequential: served once this replica applied {@code minSlot} (BUSY before); eventual:
     * served at once.
     */
    public void onQuery(final long nowNs, final long readNowNs, final long sessionId, final long correlationId,
        final short consistency, final long minSlot, final DirectBuffer payload, final int offset, final int length)
    {
        this.nowNs = nowNs;
        keeper.heard(sessionId, nowNs);
        final boolean linearizable = consistency == ReadConsistency.LINEARIZABLE.value();
        if (linearizable && !core.canServeLeaseRead(readNowNs))
        {
            if (core.role() != Role.LEADER)
            {
                out.answer(sessionId, correlationId, CommandStatus.REDIRECT, core.leaderId(), 0, EMPTY, 0, 0);
            }
            else if (reads.add(sessionId, correlationId, nowNs, core.commitSlot(), payload, offset, length))
            {
                core.confirmLeadershipSoon(); // ReadIndex: answered once a quorum confirms this leader
            }
            else
            {
                out.answer(sessionId, correlationId, CommandStatus.BUSY, core.leaderId(), 0, EMPTY, 0, 0);
            }
            return;
        }
        if (consistency == ReadConsistency.SEQUENTIAL.value() && core.appliedSlot() < minSlot)
        {
            out.answer(sessionId, correlationId, CommandStatus.BUSY, core.leaderId(), core.appliedSlot(), EMPTY, 0, 0);
            return;
        }
        if (!host.query(payload, offset, length))
        {
            out.answer(sessionId, correlationId, CommandStatus.REJECTED, core.leaderId(), 0, EMPTY, 0, 0);
            return;
        }
        if (linearizable)
        {
            out.linearizableRead(true);
        }
        out.answer(sessionId, correlationId, CommandStatus.OK, core.leaderId(), core.appliedSlot(), host.result(), 0,
            host.resultLength());
    }

    public void onKeepAlive(final long nowNs, final long sessionId)
    {
        keeper.heard(sessionId, nowNs);
    }

    /** The client closes its session: the leader proposes the close (the runtime forgets its route itself). */
    public void onSessionClose(final long nowNs, final long sessionId)
    {
        this.nowNs = nowNs;
        if (core.role() == Role.LEADER)
        {
            keeper.proposeClose(sessionId, nowNs, proposer);
        }
    }

    /** The leader's session duties (closing silent sessions, ticks for due timers); nothing on other roles. */
    public int duties(final long nowNs)
    {
        this.nowNs = nowNs;
        return core.role() == Role.LEADER ? keeper.duties(nowNs, core.logTimeNs(nowNs), proposer) : 0;
    }

    /**
     * Answers the linearizable reads whose ReadIndex round completed, in arrival order; a read waiting longer than
     * {@link #READ_WAIT_MAX_NS}, or any read once this node is no longer leader, is answered BUSY or REDIRECT.
     */
    public int serveReads(final long nowNs)
    {
        int served = 0;
        while (!reads.isEmpty())
        {
            final long sessionId = reads.headSessionId();
            final long correlationId = reads.headCorrelationId();
            if (core.role() != Role.LEADER)
            {
                out.answer(sessionId, correlationId, CommandStatus.REDIRECT, core.leaderId(), 0, EMPTY, 0, 0);
            }
            else if (core.readIndexReady(reads.headArrivalNs(), reads.headReadIndexSlot()))
            {
                if (host.query(reads.headQuery(), 0, reads.headLength()))
                {
                    out.linearizableRead(false);
                    out.answer(sessionId, correlationId, CommandStatus.OK, nodeId, core.appliedSlot(), host.result(),
                        0, host.resultLength());
                }
                else
                {
                    out.answer(sessionId, correlationId, CommandStatus.REJECTED, nodeId, 0, EMPTY, 0, 0);
                }
            }
            else if (nowNs - reads.headArrivalNs() > READ_WAIT_MAX_NS)
            {
                out.answer(sessionId, correlationId, CommandStatus.BUSY, nodeId, 0, EMPTY, 0, 0);
            }
            else
            {
                break;
            }
            reads.pop();
            served++;
        }
        return served;
    }

    private long proposeEvent(final long sessionId, final DirectBuffer payload, final int offset, final int length)
    {
        return core.propose(nowNs, sessionId, 0, payload, offset, length);
    }

    /** Answers a command whose outcome is known now, with the host's result where there is one. */
    private void respond(final long sessionId, final long sequence, final int outcome, final long slot,
        final DirectBuffer result, final int resultLength)
    {
        final CommandStatus status;
        switch (outcome)
        {
            case StateMachineHost.APPLIED:
            case StateMachineHost.DUPLICATE:
                status = CommandStatus.OK;
                break;
            case StateMachineHost.NO_SESSION:
                status = CommandStatus.SESSION_CLOSED;
                break;
            default:
                status = CommandStatus.REJECTED;
                break;
        }
        out.answer(sessionId, sequence, status, nodeId, slot, result, 0, status == CommandStatus.OK ? resultLength : 0);
    }

    // ------------------------------------------------------------------ CommitListener

    public void onCommitted(final long slot, final long ballot, final Entry entry)
    {
        applying = true;
        try
        {
            if (entry.isConfig())
            {
                // no machine's business: the slot still counts as applied; the runtime keeps the configuration
                out.applied(slot, entry, host.applyNoop(slot, entry.timestampNs()), EMPTY, 0, 0);
                out.configurationApplied(slot, entry);
            }
            else if (entry.isNoop())
            {
                out.applied(slot, entry, host.applyNoop(slot, entry.timestampNs()), EMPTY, 0, 0);
            }
            else
            {
                final long sessionId = entry.sessionId();
                final long sequence = entry.sequence();
                entryPayload.wrap(entry.payloadArray(), entry.payloadOffset(), entry.payloadLength());
                answerLength = 0;
                final int outcome = host.apply(slot, entry.timestampNs(), sessionId, sequence, entryPayload, 0,
                    entry.payloadLength()); // a command's answer arrives through onAnswer, deferred ones before it
                out.applied(slot, entry, outcome, answer, 0, answerLength);
                if (sequence == 0)
                {
                    onEventApplied(sessionId, entryPayload.getByte(0));
                }
                else if (pending.take(slot, sessionId, sequence) && outcome != StateMachineHost.PENDING &&
                    outcome != StateMachineHost.WAITING)
                {
                    respond(sessionId, sequence, outcome, slot, answer, answerLength);
                }
            }
        }
        finally
        {
            applying = false;
        }
        flushDeferred();
    }

    private void onEventApplied(final long sessionId, final byte kind)
    {
        final boolean leader = core.role() == Role.LEADER;
        if (kind == StateMachineHost.EVENT_OPEN)
        {
            keeper.onOpened(sessionId);
            if (leader && host.hasSession(sessionId))
            {
                out.sessionEvent(sessionId, SessionEventCode.OPEN, nodeId, "");
            }
        }
        else if (kind == StateMachineHost.EVENT_CLOSE)
        {
            keeper.onClosed(sessionId);
            if (leader)
            {
                out.sessionEvent(sessionId, SessionEventCode.CLOSED, nodeId,
                    "session closed (no message within its TTL)");
            }
            out.sessionClosed(sessionId);
        }
        else if (kind == StateMachineHost.EVENT_TICK)
        {
            keeper.onTick();
        }
    }

    /**
     * The answer of the command being applied, reported by the host (the one route of every answer): kept until
     * {@code apply} returns, then observed and sent (if this replica's client awaits it) before the deferred answers
     * that apply produced. The host's buffer stays as it is until the host's next call, which comes after.
     */
    @Override
    public void onAnswer(final long sessionId, final long sequence, final long slot, final int outcome,
        final DirectBuffer result, final int offset, final int length)
    {
        answer.wrap(result, offset, length);
        answerLength = length;
    }

    /**
     * A state machine answered a command later (on every replica, at the same point of the log): kept until the
     * apply in progress has given its own answer, then handed on in the order produced; the leader sends it.
     */
    public void onDeferredResponse(final long sessionId, final long sequence, final long slot,
        final DirectBuffer result, final int offset, final int length)
    {
        final int at = deferredBytes;
        deferred.putLong(at, sessionId);
        deferred.putLong(at + 8, sequence);
        deferred.putLong(at + 16, slot);
        deferred.putInt(at + 24, length);
        deferred.putBytes(at + 28, result, offset, length);
        deferredBytes = at + 28 + length;
        if (!applying)
        {
            flushDeferred();
        }
    }

    private void flushDeferred()
    {
        int at = 0;
        while (at < deferredBytes)
        {
            final long sessionId = deferred.getLong(at);
            final long sequence = deferred.getLong(at + 8);
            final long slot = deferred.getLong(at + 16);
            final int length = deferred.getInt(at + 24);
            deferredView.wrap(deferred, at + 28, length);
            out.deferredAnswer(sessionId, sequence, slot, deferredView, 0, length);
            if (core != null && core.role() == Role.LEADER)
            {
                out.answer(sessionId, sequence, CommandStatus.OK, nodeId, slot, deferredView, 0, length);
            }
            at += 28 + length;
        }
        deferredBytes = 0;
    }

    public void onRoleChange(final Role newRole, final long ballot, final long nowNs, final String reason)
    {
        out.roleChanged(newRole, ballot, nowNs, reason);
        if (newRole != Role.LEADER)
        {
            pending.clear();
        }
        else
        {
            keeper.onBecameLeader(nowNs);
        }
    }

    public void onMembershipChange(final long requestId, final boolean done, final String detail)
    {
        out.membershipChangeEnded(requestId, done, detail);
    }
}
