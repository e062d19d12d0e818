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

    /** True for a read of a counter (the only command served without the log, by lease or ReadIndex). */
    static boolean isRead(final byte[] command)
    {
        return command.length > 1 && command[0] == Machines.COUNTERS && command[1] == CounterMachine.OP_GET;
    }
}
