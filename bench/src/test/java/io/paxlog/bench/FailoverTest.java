package io.paxlog.bench;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FailoverTarget} in-process, Paxlog and Aeron Cluster alike: under a 2,000 msg/s open-loop load the leader is
 * killed once; writes are acknowledged again (the first answer to a message sent after the kill is the fail-over
 * time), the killed member is restarted during the load and rejoins, and a short load afterwards loses nothing.
 * Messages lost around the kill are reported, not failed.
 */
class FailoverTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path tempRoot;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"paxlog", "aeron-cluster"})
    void writesAreAcknowledgedAgainAfterTheLeaderIsKilledAndTheKilledMemberRejoins(final String name)
        throws Exception
    {
        failOver(name, BenchSettings.defaults().withTempRoot(tempRoot));
    }

    /** The same with every member in its own JVM: the leader is killed with SIGKILL. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"paxlog", "aeron-cluster"})
    void inProcessesTheLeaderIsKilledWithSigkillAndRestarted(final String name) throws Exception
    {
        failOver(name, BenchSettings.defaults().withTempRoot(tempRoot).withTopology(BenchSettings.PROCESSES));
    }

    private void failOver(final String name, final BenchSettings settings) throws Exception
    {
        try (FailoverTarget target = (FailoverTarget)BaselineMain.target(name))
        {
            target.start(settings);
            final FailoverRun run = FailoverRun.run(target, 2_000, 8_000 * MS, 1_000 * MS);
            System.out.println(run.result().summaryLine());
            System.out.printf(Locale.ROOT, "%s %s: killed member %d (the call took %.1f ms), first write " +
                "acknowledged %.1f ms after the kill, restarted member rejoined %.1f ms after the kill%n", name,
                settings.topology(), run.killedMember(), run.killCallNs() / 1e6, run.failoverNs() / 1e6,
                run.rejoinedNs() / 1e6);
            if (target instanceof AeronClusterTarget cluster)
            {
                System.out.println("new leader events " + cluster.newLeaderEvents() + ", sessions reopened " +
                    cluster.sessionsReopened() + ", dropped echoes " + cluster.droppedEchoes() + ", applied " +
                    java.util.Arrays.toString(cluster.messagesAppliedPerMember()));
            }
            assertNull(run.controllerError(), "kill and restart");
            assertTrue(run.killedMember() >= 0 && run.killedMember() < 3, "killed " + run.killedMember());
            assertTrue(run.failoverNs() > 0, "a write sent after the kill was acknowledged");
            assertTrue(run.rejoinedNs() > run.failoverNs(), "the killed member rejoined");

            final OpenLoopLoad.Result after = new OpenLoopLoad(1_000, 1_000 * MS, 200 * MS).run(target);
            System.out.println("after the restart: " + after.summaryLine());
            assertEquals(1_000, after.sent());
            assertEquals(0, after.lost(), "full strength again: " + after.summaryLine());
        }
        try (Stream<Path> left = Files.list(tempRoot))
        {
            assertEquals(0, left.count(), "close() deletes the target's directories");
        }
    }
}
