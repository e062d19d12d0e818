package io.paxlog.node;

/**
 * When journal writes become durable.
 * <ul>
 * <li>{@link #NONE}: writes reach the OS page cache only. They survive a process crash (kill -9), not a machine
 * crash; durability across machine crashes comes from replication alone (an acknowledged write survives while one
 * of the W acceptors that acknowledged it keeps its disk). A node whose machine crashed must rejoin as a new
 * member.</li>
 * <li>{@link #BATCH}: the node msyncs the journal once per duty cycle (group commit) before it sends anything
 * that depends on what it wrote. An acknowledged write survives every node crashing at once.</li>
 * </ul>
 */
public enum SyncPolicy
{
    NONE, BATCH;

    public static SyncPolicy parse(final String value)
    {
        for (final SyncPolicy p : values())
        {
            if (p.name().equalsIgnoreCase(value))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("expected none or batch");
    }
}
