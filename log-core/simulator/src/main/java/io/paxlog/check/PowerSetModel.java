package io.paxlog.check;

import java.util.HashSet;
import java.util.Set;

/**
 * The deterministic model of a {@link NondeterministicModel}: its state is the (immutable, non-empty) set of states
 * the nondeterministic model may be in, and an operation is impossible when no member state admits it.
 *
 * @param <T> the operation type
 * @param <S> the nondeterministic model's state type
 */
public final class PowerSetModel<T, S> implements Model<T, Set<S>>
{
    private final NondeterministicModel<T, S> inner;

    /** Wraps {@code inner}. */
    public PowerSetModel(final NondeterministicModel<T, S> inner)
    {
        this.inner = inner;
    }

    @Override
    public Set<S> initialState()
    {
        return Set.of(inner.initialState());
    }

    @Override
    public Set<S> step(final Set<S> states, final T op)
    {
        final Set<S> next = new HashSet<>();
        for (final S state : states)
        {
            next.addAll(inner.successors(state, op));
        }
        return next.isEmpty() ? null : Set.copyOf(next);
    }

    @Override
    public long invokeNs(final T op)
    {
        return inner.invokeNs(op);
    }

    @Override
    public long completeNs(final T op)
    {
        return inner.completeNs(op);
    }

    @Override
    public boolean returned(final T op)
    {
        return inner.returned(op);
    }

    @Override
    public long partition(final T op)
    {
        return inner.partition(op);
    }

    @Override
    public String describe(final T op)
    {
        return inner.describe(op);
    }
}
