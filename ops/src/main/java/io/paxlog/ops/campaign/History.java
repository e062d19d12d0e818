package io.paxlog.ops.campaign;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The campaign's record of every client operation and every fault, on one clock (nanoseconds since the campaign
 * began). Bounded: past {@code opsMax} operations the workers stop issuing (the campaign reports it).
 * Thread-safe: workers and the nemesis append concurrently.
 */
final class History
{
    /** A fault as the nemesis applied it: active from {@code startNs} until {@code endNs} (-1 while active). */
    record Fault(String name, String detail, long startNs, long endNs)
    {
    }

    /** Who led, as the monitor saw it. */
    record LeaderSample(long atNs, int leaderId, long ballot)
    {
    }

    /**
     * A member that answered the monitor as leader with a live lease: asked at {@code askedNs}, answered by
     * {@code answeredNs}, with {@code remainingNs} of lease left on its own clock when it answered.
     */
    record LeaseSample(int member, long ballot, long askedNs, long answeredNs, long remainingNs)
    {
    }

    /**
     * A member replaced by a new one ({@code ops/cluster replace-member}) from {@code startNs} to {@code endNs};
     * {@code ok} false if the command failed.
     */
    record Replacement(int oldId, int newId, long startNs, long endNs, boolean ok)
    {
        long tookMs()
        {
            return (endNs - startNs) / 1_000_000;
        }

        /** {@code replace-member old=1 new=3 took_ms=2140}, and {@code failed} when it did not succeed. */
        String line()
        {
            return "replace-member old=" + oldId + " new=" + newId + " took_ms=" + tookMs() + (ok ? "" : " failed");
        }

        /** As a fault interval, for the timeline's active column and bars. */
        Fault asFault()
        {
            return new Fault("replace-member", "old=" + oldId + " new=" + newId + (ok ? "" : ", failed"), startNs,
                endNs);
        }
    }

    /** The most lease samples kept (a 200 ms poll of one leader fills it in over 50 hours). */
    static final int LEASE_SAMPLES_MAX = 1_000_000;

    private final long startNs;
    private final int opsMax;
    private final List<Op> ops = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<LeaderSample> leaders = new ArrayList<>();
    private final List<LeaseSample> leases = new ArrayList<>();
    private final List<Replacement> replacements = new ArrayList<>();
    private long leaseSamplesDropped;
    private int nextProcess;

    History(final long startNs, final int opsMax)
    {
        this.startNs = startNs;
        this.opsMax = opsMax;
    }

    long nowNs()
    {
        return System.nanoTime() - startNs;
    }

    long startNs()
    {
        return startNs;
    }

    synchronized int newProcess()
    {
        return nextProcess++;
    }

    synchronized boolean full()
    {
        return ops.size() >= opsMax;
    }

    synchronized void add(final Op op)
    {
        ops.add(op);
    }

    synchronized int faultStarted(final String name, final String detail)
    {
        faults.add(new Fault(name, detail, nowNs(), -1));
        return faults.size() - 1;
    }

    synchronized void faultEnded(final int index)
    {
        final Fault f = faults.get(index);
        faults.set(index, new Fault(f.name(), f.detail(), f.startNs(), nowNs()));
    }

    /** Ends fault {@code index} now, marking it failed (it may have been applied only in part). */
    synchronized void faultFailed(final int index, final String why)
    {
        final Fault f = faults.get(index);
        faults.set(index, new Fault(f.name(), f.detail() + "; failed: " + why, f.startNs(), nowNs()));
    }

    synchronized void leader(final int leaderId, final long ballot)
    {
        final LeaderSample last = leaders.isEmpty() ? null : leaders.get(leaders.size() - 1);
        if (last == null || last.leaderId() != leaderId || last.ballot() != ballot)
        {
            leaders.add(new LeaderSample(nowNs(), leaderId, ballot));
        }
    }

    synchronized List<Op> ops()
    {
        final List<Op> copy = new ArrayList<>(ops);
        copy.sort(Comparator.comparingLong(Op::invokeNs));
        return copy;
    }

    synchronized List<Fault> faults()
    {
        return new ArrayList<>(faults);
    }

    synchronized List<LeaderSample> leaders()
    {
        return new ArrayList<>(leaders);
    }

    synchronized void replaced(final Replacement replacement)
    {
        replacements.add(replacement);
    }

    synchronized List<Replacement> replacements()
    {
        return new ArrayList<>(replacements);
    }

    synchronized void lease(final LeaseSample sample)
    {
        if (leases.size() < LEASE_SAMPLES_MAX)
        {
            leases.add(sample);
        }
        else
        {
            leaseSamplesDropped++;
        }
    }

    synchronized List<LeaseSample> leases()
    {
        return new ArrayList<>(leases);
    }

    synchronized long leaseSamplesDropped()
    {
        return leaseSamplesDropped;
    }

    /** Writes the operations (one {@link Op#line()} each, by invocation time) and the faults as comments. */
    void write(final Path file) throws IOException
    {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file)))
        {
            out.println("# paxlog campaign history: process kind key arg1 arg2 invoke_ns complete_ns outcome value token");
            for (final Fault f : faults())
            {
                out.println("# fault " + f.name() + " [" + f.detail() + "] " + f.startNs() + " " + f.endNs());
            }
            for (final Replacement r : replacements())
            {
                out.println("# " + r.line() + " " + r.startNs() + " " + r.endNs());
            }
            for (final LeaderSample s : leaders())
            {
                out.println("# leader " + s.leaderId() + " ballot " + s.ballot() + " at " + s.atNs());
            }
            for (final LeaseSample s : leases())
            {
                out.println("# lease member " + s.member() + " ballot " + s.ballot() + " asked " + s.askedNs() +
                    " answered " + s.answeredNs() + " remaining " + s.remainingNs());
            }
            for (final Op op : ops())
            {
                out.println(op.line());
            }
        }
    }

    /** Reads the operations of a history file written by {@link #write}. */
    static List<Op> read(final Path file) throws IOException
    {
        final List<Op> result = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            if (!line.isBlank() && !line.startsWith("#"))
            {
                result.add(Op.parse(line));
            }
        }
        return result;
    }
}
