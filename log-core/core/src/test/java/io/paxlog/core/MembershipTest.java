package io.paxlog.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Membership changes on cores joined by an in-memory network that delivers every message in order. */
class MembershipTest
{
    private static final long MS = 1_000_000L;
    private static final byte[] TAIL = {7, 7};

    /** Cores, their committed entries, and a FIFO of pending deliveries; {@code down} nodes hear nothing. */
    private static final class Net
    {
        final Map<Integer, ConsensusNode> nodes = new HashMap<>();
        final Map<Integer, List<Entry>> committed = new HashMap<>();
        final List<String> outcomes = new ArrayList<>();
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        final Set<Integer> down = new HashSet<>();
        long nowNs = 1_000 * MS;

        ConsensusNode add(final int id, final int initialMembers, final boolean joining)
        {
            return add(id, initialMembers, joining, new NoJournal());
        }

        ConsensusNode add(final int id, final int initialMembers, final boolean joining, final Journal journal)
        {
            final CoreConfig config = new CoreConfig().nodeId(id).memberCount(initialMembers).joining(joining)
                .randomSeed(id + 1).membershipCatchupTimeoutNs(2_000 * MS).conclude();
            final List<Entry> log = new ArrayList<>();
            committed.put(id, log);
            final ConsensusNode node = new ConsensusNode(config, journal, outbox(id), new CommitListener()
            {
                public void onCommitted(final long slot, final long ballot, final Entry entry)
                {
                    assertEquals(log.size() + 1, slot, "slots delivered in order");
                    log.add(entry.copy());
                }

                public void onRoleChange(final Role newRole, final long ballot, final long nowNs, final String reason)
                {
                }

                public void onMembershipChange(final long requestId, final boolean done, final String detail)
                {
                    outcomes.add(requestId + (done ? " done: " : " failed: ") + detail);
                }
            });
            node.start(nowNs);
            nodes.put(id, node);
            return node;
        }

        private void to(final int id, final java.util.function.Consumer<ConsensusNode> delivery)
        {
            queue.add(() ->
            {
                final ConsensusNode n = nodes.get(id);
                if (n != null && !down.contains(id))
                {
                    delivery.accept(n);
                }
            });
        }

        Outbox outbox(final int from)
        {
            return new Outbox()
            {
                public void prepare(final int to, final long ballot, final long fromSlot, final long sendTimeNs)
                {
                    to(to, n -> n.onPrepare(nowNs, from, ballot, fromSlot, sendTimeNs));
                }

                public void promise(final int to, final long ballot, final long echoSendTimeNs, final long commitSlot,
                    final long coverFrom, final long coverTo, final long[] slots, final long[] ballots,
                    final Entry[] entries, final int first, final int count)
                {
                    final long[] s = java.util.Arrays.copyOfRange(slots, first, first + count);
                    final long[] b = java.util.Arrays.copyOfRange(ballots, first, first + count);
                    final Entry[] e = copies(java.util.Arrays.copyOfRange(entries, first, first + count), count);
                    to(to, n -> n.onPromise(nowNs, from, ballot, echoSendTimeNs, commitSlot, coverFrom, coverTo, s, b, e,
                        count));
                }

                public void nack(final int to, final long rejectedBallot, final long promisedBallot,
                    final long leaseRemainingNs, final long commitSlot, final NackReason reason)
                {
                    to(to, n -> n.onNack(nowNs, from, rejectedBallot, promisedBallot, leaseRemainingNs, commitSlot,
                        reason));
                }

                public void accept(final int to, final long ballot, final long sendTimeNs, final long commitSlot,
                    final long firstSlot, final Entry[] entries, final int count)
                {
                    final Entry[] e = copies(entries, count);
                    to(to, n -> n.onAccept(nowNs, from, ballot, sendTimeNs, commitSlot, firstSlot, e, count));
                }

                public void accepted(final int to, final long ballot, final long echoSendTimeNs, final long ackSlot)
                {
                    to(to, n -> n.onAccepted(nowNs, from, ballot, echoSendTimeNs, ackSlot));
                }

                public void catchupRequest(final int to, final long fromSlot)
                {
                    to(to, n -> n.onCatchupRequest(nowNs, from, fromSlot));
                }

                public void installSnapshot(final int to, final long ballot)
                {
                    // the log ring holds everything in these tests
                }

                public void catchupResponse(final int to, final long firstSlot, final long[] ballots,
                    final Entry[] entries, final int count)
                {
                    final long[] b = ballots.clone();
                    final Entry[] e = copies(entries, count);
                    to(to, n -> n.onCatchupResponse(nowNs, from, firstSlot, b, e, count));
                }
            };
        }

