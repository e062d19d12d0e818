package io.paxlog.bench;

/**
 * A {@link BenchTarget} that is a replicated cluster and can lose its leader on demand, for fail-over measurements:
 * the time from {@link #killLeader()} to the next acknowledged write, and the writes lost on the way (reported, not
 * failed: a client may lose what was in flight to the dead leader).
 *
 * <h2>Threading</h2>
 * {@link #killLeader()} and {@link #restartKilled()} are called from one controlling thread, which may be another
 * thread than the load's, while the load keeps calling {@link #offer} and {@link #poll}: they touch only the
 * members, never the client, and never block the load thread. They must have returned before {@link #close} (which
 * they exclude while they run). Neither is on the message path; both may allocate.
 *
 * <h2>Contract</h2>
 * After {@code killLeader} the client is not told anything: it finds the new leader by itself, and until it has,
 * {@code offer} returns {@code false} (never throws) and {@code poll} returns what arrives.
 */
public interface FailoverTarget extends BenchTarget
{
    /**
     * Kills the current leader the hard way (in-process: closes all of that member's components abruptly;
     * processes: kill -9 / destroyForcibly) and returns its member id. The client is not told. Waits for a leader
     * first if an election is under way (bounded; throws on timeout).
     */
    int killLeader() throws Exception;

    /**
     * Restarts the killed member(s) so the cluster is back to full strength (Paxlog: from its journal; Aeron Cluster:
     * a fresh member that catches up, see {@link AeronClusterTarget}); returns once it has rejoined or after a
     * timeout with an exception. Does nothing when no member is down.
     */
    void restartKilled() throws Exception;
}
