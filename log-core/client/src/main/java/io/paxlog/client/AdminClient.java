package io.paxlog.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paxlog.auth.ClientAuthenticator;
import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.codecs.FaultOutcome;
import io.paxlog.codecs.FaultRequestEncoder;
import io.paxlog.codecs.MembershipRequestEncoder;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.codecs.SnapshotRequestEncoder;
import io.paxlog.codecs.StatusRequestEncoder;
import io.paxlog.protocol.Member;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import static io.paxlog.codecs.ProtocolLimits.ADMIN_RESPONSE_STREAM;

import java.security.SecureRandom;

/**
 * The operator's side of a node's admin channel: status, snapshot and fault requests sent to one member's client
 * endpoint, answered with a StatusResponse on this client's own response channel. No session is opened. When the
 * cluster authenticates clients, each request carries credentials (the constructor's {@link ClientCredentials});
 * a node that refuses them answers with a REJECTED session event, and the call throws
 * {@link PaxlogException.Rejected} with the node's reason.
 *
 * <p>Each call sends its request, resends it every {@value #RESEND_INTERVAL_MS} ms until answered (a request or an
 * answer may be lost; every request is safe to repeat), and gives up at its timeout. Like {@link PaxlogClient} it launches an embedded media driver in {@code aeronDir}
 * (deleted on start and on close) and answers go to this machine's address on the route to the members.
 *
 * <p>Threading: calls are serialized (each method is synchronized), so threads may share one client; a call
 * waits for any call in progress. Calls block (polling) and allocate.
 */
public final class AdminClient implements AutoCloseable
{
    private static final long RESEND_INTERVAL_MS = 50;
    /** Longest answer accepted. */
    static final int FRAME_LENGTH_MAX = 64 * 1024;
    /** Most entries accepted in an answer's repeating group (followers, configuration). */
    static final int FOLLOWERS_MAX = 1024;
    /** Longest var-data field accepted in an answer. */
    static final int VAR_DATA_MAX = 4096;

    private final int memberCount;
    /** The members asked, by position; calls name a member by id. */
    private final Member[] members;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ExclusivePublication[] publications;
    private final Subscription responses;
    private final String responseChannel;
    /** Decodes the answers; {@link #call} and {@link #statusAll} tell it which correlation ids are awaited. */
    private final AdminResponseAdapter responseAdapter =
        new AdminResponseAdapter(new FrameChecker(FRAME_LENGTH_MAX, FOLLOWERS_MAX, VAR_DATA_MAX));
    private final FragmentAssembler assembler = new FragmentAssembler(responseAdapter);
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final StatusRequestEncoder statusRequest = new StatusRequestEncoder();
    private final SnapshotRequestEncoder snapshotRequest = new SnapshotRequestEncoder();
    private final FaultRequestEncoder faultRequest = new FaultRequestEncoder();
    private final MembershipRequestEncoder membershipRequest = new MembershipRequestEncoder();
    private long nextCorrelationId = new SecureRandom().nextLong() & Long.MAX_VALUE;
    private final ClientCredentials credentials;

    /** Launches the media driver in {@code aeronDir} and adds a publication to each member's client endpoint. */
    public AdminClient(final Member[] members, final String aeronDir)
    {
        this(members, aeronDir, null);
    }

