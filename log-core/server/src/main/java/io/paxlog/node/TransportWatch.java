package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;

/**
 * Tells whether the node's Aeron transport still works; a node whose transport is lost stops (fail-stop) rather
 * than live on without it.
 *
 * <p>Aeron closes a client, with every publication and subscription it made, when its conductor was not serviced
 * within the inter-service timeout ({@code ConductorServiceTimeoutException}: the process was stopped that long by
 * SIGSTOP, a VM stall or a debugger), when the media driver timed the client out ({@code ClientTimeoutException}),
 * or when the driver itself stopped answering ({@code DriverTimeoutException}). The node would then hear nobody and
 * be heard by nobody, yet run on: a zombie that keeps standing for election with rising ballots, and journals
 * promises to them that refuse the live leader's accepts once it is restarted. So at the start of each duty cycle,
 * before the protocol runs, the node asks {@link #lost}: the transport is lost when
 * <ul>
 *   <li>Aeron reported a fatal error to this error handler (the three above; one line each, not a stack trace),</li>
 *   <li>the client or one of the node's subscriptions is closed (whichever way it happened), or</li>
 *   <li>the duty cycle itself stalled for at least the client's liveness bound: the inter-service timeout less one
 *   keep-alive interval (9.5 s with Aeron's defaults). A process stopped that long comes back to a client that
 *   Aeron closes (the conductor's own check, or the driver's, whose last keep-alive can be one interval older), but
 *   the conductor thread may notice only after the node's first cycles; deciding from the node's own stall means
 *   the protocol never runs a cycle on a dead transport. A duty cycle stalled that long without a pause of the
 *   whole process (a snapshot or a sync that slow) stops the node too: it is broken either way.</li>
 * </ul>
 * Once lost, always lost: the caller stops the node, and a supervisor (or {@code ops/cluster start}) restarts it
 * with a new media driver and client.
 *
 * <p>Threads: {@link #onError} runs on Aeron's conductor thread (or the duty cycle's, with invoker threading);
 * {@link #lost} and {@link #cycleStarted} on the duty cycle's; {@link #reason} on any.
 */
final class TransportWatch implements ErrorHandler
{
    private volatile String fatalError;
    private volatile String reason;
    private long stallLimitNs = Long.MAX_VALUE;
    private long lastCycleNs = Long.MIN_VALUE;
    private Aeron aeron;

    /** The client watched: its liveness bound is read from its context (the driver's timeouts). */
    void attach(final Aeron aeron)
    {
        this.aeron = aeron;
        final Aeron.Context context = aeron.context();
        stallLimitNs = stallLimitNs(context.interServiceTimeoutNs(), context.keepAliveIntervalNs());
    }

    /** The longest duty-cycle stall the client can survive: the inter-service timeout less one keep-alive interval. */
    static long stallLimitNs(final long interServiceTimeoutNs, final long keepAliveIntervalNs)
    {
        return interServiceTimeoutNs - keepAliveIntervalNs;
    }

    /**
     * Aeron's errors. A fatal one (the client is closed or closing) is remembered for {@link #lost}, and reported in
     * the node's one line when it stops ({@link #reason}); the conductor's own termination after it is not news; any
     * other error is printed with its stack trace, as Aeron's default handler does.
     */
    public void onError(final Throwable error)
    {
        if (error instanceof AgentTerminationException)
        {
            return;
        }
        if (AeronException.isFatal(error))
        {
            if (fatalError == null)
            {
                fatalError = error.getClass().getSimpleName() + ": " + error.getMessage();
            }
            return;
        }
        synchronized (System.err)
        {
            error.printStackTrace(System.err);
        }
    }

    /** The duty cycle is about to run (from the end of the node's start, so a long journal replay is no stall). */
    void cycleStarted(final long nowNs)
    {
        lastCycleNs = nowNs;
    }

    /**
     * Whether the transport is lost, checked at the start of a duty cycle whose clock reading is {@code nowNs};
     * records the reason (one line) the first time. Allocates only then.
     */
    boolean lost(final long nowNs, final Subscription consensus, final Subscription client)
    {
        if (reason != null)
        {
            return true;
        }
        final long stalledNs = lastCycleNs == Long.MIN_VALUE ? 0 : nowNs - lastCycleNs;
        lastCycleNs = nowNs;
        final String fatal = fatalError;
        if (fatal != null)
        {
            reason = fatal;
        }
        else if (stalledNs >= stallLimitNs)
        {
            reason = "the duty cycle stalled " + stalledNs / 1_000_000 + " ms, at least the " + stallLimitNs /
                1_000_000 + " ms Aeron's client survives (a pause of the process: Aeron closes the client)";
        }
        else if (aeron.isClosed())
        {
            reason = "the Aeron client was closed";
        }
        else if (consensus.isClosed() || client.isClosed())
        {
            reason = "the " + (consensus.isClosed() ? "consensus" : "client") + " subscription was closed";
        }
        return reason != null;
    }

    /**
     * The node found its transport unusable itself (every send has been throwing for long): lost from now on, for
     * {@code why} (one line), unless it was lost already.
     */
    void fail(final String why)
    {
        if (reason == null)
        {
            reason = why;
        }
    }

    /**
     * Why the transport was lost (one line), or null while it works; with Aeron's own fatal error when it reported
     * one after the node had decided.
     */
    String reason()
    {
        final String decided = reason;
        final String fatal = fatalError;
        return decided == null || fatal == null || decided.equals(fatal) ? decided : decided + "; aeron: " + fatal;
    }
}
