package io.paxlog.bench;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Helpers shared by the in-process targets: ports, directories, media drivers and the message header. */
final class TargetSupport
{
    static final String HOST = "127.0.0.1";
    static final int ID_OFFSET = 0;
    static final int INTENDED_OFFSET = 8;

    private TargetSupport()
    {
    }

    /**
     * {@code count} distinct free UDP ports on 127.0.0.1 (all sockets are held open until every port is picked, so
     * none repeats; another process could still take one before it is bound again, which is unlikely).
     */
    static int[] freeUdpPorts(final int count) throws IOException
    {
        final DatagramSocket[] sockets = new DatagramSocket[count];
        final int[] ports = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                ports[i] = sockets[i].getLocalPort();
            }
        }
        finally
        {
            for (final DatagramSocket socket : sockets)
            {
                if (socket != null)
                {
                    socket.close();
                }
            }
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
        return new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(settings.newIdleStrategy())
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
}
