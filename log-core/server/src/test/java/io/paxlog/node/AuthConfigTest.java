package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.protocol.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication settings: off (one warning line) without secrets, on with them; a missing, short or unreadable
 * secret file, or contradicting settings, stop the node at start with one line naming the key (NodeMain exit 2).
 */
class AuthConfigTest
{
    private static Properties valid(final Path dir)
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, "0=127.0.0.1:20001:20002,1=127.0.0.1:20003:20004,2=127.0.0.1:20005:20006");
        p.setProperty("paxlog.node.id", "1");
        p.setProperty(NodeConfig.DIR_PROP, dir.resolve("node1").toString());
        return p;
    }

    private static String error(final Properties p)
    {
        return assertThrows(ConfigException.class, () -> NodeConfig.fromProperties(p).conclude()).getMessage();
    }

    @Test
    void offByDefaultWithOneWarningAndOnWithSecrets() throws Exception
    {
        final Path dir = ScratchDirs.create("paxlog-auth-config");
        final NodeConfig off = NodeConfig.fromProperties(valid(dir)).conclude();
        assertFalse(off.membersAuthenticated());
        assertFalse(off.clientsAuthenticated());
        assertTrue(off.authWarning().startsWith("WARNING: frames are not authenticated"), off.authWarning());
        assertFalse(off.authWarning().contains("\n"));
        final Properties on = valid(dir);
        on.putAll(AuthTestSupport.secured(dir));
        final NodeConfig secured = NodeConfig.fromProperties(on).conclude();
        assertTrue(secured.membersAuthenticated());
        assertTrue(secured.clientsAuthenticated());
        assertEquals(AuthTestSupport.CLUSTER_ID, secured.clusterId());
        assertNull(secured.authWarning());
    }

    @Test
    void badSecretFilesNameTheKey() throws Exception
    {
        final Path dir = ScratchDirs.create("paxlog-auth-config");
        final Properties missing = valid(dir);
        missing.setProperty(NodeConfig.CLUSTER_SECRET_FILE_PROP, dir.resolve("absent").toString());
        assertTrue(error(missing).startsWith(NodeConfig.CLUSTER_SECRET_FILE_PROP + "="), error(missing));

        final Properties shortOne = valid(dir);
        Files.writeString(dir.resolve("short"), "00112233");
        shortOne.setProperty(NodeConfig.CLIENT_SECRET_FILE_PROP, dir.resolve("short").toString());
        assertTrue(error(shortOne).startsWith(NodeConfig.CLIENT_SECRET_FILE_PROP + "="), error(shortOne));
        assertTrue(error(shortOne).contains("at least 16 bytes"), error(shortOne));

        final Properties unreadable = valid(dir);
        unreadable.setProperty(NodeConfig.CLUSTER_SECRET_FILE_PROP, dir.toString()); // a directory
        assertTrue(error(unreadable).startsWith(NodeConfig.CLUSTER_SECRET_FILE_PROP + "="), error(unreadable));

        final Properties acceptAlone = valid(dir);
        acceptAlone.putAll(AuthTestSupport.secured(dir));
        acceptAlone.remove(NodeConfig.CLUSTER_SECRET_FILE_PROP);
        acceptAlone.setProperty(NodeConfig.CLUSTER_SECRET_ACCEPT_FILE_PROP, dir.resolve("cluster.secret").toString());
        assertTrue(error(acceptAlone).startsWith(NodeConfig.CLUSTER_SECRET_ACCEPT_FILE_PROP + "="));

        final Properties both = valid(dir);
        both.putAll(AuthTestSupport.secured(dir));
        both.setProperty(NodeConfig.CLIENT_AUTHENTICATOR_PROP, ClientAuthenticationTest.NonceAuthenticator.class.getName());
        assertTrue(error(both).startsWith(NodeConfig.CLIENT_SECRET_FILE_PROP + "="), error(both));

        final Properties badId = valid(dir);
        badId.setProperty(NodeConfig.CLUSTER_ID_PROP, "blue");
        assertTrue(error(badId).startsWith(NodeConfig.CLUSTER_ID_PROP + "=blue"), error(badId));
    }

    @Test
    void nodeMainExitsTwoWithOneLineNamingTheKey() throws Exception
    {
        final Path dir = ScratchDirs.create("paxlog-auth-main");
        final Properties p = valid(dir);
        Files.writeString(dir.resolve("short.secret"), "abcd");
        p.setProperty(NodeConfig.CLUSTER_SECRET_FILE_PROP, dir.resolve("short.secret").toString());
        final Path config = dir.resolve("node1.properties");
        try (var out = Files.newOutputStream(config))
        {
            p.store(out, null);
        }
        final BadConfigRestartTest.NodeMainRun run = BadConfigRestartTest.NodeMainRun.of(config);
        final String output = run.output;
        assertEquals(2, run.exit, output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.startsWith("paxlog node: bad configuration: " + NodeConfig.CLUSTER_SECRET_FILE_PROP + "="),
            output);
    }
}
