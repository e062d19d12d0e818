package io.paxlog.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Smoke test of the 3-node Aeron Cluster target: a tiny open-loop load is answered in full and every member's
 * service applies every message; started and closed twice in one JVM.
 */
class AeronClusterTargetTest
{
    @TempDir
    Path tempRoot;

    @Test
    void answersEveryMessageOfATinyLoadAndReplicatesItToEveryMember() throws Exception
    {
        for (int round = 0; round < 2; round++)
        {
            final BenchSettings settings = BenchSettings.defaults().withTempRoot(tempRoot);
            final OpenLoopLoad.Result r;
            final AeronClusterTarget cluster = new AeronClusterTarget();
            try (AeronClusterTarget target = cluster)
            {
                target.start(settings);
                r = new OpenLoopLoad(200, TimeUnit.SECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1)).run(target);
                final long total = r.sent() + r.warmupSent();
                TargetSupport.await(() ->
                {
                    for (final long applied : target.messagesAppliedPerMember())
                    {
                        if (applied != total)
                        {
                            return false;
                        }
                    }
                    return true;
                }, 5_000, "every member to apply " + total + " messages");
                assertEquals(3, target.messagesAppliedPerMember().length);
                assertEquals(0, target.droppedEchoes());
                assertNull(target.firstError());
            }
            assertEquals(0, cluster.errorsWhileClosing(), "a clean shutdown");
            System.out.println("round " + round + ": " + r.summaryLine());
            assertEquals("aeron-cluster", r.target());
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
}
