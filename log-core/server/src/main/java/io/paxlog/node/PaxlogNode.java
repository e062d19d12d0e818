package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paxlog.protocol.IdleStrategies;
import io.paxlog.protocol.JvmFlags;
import io.paxlog.sm.StateMachine;
import io.paxlog.sm.StateMachineHost;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NanoClock;

/**
 * A running node: an embedded media driver (its own directory) or an external one, an Aeron client, and the
 * {@link NodeAgent} on its own thread ({@link #start}) or driven by the caller through an {@link AgentInvoker}
 * ({@link #startInvoked}), as tests do.
 *
 * <p>Threads. With {@code paxlog.aeron.threading=shared} the embedded driver runs in Aeron's SHARED threading
 * mode on a thread of its own beside the node's duty-cycle thread. With {@code paxlog.aeron.threading=invoker}
 * (what the default, {@code auto}, picks on a machine with fewer than four cores), {@link #start} runs the embedded driver and the Aeron client's conductor
 * on the node's own duty-cycle thread (Aeron's INVOKER threading): one busy thread per node instead of three, and
 * no hand-off between a driver thread and the node on the way in or out. {@link #startInvoked} always keeps a
 * SHARED driver thread (the test drives only the node's agent). Either way the driver idles with the node's
 * {@code paxlog.idle}.
 *
 * <p><b>Fail-stop.</b> A node never runs on with a state it cannot vouch for. A broken invariant
 * ({@link io.paxlog.core.Invariants.InvariantViolation}), any {@link Error}, or an exception escaping a hosted state
 * machine's apply, session open or close, timer, snapshot or restore ({@link StateMachineException}; each machine is
 * wrapped so), or anything thrown while the node starts, stops it: the duty cycle ends at once (nothing more is
 * polled, applied, answered or sent; the frames of the failing cycle are never released), and the journal is closed
 * without writing or syncing anything after the failure. The owner learns it from {@link #failure()} (or
 * {@link #isFailed()}; {@link #failureReason()} is the one line) and should close the node; {@link NodeMain} then
 * exits with {@link NodeMain#EXIT_FAIL_STOP}. The failure is logged once, with its stack trace, when it happens.
 * Restarted, the node recovers from its journal and the other members like any crashed member; a state machine
 * that throws on a command throws again on every member that applies it, until the machine is fixed. Frames
 * received that do not decode are not failures (they are dropped and counted), nor is an exception from a query
 * (it changes nothing; the query is answered REJECTED and counted, and the node serves on), nor a snapshot from a peer that does not restore
 * (it is refused and the machines are rolled back).
 */
public final class PaxlogNode implements AutoCloseable
{
    private final NodeConfig config;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final NodeAgent agent;
    private AgentRunner runner;
    private AgentInvoker invoker;

