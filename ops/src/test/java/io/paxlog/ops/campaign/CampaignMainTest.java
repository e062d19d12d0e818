package io.paxlog.ops.campaign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Usage and cluster-file errors: one line naming what was wrong, exit 2, before anything is started. */
class CampaignMainTest
{
    @TempDir
    Path dir;

    private String[] run(final int expectedExit, final String... args)
    {
        final PrintStream err = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            assertEquals(expectedExit, CampaignMain.execute(args), String.join(" ", args));
        }
        finally
        {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception
    {
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "cluster.dir=" + dir.resolve("c") + "\npaxlog.cluster.members=0=127.0.0.1:1:2\n");
        String[] lines = run(2, "--duration", "60");
        assertTrue(lines[0].contains("--config"), lines[0]);
        lines = run(2, "--config", file.toString(), "--duration", "5");
        assertEquals("ops/campaign: --duration must be 10..86400 seconds, got 5", lines[0]);
        lines = run(2, "--config", file.toString(), "--duration", "60", "--nemesis", "partition-one,meteor");
        assertTrue(lines[0].startsWith("ops/campaign: --nemesis: unknown fault 'meteor'"), lines[0]);
        lines = run(2, "--config", dir.resolve("missing").toString(), "--duration", "60");
        assertTrue(lines[0].contains("cannot read cluster file"), lines[0]);
        Files.writeString(file, "paxlog.cluster.members=0=127.0.0.1:1:2\n");
        lines = run(2, "--config", file.toString(), "--duration", "60");
        assertTrue(lines[0].contains("has no cluster.dir"), lines[0]);
        lines = run(2, "--config", file.toString(), "--duration", "60", "--clients", "-1");
        assertTrue(lines[0].contains("--clients"), lines[0]);
    }

    @Test
    void clusterFileIsRead() throws Exception
    {
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, String.join("\n", "cluster.dir=/tmp/x", "paxlog.cluster.members=" +
            "0=10.77.0.1:20001:20002,1=10.77.0.2:20001:20002", "member.0.netns=pxh-0", "member.1.netns=pxh-1",
            "client.netns=pxh-client", "paxlog.faults.enabled=true", "paxlog.plant=lease-from-receive-time", ""));
        final ClusterFile c = ClusterFile.load(file);
        assertEquals(2, c.size());
        assertTrue(c.onNamespaceHosts());
        assertTrue(c.faultsEnabled());
        assertEquals("lease-from-receive-time", c.plantedBugs());
        assertEquals("pxh-client", c.clientNetns());
        assertEquals(200_000_000L, c.leaseTimeoutNs());
        Files.writeString(file, "cluster.dir=/tmp/x\npaxlog.cluster.members=0=127.0.0.1:1:2\n");
        final ClusterFile loopback = ClusterFile.load(file);
        assertFalse(loopback.onNamespaceHosts());
        assertNull(loopback.clientNetns());
        Files.writeString(file, "cluster.dir=/tmp/x\npaxlog.cluster.members=zero\n");
        assertThrows(IllegalArgumentException.class, () -> ClusterFile.load(file));
    }

    @Test
    void faultListsParse()
    {
        assertEquals(FaultKind.values().length - 1, FaultKind.defaults().size());
        assertFalse(FaultKind.defaults().contains(FaultKind.CLOCK_SKEW_BEYOND));
        assertEquals(List.of(FaultKind.KILL, FaultKind.DUP), FaultKind.parseList("kill, dup,kill"));
        assertEquals(FaultKind.values().length, FaultKind.parseList("all").size());
        assertTrue(FaultKind.parseList("none").isEmpty());
    }
}
