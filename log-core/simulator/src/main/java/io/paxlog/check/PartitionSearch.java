package io.paxlog.check;

import java.util.Arrays;
import java.util.List;

/**
 * The linearizability search over one partition: Wing &amp; Gong's depth-first search for a sequential order of the
 * operations that respects real time and the model, over a {@link EventList} edited in place, with Lowe's memo
 * cache ({@link MemoTable}) pruning configurations already explored.
 *
 * <p>A configuration is reached by linearizing operations one at a time. At each level the candidates are the
 * operations whose call precedes the earliest return still in the list (an operation that returned must be
 * linearized before anything invoked after its return); when the earliest return is reached without its operation
 * linearized, the level has failed and the search backtracks.
 *
 * <p>Never-returned operations have their return at +infinity, so they stay candidates to the end, but they need
 * not be linearized at all: the search succeeds once every returned operation is. The search applies them lazily:
 * a level first tries its returned candidates; only when those are exhausted does it add to the level the
 * configurations one more never-returned operation away (breadth first, so configurations that applied fewer come
 * first) and try the returned candidates from each of those. Since applying fewer never-returned operations can
 * only leave more options, the memo cache prunes a configuration when one with the same linearized returned
 * operations and state, but a subset of its never-returned operations applied, was already explored
 * ({@link MemoTable}); the model's optional hints ({@link Model#isReadOnly}, {@link Model#isBlind},
 * {@link Model#interchangeable}) prune more. Without this, a few operations left hanging make the plain search
 * exponential.
 *
 * @param <T> the operation type
 * @param <S> the model state type
 */
final class PartitionSearch<T, S>
{
    private static final int TAIL = 3;
    private static final int COMPARISONS_PER_UNIT = 16;

    private final List<T> ops;
    private final Model<T, S> model;
    private final long budget;
    private final EventList events;
    /**
     * Operations that never returned and may change the state, in call order; bit j of an applied set stands for
     * {@code pending[j]}.
     */
    private final int[] pending;
    private final int[] pendingRank;
    private final boolean[] pendingBlind;
    /** For each pending op, the previous interchangeable pending op (to be applied first), or -1. */
    private final int[] pendingTwin;
    private final int unreturnedCount;
    private final int returnedCount;
    private final LinearizedSet linearized;
    private final MemoTable<S> memo;
    private final long[] noneApplied;
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Frame<S>[] stack = new Frame[16];
    private int depth;
    private long steps;

    private int bestCount = -1;
    private int blockedOp = -1;
    private S blockedState;
    private int[] bestTail = new int[0];

