package io.paxlog.client;

import io.paxlog.codecs.ReadConsistency;
import io.paxlog.node.Member;
import io.paxlog.sm.CounterMachine;

import static io.paxlog.cli.CliArgs.parseLong;
import static io.paxlog.cli.CliArgs.positiveLong;
import static io.paxlog.cli.CliArgs.value;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code ops/client --dir DIR counter add NAME DELTA [--repeat K] | counter get NAME | counter cas NAME EXPECTED NEW}.
 * Prints the resulting value. Exit codes: 0 done, 1 the cluster did not answer in time, 2 usage error.
 */
public final class ClientMain
{
    static final String USAGE = String.join("\n",
        "usage: ops/client --dir DIR counter add NAME DELTA [--repeat K]",
        "       ops/client --dir DIR counter get NAME",
        "       ops/client --dir DIR counter cas NAME EXPECTED NEW",
        "  --dir DIR        the cluster directory written by ops/cluster up (reads DIR/cluster.properties)",
        "  --timeout-ms T   give up a call after T ms (default 10000)");

    private ClientMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    static int run(final String[] args)
    {
        String dir = null;
        long timeoutMs = 10_000;
        int repeat = 1;
        final List<String> words = new ArrayList<>();
        try
        {
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--dir" -> dir = value(args, ++i, "--dir");
                    case "--timeout-ms" -> timeoutMs = positiveLong("--timeout-ms", value(args, ++i, "--timeout-ms"));
                    case "--repeat" -> repeat = (int)positiveLong("--repeat", value(args, ++i, "--repeat"));
                    case "--help", "-h" ->
                    {
                        System.out.println(USAGE);
                        return 0;
                    }
                    default ->
                    {
                        if (args[i].startsWith("--"))
                        {
                            throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                        }
                        words.add(args[i]);
                    }
                }
            }
            if (dir == null)
            {
                throw new IllegalArgumentException("--dir is required");
            }
            if (words.size() < 3 || !words.get(0).equals("counter"))
            {
                throw new IllegalArgumentException("expected 'counter add|get|cas NAME ...'");
            }
            final String op = words.get(1);
            final String name = words.get(2);
            final byte[] command;
            switch (op)
            {
                case "add" ->
                {
                    expectArgs(words, 4, "counter add NAME DELTA");
                    command = CounterMachine.add(name, parseLong("DELTA", words.get(3)));
                }
                case "get" ->
                {
                    expectArgs(words, 3, "counter get NAME");
                    command = CounterMachine.get(name);
                }
                case "cas" ->
                {
                    expectArgs(words, 5, "counter cas NAME EXPECTED NEW");
                    command = CounterMachine.cas(name, parseLong("EXPECTED", words.get(3)),
                        parseLong("NEW", words.get(4)));
                }
                default -> throw new IllegalArgumentException("unknown counter operation '" + op + "'");
            }
            final Member[] members = members(Path.of(dir));
            try (PaxlogClient client = new PaxlogClient(members, "/dev/shm/paxlog-client-" + ProcessHandle.current().pid(),
                200_000_000L, timeoutMs * 1_000_000L))
            {
                byte[] result = null;
                if (op.equals("get"))
                {
                    result = client.query(command, ReadConsistency.LINEARIZABLE, 0).value();
                }
                else
                {
                    for (int i = 0; i < (op.equals("add") ? repeat : 1); i++)
                    {
                        result = client.command(command).value();
                    }
                }
                if (op.equals("cas"))
                {
                    System.out.println((CounterMachine.casSucceeded(result) ? "ok " : "failed ") +
                        CounterMachine.valueOf(result));
                }
                else
                {
                    System.out.println(CounterMachine.valueOf(result));
                }
                return 0;
            }
            catch (final PaxlogException ex)
            {
                System.err.println("ops/client: " + ex.getMessage());
                return 1;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("ops/client: " + ex.getMessage());
            System.err.println(USAGE);
            return 2;
        }
    }

    static Member[] members(final Path dir)
    {
        final Path file = dir.resolve("cluster.properties");
        final Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            p.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("--dir " + dir + ": cannot read " + file + " (run ops/cluster up first)");
        }
        final String list = p.getProperty("paxlog.cluster.members");
        if (list == null)
        {
            throw new IllegalArgumentException(file + ": paxlog.cluster.members is missing");
        }
        return Member.parseList(list);
    }

    private static void expectArgs(final List<String> words, final int n, final String form)
    {
        if (words.size() != n)
        {
            throw new IllegalArgumentException("expected '" + form + "'");
        }
    }
}
