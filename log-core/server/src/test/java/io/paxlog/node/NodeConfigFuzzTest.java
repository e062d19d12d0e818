package io.paxlog.node;

import io.paxlog.protocol.ConfigException;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.core.CoreConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input (issue 7): configuration parsing. The input is a properties text (ISO-8859-1, as a
 * properties file is read) laid over a valid node configuration. Property: {@link NodeConfig#conclude()} (and
 * {@link CoreConfig#conclude()} on the same set) either accepts it or throws a {@link ConfigException}
 * whose one-line message starts with the name of a {@code paxlog.*} key; nothing else is thrown.
 *
 * <p>{@code paxlog.machines} names classes to load, so a fuzzed value holding a dot is replaced by a class name
 * that does not exist (loading arbitrary JDK classes is not what this checks).
 */
class NodeConfigFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void arbitraryPropertiesGiveAConfigErrorNamingTheKey(final byte[] input) throws IOException
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, "0=127.0.0.1:20001:20002,1=127.0.0.1:20003:20004,2=127.0.0.1:20005:20006");
        p.setProperty(CoreConfig.NODE_ID_PROP, "0");
        p.setProperty(NodeConfig.DIR_PROP, "/tmp/paxlog-config-fuzz/node0");
        p.setProperty(NodeConfig.AERON_DIR_PROP, "/tmp/paxlog-config-fuzz/aeron0");
        final Properties fuzzed = new Properties();
        try
        {
            fuzzed.load(new ByteArrayInputStream(input));
        }
        catch (final IllegalArgumentException malformedUnicodeEscape)
        {
            return; // Properties.load itself refuses the text: not our parser
        }
        for (final String key : fuzzed.stringPropertyNames())
        {
            final String value = fuzzed.getProperty(key);
            p.setProperty(key, key.equals(NodeConfig.MACHINES_PROP) && value.contains(".") ? "no.Such" : value);
        }
        check(() -> NodeConfig.fromProperties(p).conclude());
        check(() -> new CoreConfig().load(p).conclude());
    }

    private static void check(final Runnable parse)
    {
        try
        {
            parse.run();
        }
        catch (final ConfigException ex)
        {
            final String message = ex.getMessage();
            assertTrue(message.startsWith("paxlog.") && message.indexOf('=') > 0, "names the key: " + message);
            assertTrue(message.indexOf('\n') < 0 || message.indexOf('=') < message.indexOf('\n'),
                "the key comes first: " + message);
        }
    }
}
