package io.paxlog.sim;

import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.FrameBudget;
import io.paxlog.core.Membership;
import io.paxlog.core.PlantedBug;
import io.paxlog.core.Role;
import io.paxlog.replica.IdentityCheck;
import io.paxlog.replica.JournalIdentity;
import io.paxlog.replica.Replica;
import io.paxlog.replica.ReplicaOutput;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.DoubleGrantingLocks;
import io.paxlog.sm.LockTable;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachineHost;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated node: the real {@link ConsensusNode} with an in-memory journal, a clock of its own, the real
 * {@link Replica} (sessions, admission, commands, the read levels, applying: the rules the node runs) with the real
 * {@link StateMachineHost} hosting the real {@link CounterMachine} and the real {@link LockTable}, and a runtime
 * that holds outgoing messages until the journal writes before them are durable (the etcd "persist before send"
 * contract), as the node's duty cycle does. What stays here is the simulated transport: which client endpoint a
 * session last spoke from, messages instead of frames.
 */
final class SimNode
{
    /** LOST: its machine crashed for good (sync none); STOPPED: removed from the cluster and shut down. */
    enum State { UP, DOWN, PAUSED, LOST, STOPPED }

    private record Held(int to, Msg msg, long requiredPosition) { }

    /** The most sessions open at once (the node's default): the simulated clients stay far below it. */
    static final int SESSIONS_MAX = 1024;

    final int id;
    final SimClock clock;
    private final Simulation sim;
    private final SimParams params;
    private final long seed;
    final SimJournal journal;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final List<Object[]> pausedInbox = new ArrayList<>();
    /** The client endpoint each session last spoke from (where deferred answers and session events go). */
    private final Map<Long, Integer> clientOf = new HashMap<>();
    private final UnsafeBuffer payloadView = new UnsafeBuffer(0, 0);

    State state = State.UP;
    int incarnation;
    ConsensusNode core;
    StateMachineHost host;
    private Replica replica;
    /** The newest durable snapshot (survives every crash, as a synced file does) and the slot it covers. */
    private byte[] savedSnapshot;
    private long savedSnapshotSlot;
    /** The configuration committed at {@link #savedSnapshotSlot}, saved with the snapshot. */
    private Membership savedMembership;
    /** The configuration committed at the applied slot (the latest configuration entry applied). */
    private Membership appliedMembership;
    private long lastCompactSlot;
    /** It started once: the simulated operator's {@code paxlog.state.required=true} (ops/cluster sets it so). */
    private boolean hasRun;

    SimNode(final int id, final SimClock clock, final Simulation sim, final SimParams params, final long seed)
    {
        this.id = id;
        this.clock = clock;
        this.sim = sim;
        this.params = params;
        this.seed = seed;
        this.journal = new SimJournal(params.syncMode == SimParams.SyncMode.NONE);
    }

    long localNow()
    {
        return clock.localNs(sim.now());
    }

