package io.paxlog.bench;

import static io.paxlog.bench.CoreStubs.NO_OUTBOX;

import io.paxlog.core.CommitListener;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.Role;
import io.paxlog.node.ChronicleJournal;
import io.paxlog.node.SyncPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Journal replay rate on restart: writes N accepted entries (32-byte payloads) and commit marks into a Chronicle
 * journal, as a follower would, then times how fast a fresh {@link ConsensusNode} rebuilds its state from it
 * (replay, log ring, delivery of every committed slot). Prints entries per second.
 */
public final class ReplayRateBench
{
    private ReplayRateBench()
    {
    }

    static int main(final String[] args) throws Exception
    {
        long entries = 1_000_000;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--entries") && i + 1 < args.length)
            {
                try
                {
                    entries = Long.parseLong(args[++i]);
                }
                catch (final NumberFormatException ex)
                {
                    entries = -1;
                }
                if (entries < 1 || entries > 100_000_000)
                {
                    System.err.println("ops/bench replay: --entries must be an integer in 1..100000000");
                    return 2;
                }
            }
            else
            {
                System.err.println("ops/bench replay: unknown option '" + args[i] + "'\n" + BenchMain.USAGE);
                return 2;
            }
        }
        final Measurement m = measure(entries);
        System.out.printf("journal write: %d entries in %d ms (%d entries/s)%n", entries, m.writeNs() / 1_000_000,
            m.writeRate());
        System.out.printf("replay on restart: %d entries delivered in %d ms (%d entries/s)%n", m.delivered(),
            m.replayNs() / 1_000_000, m.replayRate());
        return m.delivered() == entries ? 0 : 1;
    }

    /**
     * The figures of one measurement.
     *
     * @param entries   entries written
     * @param writeNs   time to write them (and their commit marks) to the journal, unsynced
     * @param replayNs  time for a fresh node to open the journal and deliver every committed entry
     * @param delivered committed entries delivered by the replay (equals {@code entries} unless something is wrong)
     */
    public record Measurement(long entries, long writeNs, long replayNs, long delivered)
    {
        public long writeRate()
        {
            return entries * 1_000_000_000L / Math.max(1, writeNs);
        }

        public long replayRate()
        {
            return delivered * 1_000_000_000L / Math.max(1, replayNs);
        }
    }

    /** Writes {@code entries} entries to a journal in a temporary directory, replays them, deletes the directory. */
    public static Measurement measure(final long entries) throws Exception
    {
        final Path dir = Files.createTempDirectory("paxlog-bench-replay");
        try
        {
            final long writeStart = System.nanoTime();
            try (ChronicleJournal journal = new ChronicleJournal(dir.resolve("journal"), SyncPolicy.NONE))
            {
                final Entry entry = new Entry();
                final byte[] payload = new byte[32];
                journal.appendPromise(1L << 32);
                for (long slot = 1; slot <= entries; slot++)
                {
                    journal.appendAccepted(slot, 1L << 32, entry.setCommand(7, slot, slot, payload, 0, payload.length));
                    if (slot % 64 == 0 || slot == entries)
                    {
                        journal.appendCommit(slot);
                    }
                }
            }
            final long writeNs = System.nanoTime() - writeStart;
            final long[] delivered = new long[1];
            final long replayStart = System.nanoTime();
            try (ChronicleJournal journal = new ChronicleJournal(dir.resolve("journal"), SyncPolicy.NONE))
            {
                final CoreConfig config = new CoreConfig().nodeId(1).memberCount(3).conclude();
                final ConsensusNode node = new ConsensusNode(config, journal, NO_OUTBOX, new CommitListener()
                {
                    public void onCommitted(final long slot, final long ballot, final Entry e)
                    {
                        delivered[0]++;
                    }

                    public void onRoleChange(final Role newRole, final long ballot, final long nowNs,
                        final String reason)
                    {
                    }
                });
                node.start(System.nanoTime());
            }
            final long replayNs = System.nanoTime() - replayStart;
            return new Measurement(entries, writeNs, replayNs, delivered[0]);
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