    /**
     * Prepares the search of {@code ops}, one partition of a history.
     *
     * @throws IllegalArgumentException if a returned operation completes before it is invoked
     */
    PartitionSearch(final List<T> ops, final Model<T, S> model, final long budget)
    {
        this.ops = ops;
        this.model = model;
        this.budget = budget;
        final int n = ops.size();
        final long[] invoke = new long[n];
        final long[] complete = new long[n];
        final boolean[] returned = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            final T op = ops.get(i);
            invoke[i] = model.invokeNs(op);
            returned[i] = model.returned(op);
            if (returned[i])
            {
                complete[i] = model.completeNs(op);
                if (complete[i] < invoke[i])
                {
                    throw new IllegalArgumentException("operation completes before it is invoked: " +
                        model.describe(op));
                }
                count++;
            }
        }
        returnedCount = count;
        events = new EventList(invoke, complete, returned);
        unreturnedCount = n - count;
        pending = Arrays.stream(events.pending()).filter(op -> !model.isReadOnly(ops.get(op))).toArray();
        pendingRank = new int[pending.length];
        pendingBlind = new boolean[pending.length];
        pendingTwin = new int[pending.length];
        for (int j = 0; j < pending.length; j++)
        {
            final T op = ops.get(pending[j]);
            pendingRank[j] = events.rank(2 * pending[j]);
            pendingBlind[j] = model.isBlind(op);
            pendingTwin[j] = -1;
            for (int i = j - 1; i >= 0; i--)
            {
                if (model.interchangeable(ops.get(pending[i]), op))
                {
                    pendingTwin[j] = i;
                    break;
                }
            }
        }
        linearized = new LinearizedSet(n);
        memo = new MemoTable<>(model);
        noneApplied = new long[(pending.length + 63) >>> 6];
    }

    /** Runs the search to a verdict or until the budget is spent. */
    PartitionOutcome run()
    {
        int remaining = returnedCount;
        final S initial = model.initialState();
        memo.visit(linearized, initial, noneApplied);
        push(-1, noneApplied, initial);
        while (remaining > 0)
        {
            if (work() >= budget)
            {
                return new PartitionOutcome(PartitionOutcome.Verdict.BUDGET_EXCEEDED, "search budget of " + budget +
                    " states exceeded (" + ops.size() + " ops, " + unreturnedCount + " never returned); no verdict",
                    work());
            }
            steps++;
            final Frame<S> frame = stack[depth - 1];
            final int event = frame.cursor;
            if (EventList.isCall(event))
            {
                frame.cursor = events.next(event);
                final int op = EventList.operation(event);
                final S to = model.step(frame.state(frame.current), ops.get(op));
                if (to == null)
                {
                    continue;
                }
                final long[] applied = frame.applied(frame.current);
                linearized.add(op);
                if (!memo.visit(linearized, to, applied))
                {
                    linearized.remove(op);
                    continue;
                }
                events.lift(op);
                remaining--;
                push(op, applied, to);
            }
            else
            {
                if (event == EventList.END)
                {
                    throw new IllegalStateException("event list exhausted with returned operations left");
                }
                // The earliest remaining return: its operation had to be linearized before anything after it.
                noteBlocked(frame, EventList.operation(event));
                expandPending(frame, events.rank(event));
                if (++frame.current < frame.size())
                {
                    frame.cursor = events.first();
                    continue;
                }
                depth--;
                if (frame.enteredBy < 0)
                {
                    return new PartitionOutcome(PartitionOutcome.Verdict.VIOLATION, explainViolation(), work());
                }
                linearized.remove(frame.enteredBy);
                events.unlift(frame.enteredBy);
                remaining++;
            }
        }
        return new PartitionOutcome(PartitionOutcome.Verdict.LINEARIZABLE, "linearizable", work());
    }

    /**
     * Search work so far, in budget units: one per step (a call tried, a never-returned operation applied, a return
     * reached), plus one per {@value #COMPARISONS_PER_UNIT} comparisons of applied sets in the memo cache (each is
     * a few word operations).
     */
    long work()
    {
        return steps + memo.work() / COMPARISONS_PER_UNIT;
    }

    /** Counters for diagnostics and tests: steps, memo comparisons, distinct memo keys, never-returned ops. */
    String stats()
    {
        return "steps=" + steps + " comparisons=" + memo.work() + " keys=" + memo.size() + " pending=" +
            pending.length + "/" + unreturnedCount;
    }

    private void push(final int enteredBy, final long[] applied, final S state)
    {
        if (depth == stack.length)
        {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        Frame<S> frame = stack[depth];
        if (frame == null)
        {
            frame = new Frame<>();
            stack[depth] = frame;
        }
        frame.reset(enteredBy, applied, state, events.first());
        depth++;
    }

    /**
     * Adds to the frame's closure the configurations one more never-returned operation away from its current
     * entry, for each such operation invoked before the return ranked {@code boundRank}. A blind operation applied
     * after others yields the state it yields from the frame's first entry, with more operations applied: a
     * configuration dominated by one already tried, so it is skipped; and of interchangeable operations, only the
     * earliest not yet applied is tried (any use of a later one could use it instead).
     */
    private void expandPending(final Frame<S> frame, final int boundRank)
    {
        final S from = frame.state(frame.current);
        final long[] applied = frame.applied(frame.current);
        final boolean afterPending = frame.current > 0;
        for (int j = 0; j < pending.length && pendingRank[j] < boundRank; j++)
        {
            if (isSet(applied, j) || (afterPending && pendingBlind[j]) ||
                (pendingTwin[j] >= 0 && !isSet(applied, pendingTwin[j])))
            {
                continue;
            }
            steps++;
            final S to = model.step(from, ops.get(pending[j]));
            if (to == null)
            {
                continue;
            }
            final long[] more = applied.clone();
            more[j >>> 6] |= 1L << j;
            if (memo.visit(linearized, to, more))
            {
                frame.add(more, to);
            }
        }
    }

    private static boolean isSet(final long[] bits, final int index)
    {
        return (bits[index >>> 6] & (1L << index)) != 0;
    }

    /** Remembers the deepest point reached, for the explanation of a violation. */
    private void noteBlocked(final Frame<S> frame, final int op)
    {
        if (linearized.count() > bestCount)
        {
            bestCount = linearized.count();
            blockedOp = op;
            blockedState = frame.state(frame.current);
            final int tail = Math.min(TAIL, depth - 1);
            bestTail = new int[tail];
            for (int i = 0; i < tail; i++)
            {
                bestTail[tail - 1 - i] = stack[depth - 1 - i].enteredBy;
            }
        }
    }

    private String explainViolation()
    {
        final StringBuilder text = new StringBuilder(256)
            .append("not linearizable: the longest linearizable prefix has ").append(bestCount).append(" of ")
            .append(returnedCount).append(" returned ops (").append(ops.size()).append(" ops in all)")
            .append("; first op that cannot be linearized after it: ").append(model.describe(ops.get(blockedOp)))
            .append(" (model state there: ").append(model.describeState(blockedState)).append(')');
        if (bestTail.length > 0)
        {
            text.append("; the prefix ends with: ");
            for (int i = 0; i < bestTail.length; i++)
            {
                text.append(i == 0 ? "" : ", then ").append(model.describe(ops.get(bestTail[i])));
            }
        }
        return text.toString();
    }
}
