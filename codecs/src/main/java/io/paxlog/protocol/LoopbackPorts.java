package io.paxlog.protocol;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free UDP ports on loopback for local clusters (tests, ops/demo), chosen below the kernel's ephemeral range
 * (32768 and up on Linux). A port found free by binding port 0 comes from that range, so between the probe and the
 * node's own bind the kernel may hand it to someone else's ephemeral endpoint (an Aeron publication's, a client's):
 * CI once failed with "Address already in use" that way. Ports from {@value #FIRST}..{@value #LAST} are never handed
 * out implicitly, and this JVM never hands out one twice. Thread-safe.
 */
public final class LoopbackPorts
{
    static final int FIRST = 20_000;
    static final int LAST = 32_000;
    private static final Set<Integer> GIVEN = new HashSet<>();

    private LoopbackPorts()
    {
    }

    /** A port nobody in this JVM was given before and that is free on loopback now. */
    public static int free()
    {
        return free(InetAddress.getLoopbackAddress());
    }

    /**
     * A port nobody in this JVM was given before and that is free on {@code address} now (a client's response
     * endpoint on the interface toward its cluster, say).
     */
    public static synchronized int free(final InetAddress address)
    {
        for (int attempt = 0; attempt < 1_000; attempt++)
        {
            final int port = FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST);
            if (GIVEN.contains(port))
            {
                continue;
            }
            try (DatagramSocket s = new DatagramSocket(port, address))
            {
                GIVEN.add(port);
                return port;
            }
            catch (final IOException ex)
            {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free UDP port on " + address.getHostAddress() + " in " + FIRST + ".." + LAST);
    }
}
