package io.paxlog.core;

/** Why an acceptor refused a prepare or an accept. */
public enum NackReason
{
    /** The acceptor has promised a higher ballot. */
    BALLOT,
    /** The acceptor granted a lease to another leader that is still live on its clock. */
    LEASE,
    /** The acceptor restarted less than one lease period ago and grants no promise yet. */
    RESTARTING,
    /** The candidate is further behind the acceptor's commit point than a promise can carry. */
    BEHIND
}
