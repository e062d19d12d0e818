package io.paxlog.check;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares the checker with a brute-force enumeration of every order straight from the definition, on thousands
 * of small random histories over a tiny value domain (so that many are ambiguous, and about half are not
 * linearizable), including operations that never returned.
 */
class BruteForceCrossCheckTest
{
    /** The definition: some order of all returned ops and any subset of the others respects real time and the model. */
    private static boolean bruteForce(final List<KvOp> ops, final boolean[] done, final long state)
    {
        boolean allReturnedDone = true;
        for (int i = 0; i < ops.size(); i++)
        {
            allReturnedDone &= done[i] || !ops.get(i).returned();
        }
        if (allReturnedDone)
        {
            return true;
        }
        for (int i = 0; i < ops.size(); i++)
        {
            if (done[i] || !mayGoNext(ops, done, i))
            {
                continue;
            }
            final Long next = KvModel.INSTANCE.step(state, ops.get(i));
            if (next == null)
            {
                continue;
            }
            done[i] = true;
            final boolean found = bruteForce(ops, done, next);
            done[i] = false;
            if (found)
            {
                return true;
            }
        }
        return false;
    }

    /** No other pending returned op completed strictly before op i was invoked. */
    private static boolean mayGoNext(final List<KvOp> ops, final boolean[] done, final int i)
    {
        for (int j = 0; j < ops.size(); j++)
        {
            final KvOp other = ops.get(j);
            if (j != i && !done[j] && other.returned() && other.completeNs() < ops.get(i).invokeNs())
            {
                return false;
            }
        }
        return true;
    }

    private static List<KvOp> randomHistory(final SplittableRandom random)
    {
        final int n = 1 + random.nextInt(8);
        final List<KvOp> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final long invoke = random.nextInt(30);
            final long complete = invoke + random.nextInt(15);
            final boolean returned = random.nextInt(4) != 0;
            final KvKind kind = KvKind.values()[random.nextInt(4)];
            final long arg1 = switch (kind)
            {
                case READ -> 0;
                case WRITE -> 1 + random.nextInt(3);
                case CAS -> random.nextInt(4);
                case ADD -> 1 + random.nextInt(2);
            };
            final long arg2 = kind == KvKind.CAS ? 1 + random.nextInt(3) : 0;
            final long result = switch (kind)
            {
                case READ -> random.nextInt(4);
                case WRITE -> 0;
                case CAS -> random.nextInt(2);
                case ADD -> 1 + random.nextInt(4);
            };
            ops.add(new KvOp(i, kind, 0, arg1, arg2, invoke, returned ? complete : Long.MAX_VALUE, returned,
                returned ? result : 0));
        }
        return ops;
    }

    /** The register model without the search hints (read-only, blind, interchangeable), to test the bare search. */
    private static final class PlainKvModel implements Model<KvOp, Long>
    {
        @Override
        public Long initialState()
        {
            return 0L;
        }

        @Override
        public Long step(final Long state, final KvOp op)
        {
            return KvModel.INSTANCE.step(state, op);
        }

        @Override
        public long invokeNs(final KvOp op)
        {
            return op.invokeNs();
        }

        @Override
        public long completeNs(final KvOp op)
        {
            return op.completeNs();
        }

        @Override
        public boolean returned(final KvOp op)
        {
            return op.returned();
        }
    }

    @Test
    void agreesWithBruteForceOnSmallRandomHistories()
    {
        final SplittableRandom random = new SplittableRandom(2024);
        int linearizable = 0;
        int violations = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final List<KvOp> ops = randomHistory(random);
            final boolean expected = bruteForce(ops, new boolean[ops.size()], 0L);
            final CheckResult result = LinearizabilityChecker.checkKv(ops, 1_000_000);
            assertFalse(result.timedOut());
            assertEquals(expected, result.linearizable(), () -> "history " + ops + ": " + result.explanation());
            final CheckResult plain = LinearizabilityChecker.check(ops, new PlainKvModel(), 1_000_000);
            assertEquals(expected, plain.linearizable(), () -> "without hints, history " + ops);
            if (expected)
            {
                linearizable++;
            }
            else
            {
                violations++;
            }
        }
        assertTrue(linearizable > 2_000 && violations > 2_000, linearizable + " / " + violations);
    }
}
