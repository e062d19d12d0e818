/**
 * The pure protocol core: Multi-Paxos with a leased leader as a step function ({@link io.paxlog.core.ConsensusNode}).
 *
 * <p><b>Purity.</b> No Aeron, Chronicle, threads, clock calls or unseeded randomness: time arrives as an argument
 * ({@code nowNs}) and randomness from {@link io.paxlog.core.CoreConfig#randomSeed()}, so the simulator and the node
 * run the same code. <b>Threading:</b> one thread per node calls everything. <b>Durability:</b> what the core appends
 * to its {@link io.paxlog.core.Journal} must be durable before anything it sent after the append leaves the node
 * (the runtime holds messages until its sync). <b>Allocation:</b> none on the steady-state paths (propose, flush,
 * accept, ack, commit); invariant messages are built only on failure. <b>Bounds:</b> every message fits a frame
 * ({@link io.paxlog.core.FrameBudget}); windows are bounded in slots and bytes. Invariants are always checked and
 * throw {@link io.paxlog.core.Invariants.InvariantViolation}.
 */
package io.paxlog.core;