    /**
     * Starts the node's process, unless {@link IdentityCheck} refuses what its disk holds (a member that lost its
     * state): then it stays down for good ({@link State#LOST}), as a real node exits 2 and is not started again.
     * The planted bug {@link PlantedBug#WIPED_REJOINS_AS_SELF} starts it as itself anyway.
     */
    void start()
    {
        final String refused = IdentityCheck.refusal(seed, id, new IdentityCheck.Found(journal.identity(), null,
            journal.position() > 0, savedSnapshot != null), hasRun);
        if (refused != null && !params.planted.contains(PlantedBug.WIPED_REJOINS_AS_SELF))
        {
            state = State.LOST;
            sim.trace(id, "refuses to start: " + refused);
            sim.fault("disk-replaced:refused");
            return;
        }
        if (refused != null)
        {
            sim.fault("disk-replaced:rejoined-as-self");
        }
        if (journal.identity() == null)
        {
            journal.identity(new JournalIdentity(seed, id));
        }
        hasRun = true;
        incarnation++;
        state = State.UP;
        final CoreConfig coreConfig = params.coreConfig(id, seed * 1000 + incarnation);
        replica = new Replica(id, SESSIONS_MAX, SimClient.SESSION_TTL_MS, coreConfig.windowSlots(),
            sink -> new StateMachineHost(sink, new CounterMachine(),
            params.planted.contains(PlantedBug.LOCK_DOUBLE_GRANT) ? new DoubleGrantingLocks() : new LockTable()),
            new Answers());
        host = replica.host();
        held.clear();
        clientOf.clear();
        sim.onNodeStart(id);
        core = new ConsensusNode(coreConfig, journal, new Out(), replica);
        replica.bind(core);
        if (savedSnapshot != null)
        {
            host.restore(new SnapshotReader(new UnsafeBuffer(savedSnapshot), 0, savedSnapshot.length));
            sim.safety().onSnapshotRestored(this);
            if (!savedMembership.equals(params.initialMembership()))
            {
                sim.fault("membership:restart-from-snapshot");
            }
        }
        lastCompactSlot = savedSnapshotSlot;
        appliedMembership = savedSnapshot == null ? params.initialMembership() : savedMembership;
        core.start(localNow(), savedSnapshot == null ? 0 : savedSnapshotSlot, savedSnapshot == null ? null :
            savedMembership);
        afterStep();
        scheduleTick();
    }

    void crash(final boolean machine)
    {
        if (!running())
        {
            return;
        }
        final int lost = machine ? journal.machineCrash(sim.random()) : 0;
        if (!machine)
        {
            journal.processCrash();
        }
        sim.trace(id, (machine ? "machine crash (lost " + lost + " unsynced records)" : "process crash"));
        processEnds(State.DOWN);
    }

    /** Its machine's disk is replaced while it is down: the journal, its identity and the snapshot are gone. */
    void replaceDisk()
    {
        journal.replaceDisk();
        savedSnapshot = null;
        savedSnapshotSlot = 0;
        savedMembership = null;
        lastCompactSlot = 0;
    }

    /** Shuts a removed member down for good (its process stops; it is no member any more). */
    void stop()
    {
        if (state != State.STOPPED)
        {
            processEnds(State.STOPPED);
        }
    }

    /** The process is gone: what it held in memory with it (the journal and the saved snapshot stay). */
    private void processEnds(final State next)
    {
        sim.safety().onNodeDown(id);
        state = next;
        held.clear();
        pausedInbox.clear();
        core = null;
    }

    /** Up or paused: its process exists (its core may be asked about its state). */
    boolean running()
    {
        return state == State.UP || state == State.PAUSED;
    }

    void pause()
    {
        if (state == State.UP)
        {
            state = State.PAUSED;
            sim.trace(id, "paused");
        }
    }

    void resume()
    {
        if (state != State.PAUSED)
        {
            return;
        }
        state = State.UP;
        sim.trace(id, "resumed");
        final List<Object[]> inbox = new ArrayList<>(pausedInbox);
        pausedInbox.clear();
        for (final Object[] m : inbox)
        {
            deliver((Integer)m[0], (Msg)m[1]);
        }
        tick();
    }

    private void scheduleTick()
    {
        final long nextLocal = localNow() + params.tickNs;
        sim.scheduleTick(id, incarnation, Math.max(sim.now() + 1, clock.trueAt(nextLocal)));
    }

    void onTickEvent(final int tickIncarnation)
    {
        if (tickIncarnation != incarnation || !running())
        {
            return;
        }
        if (state == State.UP)
        {
            tick();
        }
        scheduleTick();
    }

    private void tick()
    {
        final long now = localNow();
        core.onTick(now);
        if (core.role() == Role.LEADER)
        {
            replica.duties(now);
            core.flush(now);
        }
        afterStep();
    }

    void onSyncDone(final int syncIncarnation)
    {
        if (syncIncarnation != incarnation || core == null)
        {
            return;
        }
        journal.completeSync();
        if (state == State.UP && core.role() == Role.LEADER)
        {
            // the leader's own appends are durable now: with W = 1 that commits (the core sees it on a flush)
            core.flush(localNow());
            afterStep();
            return;
        }
        releaseHeld();
        startSyncIfNeeded();
    }

