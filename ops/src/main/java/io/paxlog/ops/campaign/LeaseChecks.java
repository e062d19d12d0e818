package io.paxlog.ops.campaign;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lease exclusivity, checked directly: no two members may believe they hold a live lease at the same instant
 * (PROTOCOL.md invariant 3). A stale read needs a client to ask the old leader inside the overlap; this check
 * needs only the monitor to ask both leaders during it.
 *
 * <p>Soundness. A member that answers "leader, {@code X} ns of lease left" was asked at {@code a} and answered by
 * {@code r} on the campaign's clock; the node computes {@code X} from a clock reading taken after the request
 * arrived, so at some instant {@code t} in {@code [a, r]} its lease was live for {@code X} more of its own
 * nanoseconds, which is at least {@code X (1 - rho)} real ones while its clock runs within the drift bound
 * {@code rho}. Its lease was therefore certainly live over {@code [r, a + X (1 - rho)]}. Two such intervals from
 * different members that intersect are a violation, whatever the poll latencies were; the check never guesses.
 * A clock driven beyond the bound (the {@code clock-skew-beyond} fault) breaks the premise, and then the reported
 * overlap is exactly the failure the docs warn about.
 */
final class LeaseChecks
{
    /** An overlap of two members' certainly-live lease intervals. */
    record Overlap(History.LeaseSample first, History.LeaseSample second, long fromNs, long toNs)
    {
        String describe()
        {
            return "lease overlap: member " + first.member() + " (ballot " + first.ballot() + ") and member " +
                second.member() + " (ballot " + second.ballot() + ") both held a live lease from " + ms(fromNs) +
                " to " + ms(toNs) + " ms into the campaign (member " + first.member() + " answered " +
                ms(first.remainingNs()) + " ms left at " + ms(first.answeredNs()) + " ms, member " +
                second.member() + " answered " + ms(second.remainingNs()) + " ms left at " + ms(second.answeredNs()) +
                " ms)";
        }

        private static String ms(final long ns)
        {
            return String.format("%.1f", ns / 1e6);
        }
    }

    private LeaseChecks()
    {
    }

    /** The end of the interval over which {@code s}'s lease was certainly live (before its start if none). */
    static long certainEndNs(final History.LeaseSample s, final long driftPpm)
    {
        return s.askedNs() + s.remainingNs() - s.remainingNs() / 1_000_000L * driftPpm -
            s.remainingNs() % 1_000_000L * driftPpm / 1_000_000L;
    }

    /**
     * Every pair of samples from different members whose certainly-live intervals intersect, at most one per pair of
     * ballots (the first found), in order of the overlap's start.
     */
    static List<Overlap> overlaps(final List<History.LeaseSample> samples, final long driftPpm)
    {
        final List<History.LeaseSample> live = new ArrayList<>();
        for (final History.LeaseSample s : samples)
        {
            if (certainEndNs(s, driftPpm) > s.answeredNs())
            {
                live.add(s);
            }
        }
        live.sort(Comparator.comparingLong(History.LeaseSample::answeredNs));
        final List<Overlap> found = new ArrayList<>();
        final Set<String> pairs = new HashSet<>();
        for (int i = 0; i < live.size(); i++)
        {
            final History.LeaseSample a = live.get(i);
            final long endA = certainEndNs(a, driftPpm);
            // every later sample starts at or after a's start; the ones starting before a's end intersect it
            for (int j = i + 1; j < live.size() && live.get(j).answeredNs() < endA; j++)
            {
                final History.LeaseSample b = live.get(j);
                if (b.member() == a.member() || b.ballot() == a.ballot())
                {
                    continue; // one member, or one term (a ballot names its leader): never two leases
                }
                final long toNs = Math.min(endA, certainEndNs(b, driftPpm));
                final String pair = Math.min(a.ballot(), b.ballot()) + "/" + Math.max(a.ballot(), b.ballot());
                if (pairs.add(pair))
                {
                    found.add(new Overlap(a, b, b.answeredNs(), toNs));
                }
            }
        }
        return found;
    }
}
