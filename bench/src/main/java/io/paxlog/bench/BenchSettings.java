package io.paxlog.bench;

import io.paxlog.protocol.IdleStrategies;
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
 * @param topology     where the target's nodes run: {@value #IN_PROCESS} (the default: every node on threads of
 *                     the caller's JVM) or {@value #PROCESSES} (each node in its own child JVM, started with the
 *                     flags of {@code ops/lib/jvm.flags} and the caller's class path, its output in a log file in
 *                     the target's temporary directory; the client stays in the caller's JVM). Child JVMs need the
 *                     Paxlog checkout: the system property {@code paxlog.home} (set by {@code ops/bench}), else the
 *                     nearest directory above the working directory that holds {@code ops/lib/jvm.flags}
 * @param cpus         CPU pinning for real hardware, or null for none: in the {@value #PROCESSES} topology each
 *                     child JVM is started under {@code taskset -c <cpus>} (a list as taskset takes it, e.g.
 *                     {@code 2,3} or {@code 2-5}); the client in the caller's JVM is not pinned (start the caller
 *                     under taskset for that). Pinning is not supported {@value #IN_PROCESS}: a target started
 *                     in-process with cpus set refuses to start (start the whole JVM under taskset instead)
 */
public record BenchSettings(int messageBytes, String idleStrategy, Path tempRoot, String topology, String cpus)
{
    /** Bytes at the start of every message: the message id, then the intended send time (both little-endian longs). */
    public static final int HEADER_BYTES = 16;

    /** The message sizes the benchmark reports: 32 B, 288 B and 1344 B (1344 B plus a 32 B header fill one MTU frame). */
    public static final List<Integer> STANDARD_SIZES = List.of(32, 288, 1344);

    /** The idle strategy names understood by {@link #newIdleStrategy()}. */
    public static final List<String> IDLE_STRATEGIES = IdleStrategies.NAMES;

    /** Every node of the target in the caller's JVM. */
    public static final String IN_PROCESS = "in-process";
    /** Every node of the target in its own child JVM; the client in the caller's JVM. */
    public static final String PROCESSES = "processes";
    public static final List<String> TOPOLOGIES = List.of(IN_PROCESS, PROCESSES);

    /** In-process, no pinning. */
    public BenchSettings(final int messageBytes, final String idleStrategy, final Path tempRoot)
    {
        this(messageBytes, idleStrategy, tempRoot, IN_PROCESS, null);
    }

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
        if (!TOPOLOGIES.contains(topology))
        {
            throw new IllegalArgumentException("topology must be one of " + TOPOLOGIES + ", got " + topology);
        }
        if (cpus != null && !isCpuList(cpus))
        {
            throw new IllegalArgumentException("cpus must be a taskset CPU list such as 2,3 or 2-5, got " + cpus);
        }
    }

    /**
     * 32 B messages, backoff idle, temp dirs under {@link #defaultTempRoot()}, in-process, no pinning.
     */
    public static BenchSettings defaults()
    {
        return new BenchSettings(32, "backoff", defaultTempRoot(), IN_PROCESS, null);
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

    /** Whether {@code cpus} is a CPU list as taskset takes it: {@code 2}, {@code 2,3}, {@code 2-5,7}. */
    public static boolean isCpuList(final String cpus)
    {
        return cpus.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");
    }

    public BenchSettings withMessageBytes(final int bytes)
    {
        return new BenchSettings(bytes, idleStrategy, tempRoot, topology, cpus);
    }

    public BenchSettings withIdleStrategy(final String name)
    {
        return new BenchSettings(messageBytes, name, tempRoot, topology, cpus);
    }

    public BenchSettings withTempRoot(final Path root)
    {
        return new BenchSettings(messageBytes, idleStrategy, root, topology, cpus);
    }

    /** {@value #IN_PROCESS} or {@value #PROCESSES}. */
    public BenchSettings withTopology(final String name)
    {
        return new BenchSettings(messageBytes, idleStrategy, tempRoot, name, cpus);
    }

    /** A taskset CPU list for the child JVMs of the {@value #PROCESSES} topology, or null for no pinning. */
    public BenchSettings withCpus(final String cpuList)
    {
        return new BenchSettings(messageBytes, idleStrategy, tempRoot, topology, cpuList);
    }

    /** True for the {@value #PROCESSES} topology. */
    public boolean processes()
    {
        return topology.equals(PROCESSES);
    }

    /** A new instance of the named idle strategy (each node thread needs its own). */
    public IdleStrategy newIdleStrategy()
    {
        return IdleStrategies.create(idleStrategy);
    }
}
