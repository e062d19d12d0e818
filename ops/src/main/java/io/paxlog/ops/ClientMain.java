package io.paxlog.ops;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.LockResults;
import io.paxlog.sm.LockTable;

import static io.paxlog.cli.CliArgs.longInRange;
import static io.paxlog.cli.CliArgs.parseLong;
import static io.paxlog.cli.CliArgs.value;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code ops/client --dir DIR counter add|get|cas ... | lock acquire|release NAME ...}: one client session against
 * the cluster in DIR. Exit codes: 0 done, 1 the cluster did not answer in time or refused (a lock not granted),
 * 2 usage error.
 */
public final class ClientMain
{
    static final String USAGE = String.join("\n",
        "usage: ops/client --dir DIR counter add NAME DELTA [--repeat K]",
        "       ops/client --dir DIR counter get NAME [--read linearizable|sequential|eventual]",
        "       ops/client --dir DIR counter cas NAME EXPECTED NEW",
        "       ops/client --dir DIR lock acquire NAME [--timeout-ms T] [--session-ttl-ms S] [--hold-ms H] [--release]",
        "       ops/client --dir DIR lock release NAME",
        "  --repeat K          counter add: K adds one after the other, 1..1000000000; the value after the last",
        "                      is printed, and a failure says how many were acknowledged before it",
        "  --dir DIR           the cluster directory written by ops/cluster up (reads DIR/cluster.properties)",
        "  --timeout-ms T      lock acquire: wait up to T ms for the lock (default 0: try once); otherwise give up",
        "                      a call after T ms (default 10000); 0..86400000",
        "  --session-ttl-ms S  the cluster closes this session (releasing its locks) S ms after it falls silent;",
        "                      1..86400000",
        "  --hold-ms H         lock acquire: keep the session alive H ms after the grant, then exit; the lock stays",
        "                      held until the session's TTL runs out, unless --release is given; 0..86400000",
        "  lock release NAME   releases NAME if this invocation's session holds it (a lock held by an earlier",
        "                      invocation is released when that session's TTL runs out)");

    /** The most adds one {@code --repeat} makes. */
    static final long REPEAT_MAX = 1_000_000_000L;
    /** The longest {@code --timeout-ms}, {@code --hold-ms} and {@code --session-ttl-ms}: a day. */
    static final long MS_MAX = 86_400_000L;

    private ClientMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /** Parsed command line. */
    private static final class Options
    {
        String dir;
        Long timeoutMs;
        long sessionTtlMs;
        long holdMs;
        boolean release;
        long repeat = 1;
        ReadConsistency read = ReadConsistency.LINEARIZABLE;
        final List<String> words = new ArrayList<>();
    }

