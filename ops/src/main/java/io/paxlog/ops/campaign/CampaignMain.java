package io.paxlog.ops.campaign;

import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.client.AdminClient;
import io.paxlog.client.NodeStatusReport;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.LockResults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ops/campaign}: a Jepsen-style fault campaign against a running (or started here) Paxlog cluster, as a
 * cluster file describes it. Clients run a counter and lock workload and record every operation; a nemesis cycles
 * faults; halfway through, one member is replaced by a new one ({@link MemberReplacement}); at the end everything is
 * healed and the history is checked. Exit 0 only when every check holds, 1 when one fails, 2 on usage errors. See
 * docs/operations.md.
 */
@Command(name = "ops/campaign", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Attacks a Paxlog cluster with faults while clients work, then checks the recorded history.")
public final class CampaignMain implements Callable<Integer>
{
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The cluster file.")
    Path config;

    @Option(names = "--duration", required = true, paramLabel = "SECONDS",
        description = "How long the nemesis runs (10..86400).")
    int durationS;

    @Option(names = "--seed", paramLabel = "S", description = "Seed for the nemesis and workload (default: random).")
    Long seed;

    @Option(names = "--nemesis", paramLabel = "LIST", description = "Comma list of faults (default: every kind but " +
        "clock-skew-beyond; 'all' adds it; 'none' runs no faults). Kinds: ${COMPLETION-CANDIDATES}",
        completionCandidates = FaultNames.class)
    String nemesis;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: CLUSTER_DIR/campaign-TIME).")
    Path out;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "4", description = "Counter clients (default 4).")
    int counterClients;

    @Option(names = "--lock-clients", paramLabel = "N", defaultValue = "2", description = "Lock clients (default 2).")
    int lockClients;

    @Option(names = "--readers", paramLabel = "N", defaultValue = "2",
        description = "Clients doing only linearizable reads (default 2).")
    int readers;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "3",
        description = "Add-only keys and register keys, N of each (default 3).")
    int keys;

    @Option(names = "--locks", paramLabel = "N", defaultValue = "2", description = "Locks (default 2).")
    int locks;

    @Option(names = "--op-interval-ms", paramLabel = "MS", defaultValue = "10",
        description = "Mean pause between one client's operations (default 10).")
    int opIntervalMs;

    @Option(names = "--ops-max", paramLabel = "N", defaultValue = "2000000",
        description = "Bound on recorded operations; clients stop issuing past it (default 2,000,000).")
    int opsMax;

    @Option(names = "--keep-up", description = "Leave a cluster this campaign started running at the end.")
    boolean keepUp;

    @Option(names = "--no-replace", description = "Replace no member (default: halfway through, one member that is " +
        "up and does not lead is replaced by a new one on its host, with ops/cluster replace-member).")
    boolean noReplace;

    /** For picocli's completion candidates. */
    static final class FaultNames extends ArrayList<String>
    {
        private static final long serialVersionUID = 1L;

        FaultNames()
        {
            for (final FaultKind k : FaultKind.values())
            {
                add(k.cliName());
            }
        }
    }

    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code (2 for usage and configuration errors). */
    static int execute(final String... args)
    {
        final CommandLine cl = new CommandLine(new CampaignMain());
        cl.setParameterExceptionHandler((ex, a) ->
        {
            System.err.println("ops/campaign: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            if (ex instanceof IllegalArgumentException)
            {
                System.err.println("ops/campaign: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception
    {
        if (durationS < 10 || durationS > 86_400)
        {
            throw new IllegalArgumentException("--duration must be 10..86400 seconds, got " + durationS);
        }
        positive("--clients", counterClients, 0, 64);
        positive("--lock-clients", lockClients, 0, 64);
        positive("--readers", readers, 0, 64);
        positive("--keys", keys, 1, 64);
        positive("--locks", locks, 1, 64);
        positive("--op-interval-ms", opIntervalMs, 0, 10_000);
        positive("--ops-max", opsMax, 1_000, 50_000_000);
        final ClusterFile cluster = ClusterFile.load(config.toAbsolutePath());
        final List<FaultKind> kinds = nemesis == null ? FaultKind.defaults() : FaultKind.parseList(nemesis);
        final long seedValue = seed != null ? seed : System.nanoTime() & 0xFFFF_FFFFL;
        final String home = System.getProperty("paxlog.home", ".");
        final String opsCluster = Path.of(home, "ops", "cluster").toString();
        final Path outDir = out != null ? out : cluster.clusterDir().resolve("campaign-" +
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(outDir);
        final List<FaultKind> usable = usableKinds(cluster, kinds);

        final long startNs = System.nanoTime();
        try (PrintStream nemesisLog = new PrintStream(Files.newOutputStream(outDir.resolve("nemesis.log")), true))
        {
            final Shell shell = new Shell(nemesisLog, startNs);
            final boolean startedHere = ensureUp(cluster, shell, opsCluster);
            System.out.println("campaign: " + cluster.size() + " members, seed " + seedValue + ", " + durationS +
                " s, faults " + names(usable) + (cluster.plantedBugs().isEmpty() ? "" :
                ", PLANTED BUG(S) in the nodes: " + cluster.plantedBugs()) + "; output " + outDir);
            final int rc = run(cluster, shell, opsCluster, usable, seedValue, outDir, startNs);
            if (startedHere && !keepUp)
            {
                shell.run(120_000, List.of(opsCluster, "down", "--config", cluster.file().toString()));
            }
            return rc;
        }
    }

    private int run(final ClusterFile cluster, final Shell shell, final String opsCluster,
        final List<FaultKind> kinds, final long seedValue, final Path outDir, final long startNs)
        throws InterruptedException, IOException
    {
        final History history = new History(startNs, opsMax);
        final String aeronRoot = "/dev/shm/paxlog-campaign-" + ProcessHandle.current().pid();
        // read now: bringing the cluster up may have written the secrets into the cluster file
        final ClientCredentials credentials = SharedSecretCredentials.fromClusterProperties(
            ClusterFile.load(cluster.file()).properties());
        final AtomicInteger admins = new AtomicInteger();
        try (CurrentMembers members = new CurrentMembers(cluster, m -> new AdminClient(m, aeronRoot + "-admin-" +
                admins.incrementAndGet(), credentials));
            LeaderMonitor monitor = new LeaderMonitor(members, history))
        {
            monitor.start();
            final Workload workload = new Workload(members::members, history, aeronRoot, counterClients,
                lockClients, readers, keys, locks, opIntervalMs * 1_000_000L, seedValue, credentials,
                runTag(startNs));
            final Nemesis nemesis = new Nemesis(cluster, members, shell, history, monitor::leader, opsCluster, kinds,
                seedValue);
            final MemberReplacement replacement = replacement(cluster, members, shell, history, monitor, opsCluster,
                seedValue);
            final Period period = faultsAndWorkload(history, workload, nemesis, replacement);
            return verdict(cluster, history, workload, members, monitor, outDir, period);
        }
    }

    /** The fault period, from the nemesis's start to its stop, and the replacement's outcome (null if none). */
    private record Period(long fromNs, long toNs, MemberReplacement.Outcome replaced)
    {
    }

    /** Runs the workload and the nemesis (and the replacement) for the duration, then heals and stops the clients. */
    private Period faultsAndWorkload(final History history, final Workload workload, final Nemesis nemesis,
        final MemberReplacement replacement) throws InterruptedException
    {
        try
        {
            nemesis.setUp();
            workload.start();
            Thread.sleep(2_000);
            final long fromNs = history.nowNs();
            nemesis.start();
            final MemberReplacement.Outcome replaced = faultPeriod(history, replacement);
            nemesis.stop();
            final long toNs = history.nowNs();
            nemesis.healAll();
            System.out.println("campaign: healed; letting clients finish");
            Thread.sleep(5_000);
            workload.stop();
            return new Period(fromNs, toNs, replaced);
        }
        finally
        {
            nemesis.healAll();
            nemesis.tearDown();
        }
    }

    /** The final reads and checks on the current members, the output files and the final line; the exit code. */
    private static int verdict(final ClusterFile cluster, final History history, final Workload workload,
        final CurrentMembers members, final LeaderMonitor monitor, final Path outDir, final Period period)
        throws InterruptedException, IOException
    {
        final boolean converged = awaitConvergence(members.admin(), members.ids(), 60_000);
        final boolean finalReads = finalReads(workload, history);
        final String replicas = compareReplicas(workload, members, monitor);
        final long endNs = history.nowNs();
        final List<Op> ops = history.ops();
        history.write(outDir.resolve("history.txt"));
        Timeline.write(history, ops, endNs, outDir.resolve("timeline.txt"), outDir.resolve("timeline.png"));
        final Checks.Verdict verdict = Checks.check(ops, workload.addKeys());
        final long maxUnavailableMs = Checks.maxUnavailableNs(ops, period.fromNs(), period.toNs()) / 1_000_000;
        final List<String> problems = new ArrayList<>(verdict.problems());
        final List<LeaseChecks.Overlap> leaseOverlaps = LeaseChecks.overlaps(history.leases(),
            cluster.clockDriftPpm());
        leaseOverlaps.forEach(o -> problems.add(o.describe()));
        if (replicas != null)
        {
            problems.add("replicas differ: " + replicas);
        }
        if (!converged)
        {
            problems.add("members did not converge on one commit point within 60 s of healing");
        }
        if (workload.clientErrors() > 0)
        {
            problems.add(workload.clientErrors() + " client error(s): a client call threw something other than " +
                "PaxlogException (stack traces on stderr)");
        }
        if (!finalReads)
        {
            problems.add("final reads failed: the cluster did not serve linearizable reads after healing");
        }
        final MemberReplacement.Outcome replaced = period.replaced();
        if (replaced != null && !replaced.ok())
        {
            problems.add(replaced.problem());
        }
        writeSummary(outDir, ops, history, verdict, problems, replaced);
        problems.stream().limit(10).forEach(p -> System.out.println("campaign: " + p));
        final String lin = verdict.checkTimedOut() ? "unknown" : Boolean.toString(verdict.linearizable());
        System.out.println("campaign ops=" + ops.size() + " acked_lost=" + verdict.ackedLost() +
            " linearizable=" + lin + " lock_overlaps=" + (verdict.lockOverlaps() + verdict.tokenErrors()) +
            " max_unavailable_ms=" + maxUnavailableMs + " replicas_equal=" + (replicas == null) +
            " lease_overlaps=" + leaseOverlaps.size() + " replaced=" + (replaced == null ? "none" : replaced.field()));
        // every check beyond the history's own added exactly the problems it found
        final boolean ok = verdict.ok() && problems.size() == verdict.problems().size();
        return ok ? 0 : 1;
    }

    /** The replacement to run halfway, or null with --no-replace or when the cluster cannot take one (said why). */
    private MemberReplacement replacement(final ClusterFile cluster, final CurrentMembers members, final Shell shell,
        final History history, final LeaderMonitor monitor, final String opsCluster, final long seedValue)
    {
        if (noReplace)
        {
            return null;
        }
        if (cluster.hasRemoteMembers())
        {
            System.out.println("campaign: replacing no member: members on remote hosts (member.N.ssh) are replaced " +
                "by hand (docs/operations.md, \"Membership changes\")");
            return null;
        }
        return new MemberReplacement(cluster, members, shell, history, monitor::leader, opsCluster, seedValue);
    }

    /**
     * The fault period: {@code --duration} seconds, with the replacement (if any) run halfway through; returns its
     * outcome (null without one).
     */
    private MemberReplacement.Outcome faultPeriod(final History history, final MemberReplacement replacement)
        throws InterruptedException
    {
        if (replacement == null)
        {
            sleepReporting(history, durationS * 1_000L);
            return null;
        }
        final long endMs = System.currentTimeMillis() + durationS * 1_000L;
        sleepReporting(history, durationS * 500L);
        System.out.println("campaign: replacing a member (ops/cluster replace-member), faults and clients going on");
        final MemberReplacement.Outcome outcome = replacement.run();
        System.out.println("campaign: " + (outcome.ok() ? "replace-member old=" + outcome.oldId() + " new=" +
            outcome.newId() + " took_ms=" + outcome.tookMs() : outcome.problem()));
        sleepReporting(history, Math.max(0, endMs - System.currentTimeMillis()));
        return outcome;
    }

    /**
     * A tag for this run's key and lock names, so a campaign against a cluster an earlier campaign already wrote to
     * starts from fresh keys (the checks assume every key starts at 0 and every lock free).
     */
    static String runTag(final long startNs)
    {
        return Long.toString(System.currentTimeMillis(), 36) + Long.toString(startNs & 0xFFFF, 36);
    }

    private static void sleepReporting(final History history, final long millis) throws InterruptedException
    {
        final long endMs = System.currentTimeMillis() + millis;
        long nextReportMs = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < endMs)
        {
            Thread.sleep(Math.min(1_000, Math.max(1, endMs - System.currentTimeMillis())));
            if (System.currentTimeMillis() >= nextReportMs)
            {
                nextReportMs += 30_000;
                System.out.printf("campaign: %d s, %d ops, %d faults%n", history.nowNs() / 1_000_000_000L,
                    history.ops().size(), history.faults().size());
            }
        }
    }

    /** Waits until one member leads and every member ({@code ids}) has applied the leader's commit point. */
    private static boolean awaitConvergence(final AdminClient admin, final int[] ids, final long timeoutMs)
        throws InterruptedException
    {
        final int n = ids.length;
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final NodeStatusReport[] status = new NodeStatusReport[n];
            long commit = -1;
            int leaders = 0;
            for (int m = 0; m < n; m++)
            {
                status[m] = admin.status(ids[m], 300_000_000L);
                if (status[m] != null && "leader".equals(status[m].role()))
                {
                    leaders++;
                    commit = status[m].commitSlot();
                }
            }
            boolean all = leaders == 1;
            for (int m = 0; m < n && all; m++)
            {
                all = status[m] != null && status[m].appliedSlot() >= commit;
            }
            if (all)
            {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** One linearizable read of every counter key by a fresh process, recorded in the history. */
    private static boolean finalReads(final Workload workload, final History history) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 60_000;
        try (PaxlogClient client = workload.newClient("final"))
        {
            for (final String key : workload.counterKeys())
            {
                while (true)
                {
                    final Op read = workload.read(client, history.newProcess(), key);
                    history.add(read);
                    if (read.outcome() == Op.Outcome.OK)
                    {
                        break;
                    }
                    if (System.currentTimeMillis() > deadline)
                    {
                        return false;
                    }
                    Thread.sleep(200);
                }
            }
            return true;
        }
    }

    /** Null when every current member answers the same for every key and lock at the leader's commit point. */
    private static String compareReplicas(final Workload workload, final CurrentMembers members,
        final LeaderMonitor monitor) throws InterruptedException
    {
        final int[] ids = members.ids();
        final int n = ids.length;
        final AdminClient admin = members.admin();
        final long deadline = System.currentTimeMillis() + 30_000;
        String difference = "no answer";
        try (PaxlogClient reader = workload.newClient("replicas"))
        {
            while (System.currentTimeMillis() < deadline)
            {
                final int leader = monitor.pollOnce();
                final NodeStatusReport status = leader < 0 ? null : admin.status(leader, 300_000_000L);
                if (status != null)
                {
                    final String[] states = new String[n];
                    try
                    {
                        for (int m = 0; m < n; m++)
                        {
                            states[m] = state(reader, ids[m], workload, status.commitSlot());
                        }
                        difference = null;
                        for (int m = 1; m < n; m++)
                        {
                            if (!states[m].equals(states[0]))
                            {
                                difference = "member " + ids[0] + " {" + states[0] + "} vs member " + ids[m] + " {" +
                                    states[m] + "}";
                            }
                        }
                        if (difference == null)
                        {
                            return null;
                        }
                    }
                    catch (final PaxlogException ex)
                    {
                        difference = "reading replicas: " + ex.getMessage();
                    }
                }
                Thread.sleep(500);
            }
        }
        return difference;
    }

    private static String state(final PaxlogClient reader, final int member, final Workload workload,
        final long slot)
    {
        final StringBuilder sb = new StringBuilder();
        for (final String key : workload.counterKeys())
        {
            final byte[] v = reader.queryMember(member, CounterMachine.get(key), ReadConsistency.SEQUENTIAL, slot)
                .value();
            sb.append(key).append('=').append(CounterMachine.valueOf(v)).append(' ');
        }
        for (final String lock : workload.locks())
        {
            final byte[] v = reader.queryMember(member, LockCommands.holder(lock), ReadConsistency.SEQUENTIAL, slot)
                .value();
            sb.append(lock).append('=').append(LockResults.statusName(LockResults.status(v))).append('/')
                .append(LockResults.token(v)).append(' ');
        }
        return sb.toString().trim();
    }

    private static void writeSummary(final Path outDir, final List<Op> ops, final History history,
        final Checks.Verdict verdict, final List<String> problems, final MemberReplacement.Outcome replaced)
        throws IOException
    {
        final long[] counts = new long[Op.Outcome.values().length];
        for (final Op op : ops)
        {
            counts[op.outcome().ordinal()]++;
        }
        final List<String> lines = new ArrayList<>();
        lines.add("operations: " + ops.size() + " (answered " + counts[0] + ", failed " + counts[1] + ", unanswered " +
            counts[2] + ")");
        lines.add("faults: " + history.faults().size());
        lines.add("leader changes seen: " + history.leaders().size());
        lines.add(replacementLine(history, replaced));
        lines.add("lease samples: " + history.leases().size() + " (dropped past the bound: " +
            history.leaseSamplesDropped() + ")");
        lines.add("linearizability: " + verdict.linearizabilityDetail());
        lines.add("acked_lost=" + verdict.ackedLost() + " double_apply=" + verdict.doubleApplied() +
            " lock_overlaps=" + verdict.lockOverlaps() + " lock_token_errors=" + verdict.tokenErrors());
        lines.add("problems: " + problems.size());
        lines.addAll(problems);
        Files.write(outDir.resolve("summary.txt"), lines);
    }

    /** The summary's line on the replacement. */
    static String replacementLine(final History history, final MemberReplacement.Outcome replaced)
    {
        if (replaced == null)
        {
            return "replace-member: none";
        }
        final List<History.Replacement> done = history.replacements();
        if (done.isEmpty())
        {
            return "replace-member: not run: " + replaced.output();
        }
        return done.get(done.size() - 1).line() + (replaced.ok() ? "" : " (see problems)");
    }

    /** Starts the cluster when none of its members runs; true if this campaign started it. */
    private static boolean ensureUp(final ClusterFile cluster, final Shell shell, final String opsCluster)
    {
        for (final Member member : cluster.members())
        {
            final long pid = cluster.pid(member.id());
            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            {
                return false;
            }
        }
        System.out.println("campaign: bringing the cluster up (ops/cluster up --config " + cluster.file() + ")");
        final Shell.Result up = shell.run(180_000, List.of(opsCluster, "up", "--config", cluster.file().toString()));
        if (!up.ok())
        {
            throw new IllegalStateException("ops/cluster up failed: " + up.output());
        }
        return true;
    }

    /** Drops faults the cluster cannot take, saying why. */
    private static List<FaultKind> usableKinds(final ClusterFile cluster, final List<FaultKind> kinds)
    {
        final List<FaultKind> usable = new ArrayList<>();
        for (final FaultKind k : kinds)
        {
            if ((k.lane() == FaultKind.Lane.NET || k == FaultKind.CLOCK_SKEW_BEYOND) && !cluster.onNamespaceHosts())
            {
                System.out.println("campaign: skipping " + k.cliName() + ": network faults need namespace hosts " +
                    "(ops/cluster netns-create)");
            }
            else if (k.needsShim() && !cluster.faultsEnabled())
            {
                System.out.println("campaign: skipping " + k.cliName() + ": needs paxlog.faults.enabled=true in " +
                    "the cluster file");
            }
            else if ((k == FaultKind.CLOCK_SKEW || k == FaultKind.CLOCK_SKEW_BEYOND) &&
                !Files.exists(Path.of(Nemesis.FAKETIME_LIB)))
            {
                System.out.println("campaign: skipping " + k.cliName() + ": libfaketime is not installed " +
                    "(apt-get install faketime)");
            }
            else
            {
                usable.add(k);
            }
        }
        return usable;
    }

    private static String names(final List<FaultKind> kinds)
    {
        return kinds.isEmpty() ? "none" : Arrays.toString(kinds.stream().map(FaultKind::cliName).toArray());
    }

    private static void positive(final String flag, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(flag + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
