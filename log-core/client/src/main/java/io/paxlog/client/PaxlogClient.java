package io.paxlog.client;

import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.protocol.JvmFlags;
import io.paxlog.protocol.Member;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.CompletableFuture;

/**
 * A Paxlog client session: commands applied through the replicated log exactly once per (sessionId, sequence),
 * and reads served without a log write.
 *
 * <h2>Pipelined, non-blocking use</h2>
 * {@link #offerCommand} sends a command and returns its sequence (or {@link #BACK_PRESSURED} / {@link #CLOSED},
 * consuming no sequence); {@link #poll()} does all the rest: it receives answers and hands each command's outcome,
 * once, to the {@link ResponseListener} of the {@link PaxlogClientContext}; it resends a command with the <em>same</em>
 * sequence when an attempt gets no answer within {@code attemptTimeoutNs} (then rotating to the next member and
 * reconnecting) and when a member redirects to the leader; a command answered BUSY, or REDIRECT during an
 * election, is parked and sent again as answers make room (one probe at a time, after {@code retryDelayNs}
 * doubling, while nothing is answered), so a full window never floods the cluster with resends; it fails a command after {@code callTimeoutNs}; and it sends keep-alives. At most
 * {@code maxOutstanding} (1..128) commands are outstanding, counted from the lowest unanswered sequence
 * ({@code sequence - lowestUnanswered < maxOutstanding}), because the cluster deduplicates only a session's 128
 * most recent sequences. Payloads of outstanding commands are kept in a preallocated ring for resends;
 * {@code offerCommand} and {@code poll} do not allocate once warmed up (the failure path does).
 *
 * <p><b>Ordering.</b> Commands are sent in sequence order and normally applied in that order, but when an attempt
 * is lost and retried (a timeout, a leader change, BUSY), later sequences may be applied before it. A caller that
 * needs command B applied after command A must wait for A's answer before offering B (or use
 * {@code maxOutstanding = 1}).
 *
 * <p><b>Keep-alives.</b> A member forgets a session after {@code paxlog.session.timeout.ms} (default 10 s) with no
 * message from it. {@code poll()} sends a SessionKeepAlive to every member the client has connected to when
 * nothing else was sent to it for {@code keepAliveIntervalNs}; an idle application must therefore keep calling
 * {@code poll()}. A member not sent anything for half of {@code sessionTimeoutNs} is reconnected before use.
 *
 * <p><b>Members.</b> Member ids are any distinct ids in 0..63. The client starts from the configured members and
 * takes the first for the leader until told otherwise. As membership changes, a REDIRECT carries the cluster's
 * latest member list: the client adds the members it did not know (a publication each, made inside {@code poll()})
 * and from then on rotates among that list (an attempt without an answer, a member without a leader: the next id of
 * the list, wrapping around); members no longer listed are no longer rotated to.
 *
 * <h2>Blocking use</h2>
 * {@link #command(byte[])}, {@link #query} and {@link #queryMember} block until answered or the call times out,
 * polling meanwhile (so async commands in flight progress too). {@link #commandAsync(byte[])} returns a future
 * completed from {@code poll()}: the caller must keep calling {@code poll()} (or a blocking call) for it to
 * complete.
 *
 * <p><b>Threading.</b> Not thread-safe: one thread creates the client and calls every method, including
 * {@code poll()} and {@code close()}. Listener and future callbacks run on that thread, inside {@code poll()}; from
 * there only {@code offerCommand}, {@code commandAsync} and the accessors may be called, not {@code poll()},
 * {@code close()} or the blocking calls.
 *
 * <p><b>Session end.</b> Status SESSION_CLOSED or a CLOSED session event ends the session for good: everything
 * outstanding fails with {@link PaxlogException.SessionClosed} and {@code offerCommand} returns {@link #CLOSED}
 * (a new client is a new session). A member refusing the session (REJECTED event, e.g. too many sessions) fails
 * what is outstanding with {@link PaxlogException.Rejected}; later commands try to connect again.
 *
 * <h2>Inside</h2>
 * One class per role, all on the caller's thread: {@link PaxlogClientContext} (settings), {@code ClientTransport}
 * (media driver, publications, fixed session frames), {@code ClientMembers} (connections, leader, keep-alives),
 * {@code CommandWindow} (the outstanding commands: sequences, resends, timeouts), {@code CommandOutcomes} (each
 * outcome to the blocking call, future or listener, once), {@code ClientResponseAdapter} (decoding answers and
 * session events) and {@code BlockingCalls} (command and query); this class is the public face and the duty cycle
 * ({@link #poll()}).
 */
