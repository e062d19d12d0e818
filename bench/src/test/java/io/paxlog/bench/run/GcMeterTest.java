package io.paxlog.bench.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GcMeterTest
{
    /** A collection inside the window is counted; one outside it is not. */
    @Test
    void countsThePausesInsideTheWindowOnly() throws Exception
    {
        final GcMeter meter = new GcMeter();
        meter.start();
        System.gc(); // a full, stop-the-world collection under G1 and Parallel alike
        final long deadline = System.currentTimeMillis() + 5_000;
        while (meter.pausesSoFar() == 0 && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(20); // notifications arrive on the JMX thread
        }
        final GcPauses pauses = meter.stop();
        assertTrue(pauses.count() >= 1, pauses.text());
        assertTrue(pauses.maxMs() <= pauses.totalMs(), pauses.text());
        assertTrue(pauses.text().startsWith("gc " + pauses.count() + " pauses, "), pauses.text());
        System.gc();
        Thread.sleep(200);
        meter.start();
        assertEquals(0, meter.stop().count(), "a window with no collection");
    }

    /** A pause before {@link GcMeter#mark} (a warm-up's) is left out; one after it is counted. */
    @Test
    void markLeavesOutThePausesBeforeIt() throws Exception
    {
        final GcMeter meter = new GcMeter();
        meter.start();
        System.gc(); // the "warm-up" pause
        awaitPauses(meter, 1);
        meter.mark();
        assertEquals(0, meter.pausesSoFar(), "the warm-up pause is before the mark");
        System.gc(); // the "measured window" pause
        awaitPauses(meter, 1);
        final GcPauses measured = meter.stop();
        assertTrue(measured.count() >= 1, measured.text()); // at least the System.gc() after the mark
        final GcMeter unmarked = new GcMeter();
        unmarked.start();
        System.gc();
        System.gc();
        awaitPauses(unmarked, 2);
        final GcPauses both = unmarked.stop();
        assertTrue(both.count() >= 2, "without a mark the window starts at start(): " + both.text());
    }

    /** stop() waits for the notification of a collection that ended inside the window, however late it comes. */
    @Test
    void stopCountsACollectionWhoseNotificationHasNotArrivedYet()
    {
        final GcMeter meter = new GcMeter();
        meter.start();
        System.gc();
        final GcPauses pauses = meter.stop(); // at once, without waiting for the JMX thread
        assertTrue(pauses.count() >= 1, pauses.text());
    }

    /** A collection that ended before mark() stays out, even when its notification arrives after the mark. */
    @Test
    void aWarmUpPauseNotifiedAfterTheMarkStaysOut() throws Exception
    {
        final GcMeter meter = new GcMeter();
        meter.start();
        System.gc();
        meter.mark(); // at once: the notification of that collection is most likely still on its way
        Thread.sleep(200);
        assertEquals(0, meter.stop().count());
    }

    private static void awaitPauses(final GcMeter meter, final int count) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 5_000;
        while (meter.pausesSoFar() < count && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(20); // notifications arrive on the JMX thread
        }
    }

    @Test
    void concurrentCyclesAreNotPauses()
    {
        assertTrue(GcMeter.isPause("G1 Young Generation", "end of minor GC"));
        assertTrue(GcMeter.isPause("G1 Old Generation", "end of major GC"));
        assertFalse(GcMeter.isPause("G1 Concurrent GC", "end of concurrent GC pause"));
        assertFalse(GcMeter.isPause("ZGC Major Cycles", "end of GC cycle"));
        assertTrue(GcMeter.isPause("ZGC Major Pauses", "end of GC pause"));
    }
}
