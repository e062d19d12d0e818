package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HeldFrames} against a real driver (issue 14): an offer that throws drops that frame only, is counted, and
 * never comes back on the next release (before, the held buffer was not reset when {@code offer} threw, so the same
 * oversized frame was offered, and threw, on every duty cycle and nothing else was ever sent); frames a
 * back-pressured publication cannot take yet stay held, in order, and go at a later release.
 */
class HeldFramesTest
{
    private MediaDriver driver;
    private Aeron aeron;

    @BeforeEach
    void connect() throws Exception
    {
        final String dir = ScratchDirs.create("paxlog-held").toString();
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
    }

    @AfterEach
    void close()
    {
        CloseHelper.quietCloseAll(aeron, driver);
    }

    private static UnsafeBuffer frame(final int length, final int mark)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        b.putInt(0, mark);
        return b;
    }

    @Test
    void anOfferThatThrowsDropsThatFrameOnlyAndTheBufferIsReset() throws Exception
    {
        // a 64 KiB term carries messages of at most 8 KiB: a 10 KiB frame makes offer throw, as a 4 MB catch-up
        // response did with the default term
        final Subscription sub = aeron.addSubscription("aeron:ipc?term-length=64k", 7);
        final Publication pub = aeron.addPublication("aeron:ipc?term-length=64k", 7);
        while (!pub.isConnected())
        {
            Thread.sleep(1);
        }
        final HeldFrames held = new HeldFrames(1 << 20, 40_000_000L, "node 9");
        final int index = held.register(pub);
        held.hold(index, frame(100, 1), 0, 100);
        held.hold(index, frame(10 * 1024, 2), 0, 10 * 1024);
        held.hold(index, frame(100, 3), 0, 100);
        assertEquals(2, held.release(1_000), "the frames before and after the oversized one are sent");
        assertEquals(1, held.sendFailures());
        assertEquals(1, held.dropped());
        assertTrue(held.isEmpty(), "nothing is left to offer again");
        assertEquals(0, held.release(2_000), "the next cycle offers nothing old");
        assertEquals(1, held.sendFailures());

        final List<Integer> marks = new ArrayList<>();
        final long deadline = System.currentTimeMillis() + 5_000;
        while (marks.size() < 2 && System.currentTimeMillis() < deadline)
        {
            sub.poll((buffer, offset, length, header) -> marks.add(buffer.getInt(offset)), 10);
        }
        assertEquals(List.of(1, 3), marks);
    }

    @Test
    void backPressuredFramesStayHeldInOrderAndGoLater() throws Exception
    {
        final Subscription sub = aeron.addSubscription("aeron:ipc?term-length=64k", 8);
        final Publication pub = aeron.addPublication("aeron:ipc?term-length=64k", 8);
        while (!pub.isConnected())
        {
            Thread.sleep(1);
        }
        final HeldFrames held = new HeldFrames(1 << 20, 10_000_000_000L, "node 9");
        final int index = held.register(pub);
        // 64 frames of 4 KiB: more than the subscriber's window (half a 64 KiB term) before it reads any
        for (int i = 0; i < 64; i++)
        {
            held.hold(index, frame(4096, i), 0, 4096);
        }
        final int first = held.release(1_000);
        assertTrue(first < 64, "the publication was back-pressured: " + first);
        assertTrue(held.backPressured() > 0);
        final List<Integer> marks = new ArrayList<>();
        final io.aeron.FragmentAssembler assembler =
            new io.aeron.FragmentAssembler((buffer, offset, length, header) -> marks.add(buffer.getInt(offset)));
        int sent = first;
        final long deadline = System.currentTimeMillis() + 5_000;
        while (marks.size() < 64 && System.currentTimeMillis() < deadline)
        {
            sub.poll(assembler, 64);
            sent += held.release(2_000);
        }
        assertEquals(0, held.dropped());
        assertEquals(0, held.sendFailures());
        assertEquals(64, sent, "marks " + marks);
        for (int i = 0; i < 64; i++)
        {
            assertEquals(i, marks.get(i), "in order");
        }
    }
}
