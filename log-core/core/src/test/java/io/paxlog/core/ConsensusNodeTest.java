package io.paxlog.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scenario tests of one core, driven message by message, each named after the rule it checks. */
class ConsensusNodeTest
{
    private static final long T = 100_000_000L;
    private static final long B1_0 = Ballot.of(1, 0);
    private static final long B1_2 = Ballot.of(1, 2);

    /** Records what a core sends and persists. */
    static final class Recorder implements Outbox, CommitListener, Journal
    {
        final List<String> sent = new ArrayList<>();
        final List<Object[]> records = new ArrayList<>();
        final List<String> applied = new ArrayList<>();
        /** Appends numbered up to this are durable; MAX_VALUE (default): each as it is made. A test syncs by hand. */
        long durableRecords = Long.MAX_VALUE;

        public long position()
        {
            return records.size();
        }

        public long durablePosition()
        {
            return durableRecords;
        }

        /** The runtime's sync: every record appended so far is durable. */
        void sync()
        {
            durableRecords = records.size();
        }

        public void prepare(final int to, final long ballot, final long fromSlot, final long sendTimeNs)
        {
            sent.add("prepare to=" + to + " b=" + Ballot.toString(ballot) + " from=" + fromSlot);
        }

        public void promise(final int to, final long ballot, final long echo, final long commitSlot,
            final long coverFrom, final long coverTo, final long[] slots, final long[] ballots, final Entry[] entries,
            final int first, final int count)
        {
            final StringBuilder sb = new StringBuilder("promise to=" + to + " b=" + Ballot.toString(ballot));
            if (coverTo != Long.MAX_VALUE || first != 0)
            {
                sb.append(" part ").append(coverFrom).append("..").append(coverTo);
            }
            for (int i = first; i < first + count; i++)
            {
                sb.append(" [").append(slots[i]).append('@').append(Ballot.toString(ballots[i])).append(']');
            }
            sent.add(sb.toString());
        }

        public void nack(final int to, final long rejected, final long promised, final long remainingNs,
            final long commitSlot, final NackReason reason)
        {
            sent.add("nack to=" + to + " " + reason + " promised=" + Ballot.toString(promised) + " remainingMs=" +
                remainingNs / 1_000_000);
        }

        public void accept(final int to, final long ballot, final long sendTimeNs, final long commitSlot,
            final long firstSlot, final Entry[] entries, final int count)
        {
            sent.add("accept to=" + to + " b=" + Ballot.toString(ballot) + " first=" + firstSlot + " n=" + count +
                " commit=" + commitSlot);
        }

        public void accepted(final int to, final long ballot, final long echo, final long ackSlot)
        {
            sent.add("accepted to=" + to + " b=" + Ballot.toString(ballot) + " ack=" + ackSlot);
        }

        public void installSnapshot(final int to, final long ballot)
        {
            sent.add("install-snapshot to=" + to);
        }

        public void catchupRequest(final int to, final long fromSlot)
        {
            sent.add("catchup-request to=" + to + " from=" + fromSlot);
        }

        public void catchupResponse(final int to, final long firstSlot, final long[] ballots, final Entry[] entries,
            final int count)
        {
            sent.add("catchup-response to=" + to + " first=" + firstSlot + " n=" + count);
        }

        public void onCommitted(final long slot, final long ballot, final Entry entry)
        {
            applied.add(slot + "=" + entry);
        }

        public void onRoleChange(final Role newRole, final long ballot, final long nowNs, final String reason)
        {
        }

        public void appendPromise(final long ballot)
        {
            records.add(new Object[] {"promise", ballot});
        }

        public void appendAccepted(final long slot, final long ballot, final Entry entry)
        {
            records.add(new Object[] {"accepted", slot, ballot, entry});
        }

        public void startSegment(final long baseSlot)
        {
            records.add(new Object[] {"segment", baseSlot});
        }

        public void appendCommit(final long commitSlot)
        {
            records.add(new Object[] {"commit", commitSlot});
        }

        public void replay(final Replay handler)
        {
            for (final Object[] r : records)
            {
                switch ((String)r[0])
                {
                    case "promise" -> handler.onPromise((Long)r[1]);
                    case "accepted" -> handler.onAccepted((Long)r[1], (Long)r[2], (Entry)r[3]);
                    default -> handler.onCommit((Long)r[1]);
                }
            }
        }

