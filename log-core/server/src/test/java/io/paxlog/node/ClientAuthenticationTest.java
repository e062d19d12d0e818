package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.auth.AuthVerdict;
import io.paxlog.auth.ClientAuthenticator;
import io.paxlog.auth.ClientCredentials;
import io.paxlog.auth.HmacSha256;
import io.paxlog.auth.SharedSecretCredentials;
import io.paxlog.client.AdminClient;
import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.sm.CounterMachine;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients and operators authenticate to the nodes (docs/operations.md "Authentication"): the shared-secret default
 * lets good credentials through and refuses missing or wrong ones with a clear {@link PaxlogException.Rejected};
 * the admin channel refuses requests without the client secret; and a challenge-response authenticator plugged in
 * by class name works through the protocol's CHALLENGE session event.
 */
class ClientAuthenticationTest
{
    private static final long MS = 1_000_000L;

    private static PaxlogClientContext context(final InvokedCluster cluster, final String name)
    {
        return new PaxlogClientContext().members(cluster.members()).aeronDirectoryName(cluster.root.resolve(name)
            .toString()).attemptTimeoutNs(200 * MS).callTimeoutNs(5_000 * MS);
    }

    @Test
    void sharedSecretClientsAndAdminRequests() throws Exception
    {
        final Path secrets = ScratchDirs.create("paxlog-secrets");
        try (InvokedCluster cluster = new InvokedCluster(3, "none", false, AuthTestSupport.secured(secrets)))
        {
            final int leader = InvokedClusterTest.awaitLeader(cluster, 10_000);
            final byte[] secret = AuthTestSupport.secret(secrets, "client.secret");
            try (PaxlogClient good = new PaxlogClient(context(cluster, "good").clientSecret(secret)))
            {
                assertEquals(1, CounterMachine.valueOf(good.command(CounterMachine.add("x", 1)).value()));
            }
            try (PaxlogClient none = new PaxlogClient(context(cluster, "none")))
            {
                final PaxlogException.Rejected refused = assertThrows(PaxlogException.Rejected.class,
                    () -> none.command(CounterMachine.add("x", 1)));
                System.out.println("without credentials: " + refused.getMessage());
                assertTrue(refused.getMessage().contains("authentication failed: no credentials"), refused.getMessage());
            }
            final byte[] wrong = secret.clone();
            wrong[0] ^= 1;
            try (PaxlogClient bad = new PaxlogClient(context(cluster, "bad").clientSecret(wrong)))
            {
                final PaxlogException.Rejected refused = assertThrows(PaxlogException.Rejected.class,
                    () -> bad.command(CounterMachine.add("x", 1)));
                System.out.println("with a wrong secret: " + refused.getMessage());
                assertTrue(refused.getMessage().contains("authentication failed: bad credentials"),
                    refused.getMessage());
            }
            try (AdminClient anonymous = new AdminClient(cluster.members(), cluster.root.resolve("a1").toString());
                AdminClient forged = new AdminClient(cluster.members(), cluster.root.resolve("a2").toString(),
                    new SharedSecretCredentials(wrong));
                AdminClient operator = new AdminClient(cluster.members(), cluster.root.resolve("a3").toString(),
                    new SharedSecretCredentials(secret)))
            {
                final PaxlogException.Rejected refused = assertThrows(PaxlogException.Rejected.class,
                    () -> anonymous.status(leader, 2_000 * MS));
                System.out.println("admin without credentials: " + refused.getMessage());
                assertTrue(refused.getMessage().contains("authentication failed"), refused.getMessage());
                assertThrows(PaxlogException.Rejected.class, () -> forged.snapshot(leader, 2_000 * MS));
                assertThrows(PaxlogException.Rejected.class, () -> forged.fault(leader, 1, 0, 0, 2_000 * MS));
                assertNotNull(operator.status(leader, 2_000 * MS), "the operator with the secret is answered");
            }
            Thread.sleep(50);
            // two refused sessions (at whichever member each client tried first) and three refused admin requests
            // (at the leader), each counted at least once; a refusal whose answer was lost is asked and counted again
            long refusals = 0;
            for (int i = 0; i < 3; i++)
            {
                refusals += AuthTestSupport.counters(cluster, i).get("auth clients refused");
            }
            assertTrue(AuthTestSupport.counters(cluster, leader).get("auth clients refused") >= 3 && refusals >= 5,
                "refusals counted: " + refusals + " in all; at the leader " + AuthTestSupport.counters(cluster, leader));
            assertEquals(1, cluster.machines[leader].valueOf("x"), "refused clients wrote nothing");
        }
    }

