package io.paxlog.sm;

/**
 * The built-in state machines and the ids their command helpers address. A cluster that uses the helpers hosts
 * {@link #standard()}: counters at {@link #COUNTERS}, the lock table at {@link #LOCKS}.
 */
public final class Machines
{
    public static final int COUNTERS = 0;
    public static final int LOCKS = 1;

    private Machines()
    {
    }

    /** New instances of the built-in machines, indexed by id. */
    public static StateMachine[] standard()
    {
        return new StateMachine[] {new CounterMachine(), new LockTable()};
    }
}
