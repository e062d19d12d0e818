package io.paxlog.ops.campaign;

import io.paxlog.check.CheckResult;
import io.paxlog.check.KvKind;
import io.paxlog.check.KvOp;
import io.paxlog.check.LinearizabilityChecker;
import io.paxlog.sm.LockTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The campaign's verdicts on a recorded history. Each check is sound on its own (a violation it reports is a real
 * one if the history is accurate):
 * <ul>
 *   <li>linearizability of every counter key (adds, CAS, linearizable reads), with the project's checker;</li>
 *   <li>add-only keys: the final value counts every acknowledged add ({@code acked_lost} otherwise) and no more
 *   than the acknowledged plus the unanswered ones, and no two acknowledged adds saw the same value
 *   ({@code double_apply} otherwise);</li>
 *   <li>locks: fencing tokens are unique and grow in real-time order, and while a holder's hold is confirmed by the
 *   log (a CURRENT check or a RELEASED release), no other grant happens inside it ({@code lock_overlaps}).</li>
 * </ul>
 */
final class Checks
{
    /** Search work allowed per key for the linearizability check. */
    static final long BUDGET_STATES = 20_000_000L;

    /** The verdicts. */
    record Verdict(boolean linearizable, boolean checkTimedOut, String linearizabilityDetail, long ackedLost,
        long doubleApplied, long lockOverlaps, long tokenErrors, List<String> problems)
    {
        boolean ok()
        {
            return linearizable && ackedLost == 0 && doubleApplied == 0 && lockOverlaps == 0 && tokenErrors == 0;
        }
    }

    private Checks()
    {
    }

    /**
     * @param ops     every operation, including the final reads after healing
     * @param addKeys keys that only ever see ADD(+1) and READ
     */
    static Verdict check(final List<Op> ops, final Set<String> addKeys)
    {
        final List<String> problems = new ArrayList<>();
        final CheckResult lin = linearizability(ops);
        if (!lin.linearizable())
        {
            problems.add("linearizability: " + lin.explanation());
        }
        final long[] addCounts = addKeyCounts(ops, addKeys, problems);
        final long[] lockCounts = locks(ops, problems);
        return new Verdict(lin.linearizable(), lin.timedOut(), lin.explanation(), addCounts[0], addCounts[1],
            lockCounts[0], lockCounts[1], problems);
    }

    static CheckResult linearizability(final List<Op> ops)
    {
        final Map<String, Long> keyIds = new HashMap<>();
        final List<KvOp> history = new ArrayList<>();
        for (final Op op : ops)
        {
            if (op.kind().isLock() || op.outcome() == Op.Outcome.FAIL)
            {
                continue;   // a FAIL was answered as not applied: it took no effect and read nothing
            }
            final long key = keyIds.computeIfAbsent(op.key(), k -> (long)keyIds.size());
            final boolean returned = op.outcome() == Op.Outcome.OK;
            final KvKind kind = switch (op.kind())
            {
                case ADD -> KvKind.ADD;
                case CAS -> KvKind.CAS;
                default -> KvKind.READ;
            };
            history.add(new KvOp(op.process(), kind, key, op.arg1(), op.arg2(), op.invokeNs(),
                returned ? op.completeNs() : Long.MAX_VALUE, returned, op.value()));
        }
        final CheckResult result = LinearizabilityChecker.checkKv(history, BUDGET_STATES);
        if (result.linearizable() || result.timedOut())
        {
            return result;
        }
        String name = "?";
        for (final Map.Entry<String, Long> e : keyIds.entrySet())
        {
            if (e.getValue() == result.failingKey())
            {
                name = e.getKey();
            }
        }
        return new CheckResult(false, false, result.failingKey(), result.opsChecked(),
            "counter '" + name + "' " + result.explanation());
    }

    /** {acked_lost, double_apply} over the add-only keys; the final value is the last successful read. */
    static long[] addKeyCounts(final List<Op> ops, final Set<String> addKeys, final List<String> problems)
    {
        long lost = 0;
        long doubled = 0;
        for (final String key : addKeys)
        {
            long acked = 0;
            long unknown = 0;
            long finalValue = -1;
            long finalAt = Long.MIN_VALUE;
            final Set<Long> seen = new HashSet<>();
            for (final Op op : ops)
            {
                if (!op.key().equals(key))
                {
                    continue;
                }
                if (op.kind() == Op.Kind.ADD)
                {
                    if (op.outcome() == Op.Outcome.OK)
                    {
                        acked++;
                        if (!seen.add(op.value()))
                        {
                            doubled++;
                            problems.add("double apply: two acknowledged adds on '" + key + "' both returned " +
                                op.value());
                        }
                    }
                    else if (op.outcome() == Op.Outcome.UNKNOWN)
                    {
                        unknown++;
                    }
                }
                else if (op.kind() == Op.Kind.READ && op.outcome() == Op.Outcome.OK && op.invokeNs() > finalAt)
                {
                    finalAt = op.invokeNs();
                    finalValue = op.value();
                }
            }
            if (finalValue < 0)
            {
                problems.add("no final read of '" + key + "'");
                lost++;
                continue;
            }
            if (finalValue < acked)
            {
                lost += acked - finalValue;
                problems.add("acked lost: '" + key + "' reads " + finalValue + " after " + acked +
                    " acknowledged adds");
            }
            if (finalValue > acked + unknown)
            {
                doubled += finalValue - acked - unknown;
                problems.add("double apply: '" + key + "' reads " + finalValue + " but only " + acked +
                    " acknowledged and " + unknown + " unanswered adds were made");
            }
        }
        return new long[] {lost, doubled};
    }

