package io.paxlog.auth;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * SPI: computes and checks the tag that authenticates a consensus frame between members. The node builds the
 * envelope around it (cluster id, sender id, SBE frame, tag; docs/architecture.md "Frame envelope") and checks the
 * cluster id and sender itself; an authenticator only answers "is this the tag of these bytes". The default is
 * {@link HmacFrameAuthenticator} (HMAC-SHA256 truncated to 128 bits with the cluster secret). Plug another one in
 * with {@code paxlog.cluster.authenticator=CLASS} (a public constructor taking the node's
 * {@link java.util.Properties}) or {@code NodeConfig.frameAuthenticator(factory)}.
 *
 * <p><b>Threading.</b> Each node creates its own instance and calls it only on its duty-cycle thread: to sign every
 * frame it sends and to verify every frame it receives. It is never called concurrently.
 *
 * <p><b>Allocation.</b> {@link #sign} and {@link #verify} run once per frame on the hot path and must not allocate:
 * reuse digests and scratch arrays created in the constructor ({@code javax.crypto.Mac.doFinal} allocates; see
 * {@link HmacSha256}).
 *
 * <p><b>Determinism.</b> The tag must be a pure function of the key material and the bytes: no clock, no counter,
 * no randomness, no per-peer state. A frame is verified on arrival and again never; a frame delayed, duplicated or
 * reordered by the network must still verify. Freshness is not the authenticator's job: replayed frames are harmless
 * because Paxos ballots, slots and echoed send times already make every consensus message idempotent or stale.
 * {@link #verify} must compare in constant time.
 *
 * <p><b>Durability.</b> An authenticator keeps no state that must survive a restart; its keys are configuration.
 * Every member must be configured so that each one's {@link #sign} verifies at every other (the same secret, or
 * during a rotation the new secret accepted everywhere before anyone signs with it).
 */
public interface FrameAuthenticator
{
    /** Bytes of the tag appended to every frame; constant for the instance's life, 8..64. */
    int tagLength();

    /**
     * Computes the tag of {@code length} bytes at {@code offset} of {@code buffer} and writes its
     * {@link #tagLength()} bytes at {@code tagOffset} of the same buffer (outside the signed range).
     */
    void sign(MutableDirectBuffer buffer, int offset, int length, int tagOffset);

    /**
     * Whether the {@link #tagLength()} bytes at {@code tagOffset} of {@code buffer} are a valid tag of
     * {@code length} bytes at {@code offset}. Must not throw for any bytes in range.
     */
    boolean verify(DirectBuffer buffer, int offset, int length, int tagOffset);
}
