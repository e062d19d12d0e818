package io.paxlog.bench;

import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import io.paxlog.protocol.IdleStrategies;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-Aeron floor node ({@link AeronFloorTarget}): its own embedded media driver (SHARED threading, the given idle
 * strategy, directory {@code dir/driver}) and Aeron client, and an agent forwarding each route's messages unchanged
 * from its subscription to its publication. The same class runs in the caller's JVM (in-process topology) and in a
 * child JVM ({@link AeronFloorNodeMain}).
 *
 * <p>Threading: {@link #route} is called before {@link #start}, from the thread that created the node; after
 * {@code start} only the agent's own thread touches the routes. {@link #isConnected} may be called from any thread.
 * {@link #close} stops the agent first, then closes everything.
 */
final class RelayNode implements Agent, AutoCloseable
{
    static final int FRAGMENT_LIMIT = 64;

    private final String name;
    private final String idleStrategy;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final List<Route> routes = new ArrayList<>();
    private volatile Route[] routeArray = new Route[0];
    private AgentRunner runner;
    volatile Throwable firstError;

    /** @param idleStrategy a {@link BenchSettings#IDLE_STRATEGIES} name, for the driver and the agent */
    RelayNode(final String name, final String idleStrategy, final Path dir)
    {
        this.name = name;
        this.idleStrategy = idleStrategy;
        MediaDriver d = null;
        Aeron c = null;
        try
        {
            d = MediaDriver.launch(TargetSupport.driverContext(IdleStrategies.create(idleStrategy),
                dir.resolve("driver")));
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

    /** Forwards every message of {@code inChannel}/{@code inStream} to {@code outChannel}/{@code outStream}. */
    void route(final String inChannel, final int inStream, final String outChannel, final int outStream)
    {
        final Publication out = aeron.addExclusivePublication(outChannel, outStream);
        final Subscription in = aeron.addSubscription(inChannel, inStream);
        routes.add(new Route(in, out));
        routeArray = routes.toArray(new Route[0]);
    }

    /** Starts the forwarding agent on its own thread. */
    void start()
    {
        runner = new AgentRunner(IdleStrategies.create(idleStrategy), this::onError, null, this);
        AgentRunner.startOnThread(runner);
    }

    /** True when every route's publication has a subscriber connected. */
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
