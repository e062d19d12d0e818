package io.paxlog.bench;

import io.paxlog.node.PaxlogNode;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link BenchTarget} is started with.
 *
 * @param messageBytes the size of every message the load sends, at least {@link #HEADER_BYTES} (the id and the
 *                     intended send time); the benchmark's standard sizes are {@link #STANDARD_SIZES}
 * @param idleStrategy the idle strategy of every node thread the target starts (media drivers, archives,
 *                     consensus modules, service containers, echo agents): {@code backoff} (the default, as
 *                     Paxlog's {@code paxlog.idle}), {@code busy-spin}, {@code yielding} or {@code sleeping}
 * @param tempRoot     the directory under which a target creates (and on close deletes) its own temporary
 *                     directory for media drivers, archives and cluster state
 */
public record BenchSettings(int messageBytes, String idleStrategy, Path tempRoot)
{
    /** Bytes at the start of every message: the message id, then the intended send time (both little-endian longs). */
    public static final int HEADER_BYTES = 16;

    /** The message sizes the benchmark reports: 32 B, 288 B and 1344 B (1344 B plus a 32 B header fill one MTU frame). */
    public static final List<Integer> STANDARD_SIZES = List.of(32, 288, 1344);

    /** The idle strategy names understood by {@link #newIdleStrategy()}. */
    public static final List<String> IDLE_STRATEGIES = List.of("backoff", "busy-spin", "yielding", "sleeping");

    public BenchSettings
    {
        if (messageBytes < HEADER_BYTES)
        {
            throw new IllegalArgumentException("messageBytes must be >= " + HEADER_BYTES + ", got " + messageBytes);
        }
        if (!IDLE_STRATEGIES.contains(idleStrategy))
        {
            throw new IllegalArgumentException("idleStrategy must be one of " + IDLE_STRATEGIES + ", got " + idleStrategy);
        }
        if (tempRoot == null)
        {
            throw new IllegalArgumentException("tempRoot must be set");
        }
    }

    /**
     * 32 B messages, backoff idle, temp dirs under {@link #defaultTempRoot()}.
     */
    public static BenchSettings defaults()
    {
        return new BenchSettings(32, "backoff", defaultTempRoot());
    }

    /**
     * {@code /dev/shm} where it is a writable directory (where Paxlog puts its Aeron directories by default), else
     * {@code java.io.tmpdir}.
     */
    public static Path defaultTempRoot()
    {
        final Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm))
        {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    public BenchSettings withMessageBytes(final int bytes)
    {
        return new BenchSettings(bytes, idleStrategy, tempRoot);
    }

    public BenchSettings withIdleStrategy(final String name)
    {
        return new BenchSettings(messageBytes, name, tempRoot);
    }

    public BenchSettings withTempRoot(final Path root)
    {
        return new BenchSettings(messageBytes, idleStrategy, root);
    }

    /** A new instance of the named idle strategy (each node thread needs its own). */
    public IdleStrategy newIdleStrategy()
    {
        return PaxlogNode.idleStrategy(idleStrategy);
    }
}
