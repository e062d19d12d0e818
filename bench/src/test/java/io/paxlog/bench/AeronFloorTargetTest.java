package io.paxlog.bench;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Smoke test of the raw-Aeron floor targets: a tiny open-loop load is answered in full. */
class AeronFloorTargetTest
{
    @TempDir
    Path tempRoot;

    @ParameterizedTest(name = "aeron-floor-{0}")
    @ValueSource(ints = {1, 2})
    void answersEveryMessageOfATinyLoad(final int hops) throws Exception
    {
        final BenchSettings settings = BenchSettings.defaults().withTempRoot(tempRoot).withMessageBytes(288);
        final OpenLoopLoad.Result r;
        try (AeronFloorTarget target = new AeronFloorTarget(hops))
        {
            target.start(settings);
            r = new OpenLoopLoad(200, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1)).run(target);
            assertNull(target.firstNodeError());
        }
        System.out.println(r.summaryLine());
        assertEquals("aeron-floor-" + hops, r.target());
        assertEquals(400, r.sent());
        assertEquals(r.sent(), r.received());
        assertEquals(0, r.lost());
        assertEquals(0, r.duplicates());
        assertEquals(0, r.unknown());
        assertEquals(200, r.warmupReceived());
        assertTrue(r.histogram().getValueAtPercentile(50) > 0);
        try (Stream<Path> left = Files.list(tempRoot))
        {
            assertEquals(0, left.count(), "close() deletes the target's directories");
        }
    }
}
