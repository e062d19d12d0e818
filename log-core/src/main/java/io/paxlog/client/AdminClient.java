package io.paxlog.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.paxlog.auth.ClientAuthenticator;
import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.codecs.FaultOutcome;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import io.paxlog.codecs.FaultRequestEncoder;
import io.paxlog.codecs.MembershipRequestEncoder;
import io.paxlog.codecs.MembershipResponseDecoder;
import io.paxlog.codecs.VotingState;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.SnapshotRequestEncoder;
import io.paxlog.codecs.StatusRequestEncoder;
import io.paxlog.codecs.StatusResponseDecoder;
import io.paxlog.node.Member;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's side of a node's admin channel: status, snapshot and fault requests sent to one member's client
 * endpoint, answered with a StatusResponse on this client's own response channel. No session is opened. When the
 * cluster authenticates clients, each request carries credentials (the constructor's {@link ClientCredentials});
 * a node that refuses them answers with a REJECTED session event, and the call throws
 * {@link PaxlogException.Rejected} with the node's reason.
 *
 * <p>Each call sends its request, resends it every {@value #RESEND_INTERVAL_MS} ms until answered (a node's first
 * answer to a new response channel may be lost while its publication connects; every request is safe to repeat), and
 * gives up at its timeout. Like {@link PaxlogClient} it launches an embedded media driver in {@code aeronDir}
 * (deleted on start and on close) and answers go to this machine's address on the route to the members.
 *
 * <p>Threading: calls are serialized (each method is synchronized), so threads may share one client; a call
 * waits for any call in progress. Calls block (polling) and allocate.
 */
public final class AdminClient implements AutoCloseable
{
    static final int ADMIN_RESPONSE_STREAM = 104;
    private static final long RESEND_INTERVAL_MS = 50;
    private static final int FRAME_LENGTH_MAX = 64 * 1024;
    private static final int FOLLOWERS_MAX = 1024;

    private final int memberCount;
    /** The members asked, by position; calls name a member by id. */
    private final Member[] members;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ExclusivePublication[] publications;
    private final Subscription responses;
    private final String responseChannel;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[2048]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final StatusRequestEncoder statusRequest = new StatusRequestEncoder();
    private final SnapshotRequestEncoder snapshotRequest = new SnapshotRequestEncoder();
    private final FaultRequestEncoder faultRequest = new FaultRequestEncoder();
    private final MembershipRequestEncoder membershipRequest = new MembershipRequestEncoder();
    private final MembershipResponseDecoder membershipResponse = new MembershipResponseDecoder();
    private MembershipResult membershipAnswer;
    private final FrameChecker checker = new FrameChecker(FRAME_LENGTH_MAX, FOLLOWERS_MAX, 4096);
    private final StatusResponseDecoder response = new StatusResponseDecoder();
    private long nextCorrelationId = new SecureRandom().nextLong() & Long.MAX_VALUE;
    private long awaitedCorrelationId = -1;
    private final ClientCredentials credentials;
    private final SessionEventDecoder refusal = new SessionEventDecoder();
    private String refusedDetail;
    private NodeStatusReport answer;
    private FaultOutcome answerOutcome;
    /** {@link #statusAll}: the first of its consecutive correlation ids (member m's is first + m), or -1. */
    private long allFirstCorrelationId = -1;
    private NodeStatusReport[] allAnswers;
    private long[] allAnsweredNanos;

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
                    PaxlogClient.CLIENT_STREAM);
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
        allFirstCorrelationId = first;
        allAnswers = answers;
        allAnsweredNanos = stamps;
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
            allFirstCorrelationId = -1;
            allAnswers = null;
            allAnsweredNanos = null;
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
        return answerOutcome == FaultOutcome.APPLIED;
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
     * {@code acceptQuorum} and {@code electionQuorum} of the final configuration (0: a majority, and N - W + 1).
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
        membershipAnswer = null;
        call(position, correlationId, length, timeoutNs);
        final MembershipResult result = membershipAnswer;
        membershipAnswer = null;
        return result;
    }

    /** Sends the request in {@code request} (resending), polls for its answer; null at the deadline. */
    private NodeStatusReport call(final int position, final long correlationId, final int length, final long timeoutNs)
    {
        final int memberId = members[position].id();
        awaitedCorrelationId = correlationId;
        refusedDetail = null;
        answer = null;
        answerOutcome = null;
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
                if (answer != null)
                {
                    return answer;
                }
                if (membershipAnswer != null)
                {
                    return null;
                }
                if (refusedDetail != null)
                {
                    throw new PaxlogException.Rejected("member " + memberId + " refused the request: " + refusedDetail);
                }
                idle.idle(work);
            }
        }
        finally
        {
            awaitedCorrelationId = -1;
            idle.reset();
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
    {
        if (checker.check(buffer, offset, length) != FrameCheck.OK)
        {
            return; // not an answer of this schema: ignored
        }
        if (checker.templateId() == SessionEventDecoder.TEMPLATE_ID)
        {
            refusal.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, checker.actingBlockLength(),
                checker.actingVersion());
            if (refusal.correlationId() == awaitedCorrelationId && refusal.code() == SessionEventCode.REJECTED)
            {
                refusedDetail = refusal.detail(); // the node refused the request (authentication)
            }
            return;
        }
        if (checker.templateId() == MembershipResponseDecoder.TEMPLATE_ID)
        {
            membershipResponse.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, checker.actingBlockLength(),
                checker.actingVersion());
            if (membershipResponse.correlationId() == awaitedCorrelationId)
            {
                final String outcome = membershipResponse.outcome().name();
                final int nodeId = membershipResponse.nodeId();
                final int leaderId = membershipResponse.leaderId();
                final long commitSlot = membershipResponse.commitSlot();
                membershipAnswer = new MembershipResult(outcome, nodeId, leaderId, commitSlot,
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
        final boolean single = correlationId == awaitedCorrelationId;
        final long allIndex = allFirstCorrelationId < 0 ? -1 : correlationId - allFirstCorrelationId;
        final boolean ofAll = allIndex >= 0 && allIndex < memberCount && allAnswers[(int)allIndex] == null;
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

    /** Closes Aeron and the media driver. */
    public synchronized void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
