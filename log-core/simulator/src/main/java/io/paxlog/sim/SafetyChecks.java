package io.paxlog.sim;

import io.paxlog.core.Ballot;
import io.paxlog.core.Entry;
import io.paxlog.core.Role;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.LockTable;
import io.paxlog.sm.Machines;
import io.paxlog.sm.StateMachineHost;

import java.util.HashMap;
import java.util.Map;

/**
 * The simulator's checks of every step, as the run goes: agreement and exactly-once on every apply at every node,
 * single writer on every accept sent, lease exclusivity in true time after every step, and lock exclusivity on
 * every lock answer (each node's {@link LockMirror}). Violations go to the {@link Simulation}; the end-of-run checks
 * (durability, replicas equal, linearizability, liveness) stay there and read the values chosen here.
 *
 * <p>Threading and determinism: one simulation's thread; no randomness and no clock but the simulation's.
 */
final class SafetyChecks
{
    private record LeaseBelief(long ballot, long startNs, long endNs) { }

    private record SessionSeq(long sessionId, long sequence) { }

    private record LockOp(int lock, boolean acquire) { }

    private record BallotSlot(long ballot, long slot) { }

    private final Simulation sim;
    private final Map<SessionSeq, LockOp> lockOps = new HashMap<>();
    private final Map<Long, Entry> chosen = new HashMap<>();
    private final Map<Long, Long> effectiveSlot = new HashMap<>();
    private final Map<BallotSlot, Entry> proposed = new HashMap<>();
    private final LeaseBelief[] lease;
    private final LockMirror[] lockMirrors;

    /** Checks for nodes with ids below {@code idCapacity}. */
    SafetyChecks(final Simulation sim, final int idCapacity)
    {
        this.sim = sim;
        this.lease = new LeaseBelief[idCapacity];
        this.lockMirrors = new LockMirror[idCapacity];
    }

    /** The value first applied at {@code slot} by any node, or null. */
    Entry chosen(final long slot)
    {
        return chosen.get(slot);
    }

    /** A node (re)started with empty state machines: its lock mirror starts empty. */
    void onNodeStart(final int id)
    {
        lockMirrors[id] = new LockMirror(SimClient.LOCKS);
    }

    /** Which lock a client operation (session, sequence) addresses, for the lock checks. */
    void noteLockOp(final long sessionId, final long sequence, final int lock, final boolean acquire)
    {
        lockOps.put(new SessionSeq(sessionId, sequence), new LockOp(lock, acquire));
    }

    /** A lock answer given at apply (immediately or deferred) on {@code node}: feeds that node's lock mirror. */
    private void onLockAnswer(final SimNode node, final long sessionId, final long sequence, final long slot,
        final long packed)
    {
        final LockOp op = lockOps.get(new SessionSeq(sessionId, sequence));
        if (op == null)
        {
            return;
        }
        final LockMirror mirror = lockMirrors[node.id];
        final int status = SimResults.status(packed);
        if (op.acquire() && status == LockTable.GRANTED)
        {
            final String problem = mirror.grant(op.lock(), sessionId, SimResults.token(packed));
            if (problem != null)
            {
                sim.violation("lock exclusivity: n" + node.id + " at slot " + slot + ": " + problem);
            }
        }
        else if (!op.acquire() && status == LockTable.RELEASED)
        {
            mirror.release(op.lock(), sessionId);
        }
    }

    void onDeferredAnswer(final SimNode node, final long sessionId, final long sequence, final long slot,
        final long packed)
    {
        onLockAnswer(node, sessionId, sequence, slot, packed);
    }

    void onSessionClosed(final SimNode node, final long sessionId)
    {
        sim.fault("session:expired");
        lockMirrors[node.id].closeSession(sessionId);
    }

    /** {@code node} replaced its state machines from a snapshot: its lock mirror restarts from the lock table. */
    void onSnapshotRestored(final SimNode node)
    {
        sim.fault("snapshot:restore");
        final LockMirror mirror = new LockMirror(SimClient.LOCKS);
        for (int lock = 0; lock < SimClient.LOCKS; lock++)
        {
            final byte[] q = LockCommands.holder("lock-" + lock);
            node.host.query(new org.agrona.concurrent.UnsafeBuffer(q), 0, q.length);
            final org.agrona.DirectBuffer r = node.host.result();
            if (node.host.resultLength() == 17 && r.getByte(0) == LockTable.HELD)
            {
                mirror.restore(lock, r.getLong(9, java.nio.ByteOrder.BIG_ENDIAN),
                    r.getLong(1, java.nio.ByteOrder.BIG_ENDIAN));
            }
        }
        lockMirrors[node.id] = mirror;
    }