    static int run(final String[] args)
    {
        final Options o;
        try
        {
            o = parse(args);
            if (o == null)
            {
                System.out.println(USAGE);
                return 0;
            }
            validate(o);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("ops/client: " + ex.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        final boolean lock = o.words.get(0).equals("lock");
        final long lockWaitMs = lock && o.timeoutMs != null ? o.timeoutMs : 0;
        final long callTimeoutMs = lock ? 10_000 + lockWaitMs : (o.timeoutMs != null ? o.timeoutMs : 10_000);
        final PaxlogClient client;
        try
        {
            client = new PaxlogClient(context(o, callTimeoutMs));
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("ops/client: " + ex.getMessage()); // the cluster directory's settings: one line
            return 2;
        }
        catch (final PaxlogException ex)
        {
            System.err.println("ops/client: " + ex.getMessage()); // no route to the cluster from here
            return 1;
        }
        boolean abandon = false;
        try
        {
            if (lock)
            {
                final int rc = lock(client, o, lockWaitMs);
                abandon = o.words.get(1).equals("acquire") && !o.release && rc == 0;
                return rc;
            }
            return counter(client, o);
        }
        catch (final PaxlogException ex)
        {
            System.err.println("ops/client: " + ex.getMessage());
            return 1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
        finally
        {
            if (abandon)
            {
                client.abandon(); // the lock stays held until the session's TTL runs out
            }
            else
            {
                client.close();
            }
        }
    }

    /** Where each ops/client run's embedded media driver lives: this prefix and the process id. */
    static final String DRIVER_DIR_PREFIX = "paxlog-client-";

    /**
     * Removes the media-driver directories that earlier ops/client runs left in {@code parent} when they were killed
     * (about 47 MB each): those named {@value #DRIVER_DIR_PREFIX}PID whose process is gone. Returns how many.
     */
    static int removeStaleDriverDirs(final Path parent)
    {
        int removed = 0;
        final java.io.File[] entries = parent.toFile().listFiles();
        if (entries == null)
        {
            return 0;
        }
        for (final java.io.File entry : entries)
        {
            final String name = entry.getName();
            if (!entry.isDirectory() || !name.startsWith(DRIVER_DIR_PREFIX) ||
                !name.substring(DRIVER_DIR_PREFIX.length()).matches("[0-9]{1,18}"))
            {
                continue;
            }
            final long pid = Long.parseLong(name.substring(DRIVER_DIR_PREFIX.length()));
            if (ProcessHandle.of(pid).isEmpty())
            {
                org.agrona.IoUtil.delete(entry, true);
                removed++;
            }
        }
        return removed;
    }

    /** The client's settings from the cluster directory (IllegalArgumentException, one line, if they are bad). */
    private static PaxlogClientContext context(final Options o, final long callTimeoutMs)
    {
        removeStaleDriverDirs(Path.of("/dev/shm"));
        final PaxlogClientContext context = new PaxlogClientContext()
            .members(members(Path.of(o.dir)))
            .credentials(credentials(Path.of(o.dir)))
            .aeronDirectoryName("/dev/shm/" + DRIVER_DIR_PREFIX + ProcessHandle.current().pid())
            .attemptTimeoutNs(200_000_000L)
            .callTimeoutNs(callTimeoutMs * 1_000_000L)
            .sessionTtlMs(o.sessionTtlMs);
        if (o.sessionTtlMs > 0)
        {
            context.keepAliveIntervalNs(Math.max(1_000_000L, Math.min(1_000_000_000L, o.sessionTtlMs * 1_000_000L / 4)));
        }
        return context;
    }

    private static Options parse(final String[] args)
    {
        final Options o = new Options();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--dir" -> o.dir = value(args, ++i, "--dir");
                case "--timeout-ms" ->
                    o.timeoutMs = longInRange("--timeout-ms", value(args, ++i, "--timeout-ms"), 0, MS_MAX);
                case "--session-ttl-ms" ->
                    o.sessionTtlMs = longInRange("--session-ttl-ms", value(args, ++i, "--session-ttl-ms"), 1, MS_MAX);
                case "--hold-ms" -> o.holdMs = longInRange("--hold-ms", value(args, ++i, "--hold-ms"), 0, MS_MAX);
                case "--release" -> o.release = true;
                case "--repeat" -> o.repeat = longInRange("--repeat", value(args, ++i, "--repeat"), 1, REPEAT_MAX);
                case "--read" -> o.read = consistency(value(args, ++i, "--read"));
                case "--help", "-h" ->
                {
                    return null;
                }
                default ->
                {
                    if (args[i].startsWith("--"))
                    {
                        throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                    }
                    o.words.add(args[i]);
                }
            }
        }
        return o;
    }

    private static void validate(final Options o)
    {
        if (o.dir == null)
        {
            throw new IllegalArgumentException("--dir is required");
        }
        if (o.words.size() < 3 || !(o.words.get(0).equals("counter") || o.words.get(0).equals("lock")))
        {
            throw new IllegalArgumentException("expected 'counter add|get|cas NAME ...' or 'lock acquire|release NAME'");
        }
        final String op = o.words.get(1);
        if (o.words.get(0).equals("counter"))
        {
            switch (op)
            {
                case "add" ->
                {
                    expectArgs(o.words, 4, "counter add NAME DELTA");
                    parseLong("DELTA", o.words.get(3));
                }
                case "get" -> expectArgs(o.words, 3, "counter get NAME");
                case "cas" ->
                {
                    expectArgs(o.words, 5, "counter cas NAME EXPECTED NEW");
                    parseLong("EXPECTED", o.words.get(3));
                    parseLong("NEW", o.words.get(4));
                }
                default -> throw new IllegalArgumentException("unknown counter operation '" + op + "'");
            }
        }
        else
        {
            if (!op.equals("acquire") && !op.equals("release"))
            {
                throw new IllegalArgumentException("unknown lock operation '" + op + "'");
            }
            expectArgs(o.words, 3, "lock " + op + " NAME");
            final int nameLength = o.words.get(2).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (nameLength > LockTable.NAME_LENGTH_MAX)
            {
                throw new IllegalArgumentException("lock name must be 1.." + LockTable.NAME_LENGTH_MAX + " bytes");
            }
        }
        // the cluster directory is read by context(): its errors are one line, without the usage text
    }

    private static int counter(final PaxlogClient client, final Options o)
    {
        final String op = o.words.get(1);
        final String name = o.words.get(2);
        byte[] result = null;
        switch (op)
        {
            case "get" -> result = client.query(CounterMachine.get(name), o.read, 0).value();
            case "cas" -> result = client.command(CounterMachine.cas(name, parseLong("EXPECTED", o.words.get(3)),
                parseLong("NEW", o.words.get(4)))).value();
            default ->
            {
                final byte[] add = CounterMachine.add(name, parseLong("DELTA", o.words.get(3)));
                long acknowledged = 0;
                try
                {
                    for (long i = 0; i < o.repeat; i++)
                    {
                        result = client.command(add).value();
                        acknowledged++;
                    }
                }
                catch (final PaxlogException ex)
                {
                    if (o.repeat > 1)
                    {
                        System.err.println("ops/client: " + ex.getMessage() + "; " + acknowledged + " of " + o.repeat +
                            " adds were acknowledged before it");
                        return 1;
                    }
                    throw ex;
                }
            }
        }
        if (op.equals("cas"))
        {
            System.out.println((CounterMachine.casSucceeded(result) ? "ok " : "failed ") +
                CounterMachine.valueOf(result));
        }
        else
        {
            System.out.println(CounterMachine.valueOf(result));
        }
        return 0;
    }

    private static int lock(final PaxlogClient client, final Options o, final long waitMs) throws InterruptedException
    {
        final String name = o.words.get(2);
        if (o.words.get(1).equals("release"))
        {
            final byte[] r = client.command(LockCommands.release(name)).value();
            if (LockResults.status(r) == LockTable.RELEASED)
            {
                System.out.println("released token=" + LockResults.token(r));
                return 0;
            }
            System.out.println(LockResults.statusName(LockResults.status(r)).toLowerCase(java.util.Locale.ROOT) +
                " token=" + LockResults.token(r));
            return 1;
        }
        final byte[] r = client.command(LockCommands.acquire(name, waitMs)).value();
        if (LockResults.status(r) != LockTable.GRANTED)
        {
            System.out.println(LockResults.statusName(LockResults.status(r)).toLowerCase(java.util.Locale.ROOT) +
                " holder_token=" + LockResults.token(r));
            return 1;
        }
        System.out.println("token=" + LockResults.token(r) + " session=" + client.sessionId());
        System.out.flush();
        final long holdUntil = System.nanoTime() + o.holdMs * 1_000_000L;
        while (System.nanoTime() < holdUntil)
        {
            if (client.poll() == 0) // keep-alives keep the session, and the lock, alive
            {
                Thread.sleep(1);
            }
        }
        if (o.release)
        {
            final byte[] released = client.command(LockCommands.release(name)).value();
            System.out.println(LockResults.status(released) == LockTable.RELEASED ? "released" :
                LockResults.statusName(LockResults.status(released)).toLowerCase(java.util.Locale.ROOT));
        }
        return 0;
    }

    private static ReadConsistency consistency(final String v)
    {
        return switch (v)
        {
            case "linearizable" -> ReadConsistency.LINEARIZABLE;
            case "sequential" -> ReadConsistency.SEQUENTIAL;
            case "eventual" -> ReadConsistency.EVENTUAL;
            default -> throw new IllegalArgumentException("--read '" + v + "': expected linearizable, sequential or " +
                "eventual");
        };
    }

    static Member[] members(final Path dir)
    {
        final Path file = dir.resolve("cluster.properties");
        final Properties p = clusterProperties(dir);
        final String list = p.getProperty("paxlog.cluster.members");
        if (list == null)
        {
            throw new IllegalArgumentException(file + ": paxlog.cluster.members is missing");
        }
        return Member.parseList(list);
    }

    /**
     * The client credentials {@code DIR/cluster.properties} names ({@code paxlog.client.secret.file}, which
     * {@code ops/cluster up} writes), or null when the cluster does not authenticate clients.
     *
     * @throws IllegalArgumentException naming the key when the secret file is missing, unreadable or short.
     */
    static ClientCredentials credentials(final Path dir)
    {
        return SharedSecretCredentials.fromClusterProperties(clusterProperties(dir));
    }

    private static Properties clusterProperties(final Path dir)
    {
        final Path file = dir.resolve("cluster.properties");
        final Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            p.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--dir " + dir + ": cannot read " + file + " (run ops/cluster up first)");
        }
        catch (final IllegalArgumentException ex) // Properties.load: a malformed backslash-u escape
        {
            throw new IllegalArgumentException("--dir " + dir + ": " + file + " is not a properties file: " +
                ex.getMessage());
        }
        return p;
    }

    private static void expectArgs(final List<String> words, final int n, final String form)
    {
        if (words.size() != n)
        {
            throw new IllegalArgumentException("expected '" + form + "'");
        }
    }
}
