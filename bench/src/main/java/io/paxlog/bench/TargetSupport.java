package io.paxlog.bench;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paxlog.protocol.LoopbackPorts;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Helpers shared by the targets: ports, directories, media drivers, the message header, and for the
 * {@link BenchSettings#PROCESSES} topology the Paxlog home, the taskset prefix, shutdown hooks and status files.
 */
final class TargetSupport
{
    static final String HOST = "127.0.0.1";
    static final int ID_OFFSET = 0;
    static final int INTENDED_OFFSET = 8;
    /** The system property naming the Paxlog checkout whose {@code ops/lib/jvm.flags} child JVMs get. */
    static final String PAXLOG_HOME_PROP = "paxlog.home";
    /** A child's status file older than this is not trusted (children rewrite it every 50 ms). */
    static final long STATUS_FRESH_MS = 500;

    private TargetSupport()
    {
    }

    /**
     * {@code count} distinct free UDP ports on 127.0.0.1, below the kernel's ephemeral range (a port probed with
     * bind(0) could be handed to another socket before the target binds it: CI failed once that way).
     */
    static int[] freeUdpPorts(final int count)
    {
        final int[] ports = new int[count];
        for (int i = 0; i < count; i++)
        {
            ports[i] = LoopbackPorts.free();
        }
        return ports;
    }

    static Path createTempDir(final BenchSettings settings, final String name) throws IOException
    {
        Files.createDirectories(settings.tempRoot());
        return Files.createTempDirectory(settings.tempRoot(), "paxlog-bench-" + name + "-");
    }

    static void deleteDir(final Path dir)
    {
        if (dir != null)
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /** An embedded media driver's context: SHARED threading, the settings' idle strategy, its own directory. */
    static MediaDriver.Context driverContext(final BenchSettings settings, final Path aeronDir)
    {
        return driverContext(settings.newIdleStrategy(), aeronDir);
    }

    /** An embedded media driver's context: SHARED threading, this idle strategy, its own directory. */
    static MediaDriver.Context driverContext(final IdleStrategy idleStrategy, final Path aeronDir)
    {
        return new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idleStrategy)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
    }

    static void writeHeader(final MutableDirectBuffer buffer, final int offset, final long id, final long intendedNs)
    {
        buffer.putLong(offset + ID_OFFSET, id, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + INTENDED_OFFSET, intendedNs, ByteOrder.LITTLE_ENDIAN);
    }

    static long readId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    static long readIntended(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + INTENDED_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /** Waits (sleeping 1 ms between checks) until the condition holds; throws naming {@code what} on timeout. */
    static void await(final BooleanSupplier condition, final long timeoutMs, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Refuses {@link BenchSettings#cpus()} in-process: pinning is applied to child JVMs only. */
    static void checkPinning(final BenchSettings settings, final String target)
    {
        if (settings.cpus() != null && !settings.processes())
        {
            throw new IllegalArgumentException(target + ": cpus=" + settings.cpus() + " needs topology " +
                BenchSettings.PROCESSES + " (in-process pinning is not supported; start the JVM under taskset)");
        }
    }

    /** The words put before a child's {@code java} command: {@code taskset -c <cpus>}, or none. */
    static List<String> commandPrefix(final BenchSettings settings)
    {
        return settings.cpus() == null ? List.of() : List.of("taskset", "-c", settings.cpus());
    }

    /**
     * The Paxlog checkout: {@code -Dpaxlog.home}, else the nearest directory at or above the working directory that
     * holds {@code ops/lib/jvm.flags} (a test runs in {@code bench/}).
     */
    static Path paxlogHome()
    {
        final String property = System.getProperty(PAXLOG_HOME_PROP);
        if (property != null)
        {
            return Path.of(property);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("ops").resolve("lib").resolve("jvm.flags")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no ops/lib/jvm.flags at or above " + Path.of("").toAbsolutePath() +
            ": set -D" + PAXLOG_HOME_PROP + "=<Paxlog checkout> to start child JVMs");
    }

    /**
     * Registers a JVM shutdown hook that closes {@code resource} (so a Ctrl-C of the runner does not leave child
     * processes behind); returns it for {@link #removeShutdownHook}.
     */
    static Thread closeOnShutdown(final String name, final AutoCloseable resource)
    {
        final Thread hook = new Thread(() -> CloseHelper.quietClose(resource), name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook of {@link #closeOnShutdown}; quiet when null or when the JVM is already shutting down. */
    static void removeShutdownHook(final Thread hook)
    {
        if (hook != null && hook != Thread.currentThread())
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // shutting down: the hook runs (or ran) anyway
            }
        }
    }

    /** A status file's line if it was written within {@link #STATUS_FRESH_MS} ({@code updated_ms=} last), else null. */
    static String freshStatus(final Path file) throws IOException
    {
        final String line;
        try
        {
            line = Files.readString(file).trim();
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        final int at = line.lastIndexOf("updated_ms=");
        if (at < 0 || System.currentTimeMillis() - Long.parseLong(line.substring(at + 11)) >= STATUS_FRESH_MS)
        {
            return null;
        }
        return line;
    }

    /** The value of {@code key=} in a status line of space-separated {@code key=value} fields, or null. */
    static String statusField(final String line, final String key)
    {
        final String prefix = key + "=";
        for (final String field : line.split(" "))
        {
            if (field.startsWith(prefix))
            {
                return field.substring(prefix.length());
            }
        }
        return null;
    }
}
