package io.paxlog.check;

/** Kinds of operations on a keyed register/counter store. */
public enum KvKind
{
    READ, WRITE, CAS, ADD
}
