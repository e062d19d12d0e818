package io.paxlog.core;

import java.util.SplittableRandom;

/**
 * The randomised delays of elections: the election timeout with jitter, and the backoff after failed elections
 * (doubling from {@code backoffBaseNs} up to {@code backoffMaxNs}, jittered). Deterministic: one generator seeded
 * from the configuration and the node id, drawn in call order, so a simulator seed replays exactly.
 *
 * <p>Not thread-safe: owned by one {@link ConsensusNode}.
 */
final class ElectionTimer
{
    private final CoreConfig config;
    private final SplittableRandom random;
    private int failedElections;

    ElectionTimer(final CoreConfig config, final int nodeId)
    {
        this.config = config;
        this.random = new SplittableRandom(config.randomSeed() * 31 + nodeId);
    }

    /** How long a follower waits without hearing a leader before it stands: the timeout plus up to as much jitter. */
    long electionDelayNs()
    {
        return config.electionTimeoutNs() + jitterNs(config.electionTimeoutNs());
    }

    /** The delay before standing again after a failed election: half the doubled base plus jitter up to it. */
    long backoffNs()
    {
        final int shift = Math.min(failedElections, 20);
        final long base = Math.min(config.backoffMaxNs(), config.backoffBaseNs() << shift);
        return base / 2 + jitterNs(base);
    }

    long jitterNs(final long boundNs)
    {
        return boundNs <= 0 ? 0 : random.nextLong(boundNs);
    }

    void onElectionFailed()
    {
        failedElections++;
    }

    void onLeaderKnown()
    {
        failedElections = 0;
    }
}
