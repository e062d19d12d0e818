package io.paxlog.client;

import io.aeron.Aeron;
import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.protocol.IdleStrategies;
import io.paxlog.protocol.Member;
import io.paxlog.protocol.Setting;

import java.util.List;

/**
 * Settings of a client. Defaults: attemptTimeoutNs 200 ms, callTimeoutNs 10 s, maxOutstanding 1,024,
 * maxOutstandingBytes the larger of 1 MiB and two frames of maxPayloadBytes,
 * keepAliveIntervalNs 1 s, sessionTimeoutNs 10 s (should match the cluster's {@code paxlog.session.timeout.ms}),
 * retryDelayNs 1 ms, maxPayloadBytes 16 KiB, an embedded media driver idling in backoff, no listener, no credentials.
 * {@link #conclude()} validates once and names the setting, the value and the rule broken; the client copies the
 * settings, so a context may be reused (a shared {@link #aeron} client stays the application's).
 *
 * <p><b>Threading.</b> Not thread-safe: a context is filled in and concluded on one thread, then handed to
 * {@link PaxlogClient#PaxlogClient(PaxlogClientContext)}; it is not read again after that constructor returns.
 */
public final class PaxlogClientContext
{
    public static final long ATTEMPT_TIMEOUT_DEFAULT_NS = 200_000_000L;
    public static final long CALL_TIMEOUT_DEFAULT_NS = 10_000_000_000L;
    /**
     * Commands in flight per session by default: enough to keep a round trip of about a millisecond busy at several
     * hundred thousand commands per second (64 and 128 held one session under 80,000 msg/s on the 2-core bench box,
     * 1,024 carried 160,000; docs/performance.md).
     */
    public static final int MAX_OUTSTANDING_DEFAULT = 1024;
    /** The bytes of command frames in flight per session by default, unless two of the largest commands need more. */
    public static final int MAX_OUTSTANDING_BYTES_DEFAULT = 1 << 20;
    /** The most bytes of command frames a session may keep in flight (its resend ring). */
    public static final int MAX_OUTSTANDING_BYTES_LIMIT = 1 << 30;
    public static final long KEEP_ALIVE_INTERVAL_DEFAULT_NS = 1_000_000_000L;
    public static final long SESSION_TIMEOUT_DEFAULT_NS = 10_000_000_000L;
    public static final long RETRY_DELAY_DEFAULT_NS = 1_000_000L;
    public static final int MAX_PAYLOAD_BYTES_DEFAULT = 16 * 1024;
    /** The largest payload a node accepts. */
    public static final int MAX_PAYLOAD_BYTES_LIMIT = 1 << 20;
    /** {@link #mediaDriver}: launch an embedded media driver in {@link #aeronDirectoryName} (the default). */
    public static final String EMBEDDED = "embedded";
    /** {@link #mediaDriver}: connect to the media driver already running in {@link #aeronDirectoryName}. */
    public static final String EXTERNAL = "external";
    /** How long the client waits for an external media driver's heartbeat before it says none is running. */
    public static final long DRIVER_TIMEOUT_DEFAULT_MS = 10_000;
    /** The MTU of the client's request publications, as the node's {@code paxlog.aeron.mtu} (8 KiB). */
    public static final int MTU_BYTES_DEFAULT = 8192;

