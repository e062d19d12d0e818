package io.paxlog.client;

import io.paxlog.testing.ScratchDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
