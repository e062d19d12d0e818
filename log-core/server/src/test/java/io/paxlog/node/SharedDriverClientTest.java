package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.sm.CounterMachine;
import io.paxlog.testing.ScratchDirs;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, "clients that fit a box": clients use the media driver already running on the box, or the application's
 * own Aeron client, and leave both as they found them: two clients on one external driver, one after the other and
 * at once, and a client sharing an Aeron client, with the driver and the Aeron client still working after they close.
 */
class SharedDriverClientTest
{
    @Test
    void twoClientsOnOneExternalDriverNeitherDeletesNorStopsIt() throws Exception
    {
        final Path driverDir = ScratchDirs.create("paxlog-external-driver").resolve("aeron");
        try (InvokedCluster cluster = new InvokedCluster(3, "none");
            MediaDriver box = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(driverDir.toString())
                .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy())
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true)))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            final PaxlogClientContext external = new PaxlogClientContext().members(cluster.members())
                .aeronDirectoryName(driverDir.toString()).mediaDriver(PaxlogClientContext.EXTERNAL);
            try (PaxlogClient a = new PaxlogClient(external); PaxlogClient b = new PaxlogClient(external))
            {
                for (int i = 0; i < 50; i++)
                {
                    a.command(CounterMachine.add("x", 1));
                    b.command(CounterMachine.add("x", 1));
                }
                assertTrue(a.sessionId() != b.sessionId(), "two sessions");
            }
            assertTrue(Files.isDirectory(driverDir), "the external driver's directory is still there");
            assertTrue(CommonContext.isDriverActive(driverDir.toFile(), 1_000, s -> { }), "and its driver runs");
            try (PaxlogClient c = new PaxlogClient(external))
            {
                assertEquals(101, CounterMachine.valueOf(c.command(CounterMachine.add("x", 1)).value()),
                    "a third client, after the first two closed, on the same driver");
            }
            assertTrue(CommonContext.isDriverActive(driverDir.toFile(), 1_000, s -> { }));
        }
    }

    @Test
    void aClientSharingTheApplicationsAeronClosesOnlyWhatItAdded() throws Exception
    {
        final Path driverDir = ScratchDirs.create("paxlog-shared-aeron").resolve("aeron");
        try (InvokedCluster cluster = new InvokedCluster(3, "none");
            MediaDriver box = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(driverDir.toString())
                .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
            Aeron app = Aeron.connect(new Aeron.Context().aeronDirectoryName(driverDir.toString())))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            try (PaxlogClient client = new PaxlogClient(new PaxlogClientContext().members(cluster.members())
                .aeron(app)))
            {
                for (int i = 0; i < 20; i++)
                {
                    client.command(CounterMachine.add("y", 1));
                }
            }
            assertFalse(app.isClosed(), "the application's Aeron client stays open");
            try (Publication p = app.addPublication("aeron:ipc", 77))
            {
                assertTrue(p.channel().startsWith("aeron:ipc"), "and still works");
            }
            try (PaxlogClient again = new PaxlogClient(new PaxlogClientContext().members(cluster.members())
                .aeron(app)))
            {
                assertEquals(21, CounterMachine.valueOf(again.command(CounterMachine.add("y", 1)).value()));
            }
        }
    }

    @Test
    void anExternalDriverThatIsNotRunningIsRefusedInOneLine() throws Exception
    {
        final Path empty = ScratchDirs.create("paxlog-no-driver").resolve("aeron");
        final PaxlogException ex = assertThrows(PaxlogException.class, () -> new PaxlogClient(
            new PaxlogClientContext().members(new io.paxlog.protocol.Member(0, "127.0.0.1", 40100, 40101))
                .aeronDirectoryName(empty.toString()).mediaDriver(PaxlogClientContext.EXTERNAL)));
        assertEquals("mediaDriver=external: no media driver is running in " + empty +
            " (start one there, or use the embedded driver)", ex.getMessage());
        assertFalse(new File(empty.toString()).exists(), "nothing was created there");
    }
}