    private PaxlogNode(final NodeConfig config, final boolean driverInvoked, final StateMachine... machines)
    {
        JvmFlags.require("paxlog node", JvmFlags.NODE); // one line, not an IllegalAccessError inside Chronicle
        this.config = config;
        IdentityClaim.claim(config); // before the journal, the driver and any frame: refused, nothing is touched
        // the journal before the transport: with invoker threading nothing services the Aeron client until the duty
        // cycle runs, and a first open of Chronicle can take seconds on a loaded machine
        final ChronicleJournal journal = new ChronicleJournal(config.dir().resolve("journal"), config.sync());
        MediaDriver d = null;
        final boolean invoked = config.embeddedDriver() && driverInvoked;
        if (config.embeddedDriver())
        {
            try
            {
                d = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(config.aeronDir())
                    .threadingMode(invoked ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
                    .sharedIdleStrategy(IdleStrategies.create(config.idle()))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(journal);
                throw ex;
            }
        }
        this.driver = d;
        final TransportWatch transport = new TransportWatch();
        final Aeron.Context aeronContext = new Aeron.Context().aeronDirectoryName(config.aeronDir())
            .errorHandler(transport);
        if (invoked)
        {
            // the client's conductor runs on the duty cycle too, and synchronous client calls run the driver
            aeronContext.useConductorAgentInvoker(true).driverAgentInvoker(d.sharedAgentInvoker());
        }
        Aeron a = null;
        try
        {
            a = Aeron.connect(aeronContext);
            final StateMachine[] guarded = GuardedMachine.guard(machines); // their exceptions stop the node
            this.agent = new NodeAgent(config, a, epochAlignedClock(), sink -> new StateMachineHost(sink, guarded),
                invoked ? new AgentInvoker[] {a.conductorAgentInvoker(), d.sharedAgentInvoker()} : null, transport,
                journal);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(a, d, journal);
            throw ex;
        }
        this.aeron = a;
    }

    /**
     * Starts the node on its own thread with the configured idle strategy; with {@code paxlog.aeron.threading=invoker}
     * that thread also runs the embedded driver.
     */
    public static PaxlogNode start(final NodeConfig config, final StateMachine... machines)
    {
        final PaxlogNode node = new PaxlogNode(config, config.driverInvoked(), machines);
        node.runner = new AgentRunner(IdleStrategies.create(config.idle()), node::onAgentError, null, node.agent);
        AgentRunner.startOnThread(node.runner);
        return node;
    }

    /** Starts the node to be driven by the caller: call {@link #invoker()}{@code .invoke()} repeatedly. */
    public static PaxlogNode startInvoked(final NodeConfig config, final StateMachine... machines)
    {
        final PaxlogNode node = new PaxlogNode(config, false, machines);
        node.invoker = new AgentInvoker(node::onAgentError, null, node.agent);
        node.invoker.start();
        return node;
    }

    /**
     * Errors the duty cycle threw (on its thread). The agent's termination for a lost transport
     * ({@link #transportLost}) is reported by the node's owner in one line; its termination on a failure
     * ({@link #failure}) is logged here once, when it happens, with the failure's stack trace, and the owner ends with
     * one line too; anything else is printed with its stack trace (and the next duty cycle runs).
     */
    private void onAgentError(final Throwable error)
    {
        final Throwable failure = agent.failure();
        if (error instanceof AgentTerminationException)
        {
            if (failure != null && error.getCause() == failure)
            {
                NodeLog.info("node " + config.nodeId() + ": fail-stop: " + agent.failureReason() + "; it serves " +
                    "no more, its journal is closed unsynced (stack trace follows)");
                failure.printStackTrace();
            }
            return;
        }
        error.printStackTrace();
    }

    /**
     * What stopped this node (fail-stop, see the class comment): the
     * {@link io.paxlog.core.Invariants.InvariantViolation}, the {@link Error}, the {@link StateMachineException}
     * (naming the machine, the call and the slot), or what its start threw; null while it runs. Once set, the duty
     * cycle has stopped for good and the journal is closed (or being closed) unsynced: close the node; restart it (a
     * new node on the same directory) once the cause is understood. Safe to call from any thread.
     */
    public Throwable failure()
    {
        return agent.failure();
    }

    /** Whether the node stopped on a failure ({@link #failure()} is set). Safe to call from any thread. */
    public boolean isFailed()
    {
        return agent.failure() != null;
    }

    /** {@link #failure()} as one line (what {@link NodeMain} prints), or null. Safe to call from any thread. */
    public String failureReason()
    {
        return agent.failureReason();
    }

    /**
     * Why the node's Aeron transport was lost (one line), or null while it works. Once lost, the duty cycle has
     * stopped for good: close the node (and restart it: a new media driver and client).
     */
    public String transportLost()
    {
        return agent.transportLost();
    }

    public AgentInvoker invoker()
    {
        return invoker;
    }

    public NodeAgent agent()
    {
        return agent;
    }

    public NodeConfig config()
    {
        return config;
    }

    public void close()
    {
        CloseHelper.closeAll(runner, invoker, aeron, driver);
    }

    /**
     * The node's clock: {@code System.nanoTime()} (monotonic, as leases need) shifted once at start so that it
     * reads roughly epoch nanoseconds. Entry timestamps then mean the same thing whichever member leads.
     */
    static NanoClock epochAlignedClock()
    {
        final long offsetNs = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        return () -> System.nanoTime() + offsetNs;
    }
}
