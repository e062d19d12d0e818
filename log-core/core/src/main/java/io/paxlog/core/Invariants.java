package io.paxlog.core;

/**
 * Always-on invariant checks (Java {@code assert} is off by default in production). A failed check means the
 * protocol or its runtime is broken; it throws {@link InvariantViolation} so the node stops instead of
 * corrupting the log.
 */
public final class Invariants
{
    private Invariants()
    {
    }

    public static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new InvariantViolation(what);
        }
    }

    /** As {@link #check(boolean, String)}, the message built only on failure: {@code what} then {@code value}. */
    public static void check(final boolean condition, final String what, final long value)
    {
        if (!condition)
        {
            throw new InvariantViolation(what + value);
        }
    }

    /** Thrown when an always-on invariant fails. */
    public static final class InvariantViolation extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        public InvariantViolation(final String message)
        {
            super("invariant violated: " + message);
        }
    }
}
