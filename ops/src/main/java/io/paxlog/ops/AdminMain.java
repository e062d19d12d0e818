package io.paxlog.ops;

import io.paxlog.client.AdminClient;
import io.paxlog.client.FollowerLag;
import io.paxlog.client.NodeStatusReport;
import io.paxlog.client.PaxlogException;
import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.SecretFile;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.codecs.ProtocolText;
import io.paxlog.protocol.Member;

import static io.paxlog.cli.CliArgs.parseLong;
import static io.paxlog.cli.CliArgs.value;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The admin channel from the command line ({@code ops/cluster status|fault} run it):
 * <pre>
 *   AdminMain status   (--members SPEC | --dir DIR) [--node ID] [--timeout-ms MS]
 *   AdminMain snapshot (--members SPEC | --dir DIR) [--node ID] [--timeout-ms MS]
 *   AdminMain fault    (--members SPEC | --dir DIR) --node ID (--delay-ms D [--jitter-ms J] [--duration-ms T] | --clear)
 *   AdminMain add-member     (--members SPEC | --dir DIR) --member ID=HOST:CPORT:CLPORT [--w W --r R]
 *   AdminMain remove-member  (--members SPEC | --dir DIR) --node ID [--w W --r R]
 *   AdminMain replace-member (--members SPEC | --dir DIR) --node ID --member ID=HOST:CPORT:CLPORT [--w W --r R]
 * </pre>
 * The membership commands ask the leader (found by asking every member) to change the configuration
 * (docs/membership.md), wait until the change is committed and every voter of the new configuration has committed
 * it, and print one line: {@code membership done: ...} (exit 0), or why it failed or was refused (exit 1).
 * One line per member asked: {@code node=0 role=leader ballot=B leader=0 commit=C applied=A lease_ms=L snapshot=S
 * dropped_frames=F dropped_sends=D delayed_frames=H followers=1:lag=0:ack_ms=3,2:lag=0:ack_ms=4} ({@code followers=-}
 * when not leading; {@code ack_ms=-} for a follower never heard from), or {@code node=1 unreachable}. Exit codes: 0
 * every member asked answered (and a fault was applied), 1 one did not (or refused the fault), 2 usage error.
 */
public final class AdminMain
{
    static final String USAGE = String.join("\n",
        "usage: AdminMain status   (--members SPEC | --dir DIR) [--node ID] [--timeout-ms MS]",
        "       AdminMain snapshot (--members SPEC | --dir DIR) [--node ID] [--timeout-ms MS]",
        "       AdminMain fault    (--members SPEC | --dir DIR) --node ID (--delay-ms D [--jitter-ms J] " +
            "[--duration-ms T] | --clear) [--timeout-ms MS]",
        "  --members SPEC  id=host:consensusPort:clientPort,... (as paxlog.cluster.members)",
        "  --dir DIR       the cluster directory written by ops/cluster up (reads DIR/cluster.properties)",
        "  --node ID       only this member (status and snapshot ask every member by default)",
        "  --client-secret-file FILE  the cluster's client secret (default with --dir: paxlog.client.secret.file",
        "                  of DIR/cluster.properties); a cluster that authenticates clients refuses requests without it",
        "  --timeout-ms MS give up on a member after MS ms (default 1000; snapshot 10000)",
        "       AdminMain add-member     (--members SPEC | --dir DIR) --member ID=HOST:CPORT:CLPORT [--w W --r R]",
        "       AdminMain remove-member  (--members SPEC | --dir DIR) --node ID [--w W --r R]",
        "       AdminMain replace-member (--members SPEC | --dir DIR) --node ID --member ID=HOST:CPORT:CLPORT " +
            "[--w W --r R]",
        "  fault: delay every consensus frame the node receives by D ms plus uniform 0..J ms (reorders) for T ms",
        "         (default: until --clear); needs the node started with paxlog.faults.enabled=true",
        "  add-member: the new member (started with paxlog.join=true) joins as a learner, and votes once caught up;",
        "  remove-member: member ID leaves (a leader steps down after committing it); replace-member: both at once.",
        "  --w W --r R     the new configuration's quorums (default: majorities); W + R > N",
        "  --timeout-ms MS for the membership commands: give up after MS ms (default 120000)");

