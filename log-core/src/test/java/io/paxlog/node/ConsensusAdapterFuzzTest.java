package io.paxlog.node;

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
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzing and bad input (issue 7): every SBE decoder path of the consensus endpoint. Arbitrary frames go into a
 * {@link ConsensusAdapter} in front of a real {@link ConsensusNode} core (node 1 of 3, journal and outbox in
 * memory), ticked between frames as the duty cycle would.
 *
 * <p>Input: frames as {@code [length: 2 bytes big-endian][bytes]}, each placed alone in a buffer of exactly its
 * length (a read past the frame end would throw). Properties: nothing escapes the adapter or the core's tick and
 * flush; a frame the {@link FrameChecker} (same limits) rejects is counted as dropped and never reaches the core;
 * every frame is counted exactly once, as received or as dropped.
 */
class ConsensusAdapterFuzzTest
{
    static final int FRAME_LENGTH_MAX = 64 * 1024;

    @FuzzTest(maxDuration = "30s")
    void arbitraryFramesAreDroppedAndCountedNeverThrown(final byte[] input)
    {
        final CoreConfig config = new CoreConfig().load(props()).conclude();
        final ConsensusNode core = new ConsensusNode(config, new MemoryJournal(), new NullOutbox(), new NullListener());
        final int entriesMax = Math.max(config.promiseEntriesMax(), config.catchupEntriesMax());
        final ConsensusAdapter adapter = new ConsensusAdapter(core, 3, entriesMax, FRAME_LENGTH_MAX);
        final FrameChecker checker = new FrameChecker(FRAME_LENGTH_MAX, entriesMax, FRAME_LENGTH_MAX);
        long nowNs = 1_000_000_000L;
        core.start(nowNs);
        int p = 0;
        while (p + 2 <= input.length)
        {
            final int length = Math.min(((input[p] & 0xFF) << 8) | (input[p + 1] & 0xFF), input.length - p - 2);
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[length]);
            frame.putBytes(0, input, p + 2, length);
            p += 2 + length;
            nowNs += 1_000_000L;

            final FrameCheck verdict = checker.check(frame, 0, length);
            final long droppedBefore = adapter.dropped();
            final long receivedBefore = adapter.received();
            adapter.nowNs(nowNs);
            adapter.onFragment(frame, 0, length, null);
            final long dropped = adapter.dropped() - droppedBefore;
            final long received = adapter.received() - receivedBefore;
            assertEquals(1, dropped + received, "each frame is counted once (verdict " + verdict + ")");
            if (verdict != FrameCheck.OK)
            {
                assertEquals(1, dropped, "a frame the checker rejects (" + verdict + ") is counted as dropped");
            }
            core.onTick(nowNs);
            core.flush(nowNs);
        }
    }

    static Properties props()
    {
        final Properties p = new Properties();
        p.setProperty(CoreConfig.NODE_ID_PROP, "1");
        p.setProperty(CoreConfig.MEMBER_COUNT_PROP, "3");
        p.setProperty(CoreConfig.RANDOM_SEED_PROP, "7");
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
            final long[] slots, final long[] ballots, final Entry[] entries, final int count)
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
