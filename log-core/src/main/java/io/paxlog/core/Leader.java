package io.paxlog.core;

import java.util.Arrays;

/**
 * Phase 2 for the ballot this node won: pipelines batched accepts to each peer with a bounded window of slots in
 * flight, renews the lease with heartbeats when idle, counts acks into the commit point, and measures the lease
 * from the send times the acks echo. Buffers are allocated once per node and reused by every term.
 */
final class Leader
{
    private final CoreConfig config;
    private final int selfId;
    private final int memberCount;
    private final long[] ackSlot;
    private final long[] latestAck;
    private final long[] sentUpTo;
    private final long[] lastSendNs;
    private final long[] lastAckProgressNs;
    private final long[] ackSendNs;
    /** Local time each peer's latest ack arrived (observation only: no decision reads it); MIN_VALUE if none. */
    private final long[] ackReceiveNs;
    private final long[] scratchTimes;
    private final long[] scratchSlots;
    private final Entry[] batch;
    private final boolean[] behindRing;

    private long ballot;
    private long startSlot;
    private long termStartNs;

    Leader(final CoreConfig config)
    {
        this.config = config;
        this.selfId = config.nodeId();
        this.memberCount = config.memberCount();
        this.ackSlot = new long[memberCount];
        this.latestAck = new long[memberCount];
        this.sentUpTo = new long[memberCount];
        this.lastSendNs = new long[memberCount];
        this.lastAckProgressNs = new long[memberCount];
        this.ackSendNs = new long[memberCount];
        this.ackReceiveNs = new long[memberCount];
        this.scratchTimes = new long[memberCount];
        this.scratchSlots = new long[memberCount];
        this.batch = new Entry[config.batchEntriesMax()];
        this.behindRing = new boolean[memberCount];
    }

    /** Starts a term: {@code startSlot} is the first slot this ballot proposed (recovered or new). */
    void begin(final long ballot, final long startSlot, final long nowNs, final long[] peerCommit)
    {
        this.ballot = ballot;
        this.startSlot = startSlot;
        this.termStartNs = nowNs;
        Arrays.fill(ackSlot, 0);
        Arrays.fill(latestAck, 0);
        Arrays.fill(lastSendNs, Long.MIN_VALUE / 4);
        Arrays.fill(lastAckProgressNs, nowNs);
        Arrays.fill(ackReceiveNs, Long.MIN_VALUE);
        for (int i = 0; i < memberCount; i++)
        {
            ackSendNs[i] = Long.MIN_VALUE;
            sentUpTo[i] = Math.min(startSlot - 1, Math.max(0, peerCommit[i]));
        }
        ackSendNs[selfId] = nowNs;
    }

    long ballot()
    {
        return ballot;
    }

    long startSlot()
    {
        return startSlot;
    }

    /** The local-clock time until which this leader holds its lease (exclusive); MIN_VALUE if none. */
    long leaseEndNs()
    {
        if (!config.leaseEnabled())
        {
            return Long.MIN_VALUE;
        }
        System.arraycopy(ackSendNs, 0, scratchTimes, 0, memberCount);
        final long quorumSendNs = kthLargest(scratchTimes, config.leaseQuorum());
        return quorumSendNs == Long.MIN_VALUE ? Long.MIN_VALUE : quorumSendNs + config.leaderLeaseNs();
    }

    /**
     * The local time since which a lease quorum (N - R + 1, leader included; it intersects every election quorum)
     * is known to have still taken this node as leader: the quorum's oldest echoed send time. MIN_VALUE if none.
     */
    long quorumConfirmedNs()
    {
        System.arraycopy(ackSendNs, 0, scratchTimes, 0, memberCount);
        return kthLargest(scratchTimes, config.leaseQuorum());
    }

    /**
     * The local time since which a lease quorum (leader included) has been heard from: the quorum's oldest latest
     * ack arrival, but never before this term began. A leader that hears no quorum for long steps down (see
     * {@code ConsensusNode#onTick}).
     */
    long quorumHeardNs(final long nowNs)
    {
        System.arraycopy(ackReceiveNs, 0, scratchTimes, 0, memberCount);
        scratchTimes[selfId] = nowNs;
        return Math.max(termStartNs, kthLargest(scratchTimes, config.leaseQuorum()));
    }

