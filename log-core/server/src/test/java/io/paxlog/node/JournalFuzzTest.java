package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.core.Entry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input (issue 7): journal recovery from arbitrary bytes. The input is a list of records
 * {@code [kind][length][bytes]}: kind 0-3 writes a valid promise, accepted entry, commit or segment mark through
 * {@link ChronicleJournal}; kind 4 writes the bytes as a raw record; kind 5 writes them as a raw record with its
 * CRC32C fixed up (so the decoders behind the checksum see arbitrary fields too). The journal is then reopened and
 * replayed.
 *
 * <p>Properties: recovery either refuses with an IllegalStateException starting "journal corrupt" or replays, in
 * order, every valid record written (a raw record that decodes may appear among them, none is lost) and exactly the
 * valid records written before the first raw one as its prefix; a second reopen replays the same records again
 * (a torn last record stays voided); nothing else is thrown.
 */
class JournalFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void recoveryReplaysAConsistentPrefixOrRefuses(final byte[] input) throws IOException
    {
        final Path dir = ScratchDirs.create("journal-fuzz");
        try
        {
            final List<String> valid = new ArrayList<>();
            int validBeforeRaw = -1;
            try (ChronicleJournal j = new ChronicleJournal(dir, SyncPolicy.NONE))
            {
                int p = 0;
                int records = 0;
                while (p + 2 <= input.length && records++ < 64)
                {
                    final int kind = (input[p] & 0xFF) % 6;
                    final int length = Math.min(input[p + 1] & 0xFF, input.length - p - 2);
                    final ByteBuffer bytes = ByteBuffer.wrap(input, p + 2, length).slice().order(ByteOrder.LITTLE_ENDIAN);
                    p += 2 + length;
                    final long value = length >= 8 ? bytes.getLong(0) : length;
                    switch (kind)
                    {
                        case 0:
                            j.appendPromise(value);
                            valid.add("promise " + value);
                            break;
                        case 1:
                        {
                            final byte[] payload = new byte[Math.max(0, length - 8)];
                            bytes.position(Math.min(8, length));
                            bytes.get(payload);
                            final Entry e = Entry.command(3, records, 100L * records, payload);
                            j.appendAccepted(records, value, e);
                            valid.add("accepted " + records + " " + value + " " + e);
                            break;
                        }
                        case 2:
                            j.appendCommit(Math.max(0, value));
                            valid.add("commit " + Math.max(0, value));
                            break;
                        case 3:
                            j.appendCommit(records);
                            valid.add("commit " + records);
                            break;
                        default:
                        {
                            final byte[] raw = new byte[length];
                            bytes.get(0, raw);
                            if (kind == 5)
                            {
                                fixChecksum(raw);
                            }
                            if (validBeforeRaw < 0)
                            {
                                validBeforeRaw = valid.size();
                            }
                            j.appendRaw(raw);
                            break;
                        }
                    }
                }
            }
            final List<String> first = replay(dir, valid, validBeforeRaw);
            if (first != null)
            {
                assertEquals(first, replay(dir, valid, validBeforeRaw), "a second recovery replays the same records");
            }
        }
        finally
        {
            delete(dir);
        }
    }

    /** Replays; null if recovery refused with a clear corruption error. */
    private static List<String> replay(final Path dir, final List<String> valid, final int validBeforeRaw)
    {
        try (ChronicleJournal j = new ChronicleJournal(dir, SyncPolicy.NONE))
        {
            final JournalRecoveryTest.Collect c = new JournalRecoveryTest.Collect();
            try
            {
                j.replay(c);
            }
            catch (final IllegalStateException ex)
            {
                assertTrue(ex.getMessage().startsWith("journal corrupt"), "a clear error: " + ex.getMessage());
                return null;
            }
            final int prefix = validBeforeRaw < 0 ? valid.size() : validBeforeRaw;
            assertTrue(c.records.size() >= prefix, "replayed " + c.records.size() + " of the " + prefix +
                " records written before anything raw");
            assertEquals(valid.subList(0, prefix), c.records.subList(0, prefix), "the prefix is intact");
            int next = 0;
            for (final String r : c.records)
            {
                if (next < valid.size() && valid.get(next).equals(r))
                {
                    next++;
                }
            }
            assertEquals(valid.size(), next, "every valid record replays in order: " + valid + " vs " + c.records);
            return c.records;
        }
    }

    /** Sets the CRC32C field of a record of a known journal template, as the journal computes it. */
    static void fixChecksum(final byte[] raw)
    {
        if (raw.length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return;
        }
        final int template = (raw[2] & 0xFF) | (raw[3] & 0xFF) << 8;
        final int checksumOffset;
        switch (template)
        {
            case io.paxlog.codecs.JournalPromiseDecoder.TEMPLATE_ID:
                checksumOffset = io.paxlog.codecs.JournalPromiseEncoder.checksumEncodingOffset();
                break;
            case io.paxlog.codecs.JournalAcceptedDecoder.TEMPLATE_ID:
                checksumOffset = io.paxlog.codecs.JournalAcceptedEncoder.checksumEncodingOffset();
                break;
            case io.paxlog.codecs.JournalCommitDecoder.TEMPLATE_ID:
                checksumOffset = io.paxlog.codecs.JournalCommitEncoder.checksumEncodingOffset();
                break;
            case io.paxlog.codecs.JournalSegmentDecoder.TEMPLATE_ID:
                checksumOffset = io.paxlog.codecs.JournalSegmentEncoder.checksumEncodingOffset();
                break;
            default:
                return;
        }
        final int at = MessageHeaderDecoder.ENCODED_LENGTH + checksumOffset;
        if (at + 4 > raw.length)
        {
            return;
        }
        final ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(at, 0);
        final CRC32C crc = new CRC32C();
        crc.update(raw, 0, raw.length);
        b.putInt(at, (int)crc.getValue());
    }

    static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
