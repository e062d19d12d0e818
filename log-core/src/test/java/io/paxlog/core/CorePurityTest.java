package io.paxlog.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** io.paxlog.core is pure: no Aeron or Chronicle, no clock reads, no threads, no unseeded randomness. */
class CorePurityTest
{
    private static final List<Pattern> FORBIDDEN = List.of(
        Pattern.compile("import\\s+io\\.aeron"),
        Pattern.compile("import\\s+net\\.openhft"),
        Pattern.compile("System\\s*\\.\\s*nanoTime"),
        Pattern.compile("System\\s*\\.\\s*currentTimeMillis"),
        Pattern.compile("\\bThread\\b"),
        Pattern.compile("\\bExecutor"),
        Pattern.compile("new\\s+(java\\.util\\.)?Random\\s*\\("),
        Pattern.compile("ThreadLocalRandom"),
        Pattern.compile("Math\\s*\\.\\s*random"),
        Pattern.compile("new\\s+SplittableRandom\\s*\\(\\s*\\)"),
        Pattern.compile("Instant\\s*\\.\\s*now|LocalDateTime\\s*\\.\\s*now|Clock\\s*\\."));

    @Test
    void coreSourcesUseNoClockThreadsIoLibrariesOrUnseededRandomness() throws IOException
    {
        final Path core = Path.of("src/main/java/io/paxlog/core");
        assertTrue(Files.isDirectory(core), "run from the log-core module directory");
        final List<String> offences = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(core))
        {
            for (final Path p : (Iterable<Path>)paths.filter(x -> x.toString().endsWith(".java"))::iterator)
            {
                files++;
                final List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++)
                {
                    final String line = lines.get(i);
                    if (line.trim().startsWith("*") || line.trim().startsWith("//"))
                    {
                        continue;
                    }
                    for (final Pattern f : FORBIDDEN)
                    {
                        if (f.matcher(line).find())
                        {
                            offences.add(p.getFileName() + ":" + (i + 1) + ": " + line.trim());
                        }
                    }
                }
            }
        }
        assertTrue(files >= 10, "found the core sources");
        assertEquals(List.of(), offences);
    }
}
