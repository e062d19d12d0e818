package io.paxlog.ops.campaign;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseChecksTest
{
    private static final long MS = 1_000_000L;
    private static final long RHO_PPM = 50_000L;

    private static History.LeaseSample sample(final int member, final long ballot, final long askedMs,
        final long answeredMs, final long remainingMs)
    {
        return new History.LeaseSample(member, ballot, askedMs * MS, answeredMs * MS, remainingMs * MS);
    }

    @Test
    void aHandoverAfterTheOldLeaseEndsIsClean()
    {
        // member 0 certainly holds its lease over [1, 0 + 100 * 0.95] = [1, 95] ms; member 1 is first seen at 101 ms
        final List<LeaseChecks.Overlap> found = LeaseChecks.overlaps(List.of(
            sample(0, 10, 0, 1, 100), sample(1, 21, 100, 101, 150), sample(1, 21, 200, 201, 150)), RHO_PPM);
        assertTrue(found.isEmpty(), found.toString());
    }

    @Test
    void twoLeasesLiveAtOnceAreCaught()
    {
        final List<LeaseChecks.Overlap> found = LeaseChecks.overlaps(List.of(
            sample(0, 10, 0, 1, 100), sample(1, 21, 89, 90, 150)), RHO_PPM);
        assertEquals(1, found.size());
        final LeaseChecks.Overlap o = found.get(0);
        assertEquals(90 * MS, o.fromNs());
        assertEquals(95 * MS, o.toNs());
        assertTrue(o.describe().startsWith("lease overlap: member 0 (ballot 10) and member 1 (ballot 21)"),
            o.describe());
    }

    @Test
    void theDriftBoundIsGrantedBeforeCallingItAnOverlap()
    {
        // member 0's own clock said 100 ms left; a clock running 5 % fast makes that 95 real ms: 97 is not inside
        assertTrue(LeaseChecks.overlaps(List.of(sample(0, 10, 0, 1, 100), sample(1, 21, 96, 97, 150)),
            RHO_PPM).isEmpty());
        assertEquals(1, LeaseChecks.overlaps(List.of(sample(0, 10, 0, 1, 100), sample(1, 21, 96, 97, 150)),
            0).size());
    }

    @Test
    void aSlowAnswerProvesLessAndCanProveNothing()
    {
        // asked at 0, answered at 50 with 60 left: certainly live over [50, 57]
        assertEquals(1, LeaseChecks.overlaps(List.of(sample(0, 10, 0, 50, 60), sample(1, 21, 54, 55, 150)),
            RHO_PPM).size());
        // answered at 60 with 60 left: the lease may have ended before the answer arrived, so nothing is proven
        assertTrue(LeaseChecks.overlaps(List.of(sample(0, 10, 0, 60, 60), sample(1, 21, 60, 61, 150)),
            RHO_PPM).isEmpty());
    }

    @Test
    void oneMemberNeverOverlapsItselfAndEachPairOfBallotsIsReportedOnce()
    {
        assertTrue(LeaseChecks.overlaps(List.of(sample(0, 10, 0, 1, 100), sample(0, 30, 20, 21, 100)),
            RHO_PPM).isEmpty());
        // one ballot is one leader's term: two samples of it are one lease, whichever member was asked
        assertTrue(LeaseChecks.overlaps(List.of(sample(0, 10, 0, 1, 100), sample(1, 10, 20, 21, 100)),
            RHO_PPM).isEmpty());
        final List<LeaseChecks.Overlap> found = LeaseChecks.overlaps(List.of(
            sample(1, 21, 30, 31, 150), sample(0, 10, 0, 1, 100), sample(1, 21, 40, 41, 150),
            sample(2, 32, 50, 51, 150)), RHO_PPM);
        assertEquals(List.of("10/21", "10/32", "21/32"), found.stream()
            .map(o -> o.first().ballot() + "/" + o.second().ballot()).toList());
    }
}