    /** {overlaps, token errors} over every lock. */
    static long[] locks(final List<Op> ops, final List<String> problems)
    {
        final Map<String, List<Op>> grants = new HashMap<>();
        final Map<String, List<Op[]>> confirmations = new HashMap<>();
        final Map<String, Op> lastGrant = new HashMap<>();
        final List<Op> byInvoke = new ArrayList<>(ops);
        byInvoke.sort(Comparator.comparingLong(Op::invokeNs));
        for (final Op op : byInvoke)
        {
            if (!op.kind().isLock() || op.outcome() != Op.Outcome.OK)
            {
                continue;
            }
            final String holderKey = op.process() + "/" + op.key();
            if (op.kind() == Op.Kind.ACQUIRE && op.value() == LockTable.GRANTED)
            {
                grants.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
                lastGrant.put(holderKey, op);
            }
            else if ((op.kind() == Op.Kind.CHECK && op.value() == LockTable.CURRENT) ||
                (op.kind() == Op.Kind.RELEASE && op.value() == LockTable.RELEASED))
            {
                final Op grant = lastGrant.get(holderKey);
                if (grant != null)
                {
                    confirmations.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(new Op[] {grant, op});
                }
            }
        }
        long overlaps = 0;
        long tokenErrors = 0;
        for (final Map.Entry<String, List<Op>> e : grants.entrySet())
        {
            final String lock = e.getKey();
            final List<Op> list = e.getValue();
            tokenErrors += tokenOrder(lock, list, problems);
            for (final Op[] c : confirmations.getOrDefault(lock, List.of()))
            {
                final long from = c[0].completeNs();
                final long to = c[1].invokeNs();
                for (final Op other : list)
                {
                    if (other != c[0] && other.invokeNs() > from && other.completeNs() < to)
                    {
                        overlaps++;
                        if (problems.size() < 50)
                        {
                            problems.add("lock overlap on '" + lock + "': process " + other.process() +
                                " was granted token " + other.token() + " while process " + c[0].process() +
                                " held token " + c[0].token() + " (confirmed by " + c[1].kind() + " " +
                                c[1].value() + " invoked at " + to + ")");
                        }
                    }
                }
            }
        }
        return new long[] {overlaps, tokenErrors};
    }

    /** Tokens are unique, and a grant that completed before another was invoked has the smaller token. */
    private static long tokenOrder(final String lock, final List<Op> grants, final List<String> problems)
    {
        long errors = 0;
        final Map<Long, Op> byToken = new HashMap<>();
        for (final Op g : grants)
        {
            final Op previous = byToken.put(g.token(), g);
            if (previous != null && previous.process() != g.process())
            {
                errors++;
                problems.add("lock '" + lock + "': token " + g.token() + " granted to processes " +
                    previous.process() + " and " + g.process());
            }
        }
        final List<Op> byComplete = new ArrayList<>(grants);
        byComplete.sort(Comparator.comparingLong(Op::completeNs));
        final List<Op> byInvoke = new ArrayList<>(grants);
        byInvoke.sort(Comparator.comparingLong(Op::invokeNs));
        int done = 0;
        Op maxBefore = null;
        for (final Op g : byInvoke)
        {
            while (done < byComplete.size() && byComplete.get(done).completeNs() < g.invokeNs())
            {
                final Op c = byComplete.get(done++);
                if (maxBefore == null || c.token() > maxBefore.token())
                {
                    maxBefore = c;
                }
            }
            if (maxBefore != null && maxBefore.token() >= g.token())
            {
                errors++;
                if (problems.size() < 50)
                {
                    problems.add("lock '" + lock + "': token " + g.token() + " granted after token " +
                        maxBefore.token() + " had been granted");
                }
            }
        }
        return errors;
    }

    /** The longest stretch inside [fromNs, toNs] with no acknowledged write. */
    static long maxUnavailableNs(final List<Op> ops, final long fromNs, final long toNs)
    {
        final List<Long> completions = new ArrayList<>();
        for (final Op op : ops)
        {
            if (op.kind().isWrite() && op.outcome() == Op.Outcome.OK && op.completeNs() >= fromNs &&
                op.completeNs() <= toNs)
            {
                completions.add(op.completeNs());
            }
        }
        completions.sort(null);
        long previous = fromNs;
        long max = 0;
        for (final long t : completions)
        {
            max = Math.max(max, t - previous);
            previous = t;
        }
        return Math.max(max, toNs - previous);
    }
}
