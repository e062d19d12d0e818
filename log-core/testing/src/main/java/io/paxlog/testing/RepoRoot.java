package io.paxlog.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root of the Paxlog checkout, for tests that launch nodes the way the ops scripts do (they read
 * {@code ops/lib/jvm.flags} under it): found by walking up from the working directory of the test, which Maven sets to
 * the module's directory, however deep the module is nested.
 */
public final class RepoRoot
{
    private RepoRoot()
    {
    }

    /** The nearest directory at or above the working directory that holds {@code ops/lib/jvm.flags}. */
    public static Path path()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            if (Files.isRegularFile(dir.resolve("ops").resolve("lib").resolve("jvm.flags")))
            {
                return dir;
            }
        }
        throw new IllegalStateException("no ops/lib/jvm.flags at or above " + Path.of("").toAbsolutePath() +
            ": run the tests from inside the Paxlog checkout");
    }
}
