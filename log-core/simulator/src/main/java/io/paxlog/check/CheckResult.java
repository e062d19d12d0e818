package io.paxlog.check;

/**
 * Outcome of a linearizability check.
 *
 * @param linearizable true only if every partition was proved linearizable
 * @param timedOut     true if some partition exhausted the search budget before a verdict (and no other partition
 *                     was proved non-linearizable); then {@code linearizable} is false and nothing is claimed
 * @param failingKey   the partition (key) that is not linearizable or that timed out; 0 when linearizable
 * @param opsChecked   how many operations were in the partitions searched (all of them unless a violation stopped
 *                     the check early)
 * @param explanation  a one-line human-readable account: for a violation, the key, the longest linearizable prefix
 *                     and the operation that could not be linearized after it
 */
public record CheckResult(boolean linearizable, boolean timedOut, long failingKey, int opsChecked, String explanation)
{
}
