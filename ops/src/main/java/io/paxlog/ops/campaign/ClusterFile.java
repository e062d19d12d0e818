package io.paxlog.ops.campaign;

import io.paxlog.protocol.Member;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a cluster file (see docs/operations.md) a campaign needs: where the cluster lives, its members, the
 * network namespace each member runs in (namespace hosts only) and the one clients run in.
 *
 * <p>The members are the current ones, as {@code ops/cluster} derives them: {@code paxlog.cluster.members}, then every
 * {@code member.N.joined=SPEC} (members added or swapped in since, by id), less every {@code member.N.removed=true}.
 *
 * @param file         the cluster file
 * @param clusterDir   {@code cluster.dir}: node directories, logs, pid files
 * @param members      the current members (see above)
 * @param memberNetns  {@code member.N.netns} per member, by position in {@code members}; null entries for members
 *                     not in a namespace
 * @param clientNetns  {@code client.netns}, or null
 * @param properties   every key of the file
 */
record ClusterFile(Path file, Path clusterDir, Member[] members, String[] memberNetns, String clientNetns,
    Properties properties)
{
    static ClusterFile load(final Path file)
    {
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file))
        {
            p.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--config: cannot read cluster file " + file + ": " + ex.getMessage());
        }
        catch (final IllegalArgumentException ex) // Properties.load: a malformed backslash-u escape
        {
            throw new IllegalArgumentException("--config: " + file + " is not a properties file: " +
                String.valueOf(ex.getMessage()).replaceAll("\\p{Cntrl}", " "));
        }
        final String dir = p.getProperty("cluster.dir");
        if (dir == null || dir.isBlank())
        {
            throw new IllegalArgumentException("--config: " + file + " has no cluster.dir");
        }
        final String list = p.getProperty("paxlog.cluster.members");
        if (list == null || list.isBlank())
        {
            throw new IllegalArgumentException("--config: " + file + " has no paxlog.cluster.members");
        }
        final Member[] members = currentMembers(list.trim(), p);
        final String[] netns = new String[members.length];
        for (int i = 0; i < members.length; i++)
        {
            netns[i] = blankToNull(p.getProperty("member." + members[i].id() + ".netns"));
        }
        final Path clusterDir;
        try
        {
            clusterDir = Path.of(dir.trim());
        }
        catch (final java.nio.file.InvalidPathException ex)
        {
            throw new IllegalArgumentException("--config: cluster.dir is not a valid path: " + ex.getReason());
        }
        return new ClusterFile(file, clusterDir, members, netns, blankToNull(p.getProperty("client.netns")), p);
    }

    private static final Pattern MEMBER_ID_KEY = Pattern.compile("member\\.([0-9]{1,2})\\..*");

    /** The initial members, then the joined ones by id, less the removed ones. */
    private static Member[] currentMembers(final String initialList, final Properties p)
    {
        final List<Member> current = new ArrayList<>();
        try
        {
            current.addAll(List.of(Member.parseList(initialList)));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--config: paxlog.cluster.members: " + oneLine(ex.getMessage()));
        }
        long removed = 0;
        for (int id = 0; id <= Member.ID_MAX; id++)
        {
            final String joined = blankToNull(p.getProperty("member." + id + ".joined"));
            if (joined != null && indexOf(current, id) < 0)
            {
                try
                {
                    final Member m = Member.parse(joined);
                    if (m.id() != id)
                    {
                        throw new IllegalArgumentException("the spec names member " + m.id());
                    }
                    current.add(m);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException("--config: member." + id + ".joined: " +
                        oneLine(ex.getMessage()));
                }
            }
            if ("true".equalsIgnoreCase(p.getProperty("member." + id + ".removed", "").trim()))
            {
                removed |= 1L << id;
            }
        }
        final long gone = removed;
        current.removeIf(m -> (gone & (1L << m.id())) != 0);
        if (current.isEmpty())
        {
            throw new IllegalArgumentException("--config: every member of the cluster file is removed");
        }
        return current.toArray(new Member[0]);
    }

    private static int indexOf(final List<Member> members, final int id)
    {
        for (int i = 0; i < members.size(); i++)
        {
            if (members.get(i).id() == id)
            {
                return i;
            }
        }
        return -1;
    }

    private static String oneLine(final String message)
    {
        return message == null ? "invalid" : message.replaceAll("[\\r\\n]+", " ");
    }

    /**
     * The lowest member id this cluster has never used: not a current member, not named by any {@code member.N.*}
     * key (joined, removed, or a namespace given in advance) and without a node directory under {@code cluster.dir}
     * (a failed earlier change may have left one, with a journal the new member must not start from); -1 if none.
     */
    int freshId()
    {
        long used = 0;
        for (final Member m : members)
        {
            used |= 1L << m.id();
        }
        for (final String key : properties.stringPropertyNames())
        {
            final Matcher k = MEMBER_ID_KEY.matcher(key);
            if (k.matches() && Integer.parseInt(k.group(1)) <= Member.ID_MAX)
            {
                used |= 1L << Integer.parseInt(k.group(1));
            }
        }
        final String initial = properties.getProperty("paxlog.cluster.members", "");
        for (final Member m : Member.parseList(initial.trim()))
        {
            used |= 1L << m.id();
        }
        for (int id = 0; id <= Member.ID_MAX; id++)
        {
            if ((used & (1L << id)) == 0 && !Files.exists(clusterDir.resolve("node" + id)))
            {
                return id;
            }
        }
        return -1;
    }

    /** The position of member {@code id} in {@link #members}, or -1. */
    int position(final int id)
    {
        for (int i = 0; i < members.length; i++)
        {
            if (members[i].id() == id)
            {
                return i;
            }
        }
        return -1;
    }

    /** True when every member runs in a namespace host, so iptables and nft rules can be scoped to it. */
    boolean onNamespaceHosts()
    {
        for (final String ns : memberNetns)
        {
            if (ns == null)
            {
                return false;
            }
        }
        return true;
    }

    /** True when some member runs on a remote host ({@code member.N.ssh}). */
    boolean hasRemoteMembers()
    {
        for (final Member m : members)
        {
            if (!properties.getProperty("member." + m.id() + ".ssh", "").isBlank())
            {
                return true;
            }
        }
        return false;
    }

    boolean faultsEnabled()
    {
        return "true".equalsIgnoreCase(properties.getProperty("paxlog.faults.enabled", "false").trim());
    }

    String plantedBugs()
    {
        return properties.getProperty("paxlog.plant", "").trim();
    }

    long leaseTimeoutNs()
    {
        return Long.parseLong(properties.getProperty("paxlog.lease.timeout.ns", "200000000").trim());
    }

    long electionTimeoutNs()
    {
        return Long.parseLong(properties.getProperty("paxlog.election.timeout.ns", "100000000").trim());
    }

    long clockDriftPpm()
    {
        return Long.parseLong(properties.getProperty("paxlog.clock.drift.ppm", "50000").trim());
    }

    int size()
    {
        return members.length;
    }

    /** The pid of member {@code member}'s process (by id) from its pid file, or -1 if there is none. */
    long pid(final int member)
    {
        try
        {
            return Long.parseLong(Files.readString(clusterDir.resolve("node" + member).resolve("pid")).trim());
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }

    private static String blankToNull(final String s)
    {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
