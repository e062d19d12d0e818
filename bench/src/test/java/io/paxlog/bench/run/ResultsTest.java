package io.paxlog.bench.run;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            "max_rate_ratio=3.00", r.summaryLine());
    }

    @Test
    void missingInputsGiveNotAvailableNotZero()
    {
        final Results r = new Results(null);
        r.add(write("paxlog", 10_000, 32, 300_000));
        r.add(ResultRow.figure("max-rate", "paxlog", "max-rate", 30_000, "msg/s", ""));
        r.add(ResultRow.figure("max-rate", "aeron-cluster", "max-rate", 0, "msg/s", ""));
        assertEquals("summary write_p50_ratio=n/a write_p99_ratio=n/a floor_ratio=n/a lease_read_ratio=n/a " +
            "max_rate_ratio=inf", r.summaryLine());
        final Results none = new Results(null);
        none.add(ResultRow.figure("max-rate", "paxlog", "max-rate", 0, "msg/s", ""));
        none.add(ResultRow.figure("max-rate", "aeron-cluster", "max-rate", 0, "msg/s", ""));
        assertEquals("summary write_p50_ratio=n/a write_p99_ratio=n/a floor_ratio=n/a lease_read_ratio=n/a " +
            "max_rate_ratio=n/a", none.summaryLine());
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
        assertTrue(lines[0].startsWith("scenario,system,kind,rate_msg_s,bytes,p50_us,p90_us,p99_us,p99_9_us," +
            "p99_99_us,max_us,sent,received,lost"), lines[0]);
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
            "max_rate_ratio=n/a", r.summaryLine());
        final String md = r.markdown("m\n", java.util.List.of());
        assertTrue(md.contains("## write, 3 interleaved runs: median [min-max]"), md);
        assertTrue(md.contains("| paxlog | 10000 | 32 | 3 | 330.2 [300.0-900.1] |"), md);
        assertTrue(md.contains("| 10000 msg/s 32 B | paxlog / aeron-cluster p50 | 0.55 [0.50-1.50] |"), md);
        assertTrue(r.csv().contains(",3\n"), "the repeat column: " + r.csv());
        assertEquals("write-paxlog-10000mps-32B-r2", r.rows().get(2).key());
    }
}