        String last()
        {
            return sent.get(sent.size() - 1);
        }
    }

    private static ConsensusNode node(final int id, final Recorder r, final long nowNs)
    {
        final CoreConfig config = new CoreConfig().nodeId(id).memberCount(3).leaseTimeoutNs(T)
            .heartbeatIntervalNs(20_000_000L).electionTimeoutNs(60_000_000L).randomSeed(1).conclude();
        final ConsensusNode n = new ConsensusNode(config, r, r, r);
        n.start(nowNs);
        return n;
    }

    private static ConsensusNode oneNode(final Recorder r, final long nowNs)
    {
        final CoreConfig config = new CoreConfig().nodeId(0).memberCount(1).leaseTimeoutNs(T)
            .heartbeatIntervalNs(20_000_000L).electionTimeoutNs(60_000_000L).randomSeed(1).conclude();
        final ConsensusNode n = new ConsensusNode(config, r, r, r);
        n.start(nowNs);
        return n;
    }

    private static Entry cmd(final long seq)
    {
        return Entry.command(9, seq, 0, new byte[] {(byte)seq});
    }

    /** A node whose frames hold 896 bytes of entries: one 500-byte command (548 with overhead) per frame. */
    private static ConsensusNode smallFrameNode(final int id, final Recorder r, final long nowNs,
        final boolean countBounded)
    {
        final CoreConfig config = new CoreConfig().nodeId(id).memberCount(3).leaseTimeoutNs(T)
            .heartbeatIntervalNs(20_000_000L).electionTimeoutNs(60_000_000L).randomSeed(1)
            .frameLengthMax(1024).commandBytesMax(600).promiseBytesMax(64 * 1024).windowBytesMax(16 * 1024)
            .allowPlantedBugs(countBounded);
        if (countBounded)
        {
            config.plant(PlantedBug.COUNT_BOUNDED_BATCHES);
        }
        final ConsensusNode n = new ConsensusNode(config.conclude(), r, r, r);
        n.start(nowNs);
        return n;
    }

    private static Entry big(final long seq)
    {
        final byte[] payload = new byte[500];
        payload[0] = (byte)seq;
        return Entry.command(9, seq, 0, payload);
    }

    @Test
    void acceptsPromisesAndCatchupResponsesFillFramesByBytesAndSplitTheRest()
    {
        final Recorder r = new Recorder();
        final ConsensusNode acceptor = smallFrameNode(1, r, 0, false);
        final long t = 2 * T;
        acceptor.onAccept(t, 0, B1_0, t, 0, 1, new Entry[] {big(1), big(2), big(3)}, 3);
        assertEquals("accepted to=0 b=1.0 ack=3", r.last());
        acceptor.onAccept(t + 1, 0, B1_0, t + 1, 3, 4, new Entry[0], 0); // commit 3
        // a catch-up response for the committed slots goes one entry per frame (the asker asks again)
        acceptor.onCatchupRequest(t + 2, 2, 1);
        assertEquals("catchup-response to=2 first=1 n=1", r.last());
        // the promise reports three 548-byte entries: one per frame, each part covering up to its own entry
        final int before = r.sent.size();
        acceptor.onPrepare(t + 2 * T, 2, B1_2, 1, t + 2 * T);
        assertEquals(List.of("promise to=2 b=1.2 part 1..1 [1@1.0]", "promise to=2 b=1.2 part 2..2 [2@1.0]",
            "promise to=2 b=1.2 part 3..9223372036854775807 [3@1.0]"), r.sent.subList(before, r.sent.size()));

        // the planted bug bounds by count only: all three in one promise, over the frame
        final Recorder planted = new Recorder();
        final ConsensusNode bad = smallFrameNode(1, planted, 0, true);
        bad.onAccept(t, 0, B1_0, t, 0, 1, new Entry[] {big(1), big(2), big(3)}, 3);
        bad.onPrepare(t + 2 * T, 2, B1_2, 1, t + 2 * T);
        assertEquals("promise to=2 b=1.2 [1@1.0] [2@1.0] [3@1.0]", planted.last());
    }

