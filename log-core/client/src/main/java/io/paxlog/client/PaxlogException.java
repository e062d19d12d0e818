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

    /**
     * The cluster refused the call: a member refused the session (for example too many sessions), or answered a
     * command with status REJECTED (for example a sequence that fell out of the session's window of 128 recent
     * sequences, whose outcome the cluster no longer remembers).
     */
    public static final class Rejected extends PaxlogException
    {
        private static final long serialVersionUID = 1L;

        public Rejected(final String message)
        {
            super(message);
        }
    }

    /**
     * The session is over: the client was closed, or the cluster closed the session (status SESSION_CLOSED or a
     * CLOSED session event). Outstanding commands may or may not have been applied; a new client (a new session)
     * is needed to continue.
     */
    public static final class SessionClosed extends PaxlogException
    {
        private static final long serialVersionUID = 1L;

        public SessionClosed(final String message)
        {
            super(message);
        }
    }
}
