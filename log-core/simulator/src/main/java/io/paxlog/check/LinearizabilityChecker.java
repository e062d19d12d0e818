package io.paxlog.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Checks recorded histories for linearizability, in the manner of Porcupine: Wing &amp; Gong's depth-first search
 * with Lowe's memoization of (operations linearized, model state), run separately on each partition of the
 * history (P-compositionality, Horn &amp; Kroening), here one partition per key.
 *
 * <p>Real time: operation A precedes B only if A completed strictly before B was invoked; operations whose
 * intervals merely touch (A completes at the instant B is invoked) are concurrent. An operation that never
 * returned may take effect at any point after its invocation, or never, and its output is unconstrained.
 *
 * <p>Work is bounded: each partition's search stops after {@code budgetStates} steps, and the result then claims
 * nothing ({@code linearizable = false, timedOut = true}) unless another partition is definitely not linearizable.
 */
public final class LinearizabilityChecker
{
    private LinearizabilityChecker()
    {
    }

    /**
     * Checks a history of the keyed register/counter store (see {@link KvOp}; every key starts at 0).
     *
     * @param history      the operations, in any order
     * @param budgetStates the search work allowed per key partition (e.g. 2,000,000)
     * @return the verdict; the first failing key (in key order) if any is not linearizable
     * @throws IllegalArgumentException if a returned operation completes before it is invoked
     */
    public static CheckResult checkKv(final List<KvOp> history, final long budgetStates)
    {
        return check(history, KvModel.INSTANCE, budgetStates);
    }

    /**
     * Checks {@code history} against the sequential specification {@code model}, partition by partition in
     * ascending partition order, stopping at the first partition that is not linearizable. (For a
     * {@link NondeterministicModel}, pass {@link NondeterministicModel#toModel()}.)
     *
     * @param history      the operations, in any order
     * @param model        the sequential specification, which also reads the operations' times and partitions
     * @param budgetStates the search work allowed per partition
     * @param <T>          the operation type
     * @param <S>          the model state type
     * @return the verdict
     * @throws IllegalArgumentException if a returned operation completes before it is invoked
     */
    public static <T, S> CheckResult check(final List<T> history, final Model<T, S> model, final long budgetStates)
    {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(model, "model");
        final Map<Long, List<T>> partitions = new TreeMap<>();
        for (final T op : history)
        {
            partitions.computeIfAbsent(model.partition(op), key -> new ArrayList<>()).add(op);
        }
        int checked = 0;
        long timedOutKey = 0;
        String timedOutText = null;
        for (final Map.Entry<Long, List<T>> partition : partitions.entrySet())
        {
            final long key = partition.getKey();
            final List<T> ops = partition.getValue();
            final PartitionOutcome outcome = new PartitionSearch<>(ops, model, budgetStates).run();
            checked += ops.size();
            switch (outcome.verdict())
            {
                case VIOLATION:
                    return new CheckResult(false, false, key, checked, "key " + key + ": " + outcome.explanation());
                case BUDGET_EXCEEDED:
                    if (timedOutText == null)
                    {
                        timedOutKey = key;
                        timedOutText = "key " + key + ": " + outcome.explanation();
                    }
                    break;
                default:
                    break;
            }
        }
        if (timedOutText != null)
        {
            return new CheckResult(false, true, timedOutKey, checked, timedOutText);
        }
        return new CheckResult(true, false, 0, checked,
            "linearizable: " + checked + " ops in " + partitions.size() + " partitions");
    }
}
