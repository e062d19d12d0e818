package io.paxlog.bench.run;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilePlotTest
{
    @Test
    void labelsCountNines()
    {
        assertEquals("0%", PercentilePlot.percentileLabel(0));
        assertEquals("90%", PercentilePlot.percentileLabel(1));
        assertEquals("99%", PercentilePlot.percentileLabel(2));
        assertEquals("99.9%", PercentilePlot.percentileLabel(3));
        assertEquals("99.9999%", PercentilePlot.percentileLabel(6));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void writesOneChartPerWritePointWithEverySystem(@TempDir final Path dir) throws Exception
    {
        final Histogram a = new Histogram(60_000_000_000L, 3);
        final Histogram b = new Histogram(60_000_000_000L, 3);
        for (int i = 1; i <= 10_000; i++)
        {
            a.recordValue(100_000L + i * 10L);
            b.recordValue(200_000L + i * 50L);
        }
        final List<ResultRow> rows = List.of(
            ResultRow.latency("write", "paxlog", "write", 10_000, 32, a, 10_000, 10_000, ""),
            ResultRow.latency("write", "aeron-cluster", "write", 10_000, 32, b, 10_000, 10_000, ""),
            ResultRow.latency("failover", "paxlog", "kill-to-ack", 0, 0, b, 3, 3, ""),
            ResultRow.figure("replay", "paxlog", "replay", 1e6, "entries/s", ""));
        final List<String> files = PercentilePlot.plotAll(rows, dir);
        assertEquals(List.of("write-10000mps-32B.png", "failover.png"), files);
        for (final String f : files)
        {
            final byte[] png = Files.readAllBytes(dir.resolve(f));
            assertTrue(png.length > 1000, f + " is " + png.length + " bytes");
            assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), f);
        }
    }

    /** Throughput points get one latency-throughput chart per size, not percentile charts. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void throughputPointsMakeOneP99AgainstRateChartPerSize(@TempDir final Path dir) throws Exception
    {
        final Results results = new Results(null);
        for (final int bytes : new int[] {32, 288})
        {
            for (long rate = 10_000; rate <= 80_000; rate *= 2)
            {
                for (final String system : List.of("paxlog", "aeron-cluster"))
                {
                    final Histogram h = new Histogram(60_000_000_000L, 3);
                    h.recordValueWithCount(rate * 10, 100);
                    results.add(ResultRow.openLoop("throughput", system, rate, bytes, h, 100, 100, 0, null, "", 0));
                }
            }
        }
        final Histogram empty = new Histogram(60_000_000_000L, 3); // nothing answered: no p99, left out
        results.add(ResultRow.openLoop("throughput", "paxlog", 160_000, 32, empty, 100, 0, 0, null, "", 0));
        assertEquals(List.of(), PercentilePlot.plotAll(results.rows(), dir));
        final List<String> files = ThroughputPlot.plotAll(results, dir);
        assertEquals(List.of("throughput-32B.png", "throughput-288B.png"), files);
        for (final String f : files)
        {
            final byte[] png = Files.readAllBytes(dir.resolve(f));
            assertTrue(png.length > 1000, f + " is " + png.length + " bytes");
            assertArrayEquals(new byte[] {(byte)0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), f);
        }
    }
}