    /**
     * Every setter above as docs/settings.md lists it, built from the constants (SettingsReferenceTest fails when a
     * setter has no entry).
     */
    public static final List<Setting> SETTINGS = List.of(
        new Setting("members", Setting.REQUIRED, "", "distinct ids in 0.." + Member.ID_MAX + ", any order",
            "The members to try (the first as the leader first); the client learns later ones from redirects."),
        new Setting("aeronDirectoryName", Setting.REQUIRED + " unless aeron is set", "path", "a valid path",
            "The media driver's directory: the embedded driver's (deleted on start and on close), or the running " +
            "external driver's (never deleted)."),
        new Setting("mediaDriver", EMBEDDED, "", EMBEDDED + " or " + EXTERNAL, "Launch a media driver of the " +
            "client's own, or connect to the one already running in aeronDirectoryName (never deleted or stopped)."),
        new Setting("aeron", "none", "", "a connected, open Aeron client", "The application's Aeron client, shared: " +
            "the session adds its publications and subscription to it and closes only those."),
        new Setting("attemptTimeoutNs", Long.toString(ATTEMPT_TIMEOUT_DEFAULT_NS), "ns", "> 0",
            "How long one attempt waits for an answer before the command is sent again (to the next member)."),
        new Setting("callTimeoutNs", Long.toString(CALL_TIMEOUT_DEFAULT_NS), "ns", "> 0",
            "How long a call, all its attempts together, may take before it fails with a timeout."),
        new Setting("maxOutstanding", Integer.toString(MAX_OUTSTANDING_DEFAULT), "commands",
            "1.." + PaxlogClient.SESSION_WINDOW, "The most commands in flight in the session; the cluster keeps " +
            "that many cached answers for it."),
        new Setting("maxOutstandingBytes", "0 (the larger of " + MAX_OUTSTANDING_BYTES_DEFAULT + " and two frames " +
            "of maxPayloadBytes)", "bytes", "0, or one frame of maxPayloadBytes.." + MAX_OUTSTANDING_BYTES_LIMIT,
            "The most bytes of command frames in flight (the resend ring); a command over it or maxOutstanding " +
            "waits."),
        new Setting("keepAliveIntervalNs", Long.toString(KEEP_ALIVE_INTERVAL_DEFAULT_NS), "ns",
            "> 0, at most half of sessionTimeoutNs", "A member sent nothing else for this long gets a keep-alive " +
            "(from poll())."),
        new Setting("sessionTimeoutNs", Long.toString(SESSION_TIMEOUT_DEFAULT_NS), "ns", "> 0",
            "The cluster's session timeout (paxlog.session.timeout.ms); a member not sent anything for half of it is " +
            "reconnected first."),
        new Setting("sessionTtlMs", "0 (the cluster's)", "ms", "0..86400000", "The leader closes the session " +
            "(releasing its locks) after hearing nothing from it for this long."),
        new Setting("retryDelayNs", Long.toString(RETRY_DELAY_DEFAULT_NS), "ns", ">= 0, below attemptTimeoutNs",
            "The pause before sending again after BUSY or a redirect that names no leader."),
        new Setting("maxPayloadBytes", Integer.toString(MAX_PAYLOAD_BYTES_DEFAULT), "bytes",
            "1.." + MAX_PAYLOAD_BYTES_LIMIT, "The largest command payload the client sends."),
        new Setting("mtuBytes", Integer.toString(MTU_BYTES_DEFAULT), "bytes", "a multiple of 32 in 1024..65504",
            "The MTU of the request publications; 1408 where IP fragmentation is unwelcome."),
        new Setting("idleStrategy", IdleStrategies.BACKOFF, "", String.join(", ", IdleStrategies.NAMES),
            "How the client's media driver idles; run it as the nodes run (paxlog.idle)."),
        new Setting("responseListener", "none", "", "a ResponseListener", "Receives the outcome of each " +
            "offerCommand; without one the outcomes are discarded."),
        new Setting("credentials", "none", "", "a ClientCredentials", "What the client proves itself with to a " +
            "cluster that authenticates clients (paxlog.client.secret.file)."),
        new Setting("clientSecret", "none", "", "the cluster's client secret", "Shared-secret credentials: the " +
            "same as credentials(new SharedSecretCredentials(secret))."));

