package io.paxlog.ops.campaign;

import io.paxlog.node.Member;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The parts of a cluster file (see docs/operations.md) a campaign needs: where the cluster lives, its members, the
 * network namespace each member runs in (namespace hosts only) and the one clients run in.
 *
 * @param file         the cluster file
 * @param clusterDir   {@code cluster.dir}: node directories, logs, pid files
 * @param members      {@code paxlog.cluster.members}
 * @param memberNetns  {@code member.N.netns} per member; null entries for members not in a namespace
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
        final Member[] members;
        try
        {
            members = Member.parseList(list.trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--config: paxlog.cluster.members: " + ex.getMessage());
        }
        final String[] netns = new String[members.length];
        for (int i = 0; i < members.length; i++)
        {
            netns[i] = blankToNull(p.getProperty("member." + i + ".netns"));
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

    /** The pid of a member's process from its pid file, or -1 if there is none. */
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
