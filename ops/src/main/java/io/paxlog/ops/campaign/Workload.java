package io.paxlog.ops.campaign;

import io.paxlog.auth.ClientCredentials;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.LockResults;
import io.paxlog.sm.LockTable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The campaign's clients: counter workers (adds on add-only keys, reads and compare-and-set on register keys, all
 * reads linearizable), readers (linearizable reads only: like a market-data reader, they stay with a leader that
 * keeps answering, which is what exposes a leader serving reads on a lease it no longer holds) and lock workers
 * (acquire with a wait, a fencing-token check through the log, release). Each
 * worker has its own session and records every operation in the {@link History}; an operation without an answer
 * is UNKNOWN and the worker continues as a new logical process (a lock worker also opens a new session, so a hold
 * it may still have ends with the old one). A client is made with the members current when it is made (a
 * replacement changes them); one made earlier learns a new member from the REDIRECTs that name it.
 */
final class Workload
{
    static final long ATTEMPT_TIMEOUT_NS = 250_000_000L;
    static final long CALL_TIMEOUT_NS = 10_000_000_000L;
    static final long LOCK_WAIT_MS = 500;

    /** The current members, for each new client. */
    private final Supplier<Member[]> members;
    private final History history;
    private final String aeronRoot;
    private final int counterWorkers;
    private final int lockWorkers;
    private final int readers;
    private final long opIntervalNs;
    private final long seed;
    private final List<String> addKeys = new ArrayList<>();
    private final List<String> casKeys = new ArrayList<>();
    private final List<String> locks = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong clientErrors = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final ThreadLocal<Boolean> broken = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** The cluster file's client credentials; null when the cluster does not authenticate clients. */
    private final ClientCredentials credentials;

    Workload(final Supplier<Member[]> members, final History history, final String aeronRoot, final int counterWorkers,
        final int lockWorkers, final int readers, final int keys, final int lockCount, final long opIntervalNs,
        final long seed, final ClientCredentials credentials, final String runTag)
    {
        this.readers = readers;
        this.credentials = credentials;
        this.members = members;
        this.history = history;
        this.aeronRoot = aeronRoot;
        this.counterWorkers = counterWorkers;
        this.lockWorkers = lockWorkers;
        this.opIntervalNs = opIntervalNs;
        this.seed = seed;
        for (int i = 0; i < keys; i++)
        {
            addKeys.add("campaign-" + runTag + "-add-" + i);
            casKeys.add("campaign-" + runTag + "-reg-" + i);
        }
        for (int i = 0; i < lockCount; i++)
        {
            locks.add("campaign-" + runTag + "-lock-" + i);
        }
    }

    Set<String> addKeys()
    {
        return new LinkedHashSet<>(addKeys);
    }

    List<String> counterKeys()
    {
        final List<String> all = new ArrayList<>(addKeys);
        all.addAll(casKeys);
        return all;
    }

    List<String> locks()
    {
        return locks;
    }

    long clientErrors()
    {
        return clientErrors.get();
    }

    void start()
    {
        for (int i = 0; i < counterWorkers; i++)
        {
            final int id = i;
            threads.add(new Thread(() -> counterWorker(id), "campaign-counter-" + i));
        }
        for (int i = 0; i < lockWorkers; i++)
        {
            final int id = i;
            threads.add(new Thread(() -> lockWorker(id), "campaign-lock-" + i));
        }
        for (int i = 0; i < readers; i++)
        {
            final int id = i;
            threads.add(new Thread(() -> reader(id), "campaign-reader-" + i));
        }
        threads.forEach(Thread::start);
    }

    /** Stops issuing; waits for the operations in flight to end (each ends within the call timeout). */
    void stop() throws InterruptedException
    {
        stop.set(true);
        for (final Thread t : threads)
        {
            t.join(CALL_TIMEOUT_NS / 1_000_000 + 15_000);
        }
    }

    PaxlogClient newClient(final String name)
    {
        return new PaxlogClient(new PaxlogClientContext().members(members.get())
            .aeronDirectoryName(aeronRoot + "-" + name + "-" + System.nanoTime())
            .attemptTimeoutNs(ATTEMPT_TIMEOUT_NS).callTimeoutNs(CALL_TIMEOUT_NS)
            .retryDelayNs(ATTEMPT_TIMEOUT_NS / 5).credentials(credentials));
    }