    private Member[] members;
    private String aeronDirectoryName;
    private long attemptTimeoutNs = ATTEMPT_TIMEOUT_DEFAULT_NS;
    private long callTimeoutNs = CALL_TIMEOUT_DEFAULT_NS;
    private int maxOutstanding = MAX_OUTSTANDING_DEFAULT;
    private int maxOutstandingBytes;
    private long keepAliveIntervalNs = KEEP_ALIVE_INTERVAL_DEFAULT_NS;
    private long sessionTimeoutNs = SESSION_TIMEOUT_DEFAULT_NS;
    private long sessionTtlMs;
    private long retryDelayNs = RETRY_DELAY_DEFAULT_NS;
    private int maxPayloadBytes = MAX_PAYLOAD_BYTES_DEFAULT;
    private int mtuBytes = MTU_BYTES_DEFAULT;
    private String idleStrategy = IdleStrategies.BACKOFF;
    private String mediaDriver = EMBEDDED;
    private Aeron aeron;
    private ResponseListener responseListener;
    private ClientCredentials credentials;

    /**
     * The cluster's members (the client learns later ones from redirects): distinct ids in 0..{@value Member#ID_MAX},
     * in any order, as {@link Member#parseList} gives them. The first is tried as the leader first.
     */
    public PaxlogClientContext members(final Member... members)
    {
        this.members = members == null ? null : members.clone();
        return this;
    }

    public Member[] members()
    {
        return members == null ? null : members.clone();
    }

    /**
     * Directory of the media driver: the embedded driver's (deleted on start and on close), or, with
     * {@link #mediaDriver} {@value #EXTERNAL}, the running driver's (never deleted). Not needed with {@link #aeron}.
     */
    public PaxlogClientContext aeronDirectoryName(final String aeronDirectoryName)
    {
        this.aeronDirectoryName = aeronDirectoryName;
        return this;
    }

    public String aeronDirectoryName()
    {
        return aeronDirectoryName;
    }

    /**
     * {@value #EMBEDDED} (the default): the client launches a media driver of its own in
     * {@link #aeronDirectoryName}, deleting that directory on start and on close. {@value #EXTERNAL}: the client
     * connects to the media driver already running there (an {@code aeronmd}, or the application's), and never
     * deletes, restarts or stops it; a directory with no live driver is refused at start in one line. As a node's
     * {@code paxlog.aeron.driver}.
     */
    public PaxlogClientContext mediaDriver(final String mediaDriver)
    {
        this.mediaDriver = mediaDriver;
        return this;
    }

    public String mediaDriver()
    {
        return mediaDriver;
    }

    /**
     * The application's own connected Aeron client, shared instead of a client (and a media driver) of the
     * session's own: the session adds its publications and its subscription to it, closes them on
     * {@link PaxlogClient#close()}, and never closes the Aeron client itself. {@link #aeronDirectoryName},
     * {@link #mediaDriver} and {@link #idleStrategy} are then not used. The session's calls still run on the
     * thread that calls {@link PaxlogClient#poll()}.
     */
    public PaxlogClientContext aeron(final Aeron aeron)
    {
        this.aeron = aeron;
        return this;
    }

    public Aeron aeron()
    {
        return aeron;
    }

    /** How long one attempt waits for an answer before the command is resent (to the next member). */
    public PaxlogClientContext attemptTimeoutNs(final long attemptTimeoutNs)
    {
        this.attemptTimeoutNs = attemptTimeoutNs;
        return this;
    }

    public long attemptTimeoutNs()
    {
        return attemptTimeoutNs;
    }

    /** How long a call (all its attempts) may take before it fails with {@link PaxlogException.Timeout}. */
    public PaxlogClientContext callTimeoutNs(final long callTimeoutNs)
    {
        this.callTimeoutNs = callTimeoutNs;
        return this;
    }

    public long callTimeoutNs()
    {
        return callTimeoutNs;
    }

    /**
     * The most commands outstanding, counted from the lowest unanswered sequence: 1..{@value
     * PaxlogClient#SESSION_WINDOW}, 1,024 by default. The session states it at connect and every replica keeps that
     * many cached answers for it.
     */
    public PaxlogClientContext maxOutstanding(final int maxOutstanding)
    {
        this.maxOutstanding = maxOutstanding;
        return this;
    }

