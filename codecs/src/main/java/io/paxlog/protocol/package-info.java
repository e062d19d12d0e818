/**
 * What the client and the node share above the codecs, so that neither depends on the other:
 * {@link io.paxlog.protocol.Member} (a member's id and endpoints, and the text form of member lists that
 * configuration files, configuration entries and REDIRECTs carry) and {@link io.paxlog.protocol.LoopbackPorts}
 * (free UDP ports on loopback for local clusters and client response endpoints), the names of the idle strategies
 * ({@link io.paxlog.protocol.IdleStrategies}), the JVM flags a client and a node need, checked at start
 * ({@link io.paxlog.protocol.JvmFlags}), and the entries of the settings reference
 * ({@link io.paxlog.protocol.Setting}). The shared numbers (stream ids, the session window, the member-id range)
 * live in {@link io.paxlog.codecs.ProtocolLimits}.
 *
 * <p><b>Dependencies:</b> the codecs, Agrona and the JDK only; never the node, the client, the core or the simulator
 * (ArchitectureTest). <b>Threading:</b> {@code Member} and {@code Setting} are immutable records;
 * {@code LoopbackPorts} is thread-safe; {@code IdleStrategies} and {@code JvmFlags} are stateless.
 * <b>Allocation:</b> parsing and formatting allocate; neither is on a steady-state path.
 */
package io.paxlog.protocol;
