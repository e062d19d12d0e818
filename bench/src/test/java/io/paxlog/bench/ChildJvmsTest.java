package io.paxlog.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The child JVMs of the processes topology: one that exits is named with the end of its log; close kills them; a
 * child whose parent goes away (its standard input closes) exits by itself; pinned children run under taskset.
 */
class ChildJvmsTest
{
    @TempDir
    Path dir;

    private BenchSettings settings()
    {
        return BenchSettings.defaults().withTempRoot(dir).withTopology(BenchSettings.PROCESSES);
    }

    @Test
    void aChildThatExitsIsNamedWithTheEndOfItsLog() throws Exception
    {
        try (ChildJvms children = new ChildJvms("test-target", settings(), dir))
        {
            children.start("bad-node", AeronFloorNodeMain.class, List.of("too", "few"));
            assertTrue(children.process("bad-node").waitFor(30, TimeUnit.SECONDS), "exits");
            final String message = assertThrows(IllegalStateException.class, children::checkAlive).getMessage();
            System.out.println(message);
            assertTrue(message.startsWith("test-target: child bad-node exited with code 2; the end of " +
                dir.resolve("bad-node.log") + ":\n"), message);
            assertTrue(message.contains("usage: AeronFloorNodeMain NAME DIR IDLE"), message);
        }
    }

    @Test
    void closeKillsTheChildrenAndAChildExitsWhenItsParentGoesAway() throws Exception
    {
        final Process sleeper;
        final Process orphan;
        try (ChildJvms children = new ChildJvms("test-target", settings(), dir))
        {
            children.start("sleeper", SleepingChildMain.class, List.of());
            children.start("orphan", SleepingChildMain.class, List.of());
            sleeper = children.process("sleeper");
            orphan = children.process("orphan");
            awaitReady(dir.resolve("orphan.log"));
            orphan.getOutputStream().close(); // what the child sees when the parent dies
            assertTrue(orphan.waitFor(30, TimeUnit.SECONDS), "the orphan exits by itself");
            assertEquals(0, orphan.exitValue());
            assertTrue(Files.readString(dir.resolve("orphan.log")).contains("parent gone"));
            assertTrue(sleeper.isAlive());
            assertTrue(assertThrows(IllegalStateException.class, children::checkAlive).getMessage()
                .startsWith("test-target: child orphan exited with code 0"));
        }
        assertFalse(sleeper.isAlive(), "close() killed the sleeper");
    }

    @Test
    void pinnedChildrenRunUnderTaskset() throws Exception
    {
        try (ChildJvms children = new ChildJvms("test-target", settings().withCpus("0"), dir))
        {
            children.start("pinned", SleepingChildMain.class, List.of());
            awaitReady(dir.resolve("pinned.log"));
            final long pid = children.process("pinned").pid();
            final String allowed = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow();
            assertEquals("Cpus_allowed_list:\t0", allowed);
        }
    }

    private static void awaitReady(final Path log) throws InterruptedException
    {
        TargetSupport.await(() ->
        {
            try
            {
                return Files.exists(log) && Files.readString(log).contains("ready");
            }
            catch (final java.io.IOException ex)
            {
                return false;
            }
        }, 30_000, log + " to say ready");
    }
}
