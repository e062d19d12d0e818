package io.paxlog.bench;

import io.aeron.cluster.client.ClusterEvent;

import java.util.concurrent.CountDownLatch;

/**
 * One Aeron Cluster member ({@link AeronClusterMember}, configured exactly as in-process) in its own JVM, for
 * {@link AeronClusterTarget} in the {@link BenchSettings#PROCESSES} topology:
 * {@code AeronClusterMemberMain MEMBER_ID MEMBER_LIST ARCHIVE_ENDPOINT DIR IDLE HEARTBEAT_INTERVAL_NS
 * HEARTBEAT_TIMEOUT_NS} (see {@link AeronClusterMember.Spec}).
 *
 * <p>Every 50 ms it writes {@code DIR/status}: {@code role=LEADER|FOLLOWER|CANDIDATE applied=N dropped=N
 * updated_ms=...} (the echo service's role, messages applied, echoes dropped). Errors are printed to standard error
 * (the member's log); cluster events (elections) to standard output. It runs until killed, stopped by a signal, or
 * its standard input (a pipe from the parent) reaches end of file. Exit 2 on bad arguments.
 */
public final class AeronClusterMemberMain
{
    private AeronClusterMemberMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final AeronClusterMember.Spec spec;
        try
        {
            spec = AeronClusterMember.Spec.fromArgs(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("usage: AeronClusterMemberMain MEMBER_ID MEMBER_LIST ARCHIVE_ENDPOINT DIR IDLE " +
                "HEARTBEAT_INTERVAL_NS HEARTBEAT_TIMEOUT_NS: " + ex.getMessage());
            System.exit(2);
            return;
        }
        ChildSupport.exitWithParent();
        final CountDownLatch stop = ChildSupport.stopOnShutdown();
        try (AeronClusterMember member = AeronClusterMember.launch(spec, AeronClusterMemberMain::onError))
        {
            System.out.println("aeron cluster member " + spec.memberId() + " started in " + spec.dir());
            do
            {
                ChildSupport.writeStatus(spec.dir(), member.statusFields());
            }
            while (!ChildSupport.awaitStop(stop));
        }
    }

    private static void onError(final Throwable ex)
    {
        if (ex instanceof ClusterEvent)
        {
            System.out.println("cluster event: " + ex.getMessage());
        }
        else
        {
            System.err.println("error: " + ex);
            ex.printStackTrace();
        }
    }
}
