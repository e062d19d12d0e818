package io.paxlog.auth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One credentials instance shared by clients on several threads (as a campaign or an application does) gives each
 * of them exactly the proof a private instance would. Before credentials() was synchronized, concurrent callers
 * corrupted the shared MAC state (a campaign's client died with "arraycopy: length -8 is negative").
 */
class SharedSecretCredentialsTest
{
    @Test
    void oneInstanceServesManyThreads() throws Exception
    {
        final byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++)
        {
            secret[i] = (byte)(i * 7 + 1);
        }
        final SharedSecretCredentials shared = new SharedSecretCredentials(secret);
        final AtomicInteger mismatches = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++)
        {
            final int thread = t;
            threads.add(new Thread(() ->
            {
                final SharedSecretCredentials own = new SharedSecretCredentials(secret);
                try
                {
                    for (int i = 0; i < 5_000; i++)
                    {
                        final String channel = "aeron:udp?endpoint=10.77.0.200:" + (40_000 + thread);
                        final byte[] got = shared.credentials(ClientAuthenticator.SESSION, i, channel, thread, 1_000L + i);
                        final byte[] want = own.credentials(ClientAuthenticator.SESSION, i, channel, thread, 1_000L + i);
                        if (!Arrays.equals(got, want))
                        {
                            mismatches.incrementAndGet();
                        }
                    }
                }
                catch (final RuntimeException ex)
                {
                    failures.incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (final Thread t : threads)
        {
            t.join();
        }
        assertEquals(0, failures.get(), "calls that threw");
        assertEquals(0, mismatches.get(), "proofs that differ from a private instance's");
    }
}
