package io.paxlog.node;

import io.paxlog.client.PaxlogClient;
import io.paxlog.protocol.LoopbackPorts;
import io.paxlog.protocol.Member;
import io.paxlog.sm.ApplyContext;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachine;
import io.paxlog.testing.ScratchDirs;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A drift between the runtimes, settled once in {@code io.paxlog.replica.Replica} and shown here on a real node: a
 * state machine's deferred answer (an {@link ApplyContext#respond} made while applying another command) goes out
 * after the answer of the command that caused it. The simulator always sent them in that order; the node used to
 * send the deferred answer first. Here both answers go to one session, so the client sees the order the node sent
 * them in (one response stream, in order): the answer to the releasing command, then the answer it released.
 * {@code ReplicaTest#aDeferredAnswerFollowsTheAnswerOfTheCommandThatCausedIt} pins the same rule on the replica
 * both runtimes drive (with the lock table's deferred grant).
 */
class DeferredAnswerOrderTest
{
    private static final byte PARK = 'P';
    private static final byte RELEASE = 'R';

    @Test
    void aDeferredAnswerReachesTheClientAfterTheAnswerOfTheCommandThatCausedIt() throws Exception
    {
        final Path root = ScratchDirs.create("paxlog-deferred-order");
        final Member member = new Member(0, "127.0.0.1", LoopbackPorts.free(), LoopbackPorts.free());
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, member.spec());
        p.setProperty("paxlog.node.id", "0");
        p.setProperty(NodeConfig.DIR_PROP, root.resolve("node0").toString());
        p.setProperty(NodeConfig.AERON_DIR_PROP, root.resolve("aeron0").toString());
        p.setProperty(NodeConfig.SYNC_PROP, "none");
        try (PaxlogNode node = PaxlogNode.start(NodeConfig.fromProperties(p).conclude(), new Parker());
            PaxlogClient client = new PaxlogClient(new Member[] {member}, root.resolve("client").toString(),
                5_000_000_000L, 20_000_000_000L))
        {
            for (int round = 0; round < 20; round++)
            {
                final List<String> order = Collections.synchronizedList(new ArrayList<>());
                final CompletableFuture<?> parked = client.commandAsync(new byte[] {0, PARK})
                    .thenRun(() -> order.add("parked"));
                final CompletableFuture<?> releasing = client.commandAsync(new byte[] {0, RELEASE})
                    .thenRun(() -> order.add("releasing"));
                while (!(parked.isDone() && releasing.isDone()))
                {
                    client.poll();
                }
                parked.get(1, TimeUnit.SECONDS);
                releasing.get(1, TimeUnit.SECONDS);
                assertEquals(List.of("releasing", "parked"), order, "round " + round +
                    ": the releasing command's answer, then the answer it released");
            }
        }
    }

    /**
     * Parks a command (answers it later) and, on the next command, answers the parked one from inside that
     * command's apply: the deferred answer. Its state is the parked command's session and sequence.
     */
    static final class Parker implements StateMachine
    {
        private long parkedSession;
        private long parkedSequence;

        public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
            final MutableDirectBuffer result)
        {
            if (length >= 1 && command.getByte(offset) == PARK)
            {
                parkedSession = ctx.sessionId();
                parkedSequence = ctx.sequence();
                return PENDING;
            }
            if (parkedSequence != 0)
            {
                ctx.respond(parkedSession, parkedSequence, new UnsafeBuffer(new byte[] {PARK}), 0, 1);
                parkedSequence = 0;
            }
            result.putByte(0, RELEASE);
            return 1;
        }

        public int query(final DirectBuffer query, final int offset, final int length,
            final MutableDirectBuffer result)
        {
            return 0;
        }

        public void snapshot(final SnapshotWriter writer)
        {
            writer.writeLong(parkedSession);
            writer.writeLong(parkedSequence);
        }

        public void restore(final SnapshotReader reader)
        {
            parkedSession = reader.readLong();
            parkedSequence = reader.readLong();
        }
    }
}
