package io.paxlog.client;

import org.agrona.DirectBuffer;

import java.util.concurrent.CompletableFuture;

/**
 * Hands each command's outcome, once, to whoever waits for it: the blocking {@link PaxlogClient#command} call
 * awaiting that sequence, else the future of a {@link PaxlogClient#commandAsync} call (kept per window cell), else
 * the {@link ResponseListener} (if any). The {@link CommandWindow} frees the command's cell first, so a callback
 * sees the window with that place free.
 *
 * <p>Delivery to the listener allocates nothing (the result is a view, valid during the call); a blocking call's
 * or a future's result is copied.
 *
 * <p>Threading: owned by one {@link PaxlogClient} and used on its thread only; callbacks run on that thread.
 */
final class CommandOutcomes
{
    private final ResponseListener listener;
    private final CompletableFuture<PaxlogClient.Result>[] futures;

    private long awaitedSequence;
    private boolean awaitedDone;
    private byte[] awaitedResult;
    private long awaitedSlot;
    private PaxlogException awaitedFailure;

    @SuppressWarnings("unchecked")
    CommandOutcomes(final ResponseListener listener, final int cells)
    {
        this.listener = listener;
        this.futures = new CompletableFuture[cells];
    }

    /** The future completed with the outcome of the command in {@code cell} (null: none). */
    void future(final int cell, final CompletableFuture<PaxlogClient.Result> future)
    {
        futures[cell] = future;
    }

    /** The next outcome of {@code sequence} goes to the blocking call (not to a future or the listener). */
    void await(final long sequence)
    {
        awaitedSequence = sequence;
        awaitedDone = false;
        awaitedFailure = null;
    }

    boolean awaitedDone()
    {
        return awaitedDone;
    }

    /** The awaited command's result; throws its failure. */
    PaxlogClient.Result awaitedResult()
    {
        if (awaitedFailure != null)
        {
            throw awaitedFailure;
        }
        return new PaxlogClient.Result(awaitedResult, awaitedSlot);
    }

    /** The blocking call is over (answered, failed, or left by an exception). */
    void stopAwaiting()
    {
        awaitedSequence = 0;
        awaitedResult = null;
        awaitedFailure = null;
    }

    /** Command {@code sequence}, in {@code cell}, was answered OK; {@code result} is all its capacity. */
    void onResponse(final int cell, final long sequence, final long slot, final DirectBuffer result)
    {
        final CompletableFuture<PaxlogClient.Result> future = futures[cell];
        futures[cell] = null;
        if (sequence == awaitedSequence)
        {
            awaitedResult = copy(result);
            awaitedSlot = slot;
            awaitedDone = true;
        }
        else if (future != null)
        {
            future.complete(new PaxlogClient.Result(copy(result), slot));
        }
        else if (listener != null)
        {
            listener.onResponse(sequence, slot, result, 0, result.capacity());
        }
    }

    /** Command {@code sequence}, in {@code cell}, failed. */
    void onFailure(final int cell, final long sequence, final PaxlogException cause)
    {
        final CompletableFuture<PaxlogClient.Result> future = futures[cell];
        futures[cell] = null;
        if (sequence == awaitedSequence)
        {
            awaitedFailure = cause;
            awaitedDone = true;
        }
        else if (future != null)
        {
            future.completeExceptionally(cause);
        }
        else if (listener != null)
        {
            listener.onFailure(sequence, cause);
        }
    }

    private static byte[] copy(final DirectBuffer result)
    {
        final byte[] bytes = new byte[result.capacity()];
        result.getBytes(0, bytes);
        return bytes;
    }
}
