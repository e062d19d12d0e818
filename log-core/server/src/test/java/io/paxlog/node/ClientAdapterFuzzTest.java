package io.paxlog.node;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.codecs.CommandRequestDecoder;
import io.paxlog.codecs.CommandRequestEncoder;
import io.paxlog.codecs.FaultRequestDecoder;
import io.paxlog.codecs.FaultRequestEncoder;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MembershipRequestDecoder;
import io.paxlog.codecs.MembershipRequestEncoder;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.QueryRequestDecoder;
import io.paxlog.codecs.QueryRequestEncoder;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.codecs.SessionCloseDecoder;
import io.paxlog.codecs.SessionCloseEncoder;
import io.paxlog.codecs.SessionConnectDecoder;
import io.paxlog.codecs.SessionConnectEncoder;
import io.paxlog.codecs.SessionKeepAliveDecoder;
import io.paxlog.codecs.SessionKeepAliveEncoder;
import io.paxlog.codecs.SnapshotRequestDecoder;
import io.paxlog.codecs.SnapshotRequestEncoder;
import io.paxlog.codecs.StatusRequestDecoder;
import io.paxlog.codecs.StatusRequestEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input: what a node does with hostile frames on its client endpoint, where clients and operators
 * send SessionConnect, CommandRequest, QueryRequest, SessionKeepAlive, SessionClose, StatusRequest, SnapshotRequest,
 * FaultRequest and MembershipRequest frames. Frames go into the node's real {@link ClientAdapter} (the node's frame
 * length limit), whose calls go to a {@link Recorder} in place of the {@link NodeAgent}.
 *
 * <p>Input: frames as {@code [mode: 1 byte][length: 2 bytes big-endian][bytes]}, each alone in a buffer of exactly
 * its length (a read past the frame end would throw). Mode {@link #AS_SENT}: the bytes arrive as they are. Mode
 * {@link #ENCODED}: the bytes are a {@link Request} (kind, schema version, fixed fields, var-data fields), encoded
 * here by the codecs into a structurally valid frame, so fuzzed field values (channels, credentials, quorums,
 * an out-of-range consistency, frames of schema version 2 without credentials) reach the adapter's own checks.
 * Seeds ({@link #main}): one valid request of each kind (and a version-2 connect), each as sent and as encoded.
 *
 * <p>Properties: nothing escapes the adapter; each frame is either dropped and counted in {@code dropped()} with no
 * call, or makes exactly one call, of the frame's kind; a frame an independent {@link FrameChecker} (same limits)
 * rejects is dropped; a call's first argument is the frame's first field; channels start with {@code "aeron:"},
 * channels and added members are at most {@link ClientAdapter#CHANNEL_MAX} characters, credentials at most
 * {@link ClientAdapter#CREDENTIALS_MAX} bytes, payloads at most {@link ClientAdapter#PAYLOAD_MAX}, a consistency is
 * 0..2; each buffer's {@code (offset, length)} is the whole buffer, a view of the frame, and the last field of the
 * frame ends at the frame's end right after its length prefix. An encoded request is accepted exactly when its
 * fields pass the adapter's documented limits, and then the call carries exactly the fields encoded.
 */
class ClientAdapterFuzzTest
{
    static final String METHOD = "hostileRequestsAreDroppedAndCountedNeverThrown";
    static final Path SEEDS = Path.of("src/test/resources/io/paxlog/node/ClientAdapterFuzzTestInputs/" + METHOD);
    static final int FRAME_LENGTH_MAX = NodeConfig.FRAME_LENGTH_MAX_DEFAULT;
    static final byte AS_SENT = 0;
    static final byte ENCODED = 1;

    @FuzzTest(maxDuration = "30s")
    void hostileRequestsAreDroppedAndCountedNeverThrown(final byte[] input)
    {
        final Endpoint endpoint = new Endpoint();
        int p = 0;
        while (p + 3 <= input.length)
        {
            final byte mode = (byte)(input[p] & 1);
            final int length = Math.min(((input[p + 1] & 0xFF) << 8) | (input[p + 2] & 0xFF), input.length - p - 3);
            final byte[] bytes = Arrays.copyOfRange(input, p + 3, p + 3 + length);
            p += 3 + length;
            if (mode == ENCODED)
            {
                final Request request = Request.read(bytes);
                final String call = endpoint.deliver(request.encode());
                if (request.acceptable())
                {
                    assertEquals(request.describe(), call, "an acceptable request reaches the agent as encoded");
                }
                else
                {
                    assertNull(call, "a request outside the adapter's limits is dropped: " + request.describe());
                }
            }
            else
            {
                endpoint.deliver(bytes);
            }
        }
    }

    @Test
    void everyKindOfRequestReachesTheAgentOnceAsEncoded()
    {
        final Endpoint endpoint = new Endpoint();
        final Map<String, Request> requests = seedRequests();
        for (final Map.Entry<String, Request> e : requests.entrySet())
        {
            assertTrue(e.getValue().acceptable(), e.getKey());
            assertEquals(e.getValue().describe(), endpoint.deliver(e.getValue().encode()), e.getKey());
        }
        assertEquals(0, endpoint.adapter.dropped());
        assertEquals(Request.KINDS.length, requests.values().stream().map(r -> r.kind).distinct().count(),
            "a seed of every kind");
    }

    @Test
    void everyCutOfAValidRequestIsDroppedWithoutACall()
    {
        final Endpoint endpoint = new Endpoint();
        long cuts = 0;
        for (final Request request : seedRequests().values())
        {
            final byte[] frame = request.encode();
            for (int cut = 0; cut < frame.length; cut++)
            {
                assertNull(endpoint.deliver(Arrays.copyOf(frame, cut)), request.describe() + " cut at " + cut);
                cuts++;
            }
        }
        assertEquals(cuts, endpoint.adapter.dropped(), "every cut counted");
    }

    @Test
    void requestsOutsideTheAdaptersLimitsAreDropped()
    {
        final Endpoint endpoint = new Endpoint();
        final byte[] longChannel = ("aeron:udp?endpoint=127.0.0.1:40123|" + "x".repeat(ClientAdapter.CHANNEL_MAX))
            .getBytes(StandardCharsets.UTF_8);
        for (final Request seed : seedRequests().values())
        {
            for (int v = 0; v < seed.vars.length; v++)
            {
                final String field = Request.KINDS[seed.kind].vars[v];
                if (seed.credentialsAbsent(v))
                {
                    continue;
                }
                final Request bad = seed.copy();
                switch (field)
                {
                    case "channel" -> bad.vars[v] = "udp?endpoint=127.0.0.1:40123".getBytes(StandardCharsets.UTF_8);
                    case "addMember" -> bad.vars[v] = Arrays.copyOf(longChannel, ClientAdapter.CHANNEL_MAX + 1);
                    case "credentials" -> bad.vars[v] = new byte[ClientAdapter.CREDENTIALS_MAX + 1];
                    default -> bad.vars[v] = new byte[0]; // a payload: any length up to the frame's limit
                }
                assertEquals(field.equals("payload"), bad.acceptable(), bad.describe());
                final long dropped = endpoint.adapter.dropped();
                final String call = endpoint.deliver(bad.encode());
                assertEquals(bad.acceptable() ? bad.describe() : null, call, field);
                assertEquals(dropped + (bad.acceptable() ? 0 : 1), endpoint.adapter.dropped(), field);
                if (field.equals("channel"))
                {
                    bad.vars[v] = Arrays.copyOf(longChannel, ClientAdapter.CHANNEL_MAX + 1);
                    assertNull(endpoint.deliver(bad.encode()), "a channel of " + bad.vars[v].length + " bytes");
                    bad.vars[v] = Arrays.copyOf(longChannel, ClientAdapter.CHANNEL_MAX);
                    assertEquals(bad.describe(), endpoint.deliver(bad.encode()), "a channel of the longest length");
                }
            }
            if (seed.kind == Request.QUERY)
            {
                final Request bad = seed.copy();
                bad.ints[0] = 3; // not a ReadConsistency
                assertNull(endpoint.deliver(bad.encode()), bad.describe());
            }
        }
    }

    @Test
    void theCommittedSeedsAreCurrent() throws IOException
    {
        for (final Map.Entry<String, Request> e : seedRequests().entrySet())
        {
            final Path seed = SEEDS.resolve("valid-" + e.getKey());
            assertArrayEquals(seed(e.getValue()), Files.readAllBytes(seed),
                seed + " is stale: regenerate with ClientAdapterFuzzTest.main (from log-core)");
            assertEquals(e.getValue().describe(), Request.read(e.getValue().write()).describe(), "round trip");
        }
    }

    /** Writes the seeds: each request's frame as sent, then the request as encoded fields (run from log-core). */
    public static void main(final String[] args) throws IOException
    {
        Files.createDirectories(SEEDS);
        for (final Map.Entry<String, Request> e : seedRequests().entrySet())
        {
            Files.write(SEEDS.resolve("valid-" + e.getKey()), seed(e.getValue()));
        }
    }

    private static byte[] seed(final Request request)
    {
        final byte[] frame = request.encode();
        final byte[] fields = request.write();
        final byte[] seed = new byte[3 + frame.length + 3 + fields.length];
        seed[0] = AS_SENT;
        seed[1] = (byte)(frame.length >>> 8);
        seed[2] = (byte)frame.length;
        System.arraycopy(frame, 0, seed, 3, frame.length);
        final int at = 3 + frame.length;
        seed[at] = ENCODED;
        seed[at + 1] = (byte)(fields.length >>> 8);
        seed[at + 2] = (byte)fields.length;
        System.arraycopy(fields, 0, seed, at + 3, fields.length);
        return seed;
    }

    /** Requests as a client ({@code PaxlogClient}) and an operator ({@code AdminClient}) send them. */
    static Map<String, Request> seedRequests()
    {
        final byte[] channel = "aeron:udp?endpoint=127.0.0.1:40123".getBytes(StandardCharsets.UTF_8);
        final byte[] credentials = new byte[40];
        for (int i = 0; i < credentials.length; i++)
        {
            credentials[i] = (byte)(0xA5 ^ i * 13);
        }
        final byte[] command = {1, 0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 1};
        final byte[] query = {2, 0, 1, 'x'};
        final Map<String, Request> requests = new LinkedHashMap<>();
        requests.put("session-connect", new Request(Request.CONNECT, false, new long[] {11, 30_000}, new int[] {103, 1024},
            channel, credentials));
        requests.put("session-connect-v2", new Request(Request.CONNECT, true, new long[] {12, 0}, new int[] {103, 0},
            channel));
        requests.put("command", new Request(Request.COMMAND, false, new long[] {0x1234_5678_9ABCL, 1}, new int[0],
            command));
        requests.put("query", new Request(Request.QUERY, false, new long[] {0x1234_5678_9ABCL, 21, 0},
            new int[] {ReadConsistency.LINEARIZABLE.value()}, query));
        requests.put("keep-alive", new Request(Request.KEEP_ALIVE, false, new long[] {0x1234_5678_9ABCL}, new int[0]));
        requests.put("session-close", new Request(Request.CLOSE, false, new long[] {0x1234_5678_9ABCL}, new int[0]));
        requests.put("status", new Request(Request.STATUS, false, new long[] {31}, new int[] {104}, channel,
            credentials));
        requests.put("snapshot", new Request(Request.SNAPSHOT, false, new long[] {32}, new int[] {104}, channel,
            credentials));
        requests.put("fault", new Request(Request.FAULT, false, new long[] {33, 5_000_000, 1_000_000, 0},
            new int[] {104}, channel, credentials));
        requests.put("membership", new Request(Request.MEMBERSHIP, false, new long[] {34},
            new int[] {104, 2, 0, 0}, "3=127.0.0.1:20006:20007".getBytes(StandardCharsets.UTF_8), channel,
            credentials));
        return requests;
    }

    /** The node's client endpoint: a real {@link ClientAdapter} calling a {@link Recorder}, checked per frame. */
    static final class Endpoint
    {
        final Recorder recorder = new Recorder();
        final ClientAdapter adapter = new ClientAdapter(recorder, FRAME_LENGTH_MAX);
        private final FrameChecker checker = new FrameChecker(FRAME_LENGTH_MAX, 1, ClientAdapter.PAYLOAD_MAX);

        /** Delivers one frame, checks the properties; returns the call it made (see {@link Request#describe}). */
        String deliver(final byte[] bytes)
        {
            final UnsafeBuffer frame = new UnsafeBuffer(bytes);
            final FrameCheck verdict = checker.check(frame, 0, bytes.length);
            final int template = verdict == FrameCheck.OK ? checker.templateId() : -1;
            final int version = verdict == FrameCheck.OK ? checker.actingVersion() : -1;
            recorder.expect(frame, version);
            final long dropped = adapter.dropped();
            adapter.onFragment(frame, 0, bytes.length, null);
            final String call = recorder.take();
            assertEquals(1, adapter.dropped() - dropped + (call != null ? 1 : 0),
                "each frame dropped or passed on, once (verdict " + verdict + ", call " + call + ")");
            if (verdict != FrameCheck.OK)
            {
                assertNull(call, "a frame the checker rejects (" + verdict + ") is dropped");
            }
            if (call != null)
            {
                final Kind kind = Request.KINDS[recorder.kind];
                assertEquals(kind.templateId, template, "the call is of the frame's kind: " + call);
                assertEquals(frame.getLong(MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN),
                    recorder.first, "the first argument is the frame's first field: " + call);
            }
            return call;
        }
    }

    /**
     * Records the one call a frame makes, as {@link Request#describe} renders a request, and checks its arguments
     * as it comes (an assertion thrown here escapes the adapter, which catches only decoding exceptions).
     */
    static final class Recorder extends ClientRequests
    {
        private UnsafeBuffer frame;
        private int version;
        private String call;
        private int calls;
        int kind;
        long first;

        void expect(final UnsafeBuffer frame, final int version)
        {
            this.frame = frame;
            this.version = version;
            this.call = null;
            this.calls = 0;
        }

        /** The call made since {@link #expect}, or null; more than one is a failure. */
        String take()
        {
            assertTrue(calls <= 1, "one call per frame at most: " + calls);
            return call;
        }

        private void record(final int kind, final long first, final String call)
        {
            this.kind = kind;
            this.first = first;
            this.call = call;
            calls++;
        }

        private void channel(final String what, final String channel, final boolean response)
        {
            assertNotNull(channel, what);
            assertTrue(channel.length() <= ClientAdapter.CHANNEL_MAX, what + " of " + channel.length() + " chars");
            if (response)
            {
                assertTrue(channel.startsWith("aeron:"), what + " not an Aeron channel: " + channel);
            }
        }

        /**
         * The bytes of a var-data field passed on: the whole of {@code buffer}, a view of the frame; the frame's last
         * field (when the frame's version carries it) ends at the frame's end, right after its length.
         */
        private String bytes(final String what, final DirectBuffer buffer, final int offset, final int length,
            final int limit, final boolean lastField)
        {
            assertEquals(0, offset, what + " offset");
            assertEquals(buffer.capacity(), length, what + ": the length is the buffer's");
            assertTrue(length >= 0 && length <= limit, what + " of " + length + " bytes, limit " + limit);
            assertSame(frame.byteArray(), buffer.byteArray(), what + " is a view of the frame");
            final int at = (int)buffer.wrapAdjustment();
            assertTrue(at >= 0 && at + length <= frame.capacity(), what + " inside the frame");
            if (lastField)
            {
                assertEquals(frame.capacity(), at + length, what + " ends the frame");
                assertEquals(length, frame.getInt(at - 4, ByteOrder.LITTLE_ENDIAN), what + " as long as it says");
            }
            else
            {
                assertEquals(0, length, what + ": absent from a frame of version " + version);
            }
            final byte[] copy = new byte[length];
            buffer.getBytes(0, copy);
            return HexFormat.of().formatHex(copy);
        }

        private String credentials(final DirectBuffer credentials, final int offset, final int length,
            final int sinceVersion)
        {
            return bytes("credentials", credentials, offset, length, ClientAdapter.CREDENTIALS_MAX,
                version >= sinceVersion);
        }

        void onSessionConnect(final long correlationId, final String channel, final int streamId, final long ttlMs,
            final int window, final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
        {
            channel("response channel", channel, true);
            record(Request.CONNECT, correlationId, Request.describe(Request.CONNECT, new long[] {correlationId, ttlMs},
                new int[] {streamId, window}, channel, credentials(credentials, credentialsOffset, credentialsLength, 3)));
        }

        void onCommand(final long sessionId, final long sequence, final DirectBuffer payload, final int offset,
            final int length)
        {
            record(Request.COMMAND, sessionId, Request.describe(Request.COMMAND, new long[] {sessionId, sequence},
                new int[0], bytes("payload", payload, offset, length, ClientAdapter.PAYLOAD_MAX, true)));
        }

        void onQuery(final long sessionId, final long correlationId, final short consistency, final long minSlot,
            final DirectBuffer payload, final int offset, final int length)
        {
            assertTrue(consistency >= 0 && consistency <= 2, "a ReadConsistency: " + consistency);
            record(Request.QUERY, sessionId, Request.describe(Request.QUERY,
                new long[] {sessionId, correlationId, minSlot}, new int[] {consistency},
                bytes("payload", payload, offset, length, ClientAdapter.PAYLOAD_MAX, true)));
        }

        void onKeepAlive(final long sessionId)
        {
            record(Request.KEEP_ALIVE, sessionId, Request.describe(Request.KEEP_ALIVE, new long[] {sessionId},
                new int[0]));
        }

        void onSessionClose(final long sessionId)
        {
            record(Request.CLOSE, sessionId, Request.describe(Request.CLOSE, new long[] {sessionId}, new int[0]));
        }

        void onSnapshotRequest(final long correlationId, final String channel, final int streamId,
            final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
        {
            channel("response channel", channel, true);
            record(Request.SNAPSHOT, correlationId, Request.describe(Request.SNAPSHOT, new long[] {correlationId},
                new int[] {streamId}, channel, credentials(credentials, credentialsOffset, credentialsLength, 3)));
        }

        void onStatusRequest(final long correlationId, final String channel, final int streamId,
            final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
        {
            channel("response channel", channel, true);
            record(Request.STATUS, correlationId, Request.describe(Request.STATUS, new long[] {correlationId},
                new int[] {streamId}, channel, credentials(credentials, credentialsOffset, credentialsLength, 3)));
        }

        void onFaultRequest(final long correlationId, final String channel, final int streamId, final long delayNs,
            final long jitterNs, final long durationNs, final DirectBuffer credentials, final int credentialsOffset,
            final int credentialsLength)
        {
            channel("response channel", channel, true);
            record(Request.FAULT, correlationId, Request.describe(Request.FAULT,
                new long[] {correlationId, delayNs, jitterNs, durationNs}, new int[] {streamId}, channel,
                credentials(credentials, credentialsOffset, credentialsLength, 3)));
        }

        void onMembershipRequest(final long correlationId, final String channel, final int streamId,
            final int removeId, final int acceptQuorum, final int electionQuorum, final String addMember,
            final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
        {
            channel("response channel", channel, true);
            channel("added member", addMember, false);
            record(Request.MEMBERSHIP, correlationId, Request.describe(Request.MEMBERSHIP, new long[] {correlationId},
                new int[] {streamId, removeId, acceptQuorum, electionQuorum}, addMember, channel,
                credentials(credentials, credentialsOffset, credentialsLength, 0)));
        }
    }

    /** A request kind: its template, and the names of its fixed and var-data fields in encoding order. */
    record Kind(String name, int templateId, String[] longs, String[] ints, String[] vars, boolean credentialsV3)
    {
    }

    /**
     * A request as fields, encoded by the codecs ({@link #encode}), written as fuzz input ({@link #write}) and read
     * back ({@link #read}: any bytes are a request; missing bytes read as zeros). As input: {@code [kind: 1 byte,
     * modulo the kinds][flags: 1 byte, bit 0: schema version 2, without the credentials version 3 added][each long:
     * 8 bytes][each int: 4 bytes][each var-data field: 2-byte big-endian length, then the bytes]}, all big-endian.
     */
    static final class Request
    {
        static final int CONNECT = 0;
        static final int COMMAND = 1;
        static final int QUERY = 2;
        static final int KEEP_ALIVE = 3;
        static final int CLOSE = 4;
        static final int STATUS = 5;
        static final int SNAPSHOT = 6;
        static final int FAULT = 7;
        static final int MEMBERSHIP = 8;
        private static final String[] NONE = new String[0];
        static final Kind[] KINDS = {
            new Kind("connect", SessionConnectDecoder.TEMPLATE_ID, new String[] {"correlationId", "ttlMs"},
                new String[] {"streamId", "window"}, new String[] {"channel", "credentials"}, true),
            new Kind("command", CommandRequestDecoder.TEMPLATE_ID, new String[] {"sessionId", "sequence"}, NONE,
                new String[] {"payload"}, false),
            new Kind("query", QueryRequestDecoder.TEMPLATE_ID, new String[] {"sessionId", "correlationId", "minSlot"},
                new String[] {"consistency"}, new String[] {"payload"}, false),
            new Kind("keep-alive", SessionKeepAliveDecoder.TEMPLATE_ID, new String[] {"sessionId"}, NONE, NONE, false),
            new Kind("close", SessionCloseDecoder.TEMPLATE_ID, new String[] {"sessionId"}, NONE, NONE, false),
            new Kind("status", StatusRequestDecoder.TEMPLATE_ID, new String[] {"correlationId"},
                new String[] {"streamId"}, new String[] {"channel", "credentials"}, true),
            new Kind("snapshot", SnapshotRequestDecoder.TEMPLATE_ID, new String[] {"correlationId"},
                new String[] {"streamId"}, new String[] {"channel", "credentials"}, true),
            new Kind("fault", FaultRequestDecoder.TEMPLATE_ID,
                new String[] {"correlationId", "delayNs", "jitterNs", "durationNs"}, new String[] {"streamId"},
                new String[] {"channel", "credentials"}, true),
            new Kind("membership", MembershipRequestDecoder.TEMPLATE_ID, new String[] {"correlationId"},
                new String[] {"streamId", "removeId", "acceptQuorum", "electionQuorum"},
                new String[] {"addMember", "channel", "credentials"}, false),
        };

        final int kind;
        /** Schema version 2: the request as a node of version 2 sent it, without credentials (kinds that have them). */
        final boolean v2;
        final long[] longs;
        final int[] ints;
        final byte[][] vars;

        Request(final int kind, final boolean v2, final long[] longs, final int[] ints, final byte[]... vars)
        {
            this.kind = kind;
            this.v2 = v2 && KINDS[kind].credentialsV3;
            this.longs = longs;
            this.ints = ints;
            if (kind == QUERY)
            {
                ints[0] &= 0xFF; // the consistency is one byte
            }
            this.vars = vars.length == KINDS[kind].vars.length ? vars : Arrays.copyOf(vars, KINDS[kind].vars.length);
            for (int v = 0; v < this.vars.length; v++)
            {
                this.vars[v] = this.vars[v] == null ? new byte[0] : this.vars[v];
            }
        }

        /** Var-data field {@code v} as sent: the credentials of a version-2 request are absent (empty). */
        byte[] var(final int v)
        {
            return credentialsAbsent(v) ? new byte[0] : vars[v];
        }

        Request copy()
        {
            final byte[][] copies = new byte[vars.length][];
            for (int v = 0; v < vars.length; v++)
            {
                copies[v] = vars[v].clone();
            }
            return new Request(kind, v2, longs.clone(), ints.clone(), copies);
        }

        boolean credentialsAbsent(final int v)
        {
            return v2 && KINDS[kind].vars[v].equals("credentials");
        }

        static Request read(final byte[] bytes)
        {
            final java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length + 64));
            final int kind = (bytes.length > 0 ? bytes[0] & 0xFF : 0) % KINDS.length;
            final boolean v2 = bytes.length > 1 && (bytes[1] & 1) != 0;
            in.position(Math.min(2, bytes.length));
            final Kind k = KINDS[kind];
            final long[] longs = new long[k.longs.length];
            final int[] ints = new int[k.ints.length];
            final byte[][] vars = new byte[k.vars.length][];
            for (int i = 0; i < longs.length; i++)
            {
                longs[i] = in.getLong();
            }
            for (int i = 0; i < ints.length; i++)
            {
                ints[i] = in.getInt();
            }
            int at = Math.min(in.position(), bytes.length);
            for (int v = 0; v < vars.length; v++)
            {
                final int length = at + 2 <= bytes.length ? ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF) : 0;
                at = Math.min(at + 2, bytes.length);
                final int end = Math.min(at + length, bytes.length);
                vars[v] = Arrays.copyOfRange(bytes, at, end);
                at = end;
            }
            return new Request(kind, v2, longs, ints, vars);
        }

        byte[] write()
        {
            final java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(2 + 8 * longs.length + 4 * ints.length +
                Arrays.stream(vars).mapToInt(v -> 2 + v.length).sum());
            out.put((byte)kind).put((byte)(v2 ? 1 : 0));
            for (final long l : longs)
            {
                out.putLong(l);
            }
            for (final int i : ints)
            {
                out.putInt(i);
            }
            for (final byte[] v : vars)
            {
                out.putShort((short)v.length).put(v);
            }
            return out.array();
        }

        /** The frame, as the codecs encode it (version 2: the header says 2 and the credentials are left off). */
        byte[] encode()
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256 + Arrays.stream(vars).mapToInt(v -> v.length)
                .sum()]);
            final MessageHeaderEncoder header = new MessageHeaderEncoder();
            final int body = switch (kind)
            {
                case CONNECT -> new SessionConnectEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(longs[0]).responseStreamId(ints[0]).sessionTtlMs(longs[1]).window(ints[1])
                    .putResponseChannel(var(0), 0, var(0).length).putCredentials(var(1), 0, var(1).length)
                    .encodedLength();
                case COMMAND -> new CommandRequestEncoder().wrapAndApplyHeader(buffer, 0, header).sessionId(longs[0])
                    .sequence(longs[1]).putPayload(var(0), 0, var(0).length).encodedLength();
                case QUERY ->
                {
                    final QueryRequestEncoder query = new QueryRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                        .sessionId(longs[0]).correlationId(longs[1]).minSlot(longs[2]);
                    buffer.putByte(MessageHeaderEncoder.ENCODED_LENGTH + QueryRequestEncoder.consistencyEncodingOffset(),
                        (byte)ints[0]);
                    yield query.putPayload(var(0), 0, var(0).length).encodedLength();
                }
                case KEEP_ALIVE -> new SessionKeepAliveEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .sessionId(longs[0]).encodedLength();
                case CLOSE -> new SessionCloseEncoder().wrapAndApplyHeader(buffer, 0, header).sessionId(longs[0])
                    .encodedLength();
                case STATUS -> new StatusRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(longs[0]).responseStreamId(ints[0]).putResponseChannel(var(0), 0, var(0).length)
                    .putCredentials(var(1), 0, var(1).length).encodedLength();
                case SNAPSHOT -> new SnapshotRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(longs[0]).responseStreamId(ints[0]).putResponseChannel(var(0), 0, var(0).length)
                    .putCredentials(var(1), 0, var(1).length).encodedLength();
                case FAULT -> new FaultRequestEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(longs[0])
                    .responseStreamId(ints[0]).delayNs(longs[1]).jitterNs(longs[2]).durationNs(longs[3])
                    .putResponseChannel(var(0), 0, var(0).length).putCredentials(var(1), 0, var(1).length)
                    .encodedLength();
                case MEMBERSHIP -> new MembershipRequestEncoder().wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(longs[0]).responseStreamId(ints[0]).removeNodeId(ints[1]).acceptQuorum(ints[2])
                    .electionQuorum(ints[3]).putAddMember(var(0), 0, var(0).length)
                    .putResponseChannel(var(1), 0, var(1).length).putCredentials(var(2), 0, var(2).length)
                    .encodedLength();
                default -> throw new IllegalStateException("kind " + kind);
            };
            int length = MessageHeaderEncoder.ENCODED_LENGTH + body;
            if (v2)
            {
                buffer.putShort(MessageHeaderEncoder.versionEncodingOffset(), (short)2, ByteOrder.LITTLE_ENDIAN);
                length -= 4; // the credentials, empty, were the last field: their length goes too
            }
            return Arrays.copyOf(buffer.byteArray(), length);
        }

        /** Whether the adapter's documented limits let this request through. */
        boolean acceptable()
        {
            if (kind == QUERY && (ints[0] < 0 || ints[0] > 2))
            {
                return false;
            }
            for (int v = 0; v < vars.length; v++)
            {
                final String field = KINDS[kind].vars[v];
                final boolean ok = switch (field)
                {
                    case "channel" -> var(v).length <= ClientAdapter.CHANNEL_MAX &&
                        new String(var(v), StandardCharsets.UTF_8).startsWith("aeron:");
                    case "addMember" -> var(v).length <= ClientAdapter.CHANNEL_MAX;
                    case "credentials" -> var(v).length <= ClientAdapter.CREDENTIALS_MAX;
                    default -> var(v).length <= ClientAdapter.PAYLOAD_MAX;
                };
                if (!ok)
                {
                    return false;
                }
            }
            return true;
        }

        /** The call this request should make, as the recorder renders calls. */
        String describe()
        {
            final Object[] values = new Object[vars.length];
            for (int v = 0; v < vars.length; v++)
            {
                final String field = KINDS[kind].vars[v];
                values[v] = field.equals("channel") || field.equals("addMember") ?
                    new String(var(v), StandardCharsets.UTF_8) : HexFormat.of().formatHex(var(v));
            }
            return describe(kind, longs, ints, values);
        }

        static String describe(final int kind, final long[] longs, final int[] ints, final Object... vars)
        {
            final Kind k = KINDS[kind];
            final StringBuilder s = new StringBuilder(k.name);
            for (int i = 0; i < longs.length; i++)
            {
                s.append(' ').append(k.longs[i]).append('=').append(longs[i]);
            }
            for (int i = 0; i < ints.length; i++)
            {
                s.append(' ').append(k.ints[i]).append('=').append(ints[i]);
            }
            for (int i = 0; i < vars.length; i++)
            {
                s.append(' ').append(k.vars[i]).append("='").append(vars[i]).append('\'');
            }
            return s.toString();
        }
    }
}
