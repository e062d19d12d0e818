package io.paxlog.ops;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.protocol.Member;

/**
 * Started by {@link JvmFlagsTest} in a JVM without Paxlog's flags: builds a client as an application would and prints
 * what it was refused with (the error's class and message), then exits 3; exits 0 if the client started.
 */
public final class JvmFlagsProbe
{
    private JvmFlagsProbe()
    {
    }

    public static void main(final String[] args)
    {
        try (PaxlogClient client = new PaxlogClient(new PaxlogClientContext()
            .members(new Member(0, "127.0.0.1", 40300, 40301)).aeronDirectoryName(args[0])))
        {
            System.out.println("started " + client.sessionId());
        }
        catch (final Throwable t)
        {
            System.out.println(t.getClass().getName() + ": " + t.getMessage());
            System.exit(3);
        }
    }
}
