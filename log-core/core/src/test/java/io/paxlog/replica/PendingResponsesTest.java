package io.paxlog.replica;

import io.paxlog.core.CoreConfig;
import org.junit.jupiter.api.Test;

/** A constant tie of the replica (see {@code node.ConstantsAgreeTest} for the others). */
class PendingResponsesTest
{
    /**
     * The replica's ring of responses awaiting commit ({@code PendingResponses}, sized from the pipeline window) gives
     * every slot of a full window a cell of its own, for every window {@link CoreConfig} accepts: a leader holds at
     * most {@code windowSlots} consecutive uncommitted slots, each with at most one waiting client.
     */
    @Test
    void thePendingResponseRingHoldsAFullPipelineWindow()
    {
        for (final int windowSlots : new int[] {1, 15, 16, 17, CoreConfig.WINDOW_SLOTS_DEFAULT,
            CoreConfig.WINDOW_SLOTS_MAX})
        {
            final PendingResponses pending = new PendingResponses(windowSlots);
            final long first = (1L << 33) + 12_345;
            for (long slot = first; slot < first + windowSlots; slot++)
            {
                pending.add(slot, slot * 3, slot * 5);
            }
            for (long slot = first; slot < first + windowSlots; slot++)
            {
                if (!pending.take(slot, slot * 3, slot * 5))
                {
                    throw new AssertionError("a window of " + windowSlots + " slots: slot " + (slot - first) +
                        " of the window lost its waiting client (the ring is too small)");
                }
            }
        }
    }

}
