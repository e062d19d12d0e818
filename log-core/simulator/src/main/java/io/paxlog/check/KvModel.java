package io.paxlog.check;

/**
 * The sequential specification of the keyed register/counter store of {@link KvOp}: one register per key, starting
 * at 0, partitioned by key, so a partition's state is a single value.
 *
 * <p>The model is deterministic even for operations that never returned: once the point where such an operation
 * takes effect is fixed, the register value there decides its effect (a CAS succeeds exactly when the value equals
 * the expected one). "An unreturned CAS may or may not have succeeded" is covered by the search, which tries the
 * operation at every admissible point, including where the value matches, where it does not, and nowhere.
 */
public final class KvModel implements Model<KvOp, Long>
{
    /** The shared instance (the model is stateless). */
    public static final KvModel INSTANCE = new KvModel();

    private KvModel()
    {
    }

    @Override
    public Long initialState()
    {
        return 0L;
    }

    @Override
    public Long step(final Long state, final KvOp op)
    {
        final long value = state;
        final boolean checked = op.returned();
        switch (op.kind())
        {
            case READ:
                return !checked || op.result() == value ? state : null;
            case WRITE:
                return op.arg1();
            case CAS:
            {
                final boolean succeeds = value == op.arg1();
                if (checked && op.result() != (succeeds ? 1 : 0))
                {
                    return null;
                }
                return succeeds ? Long.valueOf(op.arg2()) : state;
            }
            case ADD:
            {
                final long after = value + op.arg1();
                return !checked || op.result() == after ? Long.valueOf(after) : null;
            }
            default:
                throw new IllegalArgumentException("unknown kind " + op.kind());
        }
    }

    @Override
    public boolean isReadOnly(final KvOp op)
    {
        return op.kind() == KvKind.READ;
    }

    @Override
    public boolean isBlind(final KvOp op)
    {
        return op.kind() == KvKind.WRITE;
    }

    @Override
    public boolean interchangeable(final KvOp a, final KvOp b)
    {
        return a.kind() == b.kind() && a.key() == b.key() && a.arg1() == b.arg1() &&
            (a.kind() != KvKind.CAS || a.arg2() == b.arg2());
    }

    @Override
    public long invokeNs(final KvOp op)
    {
        return op.invokeNs();
    }

    @Override
    public long completeNs(final KvOp op)
    {
        return op.completeNs();
    }

    @Override
    public boolean returned(final KvOp op)
    {
        return op.returned();
    }

    @Override
    public long partition(final KvOp op)
    {
        return op.key();
    }

    @Override
    public String describe(final KvOp op)
    {
        return op.toString();
    }

    @Override
    public String describeState(final Long state)
    {
        return "value " + state;
    }
}
