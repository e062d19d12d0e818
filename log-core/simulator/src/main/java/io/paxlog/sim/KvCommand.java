package io.paxlog.sim;

import io.paxlog.check.KvKind;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.Machines;

/**
 * The simulator's key-value operations as commands of the real {@link CounterMachine}: key {@code k} is the
 * counter {@code "k<k>"}; READ is a get, WRITE a one-op transaction that sets the counter, CAS a compare-and-set,
 * ADD an add. {@link SimResults#forCommand} turns the machine's answer into the long the checker models expect.
 */
final class KvCommand
{
    private KvCommand()
    {
    }

    static byte[] encode(final KvKind kind, final long key, final long arg1, final long arg2)
    {
        final String name = "k" + key;
        return switch (kind)
        {
            case READ -> CounterMachine.get(name);
            case WRITE -> CounterMachine.transaction().thenSet(name, arg1).build();
            case CAS -> CounterMachine.cas(name, arg1, arg2);
            case ADD -> CounterMachine.add(name, arg1);
        };
    }

    /**
     * As {@link #encode}, but a WRITE is padded to about {@value #PADDED_BYTES} bytes with "else" ops that never
     * run (a transaction without guards runs its "then" ops): the same effect and result, in a large command, so
     * seeds exercise frames filled to their byte limit. Other kinds are not padded.
     */
    static byte[] encodeLarge(final KvKind kind, final long key, final long arg1, final long arg2)
    {
        if (kind != KvKind.WRITE)
        {
            return encode(kind, key, arg1, arg2);
        }
        final CounterMachine.Txn txn = CounterMachine.transaction().thenSet("k" + key, arg1);
        for (int i = 0; i < CounterMachine.TXN_ITEMS_MAX; i++)
        {
            txn.elseSet(PAD_NAMES[i], 0);
        }
        return txn.build();
    }

    /** Roughly the size of a padded WRITE: 64 "else" ops of a 256-byte name. */
    static final int PADDED_BYTES = 17_200;
    private static final String[] PAD_NAMES = new String[CounterMachine.TXN_ITEMS_MAX];

    static
    {
        for (int i = 0; i < PAD_NAMES.length; i++)
        {
            final StringBuilder b = new StringBuilder("pad-").append(i).append('-');
            while (b.length() < CounterMachine.NAME_LENGTH_MAX)
            {
                b.append('x');
            }
            PAD_NAMES[i] = b.toString();
        }
    }

    /** True for a read of a counter (the only command served without the log, by lease or ReadIndex). */
    static boolean isRead(final byte[] command)
    {
        return command.length > 1 && command[0] == Machines.COUNTERS && command[1] == CounterMachine.OP_GET;
    }
}