    @Test
    void aLeaderSendsOneFrameOfEntriesPerAcceptAndACandidateCountsAPromiseOnlyWhenItsPartsCoverEverySlot()
    {
        final Recorder r = new Recorder();
        final ConsensusNode c = smallFrameNode(0, r, 0, false);
        c.onTick(3 * T);
        assertEquals(Role.CANDIDATE, c.role());
        final long ballot = c.activeBallot();
        final long b11 = Ballot.of(1, 1);
        // parts arrive out of order (the network may reorder), one twice: the promise counts only once they cover
        // every slot from fromSlot up, whatever their order
        c.onPromise(3 * T + 1, 1, ballot, 3 * T, 0, 4, Long.MAX_VALUE, new long[] {4}, new long[] {b11},
            new Entry[] {big(4)}, 1);
        assertEquals(Role.CANDIDATE, c.role(), "the last part alone is not the whole promise");
        c.onPromise(3 * T + 2, 1, ballot, 3 * T, 0, 1, 2, new long[] {1, 2}, new long[] {b11, b11},
            new Entry[] {big(1), big(2)}, 2);
        c.onPromise(3 * T + 2, 1, ballot, 3 * T, 0, 1, 2, new long[] {1, 2}, new long[] {b11, b11},
            new Entry[] {big(1), big(2)}, 2);
        assertEquals(Role.CANDIDATE, c.role(), "slot 3 is not covered yet");
        c.onPromise(3 * T + 3, 1, ballot, 3 * T, 0, 3, 3, new long[] {3}, new long[] {b11}, new Entry[] {big(3)}, 1);
        assertEquals(Role.LEADER, c.role(), "the part that fills the gap completes it");
        assertEquals(5, c.lastSlot(), "slots 1-4 recovered from the parts, a no-op of its own at 5");
        // its accepts carry one 548-byte command each (4 rounds per flush); the 48-byte no-op joins the last
        assertEquals(List.of("accept to=1 b=1.0 first=1 n=1 commit=0", "accept to=1 b=1.0 first=2 n=1 commit=0",
            "accept to=1 b=1.0 first=3 n=1 commit=0", "accept to=1 b=1.0 first=4 n=2 commit=0"),
            r.sent.stream().filter(x -> x.startsWith("accept to=1")).toList());
        assertEquals(ConsensusNode.TOO_LARGE, c.propose(3 * T + 4, Entry.command(9, 9, 0, new byte[601])));
    }

    /**
     * Liveness with large promises: a candidate whose promise is still arriving in parts waits for the rest instead
     * of timing out (each part that covers new slots moves its deadline to one election timeout away; duplicates do
     * not), and an acceptor that sent a promise of n parts stands for election no sooner than n election delays
     * later. Before, 1 MiB promises took longer than the 100 ms phase-1 timeout on the 2-core box, and candidates
     * pre-empted each other with new ballots for seconds.
     */
    @Test
    void aPromiseStillArrivingInPartsIsWaitedForByItsCandidateAndItsSender()
    {
        final long ms = 1_000_000L;
        final Recorder r = new Recorder();
        final ConsensusNode c = smallFrameNode(0, r, 0, false);
        c.onTick(3 * T);
        assertEquals(Role.CANDIDATE, c.role());
        final long ballot = c.activeBallot();
        final long b11 = Ballot.of(1, 1);
        long now = 3 * T;
        for (int part = 1; part <= 4; part++)
        {
            final long arrives = 3 * T + part * 50 * ms; // each 50 ms after the last: the whole takes 200 ms
            while (now < arrives)
            {
                c.onTick(now);
                assertEquals(Role.CANDIDATE, c.role(), "still waiting for part " + part + " at " + (now - 3 * T));
                now += ms;
            }
            c.onPromise(now, 1, ballot, 3 * T, 0, part, part == 4 ? Long.MAX_VALUE : part, new long[] {part},
                new long[] {b11}, new Entry[] {big(part)}, 1);
        }
        assertEquals(Role.LEADER, c.role(), "elected once the last part came, 200 ms after a 60 ms timeout");

        // duplicates of a part already covered are no progress: the candidate times out on schedule
        final Recorder r2 = new Recorder();
        final ConsensusNode d = smallFrameNode(0, r2, 0, false);
        d.onTick(3 * T);
        final long ballot2 = d.activeBallot();
        d.onPromise(3 * T + 50 * ms, 1, ballot2, 3 * T, 0, 1, 1, new long[] {1}, new long[] {b11},
            new Entry[] {big(1)}, 1);
        now = 3 * T + 50 * ms;
        while (d.role() == Role.CANDIDATE && now < 3 * T + 400 * ms)
        {
            if ((now - 3 * T) % (40 * ms) == 0)
            {
                d.onPromise(now, 1, ballot2, 3 * T, 0, 1, 1, new long[] {1}, new long[] {b11},
                    new Entry[] {big(1)}, 1);
            }
            d.onTick(now);
            now += ms;
        }
        assertEquals(Role.FOLLOWER, d.role());
        assertTrue(now <= 3 * T + 111 * ms, "timed out one timeout after the last progress: " + (now - 3 * T));

        // the sender of a 3-part promise waits 3 election delays (at least 180 ms) before standing itself
        final Recorder r3 = new Recorder();
        final ConsensusNode a = smallFrameNode(1, r3, 0, false);
        final long t = 2 * T;
        a.onAccept(t, 0, B1_0, t, 0, 1, new Entry[] {big(1), big(2), big(3)}, 3);
        a.onPrepare(t + 2 * T, 2, B1_2, 1, t + 2 * T);
        assertEquals(3, r3.sent.stream().filter(x -> x.startsWith("promise to=2")).count());
        now = t + 2 * T;
        while (a.role() == Role.FOLLOWER && now < t + 2 * T + 600 * ms)
        {
            a.onTick(now);
            now += ms;
        }
        assertEquals(Role.CANDIDATE, a.role());
        assertTrue(now - (t + 2 * T) >= 180 * ms, "stood after " + (now - t - 2 * T) / ms + " ms");
    }

