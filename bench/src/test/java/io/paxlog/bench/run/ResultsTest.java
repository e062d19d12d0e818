package io.paxlog.bench.run;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsTest
{
    private static Histogram constant(final long ns)
    {
        final Histogram h = new Histogram(60_000_000_000L, 3);
        h.recordValueWithCount(ns, 100);
        return h;
    }

    private static ResultRow write(final String system, final long rate, final int bytes, final long ns)
    {
        return ResultRow.latency("write", system, "write", rate, bytes, constant(ns), 100, 100, "");
    }

    @Test
    void summaryRatiosComeFromTheHeadlinePoint()
    {
        final Results r = new Results(null);
        r.add(write("paxlog", 1_000, 32, 10_000));          // not the headline point: ignored
        r.add(write("paxlog", 10_000, 288, 10_000));         // not the headline point: ignored
        r.add(write("paxlog", 10_000, 32, 300_000));
        r.add(write("aeron-cluster", 10_000, 32, 600_000));
        r.add(write("aeron-floor-2", 10_000, 32, 200_000));
        r.add(ResultRow.latency("reads", "paxlog", "write", 0, 32, constant(400_000), 100, 100, ""));
        r.add(ResultRow.latency("reads", "paxlog", "lease-read", 0, 32, constant(100_000), 100, 100, ""));
        r.add(ResultRow.figure("max-rate", "paxlog", "max-rate", 30_000, "msg/s", ""));
        r.add(ResultRow.figure("max-rate", "aeron-cluster", "max-rate", 10_000, "msg/s", ""));
        assertEquals("summary write_p50_ratio=0.50 write_p99_ratio=0.50 floor_ratio=1.50 lease_read_ratio=0.25 " +
            "max_rate_ratio=3.00 worst_p99_ratio=0.50 throughput_ratio=n/a", r.summaryLine());
    }

    @Test
    void missingInputsGiveNotAvailableNotZero()
    {
        final Results r = new Results(null);
        r.add(write("paxlog", 10_000, 32, 300_000));
        r.add(ResultRow.figure("max-rate", "paxlog", "max-rate", 30_000, "msg/s", ""));
        r.add(ResultRow.figure("max-rate", "aeron-cluster", "max-rate", 0, "msg/s", ""));
        assertEquals("summary write_p50_ratio=n/a write_p99_ratio=n/a floor_ratio=n/a lease_read_ratio=n/a " +
            "max_rate_ratio=inf worst_p99_ratio=n/a throughput_ratio=n/a", r.summaryLine());
        final Results none = new Results(null);
        none.add(ResultRow.figure("max-rate", "paxlog", "max-rate", 0, "msg/s", ""));
        none.add(ResultRow.figure("max-rate", "aeron-cluster", "max-rate", 0, "msg/s", ""));
        assertEquals("summary write_p50_ratio=n/a write_p99_ratio=n/a floor_ratio=n/a lease_read_ratio=n/a " +
            "max_rate_ratio=n/a worst_p99_ratio=n/a throughput_ratio=n/a", none.summaryLine());
    }

    @Test
    void csvAndMarkdownCarryEveryRow()
    {
        final Results r = new Results(null);
        r.add(write("paxlog", 10_000, 32, 300_000));
        r.add(ResultRow.figure("replay", "paxlog", "replay", 1_234_567, "entries/s", "a \"note\""));
        r.fail("write x: 3 lost");
        final String csv = r.csv();
        final String[] lines = csv.split("\n");
        assertEquals(3, lines.length, csv);
        assertEquals("scenario,system,kind,rate_msg_s,bytes,p50_us,p90_us,p99_us,p99_9_us,p99_99_us,max_us,sent," +
            "received,lost,value,unit,note,repeat,not_sent,gc_pauses,gc_total_ms,gc_max_ms", lines[0]);
        assertTrue(lines[1].startsWith("write,paxlog,write,10000,32,300.0,300.0,300.0,300.0,300.0,300.0,100,100,0"),
            lines[1]);
        assertTrue(lines[2].contains("1234567.0,entries/s,\"a 'note'\""), lines[2]);
        final String md = r.markdown("cores: 2\n", java.util.List.of("write-10000mps-32B.png"));
        assertTrue(md.contains("| paxlog | write | 10000 | 32 | 300 |"), md);
        assertTrue(md.contains("**Run failed:**"), md);
        assertTrue(md.contains("![write-10000mps-32B.png](write-10000mps-32B.png)"), md);
        assertTrue(md.contains("cores: 2"), md);
    }

    /**
     * With --repeat the headline ratios are the medians of the runs paired by repeat number, not of one run: an
     * outlier run (here the second, where Paxlog was slow) moves the min-max, not the summary.
     */
    @Test
    void repeatedRunsGiveMedianRatiosWithTheirSpread()
    {
        final Results r = new Results(null);
        final long[] paxlog = {300_000, 900_000, 330_000};
        final long[] cluster = {600_000, 600_000, 600_000};
        for (int run = 1; run <= 3; run++)
        {
            r.add(ResultRow.latency("write", "paxlog", "write", 10_000, 32, constant(paxlog[run - 1]), 100, 100, "",
                run));
            r.add(ResultRow.latency("write", "aeron-cluster", "write", 10_000, 32, constant(cluster[run - 1]), 100,
                100, "", run));
        }
        assertEquals("summary write_p50_ratio=0.55 write_p99_ratio=0.55 floor_ratio=n/a lease_read_ratio=n/a " +
            "max_rate_ratio=n/a worst_p99_ratio=0.55 throughput_ratio=n/a", r.summaryLine());
        final String md = r.markdown("m\n", java.util.List.of());
        assertTrue(md.contains("## write, 3 interleaved runs: median [min-max]"), md);
        assertTrue(md.contains("| paxlog | 10000 | 32 | 3 | 330.2 [300.0-900.1] |"), md);
        assertTrue(md.contains("| 10000 msg/s 32 B | paxlog / aeron-cluster p50 | 0.55 [0.50-1.50] |"), md);
        assertTrue(r.csv().contains(",\"\",3,0,,,\n"), "the repeat column: " + r.csv());
        assertEquals("write-paxlog-10000mps-32B-r2", r.rows().get(2).key());
    }

    private static final long LIMIT_US = Results.DEFAULT_THROUGHPUT_P99_LIMIT_US;

    /** One run of a throughput point: every message answered unless {@code lost} or {@code notSent} say otherwise. */
    private static ResultRow point(final String system, final long rate, final int bytes, final long p99Ns,
        final long lost, final long notSent, final int repeat)
    {
        return ResultRow.openLoop("throughput", system, rate, bytes, constant(p99Ns), 100, 100 - lost, notSent,
            new GcPauses(1, 2.0, 2.0), "", repeat);
    }

    @Test
    void aRunSustainsItsRateOnlyWhenEverythingWasSentAndAnsweredUnderTheP99Limit()
    {
        assertTrue(Throughput.sustains(point("x", 10_000, 32, 9_000_000, 0, 0, 0), LIMIT_US));
        assertFalse(Throughput.sustains(point("x", 10_000, 32, 9_000_000, 1, 0, 0), LIMIT_US), "one lost");
        assertFalse(Throughput.sustains(point("x", 10_000, 32, 9_000_000, 0, 5, 0), LIMIT_US), "not all sent");
        assertFalse(Throughput.sustains(point("x", 10_000, 32, 11_000_000, 0, 0, 0), LIMIT_US), "p99 over");
        assertFalse(Throughput.sustains(point("x", 10_000, 32, 10_000_000, 0, 0, 0), LIMIT_US), "p99 at the limit");
        assertTrue(Throughput.sustains(point("x", 10_000, 32, 11_000_000, 0, 0, 0), 20_000), "a looser limit");
        assertFalse(Throughput.sustains(ResultRow.openLoop("throughput", "x", 10_000, 32,
            new org.HdrHistogram.Histogram(60_000_000_000L, 3), 0, 0, 0, null, "", 0), LIMIT_US), "nothing sent");
        assertEquals("not sustained: lost 1", Throughput.verdict(point("x", 10_000, 32, 9_000_000, 1, 0, 0),
            LIMIT_US));
        final String overLimit = Throughput.verdict(point("x", 10_000, 32, 11_000_000, 0, 0, 0), LIMIT_US);
        assertTrue(overLimit.matches("not sustained: p99 1100\\d\\.\\d us >= 10000 us"), overLimit);
        assertEquals("not sustained: 5 not sent (back-pressure)", Throughput.verdict(point("x", 10_000, 32,
            9_000_000, 0, 5, 0), LIMIT_US));
        assertEquals("sustained", Throughput.verdict(point("x", 10_000, 32, 9_000_000, 0, 0, 0), LIMIT_US));
    }

    /** No early stop: a failure at 40k does not hide that 80k was sustained. */
    @Test
    void throughputIsTheHighestSustainedRateEvenAboveAFailure()
    {
        final Results r = new Results(null);
        r.add(point("paxlog", 10_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("paxlog", 20_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("paxlog", 40_000, 32, 15_000_000, 0, 0, 0));  // p99 over 10 ms: fails
        r.add(point("paxlog", 80_000, 32, 2_000_000, 0, 0, 0));   // sustained again
        r.add(point("paxlog", 160_000, 32, 2_000_000, 3, 0, 0));  // lost 3: fails
        r.add(point("paxlog", 320_000, 32, 2_000_000, 0, 40, 0)); // could not send everything: fails
        r.add(point("aeron-cluster", 10_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("aeron-cluster", 20_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("aeron-cluster", 40_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("aeron-cluster", 80_000, 32, 30_000_000, 0, 0, 0));
        r.add(point("paxlog", 10_000, 288, 1_000_000, 0, 0, 0));     // another size: not in T
        r.add(point("aeron-cluster", 10_000, 288, 1_000_000, 0, 0, 0));
        r.add(point("aeron-cluster", 20_000, 288, 1_000_000, 0, 0, 0));
        assertEquals(java.util.Optional.of(80_000L), r.throughput("paxlog", 32));
        assertEquals(java.util.Optional.of(40_000L), r.throughput("aeron-cluster", 32));
        assertEquals(java.util.Optional.of(20_000L), r.throughput("aeron-cluster", 288));
        assertEquals(java.util.Optional.empty(), r.throughput("aeron-floor-2", 32));
        assertTrue(r.summaryLine().endsWith(" throughput_ratio=2.00"), r.summaryLine());
        final String md = r.markdown("m\n", java.util.List.of("throughput-32B.png"));
        assertTrue(md.contains("| paxlog | 32 | 80000 |"), md);
        assertTrue(md.contains("| aeron-cluster | 288 | 20000 |"), md);
        assertTrue(md.contains("| paxlog | 32 | 40000 | no | 15007.7 | 15007.7 | 15007.7 | 100 | 100 | 0 | 0 |"), md);
        assertTrue(md.contains("| paxlog | 32 | 160000 | no |"), md);
        assertTrue(md.contains("| 100 | 97 | 3 | 0 | gc 1 pauses, 2.0 ms total, 2.0 ms max |"), md);
        assertTrue(md.contains("| paxlog | 32 | 320000 | no |"), md);
        assertTrue(md.contains("| 100 | 100 | 0 | 40 |"), "not sent: " + md);
    }

    @Test
    void throughputRatioIsInfWhenAeronClusterSustainedNothingAndNotAvailableWithoutTheScenario()
    {
        final Results r = new Results(null);
        r.add(point("paxlog", 10_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("aeron-cluster", 10_000, 32, 1_000_000, 1, 0, 0));
        assertTrue(r.summaryLine().endsWith(" throughput_ratio=inf"), r.summaryLine());
        final Results neither = new Results(null);
        neither.add(point("paxlog", 10_000, 32, 1_000_000, 1, 0, 0));
        neither.add(point("aeron-cluster", 10_000, 32, 1_000_000, 1, 0, 0));
        assertTrue(neither.summaryLine().endsWith(" throughput_ratio=n/a"), neither.summaryLine());
        final Results onlyOtherSize = new Results(null);
        onlyOtherSize.add(point("paxlog", 10_000, 288, 1_000_000, 0, 0, 0));
        onlyOtherSize.add(point("aeron-cluster", 10_000, 288, 1_000_000, 0, 0, 0));
        assertTrue(onlyOtherSize.summaryLine().endsWith(" throughput_ratio=n/a"), onlyOtherSize.summaryLine());
    }

    /** The p99 limit comes from the run: 20 ms sustains what 10 ms does not. */
    @Test
    void theSustainLimitIsTheRunsLimit()
    {
        final Results strict = new Results(null);
        final Results loose = new Results(null, 20_000);
        for (final Results r : java.util.List.of(strict, loose))
        {
            r.add(point("paxlog", 10_000, 32, 15_000_000, 0, 0, 0));
            r.add(point("aeron-cluster", 10_000, 32, 5_000_000, 0, 0, 0));
        }
        assertTrue(strict.summaryLine().endsWith(" throughput_ratio=0.00"), strict.summaryLine());
        assertTrue(loose.summaryLine().endsWith(" throughput_ratio=1.00"), loose.summaryLine());
    }

    /** With --repeat a point is sustained when more than half of its runs sustained it; each run's own is listed. */
    @Test
    void repeatedThroughputPointsNeedAMajorityOfTheirRuns()
    {
        final Results r = new Results(null);
        // 10k: all 3 runs sustain; 20k: 2 of 3; 40k: 1 of 3 (run 3 only)
        for (int run = 1; run <= 3; run++)
        {
            r.add(point("paxlog", 10_000, 32, 1_000_000, 0, 0, run));
            r.add(point("paxlog", 20_000, 32, run == 2 ? 12_000_000 : 1_000_000, 0, 0, run));
            r.add(point("paxlog", 40_000, 32, 1_000_000, run == 3 ? 0 : 1, 0, run));
        }
        final java.util.List<Throughput.Point> points = r.throughputPoints("paxlog", 32);
        assertEquals(java.util.List.of(3, 2, 1), points.stream().map(Throughput.Point::sustainedRuns).toList());
        assertEquals(java.util.Optional.of(20_000L), r.throughput("paxlog", 32));
        assertEquals(java.util.List.of(20_000L, 10_000L, 40_000L), Throughput.perRun(points, LIMIT_US));
        final String md = r.markdown("m\n", java.util.List.of());
        assertTrue(md.contains("| paxlog | 32 | 20000 | 20000, 10000, 40000 |"), md);
        assertTrue(md.contains("| paxlog | 32 | 20000 | yes (2/3 runs) | 1000.4 [1000.4-12001.3] | " +
            "1000.4 [1000.4-12001.3] |"), md);
        assertTrue(md.contains("| paxlog | 32 | 40000 | no (1/3 runs) |"), md);
        assertTrue(md.contains("| 300 | 298 | 2 | 0 | gc 3 pauses, 6.0 ms total, 2.0 ms max |"), md);
    }

    /** W: the largest Paxlog / Aeron Cluster p99 ratio over the sizes written at 10k msg/s. */
    @Test
    void worstP99RatioIsTheLargestOverTheSizesAtTenThousand()
    {
        final Results r = new Results(null);
        r.add(write("paxlog", 10_000, 32, 300_000));
        r.add(write("aeron-cluster", 10_000, 32, 600_000));      // 0.5
        r.add(write("paxlog", 10_000, 288, 900_000));
        r.add(write("aeron-cluster", 10_000, 288, 600_000));     // 1.5: the worst
        r.add(write("paxlog", 10_000, 1344, 700_000));
        r.add(write("aeron-cluster", 10_000, 1344, 700_000));    // 1.0
        r.add(write("paxlog", 1_000, 32, 9_000_000));
        r.add(write("aeron-cluster", 1_000, 32, 1_000_000));     // 9.0, but at 1k msg/s: ignored
        r.add(write("paxlog", 10_000, 64, 9_000_000));           // no Aeron Cluster at 64 B: ignored
        assertTrue(r.summaryLine().contains(" write_p99_ratio=0.50 "), r.summaryLine());
        assertTrue(r.summaryLine().contains(" worst_p99_ratio=1.50 "), r.summaryLine());
    }

    /** With --repeat, W takes each size's median paired ratio, then the largest: one outlier run does not set it. */
    @Test
    void worstP99RatioUsesEachSizesMedianWithRepeats()
    {
        final Results r = new Results(null);
        final long[] paxlog288 = {600_000, 3_000_000, 660_000}; // ratios 1.0, 5.0, 1.1: median 1.1
        for (int run = 1; run <= 3; run++)
        {
            r.add(ResultRow.latency("write", "paxlog", "write", 10_000, 32, constant(480_000), 100, 100, "", run));
            r.add(ResultRow.latency("write", "aeron-cluster", "write", 10_000, 32, constant(600_000), 100, 100, "",
                run));
            r.add(ResultRow.latency("write", "paxlog", "write", 10_000, 288, constant(paxlog288[run - 1]), 100, 100,
                "", run));
            r.add(ResultRow.latency("write", "aeron-cluster", "write", 10_000, 288, constant(600_000), 100, 100, "",
                run));
        }
        assertTrue(r.summaryLine().contains(" worst_p99_ratio=1.10 "), r.summaryLine());
    }

    @Test
    void csvCarriesNotSentAndTheMeasuredWindowsGcPauses()
    {
        final Results r = new Results(null);
        r.add(ResultRow.openLoop("write", "paxlog", 10_000, 32, constant(300_000), 100, 90, 7,
            new GcPauses(3, 58.0, 28.0), "n", 0));
        final String line = r.csv().split("\n")[1];
        assertTrue(line.endsWith(",\"n\",0,7,3,58.0,28.0"), line);
        assertEquals("write-paxlog-10000mps-32B", r.rows().get(0).key());
    }

    /** A run that did not write at 10k (--rates 1000) has its write ratios at the written rate nearest 10k. */
    @Test
    void withoutTenThousandTheWriteRatiosAreAtTheWrittenRateNearestIt()
    {
        final Results r = new Results(null);
        r.add(write("paxlog", 1_000, 32, 300_000));
        r.add(write("aeron-cluster", 1_000, 32, 600_000));
        r.add(write("aeron-floor-2", 1_000, 32, 200_000));
        r.add(write("paxlog", 1_000, 288, 900_000));
        r.add(write("aeron-cluster", 1_000, 288, 600_000));
        r.add(write("paxlog", 50_000, 32, 9_000_000));          // further from 10k than 1k: not the headline rate
        r.add(write("aeron-cluster", 50_000, 32, 1_000_000));
        assertEquals(1_000, r.headlineRate());
        assertEquals("summary write_p50_ratio=0.50 write_p99_ratio=0.50 floor_ratio=1.50 lease_read_ratio=n/a " +
            "max_rate_ratio=n/a worst_p99_ratio=1.50 throughput_ratio=n/a", r.summaryLine());
        assertTrue(r.markdown("m\n", java.util.List.of()).contains("The write ratios of the summary line are at " +
            "1000 msg/s, the written rate nearest 10000."));
        final Results tenK = new Results(null);
        tenK.add(write("paxlog", 10_000, 32, 300_000));
        tenK.add(write("paxlog", 9_000, 32, 300_000));
        assertEquals(10_000, tenK.headlineRate());
        assertFalse(tenK.markdown("m\n", java.util.List.of()).contains("The write ratios of the summary line"));
        final Results tie = new Results(null);
        tie.add(write("paxlog", 15_000, 32, 300_000));
        tie.add(write("paxlog", 5_000, 32, 300_000));
        assertEquals(5_000, tie.headlineRate(), "of two as near, the lower");
        assertEquals(Results.HEADLINE_RATE, new Results(null).headlineRate());
    }

    /**
     * With --repeat, T's spread pairs each run's own throughput: Paxlog 20k, 10k, 40k against Aeron Cluster 20k, 20k,
     * 10k give 1.00, 0.50 and 4.00, while T itself is the ratio of the majority-rule throughputs (20k / 20k).
     */
    @Test
    void theThroughputRatioHasTheSpreadOfEachRunsOwn()
    {
        final Results r = new Results(null);
        for (int run = 1; run <= 3; run++)
        {
            r.add(point("paxlog", 10_000, 32, 1_000_000, 0, 0, run));
            r.add(point("paxlog", 20_000, 32, run == 2 ? 12_000_000 : 1_000_000, 0, 0, run));
            r.add(point("paxlog", 40_000, 32, 1_000_000, run == 3 ? 0 : 1, 0, run));
            r.add(point("aeron-cluster", 10_000, 32, 1_000_000, 0, 0, run));
            r.add(point("aeron-cluster", 20_000, 32, run == 3 ? 12_000_000 : 1_000_000, 0, 0, run));
            r.add(point("aeron-cluster", 40_000, 32, 1_000_000, 1, 0, run));
        }
        final Results.Spread t = r.throughputRatioSpread(32).orElseThrow();
        assertEquals(1.0, t.median(), 1e-9);
        assertEquals(0.5, t.min(), 1e-9);
        assertEquals(4.0, t.max(), 1e-9);
        assertTrue(r.summaryLine().endsWith(" throughput_ratio=1.00"), r.summaryLine());
        final String md = r.markdown("m\n", java.util.List.of());
        assertTrue(md.contains("| 32 | 1.00 [0.50-4.00] |"), md);
        assertTrue(r.throughputRatioSpread(288).isEmpty(), "no 288 B points");
    }

    /** The refinement narrows the last gap at its geometric middle, rounded to 1,000 msg/s, until none is left. */
    @Test
    void refinementProbesTheGeometricMiddleOfTheGapAboveTheThroughput()
    {
        final Results r = new Results(null);
        r.add(point("paxlog", 80_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("paxlog", 160_000, 32, 1_000_000, 0, 0, 0));
        r.add(point("paxlog", 320_000, 32, 30_000_000, 0, 0, 0));
        r.add(point("paxlog", 640_000, 32, 30_000_000, 0, 0, 0));
        assertEquals(226_000, Throughput.refineRate(r.throughputPoints("paxlog", 32)), "sqrt(160k x 320k)");
        r.add(point("paxlog", 226_000, 32, 30_000_000, 0, 0, 0));
        assertEquals(190_000, Throughput.refineRate(r.throughputPoints("paxlog", 32)), "sqrt(160k x 226k)");
        r.add(point("paxlog", 190_000, 32, 1_000_000, 0, 0, 0));
        assertEquals(java.util.Optional.of(190_000L), r.throughput("paxlog", 32), "the refined throughput");
        assertEquals(207_000, Throughput.refineRate(r.throughputPoints("paxlog", 32)), "sqrt(190k x 226k)");

        final Results noFailure = new Results(null);
        noFailure.add(point("x", 10_000, 32, 1_000_000, 0, 0, 0));
        assertEquals(0, Throughput.refineRate(noFailure.throughputPoints("x", 32)), "sustained the top: no gap");
        final Results none = new Results(null);
        none.add(point("x", 10_000, 32, 30_000_000, 0, 0, 0));
        assertEquals(0, Throughput.refineRate(none.throughputPoints("x", 32)), "sustained nothing: no gap");
        final Results narrow = new Results(null);
        narrow.add(point("x", 10_000, 32, 1_000_000, 0, 0, 0));
        narrow.add(point("x", 10_900, 32, 30_000_000, 0, 0, 0));
        assertEquals(0, Throughput.refineRate(narrow.throughputPoints("x", 32)), "within one grain: done");
        final Results belowFails = new Results(null);
        belowFails.add(point("x", 10_000, 32, 30_000_000, 0, 0, 0)); // a failure below the throughput is not a gap
        belowFails.add(point("x", 20_000, 32, 1_000_000, 0, 0, 0));
        belowFails.add(point("x", 40_000, 32, 30_000_000, 0, 0, 0));
        assertEquals(28_000, Throughput.refineRate(belowFails.throughputPoints("x", 32)), "sqrt(20k x 40k)");
    }
}
