package io.paxlog.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paxlog under the benchmark's open-loop load: every message of a tiny load is answered after commit. */
class PaxlogTargetTest
{
    @Test
    void answersEveryMessageOfATinyLoad()
    {
        try (PaxlogTarget target = new PaxlogTarget())
        {
            target.start(BenchSettings.defaults().withMessageBytes(288));
            final OpenLoopLoad.Result r = new OpenLoopLoad(200, 2_000_000_000L, 1_000_000_000L).run(target);
            System.out.println(r.summaryLine());
            assertEquals(0, r.lost(), "lost messages");
            assertEquals(r.sent(), r.received());
            assertTrue(r.sent() >= 390, "sent " + r.sent());
            assertTrue(r.percentileUs(50) > 0);
            assertEquals(0, target.failures());
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }
}
