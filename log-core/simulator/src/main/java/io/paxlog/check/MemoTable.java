package io.paxlog.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The search's memo cache (Lowe's improvement to Wing &amp; Gong): the configurations already explored, so that a
 * configuration reached again by another interleaving is not searched twice.
 *
 * <p>A configuration is (returned operations linearized, model state, never-returned operations applied). The first
 * two form the hash key; under each key the table keeps the minimal sets of applied never-returned operations
 * seen (an antichain). A configuration is dominated, and need not be explored, if an explored configuration with
 * the same key applied a subset of its never-returned operations: never-returned operations need never be applied,
 * so anything the dominated configuration can still do, the explored one could do too.
 *
 * @param <S> the model state type
 */
final class MemoTable<S>
{
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private final Model<?, S> model;
    private int[] hashes;
    private long[][] keys;
    private Object[] states;
    /** A {@code long[]} (one set) or a {@code List<long[]>} (an antichain of several). */
    private Object[] applied;
    private int size;
    private long work;

    MemoTable(final Model<?, S> model)
    {
        this.model = model;
        allocate(1024);
    }

    /** Number of stored configurations (distinct keys). */
    int size()
    {
        return size;
    }

    /** Set comparisons made so far (work beyond the lookups themselves, counted against the search budget). */
    long work()
    {
        return work;
    }

    /**
     * Records the configuration ({@code linearized}, {@code state}, {@code pendingApplied}) as explored, unless an
     * explored one dominates it. {@code pendingApplied} is kept by reference and must not be changed afterwards.
     *
     * @return true if the configuration is new and must be explored, false if it can be pruned
     */
    boolean visit(final LinearizedSet linearized, final S state, final long[] pendingApplied)
    {
        final int hash = hash(linearized.hash(), model.stateHash(state));
        final int mask = keys.length - 1;
        int slot = hash & mask;
        while (keys[slot] != null)
        {
            if (hashes[slot] == hash && linearized.sameAs(keys[slot]) && model.stateEquals(stateAt(slot), state))
            {
                return addToAntichain(slot, pendingApplied);
            }
            slot = (slot + 1) & mask;
        }
        hashes[slot] = hash;
        keys[slot] = linearized.snapshot();
        states[slot] = state;
        applied[slot] = pendingApplied;
        if (++size * 2 > keys.length)
        {
            grow();
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private S stateAt(final int slot)
    {
        return (S)states[slot];
    }

    @SuppressWarnings("unchecked")
    private boolean addToAntichain(final int slot, final long[] candidate)
    {
        final Object held = applied[slot];
        if (held instanceof long[] single)
        {
            work++;
            if (isSubset(single, candidate))
            {
                return false;
            }
            if (isSubset(candidate, single))
            {
                applied[slot] = candidate;
                return true;
            }
            final List<long[]> sets = new ArrayList<>(4);
            sets.add(single);
            sets.add(candidate);
            applied[slot] = sets;
            return true;
        }
        final List<long[]> sets = (List<long[]>)held;
        work += sets.size();
        for (final long[] set : sets)
        {
            if (isSubset(set, candidate))
            {
                return false;
            }
        }
        sets.removeIf(set -> isSubset(candidate, set));
        sets.add(candidate);
        return true;
    }

    static boolean isSubset(final long[] small, final long[] large)
    {
        for (int i = 0; i < small.length; i++)
        {
            if ((small[i] & ~large[i]) != 0)
            {
                return false;
            }
        }
        return true;
    }

    private static int hash(final long setHash, final int stateHash)
    {
        long h = setHash ^ (stateHash * GOLDEN);
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 29;
        return (int)(h ^ (h >>> 32));
    }

    private void allocate(final int capacity)
    {
        hashes = new int[capacity];
        keys = new long[capacity][];
        states = new Object[capacity];
        applied = new Object[capacity];
    }

    private void grow()
    {
        final int[] oldHashes = hashes;
        final long[][] oldKeys = keys;
        final Object[] oldStates = states;
        final Object[] oldApplied = applied;
        allocate(oldKeys.length * 2);
        final int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldKeys[i] != null)
            {
                int slot = oldHashes[i] & mask;
                while (keys[slot] != null)
                {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = oldHashes[i];
                keys[slot] = oldKeys[i];
                states[slot] = oldStates[i];
                applied[slot] = oldApplied[i];
            }
        }
    }
}
