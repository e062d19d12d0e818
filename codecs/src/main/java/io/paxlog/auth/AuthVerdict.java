package io.paxlog.auth;

/**
 * What a {@link ClientAuthenticator} decided about one request: accept, reject with a reason the client is shown,
 * or challenge with bytes the client must answer in its next SessionConnect. One instance is reused by the node for
 * every request; it is reset before each call.
 */
public final class AuthVerdict
{
    public static final int NONE = 0;
    public static final int ACCEPT = 1;
    public static final int REJECT = 2;
    public static final int CHALLENGE = 3;
    /** The longest challenge a node sends. */
    public static final int CHALLENGE_LENGTH_MAX = 1024;
    /** The longest reason shown to a client. */
    public static final int REASON_LENGTH_MAX = 200;

    private int outcome;
    private String reason;
    private byte[] challenge;

    /** Clears the verdict (the node calls it before each request). */
    public void reset()
    {
        outcome = NONE;
        reason = null;
        challenge = null;
    }

    public void accept()
    {
        outcome = ACCEPT;
    }

    /** Refuses the request; the client's error says {@code "authentication failed: " + reason}. */
    public void reject(final String reason)
    {
        outcome = REJECT;
        final String r = reason == null || reason.isBlank() ? "refused" : reason;
        this.reason = r.length() > REASON_LENGTH_MAX ? r.substring(0, REASON_LENGTH_MAX) : r;
    }

    /** Asks the client to prove itself against {@code challenge} (1..{@link #CHALLENGE_LENGTH_MAX} bytes). */
    public void challenge(final byte[] challenge)
    {
        if (challenge == null || challenge.length == 0 || challenge.length > CHALLENGE_LENGTH_MAX)
        {
            throw new IllegalArgumentException("a challenge must be 1.." + CHALLENGE_LENGTH_MAX + " bytes");
        }
        outcome = CHALLENGE;
        this.challenge = challenge.clone();
    }

    public int outcome()
    {
        return outcome;
    }

    public String reason()
    {
        return reason;
    }

    public byte[] challengeBytes()
    {
        return challenge;
    }
}
