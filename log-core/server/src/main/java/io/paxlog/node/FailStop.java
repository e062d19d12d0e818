package io.paxlog.node;

import io.aeron.logbuffer.FragmentHandler;
import io.paxlog.core.Invariants.InvariantViolation;
import org.agrona.concurrent.AgentTerminationException;

/**
 * A node's fail-stop: which failures stop it, the failure once it happened, and the one line that names it. A node
 * stops, rather than run on with a state it cannot vouch for, on
 * <ul>
 *   <li>an {@link InvariantViolation} (the protocol or its runtime is broken),</li>
 *   <li>any {@link Error} (out of memory, a stack overflow, a linkage error: whatever was running did not finish),</li>
 *   <li>a {@link StateMachineException}: an exception escaped a state machine's apply, session open or close, timer,
 *   snapshot or restore ({@link GuardedMachine}), leaving the machine half changed while the core counts the slot as
 *   applied,</li>
 *   <li>anything thrown while the node starts (restoring its snapshot, replaying its journal).</li>
 * </ul>
 * Received frames that do not decode are not failures: the adapters drop and count them, as before. Any other
 * exception escaping a duty cycle is reported with its stack trace and the node runs on, as before.
 *
 * <p>Recording a failure stops the journal's writes at once ({@link ChronicleJournal#stopWrites}); the duty cycle
 * then ends with {@link #termination()}. Frames are handled inside Aeron's {@code Image.poll}, which catches what a
 * handler throws, reports it to the Aeron client's error handler and polls on: so the node's handlers are
 * {@link #guard guarded}, a failure inside one is recorded there, every later fragment of the poll is ignored, and
 * the duty cycle stops right after its polls ({@link #failed()}), before it ticks, syncs or sends anything.
 *
 * <p>Threading: recorded and checked on the duty-cycle thread; {@link #failure()} and {@link #reason()} from any.
 */
final class FailStop
{
    /** How deep {@link #isFatal} looks into causes. */
    private static final int CAUSE_DEPTH_MAX = 8;
    /** Longest reason, in characters. */
    private static final int REASON_CHARS_MAX = 600;

    private final ChronicleJournal journal;
    /** The duty cycle's own view of {@link #failure} (a plain read per fragment). */
    private boolean failed;
    private volatile Throwable failure;
    private volatile boolean atStart;

    FailStop(final ChronicleJournal journal)
    {
        this.journal = journal;
    }

    /** Whether {@code t}, thrown out of a duty cycle, stops the node: it, or one of its causes, is one of the above. */
    static boolean isFatal(final Throwable t)
    {
        Throwable cause = t;
        for (int depth = 0; cause != null && depth < CAUSE_DEPTH_MAX; depth++)
        {
            if (cause instanceof Error || cause instanceof InvariantViolation || cause instanceof StateMachineException)
            {
                return true;
            }
            cause = cause.getCause();
        }
        return false;
    }

    /**
     * {@code handler} for a subscription's poll: once the node failed it ignores every fragment; a fatal failure it
     * throws is recorded (the duty cycle stops after the poll), anything else is rethrown as before.
     */
    FragmentHandler guard(final FragmentHandler handler)
    {
        return (buffer, offset, length, header) ->
        {
            if (failed)
            {
                return;
            }
            try
            {
                handler.onFragment(buffer, offset, length, header);
            }
            catch (final Throwable t)
            {
                if (!isFatal(t))
                {
                    throw t;
                }
                record(t, false);
            }
        };
    }

    /** Records the failure (the first one counts) and stops the journal's writes. */
    void record(final Throwable t, final boolean whileStarting)
    {
        if (!failed)
        {
            failed = true;
            atStart = whileStarting;
            failure = t;
        }
        journal.stopWrites();
    }

    /** Whether the node failed (duty-cycle thread). */
    boolean failed()
    {
        return failed;
    }

    /** What ends the duty cycle once the node failed: the runner (or invoker) stops, and the agent closes. */
    AgentTerminationException termination()
    {
        return new AgentTerminationException("fail-stop", failure, false, false);
    }

    /** The failure, or null. Any thread. */
    Throwable failure()
    {
        return failure;
    }

    /** The failure as one line ({@link #reason(Throwable, boolean)}), or null. Any thread. */
    String reason()
    {
        final Throwable t = failure;
        return t == null ? null : reason(t, atStart);
    }

    /**
     * The failure as one line: the invariant's or the state machine's message (which names the machine, the call and
     * the slot), otherwise the exception's class and message; {@code whileStarting} says it happened at start.
     */
    static String reason(final Throwable failure, final boolean whileStarting)
    {
        final String what = failure instanceof InvariantViolation || failure instanceof StateMachineException ?
            failure.getMessage() : failure.toString();
        final String line = (what + (whileStarting ? " (while starting: restoring the snapshot or replaying the " +
            "journal)" : ""));
        return StateMachineException.oneLine(line, REASON_CHARS_MAX);
    }
}
