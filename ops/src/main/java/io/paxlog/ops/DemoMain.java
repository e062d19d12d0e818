package io.paxlog.ops;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogException;
import io.paxlog.node.LocalProcessCluster;
import io.paxlog.node.Member;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.LockTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code ops/demo}: a local 3-node cluster (3 processes, embedded media drivers, sync batch) under a workload of
 * 4 clients incrementing counters and 3 clients contending for 2 locks (each grant prints its fencing token, the
 * holder increments a counter under the lock, then releases); the leader is killed with SIGKILL halfway and
 * restarted. Exits 0 only if every acknowledged increment is on every replica exactly once, every lock's tokens
 * strictly increase in grant order, and no two clients held a lock at once.
 */
public final class DemoMain
{
    private static final String[] COUNTERS = {"orders", "fills", "cancels"};
    private static final String[] LOCKS = {"book-AAPL", "book-MSFT"};
    private static final int LOCK_CLIENTS = 3;

    /** One grant as a lock client saw it: the token and when it held the lock (its own clock, one machine). */
    private record Grant(int lock, int client, long token, long grantedNs, long releasedNs) { }

    private DemoMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        long seconds = 20;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--seconds") && i + 1 < args.length)
            {
                try
                {
                    seconds = Long.parseLong(args[++i]);
                }
                catch (final NumberFormatException ex)
                {
                    seconds = -1;
                }
                if (seconds < 4 || seconds > 3600)
                {
                    System.err.println("ops/demo: --seconds must be an integer in 4..3600");
                    System.exit(2);
                }
            }
            else
            {
                System.err.println("ops/demo: unknown option '" + args[i] + "'\nusage: ops/demo [--seconds S]");
                System.exit(2);
            }
        }
        System.exit(run(seconds));
    }

    static int run(final long seconds) throws Exception
    {
        final Path home = Path.of(System.getProperty("paxlog.home", "."));
        final Path root = Files.createTempDirectory("paxlog-demo");
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
            System.out.println("3 nodes up in " + root + "; leader is node " + leader);
            final AtomicLongArray acked = new AtomicLongArray(COUNTERS.length);
            final AtomicLong lastAckNs = new AtomicLong();
            final AtomicLong killedNs = new AtomicLong(Long.MAX_VALUE);
            final AtomicLong firstAckAfterKillNs = new AtomicLong(Long.MAX_VALUE);
            final long endNs = System.nanoTime() + seconds * 1_000_000_000L;
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
                            lastAckNs.set(now);
                            if (invokedNs > killedNs.get())
                            {
                                firstAckAfterKillNs.accumulateAndGet(now, Math::min);
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
            final List<Grant> grants = new ArrayList<>();
            final AtomicLongArray lockedIncrements = new AtomicLongArray(LOCKS.length);
            for (int c = 0; c < LOCK_CLIENTS; c++)
            {
                final int index = c;
                final Thread t = new Thread(() -> lockWorkload(members, root, index, endNs, grants, lockedIncrements,
                    errors), "demo-locker-" + c);
                t.start();
                threads.add(t);
            }
            Thread.sleep(seconds * 500);
            final int current = cluster.awaitLeader(-1, 5_000);
            if (current < 0)
            {
                System.out.println("demo FAILED: no leader halfway through (logs in " + root + ")");
                return 1;
            }
            killedNs.set(System.nanoTime());
            cluster.kill(current);
            System.out.println("killed the leader, node " + current + " (SIGKILL)");
            final int newLeader = cluster.awaitLeader(current, 10_000);
            System.out.println("node " + newLeader + " leads after " + (System.nanoTime() - killedNs.get()) / 1_000_000 +
                " ms; restarting node " + current + " from its journal");
            cluster.start(current);
            for (final Thread t : threads)
            {
                t.join();
            }
            long total = 0;
            for (int i = 0; i < COUNTERS.length; i++)
            {
                total += acked.get(i);
            }
            final long failoverMs = firstAckAfterKillNs.get() == Long.MAX_VALUE ? -1 :
                (firstAckAfterKillNs.get() - killedNs.get()) / 1_000_000;
            System.out.println("acknowledged increments: " + total + " in " + seconds + " s (" + total / seconds +
                "/s); failover (kill to the first write invoked after it being acknowledged): " + failoverMs + " ms");
            final boolean locksOk = checkGrants(grants);
            final boolean replicasEqual = checkReplicas(members, root, acked, lockedIncrements);
            final boolean ok = errors.isEmpty() && replicasEqual && failoverMs >= 0 && locksOk && !grants.isEmpty();
            errors.forEach(e -> System.out.println("client error: " + e));
            System.out.println("demo " + (ok ? "PASSED" : "FAILED") + ": ops=" + total + " lock_grants=" + grants.size() +
                " failover_ms=" + failoverMs + " replicas_equal=" + replicasEqual + " tokens_increasing_no_overlap=" +
                locksOk + " client_errors=" + errors.size());
            return ok ? 0 : 1;
        }
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
                final int lock = k++ % LOCKS.length;
                final byte[] answer = client.command(LockTable.acquire(LOCKS[lock], 5_000)).value();
                if (LockTable.status(answer) != LockTable.GRANTED)
                {
                    continue; // timed out waiting: try again
                }
                final long grantedNs = System.nanoTime();
                final long token = LockTable.token(answer);
                System.out.println("locker " + index + " holds " + LOCKS[lock] + " with fencing token " + token);
                client.command(CounterMachine.add("under-" + LOCKS[lock], 1));
                lockedIncrements.incrementAndGet(lock);
                Thread.sleep(20);
                final long releasedNs = System.nanoTime();
                client.command(LockTable.release(LOCKS[lock]));
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
        for (int l = 0; l < LOCKS.length; l++)
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
                    System.out.println("lock check FAILED for " + LOCKS[lock] + ": " + prev + " then " + next);
                    ok = false;
                }
            }
            System.out.println(LOCKS[lock] + ": " + mine.size() + " grants, tokens " +
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
                for (int l = 0; l < LOCKS.length; l++)
                {
                    final String name = "under-" + LOCKS[l];
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
