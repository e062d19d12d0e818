package io.paxlog.ops.campaign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the nemesis's shell commands (ip, iptables, nft, kill, ops/cluster) with a time limit, logging each command
 * line, exit code and output to the campaign's nemesis log. Thread-safe.
 */
final class Shell
{
    /** What a command did. */
    record Result(int exitCode, String output)
    {
        boolean ok()
        {
            return exitCode == 0;
        }
    }

    private final PrintStream log;
    private final long startNs;

    Shell(final PrintStream log, final long startNs)
    {
        this.log = log;
        this.startNs = startNs;
    }

    Result run(final long timeoutMs, final List<String> command)
    {
        return run(timeoutMs, Map.of(), command);
    }

    /** Runs {@code command} with extra environment; a command still running after {@code timeoutMs} is killed. */
    Result run(final long timeoutMs, final Map<String, String> env, final List<String> command)
    {
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        int code;
        String out;
        try
        {
            final Process process = pb.start();
            process.getOutputStream().close();
            final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            final Thread reader = new Thread(() -> copy(process.getInputStream(), buffer), "shell-output");
            reader.setDaemon(true);
            reader.start();
            if (process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                code = process.exitValue();
            }
            else
            {
                process.destroyForcibly();
                code = 124;
            }
            reader.join(1_000);
            synchronized (buffer)
            {
                out = buffer.toString(StandardCharsets.UTF_8).trim();
            }
        }
        catch (final IOException ex)
        {
            code = 127;
            out = ex.getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            code = 130;
            out = "interrupted";
        }
        synchronized (log)
        {
            log.printf("%10.3f $ %s%s -> %d%s%n", (System.nanoTime() - startNs) / 1e9,
                env.isEmpty() ? "" : env + " ", String.join(" ", command), code, out.isEmpty() ? "" : "\n    " +
                out.replace("\n", "\n    "));
        }
        return new Result(code, out);
    }

    private static void copy(final InputStream in, final ByteArrayOutputStream out)
    {
        final byte[] chunk = new byte[4096];
        try
        {
            int n;
            while ((n = in.read(chunk)) > 0)
            {
                synchronized (out)
                {
                    if (out.size() < 64 * 1024)
                    {
                        out.write(chunk, 0, n);
                    }
                }
            }
        }
        catch (final IOException ignored)
        {
            // the process ended
        }
    }
}
