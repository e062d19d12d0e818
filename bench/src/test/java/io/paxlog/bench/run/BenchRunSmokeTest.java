package io.paxlog.bench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner end to end at tiny rates and for seconds: every system, the scenarios that need no JMH fork, and every
 * output file. The full benchmark is {@code bench/run}; this only proves the runner works from a clean clone.
 */
class BenchRunSmokeTest
{
    @Test
    void runsEverySystemAndWritesEveryOutput(@TempDir final Path out) throws Exception
    {
        final int code = BenchRun.execute("--scenarios", "write,allocation,max-rate,reads,failover,replay",
            "--rates", "200", "--sizes", "32", "--seconds", "1", "--warmup", "1", "--probe-seconds", "1",
            "--max-probes", "1", "--failover-trials", "1", "--failover-rate", "200", "--replay-entries", "5000",
            "--out", out.toString());
        final String md = Files.readString(out.resolve("summary.md"));
        System.out.println(md);
        assertEquals(0, code, "exit code; summary.md:\n" + md);
        assertTrue(md.contains("summary write_p50_ratio="), md);
        final List<String> files;
        try (Stream<Path> s = Files.list(out))
        {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (final String system : List.of("paxlog", "aeron-cluster", "aeron-floor-1", "aeron-floor-2"))
        {
            assertTrue(files.contains("write-" + system + "-200mps-32B.hgrm"), system + ": " + files);
        }
        assertTrue(files.containsAll(List.of("summary.md", "summary.csv", "machine.txt", "write-200mps-32B.png",
            "reads.png", "reads-paxlog-lease-read-32B.hgrm", "failover.png")), files.toString());
        final List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("replay,paxlog,replay,")), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("allocation,paxlog,leader-thread,")), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("max-rate,aeron-cluster,max-rate,")), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("failover,paxlog,kill-to-ack,")), csv.toString());
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("failover,aeron-cluster,kill-to-ack,")), csv.toString());
        assertTrue(Files.readString(out.resolve("machine.txt")).contains("cores: "));
    }

    /** --repeat runs each write point N times, the systems interleaved, and reports medians with their min-max. */
    @Test
    void repeatRunsEveryWritePointNTimesAndReportsMedians(@TempDir final Path out) throws Exception
    {
        final int code = BenchRun.execute("--systems", "paxlog,aeron-cluster", "--scenarios", "write", "--repeat", "2",
            "--rates", "200", "--sizes", "32", "--seconds", "1", "--warmup", "1", "--out", out.toString());
        final String md = Files.readString(out.resolve("summary.md"));
        assertEquals(0, code, "exit code; summary.md:\n" + md);
        assertTrue(md.contains("## write, 2 interleaved runs: median [min-max]"), md);
        assertTrue(md.contains("| 200 msg/s 32 B | paxlog / aeron-cluster p50 |"), md);
        for (final String system : List.of("paxlog", "aeron-cluster"))
        {
            for (final int run : new int[] {1, 2})
            {
                assertTrue(Files.exists(out.resolve("write-" + system + "-200mps-32B-r" + run + ".hgrm")),
                    system + " run " + run);
            }
        }
        final List<Map<String, String>> csv = csv(out);
        final List<String> order = csv.stream().filter(l -> l.get("scenario").equals("write"))
            .map(l -> l.get("system") + "#" + l.get("repeat")).toList();
        assertEquals(List.of("paxlog#1", "aeron-cluster#1", "paxlog#2", "aeron-cluster#2"), order,
            "interleaved: A B A B");
        for (final Map<String, String> row : csv)
        {
            assertTrue(row.get("gc_pauses").matches("\\d+") && row.get("gc_max_ms").matches("\\d+\\.\\d"),
                "the measured window's GC pauses: " + row);
            assertTrue(row.get("note").contains("in the measured window"), row.toString());
        }
    }

    /**
     * The throughput scan with --repeat: every system at every doubled rate up to the top (here a limit of 10 s
     * that any answered run meets), the systems interleaved per rate (A B A B), one run file per point and run, the
     * latency-throughput PNG, and the throughput tables.
     */
    @Test
    void throughputScansEveryRateForEverySystemInterleaved(@TempDir final Path out) throws Exception
    {
        final int code = BenchRun.execute("--systems", "aeron-floor-1,aeron-floor-2", "--scenarios", "throughput",
            "--sizes", "32", "--repeat", "2", "--throughput-start", "200", "--throughput-top", "300",
            "--throughput-seconds", "1", "--throughput-warmup", "0", "--throughput-p99-limit-us", "10000000",
            "--out", out.toString());
        final String md = Files.readString(out.resolve("summary.md"));
        assertEquals(0, code, "exit code; summary.md:\n" + md);
        final List<String> order = csv(out).stream().filter(l -> l.get("scenario").equals("throughput") &&
            l.get("kind").equals("write")).map(l -> l.get("rate_msg_s") + ":" + l.get("system") + "#" +
            l.get("repeat")).toList();
        assertEquals(List.of("200:aeron-floor-1#1", "200:aeron-floor-2#1", "200:aeron-floor-1#2",
            "200:aeron-floor-2#2", "400:aeron-floor-1#1", "400:aeron-floor-2#1", "400:aeron-floor-1#2",
            "400:aeron-floor-2#2"), order, "rates 200 and 400 (the first at or above the top), A B A B at each");
        for (final String system : List.of("aeron-floor-1", "aeron-floor-2"))
        {
            assertTrue(Files.exists(out.resolve("throughput-" + system + "-400mps-32B-r2.hgrm")), system);
            assertTrue(md.contains("| " + system + " | 32 | 400 | 400, 400 |"), system + ":\n" + md);
            assertTrue(md.contains("| " + system + " | 32 | 200 | yes (2/2 runs) |"), system + ":\n" + md);
        }
        assertTrue(Files.size(out.resolve("throughput-32B.png")) > 1000, "the latency-throughput PNG");
        assertTrue(md.contains("throughput_ratio=n/a"), "no Paxlog or Aeron Cluster here: " + md);
    }

    /** A rate nobody sustains (a p99 limit of 1 µs) ends the scan there, and is not a failure of the run. */
    @Test
    void anUnsustainedThroughputPointEndsTheScanWithoutFailingTheRun(@TempDir final Path out) throws Exception
    {
        final int code = BenchRun.execute("--systems", "aeron-floor-1", "--scenarios", "throughput", "--sizes", "32",
            "--throughput-start", "200", "--throughput-top", "800", "--throughput-seconds", "1",
            "--throughput-warmup", "0", "--throughput-p99-limit-us", "1", "--out", out.toString());
        final String md = Files.readString(out.resolve("summary.md"));
        assertEquals(0, code, "an unsustained point is a measurement, not a failure:\n" + md);
        final List<Map<String, String>> points = csv(out).stream().filter(l -> l.get("scenario").equals("throughput"))
            .toList();
        assertEquals(List.of("200", "0"), points.stream().map(l -> l.get("rate_msg_s")).toList(),
            "one point (200 msg/s), then the throughput figure; 400 and 800 never ran: " + points);
        assertEquals("0.0", points.get(1).get("value"), "sustained nothing");
        assertTrue(md.contains("| aeron-floor-1 | 32 | 200 | no |"), md);
        assertTrue(points.get(0).get("note").startsWith("not sustained: p99 "), points.get(0).toString());
    }

    /** summary.csv as one map per row, by the header's column names (the note is quoted and may hold commas). */
    private static List<Map<String, String>> csv(final Path out) throws IOException
    {
        final List<String> lines = Files.readAllLines(out.resolve("summary.csv"));
        final String[] header = lines.get(0).split(",");
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final String line : lines.subList(1, lines.size()))
        {
            final List<String> fields = new ArrayList<>();
            final StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (final char c : line.toCharArray())
            {
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    fields.add(field.toString());
                    field.setLength(0);
                }
                else
                {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            assertEquals(header.length, fields.size(), line);
            final Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++)
            {
                row.put(header[i], fields.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void usageErrorsExitTwo()
    {
        assertEquals(2, BenchRun.execute("--rates", "0"));
        assertEquals(2, BenchRun.execute("--scenarios", "write,nope"));
        assertEquals(2, BenchRun.execute("--systems", "zookeeper"));
        assertEquals(2, BenchRun.execute("--topology", "cloud"));
        assertEquals(2, BenchRun.execute("--sizes", "8"));
        assertEquals(2, BenchRun.execute("--no-such-flag"));
        assertEquals(2, BenchRun.execute("--repeat", "0"));
        assertEquals(2, BenchRun.execute("--repeat", "21"));
        assertEquals(2, BenchRun.execute("--throughput-start", "0"));
        assertEquals(2, BenchRun.execute("--throughput-start", "20000", "--throughput-top", "10000"));
        assertEquals(2, BenchRun.execute("--throughput-seconds", "0"));
        assertEquals(2, BenchRun.execute("--throughput-p99-limit-us", "0"));
        assertEquals(0, BenchRun.execute("--help"));
    }
}
