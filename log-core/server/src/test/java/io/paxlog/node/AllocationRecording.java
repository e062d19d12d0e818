package io.paxlog.node;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Flight Recorder recording of the allocations that leave a thread-local allocation buffer (large objects and new
 * buffers), with stack traces, so an allocation test that fails can say where the bytes came from. Cheap while it
 * runs: a steady state that allocates nothing records nothing.
 */
final class AllocationRecording implements AutoCloseable
{
    private final Recording recording = new Recording();

    AllocationRecording()
    {
        recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
        recording.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
        recording.setToDisk(true);
        recording.start();
    }

    /** Stops recording; what was recorded stays readable until {@link #close()}. */
    void stop()
    {
        recording.stop();
    }

    /**
     * The largest allocation sites seen on the thread named {@code threadName}, one per line: bytes (the object's
     * size outside a buffer, the new buffer's size inside one), the event count and the top frames.
     */
    String topSites(final String threadName, final int sites) throws IOException
    {
        final Path file = Files.createTempFile("paxlog-alloc", ".jfr");
        try
        {
            recording.dump(file);
            final Map<String, long[]> bySite = new HashMap<>();
            for (final RecordedEvent event : RecordingFile.readAllEvents(file))
            {
                if (event.getThread() == null || !threadName.equals(event.getThread().getJavaName()))
                {
                    continue;
                }
                final long bytes = event.hasField("tlabSize") ? event.getLong("tlabSize") :
                    event.getLong("allocationSize");
                final long[] sum = bySite.computeIfAbsent(site(event), k -> new long[2]);
                sum[0] += bytes;
                sum[1]++;
            }
            final List<Map.Entry<String, long[]>> top = bySite.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(sites)
                .collect(Collectors.toList());
            final StringBuilder out = new StringBuilder();
            for (final Map.Entry<String, long[]> e : top)
            {
                out.append(String.format("%n  %,d B in %d events: %s", e.getValue()[0], e.getValue()[1], e.getKey()));
            }
            return out.length() == 0 ? " (no allocation events on " + threadName + ")" : out.toString();
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    private static String site(final RecordedEvent event)
    {
        final String type = event.getClass("objectClass") == null ? "?" : event.getClass("objectClass").getName();
        final RecordedStackTrace stack = event.getStackTrace();
        if (stack == null)
        {
            return type + " (no stack)";
        }
        return type + " at " + stack.getFrames().stream().limit(12).map(AllocationRecording::frame)
            .collect(Collectors.joining(" < "));
    }

    private static String frame(final RecordedFrame frame)
    {
        return frame.getMethod().getType().getName().replaceFirst("^.*\\.", "") + "." + frame.getMethod().getName() +
            ":" + frame.getLineNumber();
    }

    @Override
    public void close()
    {
        recording.close();
    }
}
