package io.paxlog.bench.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        final List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        final List<String> order = csv.stream().filter(l -> l.startsWith("write,"))
            .map(l -> l.split(",")[1] + "#" + l.substring(l.lastIndexOf(',') + 1)).toList();
        assertEquals(List.of("paxlog#1", "aeron-cluster#1", "paxlog#2", "aeron-cluster#2"), order,
            "interleaved: A B A B");
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
        assertEquals(0, BenchRun.execute("--help"));
    }
}