    /** The self-grant of the lease renews whenever the leader sends; it is its own acceptor. */
    void renewSelf(final long nowNs)
    {
        ackSendNs[selfId] = nowNs;
    }

    /**
     * Records an ack from {@code from}; {@code timeNs} is the echoed send time (or, with the planted bug, the
     * receive time). Returns true if the peer's acked slot advanced.
     */
    boolean onAccepted(final int from, final long acked, final long timeNs, final long nowNs)
    {
        ackSendNs[from] = Math.max(ackSendNs[from], timeNs);
        ackReceiveNs[from] = nowNs;
        latestAck[from] = acked;
        if (acked > ackSlot[from])
        {
            ackSlot[from] = acked;
            lastAckProgressNs[from] = nowNs;
            sentUpTo[from] = Math.max(sentUpTo[from], acked);
            return true;
        }
        return false;
    }

    /** The highest slot held by W acceptors (leader included, at {@code selfLastSlot}) in this ballot. */
    long quorumAckSlot(final long selfLastSlot)
    {
        for (int i = 0; i < memberCount; i++)
        {
            scratchSlots[i] = i == selfId ? selfLastSlot : ackSlot[i];
        }
        return kthLargest(scratchSlots, config.acceptQuorum());
    }

    /** Sends pending entries, resends after silence, and heartbeats idle peers. Returns messages sent. */
    int flush(final long nowNs, final EntryLog log, final Outbox outbox)
    {
        int sent = 0;
        final long lastSlot = log.lastSlot();
        final long commitSlot = log.commitSlot();
        for (int peer = 0; peer < memberCount; peer++)
        {
            if (peer == selfId)
            {
                continue;
            }
            if (latestAck[peer] < sentUpTo[peer] && nowNs - lastAckProgressNs[peer] >= config.resendTimeoutNs())
            {
                // go back to what the peer last said it holds (an old ack may be reordered, or it lost a tail)
                sentUpTo[peer] = latestAck[peer];
                lastAckProgressNs[peer] = nowNs;
            }
            int rounds = 0;
            while (sentUpTo[peer] < lastSlot && sentUpTo[peer] - latestAck[peer] < config.windowSlots() &&
                rounds++ < 4)
            {
                final long first = sentUpTo[peer] + 1;
                final int count = (int)Math.min(config.batchEntriesMax(),
                    Math.min(lastSlot - sentUpTo[peer], config.windowSlots() - (sentUpTo[peer] - latestAck[peer])));
                if (!log.has(first))
                {
                    // the peer needs slots older than the log ring holds: it can only catch up from a snapshot
                    Invariants.check(first <= commitSlot, "leader log has a gap at uncommitted slot ", first);
                    behindRing[peer] = true;
                    break;
                }
                behindRing[peer] = false;
                for (int i = 0; i < count; i++)
                {
                    batch[i] = log.entry(first + i);
                    Invariants.check(batch[i] != null, "leader log has a gap at slot ", first + i);
                }
                outbox.accept(peer, ballot, nowNs, commitSlot, first, batch, count);
                Arrays.fill(batch, 0, count, null);
                sentUpTo[peer] += count;
                lastSendNs[peer] = nowNs;
                sent++;
            }
            if (nowNs - lastSendNs[peer] >= config.heartbeatIntervalNs())
            {
                outbox.accept(peer, ballot, nowNs, commitSlot, sentUpTo[peer] + 1, batch, 0);
                lastSendNs[peer] = nowNs;
                sent++;
            }
        }
        return sent;
    }

    /** The highest slot {@code peer} acknowledged in this ballot (0 if none yet). */
    long ackSlot(final int peer)
    {
        return ackSlot[peer];
    }

    /** The local time the latest ack from {@code peer} arrived in this ballot; {@link Long#MIN_VALUE} if none. */
    long ackReceiveNs(final int peer)
    {
        return ackReceiveNs[peer];
    }

    /** True if {@code peer} last needed slots older than the leader's log ring holds. */
    boolean behindRing(final int peer)
    {
        return behindRing[peer];
    }

    /** Forces a heartbeat to every peer on the next flush (to announce a new commit point promptly). */
    void announceSoon()
    {
        Arrays.fill(lastSendNs, Long.MIN_VALUE / 4);
    }

    private static long kthLargest(final long[] values, final int k)
    {
        Arrays.sort(values);
        return values[values.length - k];
    }
}