    void onNodeDown(final int id)
    {
        final LeaseBelief b = lease[id];
        if (b != null && b.endNs() > sim.now())
        {
            lease[id] = new LeaseBelief(b.ballot(), b.startNs(), sim.now());
        }
    }

    /** Agreement and exactly-once, on every apply at every node. */
    void onApplied(final SimNode node, final long slot, final Entry entry, final int outcome,
        final org.agrona.DirectBuffer answer, final int answerOffset, final int answerLength)
    {
        final boolean effective = outcome == StateMachineHost.APPLIED || outcome == StateMachineHost.PENDING;
        if (outcome == StateMachineHost.APPLIED && entry.sequence() > 0 && entry.payloadLength() > 0 &&
            entry.payloadArray()[entry.payloadOffset()] == Machines.LOCKS)
        {
            onLockAnswer(node, entry.sessionId(), entry.sequence(), slot,
                SimResults.toLong(answer, answerOffset, answerLength));
        }
        final Entry first = chosen.get(slot);
        if (first == null)
        {
            chosen.put(slot, entry.copy());
        }
        if (first != null && !first.equals(entry))
        {
            sim.violation("agreement: n" + node.id + " applied " + entry + " at slot " + slot + " where " + first +
                " was applied before");
        }
        if (effective && entry.sequence() > 0)
        {
            final long key = (entry.sessionId() << 32) | entry.sequence();
            final Long at = effectiveSlot.putIfAbsent(key, slot);
            if (at != null && at != slot)
            {
                sim.violation("exactly-once: n" + node.id + " applied session " + entry.sessionId() + " seq " +
                    entry.sequence() + " at slot " + slot + ", already applied at slot " + at);
            }
        }
    }

    /** Single writer: only the leader of a ballot sends its accepts, and it never sends two values for a slot. */
    void onAcceptSent(final SimNode node, final long ballot, final long firstSlot, final Entry[] entries)
    {
        if (Ballot.nodeId(ballot) != node.id || node.core.role() != Role.LEADER || node.core.activeBallot() != ballot)
        {
            sim.violation("single writer: n" + node.id + " (" + node.core.role() + ") sent accept in ballot " +
                Ballot.toString(ballot));
        }
        for (int i = 0; i < entries.length; i++)
        {
            final Entry prior = proposed.putIfAbsent(new BallotSlot(ballot, firstSlot + i), entries[i]);
            if (prior != null && !prior.equals(entries[i]))
            {
                sim.violation("single writer: ballot " + Ballot.toString(ballot) + " proposed two values at slot " +
                    (firstSlot + i));
            }
        }
    }

    /** Lease exclusivity in true time, after every step of every node. */
    void observe(final SimNode node)
    {
        final int id = node.id;
        final long local = node.localNow();
        final long endLocal = node.core.leaseEndNs();
        final LeaseBelief prior = lease[id];
        if (node.core.role() == Role.LEADER && endLocal > local)
        {
            final long endTrue = node.clock.trueAt(endLocal);
            final long ballot = node.core.activeBallot();
            final LeaseBelief belief = prior != null && prior.ballot() == ballot && prior.endNs() >= sim.now() ?
                new LeaseBelief(ballot, prior.startNs(), Math.max(prior.endNs(), endTrue)) :
                new LeaseBelief(ballot, sim.now(), endTrue);
            lease[id] = belief;
            for (int other = 0; other < lease.length; other++)
            {
                final LeaseBelief o = lease[other];
                if (other != id && o != null && Math.max(o.startNs(), belief.startNs()) < Math.min(o.endNs(), belief.endNs()))
                {
                    sim.violation("lease exclusivity: n" + id + " (ballot " + Ballot.toString(ballot) + ") and n" + other +
                        " (ballot " + Ballot.toString(o.ballot()) + ") both hold a lease during true time [" +
                        Math.max(o.startNs(), belief.startNs()) / 1000 + "us, " +
                        Math.min(o.endNs(), belief.endNs()) / 1000 + "us)");
                }
            }
        }
        else if (prior != null && prior.endNs() > sim.now())
        {
            lease[id] = new LeaseBelief(prior.ballot(), prior.startNs(), sim.now());
        }
    }
}
