package io.paxlog.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-Aeron floor: what the network stack alone costs, with no consensus, no log and no storage.
 *
 * <ul>
 *   <li>{@code aeron-floor-1} ({@code hops = 1}): client &rarr; echo node &rarr; client.</li>
 *   <li>{@code aeron-floor-2} ({@code hops = 2}): client &rarr; node A &rarr; node B &rarr; node A &rarr; client,
 *       the shape of one leader-to-follower round trip inside a request (what a replicated log cannot do
 *       without).</li>
 * </ul>
 *
 * Every node and the client has its own embedded media driver (SHARED threading, the settings' idle strategy, its own
 * Aeron directory under the target's temp directory); all traffic is UDP unicast on 127.0.0.1, each node listening
 * on its own port. A node forwards each message unchanged from its subscription to the next publication in an Agrona
 * {@link Agent} on its own {@link AgentRunner} thread (idle strategy from the settings); a back-pressured forward is
 * retried (the fragment is aborted and polled again), so nothing is dropped. The client's publication and
 * subscription are used on the caller's thread, as {@link BenchTarget} requires.
 *
 * <p>In the {@link BenchSettings#PROCESSES} topology each node ({@link RelayNode}, the same class) runs in its own
 * child JVM ({@link AeronFloorNodeMain}, see {@link ChildJvms}); the client stays in the caller's JVM, and
 * {@link #start} returns once the client's publication and subscription are connected and every node reports all
 * its routes connected. A node's errors then go to its log ({@code node-a.log}, {@code node-b.log} in the target's
 * temporary directory) rather than to {@link #firstNodeError()}.
 */
public final class AeronFloorTarget implements BenchTarget
{
    static final int CLIENT_TO_A_STREAM = 1001;
    static final int A_TO_CLIENT_STREAM = 1002;
    static final int A_TO_B_STREAM = 1003;
    static final int B_TO_A_STREAM = 1004;
    private static final int FRAGMENT_LIMIT = RelayNode.FRAGMENT_LIMIT;
    private static final long CONNECT_TIMEOUT_MS = 10_000;
    /** Child JVMs start slower than threads (class loading, JIT, a media driver each). */
    private static final long PROCESSES_CONNECT_TIMEOUT_MS = 30_000;

    private final int hops;
    private final List<RelayNode> nodes = new ArrayList<>();
    private final List<String> childNames = new ArrayList<>();
    private ChildJvms children;
    private Path root;
    private MediaDriver clientDriver;
    private Aeron clientAeron;
    private Publication publication;
    private Subscription subscription;
    private UnsafeBuffer sendBuffer;
    private int messageBytes;
    private FragmentAssembler assembler;
    private ResponseHandler handler;

    /** @param hops 1 (client, echo node) or 2 (client, node A, node B) */
    public AeronFloorTarget(final int hops)
    {
        if (hops != 1 && hops != 2)
        {
            throw new IllegalArgumentException("hops must be 1 or 2, got " + hops);
        }
        this.hops = hops;
    }

    @Override
    public String name()
    {
        return "aeron-floor-" + hops;
    }

    @Override
    public void start(final BenchSettings settings) throws Exception
    {
        if (root != null)
        {
            throw new IllegalStateException(name() + " already started");
        }
        TargetSupport.checkPinning(settings, name());
        messageBytes = settings.messageBytes();
        root = TargetSupport.createTempDir(settings, name());
        try
        {
            final int[] ports = TargetSupport.freeUdpPorts(hops == 1 ? 2 : 3);
            final String clientChannel = channel(ports[0]);
            final String nodeAChannel = channel(ports[1]);
            final List<String> routesA = new ArrayList<>();
            final List<String> routesB = new ArrayList<>();
            if (hops == 1)
            {
                addRoute(routesA, nodeAChannel, CLIENT_TO_A_STREAM, clientChannel, A_TO_CLIENT_STREAM);
            }
            else
            {
                final String nodeBChannel = channel(ports[2]);
                addRoute(routesA, nodeAChannel, CLIENT_TO_A_STREAM, nodeBChannel, A_TO_B_STREAM);
                addRoute(routesB, nodeBChannel, A_TO_B_STREAM, nodeAChannel, B_TO_A_STREAM);
                addRoute(routesA, nodeAChannel, B_TO_A_STREAM, clientChannel, A_TO_CLIENT_STREAM);
            }
            if (!settings.processes())
            {
                createNode("node-a", routesA, settings);
                if (hops == 2)
                {
                    createNode("node-b", routesB, settings);
                }
            }

            clientDriver = MediaDriver.launch(
                TargetSupport.driverContext(settings, root.resolve("client").resolve("driver")));
            clientAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
            subscription = clientAeron.addSubscription(clientChannel, A_TO_CLIENT_STREAM);
            publication = clientAeron.addExclusivePublication(nodeAChannel, CLIENT_TO_A_STREAM);
            if (messageBytes > publication.maxMessageLength())
            {
                throw new IllegalArgumentException("messageBytes " + messageBytes + " > the publication's maximum " +
                    publication.maxMessageLength());
            }
            sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                BitUtil.align(messageBytes, 64), 64));
            final FragmentHandler delivery = this::onResponse;
            assembler = new FragmentAssembler(delivery);

            if (settings.processes())
            {
                children = new ChildJvms(name(), settings, root);
                startChild("node-a", routesA, settings);
                if (hops == 2)
                {
                    startChild("node-b", routesB, settings);
                }
                TargetSupport.await(() -> publication.isConnected() && subscription.isConnected() &&
                    childrenConnected(), PROCESSES_CONNECT_TIMEOUT_MS, name() + " to connect");
            }
            else
            {
                for (final RelayNode node : nodes)
                {
                    node.start();
                }
                TargetSupport.await(() -> publication.isConnected() && subscription.isConnected() &&
                    nodes.stream().allMatch(RelayNode::isConnected), CONNECT_TIMEOUT_MS, name() + " to connect");
            }
        }
        catch (final Exception | Error ex)
        {
            close();
            throw ex;
        }
    }

    private static void addRoute(final List<String> routes, final String inChannel, final int inStream,
        final String outChannel, final int outStream)
    {
        routes.addAll(List.of(inChannel, Integer.toString(inStream), outChannel, Integer.toString(outStream)));
    }

    /** An in-process node with its routes (four words each, as {@link AeronFloorNodeMain} takes them). */
    private void createNode(final String nodeName, final List<String> routes, final BenchSettings settings)
    {
        final RelayNode node = new RelayNode(nodeName, settings.idleStrategy(), root.resolve(nodeName));
        nodes.add(node);
        for (int i = 0; i < routes.size(); i += 4)
        {
            node.route(routes.get(i), Integer.parseInt(routes.get(i + 1)), routes.get(i + 2),
                Integer.parseInt(routes.get(i + 3)));
        }
    }

    private void startChild(final String nodeName, final List<String> routes, final BenchSettings settings)
        throws IOException
    {
        final Path dir = Files.createDirectories(root.resolve(nodeName));
        childNames.add(nodeName);
        children.start(nodeName, AeronFloorNodeMain.class,
            AeronFloorNodeMain.args(nodeName, dir, settings.idleStrategy(), routes));
    }

    /** Every child alive (else throws naming it) and reporting all its routes connected. */
    private boolean childrenConnected()
    {
        children.checkAlive();
        try
        {
            for (final String child : childNames)
            {
                final String status = TargetSupport.freshStatus(root.resolve(child).resolve("status"));
                if (status == null || !"true".equals(TargetSupport.statusField(status, "connected")))
                {
                    return false;
                }
            }
            return true;
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(name() + ": cannot read a node's status: " + ex, ex);
        }
    }

    private static String channel(final int port)
    {
        return "aeron:udp?endpoint=" + TargetSupport.HOST + ":" + port;
    }

    @Override
    public boolean offer(final long messageId, final long intendedSendNs)
    {
        TargetSupport.writeHeader(sendBuffer, 0, messageId, intendedSendNs);
        final long result = publication.offer(sendBuffer, 0, messageBytes);
        if (result > 0)
        {
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
        {
            throw new IllegalStateException(name() + ": client publication " + Publication.errorString(result));
        }
        return false;
    }

    @Override
    public int poll(final ResponseHandler handler)
    {
        this.handler = handler;
        return subscription.poll(assembler, FRAGMENT_LIMIT);
    }

    private void onResponse(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        handler.onResponse(TargetSupport.readId(buffer, offset), TargetSupport.readIntended(buffer, offset));
    }

    /** The first error an in-process node's agent hit, or null (always null for child JVMs: see their logs). */
    public Throwable firstNodeError()
    {
        for (final RelayNode node : nodes)
        {
            if (node.firstError != null)
            {
                return node.firstError;
            }
        }
        return null;
    }

    @Override
    public void close()
    {
        for (final RelayNode node : nodes)
        {
            node.stopAgent();
        }
        CloseHelper.quietCloseAll(subscription, publication, clientAeron, clientDriver);
        subscription = null;
        publication = null;
        clientAeron = null;
        clientDriver = null;
        for (final RelayNode node : nodes)
        {
            node.close();
        }
        nodes.clear();
        CloseHelper.quietClose(children);
        children = null;
        childNames.clear();
        TargetSupport.deleteDir(root);
        root = null;
    }
}
