package io.paxlog.sim;

import io.paxlog.check.KvKind;
import io.paxlog.core.CommitListener;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.Entry;
import io.paxlog.core.PlantedBug;
import io.paxlog.core.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated node: the real {@link ConsensusNode} with an in-memory journal, a clock of its own, a
 * {@link KvMachine}, and a runtime that holds outgoing messages until the journal writes before them are durable
 * (the etcd "persist before send" contract), exactly as the real node's duty cycle does.
 */
final class SimNode implements CommitListener
{
    enum State { UP, DOWN, PAUSED, LOST }

    private record Held(int to, Msg msg, int requiredPosition) { }

    private record Pending(long sessionId, long sequence, int client) { }

    final int id;
    final SimClock clock;
    private final Simulation sim;
    private final SimParams params;
    private final long seed;
    final SimJournal journal = new SimJournal();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final List<Object[]> pausedInbox = new ArrayList<>();
    private final Map<Long, Pending> pendingBySlot = new HashMap<>();

    State state = State.UP;
    int incarnation;
    ConsensusNode core;
    KvMachine kv;

    SimNode(final int id, final SimClock clock, final Simulation sim, final SimParams params, final long seed)
    {
        this.id = id;
        this.clock = clock;
        this.sim = sim;
        this.params = params;
        this.seed = seed;
    }

    long localNow()
    {
        return clock.localNs(sim.now());
    }

    void start()
    {
        incarnation++;
        state = State.UP;
        kv = new KvMachine();
        held.clear();
        pendingBySlot.clear();
        sim.onNodeStart(id);
        core = new ConsensusNode(params.coreConfig(id, seed * 1000 + incarnation), journal, new Out(), this);
        core.start(localNow());
        afterStep();
        scheduleTick();
    }

    void crash(final boolean machine)
    {
        if (state == State.DOWN || state == State.LOST)
        {
            return;
        }
        final int lost = machine ? journal.machineCrash(sim.random()) : 0;
        if (!machine)
        {
            journal.processCrash();
        }
        sim.trace(id, (machine ? "machine crash (lost " + lost + " unsynced records)" : "process crash"));
        sim.onNodeDown(id);
        state = State.DOWN;
        held.clear();
        pausedInbox.clear();
        pendingBySlot.clear();
        core = null;
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
        if (tickIncarnation != incarnation || state == State.DOWN || state == State.LOST)
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
        core.onTick(localNow());
        afterStep();
    }

    void onSyncDone(final int syncIncarnation)
    {
        if (syncIncarnation != incarnation || core == null)
        {
            return;
        }
        journal.completeSync();
        releaseHeld();
        startSyncIfNeeded();
    }

    /** A message arrives from the network. */
    void deliver(final int from, final Msg msg)
    {
        if (state == State.DOWN || state == State.LOST)
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
            core.onPromise(now, from, m.ballot(), m.echoSendTimeNs(), m.commitSlot(), m.slots(), m.ballots(),
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
        else if (msg instanceof Msg.ClientRequest m)
        {
            onClientRequest(from, m, now);
        }
        core.flush(now);
        afterStep();
    }

    private void onClientRequest(final int client, final Msg.ClientRequest m, final long now)
    {
        if (core.role() != Role.LEADER)
        {
            send(client, new Msg.ClientResponse(m.sessionId(), m.sequence(), Msg.Status.REDIRECT, 0, 0, core.leaderId()));
            return;
        }
        final KvKind kind = KvCommand.kind(m.command());
        if (kind == KvKind.READ && core.canServeLeaseRead(now))
        {
            final long value = kv.read(KvCommand.key(m.command()));
            sim.onLeaseRead(id);
            send(client, new Msg.ClientResponse(m.sessionId(), m.sequence(), Msg.Status.OK, value, 0, id));
            return;
        }
        final Long cached = kv.cached(m.sessionId(), m.sequence());
        if (cached != null)
        {
            send(client, new Msg.ClientResponse(m.sessionId(), m.sequence(), Msg.Status.OK, cached, -1, id));
            return;
        }
        final long slot = core.propose(now, Entry.command(m.sessionId(), m.sequence(), now, m.command()));
        if (slot == ConsensusNode.BACK_PRESSURE)
        {
            send(client, new Msg.ClientResponse(m.sessionId(), m.sequence(), Msg.Status.BUSY, 0, 0, id));
            return;
        }
        if (slot > 0)
        {
            pendingBySlot.put(slot, new Pending(m.sessionId(), m.sequence(), client));
        }
    }

    /** After every step: start a sync for what was written, release what is durable. */
    private void afterStep()
    {
        if (state != State.UP || core == null)
        {
            return;
        }
        sim.observe(this);
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
            send(to, msg);
        }

        @Override
        protected void emitAccept(final int to, final Msg.Accept accept)
        {
            sim.onAcceptSent(SimNode.this, accept.ballot(), accept.firstSlot(), accept.entries());
            send(to, accept);
        }
    }

    // ------------------------------------------------------------------ CommitListener

    public void onCommitted(final long slot, final long ballot, final Entry entry)
    {
        final KvMachine.Applied applied = kv.apply(entry);
        sim.onApplied(this, slot, entry, applied);
        final Pending p = pendingBySlot.remove(slot);
        if (p != null && p.sessionId() == entry.sessionId() && p.sequence() == entry.sequence())
        {
            send(p.client(), new Msg.ClientResponse(p.sessionId(), p.sequence(), Msg.Status.OK, applied.result(), slot, id));
        }
    }

    public void onRoleChange(final Role newRole, final long ballot, final long nowNs, final String reason)
    {
        sim.trace(id, "-> " + newRole + " ballot=" + io.paxlog.core.Ballot.toString(ballot) + " (" + reason + ")");
        if (newRole != Role.LEADER)
        {
            pendingBySlot.clear();
        }
    }
}
