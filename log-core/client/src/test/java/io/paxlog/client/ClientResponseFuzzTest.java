package io.paxlog.client;

import io.paxlog.testing.ScratchDirs;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.codecs.CommandResponseDecoder;
import io.paxlog.codecs.CommandResponseEncoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventDecoder;
import io.paxlog.codecs.SessionEventEncoder;
import io.paxlog.protocol.Member;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input: what a client does with hostile datagrams on its response channel. Frames go into the
 * {@link ClientResponseAdapter} of a real {@link PaxlogClient} (its own media driver; one member on loopback that
 * never answers), the handler its {@code poll()} gives the response subscription, so they reach the real command
 * window, blocking calls and member bookkeeping.
 *
 * <p>Input: frames as {@code [mode: 1 byte][length: 2 bytes big-endian][bytes]}, each alone in a buffer of exactly
 * its length. Mode {@link #ADDRESSED}: the client's session id (random per client) is written into the frame where a
 * CommandResponse or SessionEvent carries it, so fuzzed content gets past the session filter; {@link #AS_SENT}: as
 * they are. Seeds ({@link #main}): well-formed answers and session events of every status and code, encoded by the
 * codecs. Properties: nothing escapes the adapter; each frame is counted once, as received, ignored (another
 * session) or dropped; a frame an independent {@link FrameChecker} (same limits) rejects is dropped; a frame
 * received carries the client's session id.
 */
class ClientResponseFuzzTest
{
    static final String METHOD = "hostileResponsesAreDroppedAndCountedNeverThrown";
    static final Path SEEDS = Path.of("src/test/resources/io/paxlog/client/ClientResponseFuzzTestInputs/" + METHOD);
    static final byte AS_SENT = 0;
    static final byte ADDRESSED = 1;
    private static PaxlogClient client;

    @FuzzTest(maxDuration = "30s")
    void hostileResponsesAreDroppedAndCountedNeverThrown(final byte[] input) throws IOException
    {
        final PaxlogClient c = client();
        final ClientResponseAdapter adapter = c.responseAdapter();
        final FrameChecker checker = new FrameChecker(ClientResponseAdapter.FRAME_LENGTH_MAX, 0,
            ClientResponseAdapter.FRAME_LENGTH_MAX);
        int p = 0;
        while (p + 3 <= input.length)
        {
            final boolean addressed = (input[p] & 1) == ADDRESSED;
            final int length = Math.min(((input[p + 1] & 0xFF) << 8) | (input[p + 2] & 0xFF), input.length - p - 3);
            final UnsafeBuffer frame = new UnsafeBuffer(Arrays.copyOfRange(input, p + 3, p + 3 + length));
            p += 3 + length;
            if (addressed)
            {
                address(frame, c.sessionId());
            }
            final FrameCheck verdict = checker.check(frame, 0, length);
            final long dropped = adapter.dropped();
            final long ignored = adapter.ignored();
            final long received = adapter.received();
            adapter.onFragment(frame, 0, length, null);
            assertEquals(1, adapter.dropped() - dropped + adapter.ignored() - ignored + adapter.received() - received,
                "each frame counted once (verdict " + verdict + ")");
            if (verdict != FrameCheck.OK)
            {
                assertEquals(1, adapter.dropped() - dropped, "a frame the checker rejects (" + verdict + ") is dropped");
            }
            if (adapter.received() > received)
            {
                assertEquals(c.sessionId(), frame.getLong(sessionIdOffset(frame), ByteOrder.LITTLE_ENDIAN),
                    "received only for this session");
            }
        }
        assertEquals(c.droppedResponses(), adapter.dropped());
    }

    @Test
    void everySeedIsReceivedAddressedAndIgnoredAsSent() throws IOException
    {
        final ClientResponseAdapter adapter = client().responseAdapter();
        for (final Map.Entry<String, byte[]> e : frames().entrySet())
        {
            final byte[] bytes = e.getValue().clone();
            final long received = adapter.received();
            final long ignored = adapter.ignored();
            adapter.onFragment(new UnsafeBuffer(bytes), 0, bytes.length, null); // session 0: not this client's
            assertEquals(ignored + 1, adapter.ignored(), e.getKey() + " for another session is ignored");
            address(new UnsafeBuffer(bytes), client().sessionId());
            adapter.onFragment(new UnsafeBuffer(bytes), 0, bytes.length, null);
            assertEquals(received + 1, adapter.received(), e.getKey() + " for this session is received");
        }
    }

    @Test
    void aTruncatedOrOverrunningAnswerIsDroppedAndCounted() throws IOException
    {
        final PaxlogClient c = client();
        final byte[] ok = frames().get("response-ok").clone();
        address(new UnsafeBuffer(ok), c.sessionId());
        final long before = c.droppedResponses();
        for (int cut = 0; cut < ok.length; cut++)
        {
            c.responseAdapter().onFragment(new UnsafeBuffer(Arrays.copyOf(ok, cut)), 0, cut, null);
        }
        final byte[] overrun = ok.clone();
        // the length of the 8-byte result (followed by the empty members' header) now runs past the frame's end
        overrun[overrun.length - 4 - 8 - 4] = (byte)0xFF;
        c.responseAdapter().onFragment(new UnsafeBuffer(overrun), 0, overrun.length, null);
        assertEquals(before + ok.length + 1, c.droppedResponses(), "every cut and the overrun dropped and counted");
    }

    @Test
    void aRedirectWhoseMembersDoNotParseIsDroppedAndCounted() throws IOException
    {
        final PaxlogClient c = client();
        final ClientResponseAdapter adapter = c.responseAdapter();
        for (final String name : new String[] {"response-redirect-members", "event-redirect-members"})
        {
            final byte[] frame = frames().get(name).clone();
            address(new UnsafeBuffer(frame), c.sessionId());
            final String members = "1=127.0.0.1:9:10,4=127.0.0.1:11:12";
            final int at = frame.length - members.length();
            assertEquals(members, new String(frame, at, members.length(), StandardCharsets.UTF_8));
            // the same length: a port not a number, an id twice, an id above 63, port 0, a wrong separator
            for (final String bad : new String[] {"1=127.0.0.1:9:10,4=127.0.0.1:11:1x",
                "1=127.0.0.1:9:10,1=127.0.0.1:11:12", "1=127.0.0.1:9:10,99=127.0.0.1:1:12",
                "1=127.0.0.1:9:10,4=127.0.0.1:11:00", "1=127.0.0.1:9:10;4=127.0.0.1:11:12"})
            {
                assertEquals(members.length(), bad.length(), bad);
                final byte[] malformed = frame.clone();
                System.arraycopy(bad.getBytes(StandardCharsets.UTF_8), 0, malformed, at, bad.length());
                final long dropped = adapter.dropped();
                final long received = adapter.received();
                adapter.onFragment(new UnsafeBuffer(malformed), 0, malformed.length, null);
                adapter.onFragment(new UnsafeBuffer(malformed), 0, malformed.length, null); // the same again
                assertEquals(dropped + 2, adapter.dropped(), name + " listing " + bad + " is dropped each time");
                assertEquals(received, adapter.received(), name + " listing " + bad);
            }
        }
    }

    @Test
    void theCommittedSeedsAreCurrent() throws IOException
    {
        for (final Map.Entry<String, byte[]> e : frames().entrySet())
        {
            final Path seed = SEEDS.resolve("valid-" + e.getKey());
            assertArrayEquals(seed(e.getValue()), Files.readAllBytes(seed),
                seed + " is stale: regenerate with ClientResponseFuzzTest.main (from log-core)");
        }
    }

    /** Writes the seeds: each frame addressed, then as sent (run from log-core). */
    public static void main(final String[] args) throws IOException
    {
        Files.createDirectories(SEEDS);
        for (final Map.Entry<String, byte[]> e : frames().entrySet())
        {
            Files.write(SEEDS.resolve("valid-" + e.getKey()), seed(e.getValue()));
        }
    }

    private static byte[] seed(final byte[] frame)
    {
        final byte[] seed = new byte[2 * (3 + frame.length)];
        for (int i = 0; i < 2; i++)
        {
            final int at = i * (3 + frame.length);
            seed[at] = i == 0 ? ADDRESSED : AS_SENT;
            seed[at + 1] = (byte)(frame.length >>> 8);
            seed[at + 2] = (byte)frame.length;
            System.arraycopy(frame, 0, seed, at + 3, frame.length);
        }
        return seed;
    }

    /**
     * Answers and events as a member encodes them, for session 0 (addressing writes the real one in). A REDIRECT
     * may carry the latest configuration's members; the list here names loopback ports no one listens on (the
     * client adds publications to them).
     */
    static Map<String, byte[]> frames()
    {
        final Map<String, byte[]> frames = new LinkedHashMap<>();
        final byte[] result = {0, 0, 0, 0, 0, 0, 0, 42};
        final String members = "1=127.0.0.1:9:10,4=127.0.0.1:11:12";
        response(frames, "response-ok", 1, CommandStatus.OK, 0, 7, result, "");
        response(frames, "response-redirect", 2, CommandStatus.REDIRECT, 0, 0, new byte[0], "");
        response(frames, "response-redirect-members", 2, CommandStatus.REDIRECT, 4, 0, new byte[0], members);
        response(frames, "response-busy", 3, CommandStatus.BUSY, 0, 0, new byte[0], "");
        response(frames, "response-rejected", 4, CommandStatus.REJECTED, 0, 0, "too old".getBytes(), "");
        response(frames, "query-ok", ClientResponseAdapter.QUERY_ID_BASE + 1, CommandStatus.OK, 0, 8, result, "");
        event(frames, "event-open", SessionEventCode.OPEN, 0, "", new byte[0], "");
        event(frames, "event-redirect", SessionEventCode.REDIRECT, 0, "", new byte[0], "");
        event(frames, "event-redirect-members", SessionEventCode.REDIRECT, 4, "", new byte[0], members);
        event(frames, "event-challenge", SessionEventCode.CHALLENGE, 0, "", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "");
        event(frames, "event-rejected", SessionEventCode.REJECTED, 0, "authentication failed", new byte[0], "");
        event(frames, "event-closed", SessionEventCode.CLOSED, 0, "expired", new byte[0], "");
        return frames;
    }

    private static void response(final Map<String, byte[]> frames, final String name, final long sequence,
        final CommandStatus status, final int leader, final long slot, final byte[] result, final String members)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new CommandResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).sessionId(0).sequence(sequence).status(status)
            .leaderNodeId(leader).slot(slot).putResult(result, 0, result.length).members(members).encodedLength();
        frames.put(name, Arrays.copyOf(buffer.byteArray(), length));
    }

    private static void event(final Map<String, byte[]> frames, final String name, final SessionEventCode code,
        final int leader, final String detail, final byte[] challenge, final String members)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new SessionEventEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).sessionId(0).code(code).leaderNodeId(leader)
            .detail(detail).putChallenge(challenge, 0, challenge.length).members(members).encodedLength();
        frames.put(name, Arrays.copyOf(buffer.byteArray(), length));
    }

    /** Writes {@code sessionId} where a CommandResponse or SessionEvent carries it, if the frame is long enough. */
    private static void address(final UnsafeBuffer frame, final long sessionId)
    {
        final int at = sessionIdOffset(frame);
        if (at >= 0 && at + 8 <= frame.capacity())
        {
            frame.putLong(at, sessionId, ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static int sessionIdOffset(final UnsafeBuffer frame)
    {
        if (frame.capacity() < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return -1;
        }
        final int template = frame.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return template == CommandResponseDecoder.TEMPLATE_ID ?
            MessageHeaderDecoder.ENCODED_LENGTH + CommandResponseDecoder.sessionIdEncodingOffset() :
            template == SessionEventDecoder.TEMPLATE_ID ?
            MessageHeaderDecoder.ENCODED_LENGTH + SessionEventDecoder.sessionIdEncodingOffset() : -1;
    }

    /** One client per JVM (a media driver each is slow to start); closed when the JVM exits. */
    private static synchronized PaxlogClient client() throws IOException
    {
        if (client == null)
        {
            final Path dir = ScratchDirs.createForClass("paxlog-fuzz-client");
            final Member member = new Member(0, "127.0.0.1", io.paxlog.protocol.LoopbackPorts.free(),
                io.paxlog.protocol.LoopbackPorts.free());
            final PaxlogClient c = new PaxlogClient(new PaxlogClientContext().members(member)
                .aeronDirectoryName(dir.resolve("aeron").toString()));
            Runtime.getRuntime().addShutdownHook(new Thread(c::close));
            assertTrue(c.sessionId() != 0, "a session id that no seed carries");
            client = c;
        }
        return client;
    }
}
