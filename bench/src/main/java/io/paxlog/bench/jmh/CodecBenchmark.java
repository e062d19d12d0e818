package io.paxlog.bench.jmh;

import io.paxlog.codecs.AcceptDecoder;
import io.paxlog.codecs.AcceptEncoder;
import io.paxlog.codecs.EntryType;
import io.paxlog.codecs.FrameCheck;
import io.paxlog.codecs.FrameChecker;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Encoding, validating and decoding an Accept frame of 8 entries with 32-byte payloads (the leader's hot frame). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class CodecBenchmark
{
    private static final int ENTRIES = 8;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final byte[] payload = new byte[32];
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AcceptEncoder encoder = new AcceptEncoder();
    private final AcceptDecoder decoder = new AcceptDecoder();
    private final FrameChecker checker = new FrameChecker(1 << 20, 4096, 1 << 20);
    private int length;

    @Setup
    public void setup()
    {
        length = encodeAccept();
    }

    @Benchmark
    public int encodeAccept()
    {
        final AcceptEncoder.EntriesEncoder entries = encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .fromNodeId(1).ballot(5L << 32 | 1).sendTimeNs(123L).commitSlot(1000L).firstSlot(1001L)
            .entriesCount(ENTRIES);
        for (int i = 0; i < ENTRIES; i++)
        {
            entries.next().entryType(EntryType.COMMAND).sessionId(42L).sequence(i).timestampNs(1_000L + i)
                .putPayload(payload, 0, payload.length);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Benchmark
    public long checkAndDecodeAccept()
    {
        if (checker.check(buffer, 0, length) != FrameCheck.OK)
        {
            throw new IllegalStateException("frame rejected");
        }
        headerDecoder.wrap(buffer, 0);
        decoder.wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        long sum = decoder.ballot() + decoder.firstSlot();
        for (final AcceptDecoder.EntriesDecoder e : decoder.entries())
        {
            sum += e.sequence() + e.timestampNs();
            sum += e.getPayload(payload, 0, payload.length);
        }
        return sum;
    }
}
