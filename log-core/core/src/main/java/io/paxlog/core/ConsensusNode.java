package io.paxlog.core;

import org.agrona.DirectBuffer;

/**
 * The pure protocol core of one Paxlog node: Multi-Paxos with a Paxos-elected leader holding a lease.
 *
 * <p>A deterministic step function. Every input is a method call carrying {@code nowNs} from the node's own
 * clock; outputs go to the {@link Journal} (what to persist), the {@link Outbox} (what to send, only after the
 * persist is durable) and the {@link CommitListener} (what became committed, role changes). It reads no clock,
 * starts no thread and does no I/O; randomness (election jitter, backoff) comes from a generator seeded by
 * configuration. The real node and the simulator drive this same class.
 *
 * <p>Not thread-safe: call it from one thread (the node's duty cycle).
 */
public final class ConsensusNode
{
    /** {@link #propose} result: this node is not the leader. */
    public static final long NOT_LEADER = -1;
    /** {@link #propose} result: the window of uncommitted slots is full; retry later (back-pressure). */
    public static final long BACK_PRESSURE = -2;
    /**
     * {@link #proposeConfig} result: a configuration entry is already uncommitted, or this leader has not yet
     * committed an entry of its own ballot (so it may not know the latest configuration); retry later.
     */
    public static final long CONFIG_BUSY = -3;
    /** {@link #propose} result: the command is larger than {@link CoreConfig#commandBytesMax()}; refused for good. */
    public static final long TOO_LARGE = -4;

    /** As leader: bytes ({@link FrameBudget#entryBytes}) of the entries above the applied slot (the window). */
    private long windowBytes;
    private final CoreConfig config;
    private final Journal journal;
    private final Outbox outbox;
    private final CommitListener listener;
    private final int selfId;
    private final ElectionTimer timer;
    private final EntryLog log;
    private final Acceptor acceptor;
    private final Candidate candidate;
    private final Leader leader;
    private final Configurations configs;
    private final MembershipChange change;
    private final long[] peerCommit;
    private final long[] lastSnapshotOfferNs;
    private final EntryBatch batch;
    private final Entry proposal = new Entry();

    private Role role = Role.FOLLOWER;
    private long maxSeenBallot = Ballot.NONE;
    private long lastOwnBallot = Ballot.NONE;
    private int leaderId = -1;
    private long electionDeadlineNs;
    /** The latest a candidate waits for promises still arriving in parts (see onPromise). */
    private long phase1LimitNs;
    /** The time of the previous {@link #onTick}: a longer gap than a heartbeat interval means this node stalled. */
    private long lastTickNs = Long.MIN_VALUE;
    /** The election deadline this node already extended once after a stall of its own (MIN_VALUE: none). */
    private long stallGraceDeadlineNs = Long.MIN_VALUE;
    private long lastCatchupRequestNs = Long.MIN_VALUE / 2;
    private long maxTimestampNs = Long.MIN_VALUE;
    private long stampOffsetNs;
    private long appliedSlot;
    private boolean started;
    /**
     * As leader, the highest slot up to which this node's own appends in its ballot are durable: its own acceptance
     * counts toward the accept quorum up to there only. Marks (journal position after the append, slot) wait in a
     * small ring until {@link Journal#durablePosition()} passes them; a full ring merges the newest two (the merged
     * mark waits for the later position, which only delays).
     */
    private long ownDurableSlot;
    private final long[] ownMarkPosition = new long[OWN_MARKS];
    private final long[] ownMarkSlot = new long[OWN_MARKS];
    private int ownMarkHead;
    private int ownMarkCount;
    private static final int OWN_MARKS = 16;
    /** A planted failure ({@link CoreConfig#plantInvariantFailure}): delivering this slot breaks an invariant. */
    private final long invariantFailureSlot;

    public ConsensusNode(final CoreConfig config, final Journal journal, final Outbox outbox,
        final CommitListener listener)
    {
        Invariants.check(config.isConcluded(), "config must be concluded");
        this.config = config;
        this.journal = journal;
        this.outbox = outbox;
        this.listener = listener;
        this.selfId = config.nodeId();
        this.timer = new ElectionTimer(config, selfId);
        final boolean reuseNeededBytes = config.planted(PlantedBug.RING_REUSES_NEEDED_BYTES);
        this.log = new EntryLog(config.logCapacitySlots(),
            reuseNeededBytes ? 2 * config.logSlackBytes() : config.logCapacityBytes(),
            reuseNeededBytes ? 0 : config.logSlackBytes(), reuseNeededBytes);
        this.acceptor = new Acceptor(config);
        this.candidate = new Candidate(config.promiseEntriesMax());
        this.leader = new Leader(config);
        this.configs = new Configurations(config.initialMembership());
        this.change = new MembershipChange(config.membershipCatchupSlots(), config.membershipCatchupTimeoutNs(),
            config.planted(PlantedBug.RECONFIG_SKIP_CATCHUP), new ChangeSteps());
        this.peerCommit = new long[Membership.MEMBERS_MAX];
        this.lastSnapshotOfferNs = new long[Membership.MEMBERS_MAX];
        java.util.Arrays.fill(lastSnapshotOfferNs, Long.MIN_VALUE / 2);
        this.batch = new EntryBatch(Math.max(config.promiseEntriesMax(), config.catchupEntriesMax()));
        this.invariantFailureSlot = config.invariantFailureSlot();
    }

    /**
     * Rebuilds state from the journal and starts as a follower. Committed slots are re-delivered to the listener
     * while the journal replays (as each commit mark is read), since the log ring holds only the latest slots.
     */
    public void start(final long nowNs)
    {
        start(nowNs, 0);
    }

    /**
     * As {@link #start(long)} for a runtime that restored its state machines from a snapshot of every slot up to
     * {@code snapshotSlot} (0 for none): the log starts after it and only later committed slots are delivered.
     * A journal whose segment is based on a later snapshot than that is refused.
     */
    public void start(final long nowNs, final long snapshotSlot)
    {
        start(nowNs, snapshotSlot, null);
    }

