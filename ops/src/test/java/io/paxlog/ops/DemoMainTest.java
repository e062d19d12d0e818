package io.paxlog.ops;

import io.paxlog.testing.RepoRoot;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17: the demo shows the product in about 40 lines (it printed a line per lock grant, about a thousand), keeps
 * its checks and its exit code, ends with the pipelined phase and a pointer to what to try next, and leaves no
 * working directory behind when it passed.
 */
class DemoMainTest
{
    @Test
    void aShortDemoPassesInAFewDozenLinesAndLeavesNothingBehind() throws Exception
    {
        System.setProperty("paxlog.home", RepoRoot.path().toString());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream saved = System.out;
        final int rc;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            rc = DemoMain.run(10, 3, 1);
        }
        finally
        {
            System.setOut(saved);
        }
        final String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, rc, out);
        final List<String> lines = out.lines().filter(l -> !l.startsWith("INFO: ")).toList();
        assertTrue(lines.size() <= 40, lines.size() + " lines:\n" + out);
        assertTrue(lines.stream().filter(l -> l.matches("t= *\\d+s +\\d+ writes/s .*")).count() >= 8,
            "a progress line per second:\n" + out);
        assertTrue(out.contains("killed the leader, node "), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("pipelined: one client, up to 1,024 commands in " +
            "flight")), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("demo PASSED: ")), out);
        assertTrue(lines.get(lines.size() - 1).startsWith("next: "), out);
        assertFalse(out.contains("fencing token ") && out.contains("locker "), "no line per grant:\n" + out);
        final Matcher m = Pattern.compile("in (\\S+), leader node").matcher(out);
        assertTrue(m.find(), out);
        assertFalse(Files.exists(Path.of(m.group(1))), "a passed demo removes its directory " + m.group(1));
    }
}
