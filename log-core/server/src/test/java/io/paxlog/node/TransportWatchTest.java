package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.ConductorServiceTimeoutException;
import io.aeron.exceptions.RegistrationException;
import io.aeron.ErrorCode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentTerminationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TransportWatch}: when a node's Aeron transport counts as lost (issue 14: a node paused past Aeron's
 * liveness timeouts must stop, not live on as a zombie). The whole-process pause itself is in
 * {@link PausedFollowerTest}; here each rule on its own, against a real embedded driver and client.
 */
class TransportWatchTest
{
    private static final long MS = 1_000_000L;

    private MediaDriver driver;
    private Aeron aeron;
    private TransportWatch watch;
    private Subscription consensus;
    private Subscription client;

    @BeforeEach
    void connect() throws Exception
    {
        final String dir = ScratchDirs.create("paxlog-watch").toString();
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        watch = new TransportWatch();
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir).errorHandler(watch).driverTimeoutMs(1_000));
        watch.attach(aeron);
        consensus = aeron.addSubscription("aeron:ipc", 101);
        client = aeron.addSubscription("aeron:ipc", 102);
    }

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }

    @Test
    void theStallLimitIsTheClientLivenessTimeoutLessOneKeepAlive()
    {
        // Aeron's defaults: the driver's client liveness timeout (the client's inter-service timeout) 10 s, keep-alive 500 ms
        assertEquals(10_000 * MS, aeron.context().interServiceTimeoutNs());
        assertEquals(500 * MS, aeron.context().keepAliveIntervalNs());
        assertEquals(9_500 * MS, TransportWatch.stallLimitNs(10_000 * MS, 500 * MS));
    }

    @Test
    void aDutyCycleStalledForTheLivenessBoundLosesTheTransportForGood()
    {
        final long start = 1_000_000 * MS;
        watch.cycleStarted(start);
        long now = start;
        for (int i = 0; i < 100; i++)
        {
            now += 9_499 * MS; // many long stalls, each short of the bound: a slow box, not a dead client
            assertFalse(watch.lost(now, consensus, client));
        }
        assertNull(watch.reason());
        now += 9_500 * MS;
        assertTrue(watch.lost(now, consensus, client));
        assertEquals("the duty cycle stalled 9500 ms, at least the 9500 ms Aeron's client survives (a pause of the " +
            "process: Aeron closes the client)", watch.reason());
        assertTrue(watch.lost(now + MS, consensus, client), "once lost, always lost");
    }

    @Test
    void theFirstCycleAfterStartIsTimedFromTheEndOfStartNotFromConstruction()
    {
        assertFalse(watch.lost(1_000 * MS, consensus, client), "no cycle before: nothing to measure");
        watch.cycleStarted(60_000 * MS); // a start that replayed a journal for a minute
        assertFalse(watch.lost(60_001 * MS, consensus, client));
    }

    @Test
    void aClosedSubscriptionLosesTheTransport()
    {
        assertFalse(watch.lost(System.nanoTime(), consensus, client));
        client.close();
        assertTrue(watch.lost(System.nanoTime(), consensus, client));
        assertEquals("the client subscription was closed", watch.reason());
    }

    @Test
    void aClosedClientLosesTheTransport()
    {
        assertFalse(watch.lost(System.nanoTime(), consensus, client));
        aeron.close();
        assertTrue(watch.lost(System.nanoTime(), consensus, client));
        assertEquals("the Aeron client was closed", watch.reason());
    }

    @Test
    void aFatalAeronErrorLosesTheTransportAndNamesIt()
    {
        watch.onError(new RegistrationException(1, 0, ErrorCode.GENERIC_ERROR, "not fatal")); // printed, not fatal
        watch.onError(new AgentTerminationException()); // the conductor ending after a fatal error: not news
        assertFalse(watch.lost(System.nanoTime(), consensus, client));
        watch.onError(new ConductorServiceTimeoutException("service interval exceeded: timeout=10s, interval=12s"));
        assertTrue(watch.lost(System.nanoTime(), consensus, client));
        assertEquals("ConductorServiceTimeoutException: FATAL - service interval exceeded: timeout=10s, interval=12s",
            watch.reason());
    }

    @Test
    void aMediaDriverThatDiedLosesTheTransport() throws InterruptedException
    {
        assertFalse(watch.lost(System.nanoTime(), consensus, client));
        driver.close(); // the client notices once the driver's heartbeat is older than its driver timeout (1 s here)
        final long deadline = System.nanoTime() + 10_000 * MS;
        boolean lost = false;
        while (!lost && System.nanoTime() < deadline)
        {
            lost = watch.lost(System.nanoTime(), consensus, client);
            Thread.sleep(10);
        }
        assertTrue(lost, "lost within 10 s of the driver's end");
        // the conductor closes the subscriptions just before it reports the error: the reason names it either way
        while (!watch.reason().contains("DriverTimeoutException: FATAL - ") && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(watch.reason().contains("DriverTimeoutException: FATAL - "), watch.reason());
        System.out.println("driver gone: " + watch.reason());
    }
}
