package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.paxlog.client.PaxlogClient;
import io.paxlog.codecs.AcceptEncoder;
import io.paxlog.codecs.EntryType;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3, acceptance 7: 100,000 random frames thrown at a live node's consensus and client subscriptions. The
 * node keeps serving, its drop counter rises, and nothing is thrown out of the duty cycle.
 */
class FrameFuzzLiveNodeTest
{
    @Test
    void randomFramesAreDroppedAndCountedWhileTheClusterKeepsServing() throws Exception
    {
        try (InvokedCluster cluster = new InvokedCluster(3, "none"))
        {
            InvokedClusterTest.awaitLeader(cluster, 10_000);
            final int target = 0;
            final long droppedBefore = cluster.status(target).droppedFrames();
            final SplittableRandom random = new SplittableRandom(99);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2048]);
            final AcceptEncoder accept = new AcceptEncoder();
            final MessageHeaderEncoder header = new MessageHeaderEncoder();
            int offered = 0;
            try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(cluster.config(target).aeronDir()));
                PaxlogClient client = new PaxlogClient(cluster.members(), cluster.root.resolve("fuzz-client").toString(),
                    300_000_000L, 20_000_000_000L))
            {
                final Member m = cluster.members()[target];
                final Publication consensus =
                    aeron.addPublication(m.consensusChannel(), ProtocolLimits.CONSENSUS_STREAM);
                final Publication clients = aeron.addPublication(m.clientChannel(), ProtocolLimits.CLIENT_STREAM);
                while (!consensus.isConnected() || !clients.isConnected())
                {
                    Thread.sleep(1);
                }
                for (int i = 0; i < 100_000; i++)
                {
                    final int length;
                    if (random.nextBoolean())
                    {
                        length = 1 + random.nextInt(300);
                        for (int k = 0; k < length; k++)
                        {
                            buffer.putByte(k, (byte)random.nextInt(256));
                        }
                    }
                    else
                    {
                        // a well-formed accept from a fake member, then one random byte flipped or the frame cut
                        accept.wrapAndApplyHeader(buffer, 0, header).fromNodeId(random.nextInt(5) - 1)
                            .ballot(random.nextLong()).sendTimeNs(0).commitSlot(random.nextInt(10))
                            .firstSlot(random.nextInt(10));
                        final int entries = 1 + random.nextInt(3);
                        final AcceptEncoder.EntriesEncoder g = accept.entriesCount(entries);
                        for (int e = 0; e < entries; e++)
                        {
                            g.next().entryType(EntryType.COMMAND).sessionId(1).sequence(e).timestampNs(0)
                                .putPayload(new byte[] {1, 2, 3}, 0, 3);
                        }
                        final int full = MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength();
                        buffer.putByte(random.nextInt(full), (byte)random.nextInt(256));
                        length = random.nextBoolean() ? full : 1 + random.nextInt(full);
                    }
                    final Publication p = random.nextBoolean() ? consensus : clients;
                    while (p.offer(buffer, 0, length) < 0)
                    {
                        Thread.onSpinWait();
                    }
                    offered++;
                    if (i % 10_000 == 0)
                    {
                        client.command(CounterMachine.add("alive", 1));
                    }
                }
                for (int i = 0; i < 100; i++)
                {
                    client.command(CounterMachine.add("alive", 1));
                }
                Thread.sleep(200);
                final long dropped = cluster.status(target).droppedFrames() - droppedBefore;
                System.out.println("offered " + offered + " random frames; node " + target + " dropped " + dropped);
                assertTrue(dropped > 10_000, "drop counter rose: " + dropped);
                InvokedClusterTest.awaitConverged(cluster, 10_000);
                for (int i = 0; i < 3; i++)
                {
                    assertEquals(110, cluster.machines[i].valueOf("alive"), "node " + i + " kept applying");
                }
            }
        }
    }
}
