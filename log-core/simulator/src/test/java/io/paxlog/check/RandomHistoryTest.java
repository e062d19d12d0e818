package io.paxlog.check;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Histories generated from a real sequential execution: each operation takes effect at a linearization point
 * inside a random real-time interval, so they are linearizable by construction; corrupting one result must then
 * be caught.
 */
class RandomHistoryTest
{
    /** A value no execution can produce (all written values and deltas are positive). */
    private static final long NEVER_WRITTEN = -1_000_003;

    /**
     * Simulates {@code clients} clients (one operation outstanding each) against a sequential register store.
     *
     * @param unreturnedRate the fraction of operations that never return; each of those takes effect or not at random
     */
    static List<KvOp> generate(final long seed, final int clients, final int count, final int keys,
        final double unreturnedRate)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] values = new long[keys];
        final long[] busyUntil = new long[clients];
        final List<KvOp> history = new ArrayList<>(count);
        long point = 1_000;
        while (history.size() < count)
        {
            point += 1 + random.nextInt(8);
            final int client = random.nextInt(clients);
            if (busyUntil[client] >= point)
            {
                continue;
            }
            final long invoke = Math.max(busyUntil[client] + 1, point - random.nextInt(60));
            final long complete = point + random.nextInt(60);
            busyUntil[client] = complete;
            final int key = random.nextInt(keys);
            final boolean returned = random.nextDouble() >= unreturnedRate;
            final boolean takesEffect = returned || random.nextBoolean();
            final long current = values[key];
            final KvKind kind = KvKind.values()[random.nextInt(4)];
            long arg1 = 0;
            long arg2 = 0;
            long result = 0;
            long after = current;
            switch (kind)
            {
                case READ -> result = current;
                case WRITE ->
                {
                    arg1 = 1 + random.nextInt(20);
                    after = arg1;
                }
                case CAS ->
                {
                    arg1 = random.nextBoolean() ? current : random.nextInt(20);
                    arg2 = 1 + random.nextInt(20);
                    result = arg1 == current ? 1 : 0;
                    after = arg1 == current ? arg2 : current;
                }
                case ADD ->
                {
                    arg1 = 1 + random.nextInt(5);
                    after = current + arg1;
                    result = after;
                }
            }
            if (takesEffect)
            {
                values[key] = after;
            }
            history.add(returned
                ? new KvOp(client, kind, key, arg1, arg2, invoke, complete, true, result)
                : new KvOp(client, kind, key, arg1, arg2, invoke, Long.MAX_VALUE, false, 0));
        }
        return history;
    }

    /** Replaces the result of a returned READ, chosen at random, with a value never written. */
    private static int corruptOneRead(final List<KvOp> history, final SplittableRandom random)
    {
        while (true)
        {
            final int i = random.nextInt(history.size());
            final KvOp op = history.get(i);
            if (op.kind() == KvKind.READ && op.returned())
            {
                history.set(i, new KvOp(op.client(), op.kind(), op.key(), 0, 0, op.invokeNs(), op.completeNs(), true,
                    NEVER_WRITTEN));
                return i;
            }
        }
    }

    @Test
    void generatedHistoriesAreLinearizableAndCorruptedOnesAreNot()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 30; round++)
        {
            final List<KvOp> history = generate(1_000 + round, 8, 300, 1 + round % 4, round % 2 == 0 ? 0 : 0.05);
            final CheckResult ok = LinearizabilityChecker.checkKv(history, 2_000_000);
            assertTrue(ok.linearizable(), "round " + round + ": " + ok.explanation());
            assertEquals(300, ok.opsChecked());

            final List<KvOp> corrupted = new ArrayList<>(history);
            final int index = corruptOneRead(corrupted, random);
            final CheckResult bad = LinearizabilityChecker.checkKv(corrupted, 2_000_000);
            assertFalse(bad.linearizable(), "round " + round);
            assertFalse(bad.timedOut(), "round " + round + ": " + bad.explanation());
            assertEquals(corrupted.get(index).key(), bad.failingKey(), bad.explanation());
            assertTrue(bad.explanation().contains(Long.toString(NEVER_WRITTEN)), bad.explanation());
        }
    }

    @Test
    void finalReadsMustAgreeOnOneOfThePossibleFinalValues()
    {
        int withTwoCandidates = 0;
        for (int round = 0; round < 10; round++)
        {
            final List<KvOp> history = generate(7_000 + round, 8, 120, 1, 0);
            final long end = history.stream().mapToLong(KvOp::completeNs).max().orElse(0) + 1_000;
            final List<Long> feasible = new ArrayList<>();
            for (final long candidate : history.stream()
                .flatMap(op -> java.util.stream.Stream.of(0L, op.arg1(), op.arg2(), op.result()))
                .distinct().toList())
            {
                if (check(history, read(end, candidate)).linearizable())
                {
                    feasible.add(candidate);
                }
            }
            assertFalse(feasible.isEmpty(), "round " + round);
            final long x = feasible.get(0);
            final long y = feasible.size() > 1 ? feasible.get(1) : x + 1_000;
            withTwoCandidates += feasible.size() > 1 ? 1 : 0;
            assertTrue(check(history, read(end, x), read(end + 20, x)).linearizable(), "round " + round);
            final CheckResult flip = check(history, read(end, x), read(end + 20, y));
            assertFalse(flip.linearizable(), "round " + round);
            assertFalse(flip.timedOut(), flip.explanation());
        }
        assertTrue(withTwoCandidates > 0, "no round had two possible final values");
    }

    private static KvOp read(final long at, final long value)
    {
        return new KvOp(0, KvKind.READ, 0, 0, 0, at, at + 10, true, value);
    }

    private static CheckResult check(final List<KvOp> history, final KvOp... extra)
    {
        final List<KvOp> all = new ArrayList<>(history);
        all.addAll(List.of(extra));
        return LinearizabilityChecker.checkKv(all, 2_000_000);
    }

    @Test
    void twoThousandOpsOnTenKeysCheckWellUnderASecond()
    {
        final List<KvOp> history = generate(99, 8, 2_000, 10, 0.02);
        LinearizabilityChecker.checkKv(history, 2_000_000); // warm up the JIT
        final long start = System.nanoTime();
        final CheckResult result = LinearizabilityChecker.checkKv(history, 2_000_000);
        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(result.linearizable(), result.explanation());
        assertEquals(2_000, result.opsChecked());
        assertTrue(elapsedMs < 1_000, "took " + elapsedMs + " ms");
    }

    @Test
    void twoThousandOpsOnOneKeyCheckQuickly()
    {
        final List<KvOp> history = generate(123, 8, 2_000, 1, 0.02);
        final long start = System.nanoTime();
        final CheckResult result = LinearizabilityChecker.checkKv(history, 2_000_000);
        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(result.linearizable(), result.explanation());
        assertTrue(elapsedMs < 2_000, "took " + elapsedMs + " ms");
    }
}