    public int maxOutstanding()
    {
        return maxOutstanding;
    }

    /** A member sent nothing else for this long gets a SessionKeepAlive (from {@code poll()}). */
    public PaxlogClientContext keepAliveIntervalNs(final long keepAliveIntervalNs)
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
    public PaxlogClientContext sessionTimeoutNs(final long sessionTimeoutNs)
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
    public PaxlogClientContext sessionTtlMs(final long sessionTtlMs)
    {
        this.sessionTtlMs = sessionTtlMs;
        return this;
    }

    public long sessionTtlMs()
    {
        return sessionTtlMs;
    }

    /** Pause before resending after BUSY or a redirect that names no leader. */
    public PaxlogClientContext retryDelayNs(final long retryDelayNs)
    {
        this.retryDelayNs = retryDelayNs;
        return this;
    }

    public long retryDelayNs()
    {
        return retryDelayNs;
    }

    /**
     * The most bytes of command frames (payload plus the frame's header, rounded up to 8) a session keeps in
     * flight: the size of its resend ring, the client's credit in bytes beside
     * {@link #maxOutstanding} in commands. A command that would exceed either waits (back-pressure). 0, the default,
     * means the larger of {@value #MAX_OUTSTANDING_BYTES_DEFAULT} and two frames of {@link #maxPayloadBytes}; a value
     * set must hold at least one such frame.
     */
    public PaxlogClientContext maxOutstandingBytes(final int maxOutstandingBytes)
    {
        this.maxOutstandingBytes = maxOutstandingBytes;
        return this;
    }

    /** The resend ring's size in bytes: as set, or the default this context's maxPayloadBytes implies. */
    public int maxOutstandingBytes()
    {
        return maxOutstandingBytes != 0 ? maxOutstandingBytes :
            (int)Math.min(MAX_OUTSTANDING_BYTES_LIMIT, Math.max(MAX_OUTSTANDING_BYTES_DEFAULT,
            2L * CommandWindow.frameBytes(Math.max(0, Math.min(maxPayloadBytes, MAX_PAYLOAD_BYTES_LIMIT)))));
    }

