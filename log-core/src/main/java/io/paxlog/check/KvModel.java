package io.paxlog.check;

/** Registers/counters by key, each starting at 0: READ, WRITE, CAS and ADD. */
public final class KvModel implements Model<KvOp, Long>
{
    public static final KvModel INSTANCE = new KvModel();

    public Long initial()
    {
        return 0L;
    }

    public Long step(final Long state, final KvOp op)
    {
        final long s = state;
        switch (op.kind())
        {
            case READ:
                return !op.returned() || op.result() == s ? state : null;
            case WRITE:
                return op.arg1();
            case CAS:
            {
                final boolean succeeds = s == op.arg1();
                if (op.returned() && (op.result() == 1) != succeeds)
                {
                    return null;
                }
                return succeeds ? op.arg2() : state;
            }
            case ADD:
            {
                final long after = s + op.arg1();
                return !op.returned() || op.result() == after ? after : null;
            }
            default:
                throw new IllegalArgumentException("kind " + op.kind());
        }
    }

    public long partition(final KvOp op)
    {
        return op.key();
    }

    public long invokeNs(final KvOp op)
    {
        return op.invokeNs();
    }

    public long completeNs(final KvOp op)
    {
        return op.returned() ? op.completeNs() : Long.MAX_VALUE;
    }
}
