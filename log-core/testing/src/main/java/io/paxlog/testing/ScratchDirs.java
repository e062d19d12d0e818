package io.paxlog.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Scratch directories that tests leave no trace of: a directory made by {@link #create(String)} while a test runs is
 * deleted after that test, one made before the tests of a class (a {@code @BeforeAll}) after the class. A test that
 * fails keeps its directory for diagnosis, but only its small files and logs: journals and Aeron term buffers (a
 * run of 1 MiB commands leaves a gigabyte) are removed, so a failing build cannot fill the disk for the next.
 *
 * <p>Registered for every test class through JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension}). Threading: test classes run one at a time
 * in one JVM (surefire's default), which the two static lists rely on.
 */
public final class ScratchDirs implements BeforeEachCallback, AfterEachCallback, AfterAllCallback
{
    /** Files up to this size survive in a failed test's directory, as do logs of any size. */
    static final long KEPT_FILE_BYTES_MAX = 1 << 20;

    private static final List<Path> TEST_DIRS = new ArrayList<>();
    private static final List<Path> CLASS_DIRS = new ArrayList<>();
    private static boolean inTest;
    private static boolean classFailed;

    /** A new directory under the system temporary directory, named {@code prefix} and random digits. */
    public static synchronized Path create(final String prefix) throws IOException
    {
        final Path dir = Files.createTempDirectory(prefix);
        (inTest ? TEST_DIRS : CLASS_DIRS).add(dir);
        return dir;
    }

    /**
     * A new directory that lives until the tests of the running class are done, for state a class keeps in a static
     * field across its tests (a fuzz target's client, say).
     */
    public static synchronized Path createForClass(final String prefix) throws IOException
    {
        final Path dir = Files.createTempDirectory(prefix);
        CLASS_DIRS.add(dir);
        return dir;
    }

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        synchronized (ScratchDirs.class)
        {
            inTest = true;
        }
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        final boolean failed = context.getExecutionException().isPresent();
        synchronized (ScratchDirs.class)
        {
            inTest = false;
            classFailed |= failed;
            cleanUp(TEST_DIRS, failed);
        }
    }

    @Override
    public void afterAll(final ExtensionContext context)
    {
        synchronized (ScratchDirs.class)
        {
            final boolean failed = classFailed || context.getExecutionException().isPresent();
            classFailed = false;
            cleanUp(CLASS_DIRS, failed);
        }
    }

    private static void cleanUp(final List<Path> dirs, final boolean failed)
    {
        for (final Path dir : dirs)
        {
            if (failed)
            {
                prune(dir);
            }
            else
            {
                delete(dir);
            }
        }
        dirs.clear();
    }

    /** Deletes {@code dir} and everything under it; a file already gone is no error. */
    public static void delete(final Path dir)
    {
        walkDeepestFirst(dir, p -> true);
    }

    /** Deletes every file under {@code dir} that is not a log and is larger than {@link #KEPT_FILE_BYTES_MAX}. */
    static void prune(final Path dir)
    {
        walkDeepestFirst(dir, p -> Files.isRegularFile(p) && !isLog(p) && size(p) > KEPT_FILE_BYTES_MAX);
    }

    private static boolean isLog(final Path file)
    {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".log") || name.endsWith(".out") || name.endsWith(".err") || name.endsWith(".txt");
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static void walkDeepestFirst(final Path dir, final java.util.function.Predicate<Path> doomed)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                if (doomed.test(p))
                {
                    Files.deleteIfExists(p);
                }
            }
        }
        catch (final IOException | UncheckedIOException ex)
        {
            System.err.println("ScratchDirs: cannot clean up " + dir + ": " + ex);
        }
    }
}