        /** Delivers everything queued (and what that sends), then advances time by {@code stepNs} and ticks. */
        void run(final long durationNs, final long stepNs)
        {
            final long end = nowNs + durationNs;
            while (nowNs < end)
            {
                int guard = 0;
                while (!queue.isEmpty() && guard++ < 100_000)
                {
                    queue.poll().run();
                }
                nowNs += stepNs;
                for (final Map.Entry<Integer, ConsensusNode> e : nodes.entrySet())
                {
                    if (!down.contains(e.getKey()))
                    {
                        e.getValue().onFramesPolled(nowNs);
                        e.getValue().onTick(nowNs);
                        e.getValue().flush(nowNs);
                    }
                }
            }
        }

        int leader()
        {
            for (final Map.Entry<Integer, ConsensusNode> e : nodes.entrySet())
            {
                if (!down.contains(e.getKey()) && e.getValue().role() == Role.LEADER)
                {
                    return e.getKey();
                }
            }
            return -1;
        }

        int awaitLeader()
        {
            for (int i = 0; i < 200 && leader() < 0; i++)
            {
                run(10 * MS, MS);
            }
            assertTrue(leader() >= 0, "a leader is elected");
            return leader();
        }

        long propose(final int seq)
        {
            final ConsensusNode l = nodes.get(leader());
            long slot = ConsensusNode.BACK_PRESSURE;
            for (int i = 0; i < 200 && slot < 0; i++)
            {
                slot = l.propose(nowNs, Entry.command(9, seq, nowNs, new byte[] {(byte)seq}));
                if (slot < 0)
                {
                    run(5 * MS, MS);
                }
            }
            assertTrue(slot > 0, "proposal accepted: " + slot);
            return slot;
        }
    }

    private static Entry[] copies(final Entry[] entries, final int count)
    {
        final Entry[] e = new Entry[count];
        for (int i = 0; i < count; i++)
        {
            e[i] = entries[i].copy();
        }
        return e;
    }

    private static final class NoJournal implements Journal
    {
        public void appendPromise(final long ballot)
        {
        }

        public void appendAccepted(final long slot, final long ballot, final Entry entry)
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
    }

    private static Net threeNodes()
    {
        final Net net = new Net();
        for (int i = 0; i < 3; i++)
        {
            net.add(i, 3, false);
        }
        net.awaitLeader();
        for (int i = 1; i <= 20; i++)
        {
            net.propose(i);
        }
        net.run(50 * MS, MS);
        return net;
    }

    private static void assertSameCommittedPrefix(final Net net)
    {
        final List<Entry> reference = net.committed.get(net.leader());
        for (final Map.Entry<Integer, List<Entry>> e : net.committed.entrySet())
        {
            final List<Entry> log = e.getValue();
            for (int i = 0; i < Math.min(log.size(), reference.size()); i++)
            {
                assertEquals(reference.get(i), log.get(i), "node " + e.getKey() + " slot " + (i + 1));
            }
        }
    }

