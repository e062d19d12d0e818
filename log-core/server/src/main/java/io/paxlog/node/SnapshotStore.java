package io.paxlog.node;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Durable snapshots of a node's state machines, one file per snapshot in {@code DIR/snapshots}:
 * {@code snapshot-<slot>.bin} holding a header ({@code magic(4) version(4) slot(8) length(8) crc32c(4)}) and the
 * bytes the host wrote. A snapshot is written to a temporary file, forced to disk, renamed into place and the
 * directory forced, so a crash leaves either the whole file or none. The newest {@link #KEEP} are kept.
 *
 * <p>Threading: the node's duty-cycle thread. Files that fail their checksum are skipped at load (and reported),
 * never half-restored.
 */
public final class SnapshotStore
{
    public static final int KEEP = 2;
    private static final int MAGIC = 0x50584C53; // "PXLS"
    private static final int VERSION = 1;
    private static final int HEADER_LENGTH = 28;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".bin";

    /** A snapshot read back: the slot it covers and its bytes. */
    public record Loaded(long slot, byte[] bytes) { }

    private final Path dir;

    public SnapshotStore(final Path dir)
    {
        this.dir = dir;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create snapshot directory " + dir, ex);
        }
    }

    /** Writes the snapshot of every slot up to {@code slot} durably; returns its size in bytes. */
    public long save(final long slot, final DirectBuffer bytes, final int offset, final int length)
    {
        final byte[] body = new byte[length];
        bytes.getBytes(offset, body);
        final CRC32C crc = new CRC32C();
        crc.update(body);
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(MAGIC).putInt(VERSION).putLong(slot).putLong(length).putInt((int)crc.getValue());
        header.flip();
        final Path tmp = dir.resolve(PREFIX + slot + SUFFIX + ".tmp");
        final Path target = dir.resolve(name(slot));
        try
        {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                ch.write(new ByteBuffer[] {header, ByteBuffer.wrap(body)});
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
            prune();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write snapshot " + target, ex);
        }
        return HEADER_LENGTH + length;
    }

    /** The newest snapshot whose checksum holds, or null if there is none. */
    public Loaded loadLatest()
    {
        final List<Long> slots = slots();
        for (int i = slots.size() - 1; i >= 0; i--)
        {
            final Loaded loaded = load(slots.get(i));
            if (loaded != null)
            {
                return loaded;
            }
            System.err.println("paxlog: skipping damaged snapshot " + dir.resolve(name(slots.get(i))));
        }
        return null;
    }

    private Loaded load(final long slot)
    {
        try
        {
            final byte[] all = Files.readAllBytes(dir.resolve(name(slot)));
            if (all.length < HEADER_LENGTH)
            {
                return null;
            }
            final ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            final int magic = b.getInt();
            final int version = b.getInt();
            final long headerSlot = b.getLong();
            final long length = b.getLong();
            final int stored = b.getInt();
            if (magic != MAGIC || version != VERSION || headerSlot != slot || length != all.length - HEADER_LENGTH)
            {
                return null;
            }
            final CRC32C crc = new CRC32C();
            crc.update(all, HEADER_LENGTH, (int)length);
            if ((int)crc.getValue() != stored)
            {
                return null;
            }
            final byte[] body = new byte[(int)length];
            System.arraycopy(all, HEADER_LENGTH, body, 0, body.length);
            return new Loaded(slot, body);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** The slots of the snapshot files present, ascending. */
    public List<Long> slots()
    {
        final List<Long> slots = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX))
        {
            for (final Path p : files)
            {
                final String n = p.getFileName().toString();
                try
                {
                    slots.add(Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length())));
                }
                catch (final NumberFormatException ignored)
                {
                    // not one of ours
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list snapshots in " + dir, ex);
        }
        slots.sort(null);
        return slots;
    }

    private void prune() throws IOException
    {
        final List<Long> slots = slots();
        for (int i = 0; i < slots.size() - KEEP; i++)
        {
            Files.deleteIfExists(dir.resolve(name(slots.get(i))));
        }
    }

    private void forceDirectory()
    {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ))
        {
            ch.force(true);
        }
        catch (final IOException ignored)
        {
            // some file systems cannot open a directory for force; the rename is still atomic
        }
    }

    private static String name(final long slot)
    {
        return PREFIX + slot + SUFFIX;
    }
}
