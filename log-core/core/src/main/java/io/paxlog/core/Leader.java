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
    private final long[] ackSlot;
    private final long[] latestAck;
    private final long[] sentUpTo;
    private final long[] lastSendNs;
    private final long[] lastAckProgressNs;
    private final long[] ackSendNs;
    /** Local time each peer's latest ack arrived (observation only: no decision reads it); MIN_VALUE if none. */
    private final long[] ackReceiveNs;
    private final long[] scratchTimes;
    private final long[] scratch;
    private final Entry[] batch;
    private final boolean[] behindRing;
    /** Per peer: bytes of the entries sent above {@link #countedAck} (flow control by bytes). */
    private final long[] inFlightBytes;
    /** Per peer: the slot up to which acknowledged entries have been taken off {@link #inFlightBytes}. */
    private final long[] countedAck;

    /** Bytes of the batch {@link #fillBatch} filled last. */
    private long batchBytes;
    private long ballot;
    private long startSlot;
    private long termStartNs;

    Leader(final CoreConfig config)
    {
        this.config = config;
        this.selfId = config.nodeId();
        final int ids = Membership.MEMBERS_MAX;
        this.ackSlot = new long[ids];
        this.latestAck = new long[ids];
        this.sentUpTo = new long[ids];
        this.lastSendNs = new long[ids];
        this.lastAckProgressNs = new long[ids];
        this.ackSendNs = new long[ids];
        this.ackReceiveNs = new long[ids];
        this.scratchTimes = new long[ids];
        this.scratch = new long[ids];
        this.batch = new Entry[config.batchEntriesMax()];
        this.behindRing = new boolean[ids];
        this.inFlightBytes = new long[ids];
        this.countedAck = new long[ids];
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
        for (int i = 0; i < ackSendNs.length; i++)
        {
            ackSendNs[i] = Long.MIN_VALUE;
            sentUpTo[i] = Math.min(startSlot - 1, Math.max(0, peerCommit[i]));
            countedAck[i] = sentUpTo[i];
            inFlightBytes[i] = 0;
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

    /**
     * The local-clock time until which this leader holds its lease (exclusive); MIN_VALUE if none. A lease quorum
     * is needed in every configuration that may govern a slot above the commit point (docs/membership.md, rule 6).
     */
    long leaseEndNs(final Configurations configs)
    {
        if (!config.leaseEnabled())
        {
            return Long.MIN_VALUE;
        }
        final long quorumSendNs = quorumConfirmedNs(configs);
        return quorumSendNs == Long.MIN_VALUE ? Long.MIN_VALUE : quorumSendNs + config.leaderLeaseNs();
    }

    /**
     * The local time since which a lease quorum (voters - R + 1, leader included if it votes; it intersects every
     * election quorum) of every configuration in effect is known to have still taken this node as leader: the
     * quorums' oldest echoed send time. MIN_VALUE if none.
     */
    long quorumConfirmedNs(final Configurations configs)
    {
        return leaseQuorumTime(configs, ackSendNs);
    }

    /**
     * The local time since which a lease quorum (leader included) of every configuration in effect has been heard
     * from: the quorums' oldest latest ack arrival, but never before this term began. A leader that hears no quorum
     * for long steps down (see {@code ConsensusNode#onTick}).
     */
    long quorumHeardNs(final Configurations configs, final long nowNs)
    {
        System.arraycopy(ackReceiveNs, 0, scratchTimes, 0, scratchTimes.length);
        scratchTimes[selfId] = nowNs;
        return Math.max(termStartNs, leaseQuorumTime(configs, scratchTimes));
    }

    private long leaseQuorumTime(final Configurations configs, final long[] timesNs)
    {
        long t = configs.committed().leaseQuorumTime(timesNs, scratch);
        for (int i = 0; i < configs.pendingCount(); i++)
        {
            t = Math.min(t, configs.pending(i).leaseQuorumTime(timesNs, scratch));
        }
        return t;
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

    /**
     * The highest slot held by W voters of {@code membership} (the leader, if it votes there, at
     * {@code selfSlot}: the last slot its journal holds durably in this ballot) in this ballot.
     */
    long quorumAckSlot(final Membership membership, final long selfSlot)
    {
        return membership.acceptQuorumSlot(ackSlot, selfId, selfSlot, scratch);
    }

    /**
     * Sends pending entries, resends after silence, and heartbeats idle peers among {@code members} (every voter
     * and learner of the configurations in effect). Returns messages sent.
     */
    int flush(final long nowNs, final EntryLog log, final Outbox outbox, final long members)
    {
        int sent = 0;
        final long lastSlot = log.lastSlot();
        final long commitSlot = log.commitSlot();
        long rest = members & ~(1L << selfId);
        while (rest != 0)
        {
            final int peer = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
            if (latestAck[peer] < sentUpTo[peer] && nowNs - lastAckProgressNs[peer] >= config.resendTimeoutNs())
            {
                // go back to what the peer last said it holds (an old ack may be reordered, or it lost a tail)
                sentUpTo[peer] = latestAck[peer];
                lastAckProgressNs[peer] = nowNs;
                countedAck[peer] = latestAck[peer];
                inFlightBytes[peer] = 0;
            }
            releaseAcked(log, peer);
            int rounds = 0;
            while (sentUpTo[peer] < lastSlot && sentUpTo[peer] - latestAck[peer] < config.windowSlots() &&
                inFlightBytes[peer] < config.peerWindowBytes() && rounds++ < 4)
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
                final int filled = fillBatch(log, first, count);
                outbox.accept(peer, ballot, nowNs, commitSlot, first, batch, filled);
                Arrays.fill(batch, 0, filled, null);
                sentUpTo[peer] += filled;
                inFlightBytes[peer] += batchBytes;
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

    /**
     * Lends the batch the log's cells from {@code first}, at most {@code count} of them and no more bytes than one
     * frame carries ({@link CoreConfig#entryBytesPerFrame}) or a peer's window holds; at least one, which always fits (a command never exceeds
     * {@link CoreConfig#commandBytesMax}, which {@link CoreConfig#conclude} fits in a frame). Returns how many.
     */
    private int fillBatch(final EntryLog log, final long first, final int count)
    {
        // no bigger than a peer's window either: smaller frames interleave with heartbeats and other peers' traffic
        final long budget = Math.min(config.entryBytesPerFrame(), config.peerWindowBytes());
        long bytes = 0;
        int filled = 0;
        while (filled < count)
        {
            final Entry e = log.entry(first + filled);
            Invariants.check(e != null, "leader log has a gap at slot ", first + filled);
            final int entryBytes = FrameBudget.entryBytes(e);
            if (filled > 0 && bytes + entryBytes > budget)
            {
                break;
            }
            bytes += entryBytes;
            batch[filled++] = e;
        }
        batchBytes = bytes;
        return filled;
    }

    /** Takes the entries {@code peer} acknowledged since the last call off its bytes in flight. */
    private void releaseAcked(final EntryLog log, final int peer)
    {
        final long acked = Math.min(latestAck[peer], sentUpTo[peer]);
        while (countedAck[peer] < acked)
        {
            final long slot = ++countedAck[peer];
            if (!log.has(slot))
            {
                inFlightBytes[peer] = 0; // left the ring: nothing of it is in flight any more
                countedAck[peer] = acked;
                return;
            }
            inFlightBytes[peer] = Math.max(0, inFlightBytes[peer] - FrameBudget.entryBytes(log.entry(slot)));
        }
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
}
