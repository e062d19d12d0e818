package io.paxlog.ops.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * Injects faults into a running cluster and heals them, in two lanes (network; process and clock), each cycling
 * "pick a fault, hold it, heal it, stay quiet". Every fault is recorded in the {@link History}. Network faults are
 * iptables rules in a chain of the campaign's own ({@code PXFAULT}, jumped to from INPUT) and an nft table
 * ({@code pxdup}) inside the members' namespaces, so healing is flushing them and clean-up is deleting them.
 *
 * <p>Faults pick hosts by slot ({@link CurrentMembers}): network faults act on a slot's namespace and address, process
 * faults on the member in that slot now (after a replacement, the new member). A process fault {@link
 * CurrentMembers#claim claims} its member while it acts, and skips a member claimed already (one being replaced).
 */
final class Nemesis
{
    static final String CHAIN = "PXFAULT";
    static final String NFT_TABLE = "pxdup";
    /** The clock rate of clock-skew-beyond. */
    static final double SLOW_RATE = 0.2;
    static final String FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

    private final ClusterFile cluster;
    private final CurrentMembers members;
    private final Shell shell;
    private final History history;
    /** The id of the member leading now, or -1. */
    private final IntSupplier leader;
    private final String opsCluster;
    private final List<FaultKind> kinds;
    private final long seed;
    private final long leaseMs;
    /** How long a leader may go without hearing a lease quorum before it steps down (lease + election timeout). */
    private final long silenceMs;
    private final double driftBound;
    private volatile boolean running = true;
    private final List<Thread> lanes = new ArrayList<>();

    Nemesis(final ClusterFile cluster, final CurrentMembers members, final Shell shell, final History history,
        final IntSupplier leader, final String opsCluster, final List<FaultKind> kinds, final long seed)
    {
        this.cluster = cluster;
        this.members = members;
        this.shell = shell;
        this.history = history;
        this.leader = leader;
        this.opsCluster = opsCluster;
        this.kinds = kinds;
        this.seed = seed;
        this.leaseMs = Math.max(1, cluster.leaseTimeoutNs() / 1_000_000);
        this.silenceMs = Math.max(1, (cluster.leaseTimeoutNs() + cluster.electionTimeoutNs()) / 1_000_000);
        this.driftBound = cluster.clockDriftPpm() / 1e6;
    }

    /** Creates the iptables chain in every member namespace (network faults need namespace hosts). */
    void setUp()
    {
        if (!cluster.onNamespaceHosts())
        {
            return;
        }
        for (int m = 0; m < members.size(); m++)
        {
            ns(m, "iptables", "-N", CHAIN);
            if (!ns(m, "iptables", "-C", "INPUT", "-j", CHAIN))
            {
                ns(m, "iptables", "-I", "INPUT", "-j", CHAIN);
            }
        }
    }

    void start()
    {
        for (final FaultKind.Lane lane : FaultKind.Lane.values())
        {
            final List<FaultKind> mine = new ArrayList<>();
            for (final FaultKind k : kinds)
            {
                if (k.lane() == lane)
                {
                    mine.add(k);
                }
            }
            if (!mine.isEmpty())
            {
                final Thread t = new Thread(() -> lane(mine, new SplittableRandom(seed * 7 + lane.ordinal())),
                    "campaign-nemesis-" + lane.name().toLowerCase());
                lanes.add(t);
                t.start();
            }
        }
    }

    /** Stops both lanes; each heals the fault it holds before it ends. */
    void stop() throws InterruptedException
    {
        running = false;
        for (final Thread t : lanes)
        {
            t.interrupt();
        }
        for (final Thread t : lanes)
        {
            t.join(60_000);
        }
    }

    /** Heals everything the campaign may have done: rules, paused or dead (current) members; idempotent. */
    void healAll()
    {
        healNetwork();
        clearShim();
        for (final int id : members.ids())
        {
            final long pid = cluster.pid(id);
            if (pid > 0)
            {
                shell.run(5_000, List.of("kill", "-CONT", Long.toString(pid)));
            }
            if (!alive(id))
            {
                startNode(id, Map.of());
            }
        }
    }

    /** Removes the chain, its INPUT jump and the nft table from every member namespace. */
    void tearDown()
    {
        if (!cluster.onNamespaceHosts())
        {
            return;
        }
        healNetwork();
        for (int m = 0; m < members.size(); m++)
        {
            while (ns(m, "iptables", "-D", "INPUT", "-j", CHAIN))
            {
                // remove every jump
            }
            ns(m, "iptables", "-X", CHAIN);
        }
    }

    private void lane(final List<FaultKind> mine, final SplittableRandom random)
    {
        sleepMs(1_000 + random.nextInt(2_000));
        while (running)
        {
            final FaultKind kind = mine.get(random.nextInt(mine.size()));
            final long holdMs = 2_000 + random.nextInt(4_000);
            final int before = history.faults().size();
            try
            {
                inject(kind, holdMs, random);
            }
            catch (final RuntimeException ex)
            {
                // heal what this lane may have applied, and close the fault's record as failed
                if (kind.lane() == FaultKind.Lane.NET)
                {
                    healNetwork();
                }
                if (kind.needsShim())
                {
                    clearShim();
                }
                final List<History.Fault> faults = history.faults();
                for (int i = before; i < faults.size(); i++)
                {
                    if (faults.get(i).name().equals(kind.cliName()) && faults.get(i).endNs() < 0)
                    {
                        history.faultFailed(i, ex.getMessage());
                    }
                }
            }
            sleepMs(1_500 + random.nextInt(2_500));
        }
    }

    /** Applies one fault, holds it (cut short when the campaign stops) and heals it. */
    private void inject(final FaultKind kind, final long holdMs, final SplittableRandom random)
    {
        if (kind.lane() == FaultKind.Lane.NET)
        {
            injectNetwork(kind, holdMs, random);
            return;
        }
        final int victim = processVictim(kind, random);
        if (!members.claim(victim))
        {
            return; // being replaced: left alone
        }
        try
        {
            injectProcess(kind, victim, holdMs, random);
        }
        finally
        {
            members.release(victim);
        }
    }

    /** The member (id) a process fault acts on: the leader for "-leader" faults (when known), else any. */
    private int processVictim(final FaultKind kind, final SplittableRandom random)
    {
        final int any = members.id(random.nextInt(members.size()));
        final boolean leaderFault = kind == FaultKind.KILL_LEADER || kind == FaultKind.PAUSE_LEADER ||
            kind == FaultKind.DELAY_LEADER;
        final int l = leader.getAsInt();
        return leaderFault && l >= 0 && members.slotOf(l) >= 0 ? l : any;
    }

    /** A network fault: the members' hosts (slots), by their namespaces and addresses. */
    private void injectNetwork(final FaultKind kind, final long holdMs, final SplittableRandom random)
    {
        final int n = members.size();
        final int any = random.nextInt(n);
        final int target = leaderSlotOr(any);
        switch (kind)
        {
            case PARTITION_ONE -> partitioned(kind, "member " + members.id(any) + " isolated", isolate(any), holdMs);
            case PARTITION_LEADER -> partitioned(kind, "leader " + members.id(target) + " isolated", isolate(target),
                holdMs);
            case PARTITION_HALVES ->
            {
                final int[] order = shuffled(n, random);
                final List<int[]> cuts = new ArrayList<>();
                final int minority = n / 2;
                for (int i = 0; i < minority; i++)
                {
                    for (int j = minority; j < n; j++)
                    {
                        cuts.add(new int[] {order[i], order[j]});
                    }
                }
                partitioned(kind, "minority " + describe(order, 0, minority) + " | majority " +
                    describe(order, minority, n), cuts, holdMs);
            }
            case PARTITION_BRIDGE ->
            {
                final int[] order = shuffled(n, random);
                final int half = (n - 1) / 2;
                final List<int[]> cuts = new ArrayList<>();
                for (int i = 0; i < half; i++)
                {
                    for (int j = half; j < n - 1; j++)
                    {
                        cuts.add(new int[] {order[i], order[j]});
                    }
                }
                partitioned(kind, describe(order, 0, half) + " | " + describe(order, half, n - 1) + ", bridge " +
                    members.id(order[n - 1]), cuts, holdMs);
            }
            case PARTITION_ONEWAY ->
            {
                final int index = history.faultStarted(kind.cliName(), "member " + members.id(target) +
                    " hears no member");
                for (int m = 0; m < n; m++)
                {
                    if (m != target)
                    {
                        drop(target, m);
                    }
                }
                hold(holdMs);
                healNetwork();
                history.faultEnded(index);
            }
            case LOSS ->
            {
                final double p = 0.05 + random.nextDouble() * 0.25;
                final int index = history.faultStarted(kind.cliName(), String.format("%.0f%% inbound loss", p * 100));
                for (int m = 0; m < n; m++)
                {
                    ns(m, "iptables", "-A", CHAIN, "-m", "statistic", "--mode", "random", "--probability",
                        String.format("%.3f", p), "-j", "DROP");
                }
                hold(holdMs);
                healNetwork();
                history.faultEnded(index);
            }
            case DUP ->
            {
                final int index = history.faultStarted(kind.cliName(), "member-to-member UDP sent twice");
                for (int m = 0; m < n; m++)
                {
                    duplicate(m);
                }
                hold(holdMs);
                healNetwork();
                history.faultEnded(index);
            }
            case SLOW_PARTITION -> slowPartition(kind, target, holdMs, random);
            default -> throw new IllegalStateException("unhandled fault " + kind);
        }
    }

    /**
     * Acks late by most of the leader's quorum-silence limit (lease + election timeout), so it keeps leading, yet the
     * acks still held when the cut comes arrive about when a new leader could be serving: a lease measured from
     * receive times (not the echoed send times) would then overlap it.
     */
    private void slowPartition(final FaultKind kind, final int slot, final long holdMs, final SplittableRandom random)
    {
        final int id = members.id(slot);
        final long delayMs = silenceMs * 55 / 100 + random.nextInt((int)Math.max(1, silenceMs / 5));
        final int index = history.faultStarted(kind.cliName(), "leader " + id + " inbound delayed " +
            delayMs + " ms, then isolated");
        shim(id, delayMs, delayMs / 10, holdMs + 2_000);
        hold(1_000);
        for (final int[] cut : isolate(slot))
        {
            drop(cut[0], cut[1]);
            drop(cut[1], cut[0]);
        }
        hold(holdMs);
        healNetwork();
        clearShim();
        history.faultEnded(index);
    }

    /** A process or clock fault on member {@code victim} (an id, claimed by the caller). */
    private void injectProcess(final FaultKind kind, final int victim, final long holdMs,
        final SplittableRandom random)
    {
        switch (kind)
        {
            case KILL, KILL_LEADER ->
            {
                final int index = history.faultStarted(kind.cliName(), "member " + victim + " killed (SIGKILL)");
                ops("kill", victim);
                hold(holdMs);
                startNode(victim, Map.of());
                history.faultEnded(index);
            }
            case PAUSE, PAUSE_LEADER ->
            {
                final long pauseMs = 3 * leaseMs + random.nextInt((int)(10 * leaseMs));
                final long pid = cluster.pid(victim);
                final int index = history.faultStarted(kind.cliName(), "member " + victim + " stopped " + pauseMs +
                    " ms (SIGSTOP)");
                shell.run(5_000, List.of("kill", "-STOP", Long.toString(pid)));
                hold(pauseMs);
                shell.run(5_000, List.of("kill", "-CONT", Long.toString(pid)));
                history.faultEnded(index);
            }
            case DELAY_LEADER ->
            {
                final long delayMs = 5 + random.nextInt((int)(2 * leaseMs));
                final int index = history.faultStarted(kind.cliName(), "leader " + victim + " inbound delayed " +
                    delayMs + " ms +- " + delayMs / 2 + " ms");
                shim(victim, delayMs, delayMs / 2, holdMs);
                hold(holdMs);
                clearShim();
                history.faultEnded(index);
            }
            case CLOCK_OFFSET ->
            {
                final long offsetS = (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(30));
                restartedUnder(kind, victim, "monotonic clock offset " + offsetS + " s",
                    Map.of("PAXLOG_NODE_WRAP", "unshare --time --monotonic " + offsetS + " --boottime " + offsetS),
                    holdMs * 2);
            }
            case CLOCK_SKEW ->
            {
                final double rate = 1 + (random.nextDouble() * 2 - 1) * driftBound * 0.8;
                restartedUnder(kind, victim, String.format("clock rate x%.4f (bound %.3f)", rate, driftBound),
                    faketime(rate), holdMs * 2);
            }
            case CLOCK_SKEW_BEYOND -> slowLeaderCutOff(kind, victim, holdMs);
            default -> throw new IllegalStateException("unhandled fault " + kind);
        }
    }

    /**
     * The lease's one assumption broken on purpose: member {@code member} is restarted with its clock at a fifth of
     * its speed (an 80 % rate error, sixteen times the default drift bound), made leader by killing whoever leads
     * instead (up to five times), then cut off from the other members while clients still reach it. A leader whose
     * clock runs five times slow believes in its lease for five times as long as the others honour it: about 940
     * ms of real time against 200 with the defaults, long enough for a new leader to acknowledge writes meanwhile.
     */
    private void slowLeaderCutOff(final FaultKind kind, final int member, final long holdMs)
    {
        final int index = history.faultStarted(kind.cliName(), "member " + member + " at clock rate x" + SLOW_RATE + ", made " +
            "leader, then isolated");
        ops("kill", member);
        startNode(member, faketime(SLOW_RATE));
        for (int attempt = 0; attempt < 5 && running; attempt++)
        {
            hold(3_000);
            final int current = leader.getAsInt();
            if (current == member)
            {
                break;
            }
            if (current >= 0 && members.claim(current))
            {
                try
                {
                    ops("kill", current);
                    hold(1_000);
                    startNode(current, Map.of());
                }
                finally
                {
                    members.release(current);
                }
            }
        }
        if (leader.getAsInt() == member && members.slotOf(member) >= 0)
        {
            for (final int[] cut : isolate(members.slotOf(member)))
            {
                drop(cut[0], cut[1]);
                drop(cut[1], cut[0]);
            }
            hold(holdMs);
            healNetwork();
        }
        ops("kill", member);
        startNode(member, Map.of());
        history.faultEnded(index);
    }

    private Map<String, String> faketime(final double rate)
    {
        return Map.of("PAXLOG_NODE_WRAP", "env LD_PRELOAD=" + FAKETIME_LIB + " FAKETIME=+0x" +
            String.format("%.4f", rate));
    }

    private void restartedUnder(final FaultKind kind, final int member, final String detail,
        final Map<String, String> env, final long holdMs)
    {
        final int index = history.faultStarted(kind.cliName(), "member " + member + " restarted with " + detail);
        ops("kill", member);
        startNode(member, env);
        hold(holdMs);
        ops("kill", member);
        startNode(member, Map.of());
        history.faultEnded(index);
    }

    private void partitioned(final FaultKind kind, final String detail, final List<int[]> cuts, final long holdMs)
    {
        final int index = history.faultStarted(kind.cliName(), detail);
        for (final int[] cut : cuts)
        {
            drop(cut[0], cut[1]);
            drop(cut[1], cut[0]);
        }
        hold(holdMs);
        healNetwork();
        history.faultEnded(index);
    }

    /** The cuts (pairs of slots) isolating slot {@code slot} from every other slot. */
    private List<int[]> isolate(final int slot)
    {
        final List<int[]> cuts = new ArrayList<>();
        for (int m = 0; m < members.size(); m++)
        {
            if (m != slot)
            {
                cuts.add(new int[] {slot, m});
            }
        }
        return cuts;
    }

    /** Slot {@code at} drops what arrives from slot {@code from}'s address. */
    private void drop(final int at, final int from)
    {
        ns(at, "iptables", "-A", CHAIN, "-s", members.member(from).host(), "-j", "DROP");
    }

    /** Slot {@code m} sends every UDP datagram to another member twice. */
    private void duplicate(final int m)
    {
        final String subnet = members.member(0).host().replaceAll("\\.\\d+$", ".0/24");
        ns(m, "nft", "add", "table", "ip", NFT_TABLE);
        ns(m, "nft", "add", "chain", "ip", NFT_TABLE, "out", "{ type filter hook output priority 0 ; }");
        ns(m, "nft", "add", "rule", "ip", NFT_TABLE, "out", "ip", "daddr", subnet, "ip", "daddr", "!=",
            clientAddressOr("0.0.0.0"), "meta", "l4proto", "udp", "dup", "to", "ip", "daddr", "device", "eth0");
    }

    private String clientAddressOr(final String fallback)
    {
        final String prefix = members.member(0).host().replaceAll("\\.\\d+$", ".");
        return cluster.clientNetns() == null ? fallback : prefix + "200";
    }

    private void healNetwork()
    {
        if (!cluster.onNamespaceHosts())
        {
            return;
        }
        for (int m = 0; m < members.size(); m++)
        {
            ns(m, "iptables", "-F", CHAIN);
            if (ns(m, "nft", "list", "table", "ip", NFT_TABLE))
            {
                ns(m, "nft", "delete", "table", "ip", NFT_TABLE);
            }
        }
    }

    /** Delays member {@code member}'s (id) inbound consensus frames with its fault shim. */
    private void shim(final int member, final long delayMs, final long jitterMs, final long durationMs)
    {
        members.admin().fault(member, delayMs * 1_000_000L, jitterMs * 1_000_000L, durationMs * 1_000_000L,
            2_000_000_000L);
    }

    private void clearShim()
    {
        if (!cluster.faultsEnabled())
        {
            return;
        }
        for (final int id : members.ids())
        {
            try
            {
                members.admin().fault(id, 0, 0, 0, 500_000_000L);
            }
            catch (final RuntimeException ex)
            {
                // a member that is down holds no delayed frames
            }
        }
    }

    /** Runs {@code command} in slot {@code slot}'s namespace. */
    private boolean ns(final int slot, final String... command)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", members.netns(slot)));
        cmd.addAll(List.of(command));
        return shell.run(10_000, cmd).ok();
    }

    private void ops(final String command, final int member)
    {
        shell.run(30_000, List.of(opsCluster, command, "--config", cluster.file().toString(), "--node",
            Integer.toString(member)));
    }

    private void startNode(final int member, final Map<String, String> env)
    {
        shell.run(60_000, env, List.of(opsCluster, "start", "--config", cluster.file().toString(), "--node",
            Integer.toString(member)));
    }

    private boolean alive(final int member)
    {
        final long pid = cluster.pid(member);
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The slot of the member leading now, else {@code fallback}. */
    private int leaderSlotOr(final int fallback)
    {
        final int slot = members.slotOf(leader.getAsInt());
        return slot >= 0 ? slot : fallback;
    }

    private static int[] shuffled(final int n, final SplittableRandom random)
    {
        final int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The ids of the members in slots {@code order[from..to)}. */
    private String describe(final int[] order, final int from, final int to)
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = from; i < to; i++)
        {
            sb.append(i == from ? "" : ",").append(members.id(order[i]));
        }
        return sb.append('}').toString();
    }

    /** Sleeps, returning early (without interrupt status) when the campaign stops, so the heal still runs. */
    private void hold(final long ms)
    {
        final long end = System.currentTimeMillis() + ms;
        while (running && System.currentTimeMillis() < end)
        {
            try
            {
                Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private void sleepMs(final long ms)
    {
        hold(ms);
    }
}