    @Test
    void challengeResponseThroughAPluggedAuthenticator() throws Exception
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.CLIENT_AUTHENTICATOR_PROP, NonceAuthenticator.class.getName());
        p.setProperty(NonceAuthenticator.SECRET_PROP, "a test secret of enough bytes");
        try (InvokedCluster cluster = new InvokedCluster(3, "none", false, p))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            final byte[] secret = "a test secret of enough bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (PaxlogClient client = new PaxlogClient(context(cluster, "c1").credentials(new NonceAnswers(secret))))
            {
                assertEquals(5, CounterMachine.valueOf(client.command(CounterMachine.add("y", 5)).value()));
            }
            final byte[] wrong = "another secret of enough bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (PaxlogClient client = new PaxlogClient(context(cluster, "c2").credentials(new NonceAnswers(wrong))))
            {
                final PaxlogException.Rejected refused = assertThrows(PaxlogException.Rejected.class,
                    () -> client.command(CounterMachine.add("y", 5)));
                assertTrue(refused.getMessage().contains("authentication failed: wrong answer"), refused.getMessage());
            }
        }
    }

    /**
     * A challenge-response {@link ClientAuthenticator}: a connect without an answer is challenged with a nonce
     * (fresh per session and the same for its resent connects; at most 256 kept, oldest dropped); one whose credentials are HMAC(secret, nonce) is
     * accepted, and one with another answer refused. Admin requests are refused (they cannot be challenged).
     */
    public static final class NonceAuthenticator implements ClientAuthenticator
    {
        static final String SECRET_PROP = "test.nonce.secret";
        private static final int OUTSTANDING_MAX = 256;
        private final byte[] secret;
        private final SecureRandom random = new SecureRandom();
        private final Map<Long, byte[]> nonces = new LinkedHashMap<>();

        public NonceAuthenticator(final Properties properties)
        {
            this.secret = properties.getProperty(SECRET_PROP).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        public void authenticate(final int kind, final long id, final String responseChannel,
            final int responseStreamId, final DirectBuffer credentials, final int offset, final int length,
            final long nowNs, final AuthVerdict verdict)
        {
            final byte[] nonce = nonces.get(id);
            if (kind != SESSION || nonce == null || length == 0)
            {
                if (kind == SESSION && nonce != null)
                {
                    verdict.challenge(nonce); // a resent connect: the same challenge (idempotent)
                }
                else if (kind == SESSION)
                {
                    final byte[] fresh = new byte[16];
                    random.nextBytes(fresh);
                    nonces.put(id, fresh);
                    if (nonces.size() > OUTSTANDING_MAX)
                    {
                        nonces.remove(nonces.keySet().iterator().next());
                    }
                    verdict.challenge(fresh);
                }
                else
                {
                    verdict.reject("admin requests are not allowed here");
                }
                return;
            }
            final byte[] answer = new byte[length];
            credentials.getBytes(offset, answer);
            if (Arrays.equals(answer, NonceAnswers.answer(secret, nonce)))
            {
                verdict.accept(); // the nonce stays: the client's resent connects carry the same answer
            }
            else
            {
                nonces.remove(id);
                verdict.reject("wrong answer to the challenge");
            }
        }
    }

    /** The client side: no credentials until challenged, then HMAC(secret, nonce). */
    static final class NonceAnswers implements ClientCredentials
    {
        private final byte[] secret;

        NonceAnswers(final byte[] secret)
        {
            this.secret = secret;
        }

        static byte[] answer(final byte[] secret, final byte[] nonce)
        {
            final byte[] out = new byte[32];
            new HmacSha256(secret).update(nonce, 0, nonce.length).finish(out, 0, 32);
            return out;
        }

        public byte[] credentials(final int kind, final long id, final String responseChannel,
            final int responseStreamId, final long nowMs)
        {
            return new byte[0];
        }

        public byte[] onChallenge(final int memberId, final long id, final byte[] challenge)
        {
            return answer(secret, challenge);
        }
    }
}
