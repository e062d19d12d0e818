package io.paxlog.ops;

import io.paxlog.client.FollowerLag;
import io.paxlog.client.NodeStatusReport;
import io.paxlog.protocol.Member;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin command line: usage errors exit 2 before anything starts; a report prints as one line. */
class AdminMainTest
{
    private static int run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        return AdminMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsExitTwo()
    {
        final String members = "0=127.0.0.1:1:2,1=127.0.0.1:3:4";
        assertEquals(2, run());
        assertEquals(2, run("stats", "--members", members));
        assertEquals(2, run("status"));
        assertEquals(2, run("status", "--members", members, "--dir", "/tmp"));
        assertEquals(2, run("status", "--members", "0=nohost"));
        assertEquals(2, run("status", "--members", members, "--node", "2"));
        assertEquals(2, run("status", "--members", members, "--timeout-ms", "0"));
        assertEquals(2, run("status", "--members", members, "--bogus"));
        assertEquals(2, run("status", "--members", members, "--clear"));
        assertEquals(2, run("fault", "--members", members, "--delay-ms", "5"));
        assertEquals(2, run("fault", "--members", members, "--node", "0"));
        assertEquals(2, run("fault", "--members", members, "--node", "0", "--delay-ms", "5", "--clear"));
        assertEquals(2, run("fault", "--members", members, "--node", "0", "--delay-ms", "-1"));
        assertEquals(2, run("fault", "--members", members, "--node", "0", "--delay-ms", "0"));
        assertEquals(2, run("status", "--dir", "/nonexistent-paxlog-dir"));
        assertEquals(2, run("add-member", "--members", members));
        assertEquals(2, run("add-member", "--members", members, "--member", "3=127.0.0.1:1"));
        assertEquals(2, run("add-member", "--members", members, "--member", "64=127.0.0.1:1:2"));
        assertEquals(2, run("add-member", "--members", members, "--member", "3=127.0.0.1:1:2", "--node", "1"));
        assertEquals(2, run("add-member", "--members", members, "--member", "3=127.0.0.1:1:2", "--w", "2"));
        assertEquals(2, run("remove-member", "--members", members));
        assertEquals(2, run("remove-member", "--members", members, "--node", "1", "--member", "3=127.0.0.1:1:2"));
        assertEquals(2, run("replace-member", "--members", members, "--node", "1"));
        assertEquals(2, run("replace-member", "--members", members, "--node", "1", "--member", "1=127.0.0.1:1:2"));
        assertEquals(2, run("status", "--members", members, "--w", "2", "--r", "2"));
        assertEquals(0, run("--help"));
    }

    @Test
    void reportLine()
    {
        final NodeStatusReport leader = new NodeStatusReport(0, "leader", (3L << 32) | 0, 0, 120, 119, 180_000_000L,
            100, 1, 2, 0, 0, List.of(new FollowerLag(1, 120, 0, 3_400_000L), new FollowerLag(2, 100, 20, -1)),
            0b0111, 0b1000, "voters=[0,1,2] learners=[3] W=2 R=2 committed members=...");
        assertEquals("node=0 role=leader ballot=" + io.paxlog.core.Ballot.toString((3L << 32) | 0) +
            " leader=0 commit=120 applied=119 lease_ms=180 snapshot=100 dropped_frames=1 dropped_sends=2 " +
            "delayed_frames=0 followers=1:lag=0:ack_ms=3,2:lag=20:ack_ms=- members=0:voter,1:voter,2:voter,3:learner",
            AdminMain.line(leader));
        final NodeStatusReport follower = new NodeStatusReport(1, "follower", 5, -1, 0, 0, 0, 0, 0, 0, 7, 50_000_000L,
            List.of());
        assertEquals("node=1 role=follower ballot=" + io.paxlog.core.Ballot.toString(5) + " leader=-1 commit=0 " +
            "applied=0 lease_ms=0 snapshot=0 dropped_frames=0 dropped_sends=0 delayed_frames=7 followers=- members=-",
            AdminMain.line(follower));
    }

    @Test
    void aChangeWhoseConfigurationIsCommittedAlreadyIsDone()
    {
        final Member three = new Member(3, "127.0.0.1", 20007, 20008);
        final NodeStatusReport replaced = report(0b1110, 0, " committed ");
        assertTrue(AdminMain.holds(replaced, three, 0), "3 votes and 0 is gone: replace 0 by 3 is done");
        assertTrue(AdminMain.holds(replaced, three, -1));
        assertTrue(AdminMain.holds(replaced, null, 0));
        assertFalse(AdminMain.holds(replaced, null, 1), "1 is still a member");
        assertFalse(AdminMain.holds(report(0b0111, 0b1000, " committed "), three, -1), "3 is only a learner");
        assertFalse(AdminMain.holds(report(0b1110, 0, " pending "), three, 0), "not committed yet");
    }

    private static NodeStatusReport report(final long voters, final long learners, final String state)
    {
        return new NodeStatusReport(1, "leader", 5, 1, 10, 10, 0, 0, 0, 0, 0, 0, List.of(), voters, learners,
            "voters=[..] learners=[..] W=2 R=2" + state + "members=...");
    }
}
