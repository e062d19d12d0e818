package io.paxlog.bench;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.archive.Archive;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.ClusterEvent;
import io.aeron.cluster.client.EgressListener;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.exceptions.AeronException;
import io.aeron.logbuffer.Header;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real 3-node Aeron Cluster, answering each message with an echo from the replicated service: a message's response
 * leaves the leader only after the message is in the log of a majority of the members' archives and the leader's
 * service has processed it, so the latency covers ingress, replication, commit and the service, as a write to a
 * replicated log does.
 *
 * <h2>Configuration (as close to Paxlog's defaults as Aeron Cluster allows)</h2>
 * <ul>
 *   <li>Per member {@code i} (0..2), under the target's temp directory {@code node-i/}: a
 *       {@link ClusteredMediaDriver} (embedded media driver in {@code driver/}, SHARED threading; an
 *       {@link Archive} in {@code archive/}, SHARED threading; a {@link ConsensusModule} in {@code cluster/}) and a
 *       {@link ClusteredServiceContainer} (also {@code cluster/}) running {@link AeronClusterMember.EchoService}.
 *       Every one of these threads uses the settings' idle strategy (backoff by default, as Paxlog). The member is
 *       configured in one place, {@link AeronClusterMember}.</li>
 *   <li>Topology ({@link BenchSettings#topology()}): {@code in-process}, every member in this JVM; or
 *       {@code processes}, each member in its own child JVM ({@link AeronClusterMemberMain}, started by
 *       {@link ChildJvms}, log {@code member-i.log} in the target's temp directory), reporting its service's role and
 *       counters through {@code node-i/status}. The client is always in this JVM.</li>
 *   <li>Members on 127.0.0.1, five distinct free UDP ports each: ingress, consensus, log, catch-up, archive
 *       control. Replication and archive-client response channels use ephemeral ports.</li>
 *   <li>Log: {@code aeron:udp?term-length=8m}, recorded by each member's archive. No fsync anywhere (as Paxlog's
 *       default {@code paxlog.sync=none}): archive file sync level 0, catalog sync level 0, consensus module file
 *       sync level 0; archive and cluster directories are deleted on start.</li>
 *   <li>Timeouts: leader heartbeat interval 20 ms (Paxlog's {@code paxlog.heartbeat.interval.ns}), leader heartbeat
 *       timeout 1 s by default (Aeron's own default is 10 s). Paxlog's election timeout is 100 ms and
 *       {@link #AeronClusterTarget(long, long)} can set that, but on a shared 2-core machine with all three members
 *       in one JVM Aeron Cluster then logs "failed to join live log" during start-up and, in one run of six at
 *       10k msg/s, held a spurious election that closed the client's session. The heartbeat timeout is what a
 *       fail-over waits for after a leader crash ({@link #killLeader()}), so compare fail-over times only with it
 *       stated. Election timeout 1 s (Aeron's default), session timeout 10 s (Paxlog's
 *       {@code paxlog.session.timeout.ms} and Aeron's default).</li>
 *   <li>Client: its own embedded media driver (SHARED, same idle strategy) and an {@link AeronCluster} with UDP
 *       ingress to the three members' ingress endpoints and egress on an ephemeral port of 127.0.0.1; echoes arrive
 *       through its {@link EgressListener} on the caller's thread inside {@link #poll}. Its new-leader timeout is
 *       {@link #NEW_LEADER_TIMEOUT_NS} (Aeron's default, twice the heartbeat timeout, is shorter than an election
 *       on a busy shared machine can take).</li>
 * </ul>
 * {@link #start} returns once a leader is elected and the client's session is open; {@link #close} closes the
 * client and then every member (followers first), and deletes the directories. {@link #poll} also sends the
 * session's keep-alive when nothing was sent for 1 s.
 *
 * <h2>Leader changes and fail-over ({@link FailoverTarget})</h2>
 * The client follows a new leader by itself (a NewLeader event on its egress); while it reconnects, {@link #offer}
 * returns {@code false} and messages in flight to the old leader may be lost. Should the client close itself anyway
 * (no new leader within its timeout, the session closed by the cluster), {@link #offer} and {@link #poll} open a new
 * session without blocking ({@link AeronCluster#asyncConnect}) and {@code offer} returns {@code false} until it is
 * open ({@link #sessionsReopened()} counts them); neither throws. {@link #killLeader()} in-process stops the leader's
 * media driver first and then its other components (no goodbye reaches the peers); in processes it kills the
 * member's JVM (SIGKILL). {@link #restartKilled()} launches a <em>fresh</em> member with the same id and endpoints:
 * its archive and cluster directories are deleted on start, as for every member here, and it catches up by
 * replicating the log from the leader's archive during the election it joins (there are no snapshots to load).
 * It does not recover from its own archive and recording log, unlike a restarted Paxlog node from its journal:
 * every member here is configured to delete them on start (so each run starts clean, and the member configuration
 * stays the one {@link AeronClusterMember} defines), and a fresh member behaves the same in both topologies;
 * recovery from disk was not tried. It has rejoined when its service is a follower and has applied at least the
 * messages the leader had applied when the restart began (the whole log is replayed into the fresh service).
 * Messages the client offered to the dead leader before it noticed are accepted by the ingress publication (its
 * flow-control window is large) and lost.
 *
 * <h2>Threading</h2>
 * As {@link BenchTarget}: one load thread calls {@code start}, {@code offer}, {@code poll} and {@code close};
 * {@link #killLeader()}, {@link #restartKilled()}, {@link #messagesAppliedPerMember()} and {@link #droppedEchoes()}
 * may be called from another thread (they touch only the members and are synchronized with {@code start} and
 * {@code close}); {@link #leaderMemberId()}, {@link #newLeaderEvents()} and {@link #sessionsReopened()} read the
 * client's state and belong to the load thread.
 */
public final class AeronClusterTarget implements FailoverTarget
{
    public static final int MEMBER_COUNT = 3;
    public static final long DEFAULT_LEADER_HEARTBEAT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    public static final long DEFAULT_LEADER_HEARTBEAT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    public static final long ELECTION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);
    public static final long SESSION_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** How long the client waits for a new leader before it closes itself (and the target opens a new session). */
    public static final long NEW_LEADER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    public static final String LOG_CHANNEL = "aeron:udp?term-length=8m";
    private static final long START_TIMEOUT_MS = 30_000;
    private static final long PROCESSES_START_TIMEOUT_MS = 60_000;
    private static final long LEADER_TIMEOUT_MS = 10_000;
    private static final long REJOIN_TIMEOUT_MS = 30_000;
    private static final long MESSAGE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long KEEP_ALIVE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int PORTS_PER_MEMBER = 5;

    private final long leaderHeartbeatIntervalNs;
    private final long leaderHeartbeatTimeoutNs;
    private final AeronClusterMember.Spec[] specs = new AeronClusterMember.Spec[MEMBER_COUNT];
    /** null for a member killed and not restarted. Guarded by this. */
    private final MemberNode[] members = new MemberNode[MEMBER_COUNT];
    private final Errors errors = new Errors();
    private final EgressListener egress = new Egress();
    private ChildJvms children;
    private Path root;
    private BenchSettings settings;
    private String ingressEndpoints;
    private MediaDriver clientDriver;
    private Aeron clientAeron;
    private AeronCluster client;
    private AeronCluster.AsyncConnect reopening;
    private UnsafeBuffer sendBuffer;
    private int messageBytes;
    private ResponseHandler handler;
    private long lastSendNs;
    private long newLeaderEvents;
    private long sessionsReopened;

    /** Leader heartbeat interval 20 ms, timeout 1 s. */
    public AeronClusterTarget()
    {
        this(DEFAULT_LEADER_HEARTBEAT_INTERVAL_NS, DEFAULT_LEADER_HEARTBEAT_TIMEOUT_NS);
    }

    /** Sets the leader heartbeat interval and timeout (the timeout is how long a crashed leader goes unnoticed). */
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
    public synchronized void start(final BenchSettings settings) throws Exception
    {
        if (root != null)
        {
            throw new IllegalStateException(name() + " already started");
        }
        TargetSupport.checkPinning(settings, name());
        this.settings = settings;
        messageBytes = settings.messageBytes();
        errors.closing = false;
        errors.first.set(null);
        errors.whileClosing.set(0);
        root = TargetSupport.createTempDir(settings, name());
        try
        {
            final int[] ports = TargetSupport.freeUdpPorts(MEMBER_COUNT * PORTS_PER_MEMBER);
            final StringBuilder memberList = new StringBuilder();
            final StringBuilder ingress = new StringBuilder();
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
                ingress.append(i).append('=').append(endpoint(ports[p])).append(i + 1 < MEMBER_COUNT ? "," : "");
            }
            ingressEndpoints = ingress.toString();
            if (settings.processes())
            {
                children = new ChildJvms(name(), settings, root);
            }
            for (int i = 0; i < MEMBER_COUNT; i++)
            {
                specs[i] = new AeronClusterMember.Spec(i, memberList.toString(),
                    endpoint(ports[i * PORTS_PER_MEMBER + 4]), root.resolve("node-" + i), settings.idleStrategy(),
                    leaderHeartbeatIntervalNs, leaderHeartbeatTimeoutNs);
                members[i] = launch(i);
            }
            final long startTimeoutMs = settings.processes() ? PROCESSES_START_TIMEOUT_MS : START_TIMEOUT_MS;
            TargetSupport.await(() -> leader() >= 0, startTimeoutMs, "an Aeron Cluster leader");

            clientDriver = MediaDriver.launch(
                TargetSupport.driverContext(settings, root.resolve("client").resolve("driver")));
            clientAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
            client = connect(startTimeoutMs);
            final Publication ingressPublication = client.ingressPublication();
            if (messageBytes + AeronCluster.SESSION_HEADER_LENGTH > ingressPublication.maxMessageLength())
            {
                throw new IllegalArgumentException("messageBytes " + messageBytes + " + session header > ingress " +
                    "maximum " + ingressPublication.maxMessageLength());
            }
            sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.align(messageBytes, 64), 64));
            lastSendNs = System.nanoTime();
            newLeaderEvents = 0;
            sessionsReopened = 0;
        }
        catch (final Exception | Error ex)
        {
            close();
            throw ex;
        }
    }

    /** Launches member {@code id} from its spec: in this JVM, or as a child JVM. */
    private MemberNode launch(final int id) throws IOException
    {
        final AeronClusterMember.Spec spec = specs[id];
        if (children != null)
        {
            Files.createDirectories(spec.dir());
            Files.deleteIfExists(spec.dir().resolve("status"));
            final String childName = "member-" + id;
            children.start(childName, AeronClusterMemberMain.class, spec.toArgs());
            return new ChildMember(childName, spec.dir());
        }
        final MemberErrors memberErrors = new MemberErrors(id);
        return new InProcessMember(AeronClusterMember.launch(spec, memberErrors), memberErrors);
    }

    private AeronCluster connect(final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true)
        {
            try
            {
                return AeronCluster.connect(clientContext());
            }
            catch (final RuntimeException ex)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
                checkChildren();
                Thread.sleep(50);
            }
        }
    }

    private AeronCluster.Context clientContext()
    {
        return new AeronCluster.Context()
            .aeron(clientAeron)
            .ownsAeronClient(false)
            .ingressChannel("aeron:udp")
            .ingressEndpoints(ingressEndpoints)
            .egressChannel("aeron:udp?endpoint=" + TargetSupport.HOST + ":0")
            .egressListener(egress)
            .idleStrategy(settings.newIdleStrategy())
            .messageTimeoutNs(MESSAGE_TIMEOUT_NS)
            .newLeaderTimeoutNs(NEW_LEADER_TIMEOUT_NS);
    }

    private static String endpoint(final int port)
    {
        return TargetSupport.HOST + ":" + port;
    }

    private void checkChildren()
    {
        if (children != null)
        {
            children.checkAlive();
        }
    }

    /**
     * The id of the member whose service is in the leader role, or -1 during an election (or when two claim it).
     * In processes, throws if a member JVM has exited.
     */
    private synchronized int leader()
    {
        checkChildren();
        int leader = -1;
        for (int i = 0; i < MEMBER_COUNT; i++)
        {
            if (members[i] != null && members[i].role() == Cluster.Role.LEADER)
            {
                if (leader >= 0)
                {
                    return -1;
                }
                leader = i;
            }
        }
        return leader;
    }

    private int awaitLeader() throws InterruptedException
    {
        TargetSupport.await(() -> leader() >= 0, LEADER_TIMEOUT_MS, name() + " leader");
        return leader();
    }

    /** The leader's member id as the client last heard it, or -1 before start. Load thread only. */
    public int leaderMemberId()
    {
        return client == null ? -1 : client.leaderMemberId();
    }

    /** NewLeader events the client has seen since start (each is a leader change during the run). */
    public long newLeaderEvents()
    {
        return newLeaderEvents;
    }

    /** Sessions opened again after the client closed itself (0 when every leader change was followed). */
    public long sessionsReopened()
    {
        return sessionsReopened;
    }

    /** Echoes the leader's service could not send (the client's egress was not connected or stayed back-pressured). */
    public synchronized long droppedEchoes()
    {
        long dropped = 0;
        for (final MemberNode member : members)
        {
            if (member != null)
            {
                dropped += Math.max(0, member.dropped());
            }
        }
        return dropped;
    }

    /**
     * Messages each member's service has processed, by member id: the followers' counts show the messages were
     * replicated, committed and applied on every member, not only echoed by the leader. -1 for a member that is
     * down (or, in processes, has not reported within the last 500 ms).
     */
    public synchronized long[] messagesAppliedPerMember()
    {
        final long[] applied = new long[MEMBER_COUNT];
        for (int i = 0; i < applied.length; i++)
        {
            applied[i] = members[i] == null ? -1 : members[i].applied();
        }
        return applied;
    }

    /**
     * The first error any component in this JVM reported while not closing, or null (cluster events such as
     * elections are printed, not kept; in processes the members' errors are in their logs).
     */
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
    public synchronized int killLeader() throws Exception
    {
        if (root == null)
        {
            throw new IllegalStateException(name() + " not started");
        }
        final int leader = awaitLeader();
        final MemberNode member = members[leader];
        members[leader] = null;
        member.kill();
        System.out.println(name() + ": killed leader member " + leader);
        return leader;
    }

    @Override
    public synchronized void restartKilled() throws Exception
    {
        if (root == null)
        {
            throw new IllegalStateException(name() + " not started");
        }
        final int leader = awaitLeader();
        final long leaderApplied = members[leader].applied();
        final boolean[] restarted = new boolean[MEMBER_COUNT];
        for (int i = 0; i < MEMBER_COUNT; i++)
        {
            if (members[i] == null)
            {
                members[i] = launch(i);
                restarted[i] = true;
            }
        }
        TargetSupport.await(() ->
        {
            checkChildren();
            for (int i = 0; i < MEMBER_COUNT; i++)
            {
                if (restarted[i] &&
                    (members[i].role() != Cluster.Role.FOLLOWER || members[i].applied() < leaderApplied))
                {
                    return false;
                }
            }
            return true;
        }, REJOIN_TIMEOUT_MS, "restarted member(s) " + Arrays.toString(restarted) + " to follow and apply " +
            leaderApplied + " messages");
    }

    @Override
    public boolean offer(final long messageId, final long intendedSendNs)
    {
        final AeronCluster cluster = client;
        if (cluster == null || cluster.isClosed())
        {
            reopenSession();
            return false;
        }
        TargetSupport.writeHeader(sendBuffer, 0, messageId, intendedSendNs);
        final long result = cluster.offer(sendBuffer, 0, messageBytes);
        if (result > 0)
        {
            lastSendNs = System.nanoTime();
            return true;
        }
        return false; // back-pressured, not connected (a new leader), or closed: reopened by the next call
    }

    @Override
    public int poll(final ResponseHandler handler)
    {
        this.handler = handler;
        final AeronCluster cluster = client;
        if (cluster == null || cluster.isClosed())
        {
            return reopenSession();
        }
        final int work;
        try
        {
            work = cluster.pollEgress();
        }
        catch (final AeronException ex)
        {
            errors.onError(ex);
            CloseHelper.quietClose(cluster); // a new session follows
            return 1;
        }
        if (work == 0 && System.nanoTime() - lastSendNs > KEEP_ALIVE_INTERVAL_NS && cluster.sendKeepAlive())
        {
            lastSendNs = System.nanoTime();
        }
        return work;
    }

    /** Advances the opening of a new session without blocking; returns 1 when it opened. */
    private int reopenSession()
    {
        if (clientAeron == null)
        {
            throw new IllegalStateException(name() + " not started");
        }
        try
        {
            if (reopening == null)
            {
                CloseHelper.quietClose(client);
                client = null;
                sessionsReopened++;
                System.err.println(name() + ": the client closed itself; opening a new session");
                reopening = AeronCluster.asyncConnect(clientContext());
            }
            final AeronCluster opened = reopening.poll();
            if (opened == null)
            {
                return 0;
            }
            client = opened;
            reopening = null;
            lastSendNs = System.nanoTime();
            return 1;
        }
        catch (final AeronException ex)
        {
            errors.onError(ex);
            CloseHelper.quietClose(reopening);
            reopening = null; // the next call tries again
            return 0;
        }
    }

    @Override
    public synchronized void close()
    {
        errors.closing = true;
        CloseHelper.quietCloseAll(reopening, client, clientAeron, clientDriver);
        reopening = null;
        client = null;
        clientAeron = null;
        clientDriver = null;
        int leader = -1;
        try
        {
            leader = leader();
        }
        catch (final RuntimeException ex)
        {
            // a member JVM exited: close the rest anyway
        }
        for (int i = 0; i < MEMBER_COUNT; i++)
        {
            if (i != leader)
            {
                CloseHelper.quietClose(members[i]);
                members[i] = null;
            }
        }
        if (leader >= 0)
        {
            CloseHelper.quietClose(members[leader]);
            members[leader] = null;
        }
        CloseHelper.quietClose(children);
        children = null;
        Arrays.fill(specs, null);
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

    /**
     * Prints every error; keeps the first reported while the target is up and counts those reported while closing.
     * Cluster events (elections) are printed only.
     */
    private static final class Errors implements ErrorHandler
    {
        final AtomicReference<Throwable> first = new AtomicReference<>();
        final AtomicLong whileClosing = new AtomicLong();
        volatile boolean closing;

        @Override
        public void onError(final Throwable ex)
        {
            if (ex instanceof ClusterEvent)
            {
                System.out.println("aeron-cluster event: " + ex.getMessage());
            }
            else if (closing)
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

    /** One in-process member's errors: those after {@link InProcessMember#kill} are expected and only printed. */
    private final class MemberErrors implements ErrorHandler
    {
        private final int memberId;
        volatile boolean killed;

        MemberErrors(final int memberId)
        {
            this.memberId = memberId;
        }

        @Override
        public void onError(final Throwable ex)
        {
            if (killed)
            {
                System.err.println("aeron-cluster (member " + memberId + " killed): " + ex);
            }
            else
            {
                errors.onError(ex);
            }
        }
    }

    /** A member as the target sees it, wherever it runs. */
    private interface MemberNode extends AutoCloseable
    {
        /** The service's role, or null when not known (a child that has not reported lately). */
        Cluster.Role role();

        /** Messages the service applied, or -1 when not known. */
        long applied();

        /** Echoes the service dropped, or -1 when not known. */
        long dropped();

        /** Stops the member the hard way. */
        void kill() throws InterruptedException;

        @Override
        void close();
    }

    private static final class InProcessMember implements MemberNode
    {
        private final AeronClusterMember member;
        private final MemberErrors errors;

        InProcessMember(final AeronClusterMember member, final MemberErrors errors)
        {
            this.member = member;
            this.errors = errors;
        }

        @Override
        public Cluster.Role role()
        {
            return member.service.role;
        }

        @Override
        public long applied()
        {
            return member.service.applied;
        }

        @Override
        public long dropped()
        {
            return member.service.dropped;
        }

        @Override
        public void kill()
        {
            errors.killed = true;
            member.kill();
        }

        @Override
        public void close()
        {
            member.close();
        }
    }

    /** A member in a child JVM, known by its status file ({@link AeronClusterMemberMain}). */
    private final class ChildMember implements MemberNode
    {
        private final String childName;
        private final Path statusFile;

        ChildMember(final String childName, final Path dir)
        {
            this.childName = childName;
            this.statusFile = dir.resolve("status");
        }

        private String field(final String key)
        {
            try
            {
                final String status = children.isAlive(childName) ? TargetSupport.freshStatus(statusFile) : null;
                return status == null ? null : TargetSupport.statusField(status, key);
            }
            catch (final IOException | RuntimeException ex)
            {
                return null;
            }
        }

        private long number(final String key)
        {
            final String value = field(key);
            return value == null ? -1 : Long.parseLong(value);
        }

        @Override
        public Cluster.Role role()
        {
            final String value = field("role");
            return value == null ? null : Cluster.Role.valueOf(value);
        }

        @Override
        public long applied()
        {
            return number("applied");
        }

        @Override
        public long dropped()
        {
            return number("dropped");
        }

        @Override
        public void kill() throws InterruptedException
        {
            children.kill(childName);
        }

        @Override
        public void close()
        {
            try
            {
                children.kill(childName);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
