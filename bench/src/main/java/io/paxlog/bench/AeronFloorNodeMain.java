package io.paxlog.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One raw-Aeron floor node ({@link RelayNode}) in its own JVM, for {@link AeronFloorTarget} in the
 * {@link BenchSettings#PROCESSES} topology:
 * {@code AeronFloorNodeMain NAME DIR IDLE (IN_CHANNEL IN_STREAM OUT_CHANNEL OUT_STREAM)...}.
 *
 * <p>Every 50 ms it writes {@code DIR/status}: {@code connected=true|false updated_ms=...} ({@code true} once every
 * route's publication has a subscriber). It runs until killed, stopped by a signal, or its standard input (a pipe
 * from the parent) reaches end of file. Exit 2 on bad arguments.
 */
public final class AeronFloorNodeMain
{
    private AeronFloorNodeMain()
    {
    }

    /** The arguments that start node {@code name} with these routes (each four words, as {@link #main} takes). */
    static List<String> args(final String name, final Path dir, final String idleStrategy, final List<String> routes)
    {
        final List<String> args = new ArrayList<>(List.of(name, dir.toString(), idleStrategy));
        args.addAll(routes);
        return args;
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 7 || (args.length - 3) % 4 != 0 || !BenchSettings.IDLE_STRATEGIES.contains(args[2]))
        {
            System.err.println("usage: AeronFloorNodeMain NAME DIR IDLE (IN_CHANNEL IN_STREAM OUT_CHANNEL " +
                "OUT_STREAM)...; IDLE one of " + BenchSettings.IDLE_STRATEGIES);
            System.exit(2);
        }
        ChildSupport.exitWithParent();
        final CountDownLatch stop = ChildSupport.stopOnShutdown();
        final Path dir = Path.of(args[1]);
        try (RelayNode node = new RelayNode(args[0], args[2], dir))
        {
            for (int i = 3; i < args.length; i += 4)
            {
                node.route(args[i], Integer.parseInt(args[i + 1]), args[i + 2], Integer.parseInt(args[i + 3]));
            }
            node.start();
            System.out.println("aeron floor node " + args[0] + " started: " + (args.length - 3) / 4 + " route(s)");
            do
            {
                ChildSupport.writeStatus(dir, "connected=" + node.isConnected());
            }
            while (!ChildSupport.awaitStop(stop));
        }
    }
}
