package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.Counter;
import org.agrona.CloseHelper;

/**
 * The node's figures as Aeron counters, so AeronStat (and any tool reading the media driver's counters file) shows
 * them beside the driver's own: role (0 follower, 1 candidate, 2 leader, as {@link io.paxlog.core.Role}'s
 * ordinal), ballot, commit slot, applied slot, lease remaining (ns), snapshot slot, dropped frames, dropped
 * sends and delayed frames (held by the fault shim now), then the frames dropped by authentication, per reason
 * (truncated envelope, wrong cluster id, sender not a member, sender not the member the message names, bad MAC;
 * all also in dropped frames) and the client connects and admin requests refused. Each label starts
 * {@code paxlog node N: }. Type ids are {@link #TYPE_ID_BASE} and up (7100-7114).
 *
 * <p>Threading: created and updated on the node's duty-cycle thread ({@link #update} is called with the status
 * every 10 ms; it stores with ordered writes and allocates nothing); closed with the agent.
 */
final class NodeCounters implements AutoCloseable
{
    /** The first of this class's counter type ids (Aeron reserves ids below 1000 for itself). */
    static final int TYPE_ID_BASE = 7100;
    static final String[] NAMES = {"role", "ballot", "commit slot", "applied slot", "lease remaining ns",
        "snapshot slot", "dropped frames", "dropped sends", "delayed frames",
        "auth truncated", "auth wrong cluster", "auth not member", "auth sender mismatch", "auth bad mac",
        "auth clients refused"};
    /** Index in {@link #NAMES} of the first authentication counter (the reasons of {@link FrameEnvelope}, in order). */
    static final int AUTH_BASE = 9;
    /** How many authentication counters: the envelope's five drop reasons and refused client or admin requests. */
    static final int AUTH_COUNT = 6;

    private final Counter[] counters = new Counter[NAMES.length];

    NodeCounters(final Aeron aeron, final int nodeId)
    {
        try
        {
            for (int i = 0; i < NAMES.length; i++)
            {
                counters[i] = aeron.addCounter(TYPE_ID_BASE + i, "paxlog node " + nodeId + ": " + NAMES[i]);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    void update(final int roleOrdinal, final long ballot, final long commitSlot, final long appliedSlot,
        final long leaseRemainingNs, final long snapshotSlot, final long droppedFrames, final long droppedSends,
        final long delayedFrames, final long[] auth)
    {
        set(0, roleOrdinal);
        set(1, ballot);
        set(2, commitSlot);
        set(3, appliedSlot);
        set(4, leaseRemainingNs);
        set(5, snapshotSlot);
        set(6, droppedFrames);
        set(7, droppedSends);
        set(8, delayedFrames);
        for (int i = 0; i < AUTH_COUNT; i++)
        {
            set(AUTH_BASE + i, auth[i]);
        }
    }

    private void set(final int i, final long value)
    {
        final Counter c = counters[i];
        if (c != null && !c.isClosed())
        {
            c.setOrdered(value);
        }
    }

    public void close()
    {
        CloseHelper.quietCloseAll(counters);
    }
}
