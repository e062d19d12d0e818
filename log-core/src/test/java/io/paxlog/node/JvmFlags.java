package io.paxlog.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The JVM flags a child node process needs, read from the one place the launchers keep them. */
final class JvmFlags
{
    private JvmFlags()
    {
    }

    static List<String> forChildProcess() throws IOException
    {
        final Path flags = Path.of("..", "ops", "lib", "jvm.flags");
        return Files.readAllLines(flags).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .collect(Collectors.toList());
    }
}
