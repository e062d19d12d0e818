package io.paxlog.bench;

import io.paxlog.node.LocalProcessCluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVMs of one target in the {@link BenchSettings#PROCESSES} topology, each started by
 * {@link LocalProcessCluster#launchJvm} (the flags of {@code ops/lib/jvm.flags}, the caller's class path, under
 * {@code taskset -c <cpus>} when the settings pin) with its output in {@code <dir>/<name>.log}.
 *
 * <p>{@link #close} kills every child (destroyForcibly, then waits for it); a JVM shutdown hook registered by the
 * constructor does the same if the runner is stopped (Ctrl-C, SIGTERM) before {@code close}, and then deletes
 * {@code dir} (the target's temporary directory), which {@code close} leaves to the target. The children themselves
 * exit when their standard input, a pipe from this JVM, reaches end of file ({@link ChildSupport#exitWithParent}), so
 * even a runner killed with SIGKILL leaves none behind for long.
 *
 * <p>Threading: every method is synchronized; a target may start, kill and check children from a controlling thread
 * (fail-over) while its load thread runs. Nothing here is on the message path.
 */
final class ChildJvms implements AutoCloseable
{
    static final int LOG_TAIL_LINES = 20;

    private final String owner;
    private final Path dir;
    private final Path paxlogHome;
    private final List<String> commandPrefix;
    private final Map<String, Process> children = new LinkedHashMap<>();
    private final Thread shutdownHook;

    /**
     * @param owner the target's name, for messages
     * @param dir   where the children's log files go (the target's temporary directory)
     */
    ChildJvms(final String owner, final BenchSettings settings, final Path dir)
    {
        this.owner = owner;
        this.dir = dir;
        this.paxlogHome = TargetSupport.paxlogHome();
        this.commandPrefix = TargetSupport.commandPrefix(settings);
        this.shutdownHook = TargetSupport.closeOnShutdown(owner, () ->
        {
            killAll();
            TargetSupport.deleteDir(dir);
        });
    }

    /** Starts child {@code name} running {@code mainClass} with {@code args}; the name must not be running. */
    synchronized void start(final String name, final Class<?> mainClass, final List<String> args) throws IOException
    {
        final Process running = children.get(name);
        if (running != null && running.isAlive())
        {
            throw new IllegalStateException(owner + ": child " + name + " is already running");
        }
        children.put(name, LocalProcessCluster.launchJvm(paxlogHome, commandPrefix, mainClass.getName(), args,
            log(name)));
    }

    /** Child {@code name}'s log file (standard output and error, appended across restarts). */
    Path log(final String name)
    {
        return dir.resolve(name + ".log");
    }

    /** Child {@code name}'s process while started and not killed, else null (for tests and diagnostics). */
    synchronized Process process(final String name)
    {
        return children.get(name);
    }

    synchronized boolean isAlive(final String name)
    {
        final Process process = children.get(name);
        return process != null && process.isAlive();
    }

    /** Kills child {@code name} the hard way (SIGKILL) and waits for it to exit; quiet if it is not running. */
    synchronized void kill(final String name) throws InterruptedException
    {
        final Process process = children.remove(name);
        if (process != null)
        {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * Throws {@link IllegalStateException} naming the first started (and not killed) child that has exited, with its
     * exit code and the tail of its log.
     */
    synchronized void checkAlive()
    {
        for (final Map.Entry<String, Process> child : children.entrySet())
        {
            if (!child.getValue().isAlive())
            {
                throw new IllegalStateException(owner + ": child " + child.getKey() + " exited with code " +
                    child.getValue().exitValue() + "; the end of " + log(child.getKey()) + ":\n" +
                    LocalProcessCluster.logTail(log(child.getKey()), LOG_TAIL_LINES));
            }
        }
    }

    /** Kills every child and waits for them; removes the shutdown hook. Idempotent. */
    @Override
    public void close()
    {
        killAll();
        TargetSupport.removeShutdownHook(shutdownHook);
    }

    private synchronized void killAll()
    {
        final List<Process> processes = new ArrayList<>(children.values());
        children.clear();
        for (final Process process : processes)
        {
            process.destroyForcibly();
        }
        boolean interrupted = false;
        for (final Process process : processes)
        {
            while (true)
            {
                try
                {
                    process.waitFor();
                    break;
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
