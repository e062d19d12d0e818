package io.paxlog.check;

import java.util.Objects;

/**
 * A deterministic sequential specification for {@link LinearizabilityChecker}.
 *
 * <p>States must be immutable values: the search keeps them on its stack and uses them, with
 * {@link #stateEquals}/{@link #stateHash}, as part of the keys of its memo cache. A specification whose operations
 * can have several outcomes from one state is written as a {@link NondeterministicModel} and converted with
 * {@link NondeterministicModel#toModel()}.
 *
 * @param <T> the operation type
 * @param <S> the state type
 */
public interface Model<T, S> extends OperationView<T>
{
    /** The state before any operation. */
    S initialState();

    /**
     * The state after {@code op} takes effect in {@code state}, or null if the operation's recorded output is
     * impossible from {@code state}. For an operation that never returned ({@link #returned} false) the output is
     * unconstrained: return the state the operation would produce, or null only if it cannot execute at all.
     */
    S step(S state, T op);

    /**
     * Optional hint: true if {@code op} never changes the state, whatever its output (for instance a read). The
     * search then ignores it if it never returned, since applying it could not matter. Defaults to false.
     */
    default boolean isReadOnly(final T op)
    {
        return false;
    }

    /**
     * Optional hint: true if, when {@code op} never returned, the state after it is the same whatever the state
     * before (for instance a blind write). The search then skips applying it right after other never-returned
     * operations, where it would only repeat a configuration already tried. Defaults to false.
     */
    default boolean isBlind(final T op)
    {
        return false;
    }

    /**
     * Optional hint: true if never-returned operations {@code a} and {@code b} are interchangeable, i.e. have the
     * same effect on every state (same {@link #step} results and hints), like two writes of the same value. The
     * search then applies interchangeable never-returned operations only in call order. Defaults to false.
     */
    default boolean interchangeable(final T a, final T b)
    {
        return false;
    }

    /** State equality for the memo cache; defaults to {@link Object#equals}. */
    default boolean stateEquals(final S a, final S b)
    {
        return Objects.equals(a, b);
    }

    /** A hash consistent with {@link #stateEquals}; defaults to {@link Object#hashCode}. */
    default int stateHash(final S state)
    {
        return Objects.hashCode(state);
    }

    /** A short description of a state for explanations. */
    default String describeState(final S state)
    {
        return String.valueOf(state);
    }
}
