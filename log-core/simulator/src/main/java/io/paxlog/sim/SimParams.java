package io.paxlog.sim;

import io.paxlog.core.CoreConfig;
import io.paxlog.core.Membership;
import io.paxlog.core.PlantedBug;

import java.util.EnumSet;
import java.util.SplittableRandom;

/** Everything one seed runs with: cluster shape, protocol timing, and the fault mix the seed drew. */
public final class SimParams
{
    enum SyncMode { NONE, BATCH }

    /** Fresh member ids a membership run may add beyond the original ones (node arrays stay bounded). */
    static final int EXTRA_IDS = 8;
    /** Voters a membership run keeps: never fewer (removals stop there), never more (adds stop there). */
    public static final int VOTERS_MIN = 3;
    public static final int VOTERS_MAX = 7;
    /** Where a seed draws its cluster size, one seed in this many runs a one-node cluster (when the flags allow). */
    static final int ONE_NODE_ONE_IN = 8;

    // cluster
    int nodes;
    int electionQuorum;
    int acceptQuorum;
    /** Membership changes among the faults (add, remove, replace; see {@link Nemesis}). */
    boolean membership;
    /** Node ids this run may use: the original 0..nodes-1, plus {@link #EXTRA_IDS} fresh ones with membership. */
    int idCapacity;
    SyncMode syncMode;
    EnumSet<PlantedBug> planted = EnumSet.noneOf(PlantedBug.class);

    // protocol timing (ns)
    long leaseNs = 100_000_000L;
    long heartbeatNs = 20_000_000L;
    long electionTimeoutNs = 60_000_000L;
    long driftPpm = 100_000L;
    long tickNs = 2_000_000L;

    // run shape
    int clients;
    long faultPhaseNs;
    long clientStopAfterHealNs = 1_500_000_000L;
    long livenessDeadlineNs = 12_000_000_000L;

    // fault mix
    double loss;
    double duplication;
    long delayBaseNs;
    long delayJitterNs;
    double longDelayProbability;
    double clockRateSpread;
    boolean partitions;
    boolean crashes;
    boolean machineCrashes;
    boolean pauses;
    boolean stalls;
    boolean crashAll;
    boolean driftChanges;
    /** Disks replaced: a machine comes back at once with an empty disk (see {@link Nemesis}). */
    boolean diskReplacements;
    long nemesisGapMinNs;
    long nemesisGapMaxNs;
    long syncLatencyNs;
    /** Snapshot the state machines and compact the journal every this many applied entries (0: never). */
    int compactEveryEntries;
    /** Some writes are large commands (about {@link KvCommand#PADDED_BYTES} bytes): one in four when set. */
    boolean largeCommands;
    /** The frame limit every member runs with ({@link CoreConfig#frameLengthMax()}); messages over it are refused. */
    int frameLengthMax = 256 << 10;
    /** The largest command the leader proposes (small commands are about a hundred bytes). */
    int commandBytesMax = 4096;
    private Membership initialMembership;

    /**
     * Draws a seed's parameters. {@code nodes} 0 lets the seed choose 1, 3 or 5: one seed in
     * {@value #ONE_NODE_ONE_IN} runs one node unless the run has membership changes (3..7 voters) or a planted bug
     * that needs peers (quorum-too-small would make W zero); the others 3 or 5 as before, with the same draws (the
     * one-node choice comes from a generator of its own, so every other seed draws what it always drew). The planted
     * bug {@link PlantedBug#RECONFIG_SKIP_CATCHUP} turns {@code membership} on (it needs membership changes to show).
     * A one-node run has no links between nodes: it draws no partitions or link stalls (they would cut nothing).
     */
    static SimParams draw(final long seed, final int nodes, final int r, final int w, final EnumSet<PlantedBug> planted,
        final boolean membership)
    {
        final SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        final SimParams p = new SimParams();
        p.membership = membership || planted.contains(PlantedBug.RECONFIG_SKIP_CATCHUP);
        p.nodes = nodes > 0 ? nodes : (rnd.nextInt(3) == 0 ? 5 : 3);
        if (nodes == 0 && !p.membership && !planted.contains(PlantedBug.QUORUM_TOO_SMALL) &&
            new SplittableRandom(seed ^ 0x0E1A0DE5L).nextInt(ONE_NODE_ONE_IN) == 0)
        {
            p.nodes = 1;
        }
        p.idCapacity = p.nodes + (p.membership ? EXTRA_IDS : 0);
        if (p.membership && (p.nodes < VOTERS_MIN || p.nodes > VOTERS_MAX))
        {
            throw new IllegalArgumentException("membership runs need " + VOTERS_MIN + ".." + VOTERS_MAX + " nodes");
        }
        p.electionQuorum = r > 0 ? r : p.nodes / 2 + 1;
        p.acceptQuorum = w > 0 ? w : p.nodes / 2 + 1;
        p.planted.addAll(planted);
        if (planted.contains(PlantedBug.QUORUM_TOO_SMALL))
        {
            p.acceptQuorum = p.nodes - p.electionQuorum;
        }
        p.syncMode = rnd.nextInt(3) == 0 ? SyncMode.NONE : SyncMode.BATCH;
        if (planted.contains(PlantedBug.ACK_BEFORE_PERSIST))
        {
            p.syncMode = SyncMode.BATCH;
        }
        p.clients = 3 + rnd.nextInt(3);
        p.faultPhaseNs = 1_500_000_000L + rnd.nextLong(2_000_000_000L);
        p.loss = rnd.nextDouble() < 0.2 ? 0 : rnd.nextDouble() * 0.3;
        p.duplication = rnd.nextDouble() < 0.3 ? 0 : rnd.nextDouble() * 0.3;
        p.delayBaseNs = 50_000L + rnd.nextLong(500_000L);
        p.delayJitterNs = 100_000L + rnd.nextLong(3_000_000L);
        p.longDelayProbability = rnd.nextDouble() * 0.05;
        p.clockRateSpread = rnd.nextDouble();
        p.partitions = rnd.nextDouble() < 0.7;
        p.crashes = rnd.nextDouble() < 0.6;
        p.machineCrashes = rnd.nextDouble() < 0.6;
        p.pauses = rnd.nextDouble() < 0.5;
        p.stalls = rnd.nextDouble() < 0.5;
        p.crashAll = p.syncMode == SyncMode.BATCH && rnd.nextDouble() < 0.3;
        p.driftChanges = rnd.nextDouble() < 0.3;
        p.nemesisGapMinNs = 30_000_000L;
        p.nemesisGapMaxNs = 100_000_000L + rnd.nextLong(500_000_000L);
        p.syncLatencyNs = 100_000L + rnd.nextLong(2_000_000L);
        p.compactEveryEntries = rnd.nextInt(4) == 0 ? 0 : 50 + rnd.nextInt(450);
        // drawn last, so the draws above stay what they were for every seed; the planted bug needs large commands
        p.largeCommands = rnd.nextBoolean() || planted.contains(PlantedBug.COUNT_BOUNDED_BATCHES) ||
            planted.contains(PlantedBug.RING_REUSES_NEEDED_BYTES);
        if (p.largeCommands)
        {
            // a frame holds one large command, and a few at most: batches, promises and catch-ups must split
            p.frameLengthMax = (24 + rnd.nextInt(41)) * 1024;
            p.commandBytesMax = KvCommand.PADDED_BYTES + 1024;
        }
        // drawn last, so that every earlier parameter of a seed is what it was before this fault existed
        p.diskReplacements = rnd.nextDouble() < 0.3 || planted.contains(PlantedBug.WIPED_REJOINS_AS_SELF);
        if (p.nodes == 1)
        {
            p.partitions = false;
            p.stalls = false;
        }
        return p;
    }

