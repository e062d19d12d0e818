/**
 * What the client and the node share above the codecs, so that neither depends on the other:
 * {@link io.paxlog.protocol.Member} (a member's id and endpoints, and the text form of member lists that
 * configuration files, configuration entries and REDIRECTs carry) and {@link io.paxlog.protocol.LoopbackPorts}
 * (free UDP ports on loopback for local clusters and client response endpoints). The shared numbers (stream ids,
 * the session window, the member-id range) live in {@link io.paxlog.codecs.ProtocolLimits}.
 *
 * <p><b>Dependencies:</b> the codecs and the JDK only; never the node, the client, the core or the simulator
 * (ArchitectureTest). <b>Threading:</b> {@code Member} is an immutable record; {@code LoopbackPorts} is
 * thread-safe. <b>Allocation:</b> parsing and formatting allocate; neither is on a steady-state path.
 */
package io.paxlog.protocol;
