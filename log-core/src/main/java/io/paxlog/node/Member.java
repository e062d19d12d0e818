package io.paxlog.node;

/** One cluster member's identity and endpoints, as the cluster configuration lists them. */
public record Member(int id, String host, int consensusPort, int clientPort)
{
    public String consensusChannel()
    {
        return "aeron:udp?endpoint=" + host + ":" + consensusPort;
    }

    public String clientChannel()
    {
        return "aeron:udp?endpoint=" + host + ":" + clientPort;
    }

    /** Parses {@code id=host:consensusPort:clientPort}. */
    public static Member parse(final String spec)
    {
        final String[] idAndRest = spec.trim().split("=", 2);
        if (idAndRest.length != 2)
        {
            throw new IllegalArgumentException("'" + spec + "': expected id=host:consensusPort:clientPort");
        }
        final String[] parts = idAndRest[1].split(":");
        if (parts.length != 3)
        {
            throw new IllegalArgumentException("'" + spec + "': expected id=host:consensusPort:clientPort");
        }
        try
        {
            final int id = Integer.parseInt(idAndRest[0].trim());
            final int consensusPort = Integer.parseInt(parts[1].trim());
            final int clientPort = Integer.parseInt(parts[2].trim());
            if (consensusPort < 1 || consensusPort > 65535 || clientPort < 1 || clientPort > 65535)
            {
                throw new IllegalArgumentException("'" + spec + "': ports must be in 1..65535");
            }
            final String host = parts[0].trim();
            if (!host.matches("[A-Za-z0-9._-]+"))
            {
                // the host goes into an Aeron channel URI: '?', '|', '=' or spaces would add or break parameters
                throw new IllegalArgumentException("'" + spec + "': the host must be a name or IPv4 address " +
                    "(letters, digits, '.', '-', '_')");
            }
            return new Member(id, host, consensusPort, clientPort);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + spec + "': id and ports must be integers");
        }
    }

    /** Parses a comma-separated list of members; ids must be 0..N-1 in order. */
    public static Member[] parseList(final String list)
    {
        final String[] specs = list.split(",");
        final Member[] members = new Member[specs.length];
        for (int i = 0; i < specs.length; i++)
        {
            members[i] = parse(specs[i]);
            if (members[i].id() != i)
            {
                throw new IllegalArgumentException("member ids must be 0..N-1 in order; found " + members[i].id() +
                    " at position " + i);
            }
        }
        return members;
    }
}
