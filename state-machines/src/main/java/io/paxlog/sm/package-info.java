/**
 * The state machine SPI ({@link io.paxlog.sm.StateMachine}) and its host, with the built-in counter and lock
 * machines (and {@link io.paxlog.sm.DoubleGrantingLocks}, the lock machine with a planted bug, for the checkers).
 * <b>Determinism:</b> machines see only the log (entry bytes and the leader's timestamp): no clocks, no unseeded
 * randomness, no hash-order iteration, no I/O; every replica applying the same entries reaches byte-equal snapshots.
 * <b>Threading:</b> the node's duty-cycle thread only.
 */
package io.paxlog.sm;