    @Test
    void acceptorHoldingALiveLeaseRefusesOtherCandidatesUntilItExpires()
    {
        final Recorder r = new Recorder();
        final ConsensusNode acceptor = node(1, r, 0);
        final long t = 2 * T;
        acceptor.onAccept(t, 0, B1_0, t, 0, 1, new Entry[0], 0);
        assertEquals("accepted to=0 b=1.0 ack=0", r.last());
        acceptor.onPrepare(t + 10_000_000L, 2, B1_2, 1, t + 10_000_000L);
        assertEquals("nack to=2 LEASE promised=1.0 remainingMs=90", r.last());
        acceptor.onPrepare(t + T, 2, B1_2, 1, t + T);
        assertEquals("promise to=2 b=1.2", r.last());
    }

    @Test
    void aGrantHandledWithAStaleCycleTimeRunsFromWhenThePollEnded()
    {
        // the runtime read its clock at t, paused for 5 leases, then polled a heartbeat the leader sent meanwhile:
        // the grant must run from the poll's end, not from t, or a candidate could be promised inside the lease
        final Recorder r = new Recorder();
        final ConsensusNode acceptor = node(1, r, 0);
        final long t = 2 * T;
        final long polledNs = t + 5 * T;
        acceptor.onAccept(t, 0, B1_0, polledNs - 1_000_000L, 0, 1, new Entry[0], 0);
        assertEquals("accepted to=0 b=1.0 ack=0", r.last());
        acceptor.onFramesPolled(polledNs);
        acceptor.onPrepare(polledNs + T / 2, 2, B1_2, 1, polledNs + T / 2);
        assertEquals("nack to=2 LEASE promised=1.0 remainingMs=50", r.last());
        acceptor.onPrepare(polledNs + T, 2, B1_2, 1, polledNs + T);
        assertEquals("promise to=2 b=1.2", r.last());
    }

    @Test
    void framesPolledNeverShortensAGrant()
    {
        final Recorder r = new Recorder();
        final ConsensusNode acceptor = node(1, r, 0);
        final long t = 2 * T;
        acceptor.onAccept(t, 0, B1_0, t, 0, 1, new Entry[0], 0);
        acceptor.onFramesPolled(t - T / 2); // a reading older than the grant (not a real runtime's, but harmless)
        acceptor.onFramesPolled(t + T); // nothing granted since the last poll: no renewal
        acceptor.onPrepare(t + T / 2, 2, B1_2, 1, t + T / 2);
        assertEquals("nack to=2 LEASE promised=1.0 remainingMs=50", r.last());
        acceptor.onPrepare(t + T, 2, B1_2, 1, t + T);
        assertEquals("promise to=2 b=1.2", r.last());
    }

