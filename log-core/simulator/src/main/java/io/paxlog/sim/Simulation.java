package io.paxlog.sim;

import io.paxlog.check.CheckResult;
import io.paxlog.check.KvKind;
import io.paxlog.check.KvOp;
import io.paxlog.check.LinearizabilityChecker;
import io.paxlog.core.Entry;
import io.paxlog.core.Invariants;
import io.paxlog.core.Membership;
import io.paxlog.core.PlantedBug;
import io.paxlog.core.Role;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One seed of the deterministic simulator: N nodes running the real protocol core in one thread with simulated
 * time, a seeded random source, a faulty network, per-node journals and clocks, concurrent clients, and the
 * invariant checks (agreement, durability, lease exclusivity, single writer, exactly-once, linearizability,
 * liveness after healing). With membership changes ({@link MembershipFaults}) nodes join with fresh ids and
 * removed ones stop; the checks cover every node that ever existed, and the end state is checked on the members
 * of the final configuration. The same seed always produces the same run.
 */
public final class Simulation
{
    /** What one seed found. */
    public record Result(long seed, List<String> violations, int opsChecked, String params, String trace,
        long simulatedMs, int leaseReads, Set<String> faults)
    {
        public boolean ok()
        {
            return violations.isEmpty();
        }
    }

    private static final int EV_DELIVER = 0;
    private static final int EV_TICK = 1;
    private static final int EV_SYNC = 2;
    private static final int EV_CLIENT = 3;
    private static final int EV_RETRY = 4;
    private static final int EV_NEMESIS = 5;
    private static final int EV_RESTART = 6;
    private static final int EV_RESUME = 7;
    private static final int EV_HEAL = 8;
    private static final int EV_CHECK_DONE = 9;
    private static final int EV_MEMBERSHIP = 10;

    private static final class Ev implements Comparable<Ev>
    {
        final long time;
        final long seq;
        final int type;
        final int a;
        final int b;
        final Object obj;

        Ev(final long time, final long seq, final int type, final int a, final int b, final Object obj)
        {
            this.time = time;
            this.seq = seq;
            this.type = type;
            this.a = a;
            this.b = b;
            this.obj = obj;
        }

