package io.paxlog.check;

/**
 * How the checker reads the recorded facts of an operation of type {@code T}: its real-time interval, whether it
 * returned, the partition it belongs to and how to describe it in an explanation.
 *
 * @param <T> the operation type
 */
public interface OperationView<T>
{
    /** When the operation was invoked (true/global time, any consistent unit). */
    long invokeNs(T op);

    /** When its response arrived; consulted only if {@link #returned} is true, and must not precede the invocation. */
    long completeNs(T op);

    /**
     * False if the operation never returned: it may have taken effect at any time after its invocation or not at
     * all, and its recorded output (if any) is ignored.
     */
    boolean returned(T op);

    /**
     * The partition the operation belongs to. Partitions must be independent (operations in different partitions
     * never affect each other), and are then checked separately (P-compositionality). Defaults to one partition.
     */
    default long partition(final T op)
    {
        return 0L;
    }

    /** A short description of the operation for explanations. */
    default String describe(final T op)
    {
        return String.valueOf(op);
    }
}
