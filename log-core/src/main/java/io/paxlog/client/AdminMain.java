package io.paxlog.client;

import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.SecretFile;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.core.Ballot;
import io.paxlog.node.Member;

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
 * </pre>
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
        "  fault: delay every consensus frame the node receives by D ms plus uniform 0..J ms (reorders) for T ms",
        "         (default: until --clear); needs the node started with paxlog.faults.enabled=true");

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
                default -> fault(admin, o, out);
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
        for (int id = 0; id < admin.memberCount(); id++)
        {
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

    /** The one-line form of a report. */
    static String line(final NodeStatusReport r)
    {
        final StringBuilder followers = new StringBuilder();
        for (final FollowerLag f : r.followers())
        {
            followers.append(followers.length() == 0 ? "" : ",").append(f.nodeId()).append(":lag=").append(f.lagSlots())
                .append(":ack_ms=").append(f.lastAckAgeNs() < 0 ? "-" : Long.toString(f.lastAckAgeNs() / 1_000_000));
        }
        return "node=" + r.nodeId() + " role=" + r.role() + " ballot=" + Ballot.toString(r.ballot()) + " leader=" +
            r.leaderId() + " commit=" + r.commitSlot() + " applied=" + r.appliedSlot() + " lease_ms=" +
            r.leaseRemainingNs() / 1_000_000 + " snapshot=" + r.snapshotSlot() + " dropped_frames=" +
            r.droppedFrames() + " dropped_sends=" + r.droppedSends() + " delayed_frames=" + r.delayedFrames() +
            " followers=" + (followers.length() == 0 ? "-" : followers);
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
        if (o.command == null || !(o.command.equals("status") || o.command.equals("snapshot") ||
            o.command.equals("fault")))
        {
            throw new IllegalArgumentException("expected a command: status, snapshot or fault" +
                (o.command == null ? "" : " (got '" + o.command + "')"));
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
        if (o.node != null && o.node >= o.members.length)
        {
            throw new IllegalArgumentException("--node " + o.node + ": must be in 0.." + (o.members.length - 1));
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
