package io.paxlog.node;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * N nodes as N JVM processes on loopback, each with its own directory, embedded media driver and log file under
 * {@code root}. Used by the demo and by the multi-process tests. The JVM flags come from
 * {@code ops/lib/jvm.flags} under {@code paxlogHome}, the one place launchers keep them.
 */
public final class LocalProcessCluster implements AutoCloseable
{
    private final Path root;
    private final Path paxlogHome;
    private final Member[] members;
    private final Process[] processes;
    private final String sync;

    public LocalProcessCluster(final Path root, final Path paxlogHome, final int nodes, final String sync)
        throws IOException
    {
        this.root = root;
        this.paxlogHome = paxlogHome;
        this.sync = sync;
        this.members = new Member[nodes];
        this.processes = new Process[nodes];
        for (int i = 0; i < nodes; i++)
        {
            members[i] = new Member(i, "127.0.0.1", freePort(), freePort());
        }
        final String list = java.util.Arrays.stream(members)
            .map(m -> m.id() + "=" + m.host() + ":" + m.consensusPort() + ":" + m.clientPort())
            .collect(Collectors.joining(","));
        Files.createDirectories(root);
        Files.writeString(root.resolve("cluster.properties"), "paxlog.cluster.members=" + list + "\n");
        for (int i = 0; i < nodes; i++)
        {
            Files.writeString(root.resolve("node" + i + ".properties"), String.join("\n",
                "paxlog.cluster.members=" + list, "paxlog.node.id=" + i, "paxlog.dir=" + root.resolve("node" + i),
                "paxlog.sync=" + sync, "paxlog.aeron.dir=" + root.resolve("aeron" + i), ""));
        }
    }

    public Member[] members()
    {
        return members.clone();
    }

    public Path root()
    {
        return root;
    }

    public void startAll() throws IOException
    {
        for (int i = 0; i < members.length; i++)
        {
            start(i);
        }
    }

    /** Starts node {@code id} (again), from its journal if it has one. */
    public void start(final int id) throws IOException
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags(paxlogHome));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeMain.class.getName());
        cmd.add("--config");
        cmd.add(root.resolve("node" + id + ".properties").toString());
        final File log = root.resolve("node" + id + ".log").toFile();
        processes[id] = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    /** SIGKILL. */
    public void kill(final int id) throws InterruptedException
    {
        if (processes[id] != null)
        {
            processes[id].destroyForcibly().waitFor();
            processes[id] = null;
        }
    }

    /**
     * Waits until a live node other than {@code excluded} reports itself leader in a fresh status file; returns
     * its id, or -1 on timeout.
     */
    public int awaitLeader(final int excluded, final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            for (int i = 0; i < members.length; i++)
            {
                final Path status = root.resolve("node" + i).resolve("status");
                if (i != excluded && processes[i] != null && Files.exists(status))
                {
                    final String line = Files.readString(status);
                    final int at = line.indexOf("updated_ms=");
                    if (at > 0 && line.contains("role=leader") &&
                        System.currentTimeMillis() - Long.parseLong(line.substring(at + 11).trim()) < 500)
                    {
                        return i;
                    }
                }
            }
            Thread.sleep(10);
        }
        return -1;
    }

    /** The flags of {@code ops/lib/jvm.flags}. */
    public static List<String> jvmFlags(final Path paxlogHome) throws IOException
    {
        return Files.readAllLines(paxlogHome.resolve("ops").resolve("lib").resolve("jvm.flags")).stream()
            .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
    }

    static int freePort()
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("no free UDP port: " + ex.getMessage(), ex);
        }
    }

    /** Kills every node still running (SIGKILL) and waits for them to exit. */
    public void close()
    {
        for (final Process p : processes)
        {
            if (p != null)
            {
                p.destroyForcibly();
            }
        }
        for (int i = 0; i < processes.length; i++)
        {
            if (processes[i] != null)
            {
                processes[i].onExit().join();
                processes[i] = null;
            }
        }
    }
}
