package io.paxlog.check;

import java.util.Arrays;

/**
 * The call and return events of one partition in real-time order, as a doubly linked list that the search edits
 * in place: linearizing an operation lifts its call and return out of the list, backtracking puts them back
 * (Knuth's dancing links), so both are O(1).
 *
 * <p>Event codes: the call of operation {@code i} is {@code 2i}, its return {@code 2i + 1}.
 *
 * <p>Order: by time; at equal times calls come before returns, so an operation that completes at the very instant
 * another is invoked counts as concurrent with it, not before it (A precedes B only if A completed strictly before
 * B was invoked); remaining ties by operation index, which affects no verdict.
 *
 * <p>An operation that never returned has its return at +infinity. The search ends successfully as soon as every
 * returned operation is linearized, so it never reaches such a return; those returns are therefore not stored, and
 * neither are the calls of never-returned operations, which the search applies from the separate
 * {@link #pending()} list (in call order, with each call's rank in the total order to tell whether it precedes a
 * given return).
 */
final class EventList
{
    /** The end of the list. */
    static final int END = -1;

    private final int head;
    private final int[] next;
    private final int[] prev;
    private final int[] rank;
    private final int[] pending;

    /**
     * Orders the events of {@code invoke.length} operations.
     *
     * @param invoke   invocation time of each operation
     * @param complete completion time of each operation (ignored for those that did not return)
     * @param returned whether each operation returned
     */
    EventList(final long[] invoke, final long[] complete, final boolean[] returned)
    {
        final int n = invoke.length;
        head = 2 * n;
        next = new int[2 * n + 1];
        prev = new int[2 * n + 1];
        rank = new int[2 * n];
        Arrays.fill(rank, Integer.MAX_VALUE);
        int count = 0;
        int pendingCount = 0;
        final Integer[] events = new Integer[2 * n];
        for (int i = 0; i < n; i++)
        {
            events[count++] = 2 * i;
            if (returned[i])
            {
                events[count++] = 2 * i + 1;
            }
            else
            {
                pendingCount++;
            }
        }
        Arrays.sort(events, 0, count, (a, b) ->
        {
            final long ta = (a & 1) == 0 ? invoke[a >>> 1] : complete[a >>> 1];
            final long tb = (b & 1) == 0 ? invoke[b >>> 1] : complete[b >>> 1];
            if (ta != tb)
            {
                return Long.compare(ta, tb);
            }
            if ((a & 1) != (b & 1))
            {
                return (a & 1) - (b & 1);
            }
            return Integer.compare(a, b);
        });
        pending = new int[pendingCount];
        int last = head;
        int p = 0;
        for (int position = 0; position < count; position++)
        {
            final int event = events[position];
            rank[event] = position;
            if (returned[event >>> 1])
            {
                next[last] = event;
                prev[event] = last;
                last = event;
            }
            else
            {
                pending[p++] = event >>> 1;
            }
        }
        next[last] = END;
    }

    static boolean isCall(final int event)
    {
        return event != END && (event & 1) == 0;
    }

    static int operation(final int event)
    {
        return event >>> 1;
    }

    /** The first event still in the list, or {@link #END}. */
    int first()
    {
        return next[head];
    }

    /** The event after {@code event}, or {@link #END}. */
    int next(final int event)
    {
        return next[event];
    }

    /** The position of {@code event} in the total order of all events (including unstored ones' calls). */
    int rank(final int event)
    {
        return rank[event];
    }

    /** The operations that never returned, in call order. */
    int[] pending()
    {
        return pending;
    }

    /** Removes the call and return of returned operation {@code op}. */
    void lift(final int op)
    {
        unlink(2 * op);
        unlink(2 * op + 1);
    }

    /** Undoes {@link #lift} of {@code op}; lifts must be undone in reverse order. */
    void unlift(final int op)
    {
        relink(2 * op + 1);
        relink(2 * op);
    }

    private void unlink(final int event)
    {
        final int after = next[event];
        next[prev[event]] = after;
        if (after != END)
        {
            prev[after] = prev[event];
        }
    }

    private void relink(final int event)
    {
        final int after = next[event];
        next[prev[event]] = event;
        if (after != END)
        {
            prev[after] = event;
        }
    }
}