    private void counterWorker(final int id)
    {
        final SplittableRandom random = new SplittableRandom(seed * 31 + id);
        final long[] lastRead = new long[casKeys.size()];
        final boolean[] known = new boolean[casKeys.size()];
        int process = history.newProcess();
        PaxlogClient client = null;
        try
        {
            while (!stop.get() && !history.full())
            {
                if (client == null || client.isClosed())
                {
                    closeQuietly(client);
                    client = newClient("c" + id);
                }
                final double r = random.nextDouble();
                final Op op;
                if (r < 0.35)
                {
                    op = add(client, process, addKeys.get(random.nextInt(addKeys.size())));
                }
                else if (r < 0.55)
                {
                    op = read(client, process, addKeys.get(random.nextInt(addKeys.size())));
                }
                else
                {
                    final int k = random.nextInt(casKeys.size());
                    if (r < 0.75 || !known[k])
                    {
                        op = read(client, process, casKeys.get(k));
                        known[k] = op.outcome() == Op.Outcome.OK;
                        lastRead[k] = op.value();
                    }
                    else
                    {
                        op = cas(client, process, casKeys.get(k), lastRead[k], lastRead[k] + 1 + random.nextInt(3));
                        known[k] = false;
                    }
                }
                history.add(op);
                if (op.outcome() == Op.Outcome.UNKNOWN)
                {
                    process = history.newProcess();
                }
                if (takeBroken())
                {
                    closeQuietly(client);
                    client = null;
                }
                pause(random);
            }
        }
        catch (final RuntimeException ex)
        {
            clientErrors.incrementAndGet();
            System.err.println("campaign: counter worker " + id + " stopped: " + ex);
        }
        finally
        {
            closeQuietly(client);
        }
    }

    private void reader(final int id)
    {
        final SplittableRandom random = new SplittableRandom(seed * 17 + id);
        final List<String> keys = counterKeys();
        final int process = history.newProcess();
        PaxlogClient client = null;
        try
        {
            while (!stop.get() && !history.full())
            {
                if (client == null || client.isClosed())
                {
                    closeQuietly(client);
                    client = newClient("r" + id);
                }
                history.add(read(client, process, keys.get(random.nextInt(keys.size()))));
                if (takeBroken())
                {
                    closeQuietly(client);
                    client = null;
                }
                pause(random);
            }
        }
        catch (final RuntimeException ex)
        {
            clientErrors.incrementAndGet();
            System.err.println("campaign: reader " + id + " stopped: " + ex);
        }
        finally
        {
            closeQuietly(client);
        }
    }

    private void lockWorker(final int id)
    {
        final SplittableRandom random = new SplittableRandom(seed * 131 + id);
        int process = history.newProcess();
        PaxlogClient client = null;
        try
        {
            while (!stop.get() && !history.full())
            {
                if (client == null || client.isClosed())
                {
                    closeQuietly(client);
                    client = newClient("l" + id);
                }
                final String lock = locks.get(random.nextInt(locks.size()));
                final Op acquire = lockOp(client, process, Op.Kind.ACQUIRE, lock, LOCK_WAIT_MS,
                    LockCommands.acquire(lock, LOCK_WAIT_MS));
                history.add(acquire);
                boolean unknown = acquire.outcome() == Op.Outcome.UNKNOWN;
                if (acquire.outcome() == Op.Outcome.OK && acquire.value() == LockTable.GRANTED)
                {
                    sleepNs(2_000_000L + random.nextLong(10_000_000L));
                    final Op check = lockOp(client, process, Op.Kind.CHECK, lock, acquire.token(),
                        LockCommands.check(lock, acquire.token()));
                    history.add(check);
                    unknown |= check.outcome() == Op.Outcome.UNKNOWN;
                    if (!unknown)
                    {
                        sleepNs(random.nextLong(5_000_000L));
                        final Op release = lockOp(client, process, Op.Kind.RELEASE, lock, 0,
                            LockCommands.release(lock));
                        history.add(release);
                        unknown = release.outcome() == Op.Outcome.UNKNOWN;
                    }
                }
                final boolean brokenClient = takeBroken();
                if (unknown || brokenClient)
                {
                    // it may still hold the lock: end the session (ending its holds) and go on as a new process
                    closeQuietly(client);
                    client = null;
                    process = history.newProcess();
                }
                pause(random);
            }
        }
        catch (final RuntimeException ex)
        {
            clientErrors.incrementAndGet();
            System.err.println("campaign: lock worker " + id + " stopped: " + ex);
        }
        finally
        {
            closeQuietly(client);
        }
    }

