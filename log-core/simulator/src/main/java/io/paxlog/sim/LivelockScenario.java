package io.paxlog.sim;

import io.paxlog.core.CommitListener;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The seeds' dueling-proposer schedule on five acceptors: P1 prepare(1); P2 prepare(2); P1's accept(1) refused
 * with Nack(2); P1 prepare(3); P2's accept(2) refused with Nack(3); and so on. A scripted network delivers each
 * proposer's accepts only after the other proposer's next prepare has been promised. On plain Multi-Paxos (no
 * lease, immediate retry) nothing is ever decided; with Paxlog's lease and backoff the first leader decides.
 */
public final class LivelockScenario
{
    /** Outcome of the schedule. */
    public record Outcome(boolean decided, int rounds)
    {
        @Override
        public String toString()
        {
            return "decided=" + decided + " rounds=" + rounds;
        }
    }

    private record Captured(int from, int to, Msg msg) { }

    private static final int MEMBERS = 5;
    private static final int P1 = 0;
    private static final int P2 = 1;

    private final boolean paxlog;
    private final ConsensusNode[] nodes = new ConsensusNode[MEMBERS];
    private final ArrayDeque<Captured> inFlight = new ArrayDeque<>();
    private final List<List<Captured>> heldAccepts = new ArrayList<>();
    private final int[] prepareRounds = new int[1];
    private long nowNs;
    private boolean decided;

    private LivelockScenario(final boolean paxlog)
    {
        this.paxlog = paxlog;
        for (int i = 0; i < MEMBERS; i++)
        {
            heldAccepts.add(new ArrayList<>());
            final boolean proposer = i == P1 || i == P2;
            final CoreConfig config = new CoreConfig()
                .nodeId(i)
                .memberCount(MEMBERS)
                .leaseTimeoutNs(100_000_000L)
                .heartbeatIntervalNs(20_000_000L)
                .electionTimeoutNs(proposer ? 30_000_000L : 3_600_000_000_000L)
                .leaseEnabled(paxlog)
                .backoffEnabled(paxlog)
                .randomSeed(42)
                .conclude();
            nodes[i] = new ConsensusNode(config, new SimJournal(true), new CapturingOutbox(i), new Listener());
        }
    }

    /** Runs the schedule for at most {@code maxRounds} prepare rounds. */
    public static Outcome run(final boolean paxlog, final int maxRounds)
    {
        return new LivelockScenario(paxlog).play(maxRounds);
    }

    private Outcome play(final int maxRounds)
    {
        for (final ConsensusNode node : nodes)
        {
            node.start(nowNs);
        }
        nowNs += 1_000_000_000L;
        int proposer = P1;
        kick(proposer);
        settle();
        while (!decided && prepareRounds[0] < maxRounds)
        {
            final int other = proposer == P1 ? P2 : P1;
            final List<Captured> held = heldAccepts.get(other);
            if (held.isEmpty())
            {
                kick(other);
            }
            else
            {
                inFlight.addAll(held);
                held.clear();
            }
            settle();
            proposer = other;
        }
        return new Outcome(decided, prepareRounds[0]);
    }

    private void kick(final int proposer)
    {
        // past the proposer's election deadline (at most twice its 30 ms timeout), within the 100 ms lease
        nowNs += 61_000_000L;
        nodes[proposer].onTick(nowNs);
    }

    /** Delivers everything in flight except accepts, which wait for the other proposer's next prepare. */
    private void settle()
    {
        while (!inFlight.isEmpty() && !decided)
        {
            final Captured c = inFlight.poll();
            nowNs += 10_000L;
            final ConsensusNode to = nodes[c.to()];
            final Msg m = c.msg();
            if (m instanceof Msg.Prepare p)
            {
                to.onPrepare(nowNs, c.from(), p.ballot(), p.fromSlot(), p.sendTimeNs());
            }
            else if (m instanceof Msg.Promise p)
            {
                to.onPromise(nowNs, c.from(), p.ballot(), p.echoSendTimeNs(), p.commitSlot(), p.coverFromSlot(), p.coverToSlot(), p.slots(),
                    p.ballots(),
                    p.entries(), p.entries().length);
            }
            else if (m instanceof Msg.Nack n)
            {
                to.onNack(nowNs, c.from(), n.rejectedBallot(), n.promisedBallot(), n.remainingNs(), n.commitSlot(),
                    n.reason());
            }
            else if (m instanceof Msg.Accept a)
            {
                to.onAccept(nowNs, c.from(), a.ballot(), a.sendTimeNs(), a.commitSlot(), a.firstSlot(), a.entries(),
                    a.entries().length);
            }
            else if (m instanceof Msg.Accepted a)
            {
                to.onAccepted(nowNs, c.from(), a.ballot(), a.echoSendTimeNs(), a.ackSlot());
            }
        }
    }

    private final class Listener implements CommitListener
    {
        public void onCommitted(final long slot, final long ballot, final Entry entry)
        {
            decided = true;
        }

        public void onRoleChange(final Role newRole, final long ballot, final long nowNs, final String reason)
        {
            if (newRole == Role.CANDIDATE)
            {
                prepareRounds[0]++;
            }
        }
    }

    private final class CapturingOutbox extends MsgOutbox
    {
        private final int self;

        CapturingOutbox(final int self)
        {
            this.self = self;
        }

        protected void emit(final int to, final Msg msg)
        {
            inFlight.add(new Captured(self, to, msg));
        }

        @Override
        protected void emitAccept(final int to, final Msg.Accept accept)
        {
            // the scripted network holds a proposer's accepts until the other proposer has prepared again
            heldAccepts.get(self).add(new Captured(self, to, accept));
        }
    }
}
