package io.paxlog.node;

import java.time.Instant;

/**
 * The node's log lines (role changes, snapshots, faults, start and stop) on standard output, each prefixed with
 * the wall-clock time (UTC, ISO-8601), so they can be lined up with a campaign's timeline or another member's log.
 * Called off the hot path only (it allocates).
 */
final class NodeLog
{
    private NodeLog()
    {
    }

    static void info(final String line)
    {
        System.out.println(Instant.now() + " " + line);
    }
}
