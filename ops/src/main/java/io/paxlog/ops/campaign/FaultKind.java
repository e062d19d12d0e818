package io.paxlog.ops.campaign;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults a campaign's nemesis can inject. Network faults run in one lane and process/clock faults in another,
 * so one of each can be active at a time (a partition during a pause, say). Faults named "-leader" pick whoever
 * leads when they start.
 */
enum FaultKind
{
    /** One member cut off from the other members (clients still reach it), by iptables INPUT rules. */
    PARTITION_ONE("partition-one", Lane.NET),
    /** The leader cut off from the other members. */
    PARTITION_LEADER("partition-leader", Lane.NET),
    /** A random minority cut off from the majority. */
    PARTITION_HALVES("partition-halves", Lane.NET),
    /** Two sides that cannot reach each other, and one member that reaches both. */
    PARTITION_BRIDGE("partition-bridge", Lane.NET),
    /** One member hears no other member, while they still hear it. */
    PARTITION_ONEWAY("partition-oneway", Lane.NET),
    /** Random loss of inbound packets on every member (iptables statistic). */
    LOSS("loss", Lane.NET),
    /** Every UDP packet between members sent twice (nft dup). */
    DUP("dup", Lane.NET),
    /**
     * The leader's inbound consensus traffic delayed (with jitter, so reordered) by the in-process shim, then the
     * leader cut off: a congested link that fails.
     */
    SLOW_PARTITION("slow-partition", Lane.NET),
    /** kill -9 of a random member, restarted later. */
    KILL("kill", Lane.PROC),
    /** kill -9 of the leader, restarted later. */
    KILL_LEADER("kill-leader", Lane.PROC),
    /** SIGSTOP of a random member for several lease periods, then SIGCONT. */
    PAUSE("pause", Lane.PROC),
    /** SIGSTOP of the leader for several lease periods, then SIGCONT. */
    PAUSE_LEADER("pause-leader", Lane.PROC),
    /** The leader's inbound consensus traffic delayed and reordered by the in-process shim. */
    DELAY_LEADER("delay-leader", Lane.PROC),
    /** A member restarted in a time namespace whose monotonic clock is offset by seconds (unshare --time). */
    CLOCK_OFFSET("clock-offset", Lane.PROC),
    /** A member restarted with its clock running fast or slow within the configured drift bound (libfaketime). */
    CLOCK_SKEW("clock-skew", Lane.PROC),
    /**
     * A member restarted with its clock running at a fifth of its speed, far beyond the default drift bound, made leader
     * and then cut off from the other members: the lease's safety assumption broken on purpose (not in the default
     * list; see docs/operations.md). It uses partitions, so it needs namespace hosts.
     */
    CLOCK_SKEW_BEYOND("clock-skew-beyond", Lane.PROC);

    enum Lane
    {
        NET, PROC
    }

    private final String cliName;
    private final Lane lane;

    FaultKind(final String cliName, final Lane lane)
    {
        this.cliName = cliName;
        this.lane = lane;
    }

    String cliName()
    {
        return cliName;
    }

    Lane lane()
    {
        return lane;
    }

    boolean needsShim()
    {
        return this == SLOW_PARTITION || this == DELAY_LEADER;
    }

    /** Every kind but {@link #CLOCK_SKEW_BEYOND}. */
    static List<FaultKind> defaults()
    {
        final List<FaultKind> list = new ArrayList<>(List.of(values()));
        list.remove(CLOCK_SKEW_BEYOND);
        return list;
    }

    /** Parses a comma list of names ("all" = the defaults plus clock-skew-beyond). */
    static List<FaultKind> parseList(final String text)
    {
        final List<FaultKind> list = new ArrayList<>();
        for (final String raw : text.split(","))
        {
            final String name = raw.trim();
            if (name.isEmpty())
            {
                continue;
            }
            if (name.equals("all"))
            {
                list.addAll(List.of(values()));
                continue;
            }
            if (name.equals("none"))
            {
                continue;
            }
            FaultKind found = null;
            for (final FaultKind k : values())
            {
                if (k.cliName.equals(name))
                {
                    found = k;
                }
            }
            if (found == null)
            {
                final StringBuilder known = new StringBuilder();
                for (final FaultKind k : values())
                {
                    known.append(known.length() == 0 ? "" : ",").append(k.cliName);
                }
                throw new IllegalArgumentException("--nemesis: unknown fault '" + name + "' (known: " + known +
                    ", all, none)");
            }
            if (!list.contains(found))
            {
                list.add(found);
            }
        }
        return list;
    }
}
