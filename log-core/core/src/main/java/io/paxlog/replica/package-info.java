/**
 * The service-side rules of a replica, once for every runtime: {@link io.paxlog.replica.Replica} (sessions,
 * admission, commands and their pending answers, the read levels, applying committed entries, deferred answers),
 * with the {@link io.paxlog.replica.SessionKeeper} (session lifecycle and log time on the leader) and its bounded
 * queues. The real node and the simulator both drive it and receive its decisions through
 * {@link io.paxlog.replica.ReplicaOutput}.
 *
 * <p>Threading: the runtime's one thread. Time arrives as arguments: no clock reads, no threads, no I/O.
 * Allocation: none on the command, query and apply paths once warmed up (refusals and session events allocate
 * their texts). Durability: none of its own; what it answers was applied from the durable, committed log.
 * Determinism: the same calls give the same outputs in the same order.
 */
package io.paxlog.replica;
