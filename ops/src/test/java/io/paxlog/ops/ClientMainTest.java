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
