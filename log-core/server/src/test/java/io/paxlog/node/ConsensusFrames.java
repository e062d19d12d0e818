package io.paxlog.node;

import io.paxlog.auth.HmacFrameAuthenticator;
import io.paxlog.core.Entry;
import io.paxlog.core.NackReason;
import io.paxlog.protocol.Member;
import io.paxlog.sm.Machines;
import io.paxlog.sm.ResponseSink;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachineHost;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Valid consensus frames of every message kind, as a member really sends them: encoded by the node's own
 * {@link ConsensusPublisher} and sealed in its {@link FrameEnvelope} (member {@link #SENDER} of a 3-member cluster
 * {@link #CLUSTER_ID} with the fixed test key {@link #KEY}, to member {@link #RECEIVER}). Every field is fixed, so
 * the bytes are the same on every run: the consensus fuzz target's committed seeds are these frames
 * ({@link #main} writes them; ConsensusAdapterFuzzTest checks the committed files are still exactly these).
 */
final class ConsensusFrames
{
    static final long CLUSTER_ID = 0x7061_786C_6F67L;
    static final int MEMBERS = 3;
    static final int SENDER = 0;
    static final int RECEIVER = 1;
    static final byte[] KEY = new byte[32];
    /** Where the committed seeds live (under log-core). */
    static final Path SEEDS = Path.of("src/test/resources/io/paxlog/node/ConsensusAdapterFuzzTestInputs/" +
        ConsensusAdapterFuzzTest.METHOD);

    static
    {
        for (int i = 0; i < KEY.length; i++)
        {
            KEY[i] = (byte)(0x5A ^ i * 7);
        }
    }

    private ConsensusFrames()
    {
    }

    /** An address book of members 0..{@link #MEMBERS}-1 on loopback, as a node {@code selfId} has it. */
    static AddressBook book(final int selfId)
    {
        final Member[] members = new Member[MEMBERS];
        for (int m = 0; m < MEMBERS; m++)
        {
            members[m] = new Member(m, "127.0.0.1", 20_000 + 2 * m, 20_001 + 2 * m);
        }
        return new AddressBook(selfId, members);
    }

    /** What a node of {@code host} snapshots, starting with members 0..{@link #MEMBERS}-1 and no addresses. */
    static NodeSnapshot content(final io.paxlog.sm.StateMachineHost host, final int selfId)
    {
        return new NodeSnapshot(host, book(selfId), NodeAgent.configPayload(
            io.paxlog.core.Membership.firstN(MEMBERS, MEMBERS / 2 + 1, MEMBERS - MEMBERS / 2), new byte[0]));
    }

    /** The entries the seeds' promise, accept and catch-up response carry. */
    static Entry[] entries()
    {
        return new Entry[] {
            Entry.command(77, 1, 1_000, new byte[] {1, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 5}),
            Entry.noop(2_000),
            Entry.command(77, 2, 3_000, new byte[] {1, 2, 'x'}),
            JournalRecoveryTest.config(4), // a configuration entry (schema v4)
        };
    }

    /** The frames by message kind, each a whole sealed envelope as it would arrive at {@link #RECEIVER}. */
    static Map<String, byte[]> sealed()
    {
        final HeldFrames held = new HeldFrames(1 << 20);
        final FrameEnvelope envelope = new FrameEnvelope(new HmacFrameAuthenticator(KEY), CLUSTER_ID, SENDER, MEMBERS);
        final ConsensusPublisher publisher = new ConsensusPublisher(SENDER, held, envelope, 1 << 20);
        for (int m = 0; m < MEMBERS; m++)
        {
            publisher.peer(m, 0); // every frame to the one (null) publication the capture reads from
        }
        final long ballot = (5L << 8) | SENDER;
        final Entry[] entries = entries();
        final long[] slots = {1, 2, 3, 4};
        final long[] ballots = {ballot, ballot, ballot, ballot};
        final byte[] snapshot = snapshotOfAnEmptyHost();
        final CRC32C crc = new CRC32C();
        crc.update(snapshot);

        final Map<String, byte[]> frames = new LinkedHashMap<>();
        capture(frames, held, "prepare", p -> p.prepare(RECEIVER, ballot, 1, 10_000), publisher);
        capture(frames, held, "promise", p -> p.promise(RECEIVER, ballot, 10_000, 1, 1, Long.MAX_VALUE, slots, ballots, entries, 0, 4),
            publisher);
        capture(frames, held, "nack", p -> p.nack(RECEIVER, ballot - 256, ballot, 50_000_000L, 2,
            NackReason.values()[0]), publisher);
        capture(frames, held, "accept", p -> p.accept(RECEIVER, ballot, 20_000, 0, 1, entries, 4), publisher);
        capture(frames, held, "accepted", p -> p.accepted(RECEIVER, ballot, 20_000, 3), publisher);
        capture(frames, held, "catchup-request", p -> p.catchupRequest(RECEIVER, 1), publisher);
        capture(frames, held, "catchup-response", p -> p.catchupResponse(RECEIVER, 1, ballots, entries, 4),
            publisher);
        capture(frames, held, "snapshot-chunk", p -> p.snapshotChunk(RECEIVER, ballot, 9, snapshot.length, 0,
            (int)crc.getValue(), new UnsafeBuffer(snapshot), 0, snapshot.length), publisher);
        return frames;
    }

    private static void capture(final Map<String, byte[]> frames, final HeldFrames held, final String kind,
        final Consumer<ConsensusPublisher> send, final ConsensusPublisher publisher)
    {
        send.accept(publisher);
        held.forEachHeld((index, buffer, offset, length) ->
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            frames.put(kind, frame);
        });
        held.release(); // no publication registered: the frame is dropped, the buffer emptied
    }

    /** A whole snapshot of a host with the standard machines and nothing applied. */
    static byte[] snapshotOfAnEmptyHost()
    {
        final SnapshotWriter writer = new SnapshotWriter();
        new StateMachineHost(ResponseSink.NONE, Machines.standard()).snapshot(writer);
        final byte[] bytes = new byte[writer.length()];
        writer.buffer().getBytes(0, bytes);
        return bytes;
    }

    /**
     * A fuzz input of the consensus target ({@link ConsensusAdapterFuzzTest}): authentication on, then each frame
     * as it arrives (already sealed), then its SBE frame again to be sealed by the target with fuzzed content.
     */
    static byte[] seed(final byte[] sealedFrame)
    {
        final int sbe = sealedFrame.length - FrameEnvelope.PREFIX_LENGTH - HmacFrameAuthenticator.TAG_LENGTH;
        final byte[] seed = new byte[1 + 3 + sealedFrame.length + 3 + FrameEnvelope.PREFIX_LENGTH + sbe];
        seed[0] = ConsensusAdapterFuzzTest.AUTHENTICATED;
        int p = record(seed, 1, ConsensusAdapterFuzzTest.AS_SENT, sealedFrame, sealedFrame.length);
        record(seed, p, ConsensusAdapterFuzzTest.SEAL, sealedFrame, FrameEnvelope.PREFIX_LENGTH + sbe);
        return seed;
    }

    private static int record(final byte[] seed, final int at, final byte mode, final byte[] frame, final int length)
    {
        seed[at] = mode;
        seed[at + 1] = (byte)(length >>> 8);
        seed[at + 2] = (byte)length;
        System.arraycopy(frame, 0, seed, at + 3, length);
        return at + 3 + length;
    }

    /** Writes the seeds (run from log-core after a codec or envelope change; the fuzz target's test says when). */
    public static void main(final String[] args) throws IOException
    {
        Files.createDirectories(SEEDS);
        for (final Map.Entry<String, byte[]> e : sealed().entrySet())
        {
            Files.write(SEEDS.resolve("valid-" + e.getKey()), seed(e.getValue()));
        }
    }
}
