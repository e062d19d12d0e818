package io.paxlog.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.ControlledFragmentAssembler;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.UnsafeBuffer;

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
 */
public final class AeronFloorTarget implements BenchTarget
{
    static final int CLIENT_TO_A_STREAM = 1001;
    static final int A_TO_CLIENT_STREAM = 1002;
    static final int A_TO_B_STREAM = 1003;
    static final int B_TO_A_STREAM = 1004;
    private static final int FRAGMENT_LIMIT = 64;
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    private final int hops;
    private final List<RelayNode> nodes = new ArrayList<>();
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
        messageBytes = settings.messageBytes();
        root = TargetSupport.createTempDir(settings, name());
        try
        {
            final int[] ports = TargetSupport.freeUdpPorts(hops == 1 ? 2 : 3);
            final String clientChannel = channel(ports[0]);
            final String nodeAChannel = channel(ports[1]);

            final RelayNode a = new RelayNode("node-a", settings, root.resolve("node-a"));
            nodes.add(a);
            if (hops == 1)
            {
                a.route(nodeAChannel, CLIENT_TO_A_STREAM, clientChannel, A_TO_CLIENT_STREAM);
            }
            else
            {
                final String nodeBChannel = channel(ports[2]);
                final RelayNode b = new RelayNode("node-b", settings, root.resolve("node-b"));
                nodes.add(b);
                a.route(nodeAChannel, CLIENT_TO_A_STREAM, nodeBChannel, A_TO_B_STREAM);
                b.route(nodeBChannel, A_TO_B_STREAM, nodeAChannel, B_TO_A_STREAM);
                a.route(nodeAChannel, B_TO_A_STREAM, clientChannel, A_TO_CLIENT_STREAM);
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

            for (final RelayNode node : nodes)
            {
                node.start(settings);
            }
            TargetSupport.await(() -> publication.isConnected() && subscription.isConnected() &&
                nodes.stream().allMatch(RelayNode::isConnected), CONNECT_TIMEOUT_MS, name() + " to connect");
        }
        catch (final Exception | Error ex)
        {
            close();
            throw ex;
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

    /** The first error a node's agent hit, or null. */
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
        TargetSupport.deleteDir(root);
        root = null;
    }

    /** A node: its own media driver and Aeron client, and an agent forwarding each route's messages. */
    private static final class RelayNode implements Agent, AutoCloseable
    {
        private final String name;
        private final MediaDriver driver;
        private final Aeron aeron;
        private final List<Route> routes = new ArrayList<>();
        private Route[] routeArray = new Route[0];
        private AgentRunner runner;
        volatile Throwable firstError;

        RelayNode(final String name, final BenchSettings settings, final Path dir)
        {
            this.name = name;
            MediaDriver d = null;
            Aeron c = null;
            try
            {
                d = MediaDriver.launch(TargetSupport.driverContext(settings, dir.resolve("driver")));
                c = Aeron.connect(new Aeron.Context().aeronDirectoryName(d.aeronDirectoryName()));
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietCloseAll(c, d);
                throw ex;
            }
            this.driver = d;
            this.aeron = c;
        }

        void route(final String inChannel, final int inStream, final String outChannel, final int outStream)
        {
            final Publication out = aeron.addExclusivePublication(outChannel, outStream);
            final Subscription in = aeron.addSubscription(inChannel, inStream);
            routes.add(new Route(in, out));
            routeArray = routes.toArray(new Route[0]);
        }

        void start(final BenchSettings settings)
        {
            runner = new AgentRunner(settings.newIdleStrategy(), this::onError, null, this);
            AgentRunner.startOnThread(runner);
        }

        boolean isConnected()
        {
            for (final Route route : routeArray)
            {
                if (!route.out.isConnected())
                {
                    return false;
                }
            }
            return true;
        }

        private void onError(final Throwable ex)
        {
            if (firstError == null)
            {
                firstError = ex;
            }
            ex.printStackTrace();
        }

        @Override
        public int doWork()
        {
            int work = 0;
            for (final Route route : routeArray)
            {
                work += route.in.controlledPoll(route.assembler, FRAGMENT_LIMIT);
            }
            return work;
        }

        @Override
        public String roleName()
        {
            return "bench-floor-" + name;
        }

        void stopAgent()
        {
            CloseHelper.quietClose(runner);
            runner = null;
        }

        @Override
        public void close()
        {
            stopAgent();
            for (final Route route : routes)
            {
                CloseHelper.quietCloseAll(route.in, route.out);
            }
            routes.clear();
            routeArray = new Route[0];
            CloseHelper.quietCloseAll(aeron, driver);
        }
    }

    /** Forwards each message from {@code in} to {@code out}; a message that cannot be sent now is polled again. */
    private static final class Route implements ControlledFragmentHandler
    {
        final Subscription in;
        final Publication out;
        final ControlledFragmentAssembler assembler;

        Route(final Subscription in, final Publication out)
        {
            this.in = in;
            this.out = out;
            this.assembler = new ControlledFragmentAssembler(this);
        }

        @Override
        public Action onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            final long result = out.offer(buffer, offset, length);
            if (result > 0)
            {
                return Action.CONTINUE;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("forward failed: " + Publication.errorString(result));
            }
            return Action.ABORT;
        }
    }
}