    /** A message arrives from the network. */
    void deliver(final int from, final Msg msg)
    {
        if (!running())
        {
            return;
        }
        if (state == State.PAUSED)
        {
            pausedInbox.add(new Object[] {from, msg});
            return;
        }
        final long now = localNow();
        if (msg instanceof Msg.Prepare m)
        {
            core.onPrepare(now, from, m.ballot(), m.fromSlot(), m.sendTimeNs());
        }
        else if (msg instanceof Msg.Promise m)
        {
            core.onPromise(now, from, m.ballot(), m.echoSendTimeNs(), m.commitSlot(), m.coverFromSlot(), m.coverToSlot(), m.slots(),
                m.ballots(),
                m.entries(), m.entries().length);
        }
        else if (msg instanceof Msg.Nack m)
        {
            core.onNack(now, from, m.rejectedBallot(), m.promisedBallot(), m.remainingNs(), m.commitSlot(), m.reason());
        }
        else if (msg instanceof Msg.Accept m)
        {
            core.onAccept(now, from, m.ballot(), m.sendTimeNs(), m.commitSlot(), m.firstSlot(), m.entries(),
                m.entries().length);
        }
        else if (msg instanceof Msg.Accepted m)
        {
            core.onAccepted(now, from, m.ballot(), m.echoSendTimeNs(), m.ackSlot());
        }
        else if (msg instanceof Msg.CatchupRequest m)
        {
            core.onCatchupRequest(now, from, m.fromSlot());
        }
        else if (msg instanceof Msg.CatchupResponse m)
        {
            core.onCatchupResponse(now, from, m.firstSlot(), m.ballots(), m.entries(), m.entries().length);
        }
        else if (msg instanceof Msg.InstallSnapshot m)
        {
            installSnapshot(from, m, now);
        }
        else if (msg instanceof Msg.ClientRequest m)
        {
            onClientRequest(from, m, now);
        }
        else if (msg instanceof Msg.SessionOpen m)
        {
            onSessionOpen(from, m, now);
        }
        else if (msg instanceof Msg.KeepAlive m)
        {
            replica.onKeepAlive(now, m.sessionId());
        }
        core.onFramesPolled(now); // as the node's duty cycle does after its polls: grants run from then
        core.flush(now);
        afterStep();
    }

    /** A snapshot from a peer, for a node behind what that peer's log holds: install it if it is ahead of us. */
    private void installSnapshot(final int from, final Msg.InstallSnapshot m, final long now)
    {
        if (m.slot() <= core.commitSlot())
        {
            return;
        }
        host.restore(new SnapshotReader(new UnsafeBuffer(m.snapshot()), 0, m.snapshot().length));
        savedSnapshot = m.snapshot();
        savedSnapshotSlot = m.slot();
        savedMembership = m.membership();
        appliedMembership = m.membership();
        lastCompactSlot = m.slot();
        replica.clearPending();
        sim.trace(id, "installed snapshot at slot " + m.slot() + " from n" + from);
        sim.fault("snapshot:install");
        if (core.appliedSlot() == 0 && id >= params.nodes)
        {
            sim.fault("membership:join-by-snapshot"); // a new member's first state comes from a snapshot
        }
        sim.safety().onSnapshotRestored(this);
        core.installSnapshot(now, from, m.ballot(), m.slot(), m.membership());
    }

    /** Snapshots the state machines at the applied slot (durably) and compacts the journal behind it. */
    private void maybeCompact()
    {
        if (params.compactEveryEntries == 0 || core.appliedSlot() - lastCompactSlot < params.compactEveryEntries)
        {
            return;
        }
        savedSnapshot = takeSnapshot();
        savedSnapshotSlot = core.appliedSlot();
        savedMembership = snapshotMembership();
        lastCompactSlot = savedSnapshotSlot;
        core.compact(localNow());
        sim.onCompacted(id, savedSnapshotSlot);
    }

