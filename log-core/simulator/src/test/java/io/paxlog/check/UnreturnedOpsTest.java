package io.paxlog.check;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.paxlog.check.LinearizabilityCheckerTest.add;
import static io.paxlog.check.LinearizabilityCheckerTest.assertLinearizable;
import static io.paxlog.check.LinearizabilityCheckerTest.assertNotLinearizable;
import static io.paxlog.check.LinearizabilityCheckerTest.cas;
import static io.paxlog.check.LinearizabilityCheckerTest.read;
import static io.paxlog.check.LinearizabilityCheckerTest.unreturned;
import static io.paxlog.check.LinearizabilityCheckerTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operations that never returned: they may take effect once, at any point after their invocation, or never. */
class UnreturnedOpsTest
{
    @Test
    void unreturnedWriteWhoseValueIsLaterReadIsFine()
    {
        assertLinearizable(unreturned(write(0, 1, 5, 0, 0)), read(1, 1, 5, 10, 20));
        assertLinearizable(unreturned(write(0, 1, 5, 0, 0)), read(1, 1, 0, 10, 20), read(1, 1, 5, 30, 40));
    }

    @Test
    void unreturnedWriteNeverObservedIsFine()
    {
        assertLinearizable(unreturned(write(0, 1, 5, 0, 0)));
        assertLinearizable(unreturned(write(0, 1, 5, 0, 0)), read(1, 1, 0, 10, 20), read(1, 1, 0, 30, 40));
        assertLinearizable(write(2, 1, 3, 0, 5), unreturned(write(0, 1, 5, 1, 0)), read(1, 1, 3, 10, 20));
    }

    @Test
    void unreturnedOpCannotTakeEffectBeforeItsInvocation()
    {
        assertNotLinearizable(read(1, 1, 5, 0, 10), unreturned(write(0, 1, 5, 20, 0)));
        assertNotLinearizable(read(1, 1, 5, 0, 10), unreturned(add(0, 1, 5, 0, 20, 0)));
        // Concurrent with the read (invoked before the read returned) it may.
        assertLinearizable(read(1, 1, 5, 0, 10), unreturned(write(0, 1, 5, 10, 0)));
    }

    @Test
    void unreturnedOpTakesEffectAtMostOnce()
    {
        assertNotLinearizable(unreturned(write(0, 1, 5, 0, 0)), read(1, 1, 5, 10, 20), write(2, 1, 0, 30, 40),
            read(1, 1, 5, 50, 60));
        assertNotLinearizable(unreturned(add(0, 1, 5, 0, 0, 0)), read(1, 1, 10, 10, 20));
        assertLinearizable(unreturned(add(0, 1, 5, 0, 0, 0)), read(1, 1, 0, 10, 20), read(1, 1, 5, 30, 40));
    }

    @Test
    void unreturnedCasMayHaveSucceededOrFailed()
    {
        final KvOp pendingCas = unreturned(cas(2, 1, 0, 9, true, 0, 0));
        assertLinearizable(pendingCas, read(1, 1, 9, 10, 20));
        assertLinearizable(pendingCas, read(1, 1, 0, 10, 20));
        // It fails if placed after the write of 4, succeeds if placed before: then 9 is overwritten by 4.
        assertLinearizable(pendingCas, write(3, 1, 4, 5, 15), read(1, 1, 4, 20, 30));
        // But it can only succeed from 0.
        assertNotLinearizable(pendingCas, write(3, 1, 4, 5, 15), read(1, 1, 4, 20, 30), read(1, 1, 9, 40, 50));
        assertNotLinearizable(pendingCas, read(1, 1, 9, 10, 20), read(1, 1, 0, 30, 40));
    }

    @Test
    void unreturnedReadIsUnconstrained()
    {
        assertLinearizable(unreturned(read(0, 1, 77, 0, 0)), write(1, 1, 2, 5, 10));
    }

    @Test
    void manyHangingWritesDoNotBlowUpTheSearch()
    {
        // 40 writes that never returned, all pending for the whole history; reads see each of them once.
        final List<KvOp> history = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            history.add(unreturned(write(100 + i, 1, 1000 + i, i, 0)));
        }
        long t = 100;
        for (int i = 0; i < 200; i++)
        {
            final boolean hanging = i % 3 == 0 && i / 3 < 40;
            final long value = hanging ? 1000 + (i / 3 * 7) % 40 : 5000 + i;
            if (!hanging)
            {
                history.add(write(i % 4, 1, value, t, t + 15));
            }
            history.add(read(4 + i % 4, 1, value, t + 10, t + 30));
            t += 40;
        }
        final CheckResult ok = LinearizabilityChecker.checkKv(history, 2_000_000);
        assertTrue(ok.linearizable(), ok.explanation());

        // Refuting it tries every hanging write at every level; dominance pruning keeps that polynomial.
        history.add(read(9, 1, 424242, t + 100, t + 110));
        final CheckResult bad = LinearizabilityChecker.checkKv(history, 2_000_000);
        assertFalse(bad.timedOut(), bad.explanation());
        assertFalse(bad.linearizable());
        assertTrue(bad.explanation().contains("= 424242"), bad.explanation());
        assertEquals(history.size(), bad.opsChecked());
    }
}
