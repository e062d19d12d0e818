package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.LockResults;
import io.paxlog.sm.LockTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lock holder that goes away without releasing (its client abandons the session, as a dead process would)
 * loses the lock once its session TTL passes with no keep-alive, through a close written in the log; the waiter
 * then gets the lock with a larger fencing token. While the holder keeps its session alive, the lock stays held.
 */
class LockSessionTtlTest
{
    @Test
    void aHolderThatGoesSilentLosesTheLockAfterItsTtl() throws Exception
    {
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            final PaxlogClient holder = client(cluster, "holder", 1500);
            final byte[] first = holder.command(LockCommands.acquire("L", 0)).value();
            assertEquals(LockTable.GRANTED, LockResults.status(first));
            final long t1 = LockResults.token(first);
            final long kept = System.nanoTime() + 2_500_000_000L;
            try (PaxlogClient waiter = client(cluster, "waiter", 0))
            {
                while (System.nanoTime() < kept)
                {
                    holder.poll(); // keep-alives: the session (and the lock) outlive the 1.5 s TTL
                    waiter.poll();
                    Thread.sleep(1);
                }
                assertEquals(LockTable.NOT_GRANTED,
                    LockResults.status(waiter.command(LockCommands.tryAcquire("L")).value()),
                    "a live holder keeps its lock past the TTL");
                holder.abandon();
                final long start = System.nanoTime();
                final byte[] second = waiter.command(LockCommands.acquire("L", 10_000)).value();
                final long waitedMs = (System.nanoTime() - start) / 1_000_000;
                System.out.println("holder token " + t1 + ", waiter token " + LockResults.token(second) + " after " +
                    waitedMs + " ms");
                assertEquals(LockTable.GRANTED, LockResults.status(second));
                assertTrue(LockResults.token(second) > t1, "fencing token increases");
                assertTrue(waitedMs >= 500 && waitedMs < 8_000, "granted after roughly the TTL: " + waitedMs + " ms");
            }
        }
    }

    private static PaxlogClient client(final InvokedCluster cluster, final String name, final long ttlMs)
        throws Exception
    {
        return new PaxlogClient(new PaxlogClientContext()
            .members(cluster.members())
            .aeronDirectoryName(ScratchDirs.create("paxlog-" + name).toString())
            .callTimeoutNs(15_000_000_000L)
            .keepAliveIntervalNs(200_000_000L)
            .sessionTtlMs(ttlMs));
    }
}
