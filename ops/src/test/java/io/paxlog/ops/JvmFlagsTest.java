package io.paxlog.ops;

import io.paxlog.protocol.JvmFlags;
import io.paxlog.testing.RepoRoot;
import io.paxlog.testing.ScratchDirs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: the JVM flags are one list ({@link JvmFlags}) that the launchers and Maven pass, and a JVM started without
 * them is told in one line which flag to add, by the client and by the node, instead of an IllegalAccessError.
 */
class JvmFlagsTest
{
    private static final String ANALYTICS = "-Dchronicle.analytics.disable=true";

    @Test
    void theLaunchersAndMavenPassExactlyTheFlagsANodeNeeds() throws Exception
    {
        final List<String> launchers = new ArrayList<>(Files.readAllLines(RepoRoot.path().resolve("ops")
            .resolve("lib").resolve("jvm.flags")).stream().map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
        assertTrue(launchers.remove(ANALYTICS), "ops/lib/jvm.flags turns Chronicle's analytics off");
        assertEquals(JvmFlags.NODE, launchers, "ops/lib/jvm.flags");
        final Matcher m = Pattern.compile("<paxlog\\.jvm\\.flags>([^<]*)</paxlog\\.jvm\\.flags>")
            .matcher(Files.readString(RepoRoot.path().resolve("pom.xml")));
        assertTrue(m.find(), "the parent pom's paxlog.jvm.flags");
        final List<String> maven = new ArrayList<>(Arrays.asList(m.group(1).trim().split("\\s+")));
        assertTrue(maven.remove(ANALYTICS), "Maven's tests turn Chronicle's analytics off");
        assertEquals(JvmFlags.NODE, maven, "pom.xml paxlog.jvm.flags");
        assertTrue(JvmFlags.NODE.containsAll(JvmFlags.CLIENT), "a node needs what a client needs");
        assertEquals(List.of(), JvmFlags.missing(JvmFlags.NODE), "this test JVM runs with them");
    }

    @Test
    void aFlagThisJvmLacksIsNamed()
    {
        final String absent = "--add-opens=java.base/java.time=ALL-UNNAMED";
        assertEquals(List.of(absent), JvmFlags.missing(List.of(JvmFlags.CLIENT.get(0), absent)));
        final IllegalStateException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> JvmFlags.require("paxlog client", List.of(absent)));
        assertEquals("paxlog client: this JVM needs " + absent + " on its command line (before the class name or " +
            "-jar; docs/guide.md, \"JVM flags\")", ex.getMessage());
    }

    /** A client in a JVM with no flags is refused with the flag to add, not an IllegalAccessError inside Agrona. */
    @Test
    void aClientInAJvmWithoutTheFlagsSaysWhichToAdd() throws Exception
    {
        final String out = runWithoutFlags(3, JvmFlagsProbe.class.getName(),
            ScratchDirs.create("paxlog-flags-probe").resolve("aeron").toString());
        assertEquals("java.lang.IllegalStateException: paxlog client: this JVM needs " +
            String.join(" ", JvmFlags.CLIENT) + " on its command line (before the class name or -jar; " +
            "docs/guide.md, \"JVM flags\")\n", out);
    }

    /** NodeMain without the flags: one line on stderr naming every flag it lacks, exit code 2. */
    @Test
    void aNodeInAJvmWithoutTheFlagsSaysWhichToAddAndExitsTwo() throws Exception
    {
        final String out = runWithoutFlags(2, "io.paxlog.node.NodeMain", "--config", "/nonexistent.properties");
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("paxlog node: this JVM needs --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"),
            out);
        assertTrue(out.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), out);
    }

    private static String runWithoutFlags(final int expectedExit, final String... mainAndArgs) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(mainAndArgs));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final int exit = p.exitValue();
        assertEquals(expectedExit, exit, out);
        return out;
    }
}
