package io.paxlog.core;

import io.paxlog.protocol.ConfigException;
import io.paxlog.protocol.Setting;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Settings of the protocol core of one node. Each setting has a property name, a default and a typed accessor;
 * {@link #conclude()} validates everything once and names the setting, the value and the rule broken.
 * Times are in nanoseconds of the node's own clock.
 */
public final class CoreConfig
{
    public static final String NODE_ID_PROP = "paxlog.node.id";
    public static final String MEMBER_COUNT_PROP = "paxlog.members";
    public static final int MEMBER_COUNT_DEFAULT = 3;
    public static final int MEMBER_COUNT_MAX = 64;
    /** Accept (phase 2) quorum W; 0 means majority. */
    public static final String ACCEPT_QUORUM_PROP = "paxlog.quorum.accept";
    /** Election (phase 1) quorum R; 0 means majority. */
    public static final String ELECTION_QUORUM_PROP = "paxlog.quorum.election";
    public static final String LEASE_TIMEOUT_PROP = "paxlog.lease.timeout.ns";
    public static final long LEASE_TIMEOUT_DEFAULT_NS = 200_000_000L;
    /** Bound on the relative rate difference between any two nodes' clocks (rho), in parts per million. */
    public static final String CLOCK_DRIFT_PPM_PROP = "paxlog.clock.drift.ppm";
    public static final long CLOCK_DRIFT_PPM_DEFAULT = 50_000L;
    public static final String LEASE_MARGIN_PROP = "paxlog.lease.margin.ns";
    public static final long LEASE_MARGIN_DEFAULT_NS = 2_000_000L;
    public static final String HEARTBEAT_INTERVAL_PROP = "paxlog.heartbeat.interval.ns";
    public static final long HEARTBEAT_INTERVAL_DEFAULT_NS = 20_000_000L;
    public static final String ELECTION_TIMEOUT_PROP = "paxlog.election.timeout.ns";
    public static final long ELECTION_TIMEOUT_DEFAULT_NS = 100_000_000L;
    public static final String RESEND_TIMEOUT_PROP = "paxlog.resend.timeout.ns";
    public static final long RESEND_TIMEOUT_DEFAULT_NS = 40_000_000L;
    public static final String BACKOFF_BASE_PROP = "paxlog.backoff.base.ns";
    public static final long BACKOFF_BASE_DEFAULT_NS = 10_000_000L;
    public static final String BACKOFF_MAX_PROP = "paxlog.backoff.max.ns";
    public static final long BACKOFF_MAX_DEFAULT_NS = 640_000_000L;
    public static final String WINDOW_SLOTS_PROP = "paxlog.window.slots";
    public static final int WINDOW_SLOTS_DEFAULT = 1024;
    /**
     * The largest {@link #WINDOW_SLOTS_PROP} accepted. The node's ring of responses awaiting commit is sized from
     * the window; ConstantsAgreeTest checks that a window this large still gives every pending slot a cell.
     */
    public static final int WINDOW_SLOTS_MAX = 1 << 20;
    public static final String BATCH_ENTRIES_MAX_PROP = "paxlog.batch.entries.max";
    public static final int BATCH_ENTRIES_MAX_DEFAULT = 64;
    public static final String PROMISE_ENTRIES_MAX_PROP = "paxlog.promise.entries.max";
    public static final int PROMISE_ENTRIES_MAX_DEFAULT = 4096;
    public static final String CATCHUP_ENTRIES_MAX_PROP = "paxlog.catchup.entries.max";
    public static final int CATCHUP_ENTRIES_MAX_DEFAULT = 256;
    /**
     * The largest frame a member sends or accepts, in bytes: consensus frames are filled up to it and split beyond
     * it ({@link FrameBudget}); the node also checks it against the transport's largest message.
     */
    public static final String FRAME_LENGTH_MAX_PROP = "paxlog.frame.length.max";
    public static final int FRAME_LENGTH_MAX_DEFAULT = 2 << 20;
    public static final int FRAME_LENGTH_MAX_LIMIT = 16 << 20;
    /**
     * The largest command payload the leader proposes; larger ones are refused. Must fit one frame. 256 KiB by
     * default: larger commands need longer timeouts than the defaults (a node warns at start otherwise), so a user
     * raises this, up to {@link #COMMAND_BYTES_MAX_LIMIT}, together with them.
     */
    public static final String COMMAND_BYTES_MAX_PROP = "paxlog.command.bytes.max";
    public static final int COMMAND_BYTES_MAX_DEFAULT = 256 << 10;
    /** The largest {@link #COMMAND_BYTES_MAX_PROP} allowed: what clients may send and journal records hold. */
    public static final int COMMAND_BYTES_MAX_LIMIT = 1 << 20;
    /**
     * The most bytes of entries one promise reports, over all its parts; an acceptor that would report more refuses
     * the prepare as {@link NackReason#BEHIND}, so the candidate catches up first.
     */
    public static final String PROMISE_BYTES_MAX_PROP = "paxlog.promise.bytes.max";
    public static final int PROMISE_BYTES_MAX_DEFAULT = 32 << 20;
    /**
     * The most bytes of uncommitted entries a leader holds (with {@link #WINDOW_SLOTS_PROP}, the window in bytes):
     * past it proposals get back-pressure. At most half of {@link #PROMISE_BYTES_MAX_PROP}, so what an acceptor
     * holds above its commit point fits in a promise.
     */
    public static final String WINDOW_BYTES_MAX_PROP = "paxlog.window.bytes.max";
    public static final int WINDOW_BYTES_MAX_DEFAULT = 2 << 20;
    /**
     * The most bytes of entries a leader has sent one peer and not yet had acknowledged before it sends that peer
     * more (flow control, so a slow peer is not flooded: what is over the transport's window waits held, in order).
     * One batch may overshoot it; a batch always goes when nothing is in flight.
     */
    public static final String PEER_WINDOW_BYTES_PROP = "paxlog.peer.window.bytes";
    public static final int PEER_WINDOW_BYTES_DEFAULT = 1 << 20;
    public static final String LOG_CAPACITY_SLOTS_PROP = "paxlog.log.capacity.slots";
    public static final int LOG_CAPACITY_SLOTS_DEFAULT = 1 << 17;
    /**
     * Bytes of payload the log holds in memory (one array, allocated at start; docs/performance.md). 0, the default,
     * takes the least the other limits need: twice ({@link #PROMISE_BYTES_MAX_PROP} + {@link #WINDOW_BYTES_MAX_PROP})
     * and four of the largest records, so that a new leader can hold every value a promise may carry on top of
     * half a ring of accepted values (about 69 MiB with the defaults).
     */
    public static final String LOG_CAPACITY_BYTES_PROP = "paxlog.log.capacity.bytes";
    public static final int LOG_CAPACITY_BYTES_DEFAULT = 0;
    /** The largest configuration entry: a membership header and the runtime's member addresses. */
    public static final int CONFIG_ENTRY_BYTES_MAX = 16 << 10;
    public static final String RANDOM_SEED_PROP = "paxlog.random.seed";
    /** This node joins a running cluster: its id is not among the members it starts with (docs/membership.md). */
    public static final String JOIN_PROP = "paxlog.join";
    /** A learner within this many slots of the leader's commit point has caught up and may become a voter. */
    public static final String MEMBERSHIP_CATCHUP_SLOTS_PROP = "paxlog.membership.catchup.slots";
    public static final int MEMBERSHIP_CATCHUP_SLOTS_DEFAULT = 64;
    /** How long a membership change waits for a new member to catch up before it fails (it stays a learner). */
    public static final String MEMBERSHIP_CATCHUP_TIMEOUT_PROP = "paxlog.membership.catchup.timeout.ns";
    public static final long MEMBERSHIP_CATCHUP_TIMEOUT_DEFAULT_NS = 30_000_000_000L;

    /**
     * Every property above as docs/settings.md lists it (built from the constants; SettingsReferenceTest fails when a
     * {@code *_PROP} has no entry).
     */
    public static final List<Setting> SETTINGS = List.of(
        new Setting(NODE_ID_PROP, Setting.REQUIRED, "", "0.." + (MEMBER_COUNT_MAX - 1) + ", one of the member ids",
            "This node's id: its entry in paxlog.cluster.members."),
        new Setting(MEMBER_COUNT_PROP, Integer.toString(MEMBER_COUNT_DEFAULT), "members", "1.." + MEMBER_COUNT_MAX,
            "How many members the configuration starts with. A node sets it from paxlog.cluster.members; only a " +
            "core without a node (a test harness) reads it."),
        new Setting(ACCEPT_QUORUM_PROP, "0 (majority)", "members", "0, or 1..N with W + R > N",
            "The accept (phase 2) quorum W: how many members must journal an entry before it commits."),
        new Setting(ELECTION_QUORUM_PROP, "0 (majority)", "members", "0, or 1..N with W + R > N",
            "The election (phase 1) quorum R: how many promises a candidate needs. A lease or a ReadIndex read " +
            "needs N - R + 1 acknowledgements."),
        new Setting(LEASE_TIMEOUT_PROP, Long.toString(LEASE_TIMEOUT_DEFAULT_NS), "ns", "> 0",
            "The leader's lease: a member that granted it promises no other candidate until it runs out on its " +
            "clock, so the leader serves lease reads without a round trip."),
        new Setting(CLOCK_DRIFT_PPM_PROP, Long.toString(CLOCK_DRIFT_PPM_DEFAULT), "ppm", "0..499999",
            "The largest rate difference between two members' clocks; the leader counts its lease short by it."),
        new Setting(LEASE_MARGIN_PROP, Long.toString(LEASE_MARGIN_DEFAULT_NS), "ns", ">= 0, below half the lease",
            "A safety margin the leader takes off its lease on top of the drift."),
        new Setting(HEARTBEAT_INTERVAL_PROP, Long.toString(HEARTBEAT_INTERVAL_DEFAULT_NS), "ns",
            "> 0, at most a third of the lease", "How often the leader heartbeats an idle peer (an empty accept), " +
            "which renews the lease."),
        new Setting(ELECTION_TIMEOUT_PROP, Long.toString(ELECTION_TIMEOUT_DEFAULT_NS), "ns",
            "> the heartbeat interval", "How long a follower hears nothing from a leader before it campaigns " +
            "(plus jitter)."),
        new Setting(RESEND_TIMEOUT_PROP, Long.toString(RESEND_TIMEOUT_DEFAULT_NS), "ns", "> 0",
            "How long the leader waits for a peer's acknowledgement before it sends the entries again."),
        new Setting(BACKOFF_BASE_PROP, Long.toString(BACKOFF_BASE_DEFAULT_NS), "ns", "> 0",
            "The pause after a failed election; it doubles (jittered) with each further failure."),
        new Setting(BACKOFF_MAX_PROP, Long.toString(BACKOFF_MAX_DEFAULT_NS), "ns", ">= " + BACKOFF_BASE_PROP,
            "The longest pause after failed elections."),
        new Setting(WINDOW_SLOTS_PROP, Integer.toString(WINDOW_SLOTS_DEFAULT), "slots", "1.." + WINDOW_SLOTS_MAX,
            "The most uncommitted slots the leader has in flight; past it proposals get back-pressure."),
        new Setting(BATCH_ENTRIES_MAX_PROP, Integer.toString(BATCH_ENTRIES_MAX_DEFAULT), "entries", "1.." + (1 << 16),
            "The most entries one accept carries (bytes are bounded by " + FRAME_LENGTH_MAX_PROP + ")."),
        new Setting(PROMISE_ENTRIES_MAX_PROP, Integer.toString(PROMISE_ENTRIES_MAX_DEFAULT), "entries",
            WINDOW_SLOTS_PROP + ".." + (1 << 22), "The most entries one promise reports."),
        new Setting(CATCHUP_ENTRIES_MAX_PROP, Integer.toString(CATCHUP_ENTRIES_MAX_DEFAULT), "entries",
            "1.." + (1 << 20) + ", at most a quarter of " + LOG_CAPACITY_SLOTS_PROP,
            "The most entries one catch-up message to a lagging peer carries."),
        new Setting(FRAME_LENGTH_MAX_PROP, Integer.toString(FRAME_LENGTH_MAX_DEFAULT), "bytes",
            "1024.." + FRAME_LENGTH_MAX_LIMIT + ", at most an eighth of aeron.term.buffer.length",
            "The largest consensus frame a member sends or accepts: messages are filled up to it and split beyond it."),
        new Setting(COMMAND_BYTES_MAX_PROP, Integer.toString(COMMAND_BYTES_MAX_DEFAULT), "bytes",
            FrameBudget.COMMAND_BYTES_MIN + ".." + COMMAND_BYTES_MAX_LIMIT + ", one command must fit one frame",
            "The largest command payload the leader proposes; a larger one is refused. Larger commands need longer " +
            "timeouts than the defaults (a node warns at start)."),
        new Setting(PROMISE_BYTES_MAX_PROP, Integer.toString(PROMISE_BYTES_MAX_DEFAULT), "bytes",
            FRAME_LENGTH_MAX_PROP + ".." + (1 << 30), "The most bytes of entries one promise reports over all its " +
            "parts; an acceptor that would report more refuses the prepare, so the candidate catches up first."),
        new Setting(WINDOW_BYTES_MAX_PROP, Integer.toString(WINDOW_BYTES_MAX_DEFAULT), "bytes",
            "one framed command .. half of " + PROMISE_BYTES_MAX_PROP, "The most bytes of uncommitted entries the " +
            "leader holds; past it proposals get back-pressure."),
        new Setting(PEER_WINDOW_BYTES_PROP, Integer.toString(PEER_WINDOW_BYTES_DEFAULT), "bytes", "1024.." + (1 << 30),
            "The most bytes of entries sent to one peer and not yet acknowledged before the leader sends it more " +
            "(flow control for a slow peer)."),
        new Setting(LOG_CAPACITY_SLOTS_PROP, Integer.toString(LOG_CAPACITY_SLOTS_DEFAULT), "slots",
            "a power of two, 2 x (" + PROMISE_ENTRIES_MAX_PROP + " + " + WINDOW_SLOTS_PROP + ").." + (1 << 26),
            "Slots the in-memory log ring holds; older committed slots are read from the journal."),
        new Setting(LOG_CAPACITY_BYTES_PROP, "0 (the least the limits need: about 69 MiB)", "bytes",
            "0, or a multiple of 8 of at least 2 x (" + PROMISE_BYTES_MAX_PROP + " + " + WINDOW_BYTES_MAX_PROP +
            ") plus four of the largest records", "Bytes of payload the log holds in memory, allocated at start."),
        new Setting(RANDOM_SEED_PROP, "the clock at start", "", "any 64-bit integer",
            "The seed of the election jitter; set it for repeatable timing in tests."),
        new Setting(JOIN_PROP, "false", "", "true or false", "This node joins a running cluster: its id is not " +
            "among the current members, which it lists besides itself (docs/membership.md)."),
        new Setting(MEMBERSHIP_CATCHUP_SLOTS_PROP, Integer.toString(MEMBERSHIP_CATCHUP_SLOTS_DEFAULT), "slots",
            "0.." + (1 << 20), "A learner this close to the leader's commit point has caught up and may become a " +
            "voter."),
        new Setting(MEMBERSHIP_CATCHUP_TIMEOUT_PROP, Long.toString(MEMBERSHIP_CATCHUP_TIMEOUT_DEFAULT_NS), "ns", "> 0",
            "How long a membership change waits for a new member to catch up before it fails (the member stays a " +
            "learner)."));

    private int nodeId = -1;
    private int memberCount = MEMBER_COUNT_DEFAULT;
    private int acceptQuorum;
    private int electionQuorum;
    private long leaseTimeoutNs = LEASE_TIMEOUT_DEFAULT_NS;
    private long clockDriftPpm = CLOCK_DRIFT_PPM_DEFAULT;
    private long leaseMarginNs = LEASE_MARGIN_DEFAULT_NS;
    private long heartbeatIntervalNs = HEARTBEAT_INTERVAL_DEFAULT_NS;
    private long electionTimeoutNs = ELECTION_TIMEOUT_DEFAULT_NS;
    private long resendTimeoutNs = RESEND_TIMEOUT_DEFAULT_NS;
    private long backoffBaseNs = BACKOFF_BASE_DEFAULT_NS;
    private long backoffMaxNs = BACKOFF_MAX_DEFAULT_NS;
    private int windowSlots = WINDOW_SLOTS_DEFAULT;
    private int batchEntriesMax = BATCH_ENTRIES_MAX_DEFAULT;
    private int promiseEntriesMax = PROMISE_ENTRIES_MAX_DEFAULT;
    private int catchupEntriesMax = CATCHUP_ENTRIES_MAX_DEFAULT;
    private int frameLengthMax = FRAME_LENGTH_MAX_DEFAULT;
    private int commandBytesMax = COMMAND_BYTES_MAX_DEFAULT;
    private int promiseBytesMax = PROMISE_BYTES_MAX_DEFAULT;
    private int windowBytesMax = WINDOW_BYTES_MAX_DEFAULT;
    private int peerWindowBytes = PEER_WINDOW_BYTES_DEFAULT;
    private int logCapacitySlots = LOG_CAPACITY_SLOTS_DEFAULT;
    private int logCapacityBytes = LOG_CAPACITY_BYTES_DEFAULT;
    private long randomSeed;
    private long initialVoters;
    private boolean joining;
    private int membershipCatchupSlots = MEMBERSHIP_CATCHUP_SLOTS_DEFAULT;
    private long membershipCatchupTimeoutNs = MEMBERSHIP_CATCHUP_TIMEOUT_DEFAULT_NS;
    private boolean leaseEnabled = true;
    private boolean backoffEnabled = true;
    private boolean allowPlantedBugs;
    private final EnumSet<PlantedBug> plantedBugs = EnumSet.noneOf(PlantedBug.class);
    private long invariantFailureSlot;
    private boolean concluded;

    /** Reads every setting present in {@code props}; absent ones keep their current value. */
    public CoreConfig load(final Properties props)
    {
        nodeId = intProp(props, NODE_ID_PROP, nodeId);
        memberCount = intProp(props, MEMBER_COUNT_PROP, memberCount);
        acceptQuorum = intProp(props, ACCEPT_QUORUM_PROP, acceptQuorum);
        electionQuorum = intProp(props, ELECTION_QUORUM_PROP, electionQuorum);
        leaseTimeoutNs = longProp(props, LEASE_TIMEOUT_PROP, leaseTimeoutNs);
        clockDriftPpm = longProp(props, CLOCK_DRIFT_PPM_PROP, clockDriftPpm);
        leaseMarginNs = longProp(props, LEASE_MARGIN_PROP, leaseMarginNs);
        heartbeatIntervalNs = longProp(props, HEARTBEAT_INTERVAL_PROP, heartbeatIntervalNs);
        electionTimeoutNs = longProp(props, ELECTION_TIMEOUT_PROP, electionTimeoutNs);
        resendTimeoutNs = longProp(props, RESEND_TIMEOUT_PROP, resendTimeoutNs);
        backoffBaseNs = longProp(props, BACKOFF_BASE_PROP, backoffBaseNs);
        backoffMaxNs = longProp(props, BACKOFF_MAX_PROP, backoffMaxNs);
        windowSlots = intProp(props, WINDOW_SLOTS_PROP, windowSlots);
        batchEntriesMax = intProp(props, BATCH_ENTRIES_MAX_PROP, batchEntriesMax);
        promiseEntriesMax = intProp(props, PROMISE_ENTRIES_MAX_PROP, promiseEntriesMax);
        catchupEntriesMax = intProp(props, CATCHUP_ENTRIES_MAX_PROP, catchupEntriesMax);
        frameLengthMax = intProp(props, FRAME_LENGTH_MAX_PROP, frameLengthMax);
        commandBytesMax = intProp(props, COMMAND_BYTES_MAX_PROP, commandBytesMax);
        promiseBytesMax = intProp(props, PROMISE_BYTES_MAX_PROP, promiseBytesMax);
        windowBytesMax = intProp(props, WINDOW_BYTES_MAX_PROP, windowBytesMax);
        peerWindowBytes = intProp(props, PEER_WINDOW_BYTES_PROP, peerWindowBytes);
        logCapacitySlots = intProp(props, LOG_CAPACITY_SLOTS_PROP, logCapacitySlots);
        logCapacityBytes = intProp(props, LOG_CAPACITY_BYTES_PROP, logCapacityBytes);
        randomSeed = longProp(props, RANDOM_SEED_PROP, randomSeed);
        joining = boolProp(props, JOIN_PROP, joining);
        membershipCatchupSlots = intProp(props, MEMBERSHIP_CATCHUP_SLOTS_PROP, membershipCatchupSlots);
        membershipCatchupTimeoutNs = longProp(props, MEMBERSHIP_CATCHUP_TIMEOUT_PROP, membershipCatchupTimeoutNs);
        return this;
    }

    /** Validates all settings once; throws {@link ConfigException} naming the setting, value and rule. */
    public CoreConfig conclude()
    {
        if (memberCount < 1 || memberCount > MEMBER_COUNT_MAX)
        {
            throw new ConfigException(MEMBER_COUNT_PROP, memberCount, "must be in 1.." + MEMBER_COUNT_MAX);
        }
        if (initialVoters != 0)
        {
            memberCount = Long.bitCount(initialVoters);
        }
        final long voters = initialVoters != 0 ? initialVoters : Membership.firstN(memberCount, 1, memberCount).voters();
        if (joining)
        {
            if (nodeId < 0 || nodeId >= Membership.MEMBERS_MAX || (voters & (1L << nodeId)) != 0)
            {
                throw new ConfigException(NODE_ID_PROP, nodeId, "a joining node needs an id in 0.." +
                    (Membership.MEMBERS_MAX - 1) + " that no member has (members " + Membership.ids(voters) + ")");
            }
        }
        else if (initialVoters == 0 && (nodeId < 0 || nodeId >= memberCount))
        {
            throw new ConfigException(NODE_ID_PROP, nodeId, "must be in 0.." + (memberCount - 1));
        }
        else if (nodeId < 0 || nodeId >= Membership.MEMBERS_MAX || (voters & (1L << nodeId)) == 0)
        {
            throw new ConfigException(NODE_ID_PROP, nodeId, "must be one of the members " + Membership.ids(voters));
        }
        range(MEMBERSHIP_CATCHUP_SLOTS_PROP, membershipCatchupSlots, 0, 1 << 20);
        positive(MEMBERSHIP_CATCHUP_TIMEOUT_PROP, membershipCatchupTimeoutNs);
        final int majority = memberCount / 2 + 1;
        if (acceptQuorum == 0)
        {
            acceptQuorum = majority;
        }
        if (electionQuorum == 0)
        {
            electionQuorum = majority;
        }
        if (acceptQuorum < 1 || acceptQuorum > memberCount)
        {
            throw new ConfigException(ACCEPT_QUORUM_PROP, acceptQuorum, "must be in 1.." + memberCount);
        }
        if (electionQuorum < 1 || electionQuorum > memberCount)
        {
            throw new ConfigException(ELECTION_QUORUM_PROP, electionQuorum, "must be in 1.." + memberCount);
        }
        if (acceptQuorum + electionQuorum <= memberCount && !plantedBugs.contains(PlantedBug.QUORUM_TOO_SMALL))
        {
            throw new ConfigException(ACCEPT_QUORUM_PROP, acceptQuorum,
                "W + R must exceed N (W=" + acceptQuorum + " R=" + electionQuorum + " N=" + memberCount + ")");
        }
        positive(LEASE_TIMEOUT_PROP, leaseTimeoutNs);
        if (clockDriftPpm < 0 || clockDriftPpm >= 500_000)
        {
            throw new ConfigException(CLOCK_DRIFT_PPM_PROP, clockDriftPpm, "must be in 0..499999");
        }
        if (leaseMarginNs < 0 || leaseMarginNs >= leaseTimeoutNs / 2)
        {
            throw new ConfigException(LEASE_MARGIN_PROP, leaseMarginNs, "must be >= 0 and below half the lease");
        }
        positive(HEARTBEAT_INTERVAL_PROP, heartbeatIntervalNs);
        if (leaseEnabled && heartbeatIntervalNs * 3 > leaseTimeoutNs)
        {
            throw new ConfigException(HEARTBEAT_INTERVAL_PROP, heartbeatIntervalNs,
                "must be at most a third of " + LEASE_TIMEOUT_PROP + " (" + leaseTimeoutNs + ") so the lease renews");
        }
        if (electionTimeoutNs <= heartbeatIntervalNs)
        {
            throw new ConfigException(ELECTION_TIMEOUT_PROP, electionTimeoutNs,
                "must exceed " + HEARTBEAT_INTERVAL_PROP + " (" + heartbeatIntervalNs + ")");
        }
        positive(RESEND_TIMEOUT_PROP, resendTimeoutNs);
        positive(BACKOFF_BASE_PROP, backoffBaseNs);
        if (backoffMaxNs < backoffBaseNs)
        {
            throw new ConfigException(BACKOFF_MAX_PROP, backoffMaxNs, "must be >= " + BACKOFF_BASE_PROP);
        }
        range(WINDOW_SLOTS_PROP, windowSlots, 1, WINDOW_SLOTS_MAX);
        range(BATCH_ENTRIES_MAX_PROP, batchEntriesMax, 1, 1 << 16);
        range(PROMISE_ENTRIES_MAX_PROP, promiseEntriesMax, windowSlots, 1 << 22);
        range(CATCHUP_ENTRIES_MAX_PROP, catchupEntriesMax, 1, 1 << 20);
        final long logCapacityMin = 2L * (promiseEntriesMax + windowSlots);
        if (Integer.bitCount(logCapacitySlots) != 1 || logCapacitySlots < logCapacityMin || logCapacitySlots > 1 << 26)
        {
            throw new ConfigException(LOG_CAPACITY_SLOTS_PROP, logCapacitySlots, "must be a power of two in " +
                logCapacityMin + ".." + (1 << 26) + " (at least twice " + PROMISE_ENTRIES_MAX_PROP + " + " +
                WINDOW_SLOTS_PROP + ")");
        }
        if (catchupEntriesMax > logCapacitySlots / 4)
        {
            throw new ConfigException(CATCHUP_ENTRIES_MAX_PROP, catchupEntriesMax, "must be at most a quarter of " +
                LOG_CAPACITY_SLOTS_PROP + " (" + logCapacitySlots + ")");
        }
        range(FRAME_LENGTH_MAX_PROP, frameLengthMax, 1024, FRAME_LENGTH_MAX_LIMIT);
        range(COMMAND_BYTES_MAX_PROP, commandBytesMax, FrameBudget.COMMAND_BYTES_MIN, COMMAND_BYTES_MAX_LIMIT);
        if (FrameBudget.frameBytesForCommand(commandBytesMax) > frameLengthMax)
        {
            throw new ConfigException(COMMAND_BYTES_MAX_PROP, commandBytesMax, "a command this large cannot fit in one " +
                "frame of " + FRAME_LENGTH_MAX_PROP + " (" + frameLengthMax + "): raise " + FRAME_LENGTH_MAX_PROP +
                " to at least " + FrameBudget.frameBytesForCommand(commandBytesMax) + " or lower " +
                COMMAND_BYTES_MAX_PROP + " to at most " + (frameLengthMax - FrameBudget.frameBytesForCommand(0)));
        }
        if (promiseBytesMax < frameLengthMax || promiseBytesMax > 1 << 30)
        {
            throw new ConfigException(PROMISE_BYTES_MAX_PROP, promiseBytesMax, "must be in " + FRAME_LENGTH_MAX_PROP +
                " (" + frameLengthMax + ").." + (1 << 30));
        }
        if (windowBytesMax < FrameBudget.frameBytesForCommand(commandBytesMax) || windowBytesMax > promiseBytesMax / 2)
        {
            throw new ConfigException(WINDOW_BYTES_MAX_PROP, windowBytesMax, "must hold one command of " +
                COMMAND_BYTES_MAX_PROP + " (" + FrameBudget.frameBytesForCommand(commandBytesMax) + " bytes with " +
                "overhead) and be at most half of " + PROMISE_BYTES_MAX_PROP + " (" + promiseBytesMax + ")");
        }
        range(PEER_WINDOW_BYTES_PROP, peerWindowBytes, 1024, 1 << 30);
        final long logBytesMin = logCapacityBytesMin();
        if (logCapacityBytes == 0 && logBytesMin <= Integer.MAX_VALUE - 8)
        {
            logCapacityBytes = (int)logBytesMin;
        }
        if (logCapacityBytes < logBytesMin || logCapacityBytes % 8 != 0)
        {
            throw new ConfigException(LOG_CAPACITY_BYTES_PROP, logCapacityBytes, "must be a multiple of 8 of at " +
                "least " + logBytesMin + " (twice " + PROMISE_BYTES_MAX_PROP + " + " + WINDOW_BYTES_MAX_PROP +
                ", and four of the largest records)" + (logBytesMin > Integer.MAX_VALUE ? ": lower them" : ""));
        }
        if (!plantedBugs.isEmpty() && !allowPlantedBugs)
        {
            throw new ConfigException("plantedBugs", plantedBugs.toString(), "only test harnesses may plant bugs");
        }
        if (invariantFailureSlot != 0 && !allowPlantedBugs)
        {
            throw new ConfigException("invariantFailureSlot", invariantFailureSlot, "only test harnesses may plant " +
                "failures");
        }
        concluded = true;
        return this;
    }

    private static void positive(final String prop, final long value)
    {
        if (value <= 0)
        {
            throw new ConfigException(prop, value, "must be > 0");
        }
    }

    private static void range(final String prop, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new ConfigException(prop, value, "must be in " + min + ".." + max);
        }
    }

    private static int intProp(final Properties props, final String name, final int current)
    {
        final long v = longProp(props, name, current);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)
        {
            throw new ConfigException(name, v, "must fit in an int");
        }
        return (int)v;
    }

    private static boolean boolProp(final Properties props, final String name, final boolean current)
    {
        final String v = props.getProperty(name);
        if (v == null)
        {
            return current;
        }
        if ("true".equalsIgnoreCase(v.trim()) || "false".equalsIgnoreCase(v.trim()))
        {
            return Boolean.parseBoolean(v.trim());
        }
        throw new ConfigException(name, v, "must be true or false");
    }

    private static long longProp(final Properties props, final String name, final long current)
    {
        final String v = props.getProperty(name);
        if (v == null)
        {
            return current;
        }
        try
        {
            return Long.parseLong(v.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(name, v, "must be an integer");
        }
    }

    public boolean isConcluded()
    {
        return concluded;
    }

    public int nodeId() { return nodeId; }
    public CoreConfig nodeId(final int v) { nodeId = v; return this; }
    public int memberCount() { return memberCount; }
    /** The members this node starts with, as a bit set of ids (default: ids 0..memberCount-1). */
    public CoreConfig initialVoters(final long v) { initialVoters = v; return this; }
    public boolean joining() { return joining; }
    public CoreConfig joining(final boolean v) { joining = v; return this; }
    public int membershipCatchupSlots() { return membershipCatchupSlots; }
    public CoreConfig membershipCatchupSlots(final int v) { membershipCatchupSlots = v; return this; }
    public long membershipCatchupTimeoutNs() { return membershipCatchupTimeoutNs; }
    public CoreConfig membershipCatchupTimeoutNs(final long v) { membershipCatchupTimeoutNs = v; return this; }

    /**
     * The configuration this node starts with, before its journal or a snapshot says otherwise: the members and
     * quorums of these settings (validated by {@link #conclude()}).
     */
    public Membership initialMembership()
    {
        final long voters = initialVoters != 0 ? initialVoters : Membership.firstN(memberCount, 1, memberCount).voters();
        return planted(PlantedBug.QUORUM_TOO_SMALL) ? Membership.unchecked(voters, 0, acceptQuorum, electionQuorum) :
            Membership.of(voters, 0, acceptQuorum, electionQuorum);
    }
    public CoreConfig memberCount(final int v) { memberCount = v; return this; }
    public int acceptQuorum() { return acceptQuorum; }
    public CoreConfig acceptQuorum(final int v) { acceptQuorum = v; return this; }
    public int electionQuorum() { return electionQuorum; }
    public CoreConfig electionQuorum(final int v) { electionQuorum = v; return this; }
    /** Acks needed for a live lease or a ReadIndex confirmation: N - R + 1 (leader included). */
    public int leaseQuorum() { return memberCount - electionQuorum + 1; }
    public long leaseTimeoutNs() { return leaseTimeoutNs; }
    public CoreConfig leaseTimeoutNs(final long v) { leaseTimeoutNs = v; return this; }
    public long clockDriftPpm() { return clockDriftPpm; }
    public CoreConfig clockDriftPpm(final long v) { clockDriftPpm = v; return this; }
    public long leaseMarginNs() { return leaseMarginNs; }
    public CoreConfig leaseMarginNs(final long v) { leaseMarginNs = v; return this; }
    public long heartbeatIntervalNs() { return heartbeatIntervalNs; }
    public CoreConfig heartbeatIntervalNs(final long v) { heartbeatIntervalNs = v; return this; }
    public long electionTimeoutNs() { return electionTimeoutNs; }
    public CoreConfig electionTimeoutNs(final long v) { electionTimeoutNs = v; return this; }
    public long resendTimeoutNs() { return resendTimeoutNs; }
    public CoreConfig resendTimeoutNs(final long v) { resendTimeoutNs = v; return this; }
    public long backoffBaseNs() { return backoffBaseNs; }
    public CoreConfig backoffBaseNs(final long v) { backoffBaseNs = v; return this; }
    public long backoffMaxNs() { return backoffMaxNs; }
    public CoreConfig backoffMaxNs(final long v) { backoffMaxNs = v; return this; }
    public int windowSlots() { return windowSlots; }
    public CoreConfig windowSlots(final int v) { windowSlots = v; return this; }
    public int batchEntriesMax() { return batchEntriesMax; }
    public CoreConfig batchEntriesMax(final int v) { batchEntriesMax = v; return this; }
    public int promiseEntriesMax() { return promiseEntriesMax; }
    public CoreConfig promiseEntriesMax(final int v) { promiseEntriesMax = v; return this; }
    public int catchupEntriesMax() { return catchupEntriesMax; }
    public CoreConfig catchupEntriesMax(final int v) { catchupEntriesMax = v; return this; }
    /** The largest frame, in bytes: what consensus messages are filled up to ({@link FrameBudget}). */
    public int frameLengthMax() { return frameLengthMax; }
    public CoreConfig frameLengthMax(final int v) { frameLengthMax = v; return this; }
    /** The largest command payload, in bytes, the leader proposes. */
    public int commandBytesMax() { return commandBytesMax; }
    public CoreConfig commandBytesMax(final int v) { commandBytesMax = v; return this; }
    /** The most bytes of entries a leader has in flight to one peer before it sends that peer more. */
    public int peerWindowBytes() { return peerWindowBytes; }
    public CoreConfig peerWindowBytes(final int v) { peerWindowBytes = v; return this; }
    /** The most bytes of uncommitted entries a leader holds before proposals get back-pressure. */
    public int windowBytesMax() { return windowBytesMax; }
    public CoreConfig windowBytesMax(final int v) { windowBytesMax = v; return this; }
    /** The most bytes of entries one promise reports over all its parts. */
    public int promiseBytesMax() { return promiseBytesMax; }
    public CoreConfig promiseBytesMax(final int v) { promiseBytesMax = v; return this; }
    /**
     * Bytes of entries one consensus message may carry (the frame limit less {@link FrameBudget#MESSAGE_OVERHEAD_BYTES});
     * {@link Long#MAX_VALUE} with the planted bug {@link PlantedBug#COUNT_BOUNDED_BATCHES}, which bounds messages by
     * entry count only.
     */
    public long entryBytesPerFrame()
    {
        return planted(PlantedBug.COUNT_BOUNDED_BATCHES) ? Long.MAX_VALUE : frameLengthMax - FrameBudget.MESSAGE_OVERHEAD_BYTES;
    }
    /** Slots the in-memory log ring holds; older committed slots live only in the journal. */
    /** Bytes of payload the log holds ({@link #LOG_CAPACITY_BYTES_PROP}); after {@link #conclude()}, never 0. */
    public int logCapacityBytes() { return logCapacityBytes; }
    public CoreConfig logCapacityBytes(final int v) { logCapacityBytes = v; return this; }

    /**
     * Bytes of the log a store at runtime leaves free beyond its own, so that a journal replay (whose ring may
     * wrap elsewhere) always fits what was stored: two of the largest records.
     */
    public int logSlackBytes()
    {
        return 2 * PayloadRing.recordBytes(Math.max(commandBytesMax, CONFIG_ENTRY_BYTES_MAX));
    }

    private long logCapacityBytesMin()
    {
        return 2L * (promiseBytesMax + windowBytesMax) + 2L * logSlackBytes();
    }

    public int logCapacitySlots() { return logCapacitySlots; }
    public CoreConfig logCapacitySlots(final int v) { logCapacitySlots = v; return this; }
    public long randomSeed() { return randomSeed; }
    public CoreConfig randomSeed(final long v) { randomSeed = v; return this; }
    /** Plain Multi-Paxos without leases (for the dueling-proposer scenario); default true. */
    public boolean leaseEnabled() { return leaseEnabled; }
    public CoreConfig leaseEnabled(final boolean v) { leaseEnabled = v; return this; }
    /** Without backoff a rejected candidate retries at once with a higher ballot (the seeds' livelock). */
    public boolean backoffEnabled() { return backoffEnabled; }
    public CoreConfig backoffEnabled(final boolean v) { backoffEnabled = v; return this; }
    public CoreConfig allowPlantedBugs(final boolean v) { allowPlantedBugs = v; return this; }
    public CoreConfig plant(final PlantedBug bug) { plantedBugs.add(bug); return this; }
    public boolean planted(final PlantedBug bug) { return plantedBugs.contains(bug); }
    public Set<PlantedBug> plantedBugs() { return EnumSet.copyOf(plantedBugs); }

    /**
     * Test only (refused by {@link #conclude()} unless planted bugs are allowed): delivering committed slot
     * {@code slot} throws an {@link Invariants.InvariantViolation}, as a broken invariant on the commit path would;
     * 0 (the default) for never. The node runtime plants it to show that it stops on a broken invariant.
     */
    public CoreConfig plantInvariantFailure(final long slot) { invariantFailureSlot = slot; return this; }
    /** The slot planted by {@link #plantInvariantFailure}; 0 for none. */
    public long invariantFailureSlot() { return invariantFailureSlot; }

    /** The lease the leader may assume after an ack sent at {@code ackSendNs}: T(1 - rho) - epsilon. */
    public long leaderLeaseNs()
    {
        if (planted(PlantedBug.LEASE_IGNORES_DRIFT))
        {
            return leaseTimeoutNs;
        }
        return leaseTimeoutNs - (leaseTimeoutNs / 1_000_000L) * clockDriftPpm -
            (leaseTimeoutNs % 1_000_000L) * clockDriftPpm / 1_000_000L - leaseMarginNs;
    }
}
