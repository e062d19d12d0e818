package io.paxlog.ops;

import io.paxlog.testing.ScratchDirs;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ops/client usage errors exit 2 before touching the network. */
class ClientMainTest
{
    @Test
    void usageErrorsExitTwo() throws Exception
    {
        final String dir = ScratchDirs.create("px").toString();
        assertEquals(2, ClientMain.run(new String[] {"counter", "get", "x"}), "no --dir");
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "counter", "add", "x"}), "no delta");
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "counter", "add", "x", "one"}), "bad delta");
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "counter", "frob", "x"}), "bad op");
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "--repeat", "0", "counter", "add", "x", "1"}));
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "counter", "get", "x"}), "no cluster.properties");
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "--frob"}));
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "lock", "frob", "L"}), "bad lock op");
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "lock", "acquire"}), "no lock name");
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "--hold-ms", "-1", "lock", "acquire", "L"}));
        assertEquals(2, ClientMain.run(new String[] {"--dir", dir, "--read", "soon", "counter", "get", "x"}));
    }

    /**
     * Numeric options are range-checked, not cast: {@code --repeat 2147483648} threw a NullPointerException (an int
     * cast made it negative, so nothing was added and nothing printed) and {@code --repeat 4294967297} made one add.
     */
    @Test
    void numericOptionsOutOfRangeAreRefusedNamingTheRange() throws Exception
    {
        final String dir = ScratchDirs.create("px").toString();
        for (final String[] bad : new String[][] {{"--repeat", "2147483648"}, {"--repeat", "4294967297"},
            {"--repeat", "1000000001"}, {"--timeout-ms", "9223372036854775807"}, {"--hold-ms", "86400001"},
            {"--session-ttl-ms", "0"}, {"--session-ttl-ms", "86400001"}})
        {
            final String text = stderrOf(() -> assertEquals(2, ClientMain.run(new String[] {"--dir", dir, bad[0],
                bad[1], "counter", "add", "x", "1"}), String.join(" ", bad)));
            assertTrue(text.startsWith("ops/client: " + bad[0] + " '" + bad[1] + "': must be in "), text);
        }
    }

    /** A --repeat run that fails part-way says how many adds were acknowledged before the failure. */
    @Test
    void aFailedRepeatSaysHowManyAddsWereAcknowledged() throws Exception
    {
        final Path dir = ScratchDirs.create("paxlog-no-cluster");
        final int port = io.paxlog.protocol.LoopbackPorts.free();
        Files.writeString(dir.resolve("cluster.properties"), "paxlog.cluster.members=0=127.0.0.1:" + port + ":" +
            port + "\n");
        final int[] rc = new int[1];
        final String text = stderrOf(() -> rc[0] = ClientMain.run(new String[] {"--dir", dir.toString(),
            "--timeout-ms", "300", "--repeat", "5", "counter", "add", "x", "1"}));
        assertEquals(1, rc[0], text);
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(text.endsWith("; 0 of 5 adds were acknowledged before it\n"), text);
    }

    /** A killed ops/client leaves its driver's directory; the next run removes it, and leaves live ones alone. */
    @Test
    void staleClientDriverDirectoriesOfDeadProcessesAreRemoved() throws Exception
    {
        final Path shm = ScratchDirs.create("paxlog-fake-shm");
        final Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        final Path stale = Files.createDirectories(shm.resolve("paxlog-client-" + dead.pid()));
        Files.writeString(stale.resolve("cnc.dat"), "x");
        final Path live = Files.createDirectories(shm.resolve("paxlog-client-" + ProcessHandle.current().pid()));
        final Path other = Files.createDirectories(shm.resolve("paxlog-client-abc"));
        assertEquals(1, ClientMain.removeStaleDriverDirs(shm));
        assertFalse(Files.exists(stale), "the dead process's directory is gone");
        assertTrue(Files.exists(live), "a live process's directory stays");
        assertTrue(Files.exists(other), "a name that is not ours stays");
    }

    /** What {@code body} wrote to System.err, without a Jazzer agent's "INFO: Instrumented ..." lines. */
    private static String stderrOf(final Runnable body)
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try
        {
            body.run();
        }
        finally
        {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("INFO: "))
            .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    @Test
    void aHostThatInjectsChannelParametersOrDoesNotResolveIsOneLineAndExitTwo() throws IOException
    {
        for (final String members : new String[] {"0=127.0.0.1|interface=10.9.9.9:20001:20002",
            "0=127.0.0.1?ttl=9:20001:20002", "0=host\nname:20001:20002", "0=no-such-host.invalid:20001:20002"})
        {
            final Path dir = ScratchDirs.create("paxlog-bad-members");
            Files.writeString(dir.resolve("cluster.properties"), "paxlog.cluster.members=" +
                members.replace("\n", "\\n") + "\n");
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final PrintStream saved = System.err;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            final int rc;
            try
            {
                rc = ClientMain.run(new String[] {"--dir", dir.toString(), "counter", "get", "x"});
            }
            finally
            {
                System.setErr(saved);
            }
            // what ClientMain wrote; a Jazzer agent's "INFO: Instrumented ..." lines on class loading are not its
            final String text = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("INFO: "))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
            assertEquals(2, rc, members + ": " + text);
            assertEquals(1, text.lines().count(), "one line: " + text);
            assertTrue(text.contains(members.contains("invalid") ? "does not resolve" : "the host must be"), text);
            assertTrue(text.startsWith("ops/client: "), text);
            assertFalse(text.contains("Exception"), text);
        }
    }
}
