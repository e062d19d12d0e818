package io.paxlog.ops;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.node.LocalProcessCluster;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.LockResults;
import io.paxlog.sm.LockTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code ops/demo}: a local 3-node cluster (3 processes, embedded media drivers, sync batch) under a workload of
 * 4 clients incrementing counters and 3 clients contending for 2 locks (each grant's fencing token is checked, the
 * holder increments a counter under the lock, then releases); the leader is killed with SIGKILL halfway and
 * restarted; then one client keeps commands in flight for a few seconds ({@link DemoPipelined}). It prints one line
 * per second ({@link DemoProgress}: writes per second, their p50 and p99, the leader, lock grants), a line per event
 * (the kill, the election), the checks, and a line pointing to what to try next: about 40 lines for the default run.
 * Exits 0 only if every acknowledged increment is on every replica exactly once, every lock's tokens strictly
 * increase in grant order, no two clients held a lock at once, and every pipelined command was answered and applied
 * once.
 */
public final class DemoMain
{
    private static final String[] COUNTERS = {"orders", "fills", "cancels"};
    private static final String[] LOCK_NAMES = {"book-AAPL", "book-MSFT", "book-GOOG", "book-AMZN", "book-TSLA"};
    private static final long DYING_HOLDER_TTL_MS = 1_500;
    /** The pipelined phase after the checks: one client keeping commands in flight. */
    private static final long PIPELINED_SECONDS = 3;
    /** Client errors printed one per line; the rest are counted. */
    private static final int ERRORS_SHOWN = 5;
    private static String[] locks = {"book-AAPL", "book-MSFT"};

    /** One grant as a lock client saw it: the token and when it held the lock (its own clock, one machine). */
    private record Grant(int lock, int client, long token, long grantedNs, long releasedNs) { }

    private DemoMain()
    {
    }

    static final String USAGE = "usage: ops/demo [--seconds S] [--lockers N] [--locks M] [--kills K]\n" +
        "  defaults: 20 s, 3 lock clients on 2 locks, the leader killed once (SIGKILL) and restarted";

