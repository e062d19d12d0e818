package io.paxlog.node;

import io.aeron.Aeron;
import org.agrona.concurrent.status.CountersReader;
import io.paxlog.client.PaxlogClient;
import io.paxlog.core.Role;
import io.paxlog.sm.CounterMachine;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's figures are Aeron counters in its media driver, as AeronStat reads them. */
class NodeCountersTest
{
    /** Label suffix -> value of node {@code id}'s counters, read from its driver's counters file. */
    static Map<String, Long> read(final InvokedCluster cluster, final int id)
    {
        final Map<String, Long> values = new HashMap<>();
        try (Aeron aeron = Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(cluster.config(id).aeronDir())))
        {
            final CountersReader reader = aeron.countersReader();
            final String prefix = "paxlog node " + id + ": ";
            reader.forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (label.startsWith(prefix) && typeId >= NodeCounters.TYPE_ID_BASE &&
                    typeId < NodeCounters.TYPE_ID_BASE + NodeCounters.NAMES.length)
                {
                    values.put(label.substring(prefix.length()), reader.getCounterValue(counterId));
                }
            });
        }
        return values;
    }

    @Test
    void everyNodePublishesRoleBallotCommitAppliedLeaseAndDrops() throws Exception
    {
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            final int leader = InvokedClusterTest.awaitLeader(cluster, 10_000);
            try (PaxlogClient client = new PaxlogClient(cluster.members(),
                cluster.root.resolve("client").toString(), 300_000_000L, 20_000_000_000L))
            {
                for (int i = 0; i < 50; i++)
                {
                    client.command(CounterMachine.add("x", 1));
                }
            }
            Thread.sleep(100); // two status intervals
            for (int id = 0; id < 3; id++)
            {
                final Map<String, Long> v = read(cluster, id);
                System.out.println("node " + id + " counters: " + v);
                assertEquals(NodeCounters.NAMES.length, v.size(), "node " + id + ": " + v);
                assertEquals(id == leader ? Role.LEADER.ordinal() : Role.FOLLOWER.ordinal(), v.get("role"));
                assertTrue(v.get("applied slot") >= 50, "node " + id + ": " + v);
                assertTrue(v.get("commit slot") >= v.get("applied slot"), "node " + id + ": " + v);
                assertTrue(v.get("ballot") > 0, "node " + id + ": " + v);
                assertEquals(0L, v.get("dropped frames"));
                if (id == leader)
                {
                    assertTrue(v.get("lease remaining ns") > 0, "leader: " + v);
                }
            }
        }
    }
}
