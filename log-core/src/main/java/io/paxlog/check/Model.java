package io.paxlog.check;

/**
 * A sequential specification for the linearizability checker. States must be immutable values with
 * {@code equals}/{@code hashCode} (they key the search's memo cache).
 *
 * @param <O> the operation type
 * @param <S> the state type
 */
public interface Model<O, S>
{
    /** The state before any operation. */
    S initial();

    /**
     * The state after applying {@code op} to {@code state}, or null if the operation's recorded output is
     * impossible from {@code state}. An operation that never returned has no recorded output: only the state
     * change is computed.
     */
    S step(S state, O op);

    /** The partition an operation belongs to; partitions are checked independently (P-compositionality). */
    long partition(O op);

    long invokeNs(O op);

    /** {@link Long#MAX_VALUE} for an operation that never returned. */
    long completeNs(O op);
}
