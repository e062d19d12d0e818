package io.paxlog.bench;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every target in the {@code processes} topology (each node its own child JVM, the client in this one) answers
 * 1,000 messages at 1,000 msg/s with no loss, and {@code close()} leaves no child process and no directory behind.
 */
class ProcessesTopologyTest
{
    @TempDir
    Path tempRoot;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"aeron-floor-1", "aeron-floor-2", "aeron-cluster", "paxlog"})
    void answersEveryMessageWithEachNodeInItsOwnJvm(final String name) throws Exception
    {
        final BenchSettings settings = BenchSettings.defaults().withTempRoot(tempRoot)
            .withTopology(BenchSettings.PROCESSES);
        final OpenLoopLoad.Result r;
        final long startNs = System.nanoTime();
        try (BenchTarget target = BaselineMain.target(name))
        {
            target.start(settings);
            final long startedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            System.out.println(name + ": started " + ProcessHandle.current().children().count() +
                " child JVM(s) in " + startedMs + " ms");
            r = new OpenLoopLoad(1_000, TimeUnit.SECONDS.toNanos(1), 0).run(target);
        }
        System.out.println(r.summaryLine());
        assertEquals(name, r.target());
        assertEquals(1_000, r.sent());
        assertEquals(1_000, r.received());
        assertEquals(0, r.lost());
        assertEquals(0, r.duplicates());
        assertEquals(0, r.unknown());
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
            "close() kills every child JVM");
        try (Stream<Path> left = Files.list(tempRoot))
        {
            assertEquals(0, left.count(), "close() deletes the target's directories");
        }
    }
}
