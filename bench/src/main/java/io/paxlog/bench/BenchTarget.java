package io.paxlog.bench;

/**
 * A system under test for the latency benchmark: something that takes a message from a client and answers it
 * (an echo, or an acknowledgement once the message is committed). {@link OpenLoopLoad} drives it.
 *
 * <h2>Messages</h2>
 * Every message is {@link BenchSettings#messageBytes()} long. Its first {@link BenchSettings#HEADER_BYTES} bytes
 * carry the message id (a little-endian long at offset 0) and its intended send time ({@link System#nanoTime()}
 * clock, a little-endian long at offset 8); the rest is padding. A response carries both values back unchanged,
 * so the load can measure latency from the intended send time without keeping per-message state.
 *
 * <h2>Threading</h2>
 * <ul>
 *   <li>The client side is single-threaded: {@link #start}, {@link #offer}, {@link #poll} and {@link #close} are
 *       all called from one thread, the caller's (the load thread), never concurrently. {@link #offer} and
 *       {@link #poll} do their client-side work (publication, subscription, fragment assembly) on that thread.</li>
 *   <li>{@link #offer} and {@link #poll} never block: {@code offer} returns {@code false} when the message could
 *       not be sent now (back-pressure, not yet or no longer connected) and the caller retries; {@code poll} returns
 *       at once with the number of responses (or fragments) it handled.</li>
 *   <li>The {@link ResponseHandler} is called only on the caller's thread, from inside {@link #poll}.</li>
 *   <li>The nodes (media drivers, archives, consensus modules, services, echo agents) run on threads the target
 *       starts in {@link #start} and stops in {@link #close}; nothing of theirs runs on the caller's thread.</li>
 *   <li>{@link #offer} and {@link #poll} do not allocate in steady state (after the connection is up).</li>
 * </ul>
 *
 * <h2>Lifecycle</h2>
 * {@code start} once, then any number of {@code offer}/{@code poll}, then {@code close} (also after a failed or
 * partial {@code start}). {@code close} stops everything the target started and deletes its temporary directories,
 * so targets can be started and closed repeatedly in one JVM.
 */
public interface BenchTarget extends AutoCloseable
{
    /** The target's name as reported: {@code aeron-floor-1}, {@code aeron-floor-2}, {@code aeron-cluster}, ... */
    String name();

    /**
     * Brings the nodes up (in-process by default: each node its own embedded media driver in SHARED threading mode
     * with the settings' idle strategy, its own directories under a temporary directory in
     * {@link BenchSettings#tempRoot()}) and connects the client; returns once a message offered now would be
     * answered (for a cluster: a leader is elected and the client's session is open).
     */
    void start(BenchSettings settings) throws Exception;

    /**
     * Sends one message of {@link BenchSettings#messageBytes()} carrying {@code messageId} and
     * {@code intendedSendNs} in its first 16 bytes.
     *
     * @return {@code true} if sent, {@code false} if back-pressured or not connected (try again later).
     */
    boolean offer(long messageId, long intendedSendNs);

    /**
     * Delivers the responses that have arrived, each as {@link ResponseHandler#onResponse}.
     *
     * @return the amount of work done (responses or fragments handled), 0 when there was nothing.
     */
    int poll(ResponseHandler handler);

    /** Stops everything {@link #start} started and deletes the target's temporary directories. Idempotent. */
    @Override
    void close();

    /** Receives the responses delivered by {@link #poll}, on the caller's thread. */
    @FunctionalInterface
    interface ResponseHandler
    {
        void onResponse(long messageId, long intendedSendNs);
    }
}