    /**
     * The configuration a snapshot at the applied slot carries: the latest one applied, which must be the one the
     * core says is committed (it applies everything it commits at once).
     */
    private Membership snapshotMembership()
    {
        if (core.appliedSlot() == core.commitSlot() && !appliedMembership.equals(core.membership()))
        {
            sim.violation("membership: n" + id + " applied " + appliedMembership + " up to slot " + core.appliedSlot() +
                " but its core has " + core.membership() + " committed");
        }
        return appliedMembership;
    }

    private byte[] takeSnapshot()
    {
        final SnapshotWriter w = new SnapshotWriter();
        host.snapshot(w);
        return java.util.Arrays.copyOf(w.buffer().byteArray(), w.length());
    }

    private void onSessionOpen(final int client, final Msg.SessionOpen m, final long now)
    {
        clientOf.put(m.sessionId(), client);
        replica.onSessionConnect(now, m.sessionId(), m.ttlMs(), m.window());
    }

    /**
     * A simulated client's request: a read is asked as a linearizable query (served under the lease, or after a
     * ReadIndex round), a write as a command through the log. (Sending a quarter of the reads through the log as
     * commands made the clients of an isolated old leader time out and leave it sooner, and the planted bug
     * lease-read-during-handover went uncaught in 2,000 seeds; with every read a query, 3 seeds in 1,000 catch it.)
     */
    private void onClientRequest(final int client, final Msg.ClientRequest m, final long now)
    {
        clientOf.put(m.sessionId(), client);
        final byte[] command = m.command();
        payloadView.wrap(command);
        if (KvCommand.isRead(command))
        {
            replica.onQuery(now, now, m.sessionId(), m.sequence(), ReadConsistency.LINEARIZABLE.value(), 0,
                payloadView, 0, command.length);
        }
        else
        {
            replica.onCommand(now, m.sessionId(), m.sequence(), payloadView, 0, command.length);
        }
    }

    /** After every step: start a sync for what was written, release what is durable. */
    private void afterStep()
    {
        if (state != State.UP || core == null)
        {
            return;
        }
        maybeCompact();
        replica.serveReads(localNow());
        sim.safety().observe(this);
        if (params.syncMode == SimParams.SyncMode.NONE || params.planted.contains(PlantedBug.ACK_BEFORE_PERSIST))
        {
            if (params.syncMode == SimParams.SyncMode.NONE)
            {
                // sync policy none: writes reach the page cache, which survives a process crash
                journal.markAllDurable();
            }
            else
            {
                startSyncIfNeeded();
            }
            while (!held.isEmpty())
            {
                final Held h = held.poll();
                sim.send(id, h.to(), h.msg());
            }
            return;
        }
        startSyncIfNeeded();
        releaseHeld();
    }

    private void startSyncIfNeeded()
    {
        if (journal.beginSync())
        {
            sim.scheduleSyncDone(id, incarnation, sim.now() + params.syncLatencyNs);
        }
    }

    private void releaseHeld()
    {
        while (!held.isEmpty() && held.peek().requiredPosition() <= journal.syncedCount())
        {
            final Held h = held.poll();
            sim.send(id, h.to(), h.msg());
        }
    }

    private void send(final int to, final Msg msg)
    {
        held.add(new Held(to, msg, journal.position()));
    }

    /** What the core sends goes through the held queue, released after the covering sync. */
    private final class Out extends MsgOutbox
    {
        protected void emit(final int to, final Msg msg)
        {
            if (msg instanceof Msg.Promise p && fits(to, "a promise", p.entries()) ||
                msg instanceof Msg.CatchupResponse r && fits(to, "a catch-up response", r.entries()) ||
                !(msg instanceof Msg.Promise) && !(msg instanceof Msg.CatchupResponse))
            {
                send(to, msg);
            }
        }

        @Override
        protected void emitAccept(final int to, final Msg.Accept accept)
        {
            sim.safety().onAcceptSent(SimNode.this, accept.ballot(), accept.firstSlot(), accept.entries());
            if (fits(to, "an accept", accept.entries()))
            {
                send(to, accept);
            }
        }