    @Test
    void promiseIsDurableAndARestartedAcceptorGrantsNothingForOneLease()
    {
        final Recorder r = new Recorder();
        final ConsensusNode before = node(1, r, 0);
        before.onPrepare(T + 1, 2, Ballot.of(5, 2), 1, T + 1);
        assertEquals("promise to=2 b=5.2", r.last());

        final long restartNs = 10 * T;
        final ConsensusNode after = node(1, r, restartNs);
        assertEquals(Ballot.of(5, 2), after.promisedBallot());
        after.onPrepare(restartNs + 1, 0, Ballot.of(3, 0), 1, restartNs);
        assertEquals("nack to=0 BALLOT promised=5.2 remainingMs=0", r.last());
        after.onPrepare(restartNs + 1, 0, Ballot.of(6, 0), 1, restartNs);
        assertTrue(r.last().startsWith("nack to=0 RESTARTING"), r.last());
        after.onPrepare(restartNs + T, 0, Ballot.of(6, 0), 1, restartNs + T);
        assertEquals("promise to=0 b=6.0", r.last());
    }

    @Test
    void followerThatStalledItselfWaitsTwoHeartbeatsBeforeCampaigningOncePerSilence()
    {
        final long ms = 1_000_000L;
        final Recorder r = new Recorder();
        final ConsensusNode f = node(1, r, 0);
        final long t = 2 * T;
        f.onAccept(t, 0, B1_0, t, 0, 1, new Entry[0], 0);
        f.onTick(t + ms);
        // the node itself did not run for 300 ms (a pause, or starved of CPU): far past its election deadline, but
        // the leader's silence says nothing yet
        final long resumed = t + 300 * ms;
        assertEquals(0, f.onTick(resumed));
        assertEquals(Role.FOLLOWER, f.role());
        f.onAccept(resumed + 5 * ms, 0, B1_0, resumed + 5 * ms, 0, 1, new Entry[0], 0); // the heartbeat arrives
        for (long now = resumed + 6 * ms; now < resumed + 60 * ms; now += ms)
        {
            f.onTick(now);
        }
        assertEquals(Role.FOLLOWER, f.role());

        // a new silence and a new stall: one grace of two heartbeat intervals (40 ms), then a second stall past
        // it, still without a word from the leader, starts the election: the grace is once per silence
        final long stalled = resumed + 400 * ms;
        assertEquals(0, f.onTick(stalled));
        assertEquals(Role.FOLLOWER, f.role());
        assertEquals(1, f.onTick(stalled + 100 * ms));
        assertEquals(Role.CANDIDATE, f.role());
    }

    /**
     * A candidate promises its own ballot only once the promises of others would make it win, so a member that
     * campaigned before it heard a live leader (restarted, the leader's publication not reconnected yet) does not
     * refuse that leader's next accept and depose it; the first accept ends the candidacy. Seen in
     * PausedFollowerTest under invoker threading: "accept refused: 3.0 promised" from the restarted member alone,
     * while the other follower refused the candidate (LEASE).
     */
    @Test
    void aCandidatePromisesItsOwnBallotLastAndALiveLeadersAcceptEndsTheCandidacy()
    {
        final long ms = 1_000_000L;
        final Recorder r = new Recorder();
        final ConsensusNode f = node(1, r, 0);
        final long t = 2 * T;
        f.onAccept(t, 0, B1_0, t, 0, 1, new Entry[0], 0);
        for (long now = t + ms; f.role() == Role.FOLLOWER && now < t + 10 * T; now += ms)
        {
            f.onTick(now); // the leader falls silent (to this member): it campaigns
        }
        assertEquals(Role.CANDIDATE, f.role());
        final long ballot = f.activeBallot();
        assertEquals(B1_0, f.promisedBallot(), "its own ballot is not promised yet");
        final long now = t + 10 * T;
        f.onAccept(now, 0, B1_0, now, 0, 1, new Entry[0], 0); // the leader is alive after all
        assertEquals("accepted to=0 b=1.0 ack=0", r.last(), "accepted, not refused with the candidate's ballot");
        assertEquals(Role.FOLLOWER, f.role());
        assertEquals(B1_0, f.promisedBallot());

        // a prepare below a running candidacy's ballot is refused as before, with that ballot
        final Recorder r2 = new Recorder();
        final ConsensusNode c = node(1, r2, 0);
        c.onAccept(t, 0, B1_0, t, 0, 1, new Entry[0], 0);
        for (long at = t + ms; c.role() == Role.FOLLOWER && at < t + 10 * T; at += ms)
        {
            c.onTick(at);
        }
        final long own = c.activeBallot();
        c.onPrepare(now, 2, Ballot.of(Ballot.round(own) - 1, 2), 1, now);
        assertTrue(r2.last().startsWith("nack to=2 BALLOT promised=" + Ballot.toString(own)), r2.last());
        // a promise from member 2 makes a quorum with its own: it promises its ballot and wins
        c.onPromise(now + 1, 2, own, now, 0, 1, Long.MAX_VALUE, new long[0], new long[0], new Entry[0], 0);
        assertEquals(Role.LEADER, c.role());
        assertEquals(own, c.promisedBallot());
        assertTrue(ballot > B1_0);
    }

