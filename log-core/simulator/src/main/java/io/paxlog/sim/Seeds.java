package io.paxlog.sim;

import io.paxlog.core.PlantedBug;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many seeds of the {@link Simulation} on a pool of worker threads and totals them (what {@code ops/sim} and the
 * simulator's tests run). Each seed is deterministic and independent; results are reported in seed order.
 */
public final class Seeds
{
    private Seeds()
    {
    }

    /** Totals of a run of seeds. */
    public record Summary(long seeds, int violations, int failingSeeds, double seedsPerSecond, long opsChecked,
        List<Simulation.Result> failures, java.util.Set<String> faultsExercised)
    {
        public String line()
        {
            return String.format("seeds=%d violations=%d seeds_per_s=%.1f ops_checked=%d", seeds, violations,
                seedsPerSecond, opsChecked);
        }
    }

    /**
     * Runs {@code count} seeds from {@code firstSeed} on {@code threads} workers; results are reported in seed
     * order, so output is the same for the same arguments. Stops after {@code maxFailures} failing seeds (0: never).
     */
    public static Summary run(final long firstSeed, final long count, final int nodes, final int r, final int w,
        final EnumSet<PlantedBug> planted, final double driftFactor, final boolean membership, final int threads,
        final int maxFailures, final java.util.function.Consumer<Simulation.Result> onFailure)
    {
        final long startNs = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final List<Simulation.Result> failures = new ArrayList<>();
        final java.util.Set<String> faults = new java.util.TreeSet<>();
        int violations = 0;
        long opsChecked = 0;
        long seedsRun = 0;
        try
        {
            final int chunk = Math.max(threads * 4, 16);
            for (long base = 0; base < count && (maxFailures == 0 || failures.size() < maxFailures); base += chunk)
            {
                final List<Future<Simulation.Result>> futures = new ArrayList<>();
                for (long i = base; i < Math.min(count, base + chunk); i++)
                {
                    final long seed = firstSeed + i;
                    futures.add(pool.submit(() -> Simulation.run(seed, nodes, r, w, planted, driftFactor, membership,
                        false)));
                }
                for (final Future<Simulation.Result> f : futures)
                {
                    final Simulation.Result result = f.get();
                    seedsRun++;
                    opsChecked += result.opsChecked();
                    faults.addAll(result.faults());
                    if (!result.ok())
                    {
                        violations += result.violations().size();
                        failures.add(result);
                        onFailure.accept(result);
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        catch (final java.util.concurrent.ExecutionException ex)
        {
            throw new IllegalStateException("simulator crashed: " + ex.getCause(), ex.getCause());
        }
        finally
        {
            pool.shutdownNow();
        }
        final double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
        return new Summary(seedsRun, violations, failures.size(), seedsRun / seconds, opsChecked, failures, faults);
    }
}