    @Test
    void anAddedMemberLearnsFirstThenVotes()
    {
        final Net net = threeNodes();
        final ConsensusNode joiner = net.add(3, 3, true);
        final int leaderId = net.leader();
        final ConsensusNode leader = net.nodes.get(leaderId);
        assertNull(leader.requestMembershipChange(net.nowNs, 41, 3, -1, 0, 0, TAIL));
        assertEquals("membership change 41 is in progress",
            leader.requestMembershipChange(net.nowNs, 42, -1, 1, 0, 0, TAIL));
        net.run(10 * MS, MS);
        assertTrue(leader.membership().isLearner(3) || leader.membership().isVoter(3), leader.membership().toString());
        net.run(300 * MS, MS);
        assertEquals(List.of("41 done: committed voters=[0,1,2,3] learners=[] W=3 R=3 at slot " +
            leaderConfigSlot(net, leaderId)), net.outcomes);
        for (final ConsensusNode n : net.nodes.values())
        {
            assertEquals("voters=[0,1,2,3] learners=[] W=3 R=3", n.membership().toString(), "node " + n.nodeId());
        }
        for (int i = 21; i <= 30; i++)
        {
            net.propose(i);
        }
        net.run(50 * MS, MS);
        assertEquals(leader.commitSlot(), joiner.commitSlot(), "the new member holds everything");
        assertSameCommittedPrefix(net);
    }

    /** The slot of the last configuration entry the leader committed. */
    private static long leaderConfigSlot(final Net net, final int leaderId)
    {
        final List<Entry> log = net.committed.get(leaderId);
        for (int i = log.size() - 1; i >= 0; i--)
        {
            if (log.get(i).isConfig())
            {
                return i + 1;
            }
        }
        return -1;
    }

    @Test
    void proposalsWaitBehindAnUncommittedConfiguration()
    {
        final Net net = threeNodes();
        final int leaderId = net.leader();
        final ConsensusNode leader = net.nodes.get(leaderId);
        final long slot = leader.proposeConfig(net.nowNs, Membership.of(0b111, 0b1000, 2, 2), TAIL, 0, TAIL.length);
        assertTrue(slot > 0);
        assertEquals(ConsensusNode.BACK_PRESSURE, leader.propose(net.nowNs, Entry.command(9, 99, 0, new byte[1])));
        assertEquals(ConsensusNode.CONFIG_BUSY,
            leader.proposeConfig(net.nowNs, Membership.of(0b111, 0, 2, 2), TAIL, 0, TAIL.length));
        net.run(20 * MS, MS);
        assertTrue(leader.commitSlot() >= slot);
        assertTrue(leader.propose(net.nowNs, Entry.command(9, 99, 0, new byte[1])) > slot);
    }

    @Test
    void aRemovedLeaderCommitsItsRemovalThenStepsDownAndTheRestElect()
    {
        final Net net = threeNodes();
        final int old = net.leader();
        final ConsensusNode leader = net.nodes.get(old);
        assertNull(leader.requestMembershipChange(net.nowNs, 7, -1, old, 0, 0, TAIL));
        net.run(20 * MS, MS);
        assertTrue(net.outcomes.get(0).startsWith("7 done: committed voters="), net.outcomes.toString());
        assertEquals(Role.FOLLOWER, leader.role(), "stepped down after committing its removal");
        net.down.add(old);
        final int next = net.awaitLeader();
        assertTrue(next != old);
        net.propose(100);
        net.run(50 * MS, MS);
        assertFalse(net.nodes.get(next).membership().isMember(old));
        assertSameCommittedPrefix(net);
    }

    @Test
    void aMemberThatNeverCatchesUpStaysALearnerAndTheChangeFails()
    {
        final Net net = threeNodes();
        final int leaderId = net.leader();
        final ConsensusNode leader = net.nodes.get(leaderId);
        assertNull(leader.requestMembershipChange(net.nowNs, 9, 5, -1, 0, 0, TAIL)); // node 5 never starts
        net.run(2_500 * MS, 5 * MS);
        assertEquals(1, net.outcomes.size(), net.outcomes.toString());
        assertTrue(net.outcomes.get(0).startsWith("9 failed: member 5 did not catch up"), net.outcomes.get(0));
        assertTrue(leader.membership().isLearner(5));
        net.propose(200);
        net.run(20 * MS, MS);
        assertTrue(leader.commitSlot() > 21, "the learner is in no quorum: the cluster still commits");
    }

