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
        final GcMeter.Pauses pauses = meter.stop();
        assertTrue(pauses.count() >= 1, pauses.text());
        assertTrue(pauses.maxMs() <= pauses.totalMs(), pauses.text());
        assertTrue(pauses.text().startsWith("gc " + pauses.count() + " pauses, "), pauses.text());
        System.gc();
        Thread.sleep(200);
        meter.start();
        assertEquals(0, meter.stop().count(), "a window with no collection");
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
