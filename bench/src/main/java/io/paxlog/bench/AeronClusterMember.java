package io.paxlog.bench;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.Header;
import io.paxlog.protocol.IdleStrategies;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * One member of {@link AeronClusterTarget}'s cluster: a {@link ClusteredMediaDriver} (embedded media driver in
 * {@code dir/driver}, SHARED threading; an {@link Archive} in {@code dir/archive}, SHARED threading; a
 * {@link ConsensusModule} in {@code dir/cluster}) and a {@link ClusteredServiceContainer} (also {@code dir/cluster})
 * running {@link EchoService}, every thread with the given idle strategy. This is the one place the member is
 * configured: {@link AeronClusterTarget} launches it in its own JVM (in-process topology) and
 * {@link AeronClusterMemberMain} in a child JVM (processes topology), both from a {@link Spec}.
 *
 * <p>The archive and cluster directories are deleted on start, so a member launched again after a crash is a
 * fresh member that catches up from the leader (log replication from the leader's archive), not one that
 * recovers from its own disk.
 *
 * <p>Threading: launched, killed and closed by one controlling thread; the service's counters are volatile and may
 * be read from any thread.
 */
final class AeronClusterMember implements AutoCloseable
{
    /**
     * What a member is launched with.
     *
     * @param memberId            0..2
     * @param memberList          Aeron's cluster members string ({@code id,ingress,consensus,log,catchup,archive|...})
     * @param archiveEndpoint     this member's archive control endpoint (host:port)
     * @param dir                 the member's directory
     * @param idleStrategy        a {@link BenchSettings#IDLE_STRATEGIES} name for every thread of the member
     * @param heartbeatIntervalNs leader heartbeat interval
     * @param heartbeatTimeoutNs  leader heartbeat timeout
     */
    record Spec(int memberId, String memberList, String archiveEndpoint, Path dir, String idleStrategy,
        long heartbeatIntervalNs, long heartbeatTimeoutNs)
    {
        static final int ARG_COUNT = 7;

        Spec
        {
            if (!BenchSettings.IDLE_STRATEGIES.contains(idleStrategy))
            {
                throw new IllegalArgumentException("idle strategy must be one of " + BenchSettings.IDLE_STRATEGIES +
                    ", got " + idleStrategy);
            }
            if (heartbeatIntervalNs <= 0 || heartbeatTimeoutNs <= heartbeatIntervalNs)
            {
                throw new IllegalArgumentException("need 0 < heartbeat interval < heartbeat timeout");
            }
        }

        /** The arguments of {@link AeronClusterMemberMain}, in {@link #fromArgs} order. */
        List<String> toArgs()
        {
            return List.of(Integer.toString(memberId), memberList, archiveEndpoint, dir.toString(), idleStrategy,
                Long.toString(heartbeatIntervalNs), Long.toString(heartbeatTimeoutNs));
        }

        static Spec fromArgs(final String[] args)
        {
            if (args.length != ARG_COUNT)
            {
                throw new IllegalArgumentException("expected " + ARG_COUNT + " arguments, got " + args.length);
            }
            return new Spec(Integer.parseInt(args[0]), args[1], args[2], Path.of(args[3]), args[4],
                Long.parseLong(args[5]), Long.parseLong(args[6]));
        }
    }

    final EchoService service;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;

    private AeronClusterMember(final EchoService service, final ClusteredMediaDriver driver,
        final ClusteredServiceContainer container)
    {
        this.service = service;
        this.driver = driver;
        this.container = container;
    }

    /** Launches the member's components; every error any of them reports goes to {@code errors}. */
    static AeronClusterMember launch(final Spec spec, final ErrorHandler errors)
    {
        final Path dir = spec.dir();
        final String aeronDir = dir.resolve("driver").toString();
        final File archiveDir = dir.resolve("archive").toFile();
        final File clusterDir = dir.resolve("cluster").toFile();
        final String ephemeral = "aeron:udp?endpoint=" + TargetSupport.HOST + ":0";
        final Supplier<IdleStrategy> idle = () -> IdleStrategies.create(spec.idleStrategy());

        final MediaDriver.Context driverContext = TargetSupport.driverContext(idle.get(), dir.resolve("driver"))
            .errorHandler(errors);

        final Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDir)
            .archiveDir(archiveDir)
            .archiveId(spec.memberId())
            .controlChannel("aeron:udp?endpoint=" + spec.archiveEndpoint())
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel(ephemeral)
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel(ephemeral))
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(idle)
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
            .clusterMemberId(spec.memberId())
            .clusterMembers(spec.memberList())
            .clusterDir(clusterDir)
            .archiveContext(localArchive.clone())
            .serviceCount(1)
            .ingressChannel("aeron:udp")
            .logChannel(AeronClusterTarget.LOG_CHANNEL)
            .replicationChannel(ephemeral)
            .idleStrategySupplier(idle)
            .fileSyncLevel(0)
            .leaderHeartbeatIntervalNs(spec.heartbeatIntervalNs())
            .leaderHeartbeatTimeoutNs(spec.heartbeatTimeoutNs())
            .electionTimeoutNs(AeronClusterTarget.ELECTION_TIMEOUT_NS)
            .sessionTimeoutNs(AeronClusterTarget.SESSION_TIMEOUT_NS)
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
                    .idleStrategySupplier(idle)
                    .errorHandler(errors));
            return new AeronClusterMember(service, driver, container);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /**
     * Stops the member abruptly, as close to a crash as one JVM allows: the media driver goes first, so no
     * end-of-stream or other goodbye reaches the peers (they find out by the leader heartbeat timeout, as after
     * {@code kill -9}); then the service container and the rest, whose errors about the missing driver are expected.
     */
    void kill()
    {
        CloseHelper.quietClose(driver.mediaDriver());
        CloseHelper.quietCloseAll(container, driver);
    }

    /** Closes the service container, then the consensus module, archive and media driver. */
    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(container, driver);
    }

    /** {@code role=LEADER applied=N dropped=N}: what {@link AeronClusterMemberMain} reports in its status file. */
    String statusFields()
    {
        return "role=" + service.role + " applied=" + service.applied + " dropped=" + service.dropped;
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
