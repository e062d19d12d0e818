package io.paxlog.sim;

import io.paxlog.core.Membership;
import io.paxlog.core.Role;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The membership changes of one seed (with {@code --membership}): the nemesis starts one change at a time (add a
 * fresh member, remove a voter, or replace one, above all a member whose machine was lost for good), and this
 * class drives it to the end: it asks the current leader ({@code requestMembershipChange}) and asks again, every
 * few tens of milliseconds, while the leader has no change in progress and the change is not committed (refused,
 * failed, leadership lost). A change is done when the log's latest committed configuration (as applied by any
 * node) shows it. A removed member keeps running until every voter of the new configuration that still exists
 * has committed the change, then it stops for good (until then no node is lost for good).
 *
 * <p>Bounds: the voters stay within {@link SimParams#VOTERS_MIN}..{@link SimParams#VOTERS_MAX}; every added member
 * takes a fresh id, at most {@link SimParams#EXTRA_IDS} of them; a change never leaves fewer live voters than a
 * quorum of either configuration, and a node is lost for good only if both the committed configuration and the
 * one a change in flight aims at keep a quorum of live voters ({@link #mayLoseForGood}). A member being added is
 * never lost for good (its change could then never complete).
 */
final class MembershipFaults
{
    private static final byte[] TAIL = {'s', 'i', 'm'};

    /** The change in flight: {@code addId} and {@code removeId} are -1 when it does not add or remove. */
    private record Change(int addId, int removeId, String kind)
    {
        boolean doneIn(final Membership m)
        {
            return (addId < 0 || m.isVoter(addId)) && (removeId < 0 || !m.isMember(removeId));
        }

        /** The configuration the change aims at, from {@code m}, with majority quorums. */
        Membership target(final Membership m)
        {
            long voters = m.voters();
            if (addId >= 0)
            {
                voters |= 1L << addId;
            }
            if (removeId >= 0)
            {
                voters &= ~(1L << removeId);
            }
            final int majority = Long.bitCount(voters) / 2 + 1;
            return Membership.of(voters, 0, majority, majority);
        }
    }

    private final Simulation sim;
    private final SimParams params;
    private final SplittableRandom random;
    private final List<Integer> awaitingStop = new ArrayList<>();
    private Membership committed;
    private long committedSlot;
    private Change change;
    private int nextId;
    private long requests;
    private int changesDone;

    MembershipFaults(final Simulation sim, final SimParams params, final SplittableRandom random)
    {
        this.sim = sim;
        this.params = params;
        this.random = random;
        this.committed = params.initialMembership();
        this.nextId = params.nodes;
    }

    /** The latest configuration committed in the log (the one any node applied at the highest slot). */
    Membership committed()
    {
        return committed;
    }

    int changesDone()
    {
        return changesDone;
    }

    /** No change is in flight. */
    boolean settled()
    {
        return change == null;
    }

    /** {@code node} applied configuration {@code m} at {@code slot} (agreement is checked on every apply). */
    void onConfigApplied(final long slot, final Membership m)
    {
        if (slot > committedSlot)
        {
            committedSlot = slot;
            committed = m;
        }
    }

    /** A nemesis step: starts a change drawn with {@code rnd} unless one is in flight. */
    void start(final SplittableRandom rnd)
    {
        if (change != null)
        {
            return;
        }
        final long voters = committed.voters();
        final int v = committed.voterCount();
        final List<Integer> lost = new ArrayList<>();
        final List<Integer> all = new ArrayList<>();
        for (long rest = voters; rest != 0; rest &= rest - 1)
        {
            final int id = Long.numberOfTrailingZeros(rest);
            all.add(id);
            if (sim.node(id).state == SimNode.State.LOST)
            {
                lost.add(id);
            }
        }
        final boolean freshId = nextId < params.idCapacity;
        final List<String> kinds = new ArrayList<>();
        if (freshId && v < SimParams.VOTERS_MAX)
        {
            kinds.add("add");
        }
        if (v > SimParams.VOTERS_MIN)
        {
            kinds.add("remove");
        }
        if (freshId)
        {
            kinds.add("replace");
        }
        if (kinds.isEmpty())
        {
            return;
        }
        String kind = kinds.get(rnd.nextInt(kinds.size()));
        if (!lost.isEmpty() && freshId && rnd.nextInt(10) < 7)
        {
            kind = "replace";
        }
        final int victim = kind.equals("add") ? -1 :
            (!lost.isEmpty() && rnd.nextInt(10) < 8 ? lost.get(rnd.nextInt(lost.size())) : all.get(rnd.nextInt(v)));
        final Change next = new Change(kind.equals("remove") ? -1 : nextId, victim,
            kind + (victim >= 0 && lost.contains(victim) ? "-lost" : ""));
        final Membership target = next.target(committed);
        final int lostAfter = lost.size() - (lost.contains(victim) ? 1 : 0);
        if (lostAfter > target.voterCount() - target.electionQuorum())
        {
            return; // the new configuration would have no live quorum
        }
        if (next.addId() >= 0)
        {
            nextId++;
            sim.addNode(next.addId());
        }
        change = next;
        sim.fault("membership:" + next.kind());
        if (victim >= 0 && sim.node(victim).running() && sim.node(victim).core.role() == Role.LEADER)
        {
            sim.fault("membership:remove-leader");
        }
        sim.trace(-1, "membership change: " + describe(next) + " (from " + committed + ")");
        drive();
    }

    /** Drives the change in flight and stops removed members; returns the delay until the next call. */
    long drive()
    {
        if (change != null && change.doneIn(committed))
        {
            sim.trace(-1, "membership change done: " + describe(change) + ", now " + committed);
            changesDone++;
            if (change.removeId() >= 0)
            {
                awaitingStop.add(change.removeId());
            }
            change = null;
        }
        if (change != null)
        {
            final SimNode leader = leader();
            if (leader != null && leader.core.membershipChangeInProgress() < 0)
            {
                final String refused = leader.requestMembershipChange(++requests, change.addId(), change.removeId(),
                    TAIL);
                sim.trace(leader.id, "membership request " + requests + " (" + describe(change) + ")" +
                    (refused == null ? "" : " refused: " + refused));
            }
        }
        stopRemovedMembers();
        return 20_000_000L + random.nextLong(40_000_000L);
    }

    /** A removed member stops once every voter of the configuration without it that still exists committed it. */
    private void stopRemovedMembers()
    {
        for (int i = awaitingStop.size() - 1; i >= 0; i--)
        {
            final int removed = awaitingStop.get(i);
            boolean everywhere = true;
            for (long rest = committed.voters(); rest != 0 && everywhere; rest &= rest - 1)
            {
                final SimNode voter = sim.node(Long.numberOfTrailingZeros(rest));
                if (voter.state != SimNode.State.LOST)
                {
                    everywhere = voter.running() && !voter.core.membership().isMember(removed);
                }
            }
            if (everywhere)
            {
                awaitingStop.remove(i);
                final SimNode node = sim.node(removed);
                if (node.state != SimNode.State.LOST)
                {
                    sim.trace(removed, "removed member stops");
                    sim.fault("membership:removed-stopped");
                    sim.stopNode(removed);
                }
            }
        }
    }

    /** The leader to ask: an up node leading, the highest ballot if several think they lead. */
    private SimNode leader()
    {
        SimNode best = null;
        for (final int id : sim.activeIds())
        {
            final SimNode n = sim.node(id);
            if (n.state == SimNode.State.UP && n.core.role() == Role.LEADER &&
                (best == null || n.core.activeBallot() > best.core.activeBallot()))
            {
                best = n;
            }
        }
        return best;
    }

    /**
     * Whether node {@code id} may crash for good (sync none): not while it is being added, not while a removal is
     * in flight or some voter may not have committed one yet (a voter whose commit point is older than the removal
     * still needs a quorum of the configuration with the removed member: lose that member and another one, and it
     * can never win an election, docs/membership.md rule 7; seed 1363 of 3 nodes showed exactly that), and only if
     * the committed configuration and the one the change in flight aims at each keep a quorum of live voters.
     */
    boolean mayLoseForGood(final int id)
    {
        if ((change != null && (change.addId() == id || change.removeId() >= 0)) || !awaitingStop.isEmpty())
        {
            return false;
        }
        return keepsQuorum(committed, id) && (change == null || keepsQuorum(change.target(committed), id));
    }

    private boolean keepsQuorum(final Membership m, final int losing)
    {
        if (!m.isVoter(losing))
        {
            return true;
        }
        int lost = 1;
        for (long rest = m.voters(); rest != 0; rest &= rest - 1)
        {
            final int id = Long.numberOfTrailingZeros(rest);
            if (id != losing && sim.node(id).state == SimNode.State.LOST)
            {
                lost++;
            }
        }
        return lost <= m.voterCount() - Math.max(m.electionQuorum(), m.acceptQuorum());
    }

    /** Why the end state is wrong, or null: every member of the final configuration that runs holds it. */
    String finalProblem()
    {
        if (committed.voterCount() < SimParams.VOTERS_MIN || committed.voterCount() > SimParams.VOTERS_MAX)
        {
            return "final configuration " + committed + " has " + committed.voterCount() + " voters";
        }
        for (long rest = committed.members(); rest != 0; rest &= rest - 1)
        {
            final SimNode n = sim.node(Long.numberOfTrailingZeros(rest));
            if (n.running() && (!committed.equals(n.core.membership()) || !committed.equals(n.appliedMembership())))
            {
                return "configuration differs at n" + n.id + ": core " + n.core.membership() + ", applied " +
                    n.appliedMembership() + ", log " + committed;
            }
        }
        return null;
    }

    private static String describe(final Change c)
    {
        return c.kind() + " (" + (c.addId() >= 0 ? "+n" + c.addId() : "") + (c.addId() >= 0 && c.removeId() >= 0 ?
            " " : "") + (c.removeId() >= 0 ? "-n" + c.removeId() : "") + ")";
    }
}
