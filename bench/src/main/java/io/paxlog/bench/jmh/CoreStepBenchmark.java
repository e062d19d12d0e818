package io.paxlog.bench.jmh;

import io.paxlog.core.Ballot;
import io.paxlog.core.CommitListener;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.Journal;
import io.paxlog.core.NackReason;
import io.paxlog.core.Outbox;
import io.paxlog.core.Role;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One step of the pure core on a leader of 3: propose a command, flush it to the two peers, and take one peer's
 * ack, which commits and applies it (journal, outbox and listener do nothing: this is the core alone).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreStepBenchmark
{
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[32]);
    private ConsensusNode leader;
    private long ballot;
    private long nowNs = 1_000_000_000L;
    private long sequence;

    @Setup
    public void setup()
    {
        final CoreConfig config = new CoreConfig().nodeId(0).memberCount(3).leaseEnabled(false).conclude();
        leader = new ConsensusNode(config, NO_JOURNAL, NO_OUTBOX, NO_LISTENER);
        leader.start(nowNs);
        nowNs += config.electionTimeoutNs() * 3;
        leader.onTick(nowNs);
        ballot = leader.activeBallot();
        leader.onPromise(nowNs, 1, ballot, nowNs, 0, new long[0], new long[0], new Entry[0], 0);
        if (leader.role() != Role.LEADER)
        {
            throw new IllegalStateException("setup did not elect node 0: " + leader.role() + " " + Ballot.toString(ballot));
        }
        leader.onAccepted(nowNs, 1, ballot, nowNs, leader.lastSlot());
    }

    @Benchmark
    public long proposeFlushAck()
    {
        nowNs += 1_000;
        final long slot = leader.propose(nowNs, 9, ++sequence, payload, 0, 32);
        leader.flush(nowNs);
        leader.onAccepted(nowNs, 1, ballot, nowNs, slot);
        return slot;
    }

    private static final Journal NO_JOURNAL = new Journal()
    {
        public void appendPromise(final long b)
        {
        }

        public void appendAccepted(final long slot, final long b, final Entry entry)
        {
        }

        public void appendCommit(final long commitSlot)
        {
        }

        public void startSegment(final long baseSlot)
        {
        }

        public void replay(final Replay handler)
        {
        }
    };

    private static final CommitListener NO_LISTENER = new CommitListener()
    {
        public void onCommitted(final long slot, final long b, final Entry entry)
        {
        }

        public void onRoleChange(final Role newRole, final long b, final long now, final String reason)
        {
        }
    };

    private static final Outbox NO_OUTBOX = new Outbox()
    {
        public void prepare(final int to, final long b, final long fromSlot, final long sendTimeNs)
        {
        }

        public void promise(final int to, final long b, final long echo, final long commitSlot, final long[] slots,
            final long[] ballots, final Entry[] entries, final int count)
        {
        }

        public void nack(final int to, final long rejected, final long promised, final long remaining,
            final long commitSlot, final NackReason reason)
        {
        }

        public void accept(final int to, final long b, final long sendTimeNs, final long commitSlot,
            final long firstSlot, final Entry[] entries, final int count)
        {
        }

        public void accepted(final int to, final long b, final long echo, final long ackSlot)
        {
        }

        public void installSnapshot(final int to, final long b)
        {
        }

        public void catchupRequest(final int to, final long fromSlot)
        {
        }

        public void catchupResponse(final int to, final long firstSlot, final long[] ballots, final Entry[] entries,
            final int count)
        {
        }
    };
}