        /**
         * The transport's byte limit, as the real one has it: a message over {@link SimParams#frameLengthMax} (as
         * {@link FrameBudget} counts its bytes) is one the receiver refuses, so the sender broke a rule: a violation,
         * and the message is dropped.
         */
        private boolean fits(final int to, final String kind, final Entry[] entries)
        {
            long bytes = 0;
            for (final Entry e : entries)
            {
                bytes += FrameBudget.entryBytes(e);
            }
            final long frameBytes = FrameBudget.frameBytes(bytes);
            if (frameBytes <= params.frameLengthMax)
            {
                return true;
            }
            sim.violation("oversized frame: n" + id + " sent n" + to + " " + kind + " of " + entries.length +
                " entries and " + frameBytes + " bytes, over the frame limit of " + params.frameLengthMax + " bytes");
            return false;
        }

        @Override
        protected Msg snapshotFor(final long ballot)
        {
            return new Msg.InstallSnapshot(ballot, core.appliedSlot(), takeSnapshot(), snapshotMembership());
        }
    }

    /** Asks this node's core, as leader, for a membership change (majority quorums); null if started, else why not. */
    String requestMembershipChange(final long requestId, final int addId, final int removeId, final byte[] tail)
    {
        final String refused = core.requestMembershipChange(localNow(), requestId, addId, removeId, 0, 0, tail);
        core.flush(localNow());
        afterStep();
        return refused;
    }

    /** The configuration committed at the applied slot, as this runtime tracks it from applied entries. */
    Membership appliedMembership()
    {
        return appliedMembership;
    }

    /** The replica's answers, routed to the client endpoint each session last spoke from; its applies, checked. */
    private final class Answers implements ReplicaOutput
    {
        public void answer(final long sessionId, final long requestId, final CommandStatus status,
            final int leaderId, final long slot, final DirectBuffer result, final int offset, final int length)
        {
            final Integer client = clientOf.get(sessionId);
            if (client != null)
            {
                final byte[] bytes = new byte[length];
                result.getBytes(offset, bytes);
                send(client, new Msg.ClientResponse(sessionId, requestId, Msg.Status.valueOf(status.name()), bytes,
                    slot, leaderId));
            }
        }

        public void sessionEvent(final long sessionId, final SessionEventCode code, final int leaderId,
            final String detail)
        {
            final Integer client = clientOf.get(sessionId);
            if (client != null)
            {
                send(client, new Msg.SessionEvent(sessionId, Msg.SessionCode.valueOf(code.name()), leaderId));
            }
        }

        public void configurationApplied(final long slot, final Entry entry)
        {
            // the runtime keeps the configuration (for its snapshots); state machines see only the log time
            final Membership m = Membership.decode(entry.payloadArray(), entry.payloadOffset(), entry.payloadLength());
            if (m == null)
            {
                sim.violation("n" + id + " applied a configuration entry that does not decode at slot " + slot);
                return;
            }
            appliedMembership = m;
            sim.onConfigApplied(SimNode.this, slot, m);
        }

        public void applied(final long slot, final Entry entry, final int outcome, final DirectBuffer answer,
            final int offset, final int length)
        {
            sim.safety().onApplied(SimNode.this, slot, entry, outcome, answer, offset, length);
        }

        public void sessionClosed(final long sessionId)
        {
            clientOf.remove(sessionId);
            sim.safety().onSessionClosed(SimNode.this, sessionId);
        }

        public void deferredAnswer(final long sessionId, final long sequence, final long slot,
            final DirectBuffer result, final int offset, final int length)
        {
            sim.safety().onDeferredAnswer(SimNode.this, sessionId, sequence, slot,
                SimResults.toLong(result, offset, length));
        }

        public void linearizableRead(final boolean byLease)
        {
            if (byLease)
            {
                sim.onLeaseRead(id);
            }
            else
            {
                sim.onReadIndexRead(id);
            }
        }

        public void roleChanged(final Role newRole, final long ballot, final long nowNs, final String reason)
        {
            sim.trace(id, "-> " + newRole + " ballot=" + io.paxlog.core.Ballot.toString(ballot) + " (" + reason +
                ")");
        }

        public void membershipChangeEnded(final long requestId, final boolean done, final String detail)
        {
            sim.onMembershipChangeEnded(id, requestId, done, detail);
        }
    }
}
