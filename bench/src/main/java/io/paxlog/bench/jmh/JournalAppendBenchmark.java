package io.paxlog.bench.jmh;

import io.paxlog.core.Entry;
import io.paxlog.node.ChronicleJournal;
import io.paxlog.node.SyncPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Appending one accepted entry (32-byte payload, SBE record with CRC32C) to the Chronicle journal, sync none. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalAppendBenchmark
{
    private final Entry entry = new Entry();
    private final byte[] payload = new byte[32];
    private Path dir;
    private ChronicleJournal journal;
    private long slot;

    @Setup
    public void setup() throws Exception
    {
        dir = Files.createTempDirectory("paxlog-jmh-journal");
        journal = new ChronicleJournal(dir.resolve("journal"), SyncPolicy.NONE);
    }

    @TearDown
    public void tearDown() throws Exception
    {
        journal.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public long appendAccepted()
    {
        slot++;
        journal.appendAccepted(slot, 1L << 32, entry.setCommand(7, slot, slot, payload, 0, payload.length));
        return slot;
    }
}
