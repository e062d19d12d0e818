package io.paxlog.client;

/** A client call failed: timed out, rejected, or the session was closed. The message says which and why. */
public class PaxlogException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public PaxlogException(final String message)
    {
        super(message);
    }

    /** No answer within the call's deadline; the command may or may not have been applied. */
    public static final class Timeout extends PaxlogException
    {
        private static final long serialVersionUID = 1L;

        public Timeout(final String message)
        {
            super(message);
        }
    }

    /** The cluster refused the call (for example too many sessions). */
    public static final class Rejected extends PaxlogException
    {
        private static final long serialVersionUID = 1L;

        public Rejected(final String message)
        {
            super(message);
        }
    }
}
