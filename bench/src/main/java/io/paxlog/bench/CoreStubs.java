package io.paxlog.bench;

import io.paxlog.core.CommitListener;
import io.paxlog.core.Entry;
import io.paxlog.core.Journal;
import io.paxlog.core.NackReason;
import io.paxlog.core.Outbox;
import io.paxlog.core.Role;

/**
 * Do-nothing core SPIs for benchmarks that measure the pure core or a journal alone: a journal that keeps nothing,
 * an outbox that sends nothing, a listener that ignores everything. Stateless, so shared.
 */
public final class CoreStubs
{
    private CoreStubs()
    {
    }

    public static final Journal NO_JOURNAL = new Journal()
    {
        public void appendPromise(final long ballot)
        {
        }

        public void appendAccepted(final long slot, final long ballot, final Entry entry)
        {
        }

        public void appendCommit(final long commitSlot)
        {
        }

        public void startSegment(final long baseSlot)
        {
        }

        public void replay(final Replay handler)
        {
        }
    };

    public static final CommitListener NO_LISTENER = new CommitListener()
    {
        public void onCommitted(final long slot, final long ballot, final Entry entry)
        {
        }

        public void onRoleChange(final Role newRole, final long ballot, final long nowNs, final String reason)
        {
        }
    };

    public static final Outbox NO_OUTBOX = new Outbox()
    {
        public void prepare(final int to, final long ballot, final long fromSlot, final long sendTimeNs)
        {
        }

        public void promise(final int to, final long ballot, final long echoSendTimeNs, final long commitSlot,
            final long coverFromSlot, final long coverToSlot, final long[] slots, final long[] ballots,
            final Entry[] entries, final int first, final int count)
        {
        }

        public void nack(final int to, final long rejectedBallot, final long promisedBallot,
            final long leaseRemainingNs, final long commitSlot, final NackReason reason)
        {
        }

        public void accept(final int to, final long ballot, final long sendTimeNs, final long commitSlot,
            final long firstSlot, final Entry[] entries, final int count)
        {
        }

        public void accepted(final int to, final long ballot, final long echoSendTimeNs, final long ackSlot)
        {
        }

        public void installSnapshot(final int to, final long ballot)
        {
        }

        public void catchupRequest(final int to, final long fromSlot)
        {
        }

        public void catchupResponse(final int to, final long firstSlot, final long[] ballots, final Entry[] entries,
            final int count)
        {
        }
    };
}