    /**
     * As above, proving each request with {@code credentials} (the cluster's client credentials, such as
     * {@link SharedSecretCredentials}); null sends none, which a cluster that authenticates clients refuses.
     */
    public AdminClient(final Member[] members, final String aeronDir, final ClientCredentials credentials)
    {
        this.credentials = credentials;
        if (members == null || members.length == 0)
        {
            throw new IllegalArgumentException("members: at least one member is required");
        }
        if (aeronDir == null || aeronDir.isBlank())
        {
            throw new IllegalArgumentException("aeronDir: required (the admin client's media driver directory)");
        }
        this.memberCount = members.length;
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
            final String local = ClientTransport.localAddressToward(members[0]);
            responseChannel = "aeron:udp?endpoint=" + local + ":" + ClientTransport.freePort(local);
            responses = connected.addSubscription(responseChannel, ADMIN_RESPONSE_STREAM);
            publications = new ExclusivePublication[members.length];
            long seen = 0;
            for (int i = 0; i < members.length; i++)
            {
                if (members[i] == null || members[i].id() > Member.ID_MAX || (seen & (1L << members[i].id())) != 0)
                {
                    throw new IllegalArgumentException("members: position " + i + " holds " + members[i] +
                        "; ids must be distinct, in 0.." + Member.ID_MAX);
                }
                seen |= 1L << members[i].id();
                publications[i] = connected.addExclusivePublication(members[i].clientChannel(),
                    ProtocolLimits.CLIENT_STREAM);
            }
            this.members = members.clone();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(connected, launched);
            throw ex;
        }
        this.driver = launched;
        this.aeron = connected;
    }

    public int memberCount()
    {
        return memberCount;
    }

    /** The members this client asks, in the order given (element i of {@link #statusAll} is member i's). */
    public Member[] members()
    {
        return members.clone();
    }

    /** Member {@code memberId}'s status, or null if it did not answer within {@code timeoutNs}. */
    public synchronized NodeStatusReport status(final int memberId, final long timeoutNs)
    {
        final int position = position(memberId);
        final long correlationId = nextCorrelationId++;
        return call(position, correlationId, encodeStatusRequest(correlationId), timeoutNs);
    }

    /** Encodes a StatusRequest with {@code correlationId} into {@code request}; returns its length. */
    private int encodeStatusRequest(final long correlationId)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + statusRequest.wrapAndApplyHeader(request, 0, header)
            .correlationId(correlationId).responseStreamId(ADMIN_RESPONSE_STREAM).responseChannel(responseChannel)
            .putCredentials(proof(correlationId), 0, proofLength).encodedLength();
    }

    /**
     * Every member's status, asked of all at once (so a round takes the slowest answer, not the sum): element i is
     * the status of the i-th member given to the constructor (member i when ids are 0..N-1), or null if it did not
     * answer within {@code timeoutNs}. When {@code answeredNanos} is not null, its element i gets the
     * {@link System#nanoTime()} at which that answer was read (0 if none).
     */
    public synchronized NodeStatusReport[] statusAll(final long timeoutNs, final long[] answeredNanos)
    {
        final NodeStatusReport[] answers = new NodeStatusReport[memberCount];
        final long[] stamps = answeredNanos != null ? answeredNanos : new long[memberCount];
        java.util.Arrays.fill(stamps, 0L);
        final long first = nextCorrelationId;
        nextCorrelationId += memberCount;
        responseAdapter.awaitAll(first, answers, stamps); // member m's answer is first + m's
        final long startNs = System.nanoTime();
        long nextSendNs = startNs;
        try
        {
            while (true)
            {
                final long nowNs = System.nanoTime();
                int answered = 0;
                for (final NodeStatusReport a : answers)
                {
                    answered += a != null ? 1 : 0;
                }
                if (answered == memberCount || nowNs - startNs >= timeoutNs)
                {
                    return answers;
                }
                int work = 0;
                if (nowNs - nextSendNs >= 0)
                {
                    for (int m = 0; m < memberCount; m++)
                    {
                        if (answers[m] == null)
                        {
                            publications[m].offer(request, 0, encodeStatusRequest(first + m)); // lost or refused: the resend covers it
                            work++;
                        }
                    }
                    nextSendNs = nowNs + RESEND_INTERVAL_MS * 1_000_000L;
                }
                work += responses.poll(assembler, 16);
                idle.idle(work);
            }
        }
        finally
        {
            responseAdapter.awaitAllNone();
            idle.reset();
        }
    }

    /**
     * Asks member {@code memberId} to take a snapshot now (and compact its journal); returns its status after the
     * snapshot (its {@code snapshotSlot} is the applied slot when it had anything new), or null if it did not answer
     * within {@code timeoutNs}.
     */
    public synchronized NodeStatusReport snapshot(final int memberId, final long timeoutNs)
    {
        final int position = position(memberId);
        final long correlationId = nextCorrelationId++;
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + snapshotRequest.wrapAndApplyHeader(request, 0, header)
            .correlationId(correlationId).responseStreamId(ADMIN_RESPONSE_STREAM).responseChannel(responseChannel)
            .putCredentials(proof(correlationId), 0, proofLength).encodedLength();
        return call(position, correlationId, length, timeoutNs);
    }

    /**
     * Sets member {@code memberId}'s inbound consensus delay: each consensus frame it receives is handed to its
     * protocol {@code delayNs} plus a uniform {@code 0..jitterNs} later (jitter reorders), for {@code durationNs}
     * (0: until cleared). {@code delayNs = jitterNs = 0} clears it (frames already held still leave on schedule).
     *
     * @return true if the node applied it; false if it refused (started without {@code paxlog.faults.enabled=true},
     *         or the figures are out of its range: each at most 60 s, the duration at most a day).
     * @throws IllegalArgumentException for a negative figure.
     * @throws PaxlogException.Timeout if the node did not answer within {@code timeoutNs}.
     */
    public synchronized boolean fault(final int memberId, final long delayNs, final long jitterNs,
        final long durationNs, final long timeoutNs)
    {
        final int position = position(memberId);
        if (delayNs < 0 || jitterNs < 0 || durationNs < 0)
        {
            throw new IllegalArgumentException("delayNs=" + delayNs + " jitterNs=" + jitterNs + " durationNs=" +
                durationNs + ": must be >= 0");
        }
        final long correlationId = nextCorrelationId++;
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + faultRequest.wrapAndApplyHeader(request, 0, header)
            .correlationId(correlationId).responseStreamId(ADMIN_RESPONSE_STREAM).delayNs(delayNs).jitterNs(jitterNs)
            .durationNs(durationNs).responseChannel(responseChannel).putCredentials(proof(correlationId), 0, proofLength)
            .encodedLength();
        if (call(position, correlationId, length, timeoutNs) == null)
        {
            throw new PaxlogException.Timeout("member " + memberId + " did not answer the fault request within " +
                timeoutNs / 1_000_000 + " ms");
        }
        return responseAdapter.answerOutcome() == FaultOutcome.APPLIED;
    }

    private int proofLength;

    /** The credentials of one request (empty without credentials); their length in {@link #proofLength}. */
    private byte[] proof(final long correlationId)
    {
        final byte[] proof = credentials == null ? new byte[0] : credentials.credentials(ClientAuthenticator.ADMIN,
            correlationId, responseChannel, ADMIN_RESPONSE_STREAM, System.currentTimeMillis());
        if (proof.length > ClientCredentials.LENGTH_MAX)
        {
            throw new PaxlogException("credentials of " + proof.length + " bytes; at most " +
                ClientCredentials.LENGTH_MAX);
        }
        proofLength = proof.length;
        return proof;
    }

    /** The position of member {@code memberId} among those given; an IllegalArgumentException if none. */
    private int position(final int memberId)
    {
        for (int i = 0; i < members.length; i++)
        {
            if (members[i].id() == memberId)
            {
                return i;
            }
        }
        final StringBuilder ids = new StringBuilder();
        for (final Member m : members)
        {
            ids.append(ids.length() == 0 ? "" : ",").append(m.id());
        }
        throw new IllegalArgumentException("member " + memberId + ": not among the members asked (" + ids + ")");
    }

    /** How a membership request ended ({@link #changeMembership}). */
    public record MembershipResult(String outcome, int nodeId, int leaderId, long commitSlot, String detail)
    {
        public boolean done()
        {
            return outcome.equals("DONE");
        }
    }

    /**
     * Asks member {@code memberId} (the leader: any other refuses, naming the leader it knows) to add {@code add}
     * (null: none) and/or remove member {@code removeId} (-1: none) in one change, with quorums
     * {@code acceptQuorum} and {@code electionQuorum} of the final configuration (0: a majority).
     * An added member is a learner until it has caught up, then a voter (docs/membership.md). Waits until the change
     * ends: outcome DONE (the final configuration is committed at or below {@code commitSlot}), FAILED, or
     * REFUSED (not the leader, a change in progress, an invalid request); null if no answer within
     * {@code timeoutNs} (the change may still be under way: ask the status).
     */
    public synchronized MembershipResult changeMembership(final int memberId, final Member add, final int removeId,
        final int acceptQuorum, final int electionQuorum, final long timeoutNs)
    {
        final int position = position(memberId);
        final long correlationId = nextCorrelationId++;
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + membershipRequest.wrapAndApplyHeader(request, 0,
            header).correlationId(correlationId).responseStreamId(ADMIN_RESPONSE_STREAM).removeNodeId(removeId)
            .acceptQuorum(acceptQuorum).electionQuorum(electionQuorum).addMember(add == null ? "" : add.spec())
            .responseChannel(responseChannel).putCredentials(proof(correlationId), 0, proofLength).encodedLength();
        responseAdapter.clearMembershipAnswer();
        call(position, correlationId, length, timeoutNs);
        final MembershipResult result = responseAdapter.membershipAnswer();
        responseAdapter.clearMembershipAnswer();
        return result;
    }

    /** Sends the request in {@code request} (resending), polls for its answer; null at the deadline. */
    private NodeStatusReport call(final int position, final long correlationId, final int length, final long timeoutNs)
    {
        final int memberId = members[position].id();
        responseAdapter.await(correlationId);
        final long startNs = System.nanoTime();
        long nextSendNs = startNs;
        try
        {
            while (true)
            {
                final long nowNs = System.nanoTime();
                if (nowNs - startNs >= timeoutNs)
                {
                    return null;
                }
                int work = 0;
                if (nowNs - nextSendNs >= 0)
                {
                    publications[position].offer(request, 0, length); // lost or refused: the resend covers it
                    nextSendNs = nowNs + RESEND_INTERVAL_MS * 1_000_000L;
                    work++;
                }
                work += responses.poll(assembler, 16);
                final NodeStatusReport answer = responseAdapter.answer();
                if (answer != null)
                {
                    return answer;
                }
                if (responseAdapter.membershipAnswer() != null)
                {
                    return null;
                }
                if (responseAdapter.refusedDetail() != null)
                {
                    throw new PaxlogException.Rejected("member " + memberId + " refused the request: " +
                        responseAdapter.refusedDetail());
                }
                idle.idle(work);
            }
        }
        finally
        {
            responseAdapter.awaitNone();
            idle.reset();
        }
    }

    /** Closes Aeron and the media driver. */
    public synchronized void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