        public int compareTo(final Ev o)
        {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    private record Acked(long sessionId, long sequence, long slot) { }

    private final long seed;
    private final SimParams params;
    private final SplittableRandom random;
    private final double driftFactor;
    private final StringBuilder trace;
    private final PriorityQueue<Ev> queue = new PriorityQueue<>();
    private final SimNode[] nodes;
    private final SimClient[] clients;
    private final Nemesis nemesis;
    /** Null unless the run has membership changes. */
    private final MembershipFaults membership;
    /** Ids of the nodes that exist and were not removed (the targets of faults); 0..N-1 without membership. */
    private int[] activeIds;
    private final boolean[][] blocked;
    private final long[][] stallUntil;
    private final List<String> violations = new ArrayList<>();
    private final List<KvOp> history = new ArrayList<>();
    private final List<Acked> acked = new ArrayList<>();
    /** Agreement, exactly-once, single writer, lease and lock exclusivity, observed as the run goes. */
    private final SafetyChecks safety;
    private int compactions;
    private final List<Long> recentValues = new ArrayList<>();
    private final Set<String> faults = new TreeSet<>();

    private long now;
    private long seq;
    private long healAtNs;
    private boolean healed;
    private long nextValue = 1;
    private int leaseReads;
    private int postHealGiveUps;
    private boolean finished;

    Simulation(final long seed, final SimParams params, final double driftFactor, final boolean tracing)
    {
        this.seed = seed;
        this.params = params;
        this.driftFactor = driftFactor;
        this.random = new SplittableRandom(seed);
        this.trace = tracing ? new StringBuilder() : null;
        final int n = params.nodes;
        final int capacity = params.idCapacity;
        this.blocked = new boolean[capacity][capacity];
        this.stallUntil = new long[capacity][capacity];
        this.safety = new SafetyChecks(this, capacity);
        this.nodes = new SimNode[capacity];
        for (int i = 0; i < n; i++)
        {
            nodes[i] = newNode(i);
        }
        updateActiveIds();
        this.clients = new SimClient[params.clients];
        for (int c = 0; c < params.clients; c++)
        {
            clients[c] = new SimClient(c, capacity + c, n, this, seed);
        }
        this.nemesis = new Nemesis(this, params, new SplittableRandom(seed * 31 + 7));
        this.membership = params.membership ?
            new MembershipFaults(this, params, new SplittableRandom(seed * 131 + 11)) : null;
    }

    private SimNode newNode(final int id)
    {
        final long offsetNs = random.nextLong(10_000_000_000L);
        return new SimNode(id, new SimClock(offsetNs, params.drawRate(random, driftFactor)), this, params, seed);
    }

    private void updateActiveIds()
    {
        int count = 0;
        final int[] ids = new int[nodes.length];
        for (final SimNode node : nodes)
        {
            if (node != null && node.state != SimNode.State.STOPPED)
            {
                ids[count++] = node.id;
            }
        }
        activeIds = java.util.Arrays.copyOf(ids, count);
    }

    /**
     * Runs one seed with the default fault mix; {@code nodes} 0 lets the seed choose; r/w 0 mean majority;
     * {@code membership} adds membership changes to the faults.
     */
    public static Result run(final long seed, final int nodes, final int r, final int w,
        final EnumSet<PlantedBug> planted, final double driftFactor, final boolean membership, final boolean tracing)
    {
        final SimParams params = SimParams.draw(seed, nodes, r, w, planted, membership);
        return new Simulation(seed, params, driftFactor, tracing).run();
    }

    Result run()
    {
        trace(-1, "params " + params.describe());
        fault("sync:" + params.syncMode.name().toLowerCase(java.util.Locale.ROOT));
        try
        {
            for (final int id : activeIds)
            {
                nodes[id].start();
            }
            for (final SimClient client : clients)
            {
                scheduleClient(client, random.nextLong(5_000_000L));
            }
            healAtNs = params.faultPhaseNs;
            schedule(random.nextLong(params.nemesisGapMaxNs), EV_NEMESIS, 0, 0, null);
            schedule(healAtNs, EV_HEAL, 0, 0, null);
            if (membership != null)
            {
                schedule(membership.drive(), EV_MEMBERSHIP, 0, 0, null);
            }
            final long endNs = healAtNs + params.livenessDeadlineNs;
            while (!queue.isEmpty() && violations.isEmpty() && !finished)
            {
                final Ev ev = queue.poll();
                if (ev.time > endNs)
                {
                    now = endNs;
                    break;
                }
                now = ev.time;
                dispatch(ev);
            }
            if (violations.isEmpty() && !finished)
            {
                violation("liveness: no convergence within " + params.livenessDeadlineNs / 1_000_000 +
                    " ms after healing (" + convergenceState() + ")");
            }
            if (violations.isEmpty())
            {
                finalChecks();
            }
        }
        catch (final Invariants.InvariantViolation ex)
        {
            violation("core " + ex.getMessage() + " at t=" + now / 1_000_000 + "ms");
        }
        catch (final RuntimeException ex)
        {
            final StackTraceElement at = ex.getStackTrace().length > 0 ? ex.getStackTrace()[0] : null;
            violation("crash: " + ex + " at " + at + " (t=" + now / 1_000_000 + "ms)");
        }
        final int opsChecked = history.size();
        return new Result(seed, List.copyOf(violations), opsChecked, params.describe(),
            trace == null ? "" : trace.toString(), now / 1_000_000, leaseReads, Set.copyOf(faults));
    }

    private void dispatch(final Ev ev)
    {
        switch (ev.type)
        {
            case EV_DELIVER:
                if (ev.a < nodes.length)
                {
                    if (nodes[ev.a] != null)
                    {
                        nodes[ev.a].deliver(ev.b, (Msg)ev.obj);
                    }
                }
                else
                {
                    clients[ev.a - nodes.length].onMessage(ev.b, (Msg)ev.obj);
                }
                break;
            case EV_TICK:
                nodes[ev.a].onTickEvent(ev.b);
                break;
            case EV_SYNC:
                nodes[ev.a].onSyncDone(ev.b);
                break;
            case EV_CLIENT:
                ((SimClient)ev.obj).onWake();
                break;
            case EV_RETRY:
                ((SimClient)ev.obj).retryNow(ev.a);
                break;
            case EV_NEMESIS:
                if (!healed)
                {
                    schedule(now + nemesis.step(), EV_NEMESIS, 0, 0, null);
                }
                break;
            case EV_RESTART:
                if (nodes[ev.a].state == SimNode.State.DOWN)
                {
                    trace(ev.a, "restart");
                    nodes[ev.a].start();
                }
                break;
            case EV_RESUME:
                nodes[ev.a].resume();
                break;
            case EV_HEAL:
                heal();
                break;
            case EV_CHECK_DONE:
                checkDone();
                break;
            case EV_MEMBERSHIP:
                schedule(now + membership.drive(), EV_MEMBERSHIP, 0, 0, null);
                break;
            default:
                throw new IllegalStateException("event " + ev.type);
        }
    }

    // ------------------------------------------------------------------ scheduling and network

    long now()
    {
        return now;
    }

    SplittableRandom random()
    {
        return random;
    }

    double driftFactor()
    {
        return driftFactor;
    }

    SimNode node(final int id)
    {
        return nodes[id];
    }

    /** Ids of the nodes that exist and were not removed, in id order (do not modify). */
    int[] activeIds()
    {
        return activeIds;
    }

    MembershipFaults membership()
    {
        return membership;
    }

    /**
     * Where a client tries next after {@code id}: the next node id, cyclically (a client's member list stays up to
     * date with membership changes: removed members leave it, added ones join it).
     */
    int nextContact(final int id)
    {
        if (membership == null)
        {
            return (id + 1) % nodes.length;
        }
        for (int i = 1; i <= nodes.length; i++)
        {
            final SimNode next = nodes[(id + i) % nodes.length];
            if (next != null && next.state != SimNode.State.STOPPED)
            {
                return next.id;
            }
        }
        return id;
    }

    /** Starts a brand-new node {@code id} that joins the cluster (its change is requested next). */
    void addNode(final int id)
    {
        Invariants.check(nodes[id] == null, "node id reused: ", id);
        nodes[id] = newNode(id);
        updateActiveIds();
        trace(id, "new node joins (initial members " + params.initialMembership() + ")");
        nodes[id].start();
    }

    /** A removed member's process stops for good. */
    void stopNode(final int id)
    {
        nodes[id].stop();
        updateActiveIds();
    }

    boolean mayLoseForGood(final int id)
    {
        return membership.mayLoseForGood(id);
    }

    void onConfigApplied(final SimNode node, final long slot, final Membership m)
    {
        if (membership != null)
        {
            membership.onConfigApplied(slot, m);
        }
    }

    void onMembershipChangeEnded(final int node, final long requestId, final boolean done, final String detail)
    {
        trace(node, "membership request " + requestId + (done ? " done: " : " failed: ") + detail);
        if (!done)
        {
            fault("membership:change-failed");
        }
    }

    private void schedule(final long time, final int type, final int a, final int b, final Object obj)
    {
        queue.add(new Ev(time, seq++, type, a, b, obj));
    }

    void scheduleTick(final int node, final int incarnation, final long time)
    {
        schedule(time, EV_TICK, node, incarnation, null);
    }

    void scheduleSyncDone(final int node, final int incarnation, final long time)
    {
        schedule(time, EV_SYNC, node, incarnation, null);
    }

    void scheduleClient(final SimClient client, final long time)
    {
        schedule(time, EV_CLIENT, 0, 0, client);
    }

    void scheduleRetry(final SimClient client, final int attempt, final long time)
    {
        schedule(time, EV_RETRY, attempt, 0, client);
    }

    /** Sends a message over the simulated network with this seed's loss, duplication, delay and partitions. */
    void send(final int from, final int to, final Msg msg)
    {
        final int n = nodes.length;
        if (from < n && to < n && blocked[from][to])
        {
            return;
        }
        if (!healed && random.nextDouble() < params.loss)
        {
            fault("loss");
            return;
        }
        final int copies = !healed && random.nextDouble() < params.duplication ? 2 : 1;
        if (copies > 1)
        {
            fault("duplication");
        }
        for (int i = 0; i < copies; i++)
        {
            long delay = params.delayBaseNs + (long)(random.nextDouble() * random.nextDouble() * params.delayJitterNs);
            if (!healed && random.nextDouble() < params.longDelayProbability)
            {
                delay += random.nextLong(40_000_000L);
                fault("long-delay");
            }
            long at = now + delay;
            if (from < n && to < n && stallUntil[from][to] > at)
            {
                at = stallUntil[from][to] + random.nextLong(1_000_000L);
                fault("stall");
            }
            schedule(at, EV_DELIVER, to, from, msg);
        }
    }

    // ------------------------------------------------------------------ faults

    void setPartition(final boolean[][] newBlocked, final String what)
    {
        for (int i = 0; i < nodes.length; i++)
        {
            System.arraycopy(newBlocked[i], 0, blocked[i], 0, nodes.length);
        }
        trace(-1, "partition: " + what);
    }

    void healPartition()
    {
        for (final boolean[] row : blocked)
        {
            java.util.Arrays.fill(row, false);
        }
        trace(-1, "partition healed");
    }

    void crash(final int id, final boolean machine, final long downForNs)
    {
        if (!nodes[id].running())
        {
            return;
        }
        nodes[id].crash(machine);
        fault(machine ? "crash:machine" : "crash:process");
        schedule(now + downForNs, EV_RESTART, id, 0, null);
    }

    void crashPermanently(final int id)
    {
        nodes[id].crash(true);
        nodes[id].state = SimNode.State.LOST;
        fault("crash:machine-lost");
        trace(id, "machine lost for good (sync none: rejoins only as a new member)");
    }

    /**
     * Node {@code id}'s machine comes back at once with a new, empty disk and its node is started: it refuses (its
     * identity check, as a real node's) and stays down for good, unless a planted bug lets it start as itself.
     */
    void replaceDisk(final int id)
    {
        final SimNode node = nodes[id];
        if (node.running())
        {
            node.crash(true);
        }
        node.replaceDisk();
        fault("crash:disk-replaced");
        trace(id, "disk replaced: the machine comes back with an empty disk");
        node.start();
    }

    void pause(final int id, final long forNs)
    {
        if (nodes[id].state == SimNode.State.UP)
        {
            nodes[id].pause();
            fault("pause");
            schedule(now + forNs, EV_RESUME, id, 0, null);
        }
    }

    void stall(final int from, final int to, final long untilNs)
    {
        stallUntil[from][to] = Math.max(stallUntil[from][to], untilNs);
    }

    void setRate(final int id, final double rate)
    {
        nodes[id].clock.setRate(now, rate);
        fault("drift");
        trace(id, String.format("clock rate %.5f", rate));
    }

    private void heal()
    {
        healed = true;
        trace(-1, "heal: partitions, stalls, loss and duplication end; crashed nodes restart; paused resume");
        healPartition();
        for (final long[] row : stallUntil)
        {
            java.util.Arrays.fill(row, 0);
        }
        for (final SimNode node : nodes)
        {
            if (node == null)
            {
                continue;
            }
            if (node.state == SimNode.State.PAUSED)
            {
                node.resume();
            }
            else if (node.state == SimNode.State.DOWN)
            {
                node.start();
            }
        }
        schedule(now + params.clientStopAfterHealNs, EV_CHECK_DONE, 1, 0, null);
    }

    private void checkDone()
    {
        for (final SimClient client : clients)
        {
            client.stop();
        }
        boolean idle = true;
        for (final SimClient client : clients)
        {
            idle &= !client.busy();
        }
        if (idle && converged())
        {
            finished = true;
            return;
        }
        schedule(now + 20_000_000L, EV_CHECK_DONE, 0, 0, null);
    }

    private boolean converged()
    {
        if (membership != null && !membership.settled())
        {
            return false;
        }
        long maxCommit = 0;
        boolean leader = false;
        for (final SimNode node : finalNodes())
        {
            maxCommit = Math.max(maxCommit, node.core.commitSlot());
            leader |= node.core.role() == Role.LEADER;
        }
        if (!leader)
        {
            return false;
        }
        for (final SimNode node : finalNodes())
        {
            if (node.core.appliedSlot() != maxCommit)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The up nodes whose end state is checked: every one without membership changes, else the members of the log's
     * latest committed configuration (a removed member that still runs stopped applying when it was removed).
     */
    private List<SimNode> finalNodes()
    {
        final List<SimNode> list = new ArrayList<>();
        for (final SimNode node : nodes)
        {
            if (node != null && node.state == SimNode.State.UP &&
                (membership == null || membership.committed().isMember(node.id)))
            {
                list.add(node);
            }
        }
        return list;
    }

    private String convergenceState()
    {
        final StringBuilder sb = new StringBuilder();
        for (final SimNode node : nodes)
        {
            if (node == null)
            {
                continue;
            }
            sb.append('n').append(node.id).append('=').append(node.state);
            if (node.core != null)
            {
                sb.append('/').append(node.core.role()).append(" applied=").append(node.core.appliedSlot());
            }
            sb.append(' ');
        }
        for (final SimClient c : clients)
        {
            sb.append("c").append(c.index).append(c.busy() ? "=busy " : "=idle ");
        }
        return sb.toString().trim();
    }

    // ------------------------------------------------------------------ checks

    /**
     * Whether the command of ({@code sessionId}, {@code sequence}) is a large one: one in four when the seed drew
     * large commands, by a hash of the two (so no random draw changes for other seeds, and a retry is the same size).
     */
    boolean largeCommand(final long sessionId, final long sequence)
    {
        return params.largeCommands && ((sessionId * 0x9E3779B97F4A7C15L + sequence * 0xC2B2AE3D27D4EB4FL) >>> 62) == 0;
    }

    /** The checks of every step ({@link SafetyChecks}). */
    SafetyChecks safety()
    {
        return safety;
    }

    long uniqueValue()
    {
        final long v = nextValue++;
        recentValues.add(v);
        return v;
    }

    long recentValue(final SplittableRandom rnd)
    {
        return recentValues.isEmpty() ? 0 : recentValues.get(recentValues.size() - 1 - rnd.nextInt(Math.min(5, recentValues.size())));
    }

    void record(final KvOp op, final long sessionId, final long sequence, final long slot, final boolean sessionClosed)
    {
        history.add(op);
        if (!op.returned() && !sessionClosed && healed && op.invokeNs() >= healAtNs + SimClient.OP_DEADLINE_NS / 2)
        {
            violation("liveness: client " + op.client() + " gave up an operation invoked " +
                (op.invokeNs() - healAtNs) / 1_000_000 + " ms after healing");
        }
        if (op.returned() && slot > 0 && op.kind() != KvKind.READ)
        {
            acked.add(new Acked(sessionId, sequence, slot));
        }
        trace(nodes.length + op.client(), (op.returned() ? "done " : "gave up ") + op.kind() + " k=" + op.key() +
            " a=" + op.arg1() + " b=" + op.arg2() + " -> " + op.result() + (slot > 0 ? " @slot " + slot : ""));
    }

    /** A client gave up a lock operation: a liveness failure if the cluster had healed long before. */
    void lockOpGaveUp(final int client, final long invokeNs)
    {
        if (healed && invokeNs >= healAtNs + SimClient.OP_DEADLINE_NS / 2)
        {
            violation("liveness: client " + client + " gave up a lock operation invoked " +
                (invokeNs - healAtNs) / 1_000_000 + " ms after healing");
        }
    }

    void onCompacted(final int node, final long slot)
    {
        compactions++;
        fault("snapshot:compaction");
        trace(node, "snapshot and compaction at slot " + slot);
    }

    void onReadIndexRead(final int node)
    {
        fault("read:read-index");
    }

    void onLeaseRead(final int node)
    {
        leaseReads++;
    }

    void onNodeStart(final int id)
    {
        safety.onNodeStart(id);
        trace(id, "start");
    }

    private void finalChecks()
    {
        for (final Acked a : acked)
        {
            final Entry e = safety.chosen(a.slot());
            if (e == null || e.sessionId() != a.sessionId() || e.sequence() != a.sequence())
            {
                violation("durability: acknowledged session " + a.sessionId() + " seq " + a.sequence() + " at slot " +
                    a.slot() + " is not in the final log (found " + e + ")");
                return;
            }
        }
        if (membership != null)
        {
            final String problem = membership.finalProblem();
            if (problem != null)
            {
                violation("membership: " + problem);
                return;
            }
        }
        String digest = null;
        SimNode reference = null;
        for (final SimNode node : finalNodes())
        {
            final io.paxlog.sm.SnapshotWriter w = new io.paxlog.sm.SnapshotWriter();
            node.host.snapshot(w);
            final String d = java.util.Arrays.toString(java.util.Arrays.copyOf(w.buffer().byteArray(), w.length()));
            if (digest != null && !digest.equals(d))
            {
                violation("replicas differ after convergence at n" + node.id + " (its state is not n" + reference.id +
                    "'s; both applied up to slot " + node.core.appliedSlot() + ")");
                return;
            }
            digest = d;
            reference = node;
        }
        final CheckResult lin = LinearizabilityChecker.checkKv(history, 2_000_000L);
        if (!lin.linearizable())
        {
            violation((lin.timedOut() ? "linearizability check budget exceeded: " : "linearizability: ") + lin.explanation());
        }
    }

    /** Records that a kind of fault was exercised in this seed (the coverage of a run). */
    void fault(final String kind)
    {
        faults.add(kind);
    }

    void violation(final String what)
    {
        if (violations.size() < 5 && !violations.contains(what))
        {
            violations.add(what);
        }
        trace(-1, "VIOLATION " + what);
    }

    void trace(final int who, final String what)
    {
        if (trace != null)
        {
            trace.append(String.format("%9.3fms ", now / 1e6));
            if (who < 0)
            {
                trace.append("sim ");
            }
            else if (who < nodes.length)
            {
                trace.append('n').append(who).append("  ");
            }
            else
            {
                trace.append('c').append(who - nodes.length).append("  ");
            }
            trace.append(what).append('\n');
        }
    }
}
