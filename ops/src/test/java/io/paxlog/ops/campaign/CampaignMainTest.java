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
        lines = run(2, "--config", file.toString(), "--duration", "5", "--no-replace");
        assertEquals("ops/campaign: --duration must be 10..86400 seconds, got 5", lines[0], "--no-replace is known");
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

    /** What ops/cluster replace-member writes: member 1 replaced by member 3 in pxh-1 (and 4 replaced 3 later). */
    @Test
    void clusterFileFollowsReplacements() throws Exception
    {
        final Path file = dir.resolve("cluster.properties");
        final Path clusterDir = dir.resolve("c");
        Files.createDirectories(clusterDir.resolve("node5")); // left by a change that failed: not reused
        Files.writeString(file, String.join("\n", "cluster.dir=" + clusterDir, "paxlog.cluster.members=" +
            "0=10.77.0.1:20001:20002,1=10.77.0.2:20001:20002,2=10.77.0.3:20001:20002", "member.0.netns=pxh-0",
            "member.1.netns=pxh-1", "member.2.netns=pxh-2", "client.netns=pxh-client",
            "member.3.joined=3=10.77.0.2:20003:20004", "member.3.netns=pxh-1", "member.1.removed=true", ""));
        ClusterFile c = ClusterFile.load(file);
        assertEquals("0=10.77.0.1:20001:20002,2=10.77.0.3:20001:20002,3=10.77.0.2:20003:20004",
            io.paxlog.protocol.Member.format(c.members()));
        assertEquals(List.of("pxh-0", "pxh-2", "pxh-1"), List.of(c.memberNetns()));
        assertTrue(c.onNamespaceHosts());
        assertEquals(2, c.position(3));
        assertEquals(-1, c.position(1));
        assertEquals(4, c.freshId(), "0..3 used, 4 free");
        Files.writeString(file, "member.4.joined=4=10.77.0.2:20005:20006\nmember.4.netns=pxh-1\n" +
            "member.3.removed=true\n", java.nio.file.StandardOpenOption.APPEND);
        c = ClusterFile.load(file);
        assertEquals(List.of(0, 2, 4),
            java.util.Arrays.stream(c.members()).map(io.paxlog.protocol.Member::id).toList());
        assertEquals(6, c.freshId(), "0..4 used, node5 exists");
        assertFalse(c.hasRemoteMembers());
        Files.writeString(file, "member.9.joined=4=10.77.0.2:1:2\n", java.nio.file.StandardOpenOption.APPEND);
        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ClusterFile.load(file));
        assertTrue(bad.getMessage().startsWith("--config: member.9.joined: "), bad.getMessage());
    }

    /** A replacement keeps the slot (the host): the new member takes the old one's place; claims exclude. */
    @Test
    void currentMembersReplaceInPlace() throws Exception
    {
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, String.join("\n", "cluster.dir=/tmp/x", "paxlog.cluster.members=" +
            "0=10.77.0.1:20001:20002,1=10.77.0.2:20001:20002,2=10.77.0.3:20001:20002", "member.0.netns=pxh-0",
            "member.1.netns=pxh-1", "member.2.netns=pxh-2", ""));
        final List<io.paxlog.protocol.Member[]> made = new java.util.ArrayList<>();
        try (CurrentMembers members = new CurrentMembers(ClusterFile.load(file), m ->
        {
            made.add(m);
            return null;
        }))
        {
            assertTrue(members.claim(1));
            assertFalse(members.claim(1));
            members.replace(1, io.paxlog.protocol.Member.parse("3=10.77.0.2:20003:20004"), "pxh-1");
            members.release(1);
            assertEquals(List.of(0, 3, 2), java.util.Arrays.stream(members.ids()).boxed().toList());
            assertEquals(1, members.slotOf(3));
            assertEquals(-1, members.slotOf(1));
            assertEquals("pxh-1", members.netns(1));
            assertEquals(2, made.size(), "an admin client for the new members");
            assertEquals(3, made.get(1)[1].id());
            assertTrue(members.claim(1));
            assertThrows(IllegalArgumentException.class, () -> members.replace(1, io.paxlog.protocol.Member.parse(
                "4=10.77.0.2:20005:20006"), "pxh-1"));
        }
    }

    @Test
    void theSummaryAndFinalLineRecordTheReplacement()
    {
        final History history = new History(System.nanoTime(), 1_000);
        assertEquals("replace-member: none", CampaignMain.replacementLine(history, null));
        history.replaced(new History.Replacement(1, 3, 5_000_000_000L, 7_140_000_000L, true));
        final MemberReplacement.Outcome ok = new MemberReplacement.Outcome(1, 3, 2_140, true, "membership done");
        assertEquals("replace-member old=1 new=3 took_ms=2140", CampaignMain.replacementLine(history, ok));
        assertEquals("1->3", ok.field());
        final MemberReplacement.Outcome failed = new MemberReplacement.Outcome(1, 3, 2_140, false,
            "membership failed: leadership lost\n(exit 1)");
        assertEquals("failed:1->3", failed.field());
        assertEquals("replace-member old=1 new=3 failed after 2140 ms: membership failed: leadership lost|(exit 1)",
            failed.problem());
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
