package io.paxlog.node;

import io.paxlog.core.Ballot;
import io.paxlog.protocol.ConfigException;
import io.paxlog.protocol.JvmFlags;
import io.paxlog.core.PlantedBug;
import io.paxlog.sm.DoubleGrantingLocks;
import io.paxlog.sm.Machines;
import io.paxlog.sm.StateMachine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one node: {@code NodeMain --config FILE}. Every 100 ms the node writes {@code DIR/status} (one line, replaced
 * atomically) for {@code ops/cluster status}.
 *
 * <p>Exit codes, each after one line saying why (the last line of the node's log):
 * <ul>
 *   <li>0: stopped (SIGTERM, SIGINT).</li>
 *   <li>2: a bad configuration, or a data directory it must not start from ({@link IdentityClaim}: a lost journal,
 *   another cluster's or member's); nothing was written.</li>
 *   <li>{@value #EXIT_TRANSPORT_LOST}: its Aeron transport was lost ({@link #EXIT_TRANSPORT_LOST}); restart it.</li>
 *   <li>{@value #EXIT_FAIL_STOP}: it stopped on a failure of its own state ({@link #EXIT_FAIL_STOP}: a broken
 *   invariant, an {@code Error}, a state machine's exception); fix the cause, then restart it.</li>
 * </ul>
 */
public final class NodeMain
{
    /**
     * The exit code of a node that stopped because its Aeron transport was lost (its client closed under it: a
     * pause longer than Aeron's liveness timeouts, a media driver that died): restart it.
     */
    public static final int EXIT_TRANSPORT_LOST = 3;
    /**
     * The exit code of a node that stopped on a failure of its own state (fail-stop, {@link PaxlogNode#failure()}): a
     * broken invariant ({@code InvariantViolation}), an {@code Error}, or an exception escaping a state machine's
     * apply, session open or close, timer, snapshot or restore; or anything failing while it started. Its state is
     * not trusted, so it stopped serving within a duty cycle and exits within a second (the last line of its log:
     * {@code paxlog node N stopping: <cause>; exit 4 (...)}, after the stack trace). Restarted, it recovers from its
     * journal and catches up like a crashed member; but a state machine bug fails again on the same entry (on every
     * member that applies it) until the machine is fixed.
     */
    public static final int EXIT_FAIL_STOP = 4;
    /** How long closing a node whose transport was lost may take before the process halts. */
    private static final long CLOSE_TIMEOUT_MS = 10_000;
    /**
     * How long closing a failed node may take before the process halts: detection (up to one 100 ms status tick)
     * plus this keeps the exit within a second of the failure. The journal was closed by then or is abandoned as a
     * crash would leave it.
     */
    private static final long FAIL_STOP_CLOSE_TIMEOUT_MS = 600;
    /** Set by whichever thread writes the node's last line first (the main thread or an exit watchdog). */
    private static final AtomicBoolean LAST_LINE = new AtomicBoolean();

    private NodeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 2 || !args[0].equals("--config"))
        {
            System.err.println("usage: NodeMain --config FILE");
            System.exit(2);
        }
        try
        {
            JvmFlags.require("paxlog node", JvmFlags.NODE);
        }
        catch (final IllegalStateException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        final NodeConfig config;
        final StateMachine[] machines;
        try
        {
            config = NodeConfig.fromFile(Path.of(args[1])).conclude();
            machines = machines(config);
        }
        catch (final ConfigException ex)
        {
            System.err.println("paxlog node: bad configuration: " + ex.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(config.dir());
        if (!config.plantedBugs().isEmpty() || !config.plantedFailures().isEmpty())
        {
            NodeLog.info(plantedWarning(config));
        }
        final boolean firstStart;
        try
        {
            firstStart = IdentityClaim.claim(config);
        }
        catch (final io.paxlog.replica.IdentityCheck.Refused ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        if (firstStart)
        {
            NodeLog.info("paxlog node " + config.nodeId() + ": first start: journal identity cluster " +
                config.clusterId() + " member " + config.nodeId() + " written" + (config.core().joining() ?
                " (joining: votes once a committed configuration makes it a voter)" : ""));
        }
        NodeLog.info("paxlog node " + config.nodeId() + " starting: members=" + config.members().length +
            " sync=" + config.sync().name().toLowerCase(Locale.ROOT) + " (" + describe(config.sync()) + ")" +
            " idle=" + config.idle() + " threading=" + config.threadingChoice() + " cores=" +
            Runtime.getRuntime().availableProcessors() + " log.capacity.bytes=" + config.core().logCapacityBytes() +
            " machines=" + config.machines() + " aeron.dir=" + config.aeronDir() +
            " chronicle.analytics.disable=" + System.getProperty("chronicle.analytics.disable"));
        final CountDownLatch stop = new CountDownLatch(1);
        String transportLost = null;
        String failure = null;
        try (PaxlogNode node = PaxlogNode.start(config, machines))
        {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "paxlog-shutdown"));
            final Path statusFile = config.dir().resolve("status");
            final Path tmp = config.dir().resolve("status.tmp");
            long ticks = 0;
            // ops/cluster snapshot creates this file; the node takes a snapshot at its next duty cycle
            final Path snapshotTrigger = config.dir().resolve("snapshot.request");
            while (!stop.await(100, java.util.concurrent.TimeUnit.MILLISECONDS))
            {
                failure = node.failureReason();
                if (failure != null)
                {
                    Files.deleteIfExists(statusFile); // it serves no more: ops/cluster shows it down, not stale
                    haltAfter(FAIL_STOP_CLOSE_TIMEOUT_MS, EXIT_FAIL_STOP, failStopLine(config.nodeId(), failure +
                        " (closing took over " + FAIL_STOP_CLOSE_TIMEOUT_MS + " ms)"));
                    break;
                }
                transportLost = node.transportLost();
                if (transportLost != null)
                {
                    Files.deleteIfExists(statusFile); // its figures stopped: ops/cluster shows it down, not stale
                    haltAfter(CLOSE_TIMEOUT_MS, EXIT_TRANSPORT_LOST, transportLostLine(config.nodeId(), transportLost +
                        " (closing took over " + CLOSE_TIMEOUT_MS + " ms)"));
                    break;
                }
                if (Files.deleteIfExists(snapshotTrigger))
                {
                    node.agent().requestSnapshot();
                }
                writeStatus(node.agent().status(), journalBytes(config, ++ticks), config.threadingChoice(), statusFile,
                    tmp);
            }
            if (transportLost == null && failure == null)
            {
                NodeLog.info("paxlog node " + config.nodeId() + " stopping");
            }
        }
        if (failure != null)
        {
            lastLine(failStopLine(config.nodeId(), failure));
            System.exit(EXIT_FAIL_STOP);
        }
        if (transportLost != null)
        {
            lastLine(transportLostLine(config.nodeId(), transportLost));
            System.exit(EXIT_TRANSPORT_LOST);
        }
    }

    /** The one line a node that stopped on a failure ({@link #EXIT_FAIL_STOP}) ends its log with. */
    static String failStopLine(final int nodeId, final String cause)
    {
        return "paxlog node " + nodeId + " stopping: " + cause + "; exit " + EXIT_FAIL_STOP + " (its state is not " +
            "trusted: fix the cause, then restart it: it recovers from its journal and the other members)";
    }

    /** Logs the node's last line unless an exit watchdog did. */
    private static void lastLine(final String line)
    {
        if (LAST_LINE.compareAndSet(false, true))
        {
            NodeLog.info(line);
        }
    }

    /** The one line a node whose transport was lost ends its log with. */
    static String transportLostLine(final int nodeId, final String reason)
    {
        return "paxlog node " + nodeId + " stopping: transport lost: " + reason + "; exit " + EXIT_TRANSPORT_LOST +
            " (restart it: ops/cluster start)";
    }

    /**
     * Closing a node that stopped (the journal, the Aeron client, the embedded driver) should take milliseconds;
     * should it hang, the process still ends after {@code timeoutMs} with {@code exitCode}, its last line
     * {@code line} (unless the main thread wrote its own by then).
     */
    private static void haltAfter(final long timeoutMs, final int exitCode, final String line)
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                Thread.sleep(timeoutMs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            lastLine(line);
            Runtime.getRuntime().halt(exitCode);
        }, "paxlog-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * New instances of the configured state machines ({@link NodeConfig#MACHINES_PROP}), by machine id:
     * {@link Machines#standard()} for {@code standard}; a listed class with a constructor taking
     * {@link java.util.Properties} gets the node's settings.
     *
     * @throws ConfigException naming the setting when a constructor fails.
     */
    static StateMachine[] machines(final NodeConfig config)
    {
        final List<Class<? extends StateMachine>> classes = config.machineClasses();
        if (classes.isEmpty())
        {
            final StateMachine[] standard = Machines.standard();
            if (config.plantedBugs().contains(PlantedBug.LOCK_DOUBLE_GRANT))
            {
                standard[Machines.LOCKS] = new DoubleGrantingLocks();
            }
            return standard;
        }
        final StateMachine[] machines = new StateMachine[classes.size()];
        for (int i = 0; i < machines.length; i++)
        {
            try
            {
                final java.lang.reflect.Constructor<?> constructor = NodeConfig.machineConstructor(classes.get(i));
                machines[i] = (StateMachine)(constructor.getParameterCount() == 1 ?
                    constructor.newInstance(config.settings()) : constructor.newInstance());
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                final Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                throw new ConfigException(NodeConfig.MACHINES_PROP, config.machines(), "cannot create " +
                    classes.get(i).getName() + ": " + cause);
            }
        }
        return machines;
    }

    /** The one loud line a node with planted bugs (or planted failures) prints at start. */
    static String plantedWarning(final NodeConfig config)
    {
        final StringBuilder names = new StringBuilder();
        for (final PlantedBug bug : config.plantedBugs())
        {
            names.append(names.length() == 0 ? "" : ",").append(bug.cliName());
        }
        for (final PlantedFailure failure : config.plantedFailures())
        {
            names.append(names.length() == 0 ? "" : ",").append(failure.cliName());
            if (failure == PlantedFailure.INVARIANT_FAILS_AT_SLOT)
            {
                names.append(" (slot ").append(config.plantedInvariantSlot()).append(')');
            }
        }
        return "WARNING: planted bug(s) enabled: " + names + "; this node is unsafe by design";
    }

    private static String describe(final SyncPolicy policy)
    {
        return policy == SyncPolicy.BATCH ? "journal msync before acks, one sync per duty cycle" :
            "journal not synced: durable by replication; survives process crashes, not machine crashes";
    }

    static String statusLine(final NodeAgent.NodeStatus s, final long journalBytes)
    {
        return "node=" + s.nodeId() + " role=" + s.role().name().toLowerCase(Locale.ROOT) + " ballot=" +
            Ballot.toString(s.ballot()) + " commit=" + s.commitSlot() + " applied=" + s.appliedSlot() + " lease_ms=" +
            s.leaseRemainingNs() / 1_000_000 + " snapshot=" + s.snapshotSlot() + " journal_bytes=" + journalBytes +
            " dropped_frames=" + s.droppedFrames();
    }

    private static long journalBytesCached;

    /** The journal's size on disk, measured once a second (walking the directory is not free). */
    private static long journalBytes(final NodeConfig config, final long tick)
    {
        if (tick % 10 == 1)
        {
            journalBytesCached = ChronicleJournal.bytesOnDisk(config.dir().resolve("journal"));
        }
        return journalBytesCached;
    }

    private static void writeStatus(final NodeAgent.NodeStatus s, final long journalBytes, final String threading,
        final Path file, final Path tmp)
    {
        if (s == null)
        {
            return;
        }
        try
        {
            Files.writeString(tmp, statusLine(s, journalBytes) + " threading=" + threading + " updated_ms=" +
                System.currentTimeMillis() + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            System.err.println("paxlog node: cannot write " + file + ": " + ex.getMessage());
        }
    }
}