    private Op add(final PaxlogClient client, final int process, final String key)
    {
        final long invoke = history.nowNs();
        try
        {
            final byte[] v = client.command(CounterMachine.add(key, 1)).value();
            return new Op(process, Op.Kind.ADD, key, 1, 0, invoke, history.nowNs(), Op.Outcome.OK,
                CounterMachine.valueOf(v), 0);
        }
        catch (final RuntimeException ex)
        {
            clientFailed(ex);
            return unanswered(process, Op.Kind.ADD, key, 1, 0, invoke);
        }
    }

    private Op cas(final PaxlogClient client, final int process, final String key, final long expected,
        final long update)
    {
        final long invoke = history.nowNs();
        try
        {
            final byte[] v = client.command(CounterMachine.cas(key, expected, update)).value();
            return new Op(process, Op.Kind.CAS, key, expected, update, invoke, history.nowNs(), Op.Outcome.OK,
                CounterMachine.casSucceeded(v) ? 1 : 0, 0);
        }
        catch (final RuntimeException ex)
        {
            clientFailed(ex);
            return unanswered(process, Op.Kind.CAS, key, expected, update, invoke);
        }
    }

    Op read(final PaxlogClient client, final int process, final String key)
    {
        final long invoke = history.nowNs();
        try
        {
            final byte[] v = client.query(CounterMachine.get(key), ReadConsistency.LINEARIZABLE, 0).value();
            return new Op(process, Op.Kind.READ, key, 0, 0, invoke, history.nowNs(), Op.Outcome.OK,
                CounterMachine.valueOf(v), 0);
        }
        catch (final RuntimeException ex)
        {
            clientFailed(ex);
            // a read that failed returned nothing and changed nothing
            return new Op(process, Op.Kind.READ, key, 0, 0, invoke, history.nowNs(), Op.Outcome.FAIL, 0, 0);
        }
    }

    private Op lockOp(final PaxlogClient client, final int process, final Op.Kind kind, final String lock,
        final long arg, final byte[] command)
    {
        final long invoke = history.nowNs();
        try
        {
            final byte[] v = client.command(command).value();
            final int status = LockResults.status(v);
            final long token = kind == Op.Kind.ACQUIRE && status == LockTable.GRANTED ? LockResults.token(v) : 0;
            return new Op(process, kind, lock, arg, 0, invoke, history.nowNs(), Op.Outcome.OK, status, token);
        }
        catch (final RuntimeException ex)
        {
            clientFailed(ex);
            return unanswered(process, kind, lock, arg, 0, invoke);
        }
    }

    /**
     * A command without an answer (timed out, its outcome forgotten, or its session closed) may or may not have
     * been applied: UNKNOWN.
     */
    private Op unanswered(final int process, final Op.Kind kind, final String key, final long arg1, final long arg2,
        final long invoke)
    {
        return new Op(process, kind, key, arg1, arg2, invoke, -1, Op.Outcome.UNKNOWN, 0, 0);
    }

    /**
     * A call failed: a PaxlogException is the client's answer (timed out, rejected, session closed); anything else
     * is a bug in the client, counted as a client error (the campaign fails on any) and printed, and the worker
     * replaces the client. Either way the operation's outcome is unknown (a command) or nothing (a read).
     */
    private void clientFailed(final RuntimeException ex)
    {
        if (ex instanceof PaxlogException)
        {
            return;
        }
        broken.set(Boolean.TRUE);
        if (clientErrors.incrementAndGet() <= 3)
        {
            System.err.println("campaign: client error (the client is replaced):");
            ex.printStackTrace();
        }
    }

    private boolean takeBroken()
    {
        final boolean was = broken.get();
        broken.set(Boolean.FALSE);
        return was;
    }

    private void pause(final SplittableRandom random)
    {
        if (opIntervalNs > 0)
        {
            sleepNs(opIntervalNs / 2 + random.nextLong(opIntervalNs));
        }
    }

    private static void sleepNs(final long ns)
    {
        try
        {
            Thread.sleep(ns / 1_000_000, (int)(ns % 1_000_000));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(final PaxlogClient client)
    {
        if (client != null)
        {
            try
            {
                client.close();
            }
            catch (final RuntimeException ignored)
            {
                // closing a client whose cluster is unreachable
            }
        }
    }

}
