package io.paxlog.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.paxlog.codecs.CommandRequestEncoder;
import io.paxlog.codecs.CommandResponseDecoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.QueryRequestEncoder;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.codecs.SessionCloseEncoder;
import io.paxlog.codecs.SessionConnectEncoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import io.paxlog.codecs.SessionKeepAliveEncoder;
import io.paxlog.node.Member;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * A Paxlog client session: commands applied through the replicated log exactly once per (sessionId, sequence),
 * and reads served without a log write.
 *
 * <h2>Pipelined, non-blocking use</h2>
 * {@link #offerCommand} sends a command and returns its sequence (or {@link #BACK_PRESSURED} / {@link #CLOSED},
 * consuming no sequence); {@link #poll()} does all the rest: it receives answers and hands each command's outcome,
 * once, to the {@link ResponseListener} of the {@link Context}; it resends a command with the <em>same</em>
 * sequence when an attempt gets no answer within {@code attemptTimeoutNs} (then rotating to the next member and
 * reconnecting), when a member redirects to the leader, and after the leader answered BUSY (after
 * {@code retryDelayNs}); it fails a command after {@code callTimeoutNs}; and it sends keep-alives. At most
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
 */
public final class PaxlogClient implements AutoCloseable
{
    static final int CLIENT_STREAM = 102;
    static final int RESPONSE_STREAM = 103;

    /** How many of a session's most recent sequences the cluster deduplicates; the limit of maxOutstanding. */
    public static final int SESSION_WINDOW = 128;
    /**
     * From {@link #offerCommand}: maxOutstanding commands are outstanding (or commandAsync calls are queued), or
     * the publication is back-pressured. No sequence was consumed; call {@link #poll()} and offer again.
     */
    public static final long BACK_PRESSURED = -1;
    /** From {@link #offerCommand}: the client is closed, or the cluster closed the session. */
    public static final long CLOSED = -2;

    /** Query correlation ids live above every command sequence, so the two kinds of answer never collide. */
    private static final long QUERY_ID_BASE = 1L << 62;
    private static final int FRAGMENT_LIMIT = 128;
    private static final long CONNECT_RETRY_NS_MAX = 5_000_000L;
    private static final long OFFER_RETRY_NS = 1_000_000L;
    private static final long NULL_TIME = Long.MIN_VALUE;
    private static final int COMMAND_FRAME_OVERHEAD = MessageHeaderEncoder.ENCODED_LENGTH +
        CommandRequestEncoder.BLOCK_LENGTH + CommandRequestEncoder.payloadHeaderLength();

    private static final byte FREE = 0;
    private static final byte SENT = 1;
    private static final byte DELAYED = 2;
    private static final byte AWAITING_CONNECT = 3;

    private static final byte MEMBER_NONE = 0;
    private static final byte MEMBER_CONNECTING = 1;
    private static final byte MEMBER_OPEN = 2;

    /** Result of a blocking command or query: the bytes returned and the slot (0 if answered from the cache). */
    public record Result(byte[] value, long slot) { }

    // ------------------------------------------------------------------ settings and transport

    private final Member[] members;
    private final int memberCount;
    private final long attemptTimeoutNs;
    private final long callTimeoutNs;
    private final int maxOutstanding;
    private final long keepAliveIntervalNs;
    private final long reconnectAfterIdleNs;
    private final long retryDelayNs;
    private final long connectRetryNs;
    private final int maxPayloadBytes;
    private final ResponseListener listener;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ExclusivePublication[] publications;
    private final Subscription responses;
    private final String responseChannel;
    private final long sessionId;

    // ------------------------------------------------------------------ codecs and fixed frames

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CommandRequestEncoder commandEncoder = new CommandRequestEncoder();
    private final QueryRequestEncoder queryEncoder = new QueryRequestEncoder();
    private final SessionEventDecoder eventDecoder = new SessionEventDecoder();
    private final CommandResponseDecoder responseDecoder = new CommandResponseDecoder();
    private final UnsafeBuffer connectFrame;
    private final int connectFrameLength;
    private final UnsafeBuffer keepAliveFrame;
    private final int keepAliveFrameLength;
    private final UnsafeBuffer closeFrame;
    private final int closeFrameLength;
    private final ExpandableArrayBuffer queryBuffer = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer resultView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer blockingPayload = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer asyncPayload = new UnsafeBuffer(0, 0);
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final IdleStrategy idle = new BackoffIdleStrategy();

    // ------------------------------------------------------------------ members

    private final byte[] memberState;
    private final boolean[] everConnected;
    private final long[] connectResendAtNs;
    private final long[] lastSentNs;
    private final long[] lastKeepAliveAttemptNs;
    private final long[] unknownLeaderSinceNs;
    private int leader;
    private int queryTarget = -1;
    private long nextKeepAliveCheckNs = Long.MAX_VALUE;

    // ------------------------------------------------------------------ outstanding commands, indexed by sequence

    private final UnsafeBuffer ring;
    private final int cellSize;
    private final long[] cellSequence;
    private final byte[] cellState;
    private final int[] cellTarget;
    private final int[] cellAttempts;
    private final int[] cellFrameLength;
    private final long[] attemptDeadlineNs;
    private final long[] sendAtNs;
    private final long[] callDeadlineNs;
    private final CompletableFuture<Result>[] futures;
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    private long lastSequence;
    private long lowestUnanswered = 1;
    private int outstanding;
    private long nextCheckNs = Long.MAX_VALUE;

    // ------------------------------------------------------------------ blocking calls and session state

    private long awaitedSequence;
    private boolean awaitedDone;
    private byte[] awaitedResult;
    private long awaitedSlot;
    private PaxlogException awaitedFailure;
    private long queryCorrelation;
    private long awaitedQueryId;
    private int queryStatus = -1;
    private int queryLeader;
    private long querySlot;
    private byte[] queryResult;
    private String rejectedDetail;
    private String closedReason;
    private boolean abandoned;
    private boolean clusterOpen;
    private long lastSeenSlot;
    private boolean resourcesClosed;
    private boolean inPoll;
    private long nowNs;

    private record Queued(byte[] payload, CompletableFuture<Result> future, long deadlineNs) { }

    /**
     * Settings of a client. Defaults: attemptTimeoutNs 200 ms, callTimeoutNs 10 s, maxOutstanding 64,
     * keepAliveIntervalNs 1 s, sessionTimeoutNs 10 s (should match the cluster's {@code paxlog.session.timeout.ms}),
     * retryDelayNs 1 ms, maxPayloadBytes 16 KiB, no listener. {@link #conclude()} validates once and names the
     * setting, the value and the rule broken; the client copies the settings, so a context may be reused.
     */
    public static final class Context
    {
        public static final long ATTEMPT_TIMEOUT_DEFAULT_NS = 200_000_000L;
        public static final long CALL_TIMEOUT_DEFAULT_NS = 10_000_000_000L;
        public static final int MAX_OUTSTANDING_DEFAULT = 64;
        public static final long KEEP_ALIVE_INTERVAL_DEFAULT_NS = 1_000_000_000L;
        public static final long SESSION_TIMEOUT_DEFAULT_NS = 10_000_000_000L;
        public static final long RETRY_DELAY_DEFAULT_NS = 1_000_000L;
        public static final int MAX_PAYLOAD_BYTES_DEFAULT = 16 * 1024;
        /** The largest payload a node accepts. */
        public static final int MAX_PAYLOAD_BYTES_LIMIT = 1 << 20;

        private Member[] members;
        private String aeronDirectoryName;
        private long attemptTimeoutNs = ATTEMPT_TIMEOUT_DEFAULT_NS;
        private long callTimeoutNs = CALL_TIMEOUT_DEFAULT_NS;
        private int maxOutstanding = MAX_OUTSTANDING_DEFAULT;
        private long keepAliveIntervalNs = KEEP_ALIVE_INTERVAL_DEFAULT_NS;
        private long sessionTimeoutNs = SESSION_TIMEOUT_DEFAULT_NS;
        private long sessionTtlMs;
        private long retryDelayNs = RETRY_DELAY_DEFAULT_NS;
        private int maxPayloadBytes = MAX_PAYLOAD_BYTES_DEFAULT;
        private ResponseListener responseListener;

        /** The cluster's members; ids must be 0..N-1 in order (as {@link Member#parseList} gives them). */
        public Context members(final Member... members)
        {
            this.members = members == null ? null : members.clone();
            return this;
        }

        public Member[] members()
        {
            return members == null ? null : members.clone();
        }

        /** Directory of the client's embedded media driver (deleted on start and on close). */
        public Context aeronDirectoryName(final String aeronDirectoryName)
        {
            this.aeronDirectoryName = aeronDirectoryName;
            return this;
        }

        public String aeronDirectoryName()
        {
            return aeronDirectoryName;
        }

        /** How long one attempt waits for an answer before the command is resent (to the next member). */
        public Context attemptTimeoutNs(final long attemptTimeoutNs)
        {
            this.attemptTimeoutNs = attemptTimeoutNs;
            return this;
        }

        public long attemptTimeoutNs()
        {
            return attemptTimeoutNs;
        }

        /** How long a call (all its attempts) may take before it fails with {@link PaxlogException.Timeout}. */
        public Context callTimeoutNs(final long callTimeoutNs)
        {
            this.callTimeoutNs = callTimeoutNs;
            return this;
        }

        public long callTimeoutNs()
        {
            return callTimeoutNs;
        }

        /** The most commands outstanding, counted from the lowest unanswered sequence: 1..128. */
        public Context maxOutstanding(final int maxOutstanding)
        {
            this.maxOutstanding = maxOutstanding;
            return this;
        }

        public int maxOutstanding()
        {
            return maxOutstanding;
        }

        /** A member sent nothing else for this long gets a SessionKeepAlive (from {@code poll()}). */
        public Context keepAliveIntervalNs(final long keepAliveIntervalNs)
        {
            this.keepAliveIntervalNs = keepAliveIntervalNs;
            return this;
        }

        public long keepAliveIntervalNs()
        {
            return keepAliveIntervalNs;
        }

        /**
         * The cluster's session timeout ({@code paxlog.session.timeout.ms}); a member not sent anything for half
         * of it is reconnected before the next command or query goes to it.
         */
        public Context sessionTimeoutNs(final long sessionTimeoutNs)
        {
            this.sessionTimeoutNs = sessionTimeoutNs;
            return this;
        }

        public long sessionTimeoutNs()
        {
            return sessionTimeoutNs;
        }

        /**
         * The session's TTL in milliseconds: the leader closes the session (releasing its locks) after hearing
         * nothing from it for this long; keep-alives from {@code poll()} keep it open. 0 = the cluster's default.
         */
        public Context sessionTtlMs(final long sessionTtlMs)
        {
            this.sessionTtlMs = sessionTtlMs;
            return this;
        }

        public long sessionTtlMs()
        {
            return sessionTtlMs;
        }

        /** Pause before resending after BUSY or a redirect that names no leader. */
        public Context retryDelayNs(final long retryDelayNs)
        {
            this.retryDelayNs = retryDelayNs;
            return this;
        }

        public long retryDelayNs()
        {
            return retryDelayNs;
        }

        /** The largest command payload; the resend ring takes maxOutstanding times this. */
        public Context maxPayloadBytes(final int maxPayloadBytes)
        {
            this.maxPayloadBytes = maxPayloadBytes;
            return this;
        }

        public int maxPayloadBytes()
        {
            return maxPayloadBytes;
        }

        /** Receives the outcome of each {@link #offerCommand}; optional (without one they are discarded). */
        public Context responseListener(final ResponseListener responseListener)
        {
            this.responseListener = responseListener;
            return this;
        }

        public ResponseListener responseListener()
        {
            return responseListener;
        }

        /** Validates every setting; throws {@link IllegalArgumentException} naming the first one broken. */
        public Context conclude()
        {
            if (members == null || members.length == 0)
            {
                throw new IllegalArgumentException("members: at least one member is required");
            }
            for (int i = 0; i < members.length; i++)
            {
                if (members[i] == null || members[i].id() != i)
                {
                    throw new IllegalArgumentException("members: position " + i + " holds " + members[i] +
                        "; ids must be 0..N-1 in order");
                }
            }
            if (aeronDirectoryName == null || aeronDirectoryName.isBlank())
            {
                throw new IllegalArgumentException("aeronDirectoryName: required (the client's media driver directory)");
            }
            positive("attemptTimeoutNs", attemptTimeoutNs);
            positive("callTimeoutNs", callTimeoutNs);
            if (maxOutstanding < 1 || maxOutstanding > SESSION_WINDOW)
            {
                throw new IllegalArgumentException("maxOutstanding=" + maxOutstanding + ": must be in 1.." +
                    SESSION_WINDOW + " (the cluster deduplicates only a session's " + SESSION_WINDOW +
                    " most recent sequences)");
            }
            positive("sessionTimeoutNs", sessionTimeoutNs);
            if (sessionTtlMs < 0 || sessionTtlMs > 24L * 3600 * 1000)
            {
                throw new IllegalArgumentException("sessionTtlMs=" + sessionTtlMs + ": must be in 0..86400000 (0 = the " +
                    "cluster default)");
            }
            if (keepAliveIntervalNs <= 0 || keepAliveIntervalNs > sessionTimeoutNs / 2)
            {
                throw new IllegalArgumentException("keepAliveIntervalNs=" + keepAliveIntervalNs +
                    ": must be > 0 and at most half of sessionTimeoutNs=" + sessionTimeoutNs);
            }
            if (retryDelayNs < 0 || retryDelayNs >= attemptTimeoutNs)
            {
                throw new IllegalArgumentException("retryDelayNs=" + retryDelayNs +
                    ": must be >= 0 and less than attemptTimeoutNs=" + attemptTimeoutNs);
            }
            if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_BYTES_LIMIT)
            {
                throw new IllegalArgumentException("maxPayloadBytes=" + maxPayloadBytes + ": must be in 1.." +
                    MAX_PAYLOAD_BYTES_LIMIT);
            }
            return this;
        }

        private static void positive(final String name, final long value)
        {
            if (value <= 0)
            {
                throw new IllegalArgumentException(name + "=" + value + ": must be > 0");
            }
        }
    }

    /** The original form: default settings but for these; blocking use (no listener). */
    public PaxlogClient(final Member[] members, final String aeronDir, final long attemptTimeoutNs,
        final long callTimeoutNs)
    {
        this(new Context().members(members).aeronDirectoryName(aeronDir).attemptTimeoutNs(attemptTimeoutNs)
            .callTimeoutNs(callTimeoutNs).retryDelayNs(Math.min(Context.RETRY_DELAY_DEFAULT_NS, attemptTimeoutNs / 2)));
    }

    /** Launches the client's embedded media driver and opens the session (lazily: the first call connects). */
    @SuppressWarnings("unchecked")
    public PaxlogClient(final Context context)
    {
        context.conclude();
        this.members = context.members();
        this.memberCount = members.length;
        this.attemptTimeoutNs = context.attemptTimeoutNs();
        this.callTimeoutNs = context.callTimeoutNs();
        this.maxOutstanding = context.maxOutstanding();
        this.keepAliveIntervalNs = context.keepAliveIntervalNs();
        this.reconnectAfterIdleNs = context.sessionTimeoutNs() / 2;
        this.retryDelayNs = context.retryDelayNs();
        this.connectRetryNs = Math.max(1, Math.min(CONNECT_RETRY_NS_MAX, attemptTimeoutNs / 4));
        this.maxPayloadBytes = context.maxPayloadBytes();
        this.listener = context.responseListener();

        this.memberState = new byte[memberCount];
        this.everConnected = new boolean[memberCount];
        this.connectResendAtNs = new long[memberCount];
        this.lastSentNs = new long[memberCount];
        this.lastKeepAliveAttemptNs = new long[memberCount];
        this.unknownLeaderSinceNs = new long[memberCount];
        Arrays.fill(unknownLeaderSinceNs, NULL_TIME);
        final long startNs = System.nanoTime();
        Arrays.fill(lastSentNs, startNs);
        Arrays.fill(lastKeepAliveAttemptNs, startNs);

        this.cellSize = BitUtil.align(COMMAND_FRAME_OVERHEAD + maxPayloadBytes, 8);
        this.ring = new UnsafeBuffer(new byte[cellSize * maxOutstanding]);
        this.cellSequence = new long[maxOutstanding];
        this.cellState = new byte[maxOutstanding];
        this.cellTarget = new int[maxOutstanding];
        this.cellAttempts = new int[maxOutstanding];
        this.cellFrameLength = new int[maxOutstanding];
        this.attemptDeadlineNs = new long[maxOutstanding];
        this.sendAtNs = new long[maxOutstanding];
        this.callDeadlineNs = new long[maxOutstanding];
        this.futures = new CompletableFuture[maxOutstanding];

        final String aeronDir = context.aeronDirectoryName();
        MediaDriver launched = null;
        Aeron connected = null;
        try
        {
            launched = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(aeronDir)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            connected = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            this.responseChannel = "aeron:udp?endpoint=" + members[0].host() + ":" + freePort();
            this.responses = connected.addSubscription(responseChannel, RESPONSE_STREAM);
            this.publications = new ExclusivePublication[memberCount];
            for (int i = 0; i < memberCount; i++)
            {
                publications[i] = connected.addExclusivePublication(members[i].clientChannel(), CLIENT_STREAM);
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connected, launched);
            throw ex;
        }
        this.driver = launched;
        this.aeron = connected;
        this.sessionId = new SecureRandom().nextLong() & Long.MAX_VALUE;

        final SessionConnectEncoder connect = new SessionConnectEncoder();
        connectFrame = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + SessionConnectEncoder.BLOCK_LENGTH +
            SessionConnectEncoder.responseChannelHeaderLength() + responseChannel.length() * 4]);
        connect.wrapAndApplyHeader(connectFrame, 0, headerEncoder).correlationId(sessionId)
            .responseStreamId(RESPONSE_STREAM).sessionTtlMs(context.sessionTtlMs()).responseChannel(responseChannel);
        connectFrameLength = MessageHeaderEncoder.ENCODED_LENGTH + connect.encodedLength();

        final SessionKeepAliveEncoder keepAlive = new SessionKeepAliveEncoder();
        keepAliveFrame = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
            SessionKeepAliveEncoder.BLOCK_LENGTH]);
        keepAlive.wrapAndApplyHeader(keepAliveFrame, 0, headerEncoder).sessionId(sessionId);
        keepAliveFrameLength = MessageHeaderEncoder.ENCODED_LENGTH + keepAlive.encodedLength();

        final SessionCloseEncoder close = new SessionCloseEncoder();
        closeFrame = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + SessionCloseEncoder.BLOCK_LENGTH]);
        close.wrapAndApplyHeader(closeFrame, 0, headerEncoder).sessionId(sessionId);
        closeFrameLength = MessageHeaderEncoder.ENCODED_LENGTH + close.encodedLength();

        this.leader = 0;
    }

    private static int freePort()
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (final SocketException ex)
        {
            throw new PaxlogException("cannot find a free UDP port for responses: " + ex.getMessage());
        }
    }

    // ------------------------------------------------------------------ accessors

    public long sessionId()
    {
        return sessionId;
    }

    /** The last sequence assigned to a command (0 before the first). */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * Commands offered and neither answered nor failed yet (commandAsync calls still queued for a place in the
     * window are not counted).
     */
    public int outstanding()
    {
        return outstanding;
    }

    public int maxOutstanding()
    {
        return maxOutstanding;
    }

    /** True once {@link #close()} was called or the cluster closed the session. */
    public boolean isClosed()
    {
        return closedReason != null;
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
        checkPayload(length);
        if (closedReason != null)
        {
            return CLOSED;
        }
        if (!queued.isEmpty())
        {
            return BACK_PRESSURED;
        }
        return offer(payload, offset, length, System.nanoTime());
    }

    /**
     * Sends a command and returns a future completed (on this thread, from {@link #poll()} or a blocking call) with
     * its result, or exceptionally with a {@link PaxlogException}. When the window is full the command is queued and
     * sent by {@code poll()} as answers free places; it fails with a Timeout if not sent within callTimeoutNs. The
     * command is copied. The caller must keep calling {@code poll()}. Allocates.
     */
    public CompletableFuture<Result> commandAsync(final byte[] command)
    {
        checkPayload(command.length);
        final CompletableFuture<Result> future = new CompletableFuture<>();
        if (closedReason != null)
        {
            future.completeExceptionally(new PaxlogException.SessionClosed(closedMessage()));
            return future;
        }
        final long now = System.nanoTime();
        if (queued.isEmpty())
        {
            asyncPayload.wrap(command);
            final long sequence = offer(asyncPayload, 0, command.length, now);
            if (sequence > 0)
            {
                futures[cell(sequence)] = future;
                return future;
            }
        }
        queued.addLast(new Queued(command.clone(), future, now + callTimeoutNs));
        return future;
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
            nowNs = now;
            int work = responses.poll(assembler, FRAGMENT_LIMIT);
            if (closedReason != null)
            {
                return work;
            }
            if (!queued.isEmpty())
            {
                work += drainQueued(now);
            }
            if (now >= nextCheckNs)
            {
                work += checkOutstanding(now);
            }
            work += resendConnects(now);
            if (now >= nextKeepAliveCheckNs)
            {
                work += keepAlives(now);
            }
            return work;
        }
        finally
        {
            inPoll = false;
        }
    }

    private long offer(final DirectBuffer payload, final int offset, final int length, final long now)
    {
        final long sequence = lastSequence + 1;
        if (sequence - lowestUnanswered >= maxOutstanding)
        {
            return BACK_PRESSURED;
        }
        final int cell = cell(sequence);
        commandEncoder.wrapAndApplyHeader(ring, cell * cellSize, headerEncoder).sessionId(sessionId)
            .sequence(sequence).putPayload(payload, offset, length);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + commandEncoder.encodedLength();
        final int target = leader;
        refreshMember(target, now);
        requireClusterOpen(target);
        long result = Publication.NOT_CONNECTED;
        if (memberState[target] == MEMBER_OPEN)
        {
            result = publications[target].offer(ring, cell * cellSize, frameLength);
            if (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)
            {
                return BACK_PRESSURED;
            }
        }
        lastSequence = sequence;
        if (outstanding == 0)
        {
            lowestUnanswered = sequence;
        }
        outstanding++;
        cellSequence[cell] = sequence;
        cellFrameLength[cell] = frameLength;
        cellAttempts[cell] = 0;
        callDeadlineNs[cell] = now + callTimeoutNs;
        futures[cell] = null;
        if (memberState[target] == MEMBER_OPEN)
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

    /** Sends (or schedules) an outstanding command's next attempt, to the current leader. */
    private void dispatch(final int cell, final long now)
    {
        final int target = leader;
        refreshMember(target, now);
        requireClusterOpen(target);
        if (memberState[target] != MEMBER_OPEN)
        {
            awaitConnect(cell, target, now);
            return;
        }
        final long result = publications[target].offer(ring, cell * cellSize, cellFrameLength[cell]);
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
            lastSentNs[target] = now;
        }
    }

    private void awaitConnect(final int cell, final int target, final long now)
    {
        if (memberState[target] == MEMBER_NONE)
        {
            startConnect(target, now);
        }
        cellState[cell] = AWAITING_CONNECT;
        cellTarget[cell] = target;
        attemptDeadlineNs[cell] = now + attemptTimeoutNs;
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
                q.future().completeExceptionally(new PaxlogException.Timeout("command was not sent within " +
                    callTimeoutNs / 1_000_000 + " ms: " + maxOutstanding + " commands stayed outstanding (session " +
                    sessionId + ")"));
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
            futures[cell(sequence)] = q.future();
            work++;
        }
        return work;
    }

    /** Timeouts, resends after a delay, and commands waiting for a connection: in sequence order. */
    private int checkOutstanding(final long now)
    {
        int work = 0;
        long next = Long.MAX_VALUE;
        final int leaderAtStart = leader;
        for (long sequence = lowestUnanswered; sequence <= lastSequence; sequence++)
        {
            final int cell = cell(sequence);
            if (cellSequence[cell] != sequence)
            {
                continue;
            }
            if (now >= callDeadlineNs[cell])
            {
                fail(cell, sequence, new PaxlogException.Timeout("command seq " + sequence + " got no answer within " +
                    callTimeoutNs / 1_000_000 + " ms after " + cellAttempts[cell] + " attempts (session " + sessionId +
                    "); it may or may not have been applied"));
                work++;
                continue;
            }
            switch (cellState[cell])
            {
                case SENT:
                    if (now >= attemptDeadlineNs[cell])
                    {
                        attemptTimedOut(cellTarget[cell], now);
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
                    if (cellTarget[cell] != leader || memberState[leader] == MEMBER_OPEN)
                    {
                        dispatch(cell, now);
                        work++;
                    }
                    else if (now >= attemptDeadlineNs[cell])
                    {
                        attemptTimedOut(cellTarget[cell], now);
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
        // a rotation during the scan retargets the commands already passed on the next poll
        nextCheckNs = leader != leaderAtStart ? Long.MIN_VALUE : next;
        return work;
    }

    /**
     * An attempt to {@code target} got no answer: it may have forgotten the session (restart, expiry), so it is
     * reconnected before it is used again; if it is still the target, the next member becomes it, reconnected too.
     */
    private void attemptTimedOut(final int target, final long now)
    {
        memberState[target] = MEMBER_NONE;
        if (leader == target)
        {
            leader = (target + 1) % memberCount;
            memberState[leader] = MEMBER_NONE;
        }
    }

    /**
     * Commands need the session open in the cluster (its open applied through the log, which only a leader
     * confirms with OPEN); a member that only answered REDIRECT has registered the session's channel, not opened
     * the session. Until an OPEN arrives, the target is connected again so that, as leader, it opens the session.
     */
    private void requireClusterOpen(final int target)
    {
        if (!clusterOpen && memberState[target] == MEMBER_OPEN)
        {
            memberState[target] = MEMBER_NONE;
        }
    }

    /** A member not sent anything for half the session timeout may have forgotten the session: reconnect it. */
    private void refreshMember(final int member, final long now)
    {
        if (memberState[member] == MEMBER_OPEN && now - lastSentNs[member] >= reconnectAfterIdleNs)
        {
            memberState[member] = MEMBER_NONE;
        }
    }

    private void startConnect(final int member, final long now)
    {
        memberState[member] = MEMBER_CONNECTING;
        everConnected[member] = true;
        sendConnect(member, now);
    }

    private void sendConnect(final int member, final long now)
    {
        final long result = publications[member].offer(connectFrame, 0, connectFrameLength);
        if (result > 0)
        {
            lastSentNs[member] = now;
            connectResendAtNs[member] = now + connectRetryNs;
        }
        else
        {
            connectResendAtNs[member] = now + Math.min(OFFER_RETRY_NS, connectRetryNs);
        }
        nextKeepAliveCheckNs = Math.min(nextKeepAliveCheckNs, now + keepAliveIntervalNs);
    }

    /** Connects are resent until a session event arrives, to the members a command or query waits for. */
    private int resendConnects(final long now)
    {
        int work = 0;
        for (int m = 0; m < memberCount; m++)
        {
            if (memberState[m] == MEMBER_CONNECTING && (m == leader || m == queryTarget) &&
                now >= connectResendAtNs[m])
            {
                sendConnect(m, now);
                work++;
            }
        }
        return work;
    }

    private int keepAlives(final long now)
    {
        int work = 0;
        long next = Long.MAX_VALUE;
        for (int m = 0; m < memberCount; m++)
        {
            if (!everConnected[m])
            {
                continue;
            }
            final long last = Math.max(lastSentNs[m], lastKeepAliveAttemptNs[m]);
            if (now - last >= keepAliveIntervalNs)
            {
                lastKeepAliveAttemptNs[m] = now;
                if (publications[m].offer(keepAliveFrame, 0, keepAliveFrameLength) > 0)
                {
                    lastSentNs[m] = now;
                }
                work++;
                next = Math.min(next, now + keepAliveIntervalNs);
            }
            else
            {
                next = Math.min(next, last + keepAliveIntervalNs);
            }
        }
        nextKeepAliveCheckNs = next;
        return work;
    }

    // ------------------------------------------------------------------ answers

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
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
        final long sequence;
        final short status;
        final int leaderId;
        final long slot;
        if (templateId == CommandResponseDecoder.TEMPLATE_ID)
        {
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
                onQueryResponse(sequence, status, leaderId, slot);
            }
            else
            {
                onCommandResponse(sequence, status, leaderId, slot);
            }
        }
        else if (templateId == SessionEventDecoder.TEMPLATE_ID)
        {
            final short code;
            final int eventLeader;
            final String detail;
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
            }
            catch (final IndexOutOfBoundsException ex)
            {
                return;
            }
            onSessionEvent(code, eventLeader, detail);
        }
    }

    private void onCommandResponse(final long sequence, final short status, final int leaderId, final long slot)
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
        final long now = nowNs;
        if (status == CommandStatus.OK.value())
        {
            if (validMember(leaderId))
            {
                opened(leaderId);
                unknownLeaderSinceNs[leaderId] = NULL_TIME;
            }
            complete(cell, sequence, slot);
        }
        else if (status == CommandStatus.REDIRECT.value())
        {
            if (cellState[cell] != SENT)
            {
                return; // already being resent
            }
            final int target = cellTarget[cell];
            if (validMember(leaderId) && leaderId != target)
            {
                unknownLeaderSinceNs[target] = NULL_TIME;
                if (leader != leaderId)
                {
                    changeLeader(leaderId);
                }
                dispatch(cell, now);
            }
            else
            {
                // the member knows no leader (an election): ask it again shortly; rotate if it stays so too long
                if (unknownLeaderSinceNs[target] == NULL_TIME)
                {
                    unknownLeaderSinceNs[target] = now;
                }
                else if (now - unknownLeaderSinceNs[target] >= attemptTimeoutNs && leader == target)
                {
                    unknownLeaderSinceNs[target] = NULL_TIME;
                    changeLeader((target + 1) % memberCount);
                }
                delay(cell, now + retryDelayNs);
            }
        }
        else if (status == CommandStatus.BUSY.value())
        {
            if (cellState[cell] == SENT)
            {
                delay(cell, now + retryDelayNs);
            }
        }
        else if (status == CommandStatus.REJECTED.value())
        {
            fail(cell, sequence, new PaxlogException.Rejected("command seq " + sequence + " rejected by the cluster " +
                "(status REJECTED, session " + sessionId + "; e.g. the sequence fell out of the session's window of " +
                SESSION_WINDOW + ")"));
        }
        else if (status == CommandStatus.SESSION_CLOSED.value())
        {
            sessionClosed("session " + sessionId + " was closed by the cluster (status SESSION_CLOSED for command seq " +
                sequence + ")");
        }
    }

    private void delay(final int cell, final long atNs)
    {
        cellState[cell] = DELAYED;
        sendAtNs[cell] = atNs;
        nextCheckNs = Math.min(nextCheckNs, atNs);
    }

    private void changeLeader(final int member)
    {
        leader = member;
        nextCheckNs = Long.MIN_VALUE; // commands waiting to connect elsewhere are retargeted on this poll
    }

    private void opened(final int member)
    {
        if (memberState[member] != MEMBER_OPEN)
        {
            memberState[member] = MEMBER_OPEN;
            everConnected[member] = true;
            nextCheckNs = Long.MIN_VALUE;
        }
    }

    /**
     * Connects are resent until answered, so events come in duplicates: an event counts only for a member still
     * connecting, and a late duplicate (say from a former leader) changes nothing.
     */
    private void onSessionEvent(final short code, final int leaderId, final String detail)
    {
        if (code == SessionEventCode.OPEN.value())
        {
            clusterOpen = true;
            // sent by the leader, which names itself
            if (validMember(leaderId))
            {
                if (memberState[leaderId] == MEMBER_CONNECTING)
                {
                    opened(leaderId);
                }
            }
            else
            {
                openConnecting(-1);
            }
        }
        else if (code == SessionEventCode.REDIRECT.value())
        {
            // sent by a follower, which the event does not name: one of those connecting that is not the leader
            if (openConnecting(leaderId) && validMember(leaderId) && leader != leaderId)
            {
                changeLeader(leaderId);
            }
        }
        else if (code == SessionEventCode.REJECTED.value())
        {
            final String reason = "session " + sessionId + " rejected by a member: " + detail;
            rejectedDetail = reason;
            for (int m = 0; m < memberCount; m++)
            {
                if (memberState[m] == MEMBER_CONNECTING)
                {
                    memberState[m] = MEMBER_NONE;
                }
            }
            failAll(reason, false);
        }
        else if (code == SessionEventCode.CLOSED.value())
        {
            sessionClosed("session " + sessionId + " was closed by the cluster" +
                (detail == null || detail.isEmpty() ? "" : ": " + detail));
        }
    }

    /** Opens the members connecting, but {@code except}; true if there was one. */
    private boolean openConnecting(final int except)
    {
        boolean any = false;
        for (int m = 0; m < memberCount; m++)
        {
            if (m != except && memberState[m] == MEMBER_CONNECTING)
            {
                opened(m);
                any = true;
            }
        }
        return any;
    }

    private void onQueryResponse(final long id, final short status, final int leaderId, final long slot)
    {
        if (id != awaitedQueryId || queryStatus >= 0)
        {
            return;
        }
        if (status == CommandStatus.OK.value())
        {
            final byte[] result = new byte[resultView.capacity()];
            resultView.getBytes(0, result);
            queryResult = result;
        }
        querySlot = slot;
        queryLeader = leaderId;
        queryStatus = status;
    }

    private void complete(final int cell, final long sequence, final long slot)
    {
        final CompletableFuture<Result> future = futures[cell];
        free(cell, sequence);
        if (sequence == awaitedSequence)
        {
            awaitedResult = copyResult();
            awaitedSlot = slot;
            awaitedDone = true;
        }
        else if (future != null)
        {
            future.complete(new Result(copyResult(), slot));
        }
        else if (listener != null)
        {
            listener.onResponse(sequence, slot, resultView, 0, resultView.capacity());
        }
    }

    private void fail(final int cell, final long sequence, final PaxlogException cause)
    {
        final CompletableFuture<Result> future = futures[cell];
        free(cell, sequence);
        if (sequence == awaitedSequence)
        {
            awaitedFailure = cause;
            awaitedDone = true;
        }
        else if (future != null)
        {
            future.completeExceptionally(cause);
        }
        else if (listener != null)
        {
            listener.onFailure(sequence, cause);
        }
    }

    private void free(final int cell, final long sequence)
    {
        cellSequence[cell] = 0;
        cellState[cell] = FREE;
        futures[cell] = null;
        outstanding--;
        if (sequence == lowestUnanswered)
        {
            long s = sequence + 1;
            while (s <= lastSequence && cellSequence[cell(s)] != s)
            {
                s++;
            }
            lowestUnanswered = s;
        }
    }

    private byte[] copyResult()
    {
        final byte[] result = new byte[resultView.capacity()];
        resultView.getBytes(0, result);
        return result;
    }

    /** Fails every outstanding and queued command (a rejected or closed session). */
    private void failAll(final String reason, final boolean closed)
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

    private void sessionClosed(final String reason)
    {
        if (closedReason == null)
        {
            closedReason = reason;
            failAll(reason, true);
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
        checkPayload(command.length);
        final long deadlineNs = System.nanoTime() + callTimeoutNs;
        blockingPayload.wrap(command);
        long sequence;
        idle.reset();
        while ((sequence = offerCommand(blockingPayload, 0, command.length)) < 0)
        {
            if (sequence == CLOSED)
            {
                throw new PaxlogException.SessionClosed(closedMessage());
            }
            if (System.nanoTime() >= deadlineNs)
            {
                throw new PaxlogException.Timeout("command was not sent within " + callTimeoutNs / 1_000_000 +
                    " ms: " + maxOutstanding + " commands stayed outstanding (session " + sessionId + ")");
            }
            idle.idle(poll());
        }
        awaitedSequence = sequence;
        awaitedDone = false;
        awaitedFailure = null;
        try
        {
            idle.reset();
            while (!awaitedDone)
            {
                idle.idle(poll());
            }
            if (awaitedFailure != null)
            {
                throw awaitedFailure;
            }
            return new Result(awaitedResult, awaitedSlot);
        }
        finally
        {
            awaitedSequence = 0;
            awaitedResult = null;
            awaitedFailure = null;
        }
    }

    /**
     * Reads from the state machine without a log write, at the given consistency; blocks (polling).
     * LINEARIZABLE goes to the leader (lease read, else ReadIndex). SEQUENTIAL is answered by a replica that has
     * applied at least {@code minSlot} and every slot this session has seen in an answer (so a session never
     * reads older state than it saw). EVENTUAL is answered at once with whatever the replica applied.
     */
    public Result query(final byte[] query, final ReadConsistency consistency, final long minSlot)
    {
        return runQuery(-1, query, consistency,
            consistency == ReadConsistency.SEQUENTIAL ? Math.max(minSlot, lastSeenSlot) : minSlot);
    }

    /** The highest slot reflected in any answer this session received. */
    public long lastSeenSlot()
    {
        return lastSeenSlot;
    }

    /**
     * Reads from one particular member at EVENTUAL consistency (whatever it has applied, with the slot it
     * reflects): for operators and tests comparing replicas.
     */
    public Result queryMember(final int member, final byte[] query)
    {
        if (member < 0 || member >= memberCount)
        {
            throw new IllegalArgumentException("member " + member + ": must be in 0.." + (memberCount - 1));
        }
        return runQuery(member, query, ReadConsistency.EVENTUAL, 0);
    }

    private Result runQuery(final int fixedMember, final byte[] query, final ReadConsistency consistency,
        final long minSlot)
    {
        checkBlockingCall("query");
        final long id = QUERY_ID_BASE + ++queryCorrelation;
        final String what = fixedMember >= 0 ? "query " + id + " to member " + fixedMember : "query " + id;
        final long deadlineNs = System.nanoTime() + callTimeoutNs;
        int target = fixedMember >= 0 ? fixedMember : leader;
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
                queryTarget = target;
                if (!awaitOpen(target, attemptDeadlineNs))
                {
                    checkSession();
                    memberState[target] = MEMBER_NONE;
                    target = fixedMember >= 0 ? fixedMember : (target + 1) % memberCount;
                    continue;
                }
                attempts++;
                awaitedQueryId = id;
                queryStatus = -1;
                queryResult = null;
                sendQuery(target, id, query, consistency, minSlot);
                idle.reset();
                while (queryStatus < 0 && closedReason == null && rejectedDetail == null &&
                    System.nanoTime() < attemptDeadlineNs)
                {
                    idle.idle(poll());
                }
                checkSession();
                if (queryStatus < 0)
                {
                    memberState[target] = MEMBER_NONE; // it may have forgotten the session
                    target = fixedMember >= 0 ? fixedMember : (target + 1) % memberCount;
                    continue;
                }
                if (queryStatus == CommandStatus.OK.value())
                {
                    if (fixedMember < 0 && consistency == ReadConsistency.LINEARIZABLE && leader != target)
                    {
                        changeLeader(target);
                    }
                    return new Result(queryResult, querySlot);
                }
                if (queryStatus == CommandStatus.REDIRECT.value())
                {
                    if (fixedMember < 0)
                    {
                        final int named = queryLeader;
                        target = validMember(named) && named != target ? named : (target + 1) % memberCount;
                        if (validMember(named) && leader != named)
                        {
                            changeLeader(named);
                        }
                    }
                    pauseUntilNs = System.nanoTime() + retryDelayNs;
                }
                else if (queryStatus == CommandStatus.BUSY.value())
                {
                    pauseUntilNs = System.nanoTime() + retryDelayNs;
                }
                else if (queryStatus == CommandStatus.SESSION_CLOSED.value())
                {
                    sessionClosed("session " + sessionId + " was closed by the cluster (status SESSION_CLOSED for " +
                        what + ")");
                    throw new PaxlogException.SessionClosed(closedMessage());
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
            queryTarget = -1;
            queryResult = null;
        }
        throw new PaxlogException.Timeout(what + " got no answer within " + callTimeoutNs / 1_000_000 + " ms after " +
            attempts + " attempts (session " + sessionId + ")");
    }

    /** Polls until {@code untilNs}; false if the call deadline passed first. */
    private boolean pollUntil(final long untilNs, final long deadlineNs)
    {
        idle.reset();
        long now;
        while ((now = System.nanoTime()) < untilNs && now < deadlineNs)
        {
            checkSession();
            idle.idle(poll());
        }
        return now < deadlineNs;
    }

    /** Connects to {@code member} if needed and polls until it is open; false if the attempt deadline passed. */
    private boolean awaitOpen(final int member, final long attemptDeadlineNs)
    {
        final long now = System.nanoTime();
        refreshMember(member, now);
        if (memberState[member] == MEMBER_NONE)
        {
            startConnect(member, now);
        }
        idle.reset();
        while (memberState[member] != MEMBER_OPEN && closedReason == null && rejectedDetail == null &&
            System.nanoTime() < attemptDeadlineNs)
        {
            idle.idle(poll());
        }
        return memberState[member] == MEMBER_OPEN;
    }

    private void sendQuery(final int target, final long id, final byte[] query, final ReadConsistency consistency,
        final long minSlot)
    {
        queryEncoder.wrapAndApplyHeader(queryBuffer, 0, headerEncoder).sessionId(sessionId).correlationId(id)
            .consistency(consistency).minSlot(minSlot).putPayload(query, 0, query.length);
        if (publications[target].offer(queryBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH +
            queryEncoder.encodedLength()) > 0)
        {
            lastSentNs[target] = System.nanoTime();
        }
    }

    private void checkSession()
    {
        if (closedReason != null)
        {
            throw new PaxlogException.SessionClosed(closedMessage());
        }
        if (rejectedDetail != null)
        {
            final String detail = rejectedDetail;
            rejectedDetail = null;
            throw new PaxlogException.Rejected(detail);
        }
    }

    private void checkBlockingCall(final String call)
    {
        if (inPoll)
        {
            throw new IllegalStateException("PaxlogClient." + call + "() called from inside poll() (a listener or " +
                "future callback); only offerCommand and commandAsync may be called there");
        }
        if (closedReason != null)
        {
            throw new PaxlogException.SessionClosed(closedMessage());
        }
    }

    private void checkPayload(final int length)
    {
        if (length < 0 || length > maxPayloadBytes)
        {
            throw new IllegalArgumentException("command of " + length + " bytes: must be at most maxPayloadBytes=" +
                maxPayloadBytes);
        }
    }

    private String closedMessage()
    {
        return closedReason;
    }

    private boolean validMember(final int id)
    {
        return id >= 0 && id < memberCount;
    }

    private int cell(final long sequence)
    {
        return (int)(sequence % maxOutstanding);
    }

    /**
     * Closes the session (SessionClose to every member), fails what is outstanding with
     * {@link PaxlogException.SessionClosed} (through the listener and futures), and stops the media driver.
     */
    /**
     * Stops this client without closing its session: the cluster keeps the session (and any locks it holds)
     * until the session's TTL passes without a message, as if the process had died. For tools and tests.
     */
    public void abandon()
    {
        abandoned = true;
        close();
    }

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
        if (closedReason == null && !abandoned)
        {
            for (int i = 0; i < memberCount; i++)
            {
                publications[i].offer(closeFrame, 0, closeFrameLength);
            }
        }
        try
        {
            sessionClosed("client closed (session " + sessionId + ")");
        }
        finally
        {
            resourcesClosed = true;
            CloseHelper.closeAll(aeron, driver);
        }
    }
}