    @Test
    void followerThatKeptRunningCampaignsAtItsDeadline()
    {
        final long ms = 1_000_000L;
        final Recorder r = new Recorder();
        final ConsensusNode f = node(1, r, 0);
        final long t = 2 * T;
        f.onAccept(t, 0, B1_0, t, 0, 1, new Entry[0], 0);
        long now = t + ms;
        while (f.role() == Role.FOLLOWER && now < t + 200 * ms)
        {
            f.onTick(now);
            now += ms;
        }
        assertEquals(Role.CANDIDATE, f.role());
        assertTrue(now <= t + 2 * 60 * ms + 2 * ms, "campaigned at the election timeout plus jitter, not later");
    }

    @Test
    void followerAppliesOnlySlotsHeldInTheCommittingBallot()
    {
        final Recorder r = new Recorder();
        final ConsensusNode follower = node(1, r, 0);
        final long t = 2 * T;
        follower.onAccept(t, 0, B1_0, t, 0, 1, new Entry[] {cmd(1)}, 1);
        // a new leader (ballot 2.2) says slot 1 is committed; our copy is from ballot 1.0 and may be stale
        follower.onAccept(t + 1, 2, Ballot.of(2, 2), t + 1, 1, 2, new Entry[0], 0);
        assertEquals(List.of(), r.applied);
        assertEquals("accepted to=2 b=2.2 ack=0", r.sent.get(r.sent.size() - 2));
        assertEquals("catchup-request to=2 from=1", r.last(), "it asks the leader for what it misses");
        follower.onAccept(t + 2, 2, Ballot.of(2, 2), t + 2, 1, 1, new Entry[] {cmd(7)}, 1);
        assertEquals(List.of("1=" + cmd(7)), r.applied);
        follower.onCatchupResponse(t + 3, 2, 1, new long[] {Ballot.of(2, 2)}, new Entry[] {cmd(7)}, 1);
        assertEquals(List.of("1=" + cmd(7)), r.applied, "a late catch-up response changes nothing");
    }

    @Test
    void newLeaderReproposesTheHighestBallotValueAndFillsWithANoop()
    {
        final Recorder r = new Recorder();
        final ConsensusNode c = node(0, r, 0);
        c.onTick(3 * T);
        assertEquals(Role.CANDIDATE, c.role());
        final long ballot = c.activeBallot();
        c.onPromise(3 * T + 1, 1, ballot, 3 * T, 0, 0, Long.MAX_VALUE, new long[] {1, 2}, new long[] {Ballot.of(1, 1), Ballot.of(1, 1)},
            new Entry[] {cmd(1), cmd(2)}, 2);
        assertEquals(Role.LEADER, c.role());
        assertEquals(3, c.lastSlot(), "slots 1 and 2 re-proposed, a no-op of its own ballot at 3");
        assertFalse(c.canServeLeaseRead(3 * T + 2), "no lease read before an own-ballot entry is applied");
        c.onAccepted(3 * T + 3, 1, ballot, 3 * T + 1, 3);
        assertEquals(3, c.commitSlot());
        assertEquals(List.of("1=" + cmd(1), "2=" + cmd(2), "3=" + r.applied.get(2).substring(2)), r.applied);
        assertTrue(c.canServeLeaseRead(3 * T + 4));
    }

    /**
     * Issue 14: a one-node cluster never answered. Its leader committed only in an election (what it re-proposed) or
     * on a peer's acknowledgement, and with one node no acknowledgement ever arrives: commands waited for the next
     * restart. Its own acceptance now commits on the next flush.
     */
    @Test
    void aOneNodeLeaderCommitsEachProposalWithoutAnyPeer()
    {
        final Recorder r = new Recorder();
        final ConsensusNode n = oneNode(r, 0);
        long now = 3 * T;
        while (n.role() != Role.LEADER && now < 10 * T)
        {
            n.onTick(now);
            now += 1_000_000L;
        }
        assertEquals(Role.LEADER, n.role());
        for (int i = 1; i <= 3; i++)
        {
            final long slot = n.propose(now + i, cmd(i));
            n.flush(now + i);
            assertEquals(slot, n.commitSlot(), "command " + i + " committed");
            assertEquals(slot + "=" + cmd(i), r.applied.get(r.applied.size() - 1));
        }
        assertEquals(List.of(), r.sent, "nothing to send: there are no peers");
    }

