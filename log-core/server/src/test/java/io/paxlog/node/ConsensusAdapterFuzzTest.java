package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.Journal;
import io.paxlog.core.NackReason;
import io.paxlog.core.Outbox;
import io.paxlog.core.Role;
import io.paxlog.auth.HmacFrameAuthenticator;
import io.paxlog.sm.Machines;
import io.paxlog.sm.ResponseSink;
import io.paxlog.sm.StateMachineHost;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input (issue 7): what a node does with a hostile datagram on its consensus channel. Arbitrary
 * frames go through the node's real receive path: a {@link ConsensusAdapter} with the {@link FrameEnvelope} a node
 * builds when members authenticate (cluster id, sender, HMAC-SHA256/128 tag checked before any decoding), the SBE
 * decoders behind it, and a real {@link ConsensusNode} core (member {@link ConsensusFrames#RECEIVER} of 3, journal
 * and outbox in memory) with a real {@link SnapshotTransfer} receiving snapshot chunks into a real host, ticked
 * between frames as the duty cycle would.
 *
 * <p>Input: one byte (bit 0: authentication on, as a secured node; off, as a node without secrets), then frames as
 * {@code [mode: 1 byte][length: 2 bytes big-endian][bytes]}, each placed alone in a buffer of exactly its length (a
 * read past the frame end would throw). Mode {@link #AS_SENT}: the bytes arrive as they are (an outsider, who cannot
 * know the key). Mode {@link #SEAL}: the bytes are an envelope prefix and an SBE frame, sealed here with the cluster
 * key (a member with the key sending anything: a buggy or compromised peer), so fuzzed SBE content gets past the
 * tag; without authentication the SBE frame arrives bare. The seeds are valid frames of every message kind as a
 * member's own publisher seals them ({@link ConsensusFrames}).
 *
 * <p>Properties: nothing escapes the adapter or the core's tick and flush; every frame is counted exactly once, as
 * received or as dropped; with authentication on, a frame whose envelope fails an independent check (length, cluster
 * id, a member other than the receiver, the tag recomputed with {@code javax.crypto.Mac}) is dropped and counted
 * under exactly one envelope reason, and one that passes it is counted under none; an SBE frame the
 * {@link FrameChecker} (same limits) rejects is dropped; a frame received names a member as its sender, and with
 * authentication on the envelope's sender.
 */
class ConsensusAdapterFuzzTest
{
    static final String METHOD = "hostileDatagramsAreDroppedAndCountedNeverThrown";
    static final int FRAME_LENGTH_MAX = 64 * 1024;
    static final byte AUTHENTICATED = 1;
    static final byte AS_SENT = 0;
    static final byte SEAL = 1;
    /** fromNodeId is the first field of every consensus message, right after the 8-byte message header. */
    private static final int FROM_NODE_ID_OFFSET = 8;
    private static final int TAG_LENGTH = HmacFrameAuthenticator.TAG_LENGTH;
    private static final int[] ENVELOPE_REASONS = {FrameEnvelope.TRUNCATED, FrameEnvelope.WRONG_CLUSTER,
        FrameEnvelope.NOT_MEMBER, FrameEnvelope.BAD_MAC};

    @FuzzTest(maxDuration = "30s")
    void hostileDatagramsAreDroppedAndCountedNeverThrown(final byte[] input) throws Exception
    {
        if (input.length == 0)
        {
            return;
        }
        final Receiver receiver = new Receiver((input[0] & 1) == AUTHENTICATED);
        int p = 1;
        while (p + 3 <= input.length)
        {
            final byte mode = (byte)(input[p] & 1);
            final int length = Math.min(((input[p + 1] & 0xFF) << 8) | (input[p + 2] & 0xFF), input.length - p - 3);
            final byte[] bytes = java.util.Arrays.copyOfRange(input, p + 3, p + 3 + length);
            p += 3 + length;
            receiver.deliver(mode == SEAL ? receiver.seal(bytes) : bytes);
        }
    }

    @Test
    void everyKindOfValidFrameReachesTheCoreWithAndWithoutAuthentication() throws Exception
    {
        final Map<String, byte[]> frames = ConsensusFrames.sealed();
        assertEquals(8, frames.size(), "one frame of each consensus message kind");
        for (final boolean authenticated : new boolean[] {true, false})
        {
            final Receiver receiver = new Receiver(authenticated);
            for (final Map.Entry<String, byte[]> e : frames.entrySet())
            {
                final byte[] sealed = e.getValue();
                final byte[] frame = authenticated ? sealed :
                    java.util.Arrays.copyOfRange(sealed, FrameEnvelope.PREFIX_LENGTH, sealed.length - TAG_LENGTH);
                assertTrue(receiver.deliver(frame), e.getKey() + " (authenticated " + authenticated + ") received");
            }
            assertEquals(0, receiver.transfer.refused(), "nothing refused, commit " + receiver.core.commitSlot());
            assertEquals(1, receiver.transfer.installed(), "the snapshot chunk was a whole snapshot and installed");
        }
    }

    @Test
    void oneFlippedBitAnywhereInASealedFrameIsABadTagNotADecodedFrame() throws Exception
    {
        final byte[] accept = ConsensusFrames.sealed().get("accept");
        final Receiver receiver = new Receiver(true);
        for (int i = FrameEnvelope.PREFIX_LENGTH; i < accept.length; i++)
        {
            final byte[] flipped = accept.clone();
            flipped[i] ^= 0x10;
            assertFalse(receiver.deliver(flipped), "byte " + i + " flipped: dropped");
        }
        final int flips = accept.length - FrameEnvelope.PREFIX_LENGTH;
        assertEquals(flips, receiver.adapter.authDrops(FrameEnvelope.BAD_MAC), "each one a bad tag");
        assertEquals(flips, receiver.adapter.dropped());
        assertEquals(0, receiver.adapter.received());
    }

    @Test
    void theCommittedSeedsAreTheFramesAMemberSendsToday() throws Exception
    {
        for (final Map.Entry<String, byte[]> e : ConsensusFrames.sealed().entrySet())
        {
            final Path seed = ConsensusFrames.SEEDS.resolve("valid-" + e.getKey());
            assertArrayEquals(ConsensusFrames.seed(e.getValue()), Files.readAllBytes(seed), seed +
                " is stale: regenerate with ConsensusFrames.main (from log-core) after a codec or envelope change");
        }
    }

    /** One node's receive path, as NodeAgent wires it, with the checks of the properties around each frame. */
    static final class Receiver
    {
        private static Path snapshotDir;
        final ConsensusNode core;
        final ConsensusAdapter adapter;
        final SnapshotTransfer transfer;
        private final FrameChecker checker;
        private final boolean authenticated;
        private final Mac mac;
        private final HmacFrameAuthenticator signer = new HmacFrameAuthenticator(ConsensusFrames.KEY);
        private long nowNs = 1_000_000_000L;

        Receiver(final boolean authenticated) throws Exception
        {
            this.authenticated = authenticated;
            final CoreConfig config = new CoreConfig().load(props()).conclude();
            core = new ConsensusNode(config, new MemoryJournal(), new NullOutbox(), new NullListener());
            final int entriesMax = Math.max(config.promiseEntriesMax(), config.catchupEntriesMax());
            final FrameEnvelope envelope = authenticated ? new FrameEnvelope(
                new HmacFrameAuthenticator(ConsensusFrames.KEY), ConsensusFrames.CLUSTER_ID, ConsensusFrames.RECEIVER,
                ConsensusFrames.MEMBERS) : null;
            adapter = new ConsensusAdapter(core, ConsensusFrames.book(ConsensusFrames.RECEIVER), entriesMax,
                FRAME_LENGTH_MAX, envelope);
            transfer = new SnapshotTransfer(ConsensusFrames.content(new StateMachineHost(ResponseSink.NONE,
                Machines.standard()), ConsensusFrames.RECEIVER), core, new SnapshotStore(snapshotDir()), 64 * 1024,
                (to, ballot, slot, total, offset, checksum, data, dataOffset, dataLength) -> { },
                slot -> { }, () -> nowNs);
            adapter.snapshots(transfer);
            checker = new FrameChecker(FRAME_LENGTH_MAX, entriesMax, FRAME_LENGTH_MAX);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ConsensusFrames.KEY, "HmacSHA256"));
            core.start(nowNs);
        }

        private static synchronized Path snapshotDir() throws java.io.IOException
        {
            if (snapshotDir == null)
            {
                snapshotDir = ScratchDirs.createForClass("paxlog-fuzz-snapshots");
            }
            return snapshotDir;
        }

        /**
         * A member's frame: prefix and SBE frame sealed with the key as they stand (the prefix's cluster id and
         * sender are whatever the bytes say); without authentication, the SBE frame alone.
         */
        byte[] seal(final byte[] prefixAndFrame)
        {
            if (!authenticated)
            {
                return prefixAndFrame.length < FrameEnvelope.PREFIX_LENGTH ? prefixAndFrame :
                    java.util.Arrays.copyOfRange(prefixAndFrame, FrameEnvelope.PREFIX_LENGTH, prefixAndFrame.length);
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[prefixAndFrame.length + TAG_LENGTH]);
            buffer.putBytes(0, prefixAndFrame);
            signer.sign(buffer, 0, prefixAndFrame.length, prefixAndFrame.length);
            return buffer.byteArray();
        }

        /** Delivers one datagram, checks the properties, ticks the core; returns whether the frame was received. */
        boolean deliver(final byte[] bytes)
        {
            final int length = bytes.length;
            final UnsafeBuffer frame = new UnsafeBuffer(bytes);
            nowNs += 1_000_000L;
            final boolean envelopeOk = !authenticated || envelopeValid(bytes);
            final int sbeOffset = authenticated ? FrameEnvelope.PREFIX_LENGTH : 0;
            final int sbeLength = authenticated ? length - FrameEnvelope.PREFIX_LENGTH - TAG_LENGTH : length;
            final FrameCheck verdict = envelopeOk ? checker.check(frame, sbeOffset, sbeLength) : null;

            final long droppedBefore = adapter.dropped();
            final long receivedBefore = adapter.received();
            final long envelopeDropsBefore = envelopeDrops();
            adapter.nowNs(nowNs);
            adapter.onFragment(frame, 0, length, null);
            final long dropped = adapter.dropped() - droppedBefore;
            final long received = adapter.received() - receivedBefore;
            final long envelopeDrops = envelopeDrops() - envelopeDropsBefore;

            assertEquals(1, dropped + received, "each frame is counted once (verdict " + verdict + ")");
            assertEquals(envelopeOk ? 0 : 1, envelopeDrops, "envelope valid: " + envelopeOk);
            if (verdict != FrameCheck.OK)
            {
                assertEquals(1, dropped, "a frame failing the envelope or the checker (" + verdict + ") is dropped");
            }
            if (received == 1)
            {
                final int from = frame.getInt(sbeOffset + FROM_NODE_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
                assertTrue(from >= 0 && from < ConsensusFrames.MEMBERS, "received from a member: " + from);
                if (authenticated)
                {
                    assertEquals(frame.getInt(FrameEnvelope.SENDER_OFFSET, ByteOrder.LITTLE_ENDIAN), from,
                        "received from the envelope's sender");
                }
            }
            core.onTick(nowNs);
            core.flush(nowNs);
            return received == 1;
        }

        private long envelopeDrops()
        {
            long sum = 0;
            for (final int reason : ENVELOPE_REASONS)
            {
                sum += adapter.authDrops(reason);
            }
            return sum;
        }

        /** The envelope checks, done independently of {@link FrameEnvelope} (the tag with javax.crypto.Mac). */
        private boolean envelopeValid(final byte[] bytes)
        {
            if (bytes.length < FrameEnvelope.PREFIX_LENGTH + TAG_LENGTH + 1)
            {
                return false;
            }
            final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            final int sender = b.getInt(FrameEnvelope.SENDER_OFFSET);
            if (b.getLong(FrameEnvelope.CLUSTER_ID_OFFSET) != ConsensusFrames.CLUSTER_ID || sender < 0 ||
                sender >= ConsensusFrames.MEMBERS || sender == ConsensusFrames.RECEIVER)
            {
                return false;
            }
            mac.update(bytes, 0, bytes.length - TAG_LENGTH);
            final byte[] tag = mac.doFinal();
            return MessageDigest.isEqual(java.util.Arrays.copyOf(tag, TAG_LENGTH),
                java.util.Arrays.copyOfRange(bytes, bytes.length - TAG_LENGTH, bytes.length));
        }
    }

    static Properties props()
    {
        final Properties p = new Properties();
        p.setProperty(CoreConfig.NODE_ID_PROP, Integer.toString(ConsensusFrames.RECEIVER));
        p.setProperty(CoreConfig.MEMBER_COUNT_PROP, "3");
        p.setProperty(CoreConfig.RANDOM_SEED_PROP, "7");
        // a small log: each fuzz input builds a node, and the default 131,072-slot log made that (and its garbage)
        // the whole cost of an input (43 inputs/s)
        p.setProperty(CoreConfig.LOG_CAPACITY_SLOTS_PROP, "1024");
        p.setProperty(CoreConfig.PROMISE_ENTRIES_MAX_PROP, "256");
        p.setProperty(CoreConfig.WINDOW_SLOTS_PROP, "128");
        return p;
    }

    /** Keeps nothing, replays nothing. */
    static final class MemoryJournal implements Journal
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
    }

    static final class NullOutbox implements Outbox
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

        public void catchupRequest(final int to, final long fromSlot)
        {
        }

        public void installSnapshot(final int to, final long ballot)
        {
        }

        public void catchupResponse(final int to, final long firstSlot, final long[] ballots, final Entry[] entries,
            final int count)
        {
        }
    }

    static final class NullListener implements io.paxlog.core.CommitListener
    {
        public void onCommitted(final long slot, final long ballot, final Entry entry)
        {
        }

        public void onRoleChange(final Role newRole, final long ballot, final long nowNs, final String reason)
        {
        }
    }
}
