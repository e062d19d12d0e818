package io.paxlog.bench.run;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The description of the machine and JVM a run came from, written beside its results as {@code machine.txt}. */
final class MachineInfo
{
    private MachineInfo()
    {
    }

    static String describe(final String settings)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("date: ").append(java.time.ZonedDateTime.now()).append('\n');
        sb.append("cores: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        sb.append("cpu: ").append(firstLine(Path.of("/proc/cpuinfo"), "model name")).append('\n');
        sb.append("memory: ").append(firstLine(Path.of("/proc/meminfo"), "MemTotal")).append('\n');
        sb.append("load: ").append(firstLine(Path.of("/proc/loadavg"), "")).append('\n');
        sb.append("os: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
            .append(' ').append(System.getProperty("os.arch")).append('\n');
        sb.append("jdk: ").append(System.getProperty("java.vm.name")).append(' ')
            .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
            .append(")\n");
        sb.append("gc: ").append(ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "))).append('\n');
        sb.append("max heap: ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        sb.append("jvm flags: ").append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
            .append('\n');
        sb.append("paxlog commit: ").append(gitCommit()).append('\n');
        sb.append("settings: ").append(settings).append('\n');
        return sb.toString();
    }

    /** The value after the colon of the first line starting with {@code prefix} ("" = the whole first line). */
    private static String firstLine(final Path file, final String prefix)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file);
            for (final String line : lines)
            {
                if (line.startsWith(prefix))
                {
                    final int colon = line.indexOf(':');
                    return prefix.isEmpty() || colon < 0 ? line.trim() : line.substring(colon + 1).trim();
                }
            }
        }
        catch (final IOException ignored)
        {
            // not Linux: leave it out
        }
        return "unknown";
    }

    private static String gitCommit()
    {
        try
        {
            final Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                .directory(Path.of(System.getProperty("paxlog.home", ".")).toFile())
                .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0)
            {
                return out.toLowerCase(Locale.ROOT);
            }
        }
        catch (final IOException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
