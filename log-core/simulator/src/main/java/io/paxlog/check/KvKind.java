package io.paxlog.check;

/** Kinds of operations on a keyed register/counter store (see {@link KvOp} for their arguments and results). */
public enum KvKind
{
    /** Reads the current value. */
    READ,
    /** Overwrites the value. */
    WRITE,
    /** Compare-and-set: replaces the value only if it equals the expected one. */
    CAS,
    /** Adds a delta and returns the value after adding. */
    ADD
}
