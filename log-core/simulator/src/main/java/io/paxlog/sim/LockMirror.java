package io.paxlog.sim;

/**
 * One node's view of who holds each simulated lock, rebuilt from the lock answers it applies, in log order: a
 * grant while another session holds the lock, or a fencing token not above every earlier token of that lock, is
 * a violation ("never two holders, tokens strictly increase", judged by fencing order).
 */
final class LockMirror
{
    private final long[] holder;
    private final long[] token;
    private final long[] lastToken;

    LockMirror(final int locks)
    {
        holder = new long[locks];
        token = new long[locks];
        lastToken = new long[locks];
    }

    /** Records a grant; returns what is wrong with it, or null. */
    String grant(final int lock, final long sessionId, final long newToken)
    {
        if (holder[lock] == sessionId)
        {
            return newToken == token[lock] ? null :
                "lock " + lock + " re-granted to its holder " + sessionId + " with token " + newToken + " (had " +
                token[lock] + ")";
        }
        if (holder[lock] != 0)
        {
            return "lock " + lock + " granted to session " + sessionId + " (token " + newToken + ") while session " +
                holder[lock] + " holds it (token " + token[lock] + ")";
        }
        if (newToken <= lastToken[lock])
        {
            return "lock " + lock + " token " + newToken + " is not above earlier token " + lastToken[lock];
        }
        holder[lock] = sessionId;
        token[lock] = newToken;
        lastToken[lock] = newToken;
        return null;
    }

    /** Starts from a holder read out of a restored lock table. */
    void restore(final int lock, final long sessionId, final long currentToken)
    {
        holder[lock] = sessionId;
        token[lock] = currentToken;
        lastToken[lock] = Math.max(lastToken[lock], currentToken);
    }

    void release(final int lock, final long sessionId)
    {
        if (holder[lock] == sessionId)
        {
            holder[lock] = 0;
        }
    }

    void closeSession(final long sessionId)
    {
        for (int lock = 0; lock < holder.length; lock++)
        {
            release(lock, sessionId);
        }
    }
}
