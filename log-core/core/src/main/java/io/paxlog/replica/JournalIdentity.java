package io.paxlog.replica;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The cluster and member a journal was written for: the file {@code journal/identity}, written (durably, before the
 * journal's first record) at a member's first start and never changed. A journal carries it wherever it is copied
 * or moved, so a node finds out at start whether the journal in its directory is its own ({@link IdentityCheck}).
 *
 * <pre>
 * # paxlog journal identity: written at this member's first start; never edit
 * cluster.id=8274018842
 * member.id=2
 * </pre>
 *
 * @param clusterId {@code paxlog.cluster.id} of the cluster the journal was written for
 * @param memberId  {@code paxlog.node.id} of the member that wrote it
 */
public record JournalIdentity(long clusterId, int memberId)
{
    /** The file's name inside the journal directory. */
    public static final String FILE = "identity";

    /** Thrown by {@link #read} for a file that is there but does not hold an identity. */
    public static final class Unreadable extends Exception
    {
        private static final long serialVersionUID = 1L;

        Unreadable(final String message)
        {
            super(message);
        }
    }

    /** The identity in {@code journalDir}, or null if it has none. */
    public static JournalIdentity read(final Path journalDir) throws Unreadable
    {
        final Path file = journalDir.resolve(FILE);
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(in);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            throw new Unreadable(file + " cannot be read: " + ex.getMessage());
        }
        final String cluster = p.getProperty("cluster.id");
        final String member = p.getProperty("member.id");
        try
        {
            return new JournalIdentity(Long.parseLong(cluster.trim()), Integer.parseInt(member.trim()));
        }
        catch (final NullPointerException | NumberFormatException ex)
        {
            throw new Unreadable(file + " holds no cluster.id and member.id");
        }
    }

    /** Writes this identity into {@code journalDir} durably (temporary file, fsync, atomic rename, directory fsync). */
    public void write(final Path journalDir)
    {
        final Path file = journalDir.resolve(FILE);
        final Path tmp = journalDir.resolve(FILE + ".tmp");
        final byte[] text = ("# paxlog journal identity: written at this member's first start; never edit\n" +
            "cluster.id=" + clusterId + "\nmember.id=" + memberId + "\n").getBytes(StandardCharsets.UTF_8);
        try
        {
            Files.createDirectories(journalDir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer bytes = ByteBuffer.wrap(text);
                while (bytes.hasRemaining())
                {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(journalDir, StandardOpenOption.READ))
            {
                dir.force(true);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write the journal identity " + file, ex);
        }
    }

    @Override
    public String toString()
    {
        return "cluster " + clusterId + " member " + memberId;
    }
}
