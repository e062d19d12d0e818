package io.paxlog.bench.run;

import java.util.Locale;

/**
 * The garbage-collection pauses of this JVM in one measured window, as {@link GcMeter} counted them.
 *
 * @param count   how many pauses started inside the window
 * @param totalMs their summed duration, milliseconds
 * @param maxMs   the longest of them, milliseconds (0 when there was none)
 */
public record GcPauses(int count, double totalMs, double maxMs)
{
    /** {@code gc 3 pauses, 58.0 ms total, 28.0 ms max}. */
    public String text()
    {
        return String.format(Locale.ROOT, "gc %d pauses, %.1f ms total, %.1f ms max", count, totalMs, maxMs);
    }
}