public final class PaxlogClient implements AutoCloseable
{
    /**
     * How many of a session's most recent sequences the cluster deduplicates; the limit of maxOutstanding
     * ({@link ProtocolLimits#SESSION_WINDOW}).
     */
    public static final int SESSION_WINDOW = ProtocolLimits.SESSION_WINDOW;
    /**
     * From {@link #offerCommand}: maxOutstanding commands are outstanding (or commandAsync calls are queued), or
     * the publication is back-pressured. No sequence was consumed; call {@link #poll()} and offer again.
     */
    public static final long BACK_PRESSURED = -1;
    /** From {@link #offerCommand}: the client is closed, or the cluster closed the session. */
    public static final long CLOSED = -2;

    /** Result of a blocking command or query: the bytes returned and the slot (0 if answered from the cache). */
    public record Result(byte[] value, long slot) { }

    private final ClientTransport transport;
    private final ClientMembers members;
    private final CommandWindow window;
    private final BlockingCalls blocking;
    private final ClientResponseAdapter adapter;
    private boolean abandoned;
    private boolean resourcesClosed;
    private boolean inPoll;

    /** The original form: default settings but for these; blocking use (no listener). */
    public PaxlogClient(final Member[] members, final String aeronDir, final long attemptTimeoutNs,
        final long callTimeoutNs)
    {
        this(new PaxlogClientContext().members(members).aeronDirectoryName(aeronDir).attemptTimeoutNs(attemptTimeoutNs)
            .callTimeoutNs(callTimeoutNs).retryDelayNs(Math.min(PaxlogClientContext.RETRY_DELAY_DEFAULT_NS,
            attemptTimeoutNs / 2)));
    }

    /** Launches the client's embedded media driver and opens the session (lazily: the first call connects). */
    public PaxlogClient(final PaxlogClientContext context)
    {
        JvmFlags.require("paxlog client", JvmFlags.CLIENT); // one line, not an IllegalAccessError inside Agrona
        context.conclude();
        final Member[] memberList = context.members();
        final long startNs = System.nanoTime();
        this.transport = new ClientTransport(context);
        this.members = new ClientMembers(transport, memberList, context, startNs);
        final CommandOutcomes outcomes = new CommandOutcomes(context.responseListener(), context.maxOutstanding());
        this.window = new CommandWindow(transport, members, outcomes, context);
        this.blocking = new BlockingCalls(this, transport, members, window, outcomes, context);
        this.adapter = new ClientResponseAdapter(transport, members, window, blocking);
    }

    // ------------------------------------------------------------------ accessors

    public long sessionId()
    {
        return transport.sessionId();
    }

    /** The last sequence assigned to a command (0 before the first). */
    public long lastSequence()
    {
        return window.lastSequence();
    }

    /**
     * Commands offered and neither answered nor failed yet (commandAsync calls still queued for a place in the
     * window are not counted).
     */
    public int outstanding()
    {
        return window.outstanding();
    }

    public int maxOutstanding()
    {
        return window.maxOutstanding();
    }

    /** True once {@link #close()} was called or the cluster closed the session. */
    public boolean isClosed()
    {
        return window.closedReason() != null;
    }

    /** The highest slot reflected in any answer this session received. */
    public long lastSeenSlot()
    {
        return adapter.lastSeenSlot();
    }

