package io.paxlog.sim;

import io.paxlog.core.Entry;
import io.paxlog.core.NackReason;
import io.paxlog.core.Outbox;

import java.util.Arrays;

/** An {@link Outbox} that copies each call into a {@link Msg} record and hands it on. */
abstract class MsgOutbox implements Outbox
{
    /** Takes one outgoing message; the record owns copies of every array. */
    protected abstract void emit(int to, Msg msg);

    /** Accepts go through here so subclasses can observe or hold them; by default they are emitted. */
    protected void emitAccept(final int to, final Msg.Accept accept)
    {
        emit(to, accept);
    }

    public void prepare(final int to, final long ballot, final long fromSlot, final long sendTimeNs)
    {
        emit(to, new Msg.Prepare(ballot, fromSlot, sendTimeNs));
    }

    public void promise(final int to, final long ballot, final long echoSendTimeNs, final long commitSlot,
        final long coverFromSlot, final long coverToSlot, final long[] slots, final long[] ballots,
        final Entry[] entries, final int first, final int count)
    {
        emit(to, new Msg.Promise(ballot, echoSendTimeNs, commitSlot, coverFromSlot, coverToSlot,
            Arrays.copyOfRange(slots, first, first + count), Arrays.copyOfRange(ballots, first, first + count),
            copyOf(entries, first, count)));
    }

    public void nack(final int to, final long rejectedBallot, final long promisedBallot, final long leaseRemainingNs,
        final long commitSlot, final NackReason reason)
    {
        emit(to, new Msg.Nack(rejectedBallot, promisedBallot, leaseRemainingNs, commitSlot, reason));
    }

    public void accept(final int to, final long ballot, final long sendTimeNs, final long commitSlot,
        final long firstSlot, final Entry[] entries, final int count)
    {
        emitAccept(to, new Msg.Accept(ballot, sendTimeNs, commitSlot, firstSlot, copyOf(entries, count)));
    }

    public void accepted(final int to, final long ballot, final long echoSendTimeNs, final long ackSlot)
    {
        emit(to, new Msg.Accepted(ballot, echoSendTimeNs, ackSlot));
    }

    public void installSnapshot(final int to, final long ballot)
    {
        final Msg snapshot = snapshotFor(ballot);
        if (snapshot != null)
        {
            emit(to, snapshot);
        }
    }

    /** The snapshot message to send: the runtime's state machines at its applied slot (null: cannot send one). */
    protected Msg snapshotFor(final long ballot)
    {
        return null;
    }

    public void catchupRequest(final int to, final long fromSlot)
    {
        emit(to, new Msg.CatchupRequest(fromSlot));
    }

    public void catchupResponse(final int to, final long firstSlot, final long[] ballots, final Entry[] entries,
        final int count)
    {
        emit(to, new Msg.CatchupResponse(firstSlot, Arrays.copyOf(ballots, count), copyOf(entries, count)));
    }

    /** Deep copies: the core's entries are reused holders, valid only during the call. */
    static Entry[] copyOf(final Entry[] entries, final int count)
    {
        return copyOf(entries, 0, count);
    }

    static Entry[] copyOf(final Entry[] entries, final int first, final int count)
    {
        final Entry[] copies = new Entry[count];
        for (int i = 0; i < count; i++)
        {
            copies[i] = entries[first + i].copy();
        }
        return copies;
    }
}
