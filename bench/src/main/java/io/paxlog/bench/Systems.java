package io.paxlog.bench;

import java.util.List;

/** The systems the benchmark knows, by the names the runner and {@code ops/bench baseline} accept. */
public final class Systems
{
    /** Paxlog with every default, threading included ({@code paxlog.aeron.threading=auto}). */
    public static final String PAXLOG = "paxlog";
    /** Paxlog with each node's media driver on SHARED threads of its own ({@code paxlog.aeron.threading=shared}). */
    public static final String PAXLOG_SHARED = "paxlog-shared";
    /** Paxlog with each node's media driver on its duty-cycle thread ({@code paxlog.aeron.threading=invoker}). */
    public static final String PAXLOG_INVOKER = "paxlog-invoker";
    public static final String AERON_CLUSTER = "aeron-cluster";
    public static final String AERON_FLOOR_1 = "aeron-floor-1";
    public static final String AERON_FLOOR_2 = "aeron-floor-2";

    /** Every system, in the order results are reported. */
    public static final List<String> ALL = List.of(PAXLOG, PAXLOG_SHARED, PAXLOG_INVOKER, AERON_CLUSTER, AERON_FLOOR_1, AERON_FLOOR_2);

    private Systems()
    {
    }

    /** A new, not yet started target for {@code name}; throws naming the known systems for any other name. */
    public static BenchTarget create(final String name)
    {
        return switch (name)
        {
            case AERON_FLOOR_1 -> new AeronFloorTarget(1);
            case AERON_FLOOR_2 -> new AeronFloorTarget(2);
            case AERON_CLUSTER -> new AeronClusterTarget();
            case PAXLOG -> new PaxlogTarget();
            case PAXLOG_SHARED -> new PaxlogTarget("shared");
            case PAXLOG_INVOKER -> new PaxlogTarget("invoker");
            default -> throw new IllegalArgumentException("unknown system '" + name + "' (known: " +
                String.join(", ", ALL) + ")");
        };
    }
}