    /** ... and only once its journal made the append durable (the runtime syncs between flushes). */
    @Test
    void aOneNodeLeaderCommitsEachProposalOnceItsOwnAppendIsDurable()
    {
        final Recorder r = new Recorder();
        r.durableRecords = 0;
        final ConsensusNode n = oneNode(r, 0);
        long now = 3 * T;
        while (n.role() != Role.LEADER && now < 10 * T)
        {
            n.onTick(now);
            now += 1_000_000L;
        }
        assertEquals(Role.LEADER, n.role());
        assertEquals(0, n.commitSlot(), "its no-op is not durable yet");
        n.flush(now);
        assertEquals(0, n.commitSlot(), "nor after a flush without a sync");
        r.sync();
        n.flush(now + 1);
        assertEquals(1, n.commitSlot(), "the no-op commits once durable");
        assertTrue(n.canServeLeaseRead(now + 2), "a one-node leader grants itself the lease");
        for (int i = 1; i <= 3; i++)
        {
            final long slot = n.propose(now + 10 * i, cmd(i));
            assertEquals(1 + i, slot);
            n.flush(now + 10 * i + 1);
            assertEquals(slot - 1, n.commitSlot(), "slot " + slot + " waits for the sync");
            r.sync();
            n.flush(now + 10 * i + 2);
            assertEquals(slot, n.commitSlot());
            assertEquals(slot + "=" + cmd(i), r.applied.get(r.applied.size() - 1));
        }
        assertEquals(List.of(), r.sent, "nothing to send: there are no peers");
    }

    @Test
    void aThreeNodeLeaderWithW1CountsItselfOnlyOnceDurable()
    {
        final Recorder r = new Recorder();
        final CoreConfig config = new CoreConfig().nodeId(0).memberCount(3).acceptQuorum(1).electionQuorum(3)
            .leaseTimeoutNs(T).heartbeatIntervalNs(20_000_000L).electionTimeoutNs(60_000_000L).randomSeed(1)
            .conclude();
        final ConsensusNode c = new ConsensusNode(config, r, r, r);
        c.start(0);
        c.onTick(3 * T);
        final long ballot = c.activeBallot();
        c.onPromise(3 * T + 1, 1, ballot, 3 * T, 0, 0, Long.MAX_VALUE, new long[0], new long[0], new Entry[0], 0);
        c.onPromise(3 * T + 1, 2, ballot, 3 * T, 0, 0, Long.MAX_VALUE, new long[0], new long[0], new Entry[0], 0);
        assertEquals(Role.LEADER, c.role());
        assertEquals(1, c.commitSlot(), "a journal durable on append: its own no-op commits at once");
        r.durableRecords = r.records.size();
        final long slot = c.propose(3 * T + 2, cmd(1));
        c.onAccepted(3 * T + 3, 1, ballot, 3 * T + 1, 1); // a heartbeat's ack: the peer holds slot 1 only
        assertEquals(1, c.commitSlot(), "W = 1, but this leader's append of slot 2 is not durable yet");
        r.sync();
        c.flush(3 * T + 4);
        assertEquals(slot, c.commitSlot());
    }

    @Test
    void leaderLeaseRunsFromTheEchoedSendTimeNotTheReceiveTime()
    {
        final Recorder r = new Recorder();
        final ConsensusNode c = node(0, r, 0);
        c.onTick(3 * T);
        final long ballot = c.activeBallot();
        c.onPromise(3 * T + 1, 1, ballot, 3 * T, 0, 0, Long.MAX_VALUE, new long[0], new long[0], new Entry[0], 0);
        final long sentNs = 3 * T + 1;
        final long receivedNs = sentNs + 40_000_000L;
        c.onAccepted(receivedNs, 1, ballot, sentNs, 1);
        assertEquals(sentNs + c.config().leaderLeaseNs(), c.leaseEndNs());
    }
}
