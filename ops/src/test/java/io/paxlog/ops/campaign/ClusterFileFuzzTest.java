package io.paxlog.ops.campaign;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.protocol.Member;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input (issue 7): cluster-file parsing. The input is written as a cluster file and loaded with
 * {@link ClusterFile#load}; its first line is also given to {@link Member#parseList}. Properties: only an
 * IllegalArgumentException with a one-line message naming {@code --config} (load) is thrown, never anything else;
 * a file that loads has distinct member ids in 0..63 (any order: members replaced since are gone, joined ones
 * added), one namespace slot per member, and {@code size()} equal to N;
 * a parsed member's host is a plain host name or address (it is pasted into an Aeron channel URI, so a '?', '|'
 * or '=' in it would add channel parameters).
 */
class ClusterFileFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void arbitraryClusterFilesLoadOrNameTheProblem(final byte[] input) throws IOException
    {
        final Path file = Files.createTempFile("cluster-fuzz", ".properties");
        try
        {
            Files.write(file, input);
            try
            {
                final ClusterFile c = ClusterFile.load(file);
                assertEquals(c.members().length, c.size());
                assertEquals(c.members().length, c.memberNetns().length);
                long seen = 0;
                for (int i = 0; i < c.size(); i++)
                {
                    final int id = c.members()[i].id();
                    assertTrue(id >= 0 && id <= Member.ID_MAX && (seen & (1L << id)) == 0, "distinct ids 0..63");
                    seen |= 1L << id;
                    assertEquals(i, c.position(id));
                }
            }
            catch (final IllegalArgumentException ex)
            {
                assertTrue(ex.getMessage().startsWith("--config: "), "names the flag: " + ex.getMessage());
                assertTrue(ex.getMessage().indexOf('\n') < 0, "one line: " + ex.getMessage());
            }
        }
        finally
        {
            Files.deleteIfExists(file);
        }
        final String firstLine = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1).split("\n", 2)[0];
        try
        {
            final Member[] members = Member.parseList(firstLine);
            long seen = 0;
            for (int i = 0; i < members.length; i++)
            {
                final int id = members[i].id();
                assertTrue(id <= Member.ID_MAX && (seen & (1L << id)) == 0, "distinct member ids in 0..63");
                seen |= 1L << id;
                assertTrue(members[i].host().matches("[A-Za-z0-9._-]+"),
                    "a host that cannot change the Aeron channel it goes into: '" + members[i].host() + "'");
                assertTrue(members[i].consensusPort() >= 1 && members[i].consensusPort() <= 65535);
                assertTrue(members[i].clientPort() >= 1 && members[i].clientPort() <= 65535);
            }
        }
        catch (final IllegalArgumentException expected)
        {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty(), "says why");
        }
    }
}
