package io.paxlog.replica;

import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.Journal;
import io.paxlog.core.Outbox;
import io.paxlog.core.Role;
import io.paxlog.sm.LockCommands;
import io.paxlog.sm.Machines;
import io.paxlog.sm.StateMachineHost;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replica's rules, driven as both runtimes drive them (a one-node core, every answer recorded). Each test
 * names a rule that the node and the simulator used to apply differently, before both drove this one class.
 */
class ReplicaTest
{
    private static final long MS = 1_000_000L;
    private final List<String> said = new ArrayList<>();
    private long now = 10 * MS;
    private Replica replica;
    private ConsensusNode core;

    private void start(final int sessionsMax)
    {
        final ReplicaOutput out = new ReplicaOutput()
        {
            public void answer(final long sessionId, final long requestId, final CommandStatus status,
                final int leaderId, final long slot, final DirectBuffer result, final int offset, final int length)
            {
                said.add("answer s" + sessionId + " #" + requestId + " " + status + (length > 0 ? " " +
                    result.getByte(offset) : ""));
            }

            public void sessionEvent(final long sessionId, final SessionEventCode code, final int leaderId,
                final String detail)
            {
                said.add("event s" + sessionId + " " + code + (detail.isEmpty() ? "" : " " + detail));
            }
        };
        replica = new Replica(0, sessionsMax, 10_000, 64,
            sink -> new StateMachineHost(sink, Machines.standard()), out);
        final Journal journal = new Journal()
        {
            public void appendPromise(final long ballot) { }
            public void appendAccepted(final long slot, final long ballot, final Entry entry) { }
            public void appendCommit(final long commitSlot) { }
            public void startSegment(final long baseSlot) { }
            public void replay(final Replay handler) { }
        };
        final Outbox none = (Outbox)Proxy.newProxyInstance(Outbox.class.getClassLoader(), new Class<?>[] {Outbox.class},
            (proxy, method, args) -> null); // one member: nothing to send
        core = new ConsensusNode(new CoreConfig().nodeId(0).memberCount(1).randomSeed(1).commandBytesMax(1024)
            .conclude(), journal, none,
            replica);
        replica.bind(core);
        core.start(now);
        while (core.role() != Role.LEADER)
        {
            step(MS);
        }
        said.clear();
    }

    private void step(final long ns)
    {
        now += ns;
        core.onTick(now);
        replica.duties(now);
        core.flush(now);
        replica.serveReads(now);
    }

    private void open(final long sessionId)
    {
        replica.onSessionConnect(now, sessionId, 0, 64);
        step(MS);
    }

    private void command(final long sessionId, final long sequence, final byte[] command)
    {
        replica.onCommand(now, sessionId, sequence, new UnsafeBuffer(command), 0, command.length);
        step(MS);
    }

    /**
     * A state machine's deferred answer goes out after the answer of the command that caused it, on the node as in
     * the simulator. Before: the node sent B's grant (deferred, produced inside the apply of A's release) before A's
     * release answer; the simulator queued it and sent it after.
     */
    @Test
    void aDeferredAnswerFollowsTheAnswerOfTheCommandThatCausedIt()
    {
        start(16);
        open(1);
        open(2);
        assertEquals(List.of("event s1 OPEN", "event s2 OPEN"), said);
        command(1, 1, LockCommands.acquire("L", 1_000));
        command(2, 1, LockCommands.acquire("L", 60_000)); // waits behind session 1
        said.clear();
        command(1, 2, LockCommands.release("L"));
        assertEquals(2, said.size(), "two answers: " + said);
        assertTrue(said.get(0).startsWith("answer s1 #2 OK"), "the release answered first: " + said);
        assertTrue(said.get(1).startsWith("answer s2 #1 OK"), "then the grant it caused: " + said);
    }

    /**
     * Admission is the replica's: a connect over the session limit is refused with the reason, in both runtimes
     * (before, only the node checked the limit and the TTL range; the simulator opened anything).
     */
    @Test
    void aSessionOverTheLimitOrWithABadTtlIsRefusedWithTheReason()
    {
        start(1);
        open(1);
        open(2);
        replica.onSessionConnect(now, 3, -5, 64);
        assertEquals(List.of("event s1 OPEN",
            "event s2 REJECTED too many open sessions in the cluster (paxlog.sessions.max=1)",
            "event s3 REJECTED too many open sessions in the cluster (paxlog.sessions.max=1)"), said);
        said.clear();
        start(4);
        replica.onSessionConnect(now, 3, StateMachineHost.SESSION_TTL_MAX_MS + 1, 64);
        assertEquals(List.of("event s3 REJECTED session TTL must be in 0.." + StateMachineHost.SESSION_TTL_MAX_MS +
            " ms: " + (StateMachineHost.SESSION_TTL_MAX_MS + 1)), said);
        said.clear();
        replica.onSessionConnect(now, 3, 0, StateMachineHost.SESSION_WINDOW + 1);
        assertEquals(List.of("event s3 REJECTED session window must be in 1.." + StateMachineHost.SESSION_WINDOW +
            " commands: " + (StateMachineHost.SESSION_WINDOW + 1)), said);
        said.clear();
        replica.onSessionConnect(now, 3, 0, 1000);
        step(MS);
        assertEquals(List.of("event s3 OPEN"), said);
        assertEquals(1024, replica.host().sessionWindow(3), "the window asked for, rounded up to a power of two");
    }

    /** A command over the core's limit is refused with the reason; a sequence below 1 is refused. */
    @Test
    void anOversizedCommandAndABadSequenceAreRefused()
    {
        start(4);
        open(1);
        said.clear();
        command(1, 1, new byte[2000]);
        command(1, 0, new byte[] {0});
        assertEquals(2, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("answer s1 #1 REJECTED 99"), "with the reason ('c'ommand of ...): " + said);
        assertEquals("answer s1 #0 REJECTED", said.get(1));
    }

    /** A linearizable query on a one-node leader is served at once (its lease is its own); sequential waits. */
    @Test
    void readLevelsAreServedByTheSameRules()
    {
        start(4);
        open(1);
        said.clear();
        final byte[] get = io.paxlog.sm.CounterMachine.get("x");
        replica.onQuery(now, now, 1, 7, ReadConsistency.SEQUENTIAL.value(), 1_000_000, new UnsafeBuffer(get), 0,
            get.length);
        replica.onQuery(now, now, 1, 8, ReadConsistency.LINEARIZABLE.value(), 0, new UnsafeBuffer(get), 0,
            get.length);
        step(MS);
        assertEquals("answer s1 #7 BUSY", said.get(0), "sequential read ahead of what is applied: " + said);
        assertTrue(said.get(1).startsWith("answer s1 #8 OK"), said.toString());
    }
}
