package io.paxlog.ops;

import io.paxlog.testing.ScratchDirs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, "ops scripts an operator can trust": {@code ops/cluster up} on a directory it cannot use is refused with
 * one line and exit 2, before anything is written anywhere (at 198d2b7 it wrote members, secrets and node files into
 * {@code /} and exited 0).
 */
class ClusterScriptTest
{
    private static final Path SCRIPT = Path.of("..", "ops", "cluster").toAbsolutePath().normalize();

    @Test
    void upOnADirectoryThatCannotBeCreatedOrWrittenWritesNothingAndExitsTwo() throws Exception
    {
        final Path file = ScratchDirs.create("paxlog-not-a-dir").resolve("a-file");
        Files.writeString(file, "x");
        final boolean rootHadMembers = Files.exists(Path.of("/members"));
        for (final String bad : List.of("/proc/paxlog-cannot-create/cluster", file.toString(),
            file.resolve("below").toString()))
        {
            final Process p = new ProcessBuilder("bash", SCRIPT.toString(), "up", "--nodes", "3", "--dir", bad)
                .redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ops/cluster up returned");
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), bad + ": " + out);
            assertEquals("ops/cluster: --dir " + bad + ": cannot create it or write in it\n", out, bad);
        }
        assertEquals(rootHadMembers, Files.exists(Path.of("/members")), "nothing written into /");
        assertEquals("x", Files.readString(file), "the file in the way is untouched");
        assertFalse(Files.exists(Path.of("/proc/paxlog-cannot-create")));
    }

    /** Your own machines: a class path entry that does not exist, or a machine list that is not class names. */
    @Test
    void upRefusesAMissingClassPathEntryOrAMalformedMachineListBeforeStartingAnything() throws Exception
    {
        final Path dir = ScratchDirs.create("paxlog-user-code").resolve("cluster");
        final String[][] cases = {
            {"--classpath", "/nonexistent/positions.jar", "ops/cluster: --classpath: no such file or directory " +
                "'/nonexistent/positions.jar'"},
            {"--machines", "com.acme.Book;rm -rf x", "ops/cluster: --machines 'com.acme.Book;rm -rf x': expected " +
                "comma-separated class names (or leave it out for the standard ones)"}};
        for (final String[] c : cases)
        {
            final Process p = new ProcessBuilder("bash", SCRIPT.toString(), "up", "--nodes", "3", "--dir",
                dir.toString(), c[0], c[1]).redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ops/cluster up returned");
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.exitValue(), out);
            assertEquals(c[2], out.lines().findFirst().orElse(""), out);
            assertFalse(Files.exists(dir), "nothing created: " + out);
        }
    }
}