    CoreConfig coreConfig(final int nodeId, final long seed)
    {
        final CoreConfig c = new CoreConfig()
            .nodeId(nodeId)
            .memberCount(nodes)
            .electionQuorum(electionQuorum)
            .acceptQuorum(acceptQuorum)
            .leaseTimeoutNs(leaseNs)
            .heartbeatIntervalNs(heartbeatNs)
            .electionTimeoutNs(electionTimeoutNs)
            .resendTimeoutNs(30_000_000L)
            .backoffBaseNs(10_000_000L)
            .backoffMaxNs(320_000_000L)
            .clockDriftPpm(driftPpm)
            .leaseMarginNs(1_000_000L)
            .windowSlots(32)
            .batchEntriesMax(8)
            .promiseEntriesMax(Integer.getInteger("sim.promise", 1024))
            .logCapacitySlots(Integer.getInteger("sim.ring", 4096))
            .catchupEntriesMax(64)
            .frameLengthMax(frameLengthMax)
            .commandBytesMax(commandBytesMax)
            .promiseBytesMax(1 << 20)
            .windowBytesMax(largeCommands ? 256 << 10 : 512 << 10)
            // the least these limits need (about 2.6 MiB per node with large commands, 3.1 MiB without): with
            // large commands the payload ring wraps after about 150 of them, and every store must find room
            .logCapacityBytes(Integer.getInteger("sim.logBytes", 0))
            .joining(nodeId >= nodes)
            .membershipCatchupTimeoutNs(800_000_000L)
            .randomSeed(seed)
            .allowPlantedBugs(!planted.isEmpty());
        planted.forEach(c::plant);
        return c.conclude();
    }

    /** The configuration every run starts with: voters 0..nodes-1 with this seed's quorums. */
    Membership initialMembership()
    {
        if (initialMembership == null)
        {
            initialMembership = coreConfig(0, 0).initialMembership();
        }
        return initialMembership;
    }

    /** Clock rates lie within [1 - rho/2, 1 + rho/2], so any two differ by at most rho. */
    double drawRate(final SplittableRandom rnd, final double driftFactor)
    {
        final double halfRho = driftPpm / 2_000_000.0 * driftFactor;
        final double u = planted.contains(PlantedBug.LEASE_IGNORES_DRIFT) || rnd.nextDouble() < clockRateSpread ?
            (rnd.nextBoolean() ? 1 : -1) * (0.8 + 0.2 * rnd.nextDouble()) : rnd.nextDouble() * 2 - 1;
        return 1.0 + halfRho * u;
    }

    String describe()
    {
        return "nodes=" + nodes + " R=" + electionQuorum + " W=" + acceptQuorum + " sync=" + syncMode +
            " clients=" + clients + " faultPhaseMs=" + faultPhaseNs / 1_000_000 +
            String.format(" loss=%.2f dup=%.2f", loss, duplication) +
            " delayUs=" + delayBaseNs / 1000 + "+" + delayJitterNs / 1000 +
            " compactEvery=" + compactEveryEntries + (largeCommands ? " frameMax=" + frameLengthMax + " large" : "") +
            " faults=" + (partitions ? "partition," : "") + (crashes ? "crash," : "") +
            (machineCrashes ? "machine-crash," : "") + (pauses ? "pause," : "") + (stalls ? "stall," : "") +
            (crashAll ? "crash-all," : "") + (driftChanges ? "drift," : "") + (diskReplacements ? "disk-replaced," : "") + (membership ? "membership," : "") +
            (planted.isEmpty() ? "" : " planted=" + planted);
    }
}
