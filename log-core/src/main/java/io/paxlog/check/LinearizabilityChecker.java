package io.paxlog.check;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a recorded history for linearizability: the Wing &amp; Gong depth-first search with Lowe's memoization
 * of (set of linearized operations, model state), over each partition of the history separately
 * (P-compositionality, Horn &amp; Kroening), as Porcupine does.
 *
 * <p>Real-time order: operation A precedes B only if A completed strictly before B was invoked; at equal
 * timestamps calls sort before returns, so such operations count as concurrent. An operation that never returned
 * has its return at infinity: it may be linearized anywhere after its invocation, or not at all.
 */
public final class LinearizabilityChecker
{
    private LinearizabilityChecker()
    {
    }

    /** Checks a key-value history; {@code budgetStates} bounds the search work of each partition. */
    public static CheckResult checkKv(final List<KvOp> history, final long budgetStates)
    {
        return check(history, KvModel.INSTANCE, budgetStates);
    }

    /** Checks {@code history} against {@code model}, partition by partition. */
    public static <O, S> CheckResult check(final List<O> history, final Model<O, S> model, final long budgetStates)
    {
        final Map<Long, List<O>> partitions = new TreeMap<>();
        for (final O op : history)
        {
            partitions.computeIfAbsent(model.partition(op), k -> new ArrayList<>()).add(op);
        }
        for (final Map.Entry<Long, List<O>> p : partitions.entrySet())
        {
            final Search<O, S> search = new Search<>(p.getValue(), model, budgetStates);
            final String failure = search.run();
            if (failure != null)
            {
                return new CheckResult(false, search.timedOut, p.getKey(), history.size(),
                    "key " + p.getKey() + ": " + failure);
            }
        }
        return new CheckResult(true, false, 0, history.size(), "linearizable");
    }

    /** The search over one partition. */
    private static final class Search<O, S>
    {
        private record Memo(BitSet linearized, Object state) { }

        private static final class Node
        {
            final int op;
            final boolean call;
            Node match;
            Node prev;
            Node next;

            Node(final int op, final boolean call)
            {
                this.op = op;
                this.call = call;
            }
        }

        private record Frame(Node call, Object state) { }

        private final List<O> ops;
        private final Model<O, S> model;
        private final long budget;
        private final Node head = new Node(-1, true);
        private boolean timedOut;

        Search(final List<O> ops, final Model<O, S> model, final long budget)
        {
            this.ops = ops;
            this.model = model;
            this.budget = budget;
        }

        /** Returns null if linearizable, else a description of the failure. */
        @SuppressWarnings("unchecked")
        String run()
        {
            final int returnedCount = buildEvents();
            final BitSet linearized = new BitSet(ops.size());
            final Set<Memo> cache = new HashSet<>();
            final ArrayList<Frame> stack = new ArrayList<>();
            S state = model.initial();
            int linearizedReturned = 0;
            int deepest = 0;
            int stuckOp = -1;
            long steps = 0;
            Node entry = head.next;
            while (linearizedReturned < returnedCount)
            {
                if (++steps > budget)
                {
                    timedOut = true;
                    return "search budget of " + budget + " steps exceeded (" + ops.size() + " ops)";
                }
                if (entry.call)
                {
                    final O op = ops.get(entry.op);
                    final S next = model.step(state, op);
                    boolean advanced = false;
                    if (next != null)
                    {
                        linearized.set(entry.op);
                        if (cache.add(new Memo((BitSet)linearized.clone(), next)))
                        {
                            stack.add(new Frame(entry, state));
                            state = next;
                            if (model.completeNs(op) != Long.MAX_VALUE)
                            {
                                linearizedReturned++;
                            }
                            lift(entry);
                            entry = head.next;
                            advanced = true;
                        }
                        else
                        {
                            linearized.clear(entry.op);
                        }
                    }
                    if (!advanced)
                    {
                        entry = entry.next;
                    }
                }
                else
                {
                    if (stack.size() >= deepest)
                    {
                        deepest = stack.size();
                        stuckOp = entry.op;
                    }
                    if (stack.isEmpty())
                    {
                        return "no linearization; longest linearizable prefix has " + deepest + " of " + ops.size() +
                            " ops; first op that cannot be placed: " + ops.get(stuckOp);
                    }
                    final Frame top = stack.remove(stack.size() - 1);
                    state = (S)top.state();
                    linearized.clear(top.call().op);
                    if (model.completeNs(ops.get(top.call().op)) != Long.MAX_VALUE)
                    {
                        linearizedReturned--;
                    }
                    unlift(top.call());
                    entry = top.call().next;
                }
            }
            return null;
        }

        /** Builds the sorted doubly linked event list; returns how many ops returned. */
        private int buildEvents()
        {
            final int n = ops.size();
            final Node[] calls = new Node[n];
            final Node[] returns = new Node[n];
            final List<Node> events = new ArrayList<>(2 * n);
            int returned = 0;
            for (int i = 0; i < n; i++)
            {
                calls[i] = new Node(i, true);
                returns[i] = new Node(i, false);
                calls[i].match = returns[i];
                events.add(calls[i]);
                events.add(returns[i]);
                if (model.completeNs(ops.get(i)) != Long.MAX_VALUE)
                {
                    returned++;
                }
            }
            events.sort((a, b) ->
            {
                final long ta = a.call ? model.invokeNs(ops.get(a.op)) : model.completeNs(ops.get(a.op));
                final long tb = b.call ? model.invokeNs(ops.get(b.op)) : model.completeNs(ops.get(b.op));
                if (ta != tb)
                {
                    return Long.compare(ta, tb);
                }
                if (a.call != b.call)
                {
                    return a.call ? -1 : 1;
                }
                return Integer.compare(a.op, b.op);
            });
            Node prev = head;
            for (final Node e : events)
            {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }
            return returned;
        }

        private static void lift(final Node call)
        {
            remove(call);
            remove(call.match);
        }

        private static void unlift(final Node call)
        {
            reinsert(call.match);
            reinsert(call);
        }

        private static void remove(final Node node)
        {
            node.prev.next = node.next;
            if (node.next != null)
            {
                node.next.prev = node.prev;
            }
        }

        private static void reinsert(final Node node)
        {
            node.prev.next = node;
            if (node.next != null)
            {
                node.next.prev = node;
            }
        }
    }
}