    private AdminMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out));
    }

    /** Parsed command line. */
    private static final class Options
    {
        String command;
        Member[] members;
        ClientCredentials credentials;
        Integer node;
        Long timeoutMs;
        Long delayMs;
        long jitterMs;
        long durationMs;
        boolean clear;
        Member member;
        int acceptQuorum;
        int electionQuorum;
    }

    static int run(final String[] args, final PrintStream out)
    {
        final Options o;
        try
        {
            o = parse(args);
            if (o == null)
            {
                out.println(USAGE);
                return 0;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("AdminMain: " + ex.getMessage());
            return 2;
        }
        try (AdminClient admin = new AdminClient(o.members, "/dev/shm/paxlog-admin-" + ProcessHandle.current().pid(),
            o.credentials))
        {
            return switch (o.command)
            {
                case "status" -> report(admin, o, out, AdminClient::status, 1_000);
                case "snapshot" -> report(admin, o, out, AdminClient::snapshot, 10_000);
                case "fault" -> fault(admin, o, out);
                default -> membership(admin, o, out);
            };
        }
        catch (final PaxlogException ex)
        {
            System.err.println("AdminMain: " + ex.getMessage());
            return 1;
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("AdminMain: " + ex.getMessage()); // a member's host that does not resolve: one line
            return 2;
        }
    }

    /** The admin call of status or snapshot: member id and timeout (ns) to a report or null. */
    @FunctionalInterface
    private interface Call
    {
        NodeStatusReport ask(AdminClient admin, int memberId, long timeoutNs);
    }

    private static int report(final AdminClient admin, final Options o, final PrintStream out, final Call call,
        final long defaultTimeoutMs)
    {
        final long timeoutNs = (o.timeoutMs != null ? o.timeoutMs : defaultTimeoutMs) * 1_000_000L;
        int rc = 0;
        for (final Member m : admin.members())
        {
            final int id = m.id();
            if (o.node != null && o.node != id)
            {
                continue;
            }
            final NodeStatusReport r = call.ask(admin, id, timeoutNs);
            out.println(r == null ? "node=" + id + " unreachable" : line(r));
            rc = r == null ? 1 : rc;
        }
        return rc;
    }

    private static int fault(final AdminClient admin, final Options o, final PrintStream out)
    {
        final long timeoutNs = (o.timeoutMs != null ? o.timeoutMs : 1_000) * 1_000_000L;
        final long ms = 1_000_000L;
        final boolean applied = o.clear ? admin.fault(o.node, 0, 0, 0, timeoutNs) :
            admin.fault(o.node, o.delayMs * ms, o.jitterMs * ms, o.durationMs * ms, timeoutNs);
        if (!applied)
        {
            out.println("node=" + o.node + " fault refused (start the node with paxlog.faults.enabled=true; " +
                "delay and jitter at most 60000 ms)");
            return 1;
        }
        out.println("node=" + o.node + (o.clear ? " fault cleared" : " fault applied: delay_ms=" + o.delayMs +
            " jitter_ms=" + o.jitterMs + " duration_ms=" + (o.durationMs == 0 ? "until-cleared" : o.durationMs)));
        return 0;
    }

    /**
     * add-member, remove-member, replace-member: the change sent to the leader, then every voter of the final
     * configuration awaited at the change's commit slot. Asked again of whoever leads when a member refuses for not
     * leading or for a change in progress, or when the change failed because its leader lost leadership; and before
     * each attempt, and before giving up, the leader's committed configuration is checked: if it already is what was
     * asked (an earlier attempt's answer was lost), the change is done.
     */
    private static int membership(final AdminClient admin, final Options o, final PrintStream out)
    {
        final long ms = 1_000_000L;
        final long deadlineNs = System.nanoTime() + (o.timeoutMs != null ? o.timeoutMs : 120_000) * ms;
        final int removeId = o.command.equals("add-member") ? -1 : o.node;
        String last = "no leader found";
        while (System.nanoTime() < deadlineNs)
        {
            final NodeStatusReport leader = leaderStatus(admin, 1_000 * ms);
            if (leader == null)
            {
                sleep(200);
                continue;
            }
            if (holds(leader, o.member, removeId))
            {
                return awaitVoters(admin, leader.nodeId(), leader.commitSlot(), "the configuration holds: " +
                    leader.configuration(), deadlineNs, out);
            }
            final long leftNs = deadlineNs - System.nanoTime();
            final AdminClient.MembershipResult r = admin.changeMembership(leader.nodeId(), o.member, removeId,
                o.acceptQuorum, o.electionQuorum, Math.max(ms, leftNs));
            if (r == null)
            {
                last = "node " + leader.nodeId() + " did not answer";
                continue;
            }
            if (r.done())
            {
                return awaitVoters(admin, r.nodeId(), r.commitSlot(), r.detail(), deadlineNs, out);
            }
            last = r.detail();
            if (!retryable(r))
            {
                final NodeStatusReport now = leaderStatus(admin, 1_000 * ms);
                if (now != null && holds(now, o.member, removeId))
                {
                    return awaitVoters(admin, now.nodeId(), now.commitSlot(), "the configuration holds: " +
                        now.configuration(), deadlineNs, out);
                }
                out.println("membership " + r.outcome().toLowerCase(java.util.Locale.ROOT) + ": " + last);
                return 1;
            }
            sleep(200);
        }
        out.println("membership not done within the timeout: " + last);
        return 1;
    }

    /** A refusal or failure that another attempt may get past: leadership moved, or a change was finishing. */
    private static boolean retryable(final AdminClient.MembershipResult r)
    {
        final String detail = r.detail();
        return r.outcome().equals("REFUSED") ? detail.contains("not the leader") || detail.contains("in progress") :
            detail.startsWith("leadership lost");
    }

    /** Whether {@code leader}'s committed configuration already is the one asked for. */
    static boolean holds(final NodeStatusReport leader, final Member add, final int removeId)
    {
        if (!leader.configurationCommitted())
        {
            return false;
        }
        final long members = leader.configVoters() | leader.configLearners();
        return (add == null || (leader.configVoters() & (1L << add.id())) != 0) &&
            (removeId < 0 || (members & (1L << removeId)) == 0);
    }

    /** The report of the member that leads (asked of every member), or null if none does. */
    private static NodeStatusReport leaderStatus(final AdminClient admin, final long timeoutNs)
    {
        for (final NodeStatusReport r : admin.statusAll(timeoutNs, null))
        {
            if (r != null && r.role().equals("leader"))
            {
                return r;
            }
        }
        return null;
    }

    /** Waits until every voter of {@code leaderId}'s configuration reports {@code commitSlot} committed. */
    private static int awaitVoters(final AdminClient admin, final int leaderId, final long commitSlot,
        final String detail, final long deadlineNs, final PrintStream out)
    {
        final NodeStatusReport leader = admin.status(leaderId, 1_000_000_000L);
        long waiting = leader == null ? 0 : leader.configVoters();
        while (waiting != 0 && System.nanoTime() < deadlineNs)
        {
            for (long rest = waiting; rest != 0; rest &= rest - 1)
            {
                final int id = Long.numberOfTrailingZeros(rest);
                final NodeStatusReport r = known(admin, id) ? admin.status(id, 500_000_000L) : null;
                if (r != null && r.commitSlot() >= commitSlot)
                {
                    waiting &= ~(1L << id);
                }
            }
            if (waiting != 0)
            {
                sleep(100);
            }
        }
        if (leader == null || waiting != 0)
        {
            out.println("membership done: " + detail + "; but not every voter confirmed slot " + commitSlot +
                " (still waiting for " + ProtocolText.memberIds(waiting) + ")");
            return 1;
        }
        out.println("membership done: " + detail + "; every voter has committed slot " + commitSlot);
        return 0;
    }

    private static boolean known(final AdminClient admin, final int id)
    {
        return listed(admin.members(), id);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new PaxlogException("interrupted");
        }
    }

    /** The one-line form of a report. */
    static String line(final NodeStatusReport r)
    {
        final StringBuilder followers = new StringBuilder();
        for (final FollowerLag f : r.followers())
        {
            followers.append(followers.length() == 0 ? "" : ",").append(f.nodeId()).append(":lag=").append(f.lagSlots())
                .append(":ack_ms=").append(f.lastAckAgeNs() < 0 ? "-" : Long.toString(f.lastAckAgeNs() / 1_000_000));
        }
        return "node=" + r.nodeId() + " role=" + r.role() + " ballot=" + ProtocolText.ballot(r.ballot()) + " leader=" +
            r.leaderId() + " commit=" + r.commitSlot() + " applied=" + r.appliedSlot() + " lease_ms=" +
            r.leaseRemainingNs() / 1_000_000 + " snapshot=" + r.snapshotSlot() + " dropped_frames=" +
            r.droppedFrames() + " dropped_sends=" + r.droppedSends() + " delayed_frames=" + r.delayedFrames() +
            " followers=" + (followers.length() == 0 ? "-" : followers) + " members=" + members(r);
    }

    /** The latest configuration's members with their voting state ({@code 0:voter,3:learner}); {@code -} if none shown. */
    static String members(final NodeStatusReport r)
    {
        final StringBuilder b = new StringBuilder();
        for (long rest = r.configVoters() | r.configLearners(); rest != 0; rest &= rest - 1)
        {
            final int id = Long.numberOfTrailingZeros(rest);
            b.append(b.length() == 0 ? "" : ",").append(id).append(':').append(r.votingState(id));
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    private static Options parse(final String[] args)
    {
        final Options o = new Options();
        String membersSpec = null;
        String dir = null;
        String secretFile = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--members" -> membersSpec = value(args, ++i, "--members");
                case "--dir" -> dir = value(args, ++i, "--dir");
                case "--client-secret-file" -> secretFile = value(args, ++i, "--client-secret-file");
                case "--node" -> o.node = (int)nonNegative("--node", value(args, ++i, "--node"), Integer.MAX_VALUE);
                case "--timeout-ms" -> o.timeoutMs = positive("--timeout-ms", value(args, ++i, "--timeout-ms"));
                case "--delay-ms" -> o.delayMs = nonNegative("--delay-ms", value(args, ++i, "--delay-ms"), 60_000);
                case "--jitter-ms" -> o.jitterMs = nonNegative("--jitter-ms", value(args, ++i, "--jitter-ms"), 60_000);
                case "--duration-ms" -> o.durationMs =
                    nonNegative("--duration-ms", value(args, ++i, "--duration-ms"), 86_400_000);
                case "--clear" -> o.clear = true;
                case "--member" -> o.member = parseMember(value(args, ++i, "--member"));
                case "--w" -> o.acceptQuorum = (int)nonNegative("--w", value(args, ++i, "--w"), Member.ID_MAX + 1);
                case "--r" -> o.electionQuorum = (int)nonNegative("--r", value(args, ++i, "--r"), Member.ID_MAX + 1);
                case "--help", "-h" ->
                {
                    return null;
                }
                default ->
                {
                    if (args[i].startsWith("-") || o.command != null)
                    {
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                    }
                    o.command = args[i];
                }
            }
        }
        final java.util.Set<String> commands = java.util.Set.of("status", "snapshot", "fault", "add-member",
            "remove-member", "replace-member");
        if (o.command == null || !commands.contains(o.command))
        {
            throw new IllegalArgumentException("expected a command: status, snapshot, fault, add-member, " +
                "remove-member or replace-member" + (o.command == null ? "" : " (got '" + o.command + "')"));
        }
        if ((membersSpec == null) == (dir == null))
        {
            throw new IllegalArgumentException("--members SPEC or --dir DIR is required (one of them)");
        }
        o.members = membersSpec != null ? parseMembers(membersSpec) : ClientMain.members(Path.of(dir));
        if (secretFile != null)
        {
            o.credentials = new SharedSecretCredentials(SecretFile.read("--client-secret-file", secretFile));
        }
        else if (dir != null)
        {
            o.credentials = ClientMain.credentials(Path.of(dir));
        }
        checkMembership(o);
        if (o.node != null && !o.command.equals("remove-member") && !o.command.equals("replace-member") &&
            !listed(o.members, o.node))
        {
            throw new IllegalArgumentException("--node " + o.node + ": no such member (members " +
                Member.format(o.members) + ")");
        }
        if (o.command.equals("fault"))
        {
            checkFault(o);
        }
        else if (o.delayMs != null || o.jitterMs != 0 || o.durationMs != 0 || o.clear)
        {
            throw new IllegalArgumentException("--delay-ms, --jitter-ms, --duration-ms and --clear are for fault");
        }
        return o;
    }

    /** The membership commands' flags; the member to add is asked too (status, commit) from then on. */
    private static void checkMembership(final Options o)
    {
        final boolean adds = o.command.equals("add-member") || o.command.equals("replace-member");
        final boolean removes = o.command.equals("remove-member") || o.command.equals("replace-member");
        if (!adds && !removes)
        {
            if (o.member != null || o.acceptQuorum != 0 || o.electionQuorum != 0)
            {
                throw new IllegalArgumentException("--member, --w and --r are for add-member, remove-member and " +
                    "replace-member");
            }
            return;
        }
        if (adds != (o.member != null))
        {
            throw new IllegalArgumentException(adds ? "--member ID=HOST:CPORT:CLPORT is required for " + o.command :
                "--member is for add-member and replace-member");
        }
        if (removes && o.node == null)
        {
            throw new IllegalArgumentException("--node ID (the member to remove) is required for " + o.command);
        }
        if (o.command.equals("add-member") && o.node != null)
        {
            throw new IllegalArgumentException("add-member takes --member, not --node");
        }
        if (adds && removes && o.node == o.member.id())
        {
            throw new IllegalArgumentException("replace-member: --node and --member name the same id " + o.node);
        }
        if ((o.acceptQuorum == 0) != (o.electionQuorum == 0))
        {
            throw new IllegalArgumentException("--w and --r go together (or neither: a majority)");
        }
        if (adds && !listed(o.members, o.member.id()))
        {
            final Member[] all = java.util.Arrays.copyOf(o.members, o.members.length + 1);
            all[o.members.length] = o.member;
            o.members = all;
        }
    }

    private static boolean listed(final Member[] members, final int id)
    {
        for (final Member m : members)
        {
            if (m.id() == id)
            {
                return true;
            }
        }
        return false;
    }

    private static Member parseMember(final String spec)
    {
        try
        {
            final Member m = Member.parse(spec);
            if (m.id() > Member.ID_MAX)
            {
                throw new IllegalArgumentException("ids must be in 0.." + Member.ID_MAX);
            }
            return m;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--member: " + ex.getMessage());
        }
    }

    private static void checkFault(final Options o)
    {
        if (o.node == null)
        {
            throw new IllegalArgumentException("--node is required for fault");
        }
        if (o.clear == (o.delayMs != null))
        {
            throw new IllegalArgumentException("--delay-ms D or --clear is required for fault (one of them)");
        }
        if (o.clear && (o.jitterMs != 0 || o.durationMs != 0))
        {
            throw new IllegalArgumentException("--clear takes no --jitter-ms or --duration-ms");
        }
        if (!o.clear && o.delayMs == 0 && o.jitterMs == 0)
        {
            throw new IllegalArgumentException("--delay-ms 0 with no --jitter-ms is no fault (use --clear)");
        }
    }

    private static Member[] parseMembers(final String spec)
    {
        try
        {
            return Member.parseList(spec);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--members '" + spec + "': " + ex.getMessage());
        }
    }

    private static long nonNegative(final String flag, final String v, final long max)
    {
        final long n = parseLong(flag, v);
        if (n < 0 || n > max)
        {
            throw new IllegalArgumentException(flag + " '" + v + "': must be in 0.." + max);
        }
        return n;
    }

    private static long positive(final String flag, final String v)
    {
        final long n = parseLong(flag, v);
        if (n <= 0)
        {
            throw new IllegalArgumentException(flag + " '" + v + "': must be > 0");
        }
        return n;
    }
}
