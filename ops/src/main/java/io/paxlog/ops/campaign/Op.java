package io.paxlog.ops.campaign;

/**
 * One recorded client operation. Times are nanoseconds since the campaign started, on the campaign's one clock.
 *
 * @param process    the logical process that issued it: a worker takes a new process number after an operation
 *                   with an unknown outcome, so each process has at most one operation outstanding
 * @param kind       what it did
 * @param key        the counter or lock name
 * @param arg1       ADD: the delta; CAS: the expected value; CHECK: the token; ACQUIRE: the wait in ms
 * @param arg2       CAS: the new value
 * @param invokeNs   when it was invoked
 * @param completeNs when its answer arrived; -1 if the outcome is unknown
 * @param outcome    OK (answered), FAIL (answered: definitely not applied), UNKNOWN (no answer)
 * @param value      READ/ADD: the value (after the add); CAS: 1 succeeded, 0 failed; lock kinds: the lock status
 * @param token      ACQUIRE granted: the fencing token; otherwise 0
 */
record Op(int process, Kind kind, String key, long arg1, long arg2, long invokeNs, long completeNs, Outcome outcome,
    long value, long token)
{
    enum Kind
    {
        ADD, CAS, READ, ACQUIRE, CHECK, RELEASE;

        boolean isLock()
        {
            return this == ACQUIRE || this == CHECK || this == RELEASE;
        }

        boolean isWrite()
        {
            return this != READ;
        }
    }

    enum Outcome
    {
        OK, FAIL, UNKNOWN
    }

    /** One line of the history file: whitespace-separated fields, in the order of the components. */
    String line()
    {
        return process + " " + kind + " " + key + " " + arg1 + " " + arg2 + " " + invokeNs + " " + completeNs + " " +
            outcome + " " + value + " " + token;
    }

    static Op parse(final String line)
    {
        final String[] f = line.trim().split("\\s+");
        if (f.length != 10)
        {
            throw new IllegalArgumentException("history line needs 10 fields: " + line);
        }
        return new Op(Integer.parseInt(f[0]), Kind.valueOf(f[1]), f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
            Long.parseLong(f[5]), Long.parseLong(f[6]), Outcome.valueOf(f[7]), Long.parseLong(f[8]),
            Long.parseLong(f[9]));
    }
}
