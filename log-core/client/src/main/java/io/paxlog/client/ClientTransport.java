package io.paxlog.client;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.AeronException;
import io.paxlog.auth.ClientAuthenticator;
import io.paxlog.auth.ClientCredentials;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.codecs.SessionCloseEncoder;
import io.paxlog.codecs.SessionConnectEncoder;
import io.paxlog.codecs.SessionKeepAliveEncoder;
import io.paxlog.protocol.ConfigException;
import io.paxlog.protocol.IdleStrategies;
import io.paxlog.protocol.LoopbackPorts;
import io.paxlog.protocol.Member;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.security.SecureRandom;

/**
 * The client's end of the wire: its media driver (embedded, external, or the application's Aeron client's), one
 * exclusive publication to the client channel of each
 * member it knows, by member id (0..{@value Member#ID_MAX}: those configured at start, then those learned from
 * redirects, each added once, on the client's thread, and moved if its address changes), the subscription its
 * answers arrive on, the session id, the SessionConnect (encoded at each offer, with the credentials made for it or
 * the answer to a member's challenge), and the session frames that never change (SessionKeepAlive, SessionClose),
 * encoded once at start-up. An offer to an id without a publication is {@link Publication#NOT_CONNECTED}.
 *
 * <p>Threading: owned by one {@link PaxlogClient} and used on its thread only.
 */
final class ClientTransport
{
    /** From {@link #addMember}. */
    static final int ADDED = 0;
    static final int UNCHANGED = 1;
    static final int FAILED = 2;
    private static final byte[] NO_CREDENTIALS = new byte[0];
    /** The embedded media driver, or null with an external one or the application's Aeron client. */
    private final MediaDriver driver;
    private final Aeron aeron;
    /** False when {@link #aeron} is the application's: then only what this transport added is closed. */
    private final boolean ownsAeron;
    private final ExclusivePublication[] publications = new ExclusivePublication[ProtocolLimits.MEMBER_IDS];
    private final Member[] members = new Member[ProtocolLimits.MEMBER_IDS];
    private final Subscription responses;
    private final long sessionId;
    private final UnsafeBuffer connectFrame;
    private final SessionConnectEncoder connect = new SessionConnectEncoder();
    private final MessageHeaderEncoder connectHeader = new MessageHeaderEncoder();
    private final String responseChannel;
    private final long sessionTtlMs;
    /** The exactly-once window the session asks for: the client's maxOutstanding. */
    private final int sessionWindow;
    private final ClientCredentials credentials;
    /** Per member id, the answer to its challenge, sent with the next connect to it; null when none is pending. */
    private final byte[][] challengeAnswers = new byte[ProtocolLimits.MEMBER_IDS][];
    /** Appended to each member's channel for the request publications: the MTU. */
    private final String channelSuffix;
    private final UnsafeBuffer keepAliveFrame;
    private final int keepAliveFrameLength;
    private final UnsafeBuffer closeFrame;
    private final int closeFrameLength;

