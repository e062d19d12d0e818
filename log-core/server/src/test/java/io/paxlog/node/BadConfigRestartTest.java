package io.paxlog.node;

import io.paxlog.testing.RepoRoot;
import io.paxlog.testing.ScratchDirs;
import io.paxlog.client.PaxlogClient;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node restarted with a bad configuration file (a paxlog.dir that is no path, an unknown planted bug, a number
 * that is not one, a members list whose host would inject Aeron channel parameters) stops at once with exit code 2
 * and one line naming the key, and touches nothing: restarted with its good file, it still has every command it had
 * journalled. Three members in child JVMs as ops/cluster runs them; all are stopped (SIGKILL) after the adds,
 * node 0 is started with each bad file, then all with their good files.
 */
class BadConfigRestartTest
{
    private static final int NODES = 3;
    private static final int ADDS = 20;

    @Test
    void aBadConfigFileExitsTwoNamingTheKeyAndTheJournalSurvivesIt() throws Exception
    {
        try (LocalProcessCluster cluster = new LocalProcessCluster(ScratchDirs.create("paxlog-bad-restart"),
            RepoRoot.path(), NODES, "batch"))
        {
            final Path root = cluster.root();
            cluster.startAll();
            assertTrue(cluster.awaitLeader(-1, 30_000) >= 0, "a leader; see " + root);
            try (PaxlogClient client = client(cluster, "client-before"))
            {
                for (int i = 0; i < ADDS; i++)
                {
                    client.command(CounterMachine.add("x", 1));
                }
            }
            for (int id = 0; id < NODES; id++)
            {
                cluster.kill(id);
            }

            final Path good = root.resolve("node0.properties");
            final String text = Files.readString(good);
            final String dirLine = text.lines().filter(l -> l.startsWith(NodeConfig.DIR_PROP + "=")).findFirst()
                .orElseThrow();
            final String membersLine = text.lines().filter(l -> l.startsWith(NodeConfig.MEMBERS_PROP + "="))
                .findFirst().orElseThrow();
            final String[][] bad = {
                {NodeConfig.DIR_PROP, text.replace(dirLine, dirLine + "\\u0000x")},
                {NodeConfig.PLANT_PROP, text + NodeConfig.PLANT_PROP + "=no-such-bug\n"},
                {NodeConfig.FRAME_LENGTH_MAX_PROP, text + NodeConfig.FRAME_LENGTH_MAX_PROP + "=lots\n"},
                {NodeConfig.MEMBERS_PROP, text.replace(membersLine, membersLine.replace("127.0.0.1",
                    "127.0.0.1|interface=10.9.9.9"))},
            };
            for (final String[] b : bad)
            {
                final Path config = root.resolve("node0-bad.properties");
                Files.writeString(config, b[1]);
                final NodeMainRun run = NodeMainRun.of(config);
                assertEquals(2, run.exit, b[0] + ": " + run.output);
                assertEquals(1, run.output.lines().count(), "one line: " + run.output);
                assertTrue(run.output.startsWith("paxlog node: bad configuration: " + b[0] + "="), run.output);
                assertFalse(run.output.contains("Exception"), run.output);
            }

            cluster.startAll();
            assertTrue(cluster.awaitLeader(-1, 30_000) >= 0, "a leader after the restart; see " + root);
            try (PaxlogClient client = client(cluster, "client-after"))
            {
                client.command(CounterMachine.add("x", 1));
                assertEquals(ADDS + 1, CounterMachine.valueOf(client.query(CounterMachine.get("x"), ReadConsistency.LINEARIZABLE, 0).value()),
                    "every journalled add is still there, and one more");
                final long deadline = System.currentTimeMillis() + 30_000;
                long atNode0 = -1;
                while (atNode0 != ADDS + 1 && System.currentTimeMillis() < deadline)
                {
                    atNode0 = CounterMachine.valueOf(client.queryMember(0, CounterMachine.get("x")).value());
                    Thread.sleep(atNode0 == ADDS + 1 ? 0 : 100);
                }
                assertEquals(ADDS + 1, atNode0, "node 0, refused twice, applies the same log");
            }
        }
    }

    private static PaxlogClient client(final LocalProcessCluster cluster, final String name)
    {
        return new PaxlogClient(cluster.members(), cluster.root().resolve(name).toString(), 250_000_000L,
            30_000_000_000L);
    }

    /** NodeMain run in a child JVM until it exits (at most 60 s): its exit code and its output, trimmed. */
    static final class NodeMainRun
    {
        final int exit;
        final String output;

        private NodeMainRun(final int exit, final String output)
        {
            this.exit = exit;
            this.output = output;
        }

        static NodeMainRun of(final Path config) throws IOException, InterruptedException
        {
            final Path log = Files.createTempFile("paxlog-nodemain", ".log");
            final Process process = LocalProcessCluster.launchJvm(RepoRoot.path(), List.of(), NodeMain.class.getName(),
                List.of("--config", config.toString()), log);
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor();
                throw new AssertionError("NodeMain did not stop within 60 s: " + Files.readString(log));
            }
            final String output = Files.readString(log).trim();
            Files.delete(log);
            return new NodeMainRun(process.exitValue(), output);
        }
    }
}