    @Test
    void aCandidateBehindAReplacementNeedsAQuorumOfTheConfigurationItLearns()
    {
        // {0,1,2} replaces 2 by 3 while 1 is down; commands then commit on the leader and 3 only. When the leader
        // fails and 1 returns, 1 (which never saw the change) can collect promises from itself and the removed 2, a
        // quorum of the configuration it knows; 2 reports the change, so 1 must also win {0,1,3}, which shows it
        // the commands. Elected on {1,2} alone it would put no-ops where they were committed: the member that knows
        // they were committed refuses, so the cluster stalls (or, had that member not yet learned the commit point,
        // the no-ops would be committed over them).
        final Net net = threeNodes();
        final int leaderId = net.leader();
        final int behind = leaderId == 1 ? 2 : 1;
        final int removed = 3 - leaderId - behind;
        net.add(3, 3, true);
        net.down.add(behind);
        final ConsensusNode leader = net.nodes.get(leaderId);
        assertNull(leader.requestMembershipChange(net.nowNs, 1, 3, removed, 0, 0, TAIL));
        net.run(300 * MS, MS);
        assertEquals(1, net.outcomes.size(), net.outcomes.toString());
        assertTrue(net.outcomes.get(0).startsWith("1 done"), net.outcomes.get(0));
        for (int i = 101; i <= 110; i++)
        {
            net.propose(i);
        }
        net.run(20 * MS, MS);
        final long committedBefore = leader.commitSlot();
        final List<Entry> reference = new ArrayList<>(net.committed.get(leaderId));
        assertEquals(committedBefore, reference.size());
        net.down.add(leaderId);
        net.down.remove(behind);
        final int next = net.awaitLeader();
        net.propose(111);
        net.run(50 * MS, MS);
        final List<Entry> after = net.committed.get(next);
        assertTrue(after.size() > reference.size(), "the new leader " + next + " commits");
        for (int i = 0; i < reference.size(); i++)
        {
            assertEquals(reference.get(i), after.get(i), "slot " + (i + 1) + " kept by leader " + next);
        }
    }

    @Test
    void aNewMemberCatchesUpThroughManyConfigurationEntriesAndRestartsFromItsJournal()
    {
        // 20 configuration entries within the first 64 slots (learner 3 in, learner 3 out, ...): a joiner gets them
        // in one accept batch, and its journal holds them ahead of the commit mark that commits them. Configurations
        // once refused a 17th uncommitted entry (a bound "the protocol never reaches"): the joiner threw while
        // storing the batch, and a node whose journal held such a run could not restart.
        final Net net = threeNodes();
        final ConsensusNode leader = net.nodes.get(net.leader());
        for (int i = 0; i < 20; i++)
        {
            final Membership next = Membership.of(0b111, i % 2 == 0 ? 0b1000 : 0, 2, 2);
            long slot = ConsensusNode.CONFIG_BUSY;
            for (int tries = 0; tries < 100 && slot < 0; tries++)
            {
                slot = leader.proposeConfig(net.nowNs, next, TAIL, 0, TAIL.length);
                net.run(2 * MS, MS);
            }
            assertTrue(slot > 0 && slot < 64, "configuration " + i + " proposed at slot " + slot);
            net.run(5 * MS, MS);
            assertEquals(next, leader.membership());
        }
        final ConsensusNodeTest.Recorder journal = new ConsensusNodeTest.Recorder(); // keeps every record
        final ConsensusNode joiner = net.add(3, 3, true, journal);
        assertNull(leader.requestMembershipChange(net.nowNs, 5, 3, -1, 0, 0, TAIL));
        net.run(300 * MS, MS);
        assertEquals(List.of("5 done: committed voters=[0,1,2,3] learners=[] W=3 R=3 at slot " +
            leaderConfigSlot(net, net.leader())), net.outcomes);
        assertEquals(leader.commitSlot(), joiner.commitSlot());
        assertEquals(leader.membership(), joiner.membership());
        net.nodes.remove(3);
        final ConsensusNode restarted = net.add(3, 3, true, journal);
        assertEquals(leader.membership(), restarted.membership(), "configuration restored from the journal");
        assertEquals(leader.commitSlot(), restarted.commitSlot());
        assertSameCommittedPrefix(net);
    }
}
