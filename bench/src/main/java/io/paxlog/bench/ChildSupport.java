package io.paxlog.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmark's child-JVM mains ({@link AeronFloorNodeMain}, {@link AeronClusterMemberMain}) share: exit
 * with the parent, stop on a signal, and report through a status file the parent reads.
 */
final class ChildSupport
{
    /** How often a child rewrites its status file. */
    static final long STATUS_INTERVAL_MS = 50;

    private ChildSupport()
    {
    }

    /**
     * Starts a daemon thread that exits the JVM (running its shutdown hooks) when standard input reaches end of file,
     * which happens when the parent, holding the other end of the pipe, dies, even by SIGKILL.
     */
    static void exitWithParent()
    {
        final Thread watcher = new Thread(() ->
        {
            final InputStream in = System.in;
            try
            {
                while (in.read() >= 0)
                {
                    // the parent never writes; anything read is ignored
                }
            }
            catch (final IOException ignored)
            {
                // a broken pipe means the same: the parent is gone
            }
            System.out.println("parent gone (end of standard input): exiting");
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** A latch counted down by a shutdown hook (SIGTERM, Ctrl-C, {@link #exitWithParent}). */
    static CountDownLatch stopOnShutdown()
    {
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "child-shutdown"));
        return stop;
    }

    /** Waits {@link #STATUS_INTERVAL_MS}; true when the JVM is shutting down. */
    static boolean awaitStop(final CountDownLatch stop) throws InterruptedException
    {
        return stop.await(STATUS_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Replaces {@code dir/status} atomically with {@code fields updated_ms=<now>}. */
    static void writeStatus(final Path dir, final String fields)
    {
        final Path tmp = dir.resolve("status.tmp");
        try
        {
            Files.writeString(tmp, fields + " updated_ms=" + System.currentTimeMillis() + "\n");
            Files.move(tmp, dir.resolve("status"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            System.err.println("cannot write " + dir.resolve("status") + ": " + ex);
        }
    }
}
