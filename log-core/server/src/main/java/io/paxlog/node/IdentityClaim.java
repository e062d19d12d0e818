package io.paxlog.node;

import io.paxlog.core.PlantedBug;
import io.paxlog.replica.IdentityCheck;
import io.paxlog.replica.IdentityCheck.Found;
import io.paxlog.replica.IdentityCheck.Refused;
import io.paxlog.replica.JournalIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A node's claim to its data directory at start: {@link IdentityCheck#refusal}, the rule it shares with the simulator,
 * applied to what the directory holds. Threading: the starting thread, before the node runs.
 */
public final class IdentityClaim
{
    private IdentityClaim()
    {
    }

    /**
     * Checks the node's directory ({@link IdentityCheck#refusal}); at a first start writes its {@link JournalIdentity}. With the
     * planted bug {@link PlantedBug#WIPED_REJOINS_AS_SELF} a node that lost its journal starts as itself anyway.
     *
     * @return true if this is the member's first start (it had no journal)
     * @throws Refused with the line to print
     */
    public static boolean claim(final NodeConfig config)
    {
        final Path journalDir = config.dir().resolve("journal");
        JournalIdentity identity = null;
        String unreadable = null;
        try
        {
            identity = JournalIdentity.read(journalDir);
        }
        catch (final JournalIdentity.Unreadable ex)
        {
            unreadable = ex.getMessage();
        }
        final Found found = new Found(identity, unreadable, ChronicleJournal.hasSegments(journalDir),
            hasSnapshots(config.dir().resolve("snapshots")));
        final String reason = IdentityCheck.refusal(config.clusterId(), config.nodeId(), found, config.stateRequired());
        final boolean wiped = identity == null && unreadable == null && !found.journalRecords();
        if (reason != null && !(wiped && config.plantedBugs().contains(PlantedBug.WIPED_REJOINS_AS_SELF)))
        {
            throw new Refused(IdentityCheck.line(config.nodeId(), config.dir().toString(), reason));
        }
        if (identity == null)
        {
            new JournalIdentity(config.clusterId(), config.nodeId()).write(journalDir);
        }
        return identity == null;
    }

    private static boolean hasSnapshots(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*"))
        {
            return files.iterator().hasNext();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }
}
