package io.paxlog.node;

import io.paxlog.client.PaxlogClient;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.codecs.ProtocolText;
import io.paxlog.core.Ballot;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Membership;
import io.paxlog.protocol.Member;
import io.paxlog.sm.StateMachineHost;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ties between numbers and rules that are stated in more than one place because one statement may not depend
 * on the other: {@link ProtocolLimits} (codecs) is the protocol's one statement, and each test below holds a copy
 * that must stay separate equal to it, or checks that two limits fit each other. Each fails when the two sides
 * disagree (each was seen failing with one side changed on purpose when written).
 *
 * <p>In package {@code node} to read the node's package-private copies ({@code NodeAgent}'s stream ids,
 * {@code replica.PendingResponsesTest} ties the pending-answer ring to the pipeline window).
 */
class ConstantsAgreeTest
{
    /**
     * The node's stream ids ({@code NodeAgent}; its own copies until it can refer to {@link ProtocolLimits}) are the
     * protocol's, and the four streams are distinct: each kind of frame has a stream of its own.
     */
    @Test
    void theNodeUsesTheProtocolsStreamIds()
    {
        assertEquals(ProtocolLimits.CONSENSUS_STREAM, NodeAgent.CONSENSUS_STREAM, "consensus stream");
        assertEquals(ProtocolLimits.CLIENT_STREAM, NodeAgent.CLIENT_STREAM, "client stream");
        final Set<Integer> streams = new HashSet<>(List.of(ProtocolLimits.CONSENSUS_STREAM,
            ProtocolLimits.CLIENT_STREAM, ProtocolLimits.RESPONSE_STREAM, ProtocolLimits.ADMIN_RESPONSE_STREAM));
        assertEquals(4, streams.size(), "distinct stream ids: " + streams);
    }

    /**
     * The client pipelines at most the window the host deduplicates: the protocol's session window is the host's
     * exactly-once window (state-machines does not depend on the codecs), a power of two (the host's cache is
     * indexed by {@code sequence & (window - 1)}), and the client accepts exactly 1..window outstanding commands.
     */
    @Test
    void theClientsSessionWindowIsTheHostsExactlyOnceWindow()
    {
        assertEquals(ProtocolLimits.SESSION_WINDOW, StateMachineHost.SESSION_WINDOW, "the host's window");
        assertEquals(1, Integer.bitCount(StateMachineHost.SESSION_WINDOW), "a power of two");
        assertEquals(ProtocolLimits.SESSION_WINDOW, PaxlogClient.SESSION_WINDOW, "the client's window");
        client().maxOutstanding(StateMachineHost.SESSION_WINDOW).conclude();
        assertThrows(IllegalArgumentException.class,
            () -> client().maxOutstanding(StateMachineHost.SESSION_WINDOW + 1).conclude(), "one beyond the window");
    }

    /**
     * Member ids fit everywhere an id goes: in the node-id bits of the core's ballots (and the admin client reads
     * ballots with the same layout), and one bit each in the core's membership bit sets ({@code long}s).
     */
    @Test
    void memberIdsFitTheCoresBallotsAndBitSets()
    {
        assertTrue(ProtocolLimits.MEMBER_ID_MAX <= Ballot.NODE_ID_MAX,
            "member id " + ProtocolLimits.MEMBER_ID_MAX + " does not fit a ballot's node id (at most " +
                Ballot.NODE_ID_MAX + ")");
        assertEquals(ProtocolLimits.BALLOT_NODE_ID_BITS, Ballot.NODE_ID_BITS, "a ballot's node-id bits");
        assertEquals(ProtocolLimits.MEMBER_IDS, Membership.MEMBERS_MAX, "member ids, the core's bit sets");
        assertTrue(ProtocolLimits.MEMBER_IDS <= Long.SIZE, "one bit per member id in a long");
        assertEquals(ProtocolLimits.MEMBER_ID_MAX, Member.ID_MAX, "Member");
        assertEquals(ProtocolLimits.MEMBER_ID_MAX,
            Member.parseList("0=h:1:2," + ProtocolLimits.MEMBER_ID_MAX + "=h:3:4")[1].id(), "the largest id parses");
        assertThrows(IllegalArgumentException.class,
            () -> Member.parseList((ProtocolLimits.MEMBER_ID_MAX + 1) + "=h:1:2"), "one beyond the largest id");
        assertTrue(Membership.firstN(ProtocolLimits.MEMBER_IDS, 0, 0).isVoter(ProtocolLimits.MEMBER_ID_MAX),
            "the core holds the largest id");
    }

    /**
     * What the admin client prints of wire values ({@link ProtocolText}) is what the core prints (node logs, the
     * simulator): ballots and member-id sets.
     */
    @Test
    void theAdminClientPrintsBallotsAndIdSetsAsTheCoreDoes()
    {
        final long[] ballots = {Ballot.NONE, Ballot.of(1, 0), Ballot.of(7, ProtocolLimits.MEMBER_ID_MAX),
            Ballot.of(123_456_789L, Ballot.NODE_ID_MAX), Ballot.of((1L << (63 - Ballot.NODE_ID_BITS)) - 1, 5)};
        for (final long b : ballots)
        {
            assertEquals(Ballot.toString(b), ProtocolText.ballot(b), "ballot " + b);
        }
        final long[] sets = {0, 1, 1L << ProtocolLimits.MEMBER_ID_MAX, -1L, 0b1011_0000_0101L};
        for (final long s : sets)
        {
            assertEquals(Membership.ids(s), ProtocolText.memberIds(s), "member-id set " + Long.toBinaryString(s));
        }
    }

    private static PaxlogClientContext client()
    {
        return new PaxlogClientContext().members(new Member(0, "127.0.0.1", 1, 2))
            .aeronDirectoryName("/tmp/paxlog-constants-test");
    }
}
