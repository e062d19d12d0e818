package io.paxlog.codecs;

import static io.paxlog.codecs.CodecRoundTripTest.HEADER;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@link FrameChecker}: 200,000 frames, a third each of fully random bytes, random bytes behind a
 * valid header (cycling through every template), and valid frames with one random byte changed. {@code check} must
 * never throw, and every frame it calls OK must decode completely with the generated decoders, ending exactly at
 * the frame end. Each frame sits at a random offset in a buffer whose capacity ends at the frame end, so a decoder
 * reading past the frame fails its bounds check.
 */
class FrameFuzzTest
{
    private static final int FRAMES = 200_000;
    private static final int FRAME_MAX = 8 * 1024;
    private static final int RANDOM = 0;
    private static final int RANDOM_BEHIND_HEADER = 1;
    private static final int MUTATED = 2;
    private static final String[] KINDS = { "random bytes", "random bytes behind a valid header", "mutated valid" };

    private final SplittableRandom random = new SplittableRandom(0x9A7_10C_F022L);
    private final RandomFrames frames = new RandomFrames(random.split());
    private final FrameChecker checker = new FrameChecker(FRAME_MAX, 64, 4 * 1024);
    private final FullDecode decode = new FullDecode();
    private final byte[] bytes = new byte[FRAME_MAX + 64];
    private final UnsafeBuffer source = new UnsafeBuffer(bytes);
    private final UnsafeBuffer frame = new UnsafeBuffer(bytes);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Test
    void checkNeverThrowsAndEveryOkFrameDecodes()
    {
        final int[][] verdicts = new int[KINDS.length][FrameCheck.values().length];
        for (int i = 0; i < FRAMES; i++)
        {
            final int kind = i % KINDS.length;
            final int templateId = RandomFrames.TEMPLATE_IDS[(i / KINDS.length) % RandomFrames.TEMPLATE_IDS.length];
            final int offset = random.nextInt(16);
            final int length = generate(kind, templateId, offset);
            frame.wrap(bytes, 0, offset + length);

            final FrameCheck verdict;
            try
            {
                verdict = checker.check(frame, offset, length);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("check threw on frame " + i + " (" + KINDS[kind] + ")", ex);
            }
            assertNotNull(verdict);
            verdicts[kind][verdict.ordinal()]++;

            if (FrameCheck.OK == verdict)
            {
                try
                {
                    decode.decode(frame, offset, length);
                }
                catch (final Throwable ex)
                {
                    fail("OK frame " + i + " (" + KINDS[kind] + ", template " + checker.templateId() +
                        ") failed to decode: " + ex);
                }
            }
        }

        report(verdicts);
        final int ok = FrameCheck.OK.ordinal();
        assertTrue(verdicts[MUTATED][ok] > 0, "some mutated frames stay valid (a payload byte changed)");
        assertTrue(verdicts[MUTATED][ok] < FRAMES / KINDS.length, "some mutated frames are rejected");
        assertTrue(verdicts[RANDOM_BEHIND_HEADER][ok] > 0, "some random bodies happen to be valid");
        assertTrue(verdicts[RANDOM][FrameCheck.WRONG_SCHEMA.ordinal()] > 0);
    }

    private int generate(final int kind, final int templateId, final int offset)
    {
        switch (kind)
        {
            case RANDOM:
            {
                final int length = random.nextInt(256);
                fillRandom(offset, length);
                return length;
            }

            case RANDOM_BEHIND_HEADER:
            {
                frames.encode(templateId, source, offset);
                final int blockLength = header.wrap(source, offset).blockLength();
                final int bodyLength = blockLength + (random.nextBoolean() ? 0 : random.nextInt(64));
                fillRandom(offset + HEADER, bodyLength);
                return HEADER + bodyLength;
            }

            case MUTATED:
            {
                final int length = frames.encode(templateId, source, offset);
                final int position = offset + random.nextInt(length);
                if (random.nextBoolean())
                {
                    bytes[position] = (byte)random.nextInt(256);
                }
                else
                {
                    bytes[position] ^= (byte)(1 << random.nextInt(8));
                }
                return length;
            }

            default:
                throw new IllegalArgumentException("kind " + kind);
        }
    }

    private void fillRandom(final int offset, final int length)
    {
        for (int i = offset; i < offset + length; i++)
        {
            bytes[i] = (byte)random.nextInt();
        }
    }

    private static void report(final int[][] verdicts)
    {
        final StringBuilder builder = new StringBuilder("FrameFuzzTest verdicts over ")
            .append(FRAMES).append(" frames");
        for (int kind = 0; kind < KINDS.length; kind++)
        {
            builder.append(System.lineSeparator()).append("  ").append(KINDS[kind]).append(':');
            for (final FrameCheck check : FrameCheck.values())
            {
                if (verdicts[kind][check.ordinal()] > 0)
                {
                    builder.append(' ').append(check).append('=').append(verdicts[kind][check.ordinal()]);
                }
            }
        }
        System.out.println(builder);
    }
}
