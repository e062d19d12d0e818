package io.paxlog.bench;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.Header;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real 3-node Aeron Cluster in this JVM, answering each message with an echo from the replicated service:
 * a message's response leaves the leader only after the message is in the log of a majority of the members'
 * archives and the leader's service has processed it, so the latency covers ingress, replication, commit and the
 * service, as a write to a replicated log does.
 *
 * <h2>Configuration (as close to Paxlog's defaults as Aeron Cluster allows)</h2>
 * <ul>
 *   <li>Per member {@code i} (0..2), under the target's temp directory {@code node-i/}: a
 *       {@link ClusteredMediaDriver} (embedded media driver in {@code driver/}, SHARED threading; an
 *       {@link Archive} in {@code archive/}, SHARED threading; a {@link ConsensusModule} in {@code cluster/}) and a
 *       {@link ClusteredServiceContainer} (also {@code cluster/}) running {@link EchoService}. Every one of these
 *       threads uses the settings' idle strategy (backoff by default, as Paxlog).</li>
 *   <li>Members on 127.0.0.1, five distinct free UDP ports each: ingress, consensus, log, catch-up, archive
 *       control. Replication and archive-client response channels use ephemeral ports.</li>
 *   <li>Log: {@code aeron:udp?term-length=8m}, recorded by each member's archive. No fsync anywhere (as Paxlog's
 *       default {@code paxlog.sync=none}): archive file sync level 0, catalog sync level 0, consensus module file
 *       sync level 0; archive and cluster directories are deleted on start.</li>
 *   <li>Timeouts: leader heartbeat interval 20 ms (Paxlog's {@code paxlog.heartbeat.interval.ns}), leader heartbeat
 *       timeout 1 s by default (Aeron's own default is 10 s). Paxlog's election timeout is 100 ms and
 *       {@link #AeronClusterTarget(long, long)} can set that, but on a shared 2-core machine with all three members
 *       in one JVM Aeron Cluster then logs "failed to join live log" during start-up and, in one run of six at
 *       10k msg/s, held a spurious election that closed the client's session; the timeout only matters for
 *       fail-over, which this benchmark does not measure. Election timeout 1 s (Aeron's default), session timeout
 *       10 s (Paxlog's {@code paxlog.session.timeout.ms} and Aeron's default).</li>
 *   <li>Client: its own embedded media driver (SHARED, same idle strategy) and an {@link AeronCluster} with UDP
 *       ingress to the three members' ingress endpoints and egress on an ephemeral port of 127.0.0.1; echoes arrive
 *       through its {@link EgressListener} on the caller's thread inside {@link #poll}.</li>
 * </ul>
 * {@link #start} returns once a leader is elected and the client's session is open; {@link #close} closes the
 * client and then every member (followers first), and deletes the directories. {@link #offer} returns false
 * while the client reconnects to a new leader, and throws {@link IllegalStateException} if the client itself was
 * closed (its session lost); {@link #poll} also sends the session's keep-alive when nothing was sent for 1 s.
 */
public final class AeronClusterTarget implements BenchTarget
{
    public static final int MEMBER_COUNT = 3;
    public static final long DEFAULT_LEADER_HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    public static final long DEFAULT_LEADER_HEARTBEAT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    public static final long ELECTION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    public static final long SESSION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    public static final String LOG_CHANNEL = "aeron:udp?term-length=8m";
    private static final long START_TIMEOUT_MS = 30_000;
    private static final long KEEP_ALIVE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int PORTS_PER_MEMBER = 5;

    private final long leaderHeartbeatIntervalNs;
    private final long leaderHeartbeatTimeoutNs;
    private final List<Member> members = new ArrayList<>();
    private final Errors errors = new Errors();
    private Path root;
    private MediaDriver clientDriver;
    private Aeron clientAeron;
    private AeronCluster client;
    private UnsafeBuffer sendBuffer;
    private int messageBytes;
    private ResponseHandler handler;
    private long lastSendNs;
    private long newLeaderEvents;

    /** Leader heartbeat interval 20 ms, timeout 1 s. */
    public AeronClusterTarget()
    {
        this(DEFAULT_LEADER_HEARTBEAT_INTERVAL_NS, DEFAULT_LEADER_HEARTBEAT_TIMEOUT_NS);
    }

    public AeronClusterTarget(final long leaderHeartbeatIntervalNs, final long leaderHeartbeatTimeoutNs)
    {
        if (leaderHeartbeatIntervalNs <= 0 || leaderHeartbeatTimeoutNs <= leaderHeartbeatIntervalNs)
        {
            throw new IllegalArgumentException("need 0 < heartbeat interval < heartbeat timeout");
        }
        this.leaderHeartbeatIntervalNs = leaderHeartbeatIntervalNs;
        this.leaderHeartbeatTimeoutNs = leaderHeartbeatTimeoutNs;
    }

    @Override
    public String name()
    {
        return "aeron-cluster";
    }

    @Override
    public void start(final BenchSettings settings) throws Exception
    {
        if (root != null)
        {
            throw new IllegalStateException(name() + " already started");
        }
        messageBytes = settings.messageBytes();
        errors.closing = false;
        errors.first.set(null);
        errors.whileClosing.set(0);
        root = TargetSupport.createTempDir(settings, name());
        try
        {
            final int[] ports = TargetSupport.freeUdpPorts(MEMBER_COUNT * PORTS_PER_MEMBER);
            final StringBuilder memberList = new StringBuilder();
            final StringBuilder ingressEndpoints = new StringBuilder();
            for (int i = 0; i < MEMBER_COUNT; i++)
            {
                final int p = i * PORTS_PER_MEMBER;
                memberList.append(i)
                    .append(',').append(endpoint(ports[p])) // ingress
                    .append(',').append(endpoint(ports[p + 1])) // consensus
                    .append(',').append(endpoint(ports[p + 2])) // log
                    .append(',').append(endpoint(ports[p + 3])) // catch-up
                    .append(',').append(endpoint(ports[p + 4])) // archive control
                    .append(i + 1 < MEMBER_COUNT ? "|" : "");
                ingressEndpoints.append(i).append('=').append(endpoint(ports[p]))
                    .append(i + 1 < MEMBER_COUNT ? "," : "");
            }
            for (int i = 0; i < MEMBER_COUNT; i++)
            {
                members.add(Member.launch(i, memberList.toString(), endpoint(ports[i * PORTS_PER_MEMBER + 4]),
                    root.resolve("node-" + i), settings, leaderHeartbeatIntervalNs, leaderHeartbeatTimeoutNs,
                    errors));
            }
            TargetSupport.await(() -> leader() != null, START_TIMEOUT_MS, "an Aeron Cluster leader");

            clientDriver = MediaDriver.launch(
                TargetSupport.driverContext(settings, root.resolve("client").resolve("driver")));
            clientAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
            client = connect(ingressEndpoints.toString(), settings);
            final Publication ingress = client.ingressPublication();
            if (messageBytes + AeronCluster.SESSION_HEADER_LENGTH > ingress.maxMessageLength())
            {
                throw new IllegalArgumentException("messageBytes " + messageBytes + " + session header > ingress " +
                    "maximum " + ingress.maxMessageLength());
            }
            sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.align(messageBytes, 64), 64));
            lastSendNs = System.nanoTime();
            newLeaderEvents = 0;
        }
        catch (final Exception | Error ex)
        {
            close();
            throw ex;
        }
    }

    private AeronCluster connect(final String ingressEndpoints, final BenchSettings settings)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        final EgressListener egress = new Egress();
        while (true)
        {
            try
            {
                return AeronCluster.connect(new AeronCluster.Context()
                    .aeron(clientAeron)
                    .ownsAeronClient(false)
                    .ingressChannel("aeron:udp")
                    .ingressEndpoints(ingressEndpoints)
                    .egressChannel("aeron:udp?endpoint=" + TargetSupport.HOST + ":0")
                    .egressListener(egress)
                    .idleStrategy(settings.newIdleStrategy())
                    .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5)));
            }
            catch (final RuntimeException ex)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
                Thread.sleep(50);
            }
        }
    }

    private static String endpoint(final int port)
    {
        return TargetSupport.HOST + ":" + port;
    }

    /** The member whose service is in the leader role, or null during an election. */
    private Member leader()
    {
        Member leader = null;
        for (final Member member : members)
        {
            if (member.service.role == Cluster.Role.LEADER)
            {
                if (leader != null)
                {
                    return null;
                }
                leader = member;
            }
        }
        return leader;
    }

    /** The leader's member id as the client last heard it, or -1 before start. */
    public int leaderMemberId()
    {
        return client == null ? -1 : client.leaderMemberId();
    }

    /** NewLeader events the client has seen since start (each is a leader change during the run). */
    public long newLeaderEvents()
    {
        return newLeaderEvents;
    }

    /** Echoes the leader's service could not send (the client's egress was not connected or stayed back-pressured). */
    public long droppedEchoes()
    {
        long dropped = 0;
        for (final Member member : members)
        {
            dropped += member.service.dropped;
        }
        return dropped;
    }

    /**
     * Messages each member's service has processed, by member id: the followers' counts show the messages were
     * replicated, committed and applied on every member, not only echoed by the leader.
     */
    public long[] messagesAppliedPerMember()
    {
        final long[] applied = new long[members.size()];
        for (int i = 0; i < applied.length; i++)
        {
            applied[i] = members.get(i).service.applied;
        }
        return applied;
    }

    /** The first error any component reported while not closing, or null. */
    public Throwable firstError()
    {
        return errors.first.get();
    }

    /** Errors components reported during {@link #close} (0 for a clean shutdown). */
    public long errorsWhileClosing()
    {
        return errors.whileClosing.get();
    }

    @Override
    public boolean offer(final long messageId, final long intendedSendNs)
    {
        TargetSupport.writeHeader(sendBuffer, 0, messageId, intendedSendNs);
        final long result = client.offer(sendBuffer, 0, messageBytes);
        if (result > 0)
        {
            lastSendNs = System.nanoTime();
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            throw new IllegalStateException(name() + ": ingress " + Publication.errorString(result));
        }
        return false;
    }

    @Override
    public int poll(final ResponseHandler handler)
    {
        this.handler = handler;
        final int work = client.pollEgress();
        if (work == 0 && System.nanoTime() - lastSendNs > KEEP_ALIVE_INTERVAL_NS && client.sendKeepAlive())
        {
            lastSendNs = System.nanoTime();
        }
        return work;
    }

    @Override
    public void close()
    {
        errors.closing = true;
        CloseHelper.quietCloseAll(client, clientAeron, clientDriver);
        client = null;
        clientAeron = null;
        clientDriver = null;
        final Member leader = leader();
        for (final Member member : members)
        {
            if (member != leader)
            {
                member.close();
            }
        }
        if (leader != null)
        {
            leader.close();
        }
        members.clear();
        TargetSupport.deleteDir(root);
        root = null;
    }

    /** Delivers each echo to the handler given to {@link #poll}. */
    private final class Egress implements EgressListener
    {
        @Override
        public void onMessage(final long clusterSessionId, final long timestamp, final DirectBuffer buffer,
            final int offset, final int length, final Header header)
        {
            handler.onResponse(TargetSupport.readId(buffer, offset), TargetSupport.readIntended(buffer, offset));
        }

        @Override
        public void onNewLeader(final long clusterSessionId, final long leadershipTermId, final int leaderMemberId,
            final String ingressEndpoints)
        {
            newLeaderEvents++;
        }
    }

    /** Prints every error; keeps the first reported while the target is up and counts those reported while closing. */
    private static final class Errors implements ErrorHandler
    {
        final AtomicReference<Throwable> first = new AtomicReference<>();
        final AtomicLong whileClosing = new AtomicLong();
        volatile boolean closing;

        @Override
        public void onError(final Throwable ex)
        {
            if (closing)
            {
                whileClosing.incrementAndGet();
                System.err.println("aeron-cluster (closing): " + ex);
            }
            else
            {
                first.compareAndSet(null, ex);
                System.err.println("aeron-cluster: " + ex);
            }
        }
    }

    /** One member: media driver, archive and consensus module, and the service container with the echo service. */
    private static final class Member implements AutoCloseable
    {
        final EchoService service;
        final ClusteredMediaDriver driver;
        final ClusteredServiceContainer container;

        private Member(final EchoService service, final ClusteredMediaDriver driver,
            final ClusteredServiceContainer container)
        {
            this.service = service;
            this.driver = driver;
            this.container = container;
        }

        static Member launch(final int memberId, final String memberList, final String archiveEndpoint,
            final Path dir, final BenchSettings settings, final long heartbeatIntervalNs, final long heartbeatTimeoutNs,
            final ErrorHandler errors)
        {
            final String aeronDir = dir.resolve("driver").toString();
            final File archiveDir = dir.resolve("archive").toFile();
            final File clusterDir = dir.resolve("cluster").toFile();
            final String ephemeral = "aeron:udp?endpoint=" + TargetSupport.HOST + ":0";

            final MediaDriver.Context driverContext = TargetSupport.driverContext(settings, dir.resolve("driver"))
                .errorHandler(errors);

            final Archive.Context archiveContext = new Archive.Context()
                .aeronDirectoryName(aeronDir)
                .archiveDir(archiveDir)
                .archiveId(memberId)
                .controlChannel("aeron:udp?endpoint=" + archiveEndpoint)
                .localControlChannel("aeron:ipc?term-length=64k")
                .replicationChannel(ephemeral)
                .archiveClientContext(new AeronArchive.Context().controlResponseChannel(ephemeral))
                .recordingEventsEnabled(false)
                .threadingMode(ArchiveThreadingMode.SHARED)
                .idleStrategySupplier(settings::newIdleStrategy)
                .fileSyncLevel(0)
                .catalogFileSyncLevel(0)
                .deleteArchiveOnStart(true)
                .errorHandler(errors);

            final AeronArchive.Context localArchive = new AeronArchive.Context()
                .lock(NoOpLock.INSTANCE)
                .aeronDirectoryName(aeronDir)
                .controlRequestChannel(archiveContext.localControlChannel())
                .controlRequestStreamId(archiveContext.localControlStreamId())
                .controlResponseChannel(archiveContext.localControlChannel());

            final ConsensusModule.Context consensusContext = new ConsensusModule.Context()
                .aeronDirectoryName(aeronDir)
                .clusterMemberId(memberId)
                .clusterMembers(memberList)
                .clusterDir(clusterDir)
                .archiveContext(localArchive.clone())
                .serviceCount(1)
                .ingressChannel("aeron:udp")
                .logChannel(LOG_CHANNEL)
                .replicationChannel(ephemeral)
                .idleStrategySupplier(settings::newIdleStrategy)
                .fileSyncLevel(0)
                .leaderHeartbeatIntervalNs(heartbeatIntervalNs)
                .leaderHeartbeatTimeoutNs(heartbeatTimeoutNs)
                .electionTimeoutNs(ELECTION_TIMEOUT_NS)
                .sessionTimeoutNs(SESSION_TIMEOUT_NS)
                .deleteDirOnStart(true)
                .errorHandler(errors);

            final EchoService service = new EchoService();
            ClusteredMediaDriver driver = null;
            try
            {
                driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
                final ClusteredServiceContainer container = ClusteredServiceContainer.launch(
                    new ClusteredServiceContainer.Context()
                        .aeronDirectoryName(aeronDir)
                        .archiveContext(localArchive.clone())
                        .clusterDir(clusterDir)
                        .clusteredService(service)
                        .serviceId(0)
                        .idleStrategySupplier(settings::newIdleStrategy)
                        .errorHandler(errors));
                return new Member(service, driver, container);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(driver);
                throw ex;
            }
        }

        @Override
        public void close()
        {
            CloseHelper.quietCloseAll(container, driver);
        }
    }

    /**
     * The replicated service: offers every message back, unchanged, to the session that sent it. Only the leader's
     * offer leaves the node (a follower's session offer is a no-op in Aeron Cluster). A back-pressured echo is
     * retried with the service's idle strategy for up to {@link #ECHO_ATTEMPTS} attempts, then counted as dropped.
     */
    static final class EchoService implements ClusteredService
    {
        static final int ECHO_ATTEMPTS = 10_000;
        volatile Cluster.Role role = Cluster.Role.FOLLOWER;
        volatile long dropped;
        volatile long applied;
        private IdleStrategy idle;

        @Override
        public void onStart(final Cluster cluster, final Image snapshotImage)
        {
            idle = cluster.idleStrategy();
            role = cluster.role();
        }

        @Override
        public void onSessionOpen(final ClientSession session, final long timestamp)
        {
        }

        @Override
        public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
        {
        }

        @Override
        public void onSessionMessage(final ClientSession session, final long timestamp, final DirectBuffer buffer,
            final int offset, final int length, final Header header)
        {
            applied++;
            idle.reset();
            for (int attempt = 0; attempt < ECHO_ATTEMPTS; attempt++)
            {
                final long result = session.offer(buffer, offset, length);
                if (result > 0)
                {
                    return;
                }
                if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION)
                {
                    break;
                }
                idle.idle();
            }
            dropped++;
        }

        @Override
        public void onTimerEvent(final long correlationId, final long timestamp)
        {
        }

        @Override
        public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
        {
        }

        @Override
        public void onRoleChange(final Cluster.Role newRole)
        {
            role = newRole;
        }

        @Override
        public void onTerminate(final Cluster cluster)
        {
        }
    }
}
