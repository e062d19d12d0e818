package io.paxlog.client;

import org.agrona.DirectBuffer;

/**
 * Receives the outcome of commands offered with {@link PaxlogClient#offerCommand}. Called on the client's thread
 * from inside {@link PaxlogClient#poll()} (or a blocking call that polls, or {@link PaxlogClient#close()}),
 * exactly once per sequence: either {@link #onResponse} or {@link #onFailure}.
 *
 * <p>A listener may call {@link PaxlogClient#offerCommand} and {@link PaxlogClient#commandAsync} (to keep the
 * pipeline full), but not {@code poll()} or the blocking calls. An exception thrown by the listener propagates out
 * of {@code poll()}; the outcome counts as delivered.
 */
public interface ResponseListener
{
    /**
     * Command {@code sequence} was applied at {@code slot} (0 when the answer came from the cluster's session cache,
     * that is, a retry of a command applied earlier). The result is {@code length} bytes of {@code result} from
     * {@code offset}; the buffer is reused and valid only during this call.
     */
    void onResponse(long sequence, long slot, DirectBuffer result, int offset, int length);

    /**
     * Command {@code sequence} failed: {@link PaxlogException.Timeout} (no answer within the call timeout; it may or
     * may not have been applied), {@link PaxlogException.Rejected} or {@link PaxlogException.SessionClosed}.
     */
    void onFailure(long sequence, PaxlogException cause);
}
