package io.paxlog.core;

/**
 * The acceptor's own state: the highest promised ballot and the lease it granted. Every ack it sends
 * (promise, accepted) is a promise not to promise any other leader's ballot for {@code leaseTimeoutNs} on its own
 * clock. After a restart it has forgotten whom it granted leases to, so it grants no promise for one lease period.
 */
final class Acceptor
{
    private final CoreConfig config;
    private long promisedBallot = Ballot.NONE;
    private long grantBallot = Ballot.NONE;
    private long grantUntilNs = Long.MIN_VALUE;
    private long noPromiseUntilNs = Long.MIN_VALUE;
    private boolean grantedSincePoll;

    Acceptor(final CoreConfig config)
    {
        this.config = config;
    }

    long promisedBallot()
    {
        return promisedBallot;
    }

    void restorePromise(final long ballot)
    {
        promisedBallot = Math.max(promisedBallot, ballot);
    }

    void onRestart(final long nowNs)
    {
        if (config.leaseEnabled() && !config.planted(PlantedBug.FORGET_PROMISE_ON_RESTART))
        {
            noPromiseUntilNs = nowNs + config.leaseTimeoutNs();
        }
    }

    /** Why this acceptor would refuse to promise {@code ballot} now, or null if it may promise. */
    NackReason promiseRefusal(final long ballot, final long nowNs)
    {
        if (ballot < promisedBallot)
        {
            return NackReason.BALLOT;
        }
        if (nowNs < noPromiseUntilNs)
        {
            return NackReason.RESTARTING;
        }
        if (leaseToOtherLive(Ballot.nodeId(ballot), nowNs))
        {
            return NackReason.LEASE;
        }
        return null;
    }

    boolean leaseToOtherLive(final int nodeId, final long nowNs)
    {
        return config.leaseEnabled() && grantBallot != Ballot.NONE && Ballot.nodeId(grantBallot) != nodeId &&
            nowNs < grantUntilNs;
    }

    /** How long the refusal of {@code reason} lasts, for the nack. */
    long refusalRemainingNs(final NackReason reason, final long nowNs)
    {
        if (reason == NackReason.RESTARTING)
        {
            return Math.max(0, noPromiseUntilNs - nowNs);
        }
        if (reason == NackReason.LEASE)
        {
            return Math.max(0, grantUntilNs - nowNs);
        }
        return 0;
    }

    /** Raises the promise; returns true if it changed (and must be journaled). */
    boolean promise(final long ballot)
    {
        Invariants.check(ballot >= promisedBallot, "promise must never go down");
        if (ballot > promisedBallot)
        {
            promisedBallot = ballot;
            return true;
        }
        return false;
    }

    /** Grants the leader of {@code ballot} a lease from now, as every ack does. */
    void grant(final long ballot, final long nowNs)
    {
        if (!config.leaseEnabled())
        {
            return;
        }
        grantBallot = ballot;
        grantUntilNs = nowNs + config.leaseTimeoutNs();
        grantedSincePoll = true;
    }

    /**
     * The frames that caused the grants since the last call all arrived no later than {@code polledNs}: those grants
     * run from it instead of from the earlier time they were handled at (see
     * {@link ConsensusNode#onFramesPolled(long)}).
     */
    void grantsReceivedBy(final long polledNs)
    {
        if (grantedSincePoll)
        {
            grantedSincePoll = false;
            grantUntilNs = Math.max(grantUntilNs, polledNs + config.leaseTimeoutNs());
        }
    }

    /** The earliest time this node could itself stand for election. */
    long campaignNotBeforeNs(final int selfId, final long nowNs)
    {
        long t = Math.max(nowNs, noPromiseUntilNs);
        if (leaseToOtherLive(selfId, nowNs))
        {
            t = Math.max(t, grantUntilNs);
        }
        return t;
    }
}
