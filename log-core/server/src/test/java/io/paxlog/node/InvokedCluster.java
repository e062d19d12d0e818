package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.protocol.LoopbackPorts;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.Machines;
import io.paxlog.sm.StateMachine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Three (or N) real nodes in one JVM on loopback UDP, each with its own embedded media driver and Chronicle
 * journal, driven through their AgentInvokers by one thread, or by one thread per node (so a test can measure a
 * node's duty-cycle thread on its own).
 */
final class InvokedCluster implements AutoCloseable
{
    final Path root;
    final Member[] members;
    final PaxlogNode[] nodes;
    final CounterMachine[] machines;
    private final String sync;
    private final Thread driver;
    private final Thread[] nodeThreads;
    private final Properties overrides;
    private final java.util.function.IntFunction<Properties> nodeOverrides;
    /** Each node's machines; null: {@link Machines#standard()}, whose counter machine {@link #machines} shows. */
    private final java.util.function.Supplier<StateMachine[]> machineFactory;
    private final Object[] nodeLocks;
    /** Members 0..initial-1 are the cluster's first configuration; the others join later. */
    private final int initial;
    private volatile boolean running = true;

    InvokedCluster(final int n, final String sync) throws IOException
    {
        this(n, sync, false);
    }

    InvokedCluster(final int n, final String sync, final boolean threadPerNode) throws IOException
    {
        this(n, sync, threadPerNode, new Properties());
    }

    /** {@code overrides} are added to every node's properties (for example slower timeouts). */
    InvokedCluster(final int n, final String sync, final boolean threadPerNode, final Properties overrides)
        throws IOException
    {
        this(n, sync, threadPerNode, overrides, id -> new Properties());
    }

    /** As above; {@code nodeOverrides} gives properties added to node {@code id}'s alone (after the shared ones). */
    InvokedCluster(final int n, final String sync, final boolean threadPerNode, final Properties overrides,
        final java.util.function.IntFunction<Properties> nodeOverrides) throws IOException
    {
        this(n, n, sync, threadPerNode, overrides, nodeOverrides, null);
    }

    /** As above, each node hosting the machines {@code machineFactory} makes ({@link #machines} stays empty). */
    InvokedCluster(final int n, final String sync, final boolean threadPerNode, final Properties overrides,
        final java.util.function.Supplier<StateMachine[]> machineFactory) throws IOException
    {
        this(n, n, sync, threadPerNode, overrides, id -> new Properties(), machineFactory);
    }

    /**
     * Members 0..{@code initial}-1 form the cluster and start; ids {@code initial}..{@code slots}-1 get addresses
     * and start only when asked ({@link #start}), as joining nodes ({@code paxlog.join=true}, listing the initial
     * members and themselves) that a membership change adds.
     */
    InvokedCluster(final int initial, final int slots, final String sync, final Properties overrides)
        throws IOException
    {
        this(initial, slots, sync, false, overrides, id -> new Properties(), null);
    }

    private InvokedCluster(final int initial, final int n, final String sync, final boolean threadPerNode,
        final Properties overrides, final java.util.function.IntFunction<Properties> nodeOverrides,
        final java.util.function.Supplier<StateMachine[]> machineFactory) throws IOException
    {
        this.initial = initial;
        this.machineFactory = machineFactory;
        this.overrides = overrides;
        this.nodeOverrides = nodeOverrides;
        this.nodeLocks = new Object[n];
        for (int i = 0; i < n; i++)
        {
            nodeLocks[i] = new Object();
        }
        this.root = ScratchDirs.create("paxlog-cluster");
        this.sync = sync;
        this.members = new Member[n];
        for (int i = 0; i < n; i++)
        {
            members[i] = new Member(i, "127.0.0.1", freePort(), freePort());
        }
        this.nodes = new PaxlogNode[n];
        this.machines = new CounterMachine[n];
        for (int i = 0; i < initial; i++)
        {
            start(i);
        }
        if (threadPerNode)
        {
            driver = null;
            nodeThreads = new Thread[n];
            for (int i = 0; i < n; i++)
            {
                final int id = i;
                nodeThreads[i] = new Thread(() -> driveOne(id), "node-" + i);
                nodeThreads[i].start();
            }
        }
        else
        {
            nodeThreads = null;
            driver = new Thread(this::drive, "cluster-driver");
            driver.start();
        }
    }

    /** The thread driving node {@code id} (thread-per-node mode only). */
    Thread nodeThread(final int id)
    {
        return nodeThreads[id];
    }

    Member[] members()
    {
        return members.clone();
    }

    /** The members of the cluster's first configuration (all of them unless some join later). */
    Member[] initialMembers()
    {
        return java.util.Arrays.copyOf(members, initial);
    }

    NodeConfig config(final int id)
    {
        final StringBuilder list = new StringBuilder();
        for (final Member m : members)
        {
            if (m.id() < initial || m.id() == id)
            {
                list.append(list.length() == 0 ? "" : ",").append(m.spec());
            }
        }
        final Properties p = new Properties();
        if (id >= initial)
        {
            p.setProperty(io.paxlog.core.CoreConfig.JOIN_PROP, "true");
        }
        p.setProperty(NodeConfig.MEMBERS_PROP, list.toString());
        p.setProperty("paxlog.node.id", Integer.toString(id));
        p.setProperty(NodeConfig.DIR_PROP, root.resolve("node" + id).toString());
        p.setProperty(NodeConfig.SYNC_PROP, sync);
        p.setProperty(NodeConfig.AERON_DIR_PROP, root.resolve("aeron" + id).toString());
        p.setProperty("paxlog.random.seed", Integer.toString(id + 1));
        p.putAll(overrides);
        p.putAll(nodeOverrides.apply(id));
        return NodeConfig.fromProperties(p).conclude();
    }

    /** Starts (or restarts from its journal) node {@code id}; built outside the lock so the others keep running. */
    void start(final int id)
    {
        final StateMachine[] standard = machineFactory == null ? Machines.standard() : machineFactory.get();
        final CounterMachine machine = machineFactory == null ? (CounterMachine)standard[Machines.COUNTERS] : null;
        final PaxlogNode node = PaxlogNode.startInvoked(config(id), standard);
        synchronized (nodeLocks[id])
        {
            synchronized (this)
            {
                machines[id] = machine;
                nodes[id] = node;
            }
        }
    }

    /** Stops a node abruptly (no goodbye to peers); its journal stays. */
    void kill(final int id)
    {
        final PaxlogNode node;
        synchronized (nodeLocks[id])
        {
            synchronized (this)
            {
                node = nodes[id];
                nodes[id] = null;
            }
            node.close(); // under the node's lock: its own driving thread is not inside invoke()
        }
    }

    synchronized int leader()
    {
        for (final PaxlogNode node : nodes)
        {
            if (node != null && node.agent().status() != null &&
                node.agent().status().role() == io.paxlog.core.Role.LEADER)
            {
                return node.config().nodeId();
            }
        }
        return -1;
    }

    /** Waits up to 10 s for a node to report itself leader; returns its id. */
    int awaitLeader() throws InterruptedException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            final int leader = leader();
            if (leader >= 0)
            {
                return leader;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no leader within 10 s");
    }

    synchronized NodeAgent.NodeStatus status(final int id)
    {
        return nodes[id] == null ? null : nodes[id].agent().status();
    }

    private void drive()
    {
        while (running)
        {
            int work = 0;
            synchronized (this)
            {
                for (final PaxlogNode node : nodes)
                {
                    if (node != null)
                    {
                        work += node.invoker().invoke();
                    }
                }
            }
            if (work == 0)
            {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    private void driveOne(final int id)
    {
        final org.agrona.concurrent.IdleStrategy idle = new org.agrona.concurrent.BackoffIdleStrategy();
        while (running)
        {
            final int work;
            synchronized (nodeLocks[id])
            {
                final PaxlogNode node = nodes[id];
                work = node == null ? 0 : node.invoker().invoke();
            }
            idle.idle(work);
        }
    }

    static int freePort()
    {
        return LoopbackPorts.free();
    }

    public void close() throws InterruptedException
    {
        running = false;
        if (driver != null)
        {
            driver.join();
        }
        else
        {
            for (final Thread t : nodeThreads)
            {
                t.join();
            }
        }
        for (final PaxlogNode node : nodes)
        {
            if (node != null)
            {
                node.close();
            }
        }
    }
}