    /** The largest command payload. */
    public PaxlogClientContext maxPayloadBytes(final int maxPayloadBytes)
    {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /**
     * The MTU of the request publications (Aeron's {@code mtu}): the largest datagram a command travels in; a
     * larger command goes in fragments. 8 KiB by default; 1408 where IP fragmentation is unwelcome. A multiple of 32
     * in 1024..65504.
     */
    public PaxlogClientContext mtuBytes(final int mtuBytes)
    {
        this.mtuBytes = mtuBytes;
        return this;
    }

    public int mtuBytes()
    {
        return mtuBytes;
    }

    /**
     * The idle strategy of the client's embedded media driver (one SHARED thread that sends the commands and receives
     * the answers), by its {@link IdleStrategies} name, as a node's {@code paxlog.idle}: {@code backoff} (the
     * default), {@code yielding}, {@code busy-spin} or {@code sleeping}. Run the client as the nodes run: a driver
     * parked in backoff adds up to a millisecond to the answer that wakes it.
     */
    public PaxlogClientContext idleStrategy(final String idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    public String idleStrategy()
    {
        return idleStrategy;
    }

    /** Receives the outcome of each {@link PaxlogClient#offerCommand}; optional (without one they are discarded). */
    public PaxlogClientContext responseListener(final ResponseListener responseListener)
    {
        this.responseListener = responseListener;
        return this;
    }

    public ResponseListener responseListener()
    {
        return responseListener;
    }

    /**
     * What the client proves itself with when it connects to a member whose cluster authenticates clients
     * ({@code paxlog.client.secret.file} on the nodes); none by default. A member that refuses them fails the
     * session's calls with {@link PaxlogException.Rejected} ("... authentication failed: REASON").
     */
    public PaxlogClientContext credentials(final ClientCredentials credentials)
    {
        this.credentials = credentials;
        return this;
    }

    /** Shared-secret credentials ({@link SharedSecretCredentials}) with the cluster's client secret. */
    public PaxlogClientContext clientSecret(final byte[] secret)
    {
        this.credentials = new SharedSecretCredentials(secret);
        return this;
    }

    public ClientCredentials credentials()
    {
        return credentials;
    }

    /** Validates every setting; throws {@link IllegalArgumentException} naming the first one broken. */
    public PaxlogClientContext conclude()
    {
        if (members == null || members.length == 0)
        {
            throw new IllegalArgumentException("members: at least one member is required");
        }
        long seenIds = 0;
        for (int i = 0; i < members.length; i++)
        {
            if (members[i] == null)
            {
                throw new IllegalArgumentException("members: position " + i + " is null");
            }
            final int id = members[i].id();
            if (id > Member.ID_MAX)
            {
                throw new IllegalArgumentException("members: position " + i + " has id " + id + "; ids must be in 0.." +
                    Member.ID_MAX);
            }
            if ((seenIds & (1L << id)) != 0)
            {
                throw new IllegalArgumentException("members: id " + id + " is listed twice (again at position " + i +
                    "); ids must be distinct");
            }
            seenIds |= 1L << id;
        }
        if (!EMBEDDED.equals(mediaDriver) && !EXTERNAL.equals(mediaDriver))
        {
            throw new IllegalArgumentException("mediaDriver=" + (mediaDriver == null ? "null" :
                Member.oneLine(mediaDriver)) + ": must be " + EMBEDDED + " or " + EXTERNAL);
        }
        if (aeron != null && aeron.isClosed())
        {
            throw new IllegalArgumentException("aeron: the Aeron client given is closed");
        }
        if (aeron == null && (aeronDirectoryName == null || aeronDirectoryName.isBlank()))
        {
            throw new IllegalArgumentException("aeronDirectoryName: required (the client's media driver directory)");
        }
        if (aeron == null)
        {
            try
            {
                java.nio.file.Path.of(aeronDirectoryName);
            }
            catch (final java.nio.file.InvalidPathException ex)
            {
                throw new IllegalArgumentException("aeronDirectoryName=" + Member.oneLine(aeronDirectoryName) +
                    ": not a valid path (" + ex.getReason() + ")");
            }
        }
        positive("attemptTimeoutNs", attemptTimeoutNs);
        positive("callTimeoutNs", callTimeoutNs);
        if (maxOutstanding < 1 || maxOutstanding > PaxlogClient.SESSION_WINDOW)
        {
            throw new IllegalArgumentException("maxOutstanding=" + maxOutstanding + ": must be in 1.." +
                PaxlogClient.SESSION_WINDOW + " (the cluster deduplicates only a session's " +
                PaxlogClient.SESSION_WINDOW + " most recent sequences)");
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
        if (maxOutstandingBytes != 0 && (maxOutstandingBytes < CommandWindow.frameBytes(maxPayloadBytes) ||
            maxOutstandingBytes > MAX_OUTSTANDING_BYTES_LIMIT))
        {
            throw new IllegalArgumentException("maxOutstandingBytes=" + maxOutstandingBytes + ": must be 0 (the " +
                "default) or in " + CommandWindow.frameBytes(maxPayloadBytes) + ".." + MAX_OUTSTANDING_BYTES_LIMIT +
                " (at least one frame of maxPayloadBytes=" + maxPayloadBytes + ")");
        }
        if (mtuBytes < 1024 || mtuBytes > 65504 || mtuBytes % 32 != 0)
        {
            throw new IllegalArgumentException("mtuBytes=" + mtuBytes + ": must be a multiple of 32 in 1024..65504");
        }
        if (!IdleStrategies.known(idleStrategy))
        {
            throw new IllegalArgumentException("idleStrategy=" + (idleStrategy == null ? "null" :
                Member.oneLine(idleStrategy)) + ": must be one of " + String.join(", ", IdleStrategies.NAMES));
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