    /**
     * As {@link #start(long, long)}; {@code snapshotMembership} is the configuration committed at the snapshot
     * (the runtime keeps it in the snapshot), or null for the configured initial one.
     */
    public void start(final long nowNs, final long snapshotSlot, final Membership snapshotMembership)
    {
        Invariants.check(!started, "start called twice");
        Invariants.check(snapshotSlot >= 0, "snapshot slot");
        started = true;
        log.resetTo(snapshotSlot);
        appliedSlot = snapshotSlot;
        if (snapshotMembership != null)
        {
            configs.reset(snapshotMembership, snapshotSlot);
        }
        final JournalReplay replay = new JournalReplay(log, acceptor, configs, snapshotSlot,
            config.planted(PlantedBug.FORGET_PROMISE_ON_RESTART), this::deliverCommitted);
        journal.replay(replay);
        maxTimestampNs = replay.maxTimestampNs();
        maxSeenBallot = acceptor.promisedBallot();
        acceptor.onRestart(nowNs);
        deliverCommitted();
        electionDeadlineNs = nowNs + timer.electionDelayNs();
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Compacts the journal after the runtime durably saved a snapshot of its state machines at
     * {@link #appliedSlot()}: starts a journal segment based on it and copies into it what must survive (the
     * promise and the entries after it). Returns the base slot.
     */
    public long compact(final long nowNs)
    {
        final long base = appliedSlot;
        journal.startSegment(base);
        if (acceptor.promisedBallot() != Ballot.NONE)
        {
            journal.appendPromise(acceptor.promisedBallot());
        }
        for (long slot = base + 1; slot <= log.lastSlot(); slot++)
        {
            if (log.has(slot))
            {
                journal.appendAccepted(slot, log.ballot(slot), log.entry(slot));
            }
        }
        if (log.commitSlot() > base)
        {
            journal.appendCommit(log.commitSlot());
        }
        return base;
    }

    /**
     * The runtime installed a snapshot of every slot up to {@code snapshotSlot}, sent by {@code from} (which held
     * it as committed), into its state machines and saved it durably. Slots up to it leave the log; later ones
     * stay (a leader keeps what it proposed); the node acknowledges it to {@code from} so a leader continues.
     * Ignored unless it is ahead of the commit point (the runtime should not install it then).
     */
    public void installSnapshot(final long nowNs, final int from, final long ballot, final long snapshotSlot)
    {
        installSnapshot(nowNs, from, ballot, snapshotSlot, null);
    }

    /**
     * As {@link #installSnapshot(long, int, long, long)}; {@code snapshotMembership} is the configuration the
     * snapshot says was committed at its slot (null: the one this node has, for a runtime without membership).
     */
    public void installSnapshot(final long nowNs, final int from, final long ballot, final long snapshotSlot,
        final Membership snapshotMembership)
    {
        if (!validPeer(from) || snapshotSlot <= log.commitSlot())
        {
            return;
        }
        if (role == Role.CANDIDATE)
        {
            // the election collects accepted values from the old commit point on; start again from the new one
            loseElection(nowNs, timer.electionDelayNs(), "installed a snapshot at slot " + snapshotSlot);
        }
        log.installBase(snapshotSlot);
        appliedSlot = snapshotSlot;
        configs.reset(snapshotMembership != null ? snapshotMembership : configs.governing(snapshotSlot + 1),
            snapshotSlot);
        for (long slot = snapshotSlot + 1; slot <= log.lastSlot(); slot++)
        {
            if (log.has(slot))
            {
                configs.onStored(slot, log.entry(slot)); // configuration entries kept above the snapshot
            }
        }
        compact(nowNs);
        afterCommitAdvanced(nowNs);
        deliverCommitted();
        if (ballot == acceptor.promisedBallot() && Ballot.nodeId(ballot) == from)
        {
            outbox.accepted(from, ballot, Long.MIN_VALUE, snapshotSlot);
        }
    }

    // ---------------------------------------------------------------- client side

    /**
     * Proposes {@code entry} as leader. Returns the slot assigned, {@link #NOT_LEADER}, {@link #BACK_PRESSURE} or
     * {@link #TOO_LARGE}.
     * The entry is journaled now and sent on the next {@link #flush}.
     */
    public long propose(final long nowNs, final Entry entry)
    {
        if (role != Role.LEADER)
        {
            return NOT_LEADER;
        }
        if (entry.payloadLength() > config.commandBytesMax() && !entry.isConfig())
        {
            return TOO_LARGE;
        }
        final long slot = log.lastSlot() + 1;
        if (backPressured(entry.payloadLength()))
        {
            return BACK_PRESSURE;
        }
        appendAccepted(slot, leader.ballot(), entry, EntryLog.Room.ACCEPTED);
        windowBytes += FrameBudget.entryBytes(entry);
        markOwnAppend(slot);
        return slot;
    }

    /**
     * Proposes the command held in {@code payload[offset, offset + length)} for ({@code sessionId},
     * {@code sequence}), stamped with {@code nowNs}; as {@link #propose(long, Entry)}, without allocating.
     */
    public long propose(final long nowNs, final long sessionId, final long sequence, final DirectBuffer payload,
        final int offset, final int length)
    {
        if (role != Role.LEADER)
        {
            return NOT_LEADER;
        }
        if (length > config.commandBytesMax())
        {
            return TOO_LARGE;
        }
        if (backPressured(length))
        {
            return BACK_PRESSURE;
        }
        return propose(nowNs, proposal.setCommand(sessionId, sequence, logTimeNs(nowNs), payload, offset, length));
    }

    /**
     * True when a command of {@code payloadLength} bytes must wait: the window of uncommitted slots or bytes is full,
     * the log is full (slots or bytes), or proposals are fenced behind an uncommitted configuration (membership.md).
     */
    private boolean backPressured(final int payloadLength)
    {
        return log.lastSlot() - log.commitSlot() >= config.windowSlots() || configs.pendingCount() > 0 ||
            windowFull(payloadLength) || !log.canStore(log.lastSlot() + 1, payloadLength, EntryLog.Room.ACCEPTED);
    }

    /**
     * Proposes configuration {@code next} as leader (docs/membership.md): a configuration entry carrying its header
     * and the runtime's {@code tail} (member addresses), which governs the slots above it once committed; nothing
     * else is proposed until it is. Returns the slot, {@link #NOT_LEADER}, {@link #CONFIG_BUSY} or
     * {@link #BACK_PRESSURE}, or {@link #TOO_LARGE} (header and tail over {@link CoreConfig#CONFIG_ENTRY_BYTES_MAX}).
     * Allocates (a rare, operator-driven call).
     */
    public long proposeConfig(final long nowNs, final Membership next, final byte[] tail, final int tailOffset,
        final int tailLength)
    {
        if (role != Role.LEADER)
        {
            return NOT_LEADER;
        }
        if (configs.pendingCount() > 0 || log.commitSlot() < leader.startSlot())
        {
            return CONFIG_BUSY;
        }
        if (Membership.HEADER_LENGTH + tailLength > CoreConfig.CONFIG_ENTRY_BYTES_MAX)
        {
            return TOO_LARGE;
        }
        final byte[] payload = new byte[Membership.HEADER_LENGTH + tailLength];
        next.encodeHeader(payload, 0);
        System.arraycopy(tail, tailOffset, payload, Membership.HEADER_LENGTH, tailLength);
        return propose(nowNs, proposal.setConfig(logTimeNs(nowNs), payload, 0, payload.length));
    }

    /**
     * Starts a membership change as leader: adds member {@code addId} (-1: none) as a learner, waits until it has
     * acknowledged the log to within {@link CoreConfig#membershipCatchupSlots()} of the commit point, then commits
     * the configuration in which it votes and member {@code removeId} (-1: none) is gone, with quorums
     * {@code acceptQuorum} and {@code electionQuorum} (0: a majority). {@code tail} is the runtime's member
     * addresses for the new configurations. Returns null if started, else why not (one line); the outcome comes
     * later through {@link CommitListener#onMembershipChange}.
     */
    public String requestMembershipChange(final long nowNs, final long requestId, final int addId, final int removeId,
        final int acceptQuorum, final int electionQuorum, final byte[] tail)
    {
        if (role != Role.LEADER)
        {
            return "not the leader";
        }
        return change.request(nowNs, requestId, addId, removeId, acceptQuorum, electionQuorum, tail, configs.latest(),
            nowNs + config.membershipCatchupTimeoutNs());
    }

    /** The membership change in progress: its request id, or -1 if none. */
    public long membershipChangeInProgress()
    {
        return change.active() ? change.requestId() : -1;
    }


    /**
     * Whether a proposal of {@code payloadLength} bytes would take the leader's uncommitted bytes past
     * {@link CoreConfig#windowBytesMax()} (one proposal always fits an empty window).
     */
    private boolean windowFull(final int payloadLength)
    {
        return windowBytes > 0 && windowBytes + FrameBudget.ENTRY_OVERHEAD_BYTES + payloadLength > config.windowBytesMax();
    }

    /**
     * Log time for an entry proposed now: this node's clock plus the offset taken when it became leader, so that
     * entry timestamps never go backwards across leaders whose clocks disagree (a leader whose clock is behind
     * the newest timestamp in its log starts from there and runs at its own rate).
     */
    public long logTimeNs(final long nowNs)
    {
        return nowNs + stampOffsetNs;
    }

    /**
     * True if a linearizable read may be served from this leader's applied state without a log round trip:
     * the lease is live on this node's clock, an entry of its own ballot is committed and applied, and no
     * leadership handover is in flight (this version never hands over).
     */
    public boolean canServeLeaseRead(final long nowNs)
    {
        return role == Role.LEADER && config.leaseEnabled() && appliedSlot >= leader.startSlot() &&
            (nowNs < leader.leaseEndNs(configs) || config.planted(PlantedBug.LEASE_READ_DURING_HANDOVER));
    }

    /**
     * ReadIndex, for a linearizable read that cannot use the lease: true once this leader has applied an entry of
     * its own ballot and everything up to {@code readIndexSlot} (its commit slot when the read arrived), and a
     * lease quorum has acknowledged a message it sent at or after {@code arrivalNs} (so no other leader could have
     * committed anything between the arrival and now). Call {@link #confirmLeadershipSoon} when reads wait.
     */
    public boolean readIndexReady(final long arrivalNs, final long readIndexSlot)
    {
        return role == Role.LEADER && appliedSlot >= leader.startSlot() && appliedSlot >= readIndexSlot &&
            (leader.quorumConfirmedNs(configs) >= arrivalNs || config.planted(PlantedBug.READ_INDEX_WITHOUT_CONFIRMATION));
    }

    /** Sends a heartbeat to every peer at the next flush (reads are waiting for a confirmation round). */
    public void confirmLeadershipSoon()
    {
        if (role == Role.LEADER)
        {
            leader.announceSoon();
        }
    }

    /**
     * Every frame handed to this node since the last call arrived no later than {@code polledNs}, a clock reading
     * the runtime took after polling. A runtime that handles a poll's frames with a time read before the poll
     * (one reading per duty cycle) calls this after each poll when its transport receives on another thread: a
     * pause between that reading and the poll (GC, SIGSTOP) would otherwise time a lease grant from before the
     * frame even arrived, and this acceptor could promise a new leader while the old one still holds its lease
     * (the leader times its lease from its send, so the grant must run from at least the arrival). The leases
     * granted since the last call run from {@code polledNs}. Never shortens a grant.
     */
    public void onFramesPolled(final long polledNs)
    {
        acceptor.grantsReceivedBy(polledNs);
    }

    /** Sends what is pending: accepts, resends and heartbeats as leader. Returns messages sent. */
    public int flush(final long nowNs)
    {
        if (role != Role.LEADER)
        {
            return 0;
        }
        int work = 0;
        if (refreshOwnDurable())
        {
            // this leader's own appends became durable: with W = 1 that alone commits (no peer ack will come)
            work++;
            advanceLeaderCommit(nowNs);
            if (role != Role.LEADER)
            {
                return work; // it committed its own removal
            }
        }
        leader.renewSelf(nowNs);
        acceptor.grant(leader.ballot(), nowNs);
        final long members = configs.membersInEffect();
        final int sent = leader.flush(nowNs, log, outbox, members);
        long rest = members & ~(1L << selfId);
        while (rest != 0)
        {
            final int peer = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
            if (leader.behindRing(peer) && nowNs - lastSnapshotOfferNs[peer] >= config.resendTimeoutNs() * 4)
            {
                lastSnapshotOfferNs[peer] = nowNs;
                outbox.installSnapshot(peer, leader.ballot());
            }
        }
        return work + sent;
    }

    /** Timer work: elections, candidate timeouts, leader heartbeats. Returns work done. */
    public int onTick(final long nowNs)
    {
        switch (role)
        {
            case FOLLOWER:
            {
                final boolean stalled = lastTickNs != Long.MIN_VALUE &&
                    nowNs - lastTickNs > config.heartbeatIntervalNs();
                lastTickNs = nowNs;
                if (nowNs >= electionDeadlineNs)
                {
                    if (stalled && electionDeadlineNs != stallGraceDeadlineNs)
                    {
                        // this node itself was not running (a pause, or starved of CPU): the leader's silence says
                        // nothing yet; hear from it for two heartbeat intervals first, once per silence. Liveness
                        // only: electing later never weakens a ballot or lease rule.
                        electionDeadlineNs = nowNs + 2 * config.heartbeatIntervalNs();
                        stallGraceDeadlineNs = electionDeadlineNs;
                        return 0;
                    }
                    startElection(nowNs);
                    return 1;
                }
                return 0;
            }
            case CANDIDATE:
                lastTickNs = nowNs;
                if (nowNs >= electionDeadlineNs)
                {
                    loseElection(nowNs, timer.backoffNs(), "phase 1 timed out");
                    return 1;
                }
                return 0;
            default:
            {
                final boolean stalled = lastTickNs != Long.MIN_VALUE &&
                    nowNs - lastTickNs > config.heartbeatIntervalNs();
                lastTickNs = nowNs;
                if (!stalled && nowNs - leader.quorumHeardNs(configs, nowNs) > quorumSilenceLimitNs())
                {
                    // no lease quorum has answered for longer than a lease and an election: this leader holds no
                    // lease and commits nothing, yet its heartbeats keep the others from electing (a one-way
                    // partition: they hear it, it hears none of them). Stepping down lets them. Liveness only.
                    stepDown(nowNs, "no lease quorum heard for " +
                        (nowNs - leader.quorumHeardNs(configs, nowNs)) / 1_000_000 +
                        " ms");
                    return 1;
                }
                return change.drive(nowNs) + flush(nowNs);
            }
        }
    }

    private long quorumSilenceLimitNs()
    {
        return config.leaseTimeoutNs() + config.electionTimeoutNs();
    }

    // ---------------------------------------------------------------- phase 1

    private void startElection(final long nowNs)
    {
        if (!configs.latest().isVoter(selfId))
        {
            // a learner, a member being removed, or a joiner that has not learned it votes: it never stands
            electionDeadlineNs = nowNs + timer.electionDelayNs();
            return;
        }
        final long notBefore = acceptor.campaignNotBeforeNs(selfId, nowNs);
        if (notBefore > nowNs)
        {
            electionDeadlineNs = notBefore + timer.jitterNs(config.backoffBaseNs() / 4);
            return;
        }
        final long ballot = Ballot.nextAbove(Math.max(maxSeenBallot, acceptor.promisedBallot()), selfId);
        maxSeenBallot = ballot;
        lastOwnBallot = ballot;
        candidate.reset(ballot, log.commitSlot() + 1);
        transition(Role.CANDIDATE, ballot, nowNs, "election timeout");
        electionDeadlineNs = nowNs + config.electionTimeoutNs();
        phase1LimitNs = nowNs + config.electionTimeoutNs() * (1 + promisePartsMax());
        candidate.markAsked(1L << selfId);
        askMembers(nowNs, configs.membersInEffect());
        promiseOwnBallotOrWin(nowNs);
    }

    /**
     * A candidate promises its own ballot last: only once the other promises and its own would win. Until then it
     * still accepts from a live leader, and the first accept from one ends the candidacy (onAccept). A member that
     * campaigned before it heard the leader (it restarted, say, and the leader's publication had not reconnected
     * yet) used to promise its own ballot at once, refuse the leader's next accept with it, and so depose a leader
     * the other members still held a lease for (PausedFollowerTest under invoker threading). Its own promise is an
     * ordinary one made later, reporting what it holds then (values it accepted meanwhile included), so phase 1 is
     * unchanged; and the candidate's ballot still bounds the prepares it promises (onPrepare). Then, with its own
     * promise counted, the candidate wins once every configuration recovered has an election quorum.
     */
    private void promiseOwnBallotOrWin(final long nowNs)
    {
        if (!candidate.promisedBy(selfId))
        {
            if (!candidate.wouldWinWith(selfId, configs.committed()))
            {
                return;
            }
            promise(candidate.ballot());
            final int count = batch.collectHeld(log, candidate.fromSlot());
            candidate.addPromise(selfId, candidate.fromSlot(), Long.MAX_VALUE, batch.slots, batch.ballots,
                batch.entries, 0, count);
            batch.clear(count);
            askMembers(nowNs, candidate.recoveredMembers()); // configurations its own log holds may name others
        }
        if (candidate.won(configs.committed()))
        {
            becomeLeader(nowNs);
        }
    }

    public void onPrepare(final long nowNs, final int from, final long ballot, final long fromSlot,
        final long sendTimeNs)
    {
        if (!validPeer(from) || ballot <= Ballot.NONE || fromSlot < 1)
        {
            return;
        }
        maxSeenBallot = Math.max(maxSeenBallot, ballot);
        NackReason refusal = acceptor.promiseRefusal(ballot, nowNs);
        // a candidate refuses a lower ballot as if it had promised its own already (promiseOwnBallotOrWin)
        final long floorBallot = role == Role.CANDIDATE ? Math.max(acceptor.promisedBallot(), candidate.ballot()) :
            acceptor.promisedBallot();
        if (refusal == null && ballot < floorBallot)
        {
            refusal = NackReason.BALLOT;
        }
        if (refusal == null && log.commitSlot() >= fromSlot + config.promiseEntriesMax() - config.windowSlots())
        {
            refusal = NackReason.BEHIND;
        }
        if (refusal == null && log.lastSlot() - fromSlot >= config.promiseEntriesMax())
        {
            refusal = NackReason.BEHIND;
        }
        if (refusal == null && fromSlot <= log.commitSlot() && !log.has(fromSlot))
        {
            // slots from fromSlot are committed here but no longer in the log (compacted into a snapshot): this
            // acceptor cannot report what it accepted there, so the candidate must catch up (by snapshot) first
            refusal = NackReason.BEHIND;
        }
        final int count = refusal == null ? batch.collectHeld(log, fromSlot) : 0;
        if (refusal == null && batch.bytes(count) > config.promiseBytesMax() &&
            !config.planted(PlantedBug.COUNT_BOUNDED_BATCHES))
        {
            // more to report than one promise may carry: the candidate catches up first (as for the count limit)
            refusal = NackReason.BEHIND;
        }
        if (refusal != null)
        {
            batch.clear(count);
            outbox.nack(from, ballot, floorBallot, acceptor.refusalRemainingNs(refusal, nowNs), log.commitSlot(),
                refusal);
            return;
        }
        if (ballot > ownBallot())
        {
            stepDownIfActive(nowNs, "promised higher ballot ", ballot);
        }
        promise(ballot);
        leaderId = -1;
        // one election delay per part: a promise of many large parts takes that much longer to reach the candidate,
        // and standing for election before it could have arrived would only pre-empt it (liveness only)
        electionDeadlineNs = nowNs + timer.electionDelayNs() * sendPromise(from, ballot, sendTimeNs, fromSlot, count);
        batch.clear(count);
    }

    /**
     * Sends the promise of {@code ballot} with the {@code count} entries collected in the batch, in as many parts as
     * frames need: each part covers the slots from where the previous one ended to its own last entry (the last part
     * covers everything above), so the candidate counts the promise only once it holds every part.
     */
    /** Sends a promise in as many parts as its entries' bytes need; returns the number of parts. */
    private int sendPromise(final int to, final long ballot, final long sendTimeNs, final long fromSlot,
        final int count)
    {
        final long budget = config.entryBytesPerFrame();
        long coverFrom = fromSlot;
        int first = 0;
        int parts = 0;
        do
        {
            parts++;
            final int n = count == 0 ? 0 : batch.fitting(first, count, budget);
            final long coverTo = first + n >= count ? Long.MAX_VALUE : batch.slots[first + n - 1];
            outbox.promise(to, ballot, sendTimeNs, log.commitSlot(), coverFrom, coverTo, batch.slots, batch.ballots,
                batch.entries, first, n);
            coverFrom = coverTo + 1;
            first += n;
        }
        while (first < count);
        return parts;
    }

    /** The most parts a promise can take: its byte limit over the entry bytes one frame carries, rounded up. */
    private long promisePartsMax()
    {
        return (config.promiseBytesMax() + config.entryBytesPerFrame() - 1) / config.entryBytesPerFrame();
    }

    /**
     * One part of a promise: {@code count} accepted entries in the slots from {@code coverFromSlot} to
     * {@code coverToSlot} ({@link Long#MAX_VALUE}: and every slot above), all the sender holds there.
     */
    public void onPromise(final long nowNs, final int from, final long ballot, final long echoSendTimeNs,
        final long commitSlot, final long coverFromSlot, final long coverToSlot, final long[] slots,
        final long[] ballots, final Entry[] entries, final int count)
    {
        if (!validPeer(from))
        {
            return;
        }
        peerCommit[from] = Math.max(peerCommit[from], commitSlot);
        if (role == Role.LEADER && ballot == leader.ballot())
        {
            return;
        }
        if (role != Role.CANDIDATE || ballot != candidate.ballot())
        {
            return;
        }
        candidate.addPromise(from, coverFromSlot, coverToSlot, slots, ballots, entries, 0, count);
        final boolean progressed = candidate.lastPartProgressed();
        askMembers(nowNs, candidate.recoveredMembers()); // configurations it learned name members to ask too
        promiseOwnBallotOrWin(nowNs);
        if (role == Role.CANDIDATE && progressed)
        {
            // a promise still arriving in parts: wait for the rest (up to one election timeout per part of the
            // largest promise since phase 1 began) rather than time out and pre-empt it with a new ballot
            electionDeadlineNs = Math.max(electionDeadlineNs,
                Math.min(nowNs + config.electionTimeoutNs(), phase1LimitNs));
        }
    }

    public void onNack(final long nowNs, final int from, final long rejectedBallot, final long promisedBallot,
        final long remainingNs, final long commitSlot, final NackReason reason)
    {
        if (!validPeer(from))
        {
            return;
        }
        maxSeenBallot = Math.max(maxSeenBallot, promisedBallot);
        peerCommit[from] = Math.max(peerCommit[from], commitSlot);
        if (role == Role.LEADER && rejectedBallot == leader.ballot() && promisedBallot > leader.ballot())
        {
            stepDown(nowNs, "accept refused: " + Ballot.toString(promisedBallot) + " promised");
            return;
        }
        if (role == Role.FOLLOWER && !config.backoffEnabled() && Ballot.nodeId(rejectedBallot) == selfId &&
            promisedBallot > rejectedBallot && rejectedBallot == lastOwnBallot)
        {
            lastOwnBallot = Ballot.NONE;
            startElection(nowNs);
            return;
        }
        if (role != Role.CANDIDATE || rejectedBallot != candidate.ballot())
        {
            return;
        }
        if (reason == NackReason.BEHIND)
        {
            outbox.catchupRequest(from, log.commitSlot() + 1);
        }
        if (reason == NackReason.BALLOT && promisedBallot > candidate.ballot())
        {
            if (!config.backoffEnabled())
            {
                transition(Role.FOLLOWER, candidate.ballot(), nowNs, "plain paxos: rejected, retry at once");
                startElection(nowNs);
                return;
            }
            loseElection(nowNs, timer.backoffNs(), "rejected: " + Ballot.toString(promisedBallot) + " promised");
            return;
        }
        candidate.addRefusal(from, reason == NackReason.BEHIND ? 0 : remainingNs);
        if (candidate.cannotWin(configs.committed()))
        {
            final long delay = candidate.retryAfterNs() > 0 ?
                candidate.retryAfterNs() + timer.jitterNs(config.backoffBaseNs() / 4) : timer.backoffNs();
            loseElection(nowNs, delay, "refused by " + candidate.refusalCount() + " (" + reason + ")");
        }
    }

    private void becomeLeader(final long nowNs)
    {
        final long ballot = candidate.ballot();
        for (long slot = candidate.fromSlot(); slot <= candidate.maxSlot(); slot++)
        {
            final Entry recovered = candidate.recovered(slot);
            // the log is sized for every value a promise may carry (CoreConfig: logCapacityBytes)
            appendAccepted(slot, ballot, recovered != null ? recovered : proposal.setNoop(Math.max(nowNs, maxTimestampNs)),
                EntryLog.Room.CHOSEN);
        }
        final long startSlot = log.lastSlot() + 1;
        stampOffsetNs = maxTimestampNs == Long.MIN_VALUE ? 0 : Math.max(0, maxTimestampNs + 1 - nowNs);
        appendAccepted(startSlot, ballot, proposal.setNoop(logTimeNs(nowNs)), EntryLog.Room.CHOSEN);
        windowBytes = 0;
        for (long slot = appliedSlot + 1; slot <= log.lastSlot(); slot++)
        {
            windowBytes += log.has(slot) ? FrameBudget.entryBytes(log.entry(slot)) : 0;
        }
        ownMarkCount = 0;
        ownDurableSlot = log.commitSlot();
        markOwnAppend(startSlot);
        leader.begin(ballot, startSlot, nowNs, peerCommit);
        timer.onLeaderKnown();
        leaderId = selfId;
        transition(Role.LEADER, ballot, nowNs, "won with " + candidate.promiseCount() + " promises");
        advanceLeaderCommit(nowNs);
        flush(nowNs);
    }

    private void loseElection(final long nowNs, final long delayNs, final String reason)
    {
        timer.onElectionFailed();
        transition(Role.FOLLOWER, candidate.ballot(), nowNs, reason);
        electionDeadlineNs = nowNs + delayNs;
    }

    // ---------------------------------------------------------------- phase 2

    public void onAccept(final long nowNs, final int from, final long ballot, final long sendTimeNs,
        final long commitSlot, final long firstSlot, final Entry[] entries, final int count)
    {
        if (!validPeer(from) || ballot <= Ballot.NONE || Ballot.nodeId(ballot) != from || firstSlot < 1 ||
            count < 0 || count > entries.length)
        {
            return;
        }
        maxSeenBallot = Math.max(maxSeenBallot, ballot);
        if (ballot < acceptor.promisedBallot())
        {
            outbox.nack(from, ballot, acceptor.promisedBallot(), 0, log.commitSlot(), NackReason.BALLOT);
            return;
        }
        if (ballot > ownBallot() || (role == Role.CANDIDATE && ballot >= candidate.ballot()))
        {
            stepDownIfActive(nowNs, "accept from higher ballot ", ballot);
        }
        else if (role == Role.CANDIDATE && !candidate.promisedBy(selfId))
        {
            // a leader it has not promised against is alive: the candidacy ends (promiseOwnBallotOrWin)
            stepDown(nowNs, "accept from a live leader at " + Ballot.toString(ballot));
        }
        Invariants.check(role == Role.FOLLOWER, "a leader never accepts another leader's ballot");
        if (config.planted(PlantedBug.RECONFIG_SKIP_CATCHUP) && config.joining() && log.lastSlot() == 0 &&
            commitSlot > 0)
        {
            // planted bug: a joining node starts from the leader's commit point as if it held a snapshot there
            log.installBase(commitSlot);
            appliedSlot = commitSlot;
        }
        promise(ballot);
        acceptor.grant(ballot, nowNs);
        leaderId = from;
        timer.onLeaderKnown();
        electionDeadlineNs = nowNs + timer.electionDelayNs();
        for (int i = 0; i < count; i++)
        {
            final long slot = firstSlot + i;
            if (slot <= log.commitSlot() || (log.has(slot) && log.ballot(slot) == ballot))
            {
                continue;
            }
            if (!storable(slot, entries[i], EntryLog.Room.ACCEPTED))
            {
                break; // too far ahead of our commit point for the ring: not accepted (yet), as if lost
            }
            appendAccepted(slot, ballot, entries[i], EntryLog.Room.ACCEPTED);
        }
        learnCommit(nowNs, ballot, commitSlot);
        outbox.accepted(from, ballot, sendTimeNs, log.contiguousInBallot(ballot));
        if (log.commitSlot() < commitSlot && nowNs - lastCatchupRequestNs >= config.resendTimeoutNs())
        {
            // committed slots we hold in another ballot, or not at all: ask the leader for the chosen values
            lastCatchupRequestNs = nowNs;
            outbox.catchupRequest(from, log.commitSlot() + 1);
        }
    }

    /** Commits, as a follower, every slot up to the leader's commit point that it holds in the leader's ballot. */
    private void learnCommit(final long nowNs, final long ballot, final long leaderCommitSlot)
    {
        final boolean applyStale = config.planted(PlantedBug.APPLY_STALE_BALLOT);
        final long before = log.commitSlot();
        long slot = before + 1;
        while (slot <= leaderCommitSlot && log.has(slot) && (applyStale || log.ballot(slot) == ballot))
        {
            log.markCommitted(slot);
            slot = log.commitSlot() + 1;
        }
        if (log.commitSlot() > before)
        {
            configs.onCommitted(log.commitSlot());
            journal.appendCommit(log.commitSlot());
            deliverCommitted();
            afterCommitAdvanced(nowNs);
        }
    }

    public void onAccepted(final long nowNs, final int from, final long ballot, final long echoSendTimeNs,
        final long ackSlot)
    {
        if (!validPeer(from) || role != Role.LEADER || ballot != leader.ballot())
        {
            return;
        }
        leader.onAccepted(from, Math.min(ackSlot, log.lastSlot()), leaseTime(echoSendTimeNs, nowNs), nowNs);
        advanceLeaderCommit(nowNs);
    }

    /**
     * Commits what W voters hold, slot by slot under the configuration governing each: up to the next pending
     * configuration entry under the committed configuration, then (once that entry is committed) on under it.
     */
    private void advanceLeaderCommit(final long nowNs)
    {
        final long before = log.commitSlot();
        refreshOwnDurable();
        while (true)
        {
            final long commit = log.commitSlot();
            final long quorumSlot = leader.quorumAckSlot(configs.committed(), ownDurableSlot);
            final long nextConfigSlot = configs.pendingSlotAtOrAbove(commit + 1);
            final long target = Math.min(quorumSlot, nextConfigSlot);
            for (long slot = commit + 1; slot <= target; slot++)
            {
                log.markCommitted(slot);
            }
            configs.onCommitted(log.commitSlot());
            if (target != nextConfigSlot || log.commitSlot() < target)
            {
                break;
            }
        }
        if (log.commitSlot() > before)
        {
            journal.appendCommit(log.commitSlot());
            deliverCommitted();
            leader.announceSoon();
            afterCommitAdvanced(nowNs);
        }
    }

    /**
     * Consequences of a configuration committed: a leader no longer among the voters steps down (it committed its
     * own removal under the configuration that still had it, docs/membership.md rule 7).
     */
    private void afterCommitAdvanced(final long nowNs)
    {
        change.onCommitted(log.commitSlot(), configs.committed());
        if (role == Role.LEADER && !configs.committed().isVoter(selfId))
        {
            stepDown(nowNs, "removed from the configuration " + configs.committed());
        }
    }

    // ---------------------------------------------------------------- catch-up

    public void onCatchupRequest(final long nowNs, final int from, final long fromSlot)
    {
        if (!validPeer(from) || fromSlot < 1)
        {
            return;
        }
        if (fromSlot <= log.commitSlot() && !log.has(fromSlot))
        {
            if (nowNs - lastSnapshotOfferNs[from] >= config.resendTimeoutNs())
            {
                lastSnapshotOfferNs[from] = nowNs;
                outbox.installSnapshot(from, role == Role.LEADER ? leader.ballot() : acceptor.promisedBallot());
            }
            return;
        }
        final long last = Math.min(log.commitSlot(), fromSlot + config.catchupEntriesMax() - 1);
        final int count = batch.collectRun(log, fromSlot, last, config.entryBytesPerFrame());
        if (count > 0)
        {
            outbox.catchupResponse(from, fromSlot, batch.ballots, batch.entries, count);
        }
        batch.clear(count);
    }

    public void onCatchupResponse(final long nowNs, final int from, final long firstSlot, final long[] ballots,
        final Entry[] entries, final int count)
    {
        if (!validPeer(from) || firstSlot < 1 || count < 0 || count > entries.length)
        {
            return;
        }
        final long before = log.commitSlot();
        for (int i = 0; i < count; i++)
        {
            final long slot = firstSlot + i;
            if (slot <= log.commitSlot())
            {
                Invariants.check(!log.has(slot) || entries[i].equals(log.entry(slot)),
                    "catch-up disagrees at committed slot ", slot);
                continue;
            }
            if (!(log.has(slot) && entries[i].equals(log.entry(slot))))
            {
                if (role == Role.LEADER && log.has(slot))
                {
                    Invariants.check(entries[i].equals(log.entry(slot)), "leader log disagrees with committed ", slot);
                    continue;
                }
                if (!storable(slot, entries[i], EntryLog.Room.CHOSEN))
                {
                    break;
                }
                appendCommittedValue(slot, ballots[i], entries[i], EntryLog.Room.CHOSEN);
            }
            log.markCommitted(slot);
            configs.onCommitted(log.commitSlot());
        }
        if (log.commitSlot() > before)
        {
            journal.appendCommit(log.commitSlot());
            deliverCommitted();
            afterCommitAdvanced(nowNs);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Raises the promise (journaled before any reply). A promise grants no lease: only accepted acks do, so a
     * candidate that loses leaves no lease behind that would block the next one (the simulator found that chain
     * of leases granted to losing candidates livelocks elections).
     */
    private void promise(final long ballot)
    {
        if (acceptor.promise(ballot))
        {
            journal.appendPromise(ballot);
        }
    }

    private void appendAccepted(final long slot, final long ballot, final Entry entry, final EntryLog.Room room)
    {
        Invariants.check(ballot >= acceptor.promisedBallot(), "accepting below the promised ballot");
        appendCommittedValue(slot, ballot, entry, room);
    }

    /** As leader, notes the journal position after its own append of {@code slot} (see {@link #ownDurableSlot}). */
    private void markOwnAppend(final long slot)
    {
        final long position = journal.position();
        if (ownMarkCount == OWN_MARKS)
        {
            final int newest = (ownMarkHead + OWN_MARKS - 1) % OWN_MARKS;
            ownMarkPosition[newest] = position;
            ownMarkSlot[newest] = slot;
            return;
        }
        final int next = (ownMarkHead + ownMarkCount) % OWN_MARKS;
        ownMarkPosition[next] = position;
        ownMarkSlot[next] = slot;
        ownMarkCount++;
    }

    /** Moves {@link #ownDurableSlot} past the marks the journal made durable since; true if it moved. */
    private boolean refreshOwnDurable()
    {
        if (ownMarkCount == 0)
        {
            return false;
        }
        final long durable = journal.durablePosition();
        final long before = ownDurableSlot;
        while (ownMarkCount > 0 && ownMarkPosition[ownMarkHead] <= durable)
        {
            ownDurableSlot = Math.max(ownDurableSlot, ownMarkSlot[ownMarkHead]);
            ownMarkHead = (ownMarkHead + 1) % OWN_MARKS;
            ownMarkCount--;
        }
        return ownDurableSlot > before;
    }

    /** Stores a value learned as committed (catch-up): chosen values may be held whatever the promise. */
    private void appendCommittedValue(final long slot, final long ballot, final Entry entry, final EntryLog.Room room)
    {
        log.put(slot, ballot, entry, room);
        if (slot > log.commitSlot())
        {
            configs.onStored(slot, entry);
        }
        maxTimestampNs = Math.max(maxTimestampNs, entry.timestampNs());
        journal.appendAccepted(slot, ballot, entry);
    }

    /**
     * Whether an acceptor may store {@code slot} learned from a peer: within half the ring above the commit point,
     * so that a journal replay (whose commit marks may trail a catch-up batch) can always hold it too.
     */
    private boolean storable(final long slot, final Entry entry, final EntryLog.Room room)
    {
        return slot - log.commitSlot() <= log.capacity() / 2 && log.canStore(slot, entry.payloadLength(), room);
    }

    private void deliverCommitted()
    {
        while (appliedSlot < log.commitSlot())
        {
            appliedSlot++;
            Invariants.check(log.has(appliedSlot), "committed slot left the log ring before it was applied: ",
                appliedSlot);
            Invariants.check(appliedSlot != invariantFailureSlot, "planted: invariant fails at slot ", appliedSlot);
            if (role == Role.LEADER)
            {
                windowBytes = Math.max(0, windowBytes - FrameBudget.entryBytes(log.entry(appliedSlot)));
            }
            listener.onCommitted(appliedSlot, log.ballot(appliedSlot), log.entry(appliedSlot));
        }
        log.markApplied(appliedSlot);
    }

    private long leaseTime(final long echoSendTimeNs, final long nowNs)
    {
        return config.planted(PlantedBug.LEASE_FROM_RECEIVE_TIME) ? nowNs : echoSendTimeNs;
    }

    private long ownBallot()
    {
        if (role == Role.LEADER)
        {
            return leader.ballot();
        }
        return role == Role.CANDIDATE ? candidate.ballot() : Ballot.NONE;
    }

    /** Steps down unless already a follower; the reason (a prefix and a ballot) is built only then. */
    private void stepDownIfActive(final long nowNs, final String reasonPrefix, final long ballot)
    {
        if (role != Role.FOLLOWER)
        {
            stepDown(nowNs, reasonPrefix + Ballot.toString(ballot));
        }
    }

    private void stepDown(final long nowNs, final String reason)
    {
        transition(Role.FOLLOWER, ownBallot(), nowNs, reason);
        leaderId = -1;
        electionDeadlineNs = nowNs + timer.electionDelayNs();
    }

    private void transition(final Role newRole, final long ballot, final long nowNs, final String reason)
    {
        if (newRole == role && newRole == Role.FOLLOWER)
        {
            return;
        }
        final boolean leftLeadership = role == Role.LEADER && newRole != Role.LEADER;
        role = newRole;
        listener.onRoleChange(newRole, ballot, nowNs, reason);
        if (leftLeadership)
        {
            change.onLeadershipLost(reason);
        }
    }

    /**
     * A sender id this node may hear from: any id but its own. Quorums count only the voters of the configurations
     * in effect, so a frame from someone else can at worst raise a ballot; the runtime drops frames from senders
     * that are no members it knows before they get here.
     */
    private boolean validPeer(final int from)
    {
        return from >= 0 && from < Membership.MEMBERS_MAX && from != selfId;
    }

    /** Sends a Prepare for the current ballot to each of {@code members} not yet asked. */
    private void askMembers(final long nowNs, final long members)
    {
        long rest = members & ~candidate.asked();
        candidate.markAsked(rest);
        while (rest != 0)
        {
            final int peer = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
            outbox.prepare(peer, candidate.ballot(), candidate.fromSlot(), nowNs);
        }
    }

    /** What a membership change may see and do of this node. */
    private final class ChangeSteps implements MembershipChange.Steps
    {
        public boolean leading()
        {
            return role == Role.LEADER;
        }

        public Membership committed()
        {
            return configs.committed();
        }

        public long commitSlot()
        {
            return log.commitSlot();
        }

        public long ackSlot(final int member)
        {
            return leader.ackSlot(member);
        }

        public long proposeConfig(final long nowNs, final Membership next, final byte[] tail)
        {
            return ConsensusNode.this.proposeConfig(nowNs, next, tail, 0, tail.length);
        }

        public void ended(final long requestId, final boolean done, final String detail)
        {
            listener.onMembershipChange(requestId, done, detail);
        }
    }

    // ---------------------------------------------------------------- observation (status, simulator checks)

    public Role role()
    {
        return role;
    }

    public int nodeId()
    {
        return selfId;
    }

    /** The ballot this node leads or campaigns in; {@link Ballot#NONE} as follower. */
    public long activeBallot()
    {
        return ownBallot();
    }

    public long promisedBallot()
    {
        return acceptor.promisedBallot();
    }

    /** The leader this node last accepted from, itself if leading, or -1 if unknown. */
    public int leaderId()
    {
        return leaderId;
    }

    public long commitSlot()
    {
        return log.commitSlot();
    }

    public long appliedSlot()
    {
        return appliedSlot;
    }

    public long lastSlot()
    {
        return log.lastSlot();
    }

    /**
     * As leader, the highest slot member {@code memberId} acknowledged in this ballot (0 if none yet; this node's own
     * last slot for itself); -1 when not leading or not a member. Read-only, allocation-free: for status reports.
     */
    public long memberAckedSlot(final int memberId)
    {
        if (role != Role.LEADER)
        {
            return -1;
        }
        if (memberId == selfId)
        {
            return log.lastSlot();
        }
        return validPeer(memberId) ? leader.ackSlot(memberId) : -1;
    }

    /**
     * As leader, the local time (as passed in {@code nowNs}) the latest ack from member {@code memberId} arrived in
     * this ballot; {@link Long#MIN_VALUE} if none, when not leading, or for this node itself. Read-only.
     */
    public long memberLastAckNs(final int memberId)
    {
        return role == Role.LEADER && validPeer(memberId) ? leader.ackReceiveNs(memberId) : Long.MIN_VALUE;
    }

    /** The local-clock end of this leader's lease, or {@link Long#MIN_VALUE} when not leading with a lease. */
    public long leaseEndNs()
    {
        return role == Role.LEADER ? leader.leaseEndNs(configs) : Long.MIN_VALUE;
    }

    public CoreConfig config()
    {
        return config;
    }

    /** The configuration committed at this node's commit point (it governs the next slot). */
    public Membership membership()
    {
        return configs.committed();
    }

    /** The newest configuration this node knows, committed or not. */
    public Membership latestMembership()
    {
        return configs.latest();
    }
}
