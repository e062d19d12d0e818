package io.paxlog.node;

import io.paxlog.testing.RepoRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Child process for the kill -9 test: replays the journal, then appends the deterministic sequence forever. */
public final class JournalWriterMain
{
    private JournalWriterMain()
    {
    }

    static String expected(final int i)
    {
        switch (i % 5)
        {
            case 0:
                return "promise " + (1000 + i);
            case 4:
                return "commit " + i;
            default:
                return "accepted " + i + " " + (1000 + i) + " " + (i % 10 == 3 ? JournalRecoveryTest.config(i) :
                    io.paxlog.core.Entry.command(7, i, 100L * i, ("payload-" + i).getBytes()));
        }
    }

    public static void main(final String[] args)
    {
        try (ChronicleJournal j = new ChronicleJournal(Path.of(args[0]), SyncPolicy.NONE))
        {
            final JournalRecoveryTest.Collect c = new JournalRecoveryTest.Collect();
            j.replay(c);
            int i = c.records.size();
            System.out.println("writing from " + i);
            System.out.flush();
            while (true)
            {
                JournalRecoveryTest.write(j, i++);
            }
        }
    }

    static Process launch(final Path dir) throws Exception
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LocalProcessCluster.jvmFlags(RepoRoot.path()));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JournalWriterMain.class.getName());
        cmd.add(dir.toString());
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("writing from"))
        {
            System.out.println("journal writer: " + line);
        }
        if (line == null)
        {
            throw new IllegalStateException("journal writer exited before writing");
        }
        return p;
    }
}