    /**
     * Answer frames dropped unread since the start: malformed (a length or enum past what the frame holds), of
     * another schema, or a message no member sends a client. Each is counted, never thrown out of {@link #poll()}.
     */
    public long droppedResponses()
    {
        return adapter.dropped();
    }

    /** The decoder of everything on the response subscription, for tests feeding it frames directly. */
    ClientResponseAdapter responseAdapter()
    {
        return adapter;
    }

    // ------------------------------------------------------------------ async commands

    /**
     * Sends a command without waiting: returns its sequence (&gt; 0), whose outcome {@link #poll()} later hands to
     * the {@link ResponseListener} once; or {@link #BACK_PRESSURED} (window full, commandAsync calls queued, or the
     * publication back-pressured) or {@link #CLOSED}, consuming no sequence. The payload is copied.
     *
     * @throws IllegalArgumentException if {@code length} exceeds maxPayloadBytes.
     */
    public long offerCommand(final DirectBuffer payload, final int offset, final int length)
    {
        window.checkPayload(length);
        if (window.closedReason() != null)
        {
            return CLOSED;
        }
        if (window.hasQueued())
        {
            return BACK_PRESSURED;
        }
        return window.offer(payload, offset, length, System.nanoTime());
    }

    /**
     * Sends a command and returns a future completed (on this thread, from {@link #poll()} or a blocking call) with
     * its result, or exceptionally with a {@link PaxlogException}. When the window is full the command is queued and
     * sent by {@code poll()} as answers free places; it fails with a Timeout if not sent within callTimeoutNs. The
     * command is copied. The caller must keep calling {@code poll()}. Allocates.
     */
    public CompletableFuture<Result> commandAsync(final byte[] command)
    {
        window.checkPayload(command.length);
        if (window.closedReason() != null)
        {
            final CompletableFuture<Result> future = new CompletableFuture<>();
            future.completeExceptionally(new PaxlogException.SessionClosed(window.closedReason()));
            return future;
        }
        return window.offerAsync(command, System.nanoTime());
    }

    /**
     * Does the client's work: receives answers and delivers outcomes, sends queued commands, resends and times out
     * outstanding commands, (re)connects and sends keep-alives. Returns the amount of work done (0 when idle), for
     * an {@link IdleStrategy}. Must not be called from a listener or future callback.
     */
    public int poll()
    {
        if (inPoll)
        {
            throw new IllegalStateException("PaxlogClient.poll() called from inside poll() (a listener or future " +
                "callback); only offerCommand and commandAsync may be called there");
        }
        if (resourcesClosed)
        {
            return 0;
        }
        inPoll = true;
        try
        {
            final long now = System.nanoTime();
            int work = adapter.poll(now);
            if (window.closedReason() != null)
            {
                return work;
            }
            work += window.poll(now);
            work += members.poll(now);
            return work;
        }
        finally
        {
            inPoll = false;
        }
    }

    // ------------------------------------------------------------------ blocking calls

    /**
     * Applies {@code command} through the log, exactly once; blocks (polling) until applied or the call times out.
     * Commands offered asynchronously keep progressing meanwhile; this one's answer goes to the caller only.
     *
     * @throws PaxlogException.Timeout no answer within callTimeoutNs (it may or may not have been applied).
     * @throws PaxlogException.Rejected or {@link PaxlogException.SessionClosed} as answered.
     */
    public Result command(final byte[] command)
    {
        checkBlockingCall("command");
        window.checkPayload(command.length);
        return blocking.command(command);
    }

    /**
     * Reads from the state machine without a log write, at the given consistency; blocks (polling).
     * LINEARIZABLE goes to the leader (lease read, else ReadIndex). SEQUENTIAL is answered by a replica that has
     * applied at least {@code minSlot} and every slot this session has seen in an answer (so a session never
     * reads older state than it saw). EVENTUAL is answered at once with whatever the replica applied.
     */
    public Result query(final byte[] query, final ReadConsistency consistency, final long minSlot)
    {
        checkBlockingCall("query");
        return blocking.query(-1, query, consistency, sequentialFloor(consistency, minSlot));
    }

