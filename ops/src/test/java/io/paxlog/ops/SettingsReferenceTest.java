package io.paxlog.ops;

import io.paxlog.client.PaxlogClientContext;
import io.paxlog.core.CoreConfig;
import io.paxlog.node.NodeConfig;
import io.paxlog.node.NodeSettings;
import io.paxlog.protocol.Setting;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17: docs/settings.md lists every key of the node, core and client settings, produced from the code. */
class SettingsReferenceTest
{
    private static final Path DOC = Path.of("..", "docs", "settings.md");

    /** Every {@code *_PROP} constant of the node's and the core's settings has an entry, and no key has two. */
    @Test
    void everyPropertyKeyOfTheNodeAndTheCoreIsListedOnce() throws Exception
    {
        final Set<String> keys = new TreeSet<>();
        for (final Class<?> c : List.of(NodeConfig.class, CoreConfig.class))
        {
            for (final Field f : c.getFields())
            {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && f.getName().endsWith("_PROP"))
                {
                    keys.add((String)f.get(null));
                }
            }
        }
        assertTrue(keys.size() >= 55, "the reflection found the keys: " + keys);
        final List<Setting> listed = new ArrayList<>(NodeSettings.SETTINGS);
        listed.addAll(CoreConfig.SETTINGS);
        final Set<String> listedKeys = new HashSet<>();
        for (final Setting s : listed)
        {
            assertTrue(listedKeys.add(s.key()), "listed twice: " + s.key());
        }
        final Set<String> missing = new TreeSet<>(keys);
        missing.removeAll(listedKeys);
        assertEquals(Set.of(), missing, "keys with no entry in NodeSettings.SETTINGS or CoreConfig.SETTINGS");
        final Set<String> unknown = new TreeSet<>(listedKeys);
        unknown.removeAll(keys);
        assertEquals(Set.of(), unknown, "entries for keys the classes do not define");
    }

    /** Every setter of the client's context has an entry. */
    @Test
    void everyClientSetterIsListed()
    {
        final Set<String> setters = new TreeSet<>();
        for (final Method m : PaxlogClientContext.class.getMethods())
        {
            if (m.getReturnType() == PaxlogClientContext.class && m.getParameterCount() == 1 &&
                !Modifier.isStatic(m.getModifiers()))
            {
                setters.add(m.getName());
            }
        }
        assertTrue(setters.contains("idleStrategy") && setters.contains("maxOutstanding"), setters.toString());
        final Set<String> listed = new TreeSet<>();
        PaxlogClientContext.SETTINGS.forEach(s -> assertTrue(listed.add(s.key()), "listed twice: " + s.key()));
        assertEquals(setters, listed);
    }

    /** The defaults the reference states are the ones a fresh context concludes with. */
    @Test
    void theClientDefaultsListedAreTheContextsOwn()
    {
        final PaxlogClientContext c = new PaxlogClientContext()
            .members(new io.paxlog.protocol.Member(0, "127.0.0.1", 1, 2)).aeronDirectoryName("/tmp/x").conclude();
        assertEquals(Long.toString(c.attemptTimeoutNs()), defaultOf("attemptTimeoutNs"));
        assertEquals(Integer.toString(c.maxOutstanding()), defaultOf("maxOutstanding"));
        assertEquals(Integer.toString(c.maxPayloadBytes()), defaultOf("maxPayloadBytes"));
        assertEquals(c.idleStrategy(), defaultOf("idleStrategy"));
    }

    private static String defaultOf(final String key)
    {
        return PaxlogClientContext.SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow()
            .defaultValue();
    }

    /** docs/settings.md is what the code produces today; when it is not, the new one is in ops/target. */
    @Test
    void theDocumentIsUpToDate() throws Exception
    {
        final String expected = SettingsReference.markdown();
        final String actual = Files.exists(DOC) ? Files.readString(DOC) : "";
        if (!expected.equals(actual))
        {
            final Path fresh = Path.of("target", "settings.md");
            Files.createDirectories(fresh.getParent());
            Files.writeString(fresh, expected);
            assertEquals(expected, actual, "docs/settings.md is out of date: cp ops/target/settings.md " +
                "docs/settings.md");
        }
        for (final Setting s : NodeSettings.SETTINGS)
        {
            assertTrue(actual.contains("| `" + s.key() + "` |"), s.key());
        }
    }
}
