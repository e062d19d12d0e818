package io.paxlog.check;

import java.util.Arrays;

/**
 * One level of the depth-first search: the configurations reachable from the level's entry configuration by
 * applying never-returned operations only (its closure, generated lazily in breadth-first order so that smaller
 * sets of applied never-returned operations come first), and a cursor over the event list for the returned
 * operation to try next from the closure entry in hand.
 *
 * @param <S> the model state type
 */
final class Frame<S>
{
    /** The returned operation whose linearization opened this level, or -1 at the root. */
    int enteredBy;
    /** The next event to consider for the current entry. */
    int cursor;
    /** The closure entry whose successors are being tried. */
    int current;
    private int size;
    private Object[] states = new Object[2];
    private long[][] applied = new long[2][];

    /** Reuses this frame for a new level whose entry configuration is ({@code pendingApplied}, {@code state}). */
    void reset(final int enteredBy, final long[] pendingApplied, final S state, final int cursor)
    {
        Arrays.fill(states, 0, size, null);
        Arrays.fill(applied, 0, size, null);
        this.enteredBy = enteredBy;
        this.cursor = cursor;
        current = 0;
        size = 0;
        add(pendingApplied, state);
    }

    /** Appends a closure entry. */
    void add(final long[] pendingApplied, final S state)
    {
        if (size == states.length)
        {
            states = Arrays.copyOf(states, size * 2);
            applied = Arrays.copyOf(applied, size * 2);
        }
        states[size] = state;
        applied[size] = pendingApplied;
        size++;
    }

    int size()
    {
        return size;
    }

    @SuppressWarnings("unchecked")
    S state(final int entry)
    {
        return (S)states[entry];
    }

    long[] applied(final int entry)
    {
        return applied[entry];
    }
}
