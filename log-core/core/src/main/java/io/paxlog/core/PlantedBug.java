package io.paxlog.core;

/**
 * Known protocol bugs that can be switched on deliberately, so the simulator and fault campaigns can show that
 * their checks catch them. Never enabled in production configuration: {@link CoreConfig#conclude()} only
 * accepts them when {@link CoreConfig#allowPlantedBugs} is set, which only test harnesses do.
 */
public enum PlantedBug
{
    /** The leader measures its lease from the time it receives an ack instead of the time it sent the request. */
    LEASE_FROM_RECEIVE_TIME("lease-from-receive-time"),
    /** An acceptor forgets its promised ballot on restart and does not wait out one lease period. */
    FORGET_PROMISE_ON_RESTART("forget-promise-on-restart"),
    /** W + R = N: an accept quorum need not intersect an election quorum. */
    QUORUM_TOO_SMALL("quorum-too-small"),
    /** A follower applies a slot it accepted in an older ballot than the one that committed it. */
    APPLY_STALE_BALLOT("apply-stale-ballot"),
    /** The runtime releases acks before the journal write they depend on is durable (a runtime bug). */
    ACK_BEFORE_PERSIST("ack-before-persist"),
    /** The leader's lease ignores the clock drift bound rho and the safety margin. */
    LEASE_IGNORES_DRIFT("lease-ignores-drift"),
    /**
     * A leader keeps serving lease reads after its lease has run out, while a new leader takes over (it trusts
     * its role instead of the lease).
     */
    LEASE_READ_DURING_HANDOVER("lease-read-during-handover"),
    /** ReadIndex answers without waiting for a quorum to confirm that this node still leads. */
    READ_INDEX_WITHOUT_CONFIRMATION("read-index-without-confirmation"),
    /**
     * A state-machine bug for the simulator's lock checks: the lock table answers a refused try-lock GRANTED, so
     * two sessions believe they hold one lock. Replicas still agree, so only the lock checks can catch it.
     */
    LOCK_DOUBLE_GRANT("lock-double-grant"),
    /**
     * A new member counts toward quorums before it caught up: a membership change makes the joining member a voter
     * at once (no learner step, no catch-up wait), and the joining node, on its first accept from a leader, takes
     * the leader's commit point as its own starting point as if it had installed a snapshot there (nothing applied
     * before it) instead of catching up.
     */
    RECONFIG_SKIP_CATCHUP("reconfig-skip-catchup"),
    /**
     * Accepts, promises and catch-up responses are bounded by entry count only, never by bytes: a batch of large
     * commands makes a frame larger than the receiver accepts or the transport can carry.
     */
    COUNT_BOUNDED_BATCHES("count-bounded-batches"),
    /**
     * A runtime bug: a member whose disk was replaced (or whose journal was deleted) starts again as itself with an
     * empty journal instead of being refused, so it votes having forgotten its promises and accepted entries. The
     * simulator replaces disks for it; a real node skips its identity check.
     */
    WIPED_REJOINS_AS_SELF("wiped-rejoins-as-self"),
    /**
     * The log's payload ring is sized for four of the largest records instead of what the other limits need, and
     * reuses the bytes of its oldest record whether or not the slot is still needed (uncommitted, or committed and
     * not yet applied), as a ring buffer that overwrites would: accepted values are lost under large commands.
     */
    RING_REUSES_NEEDED_BYTES("ring-reuses-needed-bytes");

    private final String cliName;

    PlantedBug(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }

    public static PlantedBug fromCliName(final String name)
    {
        for (final PlantedBug bug : values())
        {
            if (bug.cliName.equals(name))
            {
                return bug;
            }
        }
        throw new IllegalArgumentException("unknown planted bug '" + name + "'");
    }
}
