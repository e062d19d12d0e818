package io.paxlog.sim;

import io.paxlog.core.Entry;
import io.paxlog.core.Journal;
import io.paxlog.replica.JournalIdentity;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * In-memory journal of one simulated node. Records up to {@link #syncedCount()} are on "disk"; later ones are in
 * the "page cache". A process crash keeps everything (the page cache survives a kill); a machine crash keeps
 * only a random prefix of the unsynced tail and may leave the last kept record torn (checksum mismatch), which
 * replay must drop along with everything after it. Like a real journal it carries the identity (cluster, member)
 * it was written for, set at the member's first start; a replaced disk loses it with every record.
 */
final class SimJournal implements Journal
{
    private record Rec(byte kind, long slot, long ballot, Entry entry, boolean torn) { }

    private static final byte PROMISE = 1;
    private static final byte ACCEPTED = 2;
    private static final byte COMMIT = 3;
    private static final byte SEGMENT = 4;

    private final List<Rec> records = new ArrayList<>();
    /** Sync policy none: a write reaches the page cache, which is what "durable" means then. */
    private final boolean durableOnWrite;
    private int syncedCount;
    private int syncInFlightCount = -1;
    private long appends;
    private JournalIdentity identity;

    /** The identity this journal was written for, or null (never started, or its disk was replaced). */
    JournalIdentity identity()
    {
        return identity;
    }

    /** Written at the member's first start, durably, before any record (as {@code JournalIdentity.write}). */
    void identity(final JournalIdentity id)
    {
        identity = id;
    }

    /** The disk is replaced: every record, synced or not, and the identity are gone. */
    void replaceDisk()
    {
        records.clear();
        syncedCount = 0;
        syncInFlightCount = -1;
        identity = null;
    }

    SimJournal(final boolean durableOnWrite)
    {
        this.durableOnWrite = durableOnWrite;
    }

    public void appendPromise(final long ballot)
    {
        records.add(new Rec(PROMISE, 0, ballot, null, false));
        appends++;
    }

    public void appendAccepted(final long slot, final long ballot, final Entry entry)
    {
        records.add(new Rec(ACCEPTED, slot, ballot, entry.copy(), false));
        appends++;
    }

    public void appendCommit(final long commitSlot)
    {
        records.add(new Rec(COMMIT, commitSlot, 0, null, false));
        appends++;
    }

    /**
     * Records a segment start; once it is durable, the records before it count as deleted (replay starts at the
     * newest durable segment), as a real journal deletes files wholly below a snapshot.
     */
    public void startSegment(final long baseSlot)
    {
        records.add(new Rec(SEGMENT, baseSlot, 0, null, false));
        appends++;
    }

    /** Index of the newest durable segment record (replay starts there), or 0. */
    private int replayStart()
    {
        for (int i = Math.min(syncedCount, records.size()) - 1; i >= 0; i--)
        {
            if (records.get(i).kind() == SEGMENT && !records.get(i).torn())
            {
                return i;
            }
        }
        return 0;
    }

    public void replay(final Replay handler)
    {
        for (int i = replayStart(); i < records.size(); i++)
        {
            final Rec r = records.get(i);
            if (r.torn())
            {
                // recovery truncates the log at the first record that fails its checksum
                while (records.size() > i)
                {
                    records.remove(records.size() - 1);
                }
                syncedCount = Math.min(syncedCount, records.size());
                break;
            }
            switch (r.kind())
            {
                case PROMISE -> handler.onPromise(r.ballot());
                case ACCEPTED -> handler.onAccepted(r.slot(), r.ballot(), r.entry());
                case COMMIT -> handler.onCommit(r.slot());
                case SEGMENT -> handler.onSegment(r.slot());
                default -> throw new IllegalStateException("record kind " + r.kind());
            }
        }
    }

    /** Number of records written so far (a journal position). */
    @Override
    public long position()
    {
        return records.size();
    }

    /** Records up to {@link #syncedCount()} are on "disk"; with sync policy none, every record written is. */
    @Override
    public long durablePosition()
    {
        return durableOnWrite ? records.size() : syncedCount;
    }

    int syncedCount()
    {
        return syncedCount;
    }

    long appends()
    {
        return appends;
    }

    /** Starts a sync covering the current position; returns false if one is already in flight. */
    boolean beginSync()
    {
        if (syncInFlightCount >= 0 || syncedCount == records.size())
        {
            return false;
        }
        syncInFlightCount = records.size();
        return true;
    }

    boolean syncInFlight()
    {
        return syncInFlightCount >= 0;
    }

    /** Completes the sync in flight; returns the new synced position. */
    int completeSync()
    {
        if (syncInFlightCount >= 0)
        {
            syncedCount = Math.max(syncedCount, syncInFlightCount);
            syncInFlightCount = -1;
        }
        return syncedCount;
    }

    /** Everything written is durable at once (sync policy none after a process crash, or a clean stop). */
    void markAllDurable()
    {
        syncedCount = records.size();
        syncInFlightCount = -1;
    }

    /** A process crash: the page cache survives, so nothing is lost; an in-flight sync is abandoned. */
    void processCrash()
    {
        syncInFlightCount = -1;
    }

    /** A machine crash: loses a random part of the unsynced tail, possibly tearing the last record kept. */
    int machineCrash(final SplittableRandom random)
    {
        syncInFlightCount = -1;
        final int unsynced = records.size() - syncedCount;
        if (unsynced == 0)
        {
            return 0;
        }
        final int keep = random.nextInt(unsynced + 1);
        final int newSize = syncedCount + keep;
        while (records.size() > newSize)
        {
            records.remove(records.size() - 1);
        }
        if (keep > 0 && random.nextInt(3) == 0)
        {
            final Rec last = records.remove(records.size() - 1);
            records.add(new Rec(last.kind(), last.slot(), last.ballot(), last.entry(), true));
        }
        syncedCount = Math.min(syncedCount, records.size());
        return unsynced - keep;
    }
}
