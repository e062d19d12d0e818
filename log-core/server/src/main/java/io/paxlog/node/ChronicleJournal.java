package io.paxlog.node;

import io.paxlog.codecs.EntryType;
import io.paxlog.codecs.JournalAcceptedDecoder;
import io.paxlog.codecs.JournalAcceptedEncoder;
import io.paxlog.codecs.JournalCommitDecoder;
import io.paxlog.codecs.JournalCommitEncoder;
import io.paxlog.codecs.JournalPromiseDecoder;
import io.paxlog.codecs.JournalPromiseEncoder;
import io.paxlog.codecs.JournalSegmentDecoder;
import io.paxlog.codecs.JournalSegmentEncoder;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.Journal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The {@link Journal} on Chronicle Queue: one queue per node, one SBE-encoded record per document (promise,
 * accepted entry with its slot and ballot, commit mark), each with a CRC32C of the record. The slot lives in the
 * record, never in the queue index (indexes jump when a file rolls).
 *
 * <p><b>Durability.</b> With {@link SyncPolicy#BATCH} the queue is built with {@code SyncMode.SYNC} and
 * {@link #sync()} msyncs the mapped file up to the last write, once per duty cycle (group commit). With
 * {@link SyncPolicy#NONE} nothing is synced; the page cache survives a process crash only. Chronicle's default
 * asynchronous msync is never relied upon.
 *
 * <p><b>Segments.</b> The journal is a sequence of queues, one per segment, in {@code journal/seg-<baseSlot>}.
 * {@link #startSegment} syncs the current segment, starts the next one with a {@code JournalSegment} record,
 * and deletes the older segments at the next sync, once the new segment's first records are durable (under
 * {@link SyncPolicy#NONE}, once they are written). Replay reads the segments that exist, oldest first.
 *
 * <p><b>Recovery.</b> Chronicle hides a document whose write did not complete. A record whose checksum fails is
 * treated as torn if it is the last one (it is ignored and stays ignored); anywhere else it is corruption and
 * {@link #replay} throws rather than guess.
 *
 * <p><b>Fail-stop.</b> When the node fails ({@link #stopWrites}) the journal takes no more writes or syncs, and
 * {@link #close} then releases its files without the msync Chronicle does on release under {@code SyncMode.SYNC}:
 * records written after the last sync are left as a crash leaves them (in the page cache, never made durable by
 * the node, never answered: the frames that depended on them die with the node).
 *
 * <p><b>Threading.</b> One thread (the node's duty cycle): one appender, one tailer, reused buffers.
 */
public final class ChronicleJournal implements Journal, AutoCloseable
{
    /** The largest record: an entry of the largest command allowed, with its header and checksum, and room to spare. */
    private static final int RECORD_MAX = CoreConfig.COMMAND_BYTES_MAX_LIMIT + 4096;
    /** A commit record with this slot voids the record before it (a torn last record found at start). */
    private static final long VOID_PREVIOUS = -1;

    private static final String SEGMENT_PREFIX = "seg-";
    /**
     * Chronicle maps its files in blocks of this size, and mapping the next block allocates about 750 bytes on the
     * writing thread (the duty cycle): with 4 MiB blocks that was 3 bytes per 16 KiB command (LeaderAllocationTest),
     * with 32 MiB blocks it is under 0.4. A segment's file is at least one block long (sparse: only what is written
     * takes disk).
     */
    static final long BLOCK_BYTES = Math.max(32L << 20, 4L * RECORD_MAX);

    private final Path root;
    private ChronicleQueue queue;
    private ExcerptAppender appender;
    private final SyncPolicy policy;
    private final List<Path> deleteAtNextSync = new ArrayList<>();
    private final JournalSegmentEncoder segmentEncoder = new JournalSegmentEncoder();
    private final JournalSegmentDecoder segmentDecoder = new JournalSegmentDecoder();
    private final byte[] scratch = new byte[RECORD_MAX];
    private final UnsafeBuffer buffer = new UnsafeBuffer(scratch);
    /**
     * The header version of every record: records keep the version they had before schema version 3 (which changed
     * client and admin frames only), so the journal's bytes are exactly what earlier versions wrote and read.
     */
    static final int JOURNAL_VERSION = 2;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final JournalPromiseEncoder promiseEncoder = new JournalPromiseEncoder();
    private final JournalAcceptedEncoder acceptedEncoder = new JournalAcceptedEncoder();
    private final JournalCommitEncoder commitEncoder = new JournalCommitEncoder();
    private final JournalPromiseDecoder promiseDecoder = new JournalPromiseDecoder();
    private final JournalAcceptedDecoder acceptedDecoder = new JournalAcceptedDecoder();
    private final Entry replayEntry = new Entry();
    private final JournalCommitDecoder commitDecoder = new JournalCommitDecoder();
    private final CRC32C crc = new CRC32C();
    private long unsyncedWrites;
    private long writes;
    private long syncs;
    private long tornRecordsVoided;
    private long segmentsStarted;
    private long bytesWritten;
    private boolean writesStopped;
    /** Runs every {@link #KEEP_ALIVE_RECORDS} records a replay reads ({@link #keepAliveDuringReplay}). */
    private Runnable keepAlive = () -> { };
    private long replayedRecords;
    private static final int KEEP_ALIVE_RECORDS = 1024;

    public ChronicleJournal(final Path dir, final SyncPolicy policy)
    {
        this.root = dir;
        this.policy = policy;
        final List<Path> segments = segments();
        final Path newest = segments.isEmpty() ? dir.resolve(segmentName(0)) : segments.get(segments.size() - 1);
        this.queue = openQueue(newest);
        this.appender = queue.createAppender();
    }

    private ChronicleQueue openQueue(final Path segment)
    {
        return SingleChronicleQueueBuilder.binary(segment)
            .blockSize(BLOCK_BYTES)
            .syncMode(policy == SyncPolicy.BATCH ? SyncMode.SYNC : SyncMode.NONE)
            .build();
    }

    private static String segmentName(final long baseSlot)
    {
        return SEGMENT_PREFIX + String.format("%020d", baseSlot);
    }

    /** The segment directories present, oldest first. */
    private List<Path> segments()
    {
        final List<Path> segments = new ArrayList<>();
        if (!Files.isDirectory(root))
        {
            return segments;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, SEGMENT_PREFIX + "*"))
        {
            for (final Path p : dirs)
            {
                if (Files.isDirectory(p))
                {
                    segments.add(p);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list journal segments in " + root, ex);
        }
        segments.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return segments;
    }

    /** Whether {@code journalDir} holds any journal segment (a journal that has been opened). */
    public static boolean hasSegments(final Path journalDir)
    {
        if (!Files.isDirectory(journalDir))
        {
            return false;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(journalDir, SEGMENT_PREFIX + "*"))
        {
            return dirs.iterator().hasNext();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list journal segments in " + journalDir, ex);
        }
    }

    /** Bytes the journal occupies on disk (every segment). */
    public static long bytesOnDisk(final Path journalDir)
    {
        if (!Files.isDirectory(journalDir))
        {
            return 0;
        }
        try (Stream<Path> files = Files.walk(journalDir))
        {
            return files.filter(Files::isRegularFile).mapToLong(p ->
            {
                try
                {
                    return Files.size(p);
                }
                catch (final IOException ex)
                {
                    return 0;
                }
            }).sum();
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return -1;
        }
    }

    public SyncPolicy policy()
    {
        return policy;
    }

    public void appendPromise(final long ballot)
    {
        promiseEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).ballot(ballot).checksum(0);
        headerEncoder.version(JOURNAL_VERSION);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + promiseEncoder.encodedLength();
        promiseEncoder.checksum(checksum(length));
        write(length);
    }

    public void appendAccepted(final long slot, final long ballot, final Entry entry)
    {
        acceptedEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .slot(slot)
            .ballot(ballot)
            .entryType(entry.isNoop() ? EntryType.NOOP : entry.isConfig() ? EntryType.CONFIG : EntryType.COMMAND)
            .sessionId(entry.sessionId())
            .sequence(entry.sequence())
            .timestampNs(entry.timestampNs())
            .checksum(0)
            .putPayload(entry.payloadArray(), entry.payloadOffset(), entry.payloadLength());
        headerEncoder.version(JOURNAL_VERSION);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + acceptedEncoder.encodedLength();
        acceptedEncoder.checksum(checksum(length));
        write(length);
    }

    public void startSegment(final long baseSlot)
    {
        checkWritable();
        if (policy == SyncPolicy.BATCH && unsyncedWrites > 0)
        {
            appender.sync();
            unsyncedWrites = 0;
            syncs++;
        }
        final List<Path> older = segments();
        final Path next = root.resolve(segmentName(baseSlot));
        if (older.contains(next))
        {
            throw new IllegalStateException("journal segment " + next + " exists already");
        }
        appender.close();
        queue.close();
        queue = openQueue(next);
        appender = queue.createAppender();
        segmentEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).baseSlot(baseSlot).checksum(0);
        headerEncoder.version(JOURNAL_VERSION);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + segmentEncoder.encodedLength();
        segmentEncoder.checksum(checksum(length));
        write(length);
        deleteAtNextSync.addAll(older);
        segmentsStarted++;
    }

    /** Segments started (compactions) since this journal was opened. */
    public long segmentsStarted()
    {
        return segmentsStarted;
    }

    private void deleteOlderSegments()
    {
        for (final Path dir : deleteAtNextSync)
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                for (final Path p : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
            }
            catch (final IOException ex)
            {
                System.err.println("paxlog: cannot delete old journal segment " + dir + ": " + ex);
            }
        }
        deleteAtNextSync.clear();
    }

    public void appendCommit(final long commitSlot)
    {
        commitEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).commitSlot(commitSlot).checksum(0);
        headerEncoder.version(JOURNAL_VERSION);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + commitEncoder.encodedLength();
        commitEncoder.checksum(checksum(length));
        write(length);
    }

    private int checksum(final int length)
    {
        crc.reset();
        crc.update(scratch, 0, length);
        return (int)crc.getValue();
    }

    private void write(final int length)
    {
        checkWritable();
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(scratch, 0, length);
        }
        writes++;
        unsyncedWrites++;
        bytesWritten += length;
    }

    /** Records written since this journal was opened. */
    @Override
    public long position()
    {
        return writes;
    }

    /** Under {@link SyncPolicy#BATCH} the writes up to the last sync; under NONE every write (page cache). */
    @Override
    public long durablePosition()
    {
        return policy == SyncPolicy.BATCH ? writes - unsyncedWrites : writes;
    }

    /** Makes every write so far durable under {@link SyncPolicy#BATCH}; returns true if it synced. */
    public boolean sync()
    {
        checkWritable();
        if (policy != SyncPolicy.BATCH || unsyncedWrites == 0)
        {
            if (!deleteAtNextSync.isEmpty() && (policy != SyncPolicy.BATCH || unsyncedWrites == 0))
            {
                deleteOlderSegments();
            }
            return false;
        }
        appender.sync();
        unsyncedWrites = 0;
        syncs++;
        if (!deleteAtNextSync.isEmpty())
        {
            deleteOlderSegments();
        }
        return true;
    }

    /** Record bytes appended since this journal was opened (snapshots by bytes count them). */
    public long bytesWritten()
    {
        return bytesWritten;
    }

    public long writes()
    {
        return writes;
    }

    public long syncs()
    {
        return syncs;
    }

    /**
     * Work a long replay must keep doing on the replaying thread, every 1,024 records: with invoker threading the
     * node's Aeron client conductor and media driver run on that thread, and Aeron closes a client whose conductor
     * waits more than its inter-service timeout (10 s).
     */
    public void keepAliveDuringReplay(final Runnable keepAlive)
    {
        this.keepAlive = keepAlive;
    }

    public void replay(final Replay handler)
    {
        final List<Path> segments = segments();
        final Path newest = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        boolean tornAtEnd = false;
        for (final Path segment : segments)
        {
            if (segment.equals(newest))
            {
                tornAtEnd = replaySegment(queue, handler, segment);
            }
            else
            {
                try (ChronicleQueue older = openQueue(segment))
                {
                    if (replaySegment(older, handler, segment))
                    {
                        System.err.println("paxlog: ignoring a torn last record in older journal segment " + segment);
                    }
                }
            }
        }
        if (tornAtEnd)
        {
            // a torn last record: void it durably, so records appended after it do not make it look like corruption
            tornRecordsVoided++;
            appendCommit(VOID_PREVIOUS);
            appender.sync();
        }
    }

    /** Replays one segment; returns true if its last record is torn (a bad record elsewhere throws). */
    private boolean replaySegment(final ChronicleQueue segmentQueue, final Replay handler, final Path segment)
    {
        boolean pendingCorrupt = false;
        long corruptAt = -1;
        try (ExcerptTailer tailer = segmentQueue.createTailer())
        {
            while (true)
            {
                final int length;
                final long index;
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    index = dc.index();
                    if ((++replayedRecords & (KEEP_ALIVE_RECORDS - 1)) == 0)
                    {
                        keepAlive.run();
                    }
                    final Bytes<?> bytes = dc.wire().bytes();
                    length = (int)Math.min(bytes.readRemaining(), RECORD_MAX);
                    bytes.read(scratch, 0, length);
                }
                if (pendingCorrupt)
                {
                    if (isVoidMarker(length))
                    {
                        pendingCorrupt = false;
                        continue;
                    }
                    throw new IllegalStateException("journal corrupt: record at index " + corruptAt + " of " +
                        segment + " fails its checksum and is not the last record");
                }
                if (isVoidMarker(length))
                {
                    continue;
                }
                if (!dispatch(length, handler))
                {
                    pendingCorrupt = true;
                    corruptAt = index;
                }
            }
        }
        return pendingCorrupt;
    }

    /** Torn last records found and voided at start (0 after a clean stop). */
    public long tornRecordsVoided()
    {
        return tornRecordsVoided;
    }

    private boolean isVoidMarker(final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        headerDecoder.wrap(buffer, 0);
        if (headerDecoder.templateId() != JournalCommitDecoder.TEMPLATE_ID ||
            length < MessageHeaderDecoder.ENCODED_LENGTH + headerDecoder.blockLength())
        {
            return false;
        }
        commitDecoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return commitDecoder.commitSlot() == VOID_PREVIOUS &&
            verify(length, MessageHeaderDecoder.ENCODED_LENGTH + JournalCommitEncoder.checksumEncodingOffset(),
            commitDecoder.checksum());
    }

    /** Test hook: appends raw bytes as one document (to plant a torn or corrupt record). */
    void appendRaw(final byte[] bytes)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(bytes, 0, bytes.length);
        }
    }

    /** Decodes and delivers one record; returns false if it is torn or fails its checksum. */
    private boolean dispatch(final int length, final Replay handler)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return false;
        }
        headerDecoder.wrap(buffer, 0);
        final int templateId = headerDecoder.templateId();
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        if (headerDecoder.schemaId() != JournalPromiseDecoder.SCHEMA_ID ||
            length < MessageHeaderDecoder.ENCODED_LENGTH + blockLength)
        {
            return false;
        }
        final int offset = MessageHeaderDecoder.ENCODED_LENGTH;
        try
        {
            switch (templateId)
            {
                case JournalPromiseDecoder.TEMPLATE_ID:
                {
                    promiseDecoder.wrap(buffer, offset, blockLength, version);
                    final int stored = promiseDecoder.checksum();
                    if (!verify(length, offset + JournalPromiseEncoder.checksumEncodingOffset(), stored))
                    {
                        return false;
                    }
                    handler.onPromise(promiseDecoder.ballot());
                    return true;
                }
                case JournalAcceptedDecoder.TEMPLATE_ID:
                {
                    acceptedDecoder.wrap(buffer, offset, blockLength, version);
                    final int stored = acceptedDecoder.checksum();
                    final long slot = acceptedDecoder.slot();
                    final long ballot = acceptedDecoder.ballot();
                    final EntryType type = acceptedDecoder.entryType();
                    final long sessionId = acceptedDecoder.sessionId();
                    final long sequence = acceptedDecoder.sequence();
                    final long timestampNs = acceptedDecoder.timestampNs();
                    final int payloadLength = acceptedDecoder.payloadLength();
                    if (payloadLength < 0 || offset + blockLength + 4 + payloadLength > length ||
                        !verify(length, offset + JournalAcceptedEncoder.checksumEncodingOffset(), stored))
                    {
                        return false;
                    }
                    if (type == EntryType.NOOP)
                    {
                        replayEntry.setNoop(timestampNs);
                    }
                    else
                    {
                        replayEntry.setHeader(type == EntryType.CONFIG ? Entry.TYPE_CONFIG : Entry.TYPE_COMMAND,
                            sessionId, sequence, timestampNs, payloadLength);
                        acceptedDecoder.getPayload(replayEntry.payloadArray(), 0, payloadLength);
                    }
                    handler.onAccepted(slot, ballot, replayEntry);
                    return true;
                }
                case JournalSegmentDecoder.TEMPLATE_ID:
                {
                    segmentDecoder.wrap(buffer, offset, blockLength, version);
                    final int stored = segmentDecoder.checksum();
                    if (!verify(length, offset + JournalSegmentEncoder.checksumEncodingOffset(), stored))
                    {
                        return false;
                    }
                    handler.onSegment(segmentDecoder.baseSlot());
                    return true;
                }
                case JournalCommitDecoder.TEMPLATE_ID:
                {
                    commitDecoder.wrap(buffer, offset, blockLength, version);
                    final int stored = commitDecoder.checksum();
                    if (!verify(length, offset + JournalCommitEncoder.checksumEncodingOffset(), stored))
                    {
                        return false;
                    }
                    handler.onCommit(commitDecoder.commitSlot());
                    return true;
                }
                default:
                    return false;
            }
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return false;
        }
    }

    private boolean verify(final int length, final int checksumOffset, final int stored)
    {
        buffer.putInt(checksumOffset, 0);
        final boolean ok = checksum(length) == stored;
        buffer.putInt(checksumOffset, stored);
        return ok;
    }

    /**
     * The node failed (fail-stop): from now on every append, sync and segment start throws, and {@link #close} leaves
     * the records written since the last sync unsynced. Idempotent.
     */
    public void stopWrites()
    {
        writesStopped = true;
    }

    /** Whether {@link #stopWrites} was called. */
    public boolean writesStopped()
    {
        return writesStopped;
    }

    private void checkWritable()
    {
        if (writesStopped)
        {
            throw new IllegalStateException("journal " + root + ": no write or sync after the node failed");
        }
    }

    /** Closes the queue; after {@link #stopWrites} without Chronicle's msync on release. */
    public void close()
    {
        if (writesStopped)
        {
            final Wire wire = appender.wire();
            if (wire != null && wire.bytes() instanceof MappedBytes mapped)
            {
                mapped.mappedFile().syncMode(SyncMode.NONE);
            }
        }
        appender.close();
        queue.close();
    }
}
