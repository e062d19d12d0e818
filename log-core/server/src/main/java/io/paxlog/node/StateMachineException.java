package io.paxlog.node;

/**
 * An exception escaped a state machine hosted by a node, from a call that changes or writes its state (apply, a
 * session's open or close, a timer, snapshot, restore): the node stops (fail-stop, {@link PaxlogNode#failure()}).
 * Names the machine, the call and, where there is one, the slot being applied; the machine's exception is the cause.
 */
public final class StateMachineException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    /** Longest message kept from the machine's exception (a message is one line in a log). */
    private static final int CAUSE_CHARS_MAX = 400;

    private final int machineId;
    private final String call;
    private final long slot;

    /** {@code slot} is the slot being applied, or 0 for calls outside apply (snapshot, restore). */
    public StateMachineException(final int machineId, final String machineClass, final String call, final long slot,
        final Throwable cause)
    {
        super("state machine " + machineId + " (" + machineClass + ") threw from " + call +
            (slot > 0 ? " at slot " + slot : "") + ": " + oneLine(String.valueOf(cause), CAUSE_CHARS_MAX), cause);
        this.machineId = machineId;
        this.call = call;
        this.slot = slot;
    }

    public int machineId()
    {
        return machineId;
    }

    /** The call that threw: apply, onSessionOpened, onSessionClosed, onTimer, snapshot or restore. */
    public String call()
    {
        return call;
    }

    /** The slot being applied when it threw; 0 for snapshot and restore. */
    public long slot()
    {
        return slot;
    }

    /** {@code text} on one line (control characters as spaces), cut to {@code charsMax} characters and "...". */
    static String oneLine(final String text, final int charsMax)
    {
        final String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= charsMax ? line : line.substring(0, charsMax) + "...";
    }
}
