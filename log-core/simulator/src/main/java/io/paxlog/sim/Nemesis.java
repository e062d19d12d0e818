package io.paxlog.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws and applies the faults of one seed during its fault phase: partitions of every shape (isolated node,
 * majority/minority, bridge, overlapping majorities, one-way), process and machine crashes with restarts,
 * pauses longer than the lease, link stalls, whole-cluster crashes, clock-rate changes within the bound and
 * replaced disks (a machine back at once with an empty disk: the node refuses to start as itself); with
 * membership on, also membership changes (add a fresh member, remove a voter, replace one, above all a lost one:
 * see {@link #changeMembership}). Faults pick their targets among the nodes that exist and were not removed. A
 * one-node cluster draws no partitions or link stalls (there is no link between nodes to cut); loss, duplication
 * and delay still hit its clients' messages, and it crashes, pauses and drifts like any node.
 */
final class Nemesis
{
    private final Simulation sim;
    private final SimParams params;
    private final SplittableRandom random;
    private final List<Runnable> actions = new ArrayList<>();
    private int permanentlyLost;

    Nemesis(final Simulation sim, final SimParams params, final SplittableRandom random)
    {
        this.sim = sim;
        this.params = params;
        this.random = random;
        if (params.partitions)
        {
            actions.add(this::partition);
            actions.add(this::partition);
            actions.add(sim::healPartition);
        }
        if (params.crashes || params.machineCrashes)
        {
            actions.add(this::crashOne);
        }
        if (params.pauses)
        {
            actions.add(this::pauseOne);
        }
        if (params.stalls)
        {
            actions.add(this::stallLinks);
        }
        if (params.crashAll)
        {
            actions.add(this::crashAllRarely);
        }
        if (params.driftChanges)
        {
            actions.add(this::changeDrift);
        }
        if (params.diskReplacements)
        {
            actions.add(this::replaceDisk);
        }
        if (params.membership)
        {
            actions.add(this::changeMembership);
            actions.add(this::changeMembership);
        }
    }

    /** One nemesis step; returns the delay until the next one. */
    long step()
    {
        if (!actions.isEmpty())
        {
            actions.get(random.nextInt(actions.size())).run();
        }
        return params.nemesisGapMinNs + random.nextLong(params.nemesisGapMaxNs - params.nemesisGapMinNs + 1);
    }

    private void partition()
    {
        final int[] ids = sim.activeIds();
        final int n = ids.length;
        final boolean[][] local = new boolean[n][n];
        final String what = partition(local);
        final boolean[][] blocked = new boolean[params.idCapacity][params.idCapacity];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                blocked[ids[i]][ids[j]] = local[i][j];
            }
        }
        sim.setPartition(blocked, what);
    }

    /** Draws a partition among {@code blocked.length} nodes (indexes into {@link Simulation#activeIds()}). */
    private String partition(final boolean[][] blocked)
    {
        final int n = blocked.length;
        final int kind = random.nextInt(5);
        final String what;
        final String kindName;
        switch (kind)
        {
            case 0:
            {
                final int x = random.nextInt(n);
                for (int i = 0; i < n; i++)
                {
                    if (i != x)
                    {
                        blocked[x][i] = true;
                        blocked[i][x] = true;
                    }
                }
                what = "isolate " + name(x);
                kindName = "isolate";
                break;
            }
            case 1:
            {
                final int[] perm = permutation(n);
                final int minority = (n - 1) / 2;
                final boolean[] inMinority = new boolean[n];
                for (int i = 0; i < minority; i++)
                {
                    inMinority[perm[i]] = true;
                }
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        blocked[i][j] = inMinority[i] != inMinority[j];
                    }
                }
                what = "majority/minority split";
                kindName = "split";
                break;
            }
            case 2:
            {
                final int[] perm = permutation(n);
                final int bridge = perm[0];
                final boolean[] sideA = new boolean[n];
                for (int i = 1; i < n; i++)
                {
                    sideA[perm[i]] = i % 2 == 1;
                }
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        blocked[i][j] = i != bridge && j != bridge && sideA[i] != sideA[j];
                    }
                }
                what = "bridge via " + name(bridge);
                kindName = "bridge";
                break;
            }
            case 3:
            {
                // each node reaches a majority, but the majorities differ
                final int[] perm = permutation(n);
                if (n == 3)
                {
                    blocked[perm[0]][perm[1]] = true;
                    blocked[perm[1]][perm[0]] = true;
                }
                else
                {
                    final int reach = (n / 2 + 1) / 2;
                    for (int a = 0; a < n; a++)
                    {
                        for (int b = 0; b < n; b++)
                        {
                            final int d = Math.abs(a - b);
                            blocked[perm[a]][perm[b]] = Math.min(d, n - d) > reach;
                        }
                    }
                }
                what = "overlapping majorities";
                kindName = "overlap";
                break;
            }
            default:
            {
                final int x = random.nextInt(n);
                final boolean inbound = random.nextBoolean();
                for (int i = 0; i < n; i++)
                {
                    if (i != x)
                    {
                        if (inbound)
                        {
                            blocked[i][x] = true;
                        }
                        else
                        {
                            blocked[x][i] = true;
                        }
                    }
                }
                what = "one-way: " + name(x) + (inbound ? " hears nobody" : " reaches nobody");
                kindName = "one-way";
                break;
            }
        }
        sim.fault("partition:" + kindName);
        return what;
    }

    /** The name of the node at index {@code i} of {@link Simulation#activeIds()}. */
    private String name(final int i)
    {
        return "n" + sim.activeIds()[i];
    }

    private int[] permutation(final int n)
    {
        final int[] p = new int[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private int pick()
    {
        final int[] ids = sim.activeIds();
        return ids[random.nextInt(ids.length)];
    }

    private void crashOne()
    {
        final int x = pick();
        final SimNode node = sim.node(x);
        if (!node.running())
        {
            return;
        }
        final boolean machine = params.machineCrashes && (!params.crashes || random.nextBoolean());
        if (machine && params.syncMode == SimParams.SyncMode.NONE)
        {
            // with sync none a machine crash loses the unsynced tail: that node must come back as a new member,
            // so it stays down; at most N - max(R, W) such losses keep the cluster live. Past that budget (at once
            // for a one-node cluster, whose only node would take every acknowledged write with it) the crash is a
            // process crash: the page cache survives
            final int lossBudget = params.nodes - Math.max(params.electionQuorum, params.acceptQuorum);
            if (params.membership ? !sim.mayLoseForGood(x) : permanentlyLost >= lossBudget)
            {
                sim.crash(x, false, 20_000_000L + random.nextLong(600_000_000L));
                return;
            }
            permanentlyLost++;
            sim.crashPermanently(x);
            return;
        }
        sim.crash(x, machine, 20_000_000L + random.nextLong(600_000_000L));
    }

    /**
     * A machine's disk is replaced: it comes back at once with an empty disk. The node must refuse to start as
     * itself, so this is a loss for good, within the same bounds as a machine lost under sync none (with
     * membership, {@link MembershipFaults} replaces it by a new member). The planted bug
     * {@link io.paxlog.core.PlantedBug#WIPED_REJOINS_AS_SELF} takes the same decisions, then starts it as itself.
     */
    private void replaceDisk()
    {
        final int x = pick();
        if (sim.node(x).state == SimNode.State.LOST)
        {
            return;
        }
        final int lossBudget = params.nodes - Math.max(params.electionQuorum, params.acceptQuorum);
        if (params.membership ? !sim.mayLoseForGood(x) : permanentlyLost >= lossBudget)
        {
            return;
        }
        permanentlyLost++;
        sim.replaceDisk(x);
    }

    private void pauseOne()
    {
        final int x = pick();
        sim.pause(x, params.leaseNs + params.leaseNs / 5 + random.nextLong(params.leaseNs * 3));
    }

    private void stallLinks()
    {
        final int from = pick();
        final long untilNs = sim.now() + 10_000_000L + random.nextLong(290_000_000L);
        if (random.nextBoolean())
        {
            sim.stall(from, pick(), untilNs);
        }
        else
        {
            for (final int to : sim.activeIds())
            {
                sim.stall(from, to, untilNs);
            }
        }
    }

    private void crashAllRarely()
    {
        if (random.nextInt(4) != 0)
        {
            return;
        }
        sim.fault("crash:all");
        for (final int x : sim.activeIds())
        {
            sim.crash(x, true, 10_000_000L + random.nextLong(300_000_000L));
        }
    }

    /** Starts a membership change unless one is under way (see {@link MembershipFaults#start}). */
    private void changeMembership()
    {
        sim.membership().start(random);
    }

    private void changeDrift()
    {
        final int x = pick();
        sim.setRate(x, params.drawRate(random, sim.driftFactor()));
    }
}
