package io.paxlog.ops.campaign;

import io.paxlog.client.NodeStatusReport;
import io.paxlog.protocol.Member;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * The campaign's one membership change: in the middle of the fault period, a member that is up and does not lead is
 * replaced by a new one on its host, with {@code ops/cluster replace-member --config FILE --node OLD --new NEW} (NEW:
 * the lowest id the cluster never used), while the workload and the nemesis go on. The command starts NEW in OLD's
 * namespace, has the leader add it (a learner, then a voter once caught up) and remove OLD in one change, waits until
 * every voter of the new configuration committed it, stops OLD and records the change in the cluster file. Then
 * {@link CurrentMembers} puts NEW in OLD's slot, so faults, the monitor and the final checks use NEW from then on.
 *
 * <p>While it runs it {@link CurrentMembers#claim claims} OLD and NEW, so no process fault kills or pauses either
 * (a fault would restart OLD after its removal, or make the change fail by stopping the member it waits for);
 * network faults on their host and faults on the other members, the leader included, go on.
 */
final class MemberReplacement
{
    /** How long to look for a member that is up and not claimed by a fault. */
    static final long PICK_TIMEOUT_MS = 30_000;
    /** The command's limit: AdminMain waits up to 120 s for the change, ops/cluster a few more for the processes. */
    static final long COMMAND_TIMEOUT_MS = 240_000;

    /**
     * What happened.
     *
     * @param oldId  the member replaced, or -1 if none could be picked
     * @param newId  the new member's id, or -1
     * @param ok     true when the command succeeded and the new member is in {@link CurrentMembers}
     * @param output the command's output, or why it was not run
     */
    record Outcome(int oldId, int newId, long tookMs, boolean ok, String output)
    {
        /** The final line's field value: {@code OLD->NEW}, or {@code failed:OLD->NEW}. */
        String field()
        {
            return (ok ? "" : "failed:") + oldId + "->" + newId;
        }

        /** A campaign problem, for a failed replacement. */
        String problem()
        {
            return "replace-member old=" + oldId + " new=" + newId + " failed after " + tookMs + " ms: " +
                output.replace('\n', '|');
        }
    }

    private final ClusterFile cluster;
    private final CurrentMembers members;
    private final Shell shell;
    private final History history;
    private final IntSupplier leader;
    private final String opsCluster;
    private final SplittableRandom random;

    MemberReplacement(final ClusterFile cluster, final CurrentMembers members, final Shell shell,
        final History history, final IntSupplier leader, final String opsCluster, final long seed)
    {
        this.cluster = cluster;
        this.members = members;
        this.shell = shell;
        this.history = history;
        this.leader = leader;
        this.opsCluster = opsCluster;
        this.random = new SplittableRandom(seed * 13 + 5);
    }

    /** Replaces one member; blocks until the command ended. */
    Outcome run() throws InterruptedException
    {
        final int newId = ClusterFile.load(cluster.file()).freshId();
        if (newId < 0)
        {
            return new Outcome(-1, -1, 0, false, "no member id left in 0.." + Member.ID_MAX);
        }
        final int oldId = pickOld();
        if (oldId < 0)
        {
            return new Outcome(-1, newId, 0, false, "no member was up, unclaimed by a fault and not leading for " +
                PICK_TIMEOUT_MS / 1_000 + " s");
        }
        members.claim(newId);
        try
        {
            return replace(oldId, newId);
        }
        finally
        {
            members.release(oldId);
            members.release(newId);
        }
    }

    private Outcome replace(final int oldId, final int newId)
    {
        final long startNs = history.nowNs();
        final Shell.Result result = shell.run(COMMAND_TIMEOUT_MS, List.of(opsCluster, "replace-member", "--config",
            cluster.file().toString(), "--node", Integer.toString(oldId), "--new", Integer.toString(newId)));
        String output = result.output() + (result.ok() ? "" : "\n(exit " + result.exitCode() + ")");
        boolean ok = result.ok();
        if (ok)
        {
            final String adopted = adopt(oldId, newId);
            if (adopted != null)
            {
                ok = false;
                output = output + "\n" + adopted;
            }
        }
        final History.Replacement record = new History.Replacement(oldId, newId, startNs, history.nowNs(), ok);
        history.replaced(record);
        return new Outcome(oldId, newId, record.tookMs(), ok, output);
    }

    /** Puts NEW, as the cluster file now records it, in OLD's slot; null when done, else why not. */
    private String adopt(final int oldId, final int newId)
    {
        final ClusterFile now;
        try
        {
            now = ClusterFile.load(cluster.file());
        }
        catch (final IllegalArgumentException ex)
        {
            return "the cluster file does not load after the change: " + ex.getMessage();
        }
        final int position = now.position(newId);
        if (position < 0 || now.position(oldId) >= 0)
        {
            return "the cluster file does not record member " + newId + " joined and member " + oldId + " removed";
        }
        members.replace(oldId, now.members()[position], now.memberNetns()[position]);
        return null;
    }

    /**
     * A member to replace, claimed: one that is up (its process runs and it answers its status), is not claimed by
     * a process fault, and does not lead (unless it is the only member); -1 if none within
     * {@link #PICK_TIMEOUT_MS}.
     */
    private int pickOld() throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + PICK_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline)
        {
            final List<Integer> candidates = candidates();
            if (!candidates.isEmpty())
            {
                final int id = candidates.get(random.nextInt(candidates.size()));
                if (members.claim(id))
                {
                    if (answers(id) && (id != leader.getAsInt() || members.size() == 1))
                    {
                        return id;
                    }
                    members.release(id);
                }
            }
            Thread.sleep(200);
        }
        return -1;
    }

    private List<Integer> candidates()
    {
        final int leading = leader.getAsInt();
        final List<Integer> ids = new ArrayList<>();
        for (final int id : members.ids())
        {
            final long pid = cluster.pid(id);
            final boolean alive = pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            if (alive && !members.claimed(id) && (id != leading || members.size() == 1))
            {
                ids.add(id);
            }
        }
        return ids;
    }

    private boolean answers(final int id)
    {
        try
        {
            final NodeStatusReport status = members.admin().status(id, 500_000_000L);
            return status != null && status.nodeId() == id;
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
    }
}
