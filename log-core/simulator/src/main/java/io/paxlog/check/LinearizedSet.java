package io.paxlog.check;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The set of operations (by index within a partition) linearized so far, as a bitset with an incrementally
 * maintained 64-bit hash (the XOR of a fixed random code per member), so that memo-cache lookups need not rehash
 * the whole set.
 */
final class LinearizedSet
{
    private final long[] words;
    private final long[] codes;
    private long hash;
    private int count;

    /** An empty set over {@code size} possible members. */
    LinearizedSet(final int size)
    {
        words = new long[(size + 63) >>> 6];
        codes = new long[size];
        final SplittableRandom random = new SplittableRandom(0x5EED_CAFE_F00DL + size);
        for (int i = 0; i < size; i++)
        {
            codes[i] = random.nextLong();
        }
    }

    void add(final int member)
    {
        words[member >>> 6] |= 1L << member;
        hash ^= codes[member];
        count++;
    }

    void remove(final int member)
    {
        words[member >>> 6] &= ~(1L << member);
        hash ^= codes[member];
        count--;
    }

    boolean contains(final int member)
    {
        return (words[member >>> 6] & (1L << member)) != 0;
    }

    int count()
    {
        return count;
    }

    long hash()
    {
        return hash;
    }

    /** Whether this set has exactly the members of {@code snapshot} (a result of {@link #snapshot()}). */
    boolean sameAs(final long[] snapshot)
    {
        return Arrays.equals(words, snapshot);
    }

    /** A copy of the members, for storing in the memo cache. */
    long[] snapshot()
    {
        return words.clone();
    }
}