    /**
     * Reads from one particular member at EVENTUAL consistency (whatever it has applied, with the slot it
     * reflects): for operators and tests comparing replicas. The same as
     * {@code queryMember(member, query, ReadConsistency.EVENTUAL, 0)}.
     */
    public Result queryMember(final int member, final byte[] query)
    {
        return queryMember(member, query, ReadConsistency.EVENTUAL, 0);
    }

    /**
     * Reads from one particular member, follower or leader, at the given consistency; blocks (polling). The answer
     * is always that member's: the read is never moved to another member.
     * <ul>
     *   <li>SEQUENTIAL: the member answers once it has applied at least {@code minSlot} and every slot this session
     *   has seen in an answer ({@link #lastSeenSlot()}), as in {@link #query}; until then it answers BUSY and the
     *   client asks again every retryDelayNs. So a read at a follower reflects at least this session's own
     *   acknowledged writes. If the member does not catch up within callTimeoutNs (say it is cut off from the
     *   leader) the call fails with {@link PaxlogException.Timeout}.</li>
     *   <li>EVENTUAL: answered at once with whatever the member applied; {@code minSlot} is not used.</li>
     *   <li>LINEARIZABLE: only the leader serves it (lease read, else ReadIndex; {@code minSlot} is not used). A
     *   member that is not the leader answers REDIRECT, and the call fails at once with
     *   {@link PaxlogException.Rejected} naming the leader it pointed to; use {@link #query} to read from
     *   whichever member leads.</li>
     * </ul>
     * The answer's {@link Result#slot()} is the slot the member had applied when it answered. A member that does
     * not answer within attemptTimeoutNs is reconnected and asked again, until callTimeoutNs.
     *
     * @throws IllegalArgumentException if {@code member} is not the id of a member this client knows (configured, or
     *     learned from a redirect since).
     * @throws PaxlogException.Timeout no answer within callTimeoutNs.
     * @throws PaxlogException.Rejected as above, or if the member refused the query or the session.
     * @throws PaxlogException.SessionClosed if the session is over.
     */
    public Result queryMember(final int member, final byte[] query, final ReadConsistency consistency,
        final long minSlot)
    {
        if (!members.valid(member))
        {
            throw new IllegalArgumentException("member " + member + ": not a member this client knows (known ids: " +
                members.knownIdsText() + ")");
        }
        checkBlockingCall("query");
        return blocking.query(member, query, consistency, sequentialFloor(consistency, minSlot));
    }

    /** A SEQUENTIAL read never asks for older state than this session has seen. */
    private long sequentialFloor(final ReadConsistency consistency, final long minSlot)
    {
        return consistency == ReadConsistency.SEQUENTIAL ? Math.max(minSlot, adapter.lastSeenSlot()) : minSlot;
    }

    private void checkBlockingCall(final String call)
    {
        if (inPoll)
        {
            throw new IllegalStateException("PaxlogClient." + call + "() called from inside poll() (a listener or " +
                "future callback); only offerCommand and commandAsync may be called there");
        }
        if (window.closedReason() != null)
        {
            throw new PaxlogException.SessionClosed(window.closedReason());
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Stops this client without closing its session: the cluster keeps the session (and any locks it holds)
     * until the session's TTL passes without a message, as if the process had died. For tools and tests.
     */
    public void abandon()
    {
        abandoned = true;
        close();
    }

    /**
     * Closes the session (SessionClose to every member), fails what is outstanding with
     * {@link PaxlogException.SessionClosed} (through the listener and futures), and stops the media driver.
     */
    public void close()
    {
        if (resourcesClosed)
        {
            return;
        }
        if (inPoll)
        {
            throw new IllegalStateException("PaxlogClient.close() called from inside poll() (a listener or future " +
                "callback)");
        }
        if (window.closedReason() == null && !abandoned)
        {
            transport.offerCloseToAll();
        }
        try
        {
            window.sessionClosed("client closed (session " + transport.sessionId() + ")");
        }
        finally
        {
            resourcesClosed = true;
            transport.close();
        }
    }
}
