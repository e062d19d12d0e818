package io.paxlog.bench.jmh;

import static io.paxlog.bench.CoreStubs.NO_JOURNAL;
import static io.paxlog.bench.CoreStubs.NO_LISTENER;
import static io.paxlog.bench.CoreStubs.NO_OUTBOX;

import io.paxlog.core.Ballot;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
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
        leader.onPromise(nowNs, 1, ballot, nowNs, 0, 0, Long.MAX_VALUE, new long[0], new long[0], new Entry[0], 0);
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
}
