package io.paxlog.check;

/**
 * Outcome of a linearizability check. {@code timedOut} means the search budget ran out before a verdict; then
 * {@code linearizable} is false and nothing is claimed.
 */
public record CheckResult(boolean linearizable, boolean timedOut, long failingKey, int opsChecked, String explanation)
{
}
