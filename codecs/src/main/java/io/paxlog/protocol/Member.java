package io.paxlog.protocol;

import io.paxlog.codecs.ProtocolLimits;

/**
 * One cluster member's identity and endpoints, as the cluster configuration lists them. Every member is checked
 * when made, however it is made ({@link #parse} or the constructor): the host goes into Aeron channel URIs, so it
 * must be a plain name or IPv4 address. Nodes and clients both read the text form
 * ({@code id=host:consensusPort:clientPort}, {@link #parseList}): in configuration files, in configuration entries
 * and in the member lists REDIRECTs carry.
 *
 * @throws IllegalArgumentException (one line) for a negative id, a port outside 1..65535 or a host that is not
 *     1..253 of letters, digits, '.', '-', '_'.
 */
public record Member(int id, String host, int consensusPort, int clientPort)
{
    private static final int HOST_LENGTH_MAX = 253;
    /** The longest port, in decimal digits. */
    private static final int PORT_DIGITS_MAX = 5;

    /** The largest member id (configurations hold ids 0..63): {@link ProtocolLimits#MEMBER_ID_MAX}. */
    public static final int ID_MAX = ProtocolLimits.MEMBER_ID_MAX;

    /**
     * The longest list text of well-formed members ({@link #format}; what a node puts in a configuration entry and
     * a REDIRECT, and the most either side parses): every id with a host of the longest and two ports of the longest,
     * each {@code id=host:consensusPort:clientPort} followed by a comma.
     */
    public static final int LIST_TEXT_LENGTH_MAX = ProtocolLimits.MEMBER_IDS *
        (String.valueOf(ProtocolLimits.MEMBER_ID_MAX).length() + 1 + HOST_LENGTH_MAX + 1 + PORT_DIGITS_MAX + 1 +
            PORT_DIGITS_MAX + 1);

    public Member
    {
        if (id < 0)
        {
            throw new IllegalArgumentException("member id must be 0 or more: " + id);
        }
        if (consensusPort < 1 || consensusPort > 65535 || clientPort < 1 || clientPort > 65535)
        {
            throw new IllegalArgumentException("member " + id + ": ports must be in 1..65535");
        }
        if (host == null || host.isEmpty() || host.length() > HOST_LENGTH_MAX || !host.matches("[A-Za-z0-9._-]+"))
        {
            // the host goes into an Aeron channel URI: '?', '|', '=' or spaces would add or break parameters
            throw new IllegalArgumentException("member " + id + ": the host must be a name or IPv4 address " +
                "(1.." + HOST_LENGTH_MAX + " letters, digits, '.', '-', '_')");
        }
    }

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
            throw new IllegalArgumentException(oneLine(spec) + ": expected id=host:consensusPort:clientPort");
        }
        final String[] parts = idAndRest[1].split(":");
        if (parts.length != 3)
        {
            throw new IllegalArgumentException(oneLine(spec) + ": expected id=host:consensusPort:clientPort");
        }
        try
        {
            final int id = Integer.parseInt(idAndRest[0].trim());
            final int consensusPort = Integer.parseInt(parts[1].trim());
            final int clientPort = Integer.parseInt(parts[2].trim());
            return new Member(id, parts[0].trim(), consensusPort, clientPort);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(oneLine(spec) + ": id and ports must be integers");
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(oneLine(spec) + ": " + ex.getMessage());
        }
    }

    /**
     * {@code text} quoted for a one-line message: control characters (a newline in a config value) escaped as
     * a backslash, u and 4 hex digits, the result cut after 80 characters.
     */
    public static String oneLine(final String text)
    {
        // escaped first, then cut: 80 control characters escape to 480 (ops/fuzz client-config found a 520-character
        // message)
        final String escaped = ConfigException.printable(text.length() > 80 ? text.substring(0, 81) : text);
        final boolean cut = escaped.length() > 80;
        return "'" + (cut ? escaped.substring(0, 80) : escaped) + (cut ? "...'" : "'");
    }

    /**
     * Parses a comma-separated list of members ({@code id=host:consensusPort:clientPort,...}), in any order; each id
     * in 0..{@value #ID_MAX} at most once. Returned in the order given.
     */
    public static Member[] parseList(final String list)
    {
        final String[] specs = list.split(",");
        final Member[] members = new Member[specs.length];
        long seen = 0;
        for (int i = 0; i < specs.length; i++)
        {
            members[i] = parse(specs[i]);
            final int id = members[i].id();
            if (id > ID_MAX)
            {
                throw new IllegalArgumentException("member ids must be in 0.." + ID_MAX + ": " + id);
            }
            if ((seen & (1L << id)) != 0)
            {
                throw new IllegalArgumentException("member id " + id + " is listed twice");
            }
            seen |= 1L << id;
        }
        return members;
    }

    /** The list as {@link #parseList} reads it. */
    public static String format(final Member[] members)
    {
        final StringBuilder b = new StringBuilder();
        for (final Member m : members)
        {
            b.append(b.length() == 0 ? "" : ",").append(m.spec());
        }
        return b.toString();
    }

    /** {@code id=host:consensusPort:clientPort}, as {@link #parse} reads it. */
    public String spec()
    {
        return id + "=" + host + ":" + consensusPort + ":" + clientPort;
    }
}
