package io.paxlog.node;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.client.PaxlogException;
import io.paxlog.client.ResponseListener;
import io.paxlog.protocol.Member;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * One client session keeping {@code inFlight} commands in flight until stopped, then until all are answered (run it
 * on a thread of its own). Ids are the sequences, so the acknowledged ones are known exactly ({@link #acked},
 * {@link #idSum}); the call timeout is long enough that nothing times out across the kills and failures the tests
 * cause (a timeout would leave a command uncertain and fail the test: {@link #failure}).
 */
final class CommandPump implements Runnable, ResponseListener
{
    /** Writes command {@code id} into {@code buffer} from offset 0; returns its length. */
    @FunctionalInterface
    interface Encoder
    {
        int encode(UnsafeBuffer buffer, long id);
    }

    private final Member[] members;
    private final String aeronDir;
    private final int inFlight;
    private final int maxCommandBytes;
    private final Encoder encoder;
    private final UnsafeBuffer command;
    volatile boolean stop;
    volatile long acked;
    volatile int outstanding;
    volatile long idSum;
    volatile Throwable failure;

    CommandPump(final Member[] members, final String aeronDir, final int inFlight, final int maxCommandBytes,
        final Encoder encoder)
    {
        this.members = members;
        this.aeronDir = aeronDir;
        this.inFlight = inFlight;
        this.maxCommandBytes = maxCommandBytes;
        this.encoder = encoder;
        this.command = new UnsafeBuffer(ByteBuffer.allocateDirect(maxCommandBytes));
    }

    public void run()
    {
        final PaxlogClientContext context = new PaxlogClientContext().members(members)
            .aeronDirectoryName(aeronDir).attemptTimeoutNs(500_000_000L).callTimeoutNs(60_000_000_000L)
            .maxOutstanding(inFlight).maxPayloadBytes(Math.max(maxCommandBytes, 16)).responseListener(this);
        try (PaxlogClient client = new PaxlogClient(context))
        {
            while (!stop || client.outstanding() > 0)
            {
                while (!stop && client.outstanding() < inFlight)
                {
                    final int length = encoder.encode(command, client.lastSequence() + 1);
                    if (client.offerCommand(command, 0, length) < 0)
                    {
                        break;
                    }
                }
                client.poll();
                outstanding = client.outstanding();
                if (failure != null)
                {
                    return;
                }
            }
        }
        catch (final Throwable t)
        {
            failure = t;
        }
    }

    public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
        final int length)
    {
        acked++;
        idSum += sequence;
    }

    public void onFailure(final long sequence, final PaxlogException cause)
    {
        if (failure == null)
        {
            failure = new AssertionError("command " + sequence + " failed: " + cause);
        }
    }
}