    public static void main(final String[] args) throws Exception
    {
        long seconds = 20;
        long lockers = 3;
        long lockCount = 2;
        long kills = 1;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--seconds" -> seconds = option(args, ++i, "--seconds", 4, 3600);
                case "--lockers" -> lockers = option(args, ++i, "--lockers", 1, 32);
                case "--locks" -> lockCount = option(args, ++i, "--locks", 1, LOCK_NAMES.length);
                case "--kills" -> kills = option(args, ++i, "--kills", 0, 10);
                case "--help", "-h" ->
                {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default ->
                {
                    System.err.println("ops/demo: unknown option '" + args[i] + "'\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        locks = java.util.Arrays.copyOf(LOCK_NAMES, (int)lockCount);
        System.exit(run(seconds, (int)lockers, (int)kills));
    }

    private static long option(final String[] args, final int i, final String flag, final long min, final long max)
    {
        try
        {
            final long v = Long.parseLong(args[i]);
            if (v >= min && v <= max)
            {
                return v;
            }
        }
        catch (final NumberFormatException | ArrayIndexOutOfBoundsException ignored)
        {
            // reported below
        }
        System.err.println("ops/demo: " + flag + " must be an integer in " + min + ".." + max + "\n" + USAGE);
        System.exit(2);
        return 0;
    }

    static int run(final long seconds, final int lockers, final int kills) throws Exception
    {
        final Path root = Files.createTempDirectory("paxlog-demo");
        final int rc = run(root, seconds, lockers, kills);
        if (rc == 0)
        {
            org.agrona.IoUtil.delete(root.toFile(), true); // a passed run leaves nothing behind; a failed one its logs
        }
        else
        {
            System.out.println("the nodes' logs and journals are kept in " + root);
        }
        return rc;
    }

    private static int run(final Path root, final long seconds, final int lockers, final int kills) throws Exception
    {
        final Path home = Path.of(System.getProperty("paxlog.home", "."));
        try (LocalProcessCluster cluster = new LocalProcessCluster(root, home, 3, "batch"))
        {
            final Member[] members = cluster.members();
            cluster.startAll();
            final int leader = cluster.awaitLeader(-1, 30_000);
            if (leader < 0)
            {
                System.out.println("demo FAILED: no leader elected within 30 s (logs in " + root + ")");
                return 1;
            }
            System.out.println("paxlog demo: 3 nodes (processes, sync batch) in " + root + ", leader node " + leader +
                "; " + seconds + " s of writes from 4 clients and lock traffic from " + lockers + ", the leader killed " +
                kills + (kills == 1 ? " time" : " times"));
            final AtomicLongArray acked = new AtomicLongArray(COUNTERS.length);
            final AtomicLong lastAckNs = new AtomicLong();
            final java.util.concurrent.atomic.AtomicLongArray killedNs = new AtomicLongArray(Math.max(1, kills));
            final java.util.concurrent.atomic.AtomicLongArray firstAckAfterKillNs = new AtomicLongArray(Math.max(1, kills));
            for (int k = 0; k < Math.max(1, kills); k++)
            {
                killedNs.set(k, Long.MAX_VALUE);
                firstAckAfterKillNs.set(k, Long.MAX_VALUE);
            }
            final long endNs = System.nanoTime() + seconds * 1_000_000_000L;
            final List<Grant> grants = new ArrayList<>();
            final DemoProgress progress = new DemoProgress(cluster, () -> sum(acked), () -> count(grants),
                System.out);
            final List<Thread> threads = new ArrayList<>();
            final List<String> errors = new ArrayList<>();
            for (int c = 0; c < 4; c++)
            {
                final int index = c;
                final Thread t = new Thread(() ->
                {
                    try (PaxlogClient client = new PaxlogClient(members, root.resolve("client" + index).toString(),
                        250_000_000L, 15_000_000_000L))
                    {
                        int k = index;
                        while (System.nanoTime() < endNs)
                        {
                            final int counter = k++ % COUNTERS.length;
                            final long invokedNs = System.nanoTime();
                            client.command(CounterMachine.add(COUNTERS[counter], 1));
                            acked.incrementAndGet(counter);
                            final long now = System.nanoTime();
                            progress.record(now - invokedNs);
                            lastAckNs.set(now);
                            for (int kill = 0; kill < killedNs.length(); kill++)
                            {
                                if (invokedNs > killedNs.get(kill))
                                {
                                    firstAckAfterKillNs.accumulateAndGet(kill, now, Math::min);
                                }
                            }
                        }
                    }
                    catch (final PaxlogException ex)
                    {
                        synchronized (errors)
                        {
                            errors.add(ex.getMessage());
                        }
                    }
                }, "demo-client-" + c);
                t.start();
                threads.add(t);
            }
            final AtomicLongArray lockedIncrements = new AtomicLongArray(locks.length);
            for (int c = 0; c < lockers; c++)
            {
                final int index = c;
                final Thread t = new Thread(() -> lockWorkload(members, root, index, endNs, grants, lockedIncrements,
                    errors), "demo-locker-" + c);
                t.start();
                threads.add(t);
            }
            final long startNs = System.nanoTime();
            Thread.sleep(seconds * 1000 / (kills + 2));
            final long dyingToken = dyingHolder(members, root, errors, progress);
            final long abandonedNs = System.nanoTime();
            for (int k = 0; k < kills; k++)
            {
                final long killAtNs = startNs + seconds * 1_000_000_000L * (k + 1) / (kills + 1);
                Thread.sleep(Math.max(0, (killAtNs - System.nanoTime()) / 1_000_000));
                final int current = cluster.awaitLeader(-1, 5_000);
                if (current < 0)
                {
                    progress.close();
                    System.out.println("demo FAILED: no leader before kill " + (k + 1) + " (logs in " + root + ")");
                    return 1;
                }
                killedNs.set(k, System.nanoTime());
                cluster.kill(current);
                progress.event("killed the leader, node " + current + " (SIGKILL)");
                final int newLeader = cluster.awaitLeader(current, 10_000);
                progress.event((newLeader < 0 ? "no new leader within 10 s" : "node " + newLeader + " leads") +
                    " after " + (System.nanoTime() - killedNs.get(k)) / 1_000_000 + " ms; node " + current +
                    " restarts from its journal");
                cluster.start(current);
            }
            for (final Thread t : threads)
            {
                t.join();
            }
            progress.close();
            final long total = sum(acked);
            long failoverMs = 0;
            for (int k = 0; k < kills; k++)
            {
                final long ms = firstAckAfterKillNs.get(k) == Long.MAX_VALUE ? -1 :
                    (firstAckAfterKillNs.get(k) - killedNs.get(k)) / 1_000_000;
                failoverMs = ms < 0 || failoverMs < 0 ? -1 : Math.max(failoverMs, ms);
            }
            System.out.println("acknowledged increments: " + total + " in " + seconds + " s (" + total / seconds +
                "/s); failover (kill to the first write invoked after it being acknowledged), worst of " + kills +
                ": " + failoverMs + " ms");
            final boolean locksOk = checkGrants(grants);
            final long handoverMs = ttlHandoverMs(grants, dyingToken, abandonedNs);
            final boolean ttlOk = dyingToken > 0 && handoverMs >= DYING_HOLDER_TTL_MS / 2 &&
                handoverMs <= DYING_HOLDER_TTL_MS + 5_000;
            System.out.println("a holder of " + locks[0] + " (token " + dyingToken + ", session TTL " +
                DYING_HOLDER_TTL_MS + " ms) went away without releasing; the next holder got it " + handoverMs +
                " ms later");
            final boolean replicasEqual = checkReplicas(members, root, acked, lockedIncrements);
            final boolean pipelinedOk = DemoPipelined.run(members, root, PIPELINED_SECONDS, errors);
            final boolean ok = errors.isEmpty() && replicasEqual && failoverMs >= 0 && locksOk && !grants.isEmpty() &&
                ttlOk && pipelinedOk;
            errors.stream().limit(ERRORS_SHOWN).forEach(e -> System.out.println("client error: " + e));
            if (errors.size() > ERRORS_SHOWN)
            {
                System.out.println("... and " + (errors.size() - ERRORS_SHOWN) + " more client errors");
            }
            System.out.println("demo " + (ok ? "PASSED" : "FAILED") + ": ops=" + total + " lock_grants=" + grants.size() +
                " failover_ms=" + failoverMs + " ttl_handover_ms=" + handoverMs + " replicas_equal=" + replicasEqual +
                " tokens_increasing_no_overlap=" + locksOk + " pipelined_ok=" + pipelinedOk + " client_errors=" +
                errors.size());
            if (ok)
            {
                System.out.println("next: ops/cluster up --nodes 3 --dir /tmp/px, then ops/client --dir /tmp/px counter " +
                    "add x 1 (README); bench/run --quick measures it against Aeron Cluster");
            }
            return ok ? 0 : 1;
        }
    }

    /**
     * A client that takes the first lock (waiting its turn) with a short session TTL and then goes away without
     * releasing it, as a crashed holder would. Returns its fencing token (0 if it never got the lock).
     */
    private static long dyingHolder(final Member[] members, final Path root, final List<String> errors,
        final DemoProgress progress)
    {
        final PaxlogClient client = new PaxlogClient(new PaxlogClientContext().members(members)
            .aeronDirectoryName(root.resolve("dying-holder").toString()).callTimeoutNs(15_000_000_000L)
            .sessionTtlMs(DYING_HOLDER_TTL_MS));
        try
        {
            final byte[] answer = client.command(LockCommands.acquire(locks[0], 10_000)).value();
            if (LockResults.status(answer) != LockTable.GRANTED)
            {
                return 0;
            }
            progress.event("a client holding " + locks[0] + " (fencing token " + LockResults.token(answer) +
                ", session TTL " + DYING_HOLDER_TTL_MS + " ms) goes away without releasing it");
            return LockResults.token(answer);
        }
        catch (final PaxlogException ex)
        {
            synchronized (errors)
            {
                errors.add("dying holder: " + ex.getMessage());
            }
            return 0;
        }
        finally
        {
            client.abandon();
        }
    }

    private static long sum(final AtomicLongArray values)
    {
        long total = 0;
        for (int i = 0; i < values.length(); i++)
        {
            total += values.get(i);
        }
        return total;
    }

    private static long count(final List<Grant> grants)
    {
        synchronized (grants)
        {
            return grants.size();
        }
    }

    /** How long after the dying holder went away the next grant of its lock came (-1 if none did). */
    private static long ttlHandoverMs(final List<Grant> grants, final long dyingToken, final long abandonedNs)
    {
        long first = Long.MAX_VALUE;
        synchronized (grants)
        {
            for (final Grant g : grants)
            {
                if (g.lock() == 0 && g.token() > dyingToken)
                {
                    first = Math.min(first, g.grantedNs());
                }
            }
        }
        return first == Long.MAX_VALUE ? -1 : (first - abandonedNs) / 1_000_000;
    }

    /** A lock client: acquire (waiting up to 5 s), increment the lock's counter while holding it, release. */
    private static void lockWorkload(final Member[] members, final Path root, final int index, final long endNs,
        final List<Grant> grants, final AtomicLongArray lockedIncrements, final List<String> errors)
    {
        try (PaxlogClient client = new PaxlogClient(members, root.resolve("locker" + index).toString(),
            250_000_000L, 15_000_000_000L))
        {
            int k = index;
            while (System.nanoTime() < endNs)
            {
                final int lock = k++ % locks.length;
                final byte[] answer = client.command(LockCommands.acquire(locks[lock], 5_000)).value();
                if (LockResults.status(answer) != LockTable.GRANTED)
                {
                    continue; // timed out waiting: try again
                }
                final long grantedNs = System.nanoTime();
                final long token = LockResults.token(answer);
                client.command(CounterMachine.add("under-" + locks[lock], 1));
                lockedIncrements.incrementAndGet(lock);
                Thread.sleep(20);
                final long releasedNs = System.nanoTime();
                client.command(LockCommands.release(locks[lock]));
                synchronized (grants)
                {
                    grants.add(new Grant(lock, index, token, grantedNs, releasedNs));
                }
            }
        }
        catch (final PaxlogException | InterruptedException ex)
        {
            synchronized (errors)
            {
                errors.add("locker " + index + ": " + ex.getMessage());
            }
        }
    }

    /** Per lock, in token order: tokens strictly increase and each hold ends before the next begins. */
    private static boolean checkGrants(final List<Grant> grants)
    {
        boolean ok = true;
        for (int l = 0; l < locks.length; l++)
        {
            final int lock = l;
            final List<Grant> mine = new ArrayList<>(grants.stream().filter(g -> g.lock() == lock).toList());
            mine.sort((a, b) -> Long.compare(a.token(), b.token()));
            for (int i = 1; i < mine.size(); i++)
            {
                final Grant prev = mine.get(i - 1);
                final Grant next = mine.get(i);
                if (next.token() <= prev.token() || next.grantedNs() < prev.releasedNs())
                {
                    System.out.println("lock check FAILED for " + locks[lock] + ": " + prev + " then " + next);
                    ok = false;
                }
            }
            System.out.println(locks[lock] + ": " + mine.size() + " grants, tokens " +
                (mine.isEmpty() ? "-" : mine.get(0).token() + " .. " + mine.get(mine.size() - 1).token()) +
                " strictly increasing, holds disjoint: " + ok);
        }
        return ok;
    }

    private static boolean checkReplicas(final Member[] members, final Path root, final AtomicLongArray acked,
        final AtomicLongArray lockedIncrements) throws InterruptedException
    {
        try (PaxlogClient reader = new PaxlogClient(members, root.resolve("reader").toString(), 250_000_000L,
            10_000_000_000L))
        {
            final long deadline = System.currentTimeMillis() + 20_000;
            while (true)
            {
                boolean all = true;
                final StringBuilder report = new StringBuilder();
                for (int c = 0; c < COUNTERS.length; c++)
                {
                    report.append(COUNTERS[c]).append(": acked ").append(acked.get(c)).append(", replicas");
                    for (int n = 0; n < members.length; n++)
                    {
                        final long v = CounterMachine.valueOf(reader.queryMember(n, CounterMachine.get(COUNTERS[c]))
                            .value());
                        report.append(' ').append(v);
                        all &= v == acked.get(c);
                    }
                    report.append('\n');
                }
                for (int l = 0; l < locks.length; l++)
                {
                    final String name = "under-" + locks[l];
                    report.append(name).append(": acked ").append(lockedIncrements.get(l)).append(", replicas");
                    for (int n = 0; n < members.length; n++)
                    {
                        final long v = CounterMachine.valueOf(reader.queryMember(n, CounterMachine.get(name)).value());
                        report.append(' ').append(v);
                        all &= v == lockedIncrements.get(l);
                    }
                    report.append('\n');
                }
                if (all || System.currentTimeMillis() > deadline)
                {
                    System.out.print(report);
                    return all;
                }
                Thread.sleep(100);
            }
        }
        catch (final PaxlogException ex)
        {
            System.out.println("cannot read replicas: " + ex.getMessage());
            return false;
        }
    }
}
