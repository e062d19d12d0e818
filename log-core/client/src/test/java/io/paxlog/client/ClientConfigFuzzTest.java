package io.paxlog.client;

import io.paxlog.testing.ScratchDirs;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.paxlog.protocol.Member;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzing and bad input: a client made from hostile configuration strings, the members list (as
 * {@code paxlog.cluster.members} gives it: hosts pasted into Aeron channel URIs) and the media driver directory.
 *
 * <p>Input: the members list, a 0xFF byte, the directory (each decoded as UTF-8). Property: the list is parsed and
 * the context concluded, and when both pass and every host is an IPv4 literal or {@code localhost} (no DNS lookup,
 * so the target stays fast and offline) a client is really made (in a fresh scratch directory: a fuzzed directory
 * is only validated, never launched, as the driver deletes it on start) and closed; anything refused is refused with
 * an {@link IllegalArgumentException} or {@link PaxlogException} whose message is one printable line. Any other
 * exception, a trace from Aeron or the JDK, or a multi-line message, is a finding.
 */
class ClientConfigFuzzTest
{
    private static final Pattern NUMERIC_OR_LOCALHOST = Pattern.compile(
        "localhost|((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");
    private static final Pattern ONE_PRINTABLE_LINE = Pattern.compile("[^\\p{Cntrl}\\u2028\\u2029]{1,400}");
    private static Path scratch;

    @FuzzTest(maxDuration = "30s")
    void hostileConfigStringsGiveAOneLineErrorOrAClient(final byte[] input) throws IOException
    {
        int split = 0;
        while (split < input.length && input[split] != (byte)0xFF)
        {
            split++;
        }
        final String members = new String(input, 0, split, StandardCharsets.UTF_8);
        final String dir = split < input.length ?
            new String(input, split + 1, input.length - split - 1, StandardCharsets.UTF_8) : "aeron";
        try
        {
            final Member[] parsed = Member.parseList(members);
            new PaxlogClientContext().members(parsed).aeronDirectoryName(dir).conclude();
            if (Arrays.stream(parsed).allMatch(m -> NUMERIC_OR_LOCALHOST.matcher(m.host()).matches()))
            {
                new PaxlogClient(new PaxlogClientContext().members(parsed)
                    .aeronDirectoryName(Files.createTempDirectory(scratch(), "aeron").toString())).close();
            }
        }
        catch (final IllegalArgumentException | PaxlogException ex)
        {
            assertTrue(ex.getMessage() != null && ONE_PRINTABLE_LINE.matcher(ex.getMessage()).matches(),
                "one printable line: " + ex.getMessage());
        }
    }

    @Test
    void aMemberMadeInCodeIsCheckedToo()
    {
        final IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new Member(0, "10.0.0.1|ttl=1", 20001, 20002));
        assertTrue(ex.getMessage().contains("the host must be a name or IPv4 address"), ex.getMessage());
    }

    private static synchronized Path scratch() throws IOException
    {
        if (scratch == null)
        {
            scratch = ScratchDirs.createForClass("paxlog-fuzz-client-config");
        }
        return scratch;
    }
}
