package io.paxlog.bench;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.client.ResponseListener;
import io.paxlog.core.Role;
import io.paxlog.node.Member;
import io.paxlog.node.NodeAgent;
import io.paxlog.node.NodeConfig;
import io.paxlog.node.PaxlogNode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Paxlog under the benchmark: a 3-node cluster in this JVM (each node its own embedded media driver, SHARED
 * threading, the settings' idle strategy, sync none, no periodic snapshots, as the Aeron Cluster baseline does
 * not snapshot either), hosting an {@link EchoMachine}; one pipelined {@link PaxlogClient} session. A response
 * comes after the message is committed by a majority and applied on the leader.
 */
public final class PaxlogTarget implements BenchTarget
{
    private static final int NODES = 3;
    private final PaxlogNode[] nodes = new PaxlogNode[NODES];
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[64 * 1024]);
    private BenchTarget.ResponseHandler handler;
    private PaxlogClient client;
    private Path root;
    private int length;
    private long failures;

    public String name()
    {
        return "paxlog";
    }

    public void start(final BenchSettings settings) throws Exception
    {
        root = Files.createTempDirectory(settings.tempRoot(), "paxlog-bench");
        final Member[] members = new Member[NODES];
        final StringBuilder list = new StringBuilder();
        for (int i = 0; i < NODES; i++)
        {
            members[i] = new Member(i, "127.0.0.1", freePort(), freePort());
            list.append(i == 0 ? "" : ",").append(i).append("=127.0.0.1:").append(members[i].consensusPort())
                .append(':').append(members[i].clientPort());
        }
        for (int i = 0; i < NODES; i++)
        {
            final Properties p = new Properties();
            p.setProperty(NodeConfig.MEMBERS_PROP, list.toString());
            p.setProperty("paxlog.node.id", Integer.toString(i));
            p.setProperty(NodeConfig.DIR_PROP, root.resolve("node" + i).toString());
            p.setProperty(NodeConfig.AERON_DIR_PROP, root.resolve("aeron" + i).toString());
            p.setProperty(NodeConfig.SYNC_PROP, "none");
            p.setProperty(NodeConfig.IDLE_PROP, settings.idleStrategy());
            p.setProperty(NodeConfig.SNAPSHOT_INTERVAL_PROP, "0");
            p.setProperty(NodeConfig.SNAPSHOT_INTERVAL_BYTES_PROP, "0");
            nodes[i] = PaxlogNode.start(NodeConfig.fromProperties(p).conclude(), new EchoMachine());
        }
        awaitLeader();
        length = 1 + settings.messageBytes();
        client = new PaxlogClient(new PaxlogClientContext()
            .members(members)
            .aeronDirectoryName(root.resolve("client").toString())
            .maxOutstanding(PaxlogClient.SESSION_WINDOW)
            .maxPayloadBytes(Math.max(64, length))
            .responseListener(new Listener()));
        client.command(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // opens the session
    }

    private void awaitLeader() throws InterruptedException
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline)
        {
            for (final PaxlogNode node : nodes)
            {
                final NodeAgent.NodeStatus s = node.agent().status();
                if (s != null && s.role() == Role.LEADER)
                {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("paxlog: no leader within 30 s");
    }

    public boolean offer(final long messageId, final long intendedSendNs)
    {
        message.putByte(0, (byte)0); // the echo machine's id in the host
        message.putLong(1, messageId, ByteOrder.LITTLE_ENDIAN);
        message.putLong(9, intendedSendNs, ByteOrder.LITTLE_ENDIAN);
        return client.offerCommand(message, 0, length) > 0;
    }

    public int poll(final BenchTarget.ResponseHandler handler)
    {
        this.handler = handler;
        return client.poll();
    }

    /**
     * The member that leads now as its nodes report it, or -1 when none does (or the nodes are not in this JVM).
     * Call between loads, from the caller's thread.
     */
    public int leaderId()
    {
        for (int i = 0; i < NODES; i++)
        {
            final PaxlogNode node = nodes[i];
            final NodeAgent.NodeStatus s = node == null ? null : node.agent().status();
            if (s != null && s.role() == Role.LEADER)
            {
                return i;
            }
        }
        return -1;
    }

    /** The name of the duty-cycle thread of member {@code id} in this JVM ({@code paxlog-node-ID}). */
    public static String nodeThreadName(final int id)
    {
        return "paxlog-node-" + id;
    }

    /**
     * The target's started client, for closed-loop calls (blocking commands and queries) between loads, from the
     * caller's thread. The echo machine (machine id 0) answers a command with its bytes and a query with the
     * number of commands it applied.
     */
    public PaxlogClient client()
    {
        return client;
    }

    /** Commands that failed (timed out or refused): the load counts them as lost. */
    public long failures()
    {
        return failures;
    }

    public void close()
    {
        CloseHelper.quietClose(client);
        for (int i = 0; i < NODES; i++)
        {
            CloseHelper.quietClose(nodes[i]);
            nodes[i] = null;
        }
        if (root != null)
        {
            try (Stream<Path> files = Files.walk(root))
            {
                for (final Path f : files.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(f);
                }
            }
            catch (final IOException ignored)
            {
                // best effort: the temp root is the OS's
            }
            root = null;
        }
    }

    private final class Listener implements ResponseListener
    {
        public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
            final int resultLength)
        {
            if (handler != null && resultLength >= 16)
            {
                handler.onResponse(result.getLong(offset, ByteOrder.LITTLE_ENDIAN),
                    result.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN));
            }
        }

        public void onFailure(final long sequence, final PaxlogException cause)
        {
            failures++;
        }
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }
}