    /**
     * Connects the session's transport as {@code context} says (concluded): launches a media driver (SHARED, its
     * {@link PaxlogClientContext#idleStrategy}; deleting its directory on start and on close), or connects to the
     * external driver running in {@link PaxlogClientContext#aeronDirectoryName} (refused in one line when none is),
     * or uses the application's {@link PaxlogClientContext#aeron}; then adds the response subscription and a
     * publication to each configured member.
     */
    ClientTransport(final PaxlogClientContext context)
    {
        final Member[] initial = context.members();
        this.channelSuffix = "|mtu=" + context.mtuBytes();
        this.sessionTtlMs = context.sessionTtlMs();
        this.sessionWindow = context.maxOutstanding();
        this.credentials = context.credentials();
        // the route first: a member that cannot be reached is refused before a media driver is launched
        final String local = localAddressToward(initial[0]);
        this.responseChannel = "aeron:udp?endpoint=" + local + ":" + freePort(local);
        final String aeronDir = context.aeronDirectoryName();
        MediaDriver launched = null;
        Aeron connected = context.aeron();
        this.ownsAeron = connected == null;
        Subscription subscription = null;
        try
        {
            if (connected == null && PaxlogClientContext.EXTERNAL.equals(context.mediaDriver()))
            {
                if (!CommonContext.isDriverActive(new File(aeronDir), PaxlogClientContext.DRIVER_TIMEOUT_DEFAULT_MS,
                    text -> { }))
                {
                    throw new PaxlogException("mediaDriver=external: no media driver is running in " +
                        ConfigException.printable(aeronDir) + " (start one there, or use the embedded driver)");
                }
            }
            else if (connected == null)
            {
                launched = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(aeronDir)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(IdleStrategies.create(context.idleStrategy()))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
            }
            if (connected == null)
            {
                connected = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            }
            subscription = connected.addSubscription(responseChannel, ProtocolLimits.RESPONSE_STREAM);
            for (final Member member : initial)
            {
                publications[member.id()] = connected.addExclusivePublication(member.clientChannel() + channelSuffix,
                    ProtocolLimits.CLIENT_STREAM);
                members[member.id()] = member;
            }
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(publications);
            CloseHelper.quietClose(subscription);
            if (ownsAeron)
            {
                CloseHelper.quietClose(connected);
            }
            CloseHelper.quietClose(launched);
            throw ex;
        }
        this.responses = subscription;
        this.driver = launched;
        this.aeron = connected;
        this.sessionId = new SecureRandom().nextLong() & Long.MAX_VALUE;

        final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
        connectFrame = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + SessionConnectEncoder.BLOCK_LENGTH +
            SessionConnectEncoder.responseChannelHeaderLength() + responseChannel.length() * 4 +
            SessionConnectEncoder.credentialsHeaderLength() + ClientCredentials.LENGTH_MAX]);

        final SessionKeepAliveEncoder keepAlive = new SessionKeepAliveEncoder();
        keepAliveFrame = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH +
            SessionKeepAliveEncoder.BLOCK_LENGTH]);
        keepAlive.wrapAndApplyHeader(keepAliveFrame, 0, headerEncoder).sessionId(sessionId);
        keepAliveFrameLength = MessageHeaderEncoder.ENCODED_LENGTH + keepAlive.encodedLength();

        final SessionCloseEncoder close = new SessionCloseEncoder();
        closeFrame = new UnsafeBuffer(new byte[MessageHeaderEncoder.ENCODED_LENGTH + SessionCloseEncoder.BLOCK_LENGTH]);
        close.wrapAndApplyHeader(closeFrame, 0, headerEncoder).sessionId(sessionId);
        closeFrameLength = MessageHeaderEncoder.ENCODED_LENGTH + close.encodedLength();
    }

    /**
     * This machine's address on the route to {@code member} (IllegalArgumentException if its host does not resolve,
     * {@link PaxlogException} if nothing routes to it): the answers' endpoint must be an address the members
     * can reach (127.0.0.1 for a cluster on loopback, the client host's own address for one on other hosts or
     * network namespaces). A connected UDP socket asks the OS's routing table; it sends nothing.
     */
    static String localAddressToward(final Member member)
    {
        final java.net.InetSocketAddress address = new java.net.InetSocketAddress(member.host(), member.clientPort());
        if (address.isUnresolved())
        {
            throw new IllegalArgumentException("member " + member.id() + ": host " + Member.oneLine(member.host()) +
                " does not resolve to an address");
        }
        try (DatagramSocket s = new DatagramSocket())
        {
            s.connect(address);
            final InetAddress local = s.getLocalAddress();
            if (local == null || local.isAnyLocalAddress())
            {
                throw new PaxlogException("no local address routes to member " + member.id() + " at " +
                    member.host());
            }
            return local.getHostAddress();
        }
        catch (final SocketException ex)
        {
            throw new PaxlogException("no route to member " + member.id() + " at " + member.host() + ": " +
                ex.getMessage());
        }
    }

    /** A free port for the response endpoint on {@code localAddress}, below the kernel's ephemeral range. */
    static int freePort(final String localAddress)
    {
        try
        {
            return LoopbackPorts.free(InetAddress.getByName(localAddress));
        }
        catch (final IOException | IllegalStateException ex)
        {
            throw new PaxlogException("cannot find a free UDP port for responses on " + localAddress + ": " +
                ex.getMessage());
        }
    }

    long sessionId()
    {
        return sessionId;
    }

    /** Where answers and session events arrive. */
    Subscription responses()
    {
        return responses;
    }

    /**
     * Adds a publication to {@code member} (an id in 0..{@value Member#ID_MAX}), or moves the one to its id to its
     * new address (the old one is closed and a pending challenge answer dropped): {@link #ADDED}; {@link #UNCHANGED}
     * if the member was known at that address; {@link #FAILED} if the media driver refused the channel (say its host
     * does not resolve), leaving what was there. Waits for the media driver: for learning members, never on the
     * command path.
     */
    int addMember(final Member member)
    {
        final int id = member.id();
        if (member.equals(members[id]))
        {
            return UNCHANGED;
        }
        final ExclusivePublication added;
        try
        {
            added = aeron.addExclusivePublication(member.clientChannel() + channelSuffix,
                ProtocolLimits.CLIENT_STREAM);
        }
        catch (final AeronException ex)
        {
            return FAILED;
        }
        CloseHelper.quietClose(publications[id]);
        publications[id] = added;
        members[id] = member;
        challengeAnswers[id] = null;
        return ADDED;
    }

    /** Offers a frame to {@code member}; the result of {@link ExclusivePublication#offer}. */
    long offer(final int member, final DirectBuffer frame, final int offset, final int length)
    {
        final ExclusivePublication publication = publications[member];
        return publication == null ? Publication.NOT_CONNECTED : publication.offer(frame, offset, length);
    }

    /**
     * Offers a SessionConnect to {@code member}, encoded now: its credentials are made for this connect (a proof may
     * carry the time), or are the answer to that member's challenge when one is pending (used once).
     */
    long offerConnect(final int member)
    {
        final byte[] answer = challengeAnswers[member];
        final byte[] proof = answer != null ? answer : credentials == null ? NO_CREDENTIALS :
            credentials.credentials(ClientAuthenticator.SESSION, sessionId, responseChannel,
                ProtocolLimits.RESPONSE_STREAM, System.currentTimeMillis());
        if (proof.length > ClientCredentials.LENGTH_MAX)
        {
            throw new PaxlogException("credentials of " + proof.length + " bytes; at most " +
                ClientCredentials.LENGTH_MAX);
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + connect.wrapAndApplyHeader(connectFrame, 0,
            connectHeader).correlationId(sessionId).responseStreamId(ProtocolLimits.RESPONSE_STREAM)
            .sessionTtlMs(sessionTtlMs).window(sessionWindow).responseChannel(responseChannel)
            .putCredentials(proof, 0, proof.length)
            .encodedLength();
        final long result = offer(member, connectFrame, 0, length);
        if (result > 0)
        {
            challengeAnswers[member] = null;
        }
        return result;
    }

    /**
     * Member {@code member} challenged the session: the credentials' answer goes with the next connect to it.
     * Returns false if the credentials cannot answer challenges.
     */
    boolean onChallenge(final int member, final byte[] challenge)
    {
        final byte[] answer = credentials == null ? null : credentials.onChallenge(member, sessionId, challenge);
        challengeAnswers[member] = answer;
        return answer != null;
    }

    long offerKeepAlive(final int member)
    {
        return offer(member, keepAliveFrame, 0, keepAliveFrameLength);
    }

    /** A SessionClose to every member known, one attempt each. */
    void offerCloseToAll()
    {
        for (final ExclusivePublication publication : publications)
        {
            if (publication != null)
            {
                publication.offer(closeFrame, 0, closeFrameLength);
            }
        }
    }

    /**
     * Closes the publications and the subscription, then the Aeron client and the media driver when they are the
     * session's own (an external driver and the application's Aeron client are left running).
     */
    void close()
    {
        CloseHelper.quietCloseAll(publications);
        CloseHelper.quietClose(responses);
        if (ownsAeron)
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }
}
