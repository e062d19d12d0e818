/**
 * The real node: Aeron transport, Chronicle journal and the duty cycle that drives the core
 * ({@link io.paxlog.node.NodeAgent}), plus its configuration, admin channel and launchers.
 *
 * <p><b>Threading:</b> the agent and everything it owns run on the duty-cycle thread; {@link io.paxlog.node.PaxlogNode}
 * and {@link io.paxlog.node.NodeMain} start and stop it. <b>Durability:</b> frames are held until the cycle's journal
 * sync ("persist before send"). <b>Received garbage</b> is dropped and counted, never fatal; a lost transport, or
 * sends that keep failing, stop it (fail-stop, one line, exit 3); so does a failure of its own state (a broken
 * invariant, an {@code Error}, a state machine's exception: {@link io.paxlog.node.FailStop}), with nothing journaled
 * or synced after it (one line, exit 4). <b>Allocation:</b> none in the steady
 * state of the duty cycle (LeaderAllocationTest).
 */
package io.paxlog.node;
