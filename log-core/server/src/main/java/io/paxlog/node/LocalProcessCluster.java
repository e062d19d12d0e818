package io.paxlog.node;

import io.paxlog.protocol.LoopbackPorts;
import io.paxlog.protocol.Member;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * N nodes as N JVM processes on loopback, each with its own directory, embedded media driver and log file under
 * {@code root}. Used by the demo, by the multi-process tests and by the benchmark's {@code processes} topology.
 * The JVM flags come from {@code ops/lib/jvm.flags} under {@code paxlogHome}, the one place launchers keep them;
 * {@link #launchJvm} is the one place a child JVM's command line is put together.
 *
 * <p>Threading: starting, killing, querying and closing are synchronized, so a shutdown hook may close the cluster
 * while another thread uses it; {@link #awaitLeader} waits without holding the lock.
 */
public final class LocalProcessCluster implements AutoCloseable
{
    /** A node's status file (written by {@link NodeMain} every 100 ms) older than this is not trusted. */
    public static final long STATUS_FRESH_MS = 500;
    private static final int LOG_TAIL_LINES = 20;

    private final Path root;
    private final Path paxlogHome;
    private final Member[] members;
    private final Process[] processes;
    private final List<String> commandPrefix;

    /** Nodes with {@code paxlog.sync=sync} and otherwise default settings. */
    public LocalProcessCluster(final Path root, final Path paxlogHome, final int nodes, final String sync)
        throws IOException
    {
        this(root, paxlogHome, nodes, syncOnly(sync), List.of());
    }

    /**
     * @param nodeProperties node settings written into every node's properties file besides the members, the node
     *                       id and the directories (which they must not contain), e.g. {@code paxlog.sync}
     * @param commandPrefix  words put before each node's {@code java} command, e.g. {@code taskset -c 2,3}; empty
     *                       for none
     */
    public LocalProcessCluster(final Path root, final Path paxlogHome, final int nodes,
        final Properties nodeProperties, final List<String> commandPrefix) throws IOException
    {
        this.root = root;
        this.paxlogHome = paxlogHome;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.members = new Member[nodes];
        this.processes = new Process[nodes];
        for (final String key : List.of(NodeConfig.MEMBERS_PROP, "paxlog.node.id", NodeConfig.DIR_PROP,
            NodeConfig.AERON_DIR_PROP))
        {
            if (nodeProperties.containsKey(key))
            {
                throw new IllegalArgumentException(key + " is set per node by LocalProcessCluster");
            }
        }
        for (int i = 0; i < nodes; i++)
        {
            members[i] = new Member(i, "127.0.0.1", freePort(), freePort());
        }
        final String list = java.util.Arrays.stream(members)
            .map(m -> m.id() + "=" + m.host() + ":" + m.consensusPort() + ":" + m.clientPort())
            .collect(Collectors.joining(","));
        final StringBuilder common = new StringBuilder();
        for (final String key : new TreeSet<>(nodeProperties.stringPropertyNames()))
        {
            final String value = nodeProperties.getProperty(key);
            if (value.indexOf('\n') >= 0 || value.indexOf('\\') >= 0)
            {
                throw new IllegalArgumentException(key + ": a node property value may not hold a newline or '\\'");
            }
            common.append(key).append('=').append(value).append('\n');
        }
        Files.createDirectories(root);
        Files.writeString(root.resolve("cluster.properties"), "paxlog.cluster.members=" + list + "\n");
        for (int i = 0; i < nodes; i++)
        {
            Files.writeString(root.resolve("node" + i + ".properties"), String.join("\n",
                "paxlog.cluster.members=" + list, "paxlog.node.id=" + i, "paxlog.dir=" + root.resolve("node" + i),
                "paxlog.aeron.dir=" + root.resolve("aeron" + i), common.toString()));
        }
    }

    private static Properties syncOnly(final String sync)
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.SYNC_PROP, sync);
        return p;
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

    /**
     * Starts node {@code id} (again, after {@link #kill} or after it exited), from its journal if it has one. Its
     * status file from an earlier run is removed first, so {@link #status} and {@link #awaitLeader} only see what
     * the new process writes.
     */
    public synchronized void start(final int id) throws IOException
    {
        if (processes[id] != null && processes[id].isAlive())
        {
            throw new IllegalStateException("node " + id + " is already started");
        }
        Files.deleteIfExists(statusFile(id));
        processes[id] = launchJvm(paxlogHome, commandPrefix, NodeMain.class.getName(),
            List.of("--config", root.resolve("node" + id + ".properties").toString()), log(id));
    }

    /** Node {@code id}'s log file (its standard output and error, appended across restarts). */
    public Path log(final int id)
    {
        return root.resolve("node" + id + ".log");
    }

    /** True while node {@code id} was started, not killed, and its process is alive. */
    public synchronized boolean isRunning(final int id)
    {
        return processes[id] != null && processes[id].isAlive();
    }

    /**
     * Throws {@link IllegalStateException} naming the first started (and not killed) node whose process has exited,
     * with its exit code and the tail of its log; returns quietly while every started node runs.
     */
    public synchronized void checkRunning()
    {
        for (int i = 0; i < processes.length; i++)
        {
            if (processes[i] != null && !processes[i].isAlive())
            {
                throw new IllegalStateException("paxlog node " + i + " exited with code " + processes[i].exitValue() +
                    "; the end of " + log(i) + ":\n" + logTail(log(i), LOG_TAIL_LINES));
            }
        }
    }

    /**
     * Node {@code id}'s status line ({@code node=.. role=.. ballot=.. commit=.. applied=.. ...}, see
     * {@code NodeMain}) if its process runs and wrote it within {@link #STATUS_FRESH_MS}; otherwise null.
     */
    public synchronized String status(final int id) throws IOException
    {
        final Path status = statusFile(id);
        if (processes[id] == null || !Files.exists(status))
        {
            return null;
        }
        final String line;
        try
        {
            line = Files.readString(status);
        }
        catch (final java.nio.file.NoSuchFileException ex)
        {
            return null;
        }
        final int at = line.indexOf("updated_ms=");
        if (at < 0 || System.currentTimeMillis() - Long.parseLong(line.substring(at + 11).trim()) >= STATUS_FRESH_MS)
        {
            return null;
        }
        return line.trim();
    }

    private Path statusFile(final int id)
    {
        return root.resolve("node" + id).resolve("status");
    }

    /**
     * Node {@code id}'s exit code if its process was started and has exited by itself (not {@link #kill}ed); null
     * while it runs or when it was never started.
     */
    public synchronized Integer exitCode(final int id)
    {
        return processes[id] == null || processes[id].isAlive() ? null : processes[id].exitValue();
    }

    /** SIGSTOP: node {@code id}'s process, every thread of it, stops until {@link #resume}. */
    public synchronized void pause(final int id) throws IOException, InterruptedException
    {
        signal(id, "STOP");
    }

    /** SIGCONT: node {@code id}'s process runs again after {@link #pause}. */
    public synchronized void resume(final int id) throws IOException, InterruptedException
    {
        signal(id, "CONT");
    }

    private void signal(final int id, final String signal) throws IOException, InterruptedException
    {
        if (processes[id] == null || !processes[id].isAlive())
        {
            throw new IllegalStateException("node " + id + " is not running");
        }
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes[id].pid()))
            .redirectErrorStream(true).start();
        final String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (kill.waitFor() != 0)
        {
            throw new IOException("kill -" + signal + " " + processes[id].pid() + " failed: " + output);
        }
    }

    /** SIGKILL. */
    public synchronized void kill(final int id) throws InterruptedException
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
                final String line = i != excluded ? status(i) : null;
                if (line != null && line.contains("role=leader"))
                {
                    return i;
                }
            }
            Thread.sleep(10);
        }
        return -1;
    }

    /**
     * Starts {@code prefix... java <ops/lib/jvm.flags> -cp <this JVM's class path> mainClass args...} with its
     * standard output and error appended to {@code log}; its standard input stays a pipe from this JVM.
     */
    public static Process launchJvm(final Path paxlogHome, final List<String> prefix, final String mainClass,
        final List<String> args, final Path log) throws IOException
    {
        final List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags(paxlogHome));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The last {@code maxLines} lines of a log file (at most its last 16 KiB), for error messages. */
    public static String logTail(final Path log, final int maxLines)
    {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r"))
        {
            final long length = file.length();
            final int n = (int)Math.min(length, 16 * 1024);
            final byte[] bytes = new byte[n];
            file.seek(length - n);
            file.readFully(bytes);
            final String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
            final int from = Math.max(0, lines.length - maxLines);
            return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
        }
        catch (final IOException ex)
        {
            return "(cannot read " + log + ": " + ex.getMessage() + ")";
        }
    }

    /** The flags of {@code ops/lib/jvm.flags}. */
    public static List<String> jvmFlags(final Path paxlogHome) throws IOException
    {
        return Files.readAllLines(paxlogHome.resolve("ops").resolve("lib").resolve("jvm.flags")).stream()
            .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
    }

    static int freePort()
    {
        return LoopbackPorts.free();
    }

    /** Kills every node still running (SIGKILL) and waits for them to exit. */
    public synchronized void close()
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
