package io.paxlog.client;

import io.paxlog.testing.ScratchDirs;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.paxlog.codecs.CommandRequestDecoder;
import io.paxlog.codecs.CommandResponseEncoder;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.MessageHeaderDecoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.codecs.QueryRequestDecoder;
import io.paxlog.codecs.ReadConsistency;
import io.paxlog.codecs.SessionCloseDecoder;
import io.paxlog.codecs.SessionConnectDecoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.codecs.SessionEventEncoder;
import io.paxlog.codecs.SessionKeepAliveDecoder;
import io.paxlog.protocol.Member;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The client's protocol against scripted members (raw Aeron endpoints speaking the SBE schema), so each server
 * behaviour of the contract is produced on purpose: duplicate answers, BUSY, REJECTED, SESSION_CLOSED, redirects,
 * lost attempts, silence (keep-alives).
 */
class PaxlogClientProtocolTest
{
    private static final long MS = 1_000_000L;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Path root;

    @AfterEach
    void closeAll()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aRetryAnsweredTwiceIsDeliveredOnce() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        // seq 1 stays unanswered until its retry, so the duplicates of 2..10 arrive above the lowest outstanding
        m.onCommand = (fake, session, seq, attempt) ->
        {
            if (seq != 1 || fake.answerSeqOne)
            {
                fake.respond(session, seq, CommandStatus.OK, 0, 100 + seq, seq * 10);
                fake.respond(session, seq, CommandStatus.OK, 0, 100 + seq, seq * 10);
            }
        };
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).attemptTimeoutNs(100 * MS).responseListener(tally));
        for (int i = 1; i <= 10; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered >= 9, client);
        m.answerSeqOne = true;
        run(() -> tally.answered >= 10, client);
        // one more, answered once: every earlier duplicate precedes its answer on the same stream
        assertEquals(11, client.offerCommand(payload(11), 0, 8));
        run(() -> tally.count[11] >= 1, client);
        for (int s = 1; s <= 11; s++)
        {
            assertEquals(1, tally.count[s], "deliveries of seq " + s);
            assertEquals(s * 10, tally.value[s]);
            assertEquals(100 + s, tally.slot[s]);
        }
        assertEquals(0, tally.failed);
        assertEquals(0, client.outstanding());
    }

    /**
     * The credit in bytes: frames sit one after another in the resend ring, whose space comes back only as the lowest
     * unanswered command is answered; a frame that does not fit before the ring's end starts the next lap, and every
     * resend after many laps still carries its own payload.
     */
    @Test
    void theByteCreditBoundsTheFramesInFlightAndFramesAcrossTheRingsLapsKeepTheirPayloads() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.onCommand = (fake, session, seq, attempt) ->
        {
            if (seq != 1 || fake.answerSeqOne)
            {
                fake.respond(session, seq, CommandStatus.OK, 0, seq, seq);
            }
        };
        final int big = 1000;
        final Tally tally = new Tally(64);
        final PaxlogClient client = client(context(m).maxOutstanding(64).maxPayloadBytes(big)
            .maxOutstandingBytes(3 * CommandWindow.frameBytes(big)).attemptTimeoutNs(150 * MS).responseListener(tally));
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, client.offerCommand(sized(i, big), 0, big));
        }
        assertEquals(PaxlogClient.BACK_PRESSURED, client.offerCommand(sized(4, big), 0, big),
            "three frames of 1,000 B fill the ring: the fourth waits though 61 more sequences are free");
        run(() -> tally.answered == 2, client);
        assertEquals(PaxlogClient.BACK_PRESSURED, client.offerCommand(sized(4, 8), 0, 8),
            "seq 1 is unanswered, so the ring's space after it is not free yet");
        m.answerSeqOne = true;
        run(() -> tally.answered == 3, client);
        assertEquals("1000:1", m.payloads.get(1L), "seq 1 resent with its own payload");

        // many laps of mixed sizes, one unanswered at a time being resent
        for (int seq = 4; seq <= 60; seq++)
        {
            final int length = seq % 3 == 0 ? big : 8 + seq * 7;
            final int s = seq;
            run(() -> client.offerCommand(sized(s, length), 0, length) == s, client);
        }
        run(() -> tally.answered == 60, client);
        for (long seq = 1; seq <= 60; seq++)
        {
            final int length = seq <= 3 ? big : seq % 3 == 0 ? big : 8 + (int)seq * 7;
            assertEquals(length + ":" + seq, m.payloads.get(seq), "seq " + seq);
        }
        assertEquals(0, tally.failed);
        assertEquals(0, client.outstanding());
    }

    private static UnsafeBuffer sized(final long v, final int length)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[Math.max(8, length)]);
        b.putLong(0, v);
        return b;
    }

    @Test
    void theWindowCountsFromTheLowestUnansweredSequenceAndALostAttemptIsResentWithTheSameSequence()
        throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.onCommand = (fake, session, seq, attempt) ->
        {
            if (seq != 1 || fake.answerSeqOne)
            {
                fake.respond(session, seq, CommandStatus.OK, 0, seq, seq);
            }
        };
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).maxOutstanding(4).attemptTimeoutNs(150 * MS)
            .responseListener(tally));
        for (int i = 1; i <= 4; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered == 3, client);
        assertEquals(1, client.outstanding());
        assertEquals(PaxlogClient.BACK_PRESSURED, client.offerCommand(payload(5), 0, 8),
            "5 - 1 >= maxOutstanding 4 although only one command is outstanding");
        assertEquals(4, client.lastSequence(), "a refused offer consumes no sequence");
        final int connectsBefore = m.connects;
        m.answerSeqOne = true;
        run(() -> tally.answered == 4, client);
        assertTrue(m.attempts(1) >= 2, "seq 1 resent: " + m.attempts(1));
        assertTrue(m.connects > connectsBefore, "reconnected before resending after a lost attempt");
        assertEquals(5, client.offerCommand(payload(5), 0, 8));
        run(() -> tally.answered == 5, client);
        assertEquals(0, tally.failed);
        for (int s = 1; s <= 5; s++)
        {
            assertEquals(1, tally.count[s], "deliveries of seq " + s);
        }
    }

    @Test
    void busyIsRetriedWithTheSameSequenceAfterAPause() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq,
            attempt <= 3 ? CommandStatus.BUSY : CommandStatus.OK, 0, seq, seq);
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).retryDelayNs(2 * MS).responseListener(tally));
        for (int i = 1; i <= 5; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered == 5, client);
        for (long s = 1; s <= 5; s++)
        {
            assertEquals(4, m.attempts(s), "attempts of seq " + s);
            assertEquals(1, tally.count[(int)s]);
        }
        assertEquals(5, client.lastSequence());
        assertEquals(5, m.sequences.keySet().size(), "no other sequence was sent");
    }

    /**
     * A full window answered BUSY (or REDIRECT naming no leader, as during an election) for 300 ms is parked, not
     * resent every retryDelayNs: before parking, the BUSY case sent the 32 commands 1,248 times in those 300 ms (with
     * 1 MiB commands that flood starved the nodes). Then every command is answered once.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"BUSY", "REDIRECT"})
    void aWindowRefusedForAWhileIsParkedNotResentOnATimer(final String refusal) throws Exception
    {
        final FakeMember m = fakes(1)[0];
        final long[] refuseUntilNs = {Long.MAX_VALUE}; // from the first command (connecting may take long)
        final int[] refused = new int[1];
        m.onCommand = (fake, session, seq, attempt) ->
        {
            if (refuseUntilNs[0] == Long.MAX_VALUE)
            {
                refuseUntilNs[0] = System.nanoTime() + 300 * MS;
            }
            if (System.nanoTime() < refuseUntilNs[0])
            {
                refused[0]++;
                fake.respond(session, seq, CommandStatus.valueOf(refusal), -1, 0, 0);
            }
            else
            {
                fake.respond(session, seq, CommandStatus.OK, 0, seq, seq);
            }
        };
        final Tally tally = new Tally(64);
        final PaxlogClient client = client(context(m).retryDelayNs(MS).maxOutstanding(32).responseListener(tally));
        for (int i = 1; i <= 32; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered == 32, client);
        assertTrue(refused[0] >= 32, "every command was refused first: " + refused[0]);
        assertTrue(refused[0] <= 32 + 40, "refused attempts in 300 ms: " + refused[0] + " (the window of 32, then " +
            "one probe at a time with a doubling delay)");
        for (int s = 1; s <= 32; s++)
        {
            assertEquals(1, tally.count[s], "deliveries of seq " + s);
        }
        assertEquals(0, tally.failed);
    }

    @Test
    void rejectedAndTimedOutCommandsGoToOnFailureOnce() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.onCommand = (fake, session, seq, attempt) ->
        {
            if (seq == 1)
            {
                fake.respond(session, seq, CommandStatus.REJECTED, 0, 0, 0);
            }
            else if (seq == 3)
            {
                fake.respond(session, seq, CommandStatus.OK, 0, seq, seq);
            }
            // seq 2: never answered
        };
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).attemptTimeoutNs(50 * MS).callTimeoutNs(400 * MS)
            .responseListener(tally));
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.failed == 2 && tally.answered == 1, client);
        assertInstanceOf(PaxlogException.Rejected.class, tally.failure[1]);
        assertInstanceOf(PaxlogException.Timeout.class, tally.failure[2]);
        assertTrue(tally.failure[2].getMessage().startsWith("command seq 2 got no answer within 400 ms"),
            tally.failure[2].getMessage());
        assertTrue(m.attempts(2) >= 2, "seq 2 was retried: " + m.attempts(2));
        assertEquals(1, tally.count[3]);
        assertEquals(0, client.outstanding());
    }

    /**
     * Issue 14: a one-node cluster whose leader never opened sessions made every call fail with "got no answer
     * within 10000 ms after 0 attempts ... it may or may not have been applied". A call that was never sent says so,
     * says why (no leader opened the session, its connects unanswered), and that it was not applied.
     */
    @Test
    void aCallNeverSentBecauseTheSessionNeverOpenedSaysSo() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.answerConnects = false;
        final PaxlogClient client = client(context(m).attemptTimeoutNs(100 * MS).callTimeoutNs(600 * MS));
        final PaxlogException.Timeout command = assertThrows(PaxlogException.Timeout.class,
            () -> client.command(new byte[] {1}));
        final String session = "session " + client.sessionId();
        assertTrue(command.getMessage().startsWith("command seq 1 was never sent within 600 ms: no leader opened " +
            session + " ("), command.getMessage());
        assertTrue(command.getMessage().matches(".* \\(no session event received; \\d+ connects sent to member 0\\); " +
            "it was not applied"), command.getMessage());
        assertEquals(0, m.attempts(1), "never sent");
        assertTrue(m.connects >= 2, "connects resent: " + m.connects);
        final PaxlogException.Timeout query = assertThrows(PaxlogException.Timeout.class,
            () -> client.query(new byte[] {1}, ReadConsistency.LINEARIZABLE, 0));
        assertTrue(query.getMessage().matches("query \\d+ was never sent within 600 ms: " + session + " was not open " +
            "at member 0 \\(no session event received; \\d+ connects sent to member 0\\)"), query.getMessage());
        assertTrue(m.queries.isEmpty());
    }

    @Test
    void aRedirectAnswerIsFollowedToTheNamedLeaderWithTheSameSequence() throws Exception
    {
        final FakeMember[] m = fakes(2);
        m[0].onCommand = (fake, session, seq, attempt) ->
        {
            fake.respond(session, seq, CommandStatus.REDIRECT, 1, 0, 0);
            fake.event(session, SessionEventCode.OPEN, 0); // a late duplicate of its answer to a connect
        };
        m[1].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 1, 500 + seq,
            seq);
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).responseListener(tally));
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered == 3, client);
        for (int s = 1; s <= 3; s++)
        {
            assertEquals(500 + s, tally.slot[s], "answered by member 1");
            assertEquals(1, m[0].attempts(s), "redirected by member 0");
            assertEquals(1, m[1].attempts(s), "resent once to member 1");
            assertEquals(1, tally.count[s]);
        }
        assertEquals(3, client.lastSequence());
    }

    @Test
    void aRedirectOnConnectIsFollowedToTheNamedLeader() throws Exception
    {
        final FakeMember[] m = fakes(2);
        m[0].connectReply = SessionEventCode.REDIRECT;
        m[0].namedLeader = 1;
        m[0].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.REDIRECT, 1, 0, 0);
        m[1].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 1, 500 + seq,
            seq);
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).responseListener(tally));
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered == 3, client);
        for (int s = 1; s <= 3; s++)
        {
            assertEquals(500 + s, tally.slot[s], "answered by member 1");
            assertEquals(1, m[1].attempts(s));
        }
        assertTrue(m[1].connects >= 1, "connected to the leader before sending to it");
        // the next command goes straight to the leader
        assertEquals(4, client.offerCommand(payload(4), 0, 8));
        run(() -> tally.answered == 4, client);
        assertEquals(0, m[0].attempts(4));
    }

    @Test
    void keepAlivesGoToEveryConnectedMemberWhileIdle() throws Exception
    {
        final FakeMember[] m = fakes(2);
        m[0].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 0, seq, 7);
        m[1].connectReply = SessionEventCode.REDIRECT;
        m[1].namedLeader = 0;
        final PaxlogClient client = client(context(m).keepAliveIntervalNs(20 * MS).sessionTimeoutNs(1000 * MS));
        assertEquals(7, CommandValue.of(client.command(new byte[8])));
        assertEquals(42, CommandValue.of(client.queryMember(1, new byte[8])));
        final int before0 = m[0].keepAlives;
        final int before1 = m[1].keepAlives;
        run(() -> m[0].keepAlives >= before0 + 3 && m[1].keepAlives >= before1 + 3, client);
        assertEquals(client.sessionId(), m[0].lastKeepAliveSession);
        assertEquals(client.sessionId(), m[1].lastKeepAliveSession);
    }

    @Test
    void blockingAndFutureCallsRideTheSamePipeline() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 0, seq, seq * 3);
        final Tally tally = new Tally(64);
        final PaxlogClient client = client(context(m).maxOutstanding(2).responseListener(tally));
        assertEquals(1, client.offerCommand(payload(1), 0, 8));
        final List<CompletableFuture<PaxlogClient.Result>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            futures.add(client.commandAsync(new byte[8])); // more than the window: queued, sent by poll
        }
        assertEquals(PaxlogClient.BACK_PRESSURED, client.offerCommand(payload(9), 0, 8), "queued calls go first");
        final PaxlogClient.Result r = client.command(new byte[8]);
        assertEquals(7, r.slot(), "the blocking call took the sequence after the queued ones");
        assertEquals(21, CommandValue.of(r));
        run(() -> futures.stream().allMatch(CompletableFuture::isDone), client);
        for (int i = 0; i < 5; i++)
        {
            assertEquals((i + 2) * 3, CommandValue.of(futures.get(i).join()));
        }
        assertEquals(1, tally.answered, "only the offerCommand outcome went to the listener");
        assertEquals(1, tally.count[1]);
    }

    @Test
    void aSessionClosedByTheClusterFailsEverythingAndRefusesNewCommands() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.onCommand = (fake, session, seq, attempt) ->
        {
            if (seq == 2)
            {
                fake.respond(session, seq, CommandStatus.SESSION_CLOSED, 0, 0, 0);
            }
        };
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).responseListener(tally));
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.failed == 3, client);
        for (int s = 1; s <= 3; s++)
        {
            assertInstanceOf(PaxlogException.SessionClosed.class, tally.failure[s], "seq " + s);
        }
        assertEquals(PaxlogClient.CLOSED, client.offerCommand(payload(4), 0, 8));
        assertThrows(PaxlogException.SessionClosed.class, () -> client.command(new byte[8]));
        assertTrue(client.isClosed());
    }

    @Test
    void closeFailsWhatIsOutstandingAndPollFromACallbackIsRefused() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        m.onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 0, seq, seq);
        final Tally tally = new Tally(32);
        final PaxlogClient[] holder = new PaxlogClient[1];
        final IllegalStateException[] reentrant = new IllegalStateException[1];
        final PaxlogClient client = client(context(m).responseListener(new ResponseListener()
        {
            public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
                final int length)
            {
                tally.onResponse(sequence, slot, result, offset, length);
                try
                {
                    holder[0].poll();
                }
                catch (final IllegalStateException ex)
                {
                    reentrant[0] = ex;
                }
            }

            public void onFailure(final long sequence, final PaxlogException cause)
            {
                tally.onFailure(sequence, cause);
            }
        }));
        holder[0] = client;
        assertEquals(1, client.offerCommand(payload(1), 0, 8));
        run(() -> tally.answered == 1, client);
        assertTrue(reentrant[0] != null && reentrant[0].getMessage().contains("inside poll()"));
        m.onCommand = (fake, session, seq, attempt) -> { };
        assertEquals(2, client.offerCommand(payload(2), 0, 8));
        client.close();
        assertInstanceOf(PaxlogException.SessionClosed.class, tally.failure[2]);
        assertEquals(PaxlogClient.CLOSED, client.offerCommand(payload(3), 0, 8));
    }

    @Test
    void aSequentialReadAtAChosenFollowerCarriesTheSessionsLastSeenSlotAndIsAskedAgainUntilTheFollowerHasAppliedIt()
        throws Exception
    {
        final FakeMember[] m = fakes(2);
        m[0].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 0, 500 + seq,
            seq);
        m[1].connectReply = SessionEventCode.REDIRECT;
        m[1].namedLeader = 0;
        // the follower has applied slot 498 and applies one more slot per query it is asked
        final long[] applied = {498};
        m[1].onQuery = (fake, session, id, consistency, minSlot) ->
        {
            applied[0]++;
            if (applied[0] < minSlot)
            {
                fake.respond(session, id, CommandStatus.BUSY, 0, applied[0], 0);
            }
            else
            {
                fake.respond(session, id, CommandStatus.OK, 0, applied[0], applied[0] * 10);
            }
        };
        final PaxlogClient client = client(context(m).retryDelayNs(MS));
        assertEquals(1, CommandValue.of(client.command(new byte[8])));
        assertEquals(501, client.lastSeenSlot(), "the write's slot");

        final PaxlogClient.Result r = client.queryMember(1, new byte[8], ReadConsistency.SEQUENTIAL,
            client.lastSeenSlot());
        assertEquals(501, r.slot(), "answered once the follower applied the client's write");
        assertEquals(5010, CommandValue.of(r));
        assertEquals(3, m[1].queries.size(), "BUSY at 499 and 500, then OK at 501");
        for (final FakeMember.Query q : m[1].queries)
        {
            assertEquals(ReadConsistency.SEQUENTIAL, q.consistency());
            assertEquals(501, q.minSlot());
        }
        assertEquals(0, m[0].queries.size(), "the read stayed at the chosen member");

        // a SEQUENTIAL read never asks for older state than the session saw, whatever minSlot the caller passes
        final PaxlogClient.Result again = client.queryMember(1, new byte[8], ReadConsistency.SEQUENTIAL, 0);
        assertEquals(502, again.slot());
        assertEquals(501, m[1].queries.get(3).minSlot());

        // the two-argument form is an EVENTUAL read without a floor
        client.queryMember(1, new byte[8]);
        assertEquals(ReadConsistency.EVENTUAL, m[1].queries.get(4).consistency());
        assertEquals(0, m[1].queries.get(4).minSlot());
    }

    @Test
    void aLinearizableReadAtAFollowerFailsAtOnceNamingTheLeader() throws Exception
    {
        final FakeMember[] m = fakes(2);
        m[1].connectReply = SessionEventCode.REDIRECT;
        m[1].namedLeader = 0;
        m[1].onQuery = (fake, session, id, consistency, minSlot) -> fake.respond(session, id,
            consistency == ReadConsistency.LINEARIZABLE ? CommandStatus.REDIRECT : CommandStatus.OK, 0, 7, 42);
        final PaxlogClient client = client(context(m).callTimeoutNs(10_000 * MS));
        final long startNs = System.nanoTime();
        final PaxlogException.Rejected e = assertThrows(PaxlogException.Rejected.class,
            () -> client.queryMember(1, new byte[8], ReadConsistency.LINEARIZABLE, 0));
        assertTrue(e.getMessage().contains("LINEARIZABLE reads are served by the leader only") &&
            e.getMessage().contains("names member 0"), e.getMessage());
        assertTrue(System.nanoTime() - startNs < 5_000 * MS, "refused at once, not after the call timeout");
        assertEquals(1, m[1].queries.size(), "not asked again");
        assertEquals(0, m[0].queries.size(), "not moved to the leader");
        assertEquals(42, CommandValue.of(client.queryMember(1, new byte[8], ReadConsistency.SEQUENTIAL, 0)),
            "the session is still usable");
    }

    @Test
    void queryMemberRefusesAnUnknownMember() throws Exception
    {
        final FakeMember m = fakes(1)[0];
        final PaxlogClient client = client(context(m));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> client.queryMember(1, new byte[8], ReadConsistency.SEQUENTIAL, 0));
        assertEquals("member 1: not a member this client knows (known ids: 0)", e.getMessage());
    }

    // ------------------------------------------------------------------ membership: sparse ids, learning

    @Test
    void aClientOfSparseMemberIdsRotatesAmongThemAndIsAnswered() throws Exception
    {
        final FakeMember[] m = fakesWithIds(2, 5, 7);
        final FakeMember two = m[0];
        final FakeMember five = m[1];
        final FakeMember seven = m[2];
        // 7, tried first, never answers; the rotation wraps around to 2, which redirects to the leader 5
        two.onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.REDIRECT, 5, 0, 0);
        five.onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 5, 500 + seq,
            seq);
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(seven, two, five).attemptTimeoutNs(200 * MS)
            .responseListener(tally));
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered == 3, client);
        for (int s = 1; s <= 3; s++)
        {
            assertEquals(500 + s, tally.slot[s], "answered by member 5");
            assertEquals(1, tally.count[s]);
        }
        assertTrue(seven.attempts(1) >= 1 && two.attempts(1) >= 1, "7 first, then 2");
        assertEquals(0, tally.failed);
        // the next command goes straight to the leader; a member is named by its id
        assertEquals(4, client.offerCommand(payload(4), 0, 8));
        run(() -> tally.answered == 4, client);
        assertEquals(0, seven.attempts(4) + two.attempts(4));
        assertEquals(42, CommandValue.of(client.queryMember(7, new byte[8])));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> client.queryMember(3, new byte[8]));
        assertEquals("member 3: not a member this client knows (known ids: 2, 5, 7)", e.getMessage());
    }

    @Test
    void aRedirectListingMembersTeachesTheClientALeaderItWasNeverToldAbout() throws Exception
    {
        final FakeMember[] m = fakes(4);
        // the cluster went from {0, 1, 2} to {1, 2, 3} with leader 3; member 0, removed, still answers
        final String latest = membersText(m[1], m[2], m[3]);
        m[0].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.REDIRECT, 3, 0, 0,
            latest);
        m[1].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 1, 100 + seq,
            seq);
        m[3].onCommand = (fake, session, seq, attempt) ->
        {
            if (seq <= 3)
            {
                fake.respond(session, seq, CommandStatus.OK, 3, 300 + seq, seq);
            }
        };
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m[0], m[1], m[2]).responseListener(tally));
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, client.offerCommand(payload(i), 0, 8));
        }
        run(() -> tally.answered == 3, client);
        for (int s = 1; s <= 3; s++)
        {
            assertEquals(300 + s, tally.slot[s], "answered by member 3");
            assertEquals(1, m[0].attempts(s), "redirected by member 0");
            assertEquals(1, m[3].attempts(s), "resent once to member 3");
        }
        assertTrue(m[3].connects >= 1, "connected to the member learned");
        assertEquals(0, client.droppedResponses());
        assertEquals(42, CommandValue.of(client.queryMember(3, new byte[8])), "3 is a known member now");

        // 3 falls silent: the rotation goes on among the latest list (3 -> 1), not to the removed member 0
        assertEquals(4, client.offerCommand(payload(4), 0, 8));
        run(() -> tally.answered == 4, client);
        assertEquals(104, tally.slot[4], "answered by member 1");
        assertEquals(0, m[0].attempts(4), "member 0 is no longer rotated to");
        assertTrue(m[3].attempts(4) >= 1);
        assertEquals(0, tally.failed);
    }

    @Test
    void aRedirectEventListingMembersTeachesTheClientTheLeader() throws Exception
    {
        final FakeMember[] m = fakes(2);
        // the client knows member 0 only; 0 answers its connect with REDIRECT naming 1 and listing {0, 1}
        m[0].connectReply = SessionEventCode.REDIRECT;
        m[0].namedLeader = 1;
        m[0].connectMembers = membersText(m[0], m[1]);
        m[0].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.REDIRECT, 1, 0, 0);
        m[1].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 1, 500 + seq,
            seq);
        final PaxlogClient client = client(context(m[0]));
        final PaxlogClient.Result r = client.command(new byte[8]);
        assertEquals(501, r.slot(), "answered by member 1, learned from the session event");
        assertTrue(m[1].connects >= 1);
    }

    @Test
    void aMalformedMembersListIsDroppedAndCountedAndALeaderNobodyKnowsIsNoLeader() throws Exception
    {
        final FakeMember[] m = fakes(2);
        // 0 redirects to 3 with a list that does not parse (a host with a space): the frame is dropped, counted
        m[0].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.REDIRECT, 3, 0, 0,
            "1=127.0.0.1:1:2,3=not a host:5:6");
        m[1].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 1, 100 + seq,
            seq);
        final Tally tally = new Tally(32);
        final PaxlogClient client = client(context(m).attemptTimeoutNs(100 * MS).retryDelayNs(MS)
            .responseListener(tally));
        assertEquals(1, client.offerCommand(payload(1), 0, 8));
        run(() -> tally.answered == 1, client);
        assertEquals(101, tally.slot[1], "the attempt at 0 timed out, then 1 answered");
        assertEquals(1, m[0].attempts(1));
        assertEquals(1, client.droppedResponses(), "the redirect with the malformed list");
        assertThrows(IllegalArgumentException.class, () -> client.queryMember(3, new byte[8]), "3 was not learned");

        // 1 now redirects to 9, a member nobody listed: no leader known, asked again, then the next member (0)
        m[1].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.REDIRECT, 9, 0, 0);
        m[0].onCommand = (fake, session, seq, attempt) -> fake.respond(session, seq, CommandStatus.OK, 0, 200 + seq,
            seq);
        assertEquals(2, client.offerCommand(payload(2), 0, 8));
        run(() -> tally.answered == 2, client);
        assertEquals(202, tally.slot[2], "answered by member 0 after 1 stayed without a leader");
        assertTrue(m[1].attempts(2) >= 2, "asked again while it named no member known: " + m[1].attempts(2));
        assertEquals(1, client.droppedResponses(), "a redirect to an unknown id is not malformed");
        assertEquals(0, tally.failed);
    }

    // ------------------------------------------------------------------ harness

    private FakeMember[] fakes(final int n) throws IOException
    {
        final int[] ids = new int[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = i;
        }
        return fakesWithIds(ids);
    }

    /** Fake members with these ids, in this order. */
    private FakeMember[] fakesWithIds(final int... ids) throws IOException
    {
        root = ScratchDirs.create("paxlog-client-protocol");
        final FakeMember[] fakes = new FakeMember[ids.length];
        for (int i = 0; i < ids.length; i++)
        {
            fakes[i] = new FakeMember(new Member(ids[i], "127.0.0.1", freePort(), freePort()),
                root.resolve("fake" + ids[i]));
            closeables.add(fakes[i]);
            fakes[i].start();
        }
        return fakes;
    }

    /** The members string a node sends with a REDIRECT: these fakes' {@code id=host:consensusPort:clientPort,...}. */
    private static String membersText(final FakeMember... fakes)
    {
        final Member[] members = new Member[fakes.length];
        for (int i = 0; i < fakes.length; i++)
        {
            members[i] = fakes[i].member;
        }
        return Member.format(members);
    }

    private PaxlogClientContext context(final FakeMember... fakes)
    {
        final Member[] members = new Member[fakes.length];
        for (int i = 0; i < fakes.length; i++)
        {
            members[i] = fakes[i].member;
        }
        return new PaxlogClientContext().members(members).aeronDirectoryName(root.resolve("client").toString())
            .attemptTimeoutNs(500 * MS).callTimeoutNs(10_000 * MS);
    }

    private PaxlogClient client(final PaxlogClientContext context)
    {
        final PaxlogClient client = new PaxlogClient(context);
        closeables.add(client);
        return client;
    }

    /** Polls the client until the condition holds; fails after 10 s (a liveness bound only). */
    private static void run(final BooleanSupplier done, final PaxlogClient client)
    {
        final BackoffIdleStrategy idle = new BackoffIdleStrategy();
        final long deadline = System.nanoTime() + 10_000 * MS;
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("condition not reached within 10 s");
            }
            idle.idle(client.poll());
        }
    }

    private static UnsafeBuffer payload(final long v)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        b.putLong(0, v);
        return b;
    }

    private static int freePort()
    {
        return io.paxlog.protocol.LoopbackPorts.free();
    }

    private static final class CommandValue
    {
        static long of(final PaxlogClient.Result r)
        {
            assertEquals(8, r.value().length);
            return new UnsafeBuffer(r.value()).getLong(0);
        }
    }

    /** Counts outcomes per sequence. */
    static final class Tally implements ResponseListener
    {
        final int[] count;
        final long[] value;
        final long[] slot;
        final PaxlogException[] failure;
        int answered;
        int failed;

        Tally(final int sequences)
        {
            count = new int[sequences];
            value = new long[sequences];
            slot = new long[sequences];
            failure = new PaxlogException[sequences];
        }

        public void onResponse(final long sequence, final long slot, final DirectBuffer result, final int offset,
            final int length)
        {
            count[(int)sequence]++;
            this.slot[(int)sequence] = slot;
            value[(int)sequence] = length == 8 ? result.getLong(offset) : -1;
            answered++;
        }

        public void onFailure(final long sequence, final PaxlogException cause)
        {
            assertNull(failure[(int)sequence], "one outcome per sequence");
            failure[(int)sequence] = cause;
            failed++;
        }
    }

    interface CommandPolicy
    {
        void onCommand(FakeMember fake, long sessionId, long sequence, int attempt);
    }

    interface QueryPolicy
    {
        void onQuery(FakeMember fake, long sessionId, long correlationId, ReadConsistency consistency, long minSlot);
    }

    /**
     * A member speaking the client protocol from a script, on its own thread (the client's blocking calls poll only
     * the client); answers are queued until its publication connects.
     */
    static final class FakeMember implements AutoCloseable
    {
        final Member member;
        final MediaDriver driver;
        final Aeron aeron;
        final Subscription subscription;
        final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MessageHeaderEncoder headerOut = new MessageHeaderEncoder();
        final SessionConnectDecoder connect = new SessionConnectDecoder();
        final CommandRequestDecoder command = new CommandRequestDecoder();
        final QueryRequestDecoder query = new QueryRequestDecoder();
        final SessionKeepAliveDecoder keepAlive = new SessionKeepAliveDecoder();
        final SessionCloseDecoder close = new SessionCloseDecoder();
        final CommandResponseEncoder response = new CommandResponseEncoder();
        final SessionEventEncoder event = new SessionEventEncoder();
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
        final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
        final Map<Long, Integer> sequences = new ConcurrentHashMap<>();
        /** Per sequence, the last attempt's payload as "length:first 8 bytes as a long". */
        final Map<Long, String> payloads = new ConcurrentHashMap<>();
        final Thread thread = new Thread(this::loop, "fake-member");
        Publication toClient;
        volatile CommandPolicy onCommand = (fake, session, seq, attempt) -> { };
        volatile QueryPolicy onQuery = (fake, session, id, consistency, minSlot) -> fake.respond(session, id,
            CommandStatus.OK, fake.member.id(), 1, 42);
        final List<Query> queries = new CopyOnWriteArrayList<>();
        volatile SessionEventCode connectReply = SessionEventCode.OPEN;
        volatile int namedLeader = -1;
        /** The members string of a REDIRECT answering a connect (as a node sends the latest configuration). */
        volatile String connectMembers = "";
        volatile boolean answerSeqOne;
        /** False: connects are heard and never answered (a leader whose session opens never commit). */
        volatile boolean answerConnects = true;
        volatile int connects;
        volatile int keepAlives;
        volatile int closes;
        volatile long lastKeepAliveSession;
        volatile Throwable error;
        private volatile boolean running = true;

        record Query(ReadConsistency consistency, long minSlot) { }

        FakeMember(final Member member, final Path dir)
        {
            this.member = member;
            this.driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.toString())
                .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy())
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true));
            this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.toString()));
            this.subscription = aeron.addSubscription(member.clientChannel(), ProtocolLimits.CLIENT_STREAM);
        }

        void start()
        {
            thread.setDaemon(true);
            thread.start();
        }

        private void loop()
        {
            final BackoffIdleStrategy idle = new BackoffIdleStrategy();
            try
            {
                while (running)
                {
                    idle.idle(poll());
                }
            }
            catch (final Throwable t)
            {
                error = t;
            }
        }

        int attempts(final long sequence)
        {
            return sequences.getOrDefault(sequence, 0);
        }

        int poll()
        {
            int work = subscription.poll(assembler, 16);
            while (toClient != null && toClient.isConnected() && !outbox.isEmpty())
            {
                final byte[] frame = outbox.peekFirst();
                if (toClient.offer(new UnsafeBuffer(frame)) < 0)
                {
                    break;
                }
                outbox.pollFirst();
                work++;
            }
            return work;
        }

        void respond(final long session, final long sequence, final CommandStatus status, final int leader,
            final long slot, final long value)
        {
            respond(session, sequence, status, leader, slot, value, "");
        }

        /** An answer carrying {@code members} (a node sends the latest configuration's with a REDIRECT). */
        void respond(final long session, final long sequence, final CommandStatus status, final int leader,
            final long slot, final long value, final String members)
        {
            final UnsafeBuffer result = new UnsafeBuffer(new byte[8]);
            result.putLong(0, value);
            response.wrapAndApplyHeader(out, 0, headerOut).sessionId(session).sequence(sequence).status(status)
                .leaderNodeId(leader).slot(slot).putResult(result, 0, status == CommandStatus.OK ? 8 : 0)
                .members(members);
            queue(MessageHeaderEncoder.ENCODED_LENGTH + response.encodedLength());
        }

        void event(final long session, final SessionEventCode code, final int leader)
        {
            event.wrapAndApplyHeader(out, 0, headerOut).correlationId(session).sessionId(session).code(code)
                .leaderNodeId(leader).detail("").putChallenge(new byte[0], 0, 0).members("");
            queue(MessageHeaderEncoder.ENCODED_LENGTH + event.encodedLength());
        }

        private void queue(final int length)
        {
            final byte[] frame = new byte[length];
            out.getBytes(0, frame);
            outbox.addLast(frame);
        }

        private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (header.templateId())
            {
                case SessionConnectDecoder.TEMPLATE_ID ->
                {
                    connect.wrap(buffer, body, header.blockLength(), header.version());
                    connects++;
                    if (!answerConnects)
                    {
                        return;
                    }
                    final long session = connect.correlationId();
                    final int stream = connect.responseStreamId();
                    final String channel = connect.responseChannel();
                    if (toClient == null)
                    {
                        toClient = aeron.addPublication(channel, stream);
                    }
                    event.wrapAndApplyHeader(out, 0, headerOut).correlationId(session).sessionId(session)
                        .code(connectReply).leaderNodeId(connectReply == SessionEventCode.OPEN ? member.id() :
                        namedLeader).detail("").putChallenge(new byte[0], 0, 0)
                        .members(connectReply == SessionEventCode.REDIRECT ? connectMembers : "");
                    queue(MessageHeaderEncoder.ENCODED_LENGTH + event.encodedLength());
                }
                case CommandRequestDecoder.TEMPLATE_ID ->
                {
                    command.wrap(buffer, body, header.blockLength(), header.version());
                    final long session = command.sessionId();
                    final long seq = command.sequence();
                    final int attempt = sequences.merge(seq, 1, Integer::sum);
                    final int payloadLength = command.payloadLength();
                    final UnsafeBuffer payload = new UnsafeBuffer(new byte[payloadLength]);
                    command.getPayload(payload, 0, payloadLength);
                    payloads.put(seq, payloadLength + ":" + (payloadLength >= 8 ? payload.getLong(0) : -1));
                    onCommand.onCommand(this, session, seq, attempt);
                }
                case QueryRequestDecoder.TEMPLATE_ID ->
                {
                    query.wrap(buffer, body, header.blockLength(), header.version());
                    final long session = query.sessionId();
                    final long id = query.correlationId();
                    final ReadConsistency consistency = query.consistency();
                    final long minSlot = query.minSlot();
                    queries.add(new Query(consistency, minSlot));
                    onQuery.onQuery(this, session, id, consistency, minSlot);
                }
                case SessionKeepAliveDecoder.TEMPLATE_ID ->
                {
                    keepAlive.wrap(buffer, body, header.blockLength(), header.version());
                    keepAlives++;
                    lastKeepAliveSession = keepAlive.sessionId();
                }
                case SessionCloseDecoder.TEMPLATE_ID -> closes++;
                default -> fail("unexpected template " + header.templateId());
            }
        }

        public void close() throws InterruptedException
        {
            running = false;
            thread.join();
            CloseHelper.closeAll(aeron, driver);
            if (error != null)
            {
                throw new AssertionError("fake member " + member.id() + " failed", error);
            }
        }
    }
}
