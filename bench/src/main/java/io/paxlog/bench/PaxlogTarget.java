package io.paxlog.bench;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.client.ResponseListener;
import io.paxlog.core.Role;
import io.paxlog.node.LocalProcessCluster;
import io.paxlog.protocol.Member;
import io.paxlog.node.NodeAgent;
import io.paxlog.node.NodeConfig;
import io.paxlog.node.PaxlogNode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Paxlog under the benchmark: a 3-node cluster (each node its own embedded media driver, threading as configured, the
 * settings' idle strategy, sync none, no periodic snapshots, as the Aeron Cluster baseline does not snapshot
 * either), hosting an {@link EchoMachine}; one pipelined {@link PaxlogClient} session in this JVM (its media driver on the
 * settings' idle strategy too, as the Aeron Cluster and floor clients run theirs; client defaults otherwise). A response
 * comes after the message is committed by a majority and applied on the leader.
 *
 * <p>Topology ({@link BenchSettings#topology()}): {@code in-process}, the nodes are {@link PaxlogNode}s in this
 * JVM; {@code processes}, each node is a {@code NodeMain} child JVM started by {@link LocalProcessCluster} with the
 * same settings in its properties file plus {@code paxlog.machines=io.paxlog.bench.EchoMachine} (the child's class
 * path is this JVM's, which holds the bench classes), log {@code nodeI.log} in the target's temporary directory,
 * and a shutdown hook that kills them (and deletes the temporary directory) if the runner is stopped before
 * {@link #close}.
 *
 * <p>Fail-over ({@link FailoverTarget}): {@link #killLeader()} closes the leader's {@link PaxlogNode} (agent, Aeron
 * client and media driver: it stops answering at once) in-process, or kills its JVM with SIGKILL in processes;
 * {@link #restartKilled()} starts it again with the same configuration and directory, so it recovers from its
 * journal, and returns once it follows and has applied what the leader had committed when the restart began. The
 * client retries outstanding commands against the new leader by itself.
 *
 * <p>Threading: as {@link BenchTarget}; {@link #killLeader()} and {@link #restartKilled()} may run on another
 * thread than the load's (they touch only the nodes and are synchronized with {@code start} and {@code close}).
 */
public final class PaxlogTarget implements FailoverTarget
{
    private static final int NODES = 3;
    private static final long START_TIMEOUT_MS = 30_000;
    private static final long PROCESSES_START_TIMEOUT_MS = 60_000;
    private static final long LEADER_TIMEOUT_MS = 10_000;
    private static final long REJOIN_TIMEOUT_MS = 30_000;
    private final PaxlogNode[] nodes = new PaxlogNode[NODES];
    private final NodeConfig[] configs = new NodeConfig[NODES];
    private final boolean[] killed = new boolean[NODES];
    private LocalProcessCluster cluster;
    private Thread shutdownHook;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[PaxlogClientContext.MAX_PAYLOAD_BYTES_LIMIT]);
    private BenchTarget.ResponseHandler handler;
    private PaxlogClient client;
    private Path root;
    private int length;
    private long failures;

    private final String threading;

    /**
     * Paxlog as a user gets it: every setting at its default, threading included ({@code auto}: invoker on a machine
     * with fewer than four cores, shared otherwise; the start-up line says which).
     */
    public PaxlogTarget()
    {
        this(NodeConfig.THREADING_DEFAULT);
    }

    /**
     * @param threading {@code auto} (the default), {@code shared} (each node's driver on SHARED threads of its own,
     *                  as Aeron Cluster's drivers run) or {@code invoker} (each node's driver on its duty-cycle
     *                  thread): {@code paxlog.aeron.threading}; the target is named {@code paxlog} for the default
     *                  and {@code paxlog-shared} or {@code paxlog-invoker} otherwise
     */
    public PaxlogTarget(final String threading)
    {
        if (!threading.equals("auto") && !threading.equals("shared") && !threading.equals("invoker"))
        {
            throw new IllegalArgumentException("threading must be auto, shared or invoker, got " + threading);
        }
        this.threading = threading;
    }

    public String name()
    {
        return threading.equals(NodeConfig.THREADING_DEFAULT) ? "paxlog" : "paxlog-" + threading;
    }

    public synchronized void start(final BenchSettings settings) throws Exception
    {
        if (root != null)
        {
            throw new IllegalStateException(name() + " already started");
        }
        TargetSupport.checkPinning(settings, name());
        Files.createDirectories(settings.tempRoot());
        root = Files.createTempDirectory(settings.tempRoot(), "paxlog-bench");
        try
        {
            final Member[] members = settings.processes() ? startProcesses(settings) : startInProcess(settings);
            length = 1 + settings.messageBytes();
            client = new PaxlogClient(new PaxlogClientContext()
                .members(members)
                .aeronDirectoryName(root.resolve("client").toString())
                .maxPayloadBytes(Math.max(64, length))
                .idleStrategy(settings.idleStrategy())
                .responseListener(new Listener()));
            client.command(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // opens the session
        }
        catch (final Exception | Error ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * The node settings both topologies share: sync none, no periodic snapshots, the settings' idle strategy, the
     * target's driver threading; for messages over the default command maximum, that maximum and 1 s timeouts.
     */
    private Properties nodeProperties(final BenchSettings settings)
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.THREADING_PROP, threading);
        p.setProperty(NodeConfig.SYNC_PROP, "none");
        p.setProperty(NodeConfig.IDLE_PROP, settings.idleStrategy());
        p.setProperty(NodeConfig.SNAPSHOT_INTERVAL_PROP, "0");
        p.setProperty(NodeConfig.SNAPSHOT_INTERVAL_BYTES_PROP, "0");
        if (settings.messageBytes() > io.paxlog.core.CoreConfig.COMMAND_BYTES_MAX_DEFAULT)
        {
            // commands over the default maximum: raise it, and the timeouts with it (NodeConfig.largeCommandWarning)
            p.setProperty(io.paxlog.core.CoreConfig.COMMAND_BYTES_MAX_PROP, Integer.toString(settings.messageBytes()));
            p.setProperty(io.paxlog.core.CoreConfig.ELECTION_TIMEOUT_PROP, "1000000000");
            p.setProperty(io.paxlog.core.CoreConfig.LEASE_TIMEOUT_PROP, "1000000000");
            p.setProperty(io.paxlog.core.CoreConfig.RESEND_TIMEOUT_PROP, "200000000");
        }
        return p;
    }

    private Member[] startInProcess(final BenchSettings settings) throws Exception
    {
        final Member[] members = new Member[NODES];
        final StringBuilder list = new StringBuilder();
        final int[] ports = TargetSupport.freeUdpPorts(2 * NODES);
        for (int i = 0; i < NODES; i++)
        {
            members[i] = new Member(i, TargetSupport.HOST, ports[2 * i], ports[2 * i + 1]);
            list.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(members[i].consensusPort())
                .append(':').append(members[i].clientPort());
        }
        for (int i = 0; i < NODES; i++)
        {
            final Properties p = nodeProperties(settings);
            p.setProperty(NodeConfig.MEMBERS_PROP, list.toString());
            p.setProperty("paxlog.node.id", Integer.toString(i));
            p.setProperty(NodeConfig.DIR_PROP, root.resolve("node" + i).toString());
            p.setProperty(NodeConfig.AERON_DIR_PROP, root.resolve("aeron" + i).toString());
            configs[i] = NodeConfig.fromProperties(p).conclude();
            nodes[i] = PaxlogNode.start(configs[i], new EchoMachine());
        }
        awaitLeader(START_TIMEOUT_MS);
        return members;
    }

    private Member[] startProcesses(final BenchSettings settings) throws Exception
    {
        final Properties p = nodeProperties(settings);
        p.setProperty(NodeConfig.MACHINES_PROP, EchoMachine.class.getName());
        cluster = new LocalProcessCluster(root, TargetSupport.paxlogHome(), NODES, p,
            TargetSupport.commandPrefix(settings));
        final LocalProcessCluster children = cluster;
        final Path dir = root;
        shutdownHook = TargetSupport.closeOnShutdown(name(), () ->
        {
            children.close();
            TargetSupport.deleteDir(dir);
        });
        cluster.startAll();
        awaitLeader(PROCESSES_START_TIMEOUT_MS);
        return cluster.members();
    }

    /** Waits until exactly one node leads; returns its id. In processes, throws if a node JVM exited. */
    private int awaitLeader(final long timeoutMs) throws InterruptedException
    {
        TargetSupport.await(() -> leader() >= 0, timeoutMs, "a paxlog leader");
        return leader();
    }

    /** The id of the one node in the leader role, or -1 (none, or two during a change). */
    private int leader()
    {
        int leader = -1;
        for (int i = 0; i < NODES; i++)
        {
            final NodeView view = view(i);
            if (view != null && view.role() == Role.LEADER)
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

    /**
     * What node {@code i} reports about itself, or null (down, not started yet, or no fresh status file). In
     * processes, throws naming the node and the end of its log if a started node's JVM exited.
     */
    private NodeView view(final int i)
    {
        if (cluster == null)
        {
            final NodeAgent.NodeStatus s = nodes[i] == null ? null : nodes[i].agent().status();
            return s == null ? null : new NodeView(s.role(), s.commitSlot(), s.appliedSlot());
        }
        cluster.checkRunning();
        final String line;
        try
        {
            line = cluster.status(i);
        }
        catch (final IOException ex)
        {
            return null;
        }
        return line == null ? null : new NodeView(
            Role.valueOf(TargetSupport.statusField(line, "role").toUpperCase(Locale.ROOT)),
            Long.parseLong(TargetSupport.statusField(line, "commit")),
            Long.parseLong(TargetSupport.statusField(line, "applied")));
    }

    /** A node's role and slots, from its agent (in-process) or its status file (processes). */
    private record NodeView(Role role, long commitSlot, long appliedSlot)
    {
    }

    @Override
    public synchronized int killLeader() throws Exception
    {
        if (root == null)
        {
            throw new IllegalStateException(name() + " not started");
        }
        final int leader = awaitLeader(LEADER_TIMEOUT_MS);
        if (cluster != null)
        {
            cluster.kill(leader);
        }
        else
        {
            nodes[leader].close();
            nodes[leader] = null;
        }
        killed[leader] = true;
        System.out.println(name() + ": killed leader node " + leader);
        return leader;
    }

    @Override
    public synchronized void restartKilled() throws Exception
    {
        if (root == null)
        {
            throw new IllegalStateException(name() + " not started");
        }
        final long commitSlot = view(awaitLeader(LEADER_TIMEOUT_MS)).commitSlot();
        final boolean[] restarted = killed.clone();
        for (int i = 0; i < NODES; i++)
        {
            if (killed[i])
            {
                if (cluster != null)
                {
                    cluster.start(i);
                }
                else
                {
                    nodes[i] = PaxlogNode.start(configs[i], new EchoMachine());
                }
                killed[i] = false;
            }
        }
        TargetSupport.await(() ->
        {
            for (int i = 0; i < NODES; i++)
            {
                final NodeView view = restarted[i] ? view(i) : null;
                if (restarted[i] && (view == null || view.role() != Role.FOLLOWER || view.appliedSlot() < commitSlot))
                {
                    return false;
                }
            }
            return true;
        }, REJOIN_TIMEOUT_MS, "restarted node(s) " + Arrays.toString(restarted) + " to follow and apply slot " +
            commitSlot);
    }

    public boolean offer(final long messageId, final long intendedSendNs)
    {
        message.putByte(0, (byte)0); // the echo machine's id in the host
        message.putLong(1, messageId, ByteOrder.LITTLE_ENDIAN);
        message.putLong(9, intendedSendNs, ByteOrder.LITTLE_ENDIAN);
        return client.offerCommand(message, 0, length) > 0;
    }

    public int poll(final BenchTarget.ResponseHandler handler)
    {
        this.handler = handler;
        return client.poll();
    }

    /**
     * The member that leads now as its nodes report it (in-process: their status; processes: their status files),
     * or -1 when none does or two claim to during a change. Call between loads, from the caller's thread.
     */
    public int leaderId()
    {
        return leader();
    }

    /** The name of the duty-cycle thread of member {@code id} in this JVM ({@code paxlog-node-ID}). */
    public static String nodeThreadName(final int id)
    {
        return "paxlog-node-" + id;
    }

    /**
     * The target's started client, for closed-loop calls (blocking commands and queries) between loads, from the
     * caller's thread. The echo machine (machine id 0) answers a command with its bytes and a query with the
     * number of commands it applied.
     */
    public PaxlogClient client()
    {
        return client;
    }

    /** Commands that failed (timed out or refused): the load counts them as lost. */
    public long failures()
    {
        return failures;
    }

    public synchronized void close()
    {
        CloseHelper.quietClose(client);
        for (int i = 0; i < NODES; i++)
        {
            CloseHelper.quietClose(nodes[i]);
            nodes[i] = null;
            configs[i] = null;
            killed[i] = false;
        }
        CloseHelper.quietClose(cluster);
        cluster = null;
        TargetSupport.removeShutdownHook(shutdownHook);
        shutdownHook = null;
        if (root != null)
        {
            try (Stream<Path> files = Files.walk(root))
            {
                for (final Path f : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(f);
                }
            }
            catch (final IOException ignored)
            {
                // best effort: the temp root is the OS's
            }
            root = null;
        }
    }

    private final class Listener implements ResponseListener
    {
        public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
            final int resultLength)
        {
            if (handler != null && resultLength >= 16)
            {
                handler.onResponse(result.getLong(offset, ByteOrder.LITTLE_ENDIAN),
                    result.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN));
            }
        }

        public void onFailure(final long sequence, final PaxlogException cause)
        {
            failures++;
        }
    }
}
