package io.paxlog.check;

import java.util.Collection;
import java.util.Set;

/**
 * A sequential specification in which an operation may lead from one state to several states (for instance an
 * operation whose outcome the specification leaves open). The checker searches it through {@link #toModel()}, the
 * deterministic model over sets of states (the power-set construction).
 *
 * @param <T> the operation type
 * @param <S> the state type; immutable, with {@code equals}/{@code hashCode}
 */
public interface NondeterministicModel<T, S> extends OperationView<T>
{
    /** The state before any operation. */
    S initialState();

    /**
     * Every state {@code op} may lead to from {@code state} given its recorded output (unconstrained if it never
     * returned); empty if that output is impossible from {@code state}.
     */
    Collection<S> successors(S state, T op);

    /** The equivalent deterministic model whose states are the sets of states this model may be in. */
    default Model<T, Set<S>> toModel()
    {
        return new PowerSetModel<>(this);
    }
}
