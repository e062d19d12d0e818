package io.paxlog.node;

import io.paxlog.codecs.MembershipOutcome;
import io.paxlog.codecs.MembershipResponseEncoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.Membership;
import io.paxlog.core.Role;
import io.paxlog.protocol.Member;
import org.agrona.ExpandableArrayBuffer;

/**
 * The admin channel's membership requests on one node ({@code ops/cluster add-member|remove-member|replace-member},
 * docs/membership.md and docs/operations.md). The leader starts the change in its core
 * ({@link ConsensusNode#requestMembershipChange}) after learning the new member's address, and answers with a
 * MembershipResponse when the change ends (DONE or FAILED) or at once when it cannot start (REFUSED: not the
 * leader, a change in progress, an invalid request). One change runs at a time; the admin client resends its
 * request until answered, so a resend of the change in progress is not answered until it ends, and a resend of the
 * last one ended gets the same answer again.
 *
 * <p>Threading: the node's duty-cycle thread. Allocates (rare, operator-driven).
 */
final class MembershipRequests
{
    private final int nodeId;
    private final ConsensusNode core;
    private final AddressBook book;
    private final ClientSessions sessions;
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final MembershipResponseEncoder response = new MembershipResponseEncoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);

    private long activeId = Long.MIN_VALUE;
    private String activeChannel;
    private int activeStreamId;
    private long lastId = Long.MIN_VALUE;
    private MembershipOutcome lastOutcome;
    private String lastDetail;
    private long lastCommitSlot;

    MembershipRequests(final int nodeId, final ConsensusNode core, final AddressBook book,
        final ClientSessions sessions)
    {
        this.nodeId = nodeId;
        this.core = core;
        this.book = book;
        this.sessions = sessions;
    }

    /**
     * A request to add {@code addMember} ({@code id=host:consensusPort:clientPort}, empty for none) and/or remove
     * member {@code removeId} (-1 for none), with quorums W and R of the final configuration (0: the core's
     * default, a majority).
     */
    void onRequest(final long nowNs, final long correlationId, final String channel, final int streamId,
        final int removeId, final int acceptQuorum, final int electionQuorum, final String addMember)
    {
        if (correlationId == activeId)
        {
            return; // in progress: answered when it ends
        }
        if (correlationId == lastId)
        {
            reply(channel, streamId, correlationId, lastOutcome, lastCommitSlot, lastDetail);
            return;
        }
        final String refusal = start(nowNs, correlationId, channel, streamId, removeId, acceptQuorum, electionQuorum,
            addMember);
        if (refusal != null)
        {
            remember(correlationId, MembershipOutcome.REFUSED, 0, refusal);
            reply(channel, streamId, correlationId, MembershipOutcome.REFUSED, 0, refusal);
        }
    }

    /** Starts the change; null if started, else why not (one line). */
    private String start(final long nowNs, final long correlationId, final String channel, final int streamId,
        final int removeId, final int acceptQuorum, final int electionQuorum, final String addMember)
    {
        if (core.role() != Role.LEADER)
        {
            return "node " + nodeId + " is not the leader" + (core.leaderId() >= 0 ? " (the leader is node " +
                core.leaderId() + ")" : " (no leader known)");
        }
        if (acceptQuorum < 0 || electionQuorum < 0 || acceptQuorum > Membership.MEMBERS_MAX ||
            electionQuorum > Membership.MEMBERS_MAX)
        {
            return "W and R must be in 0.." + Membership.MEMBERS_MAX + " (0: the default)";
        }
        final Membership latest = core.latestMembership();
        Member add = null;
        if (!addMember.isEmpty())
        {
            try
            {
                add = Member.parse(addMember);
            }
            catch (final IllegalArgumentException ex)
            {
                return "the member to add: " + ex.getMessage();
            }
            if (add.id() > Member.ID_MAX)
            {
                return "the member to add: ids must be in 0.." + Member.ID_MAX;
            }
            final Member known = book.member(add.id());
            if (known != null && !known.equals(add) && latest.isVoter(add.id()))
            {
                return "member " + add.id() + " votes in the configuration at " + known.spec() + ", not " + add.spec();
            }
            // a learner left by a change that failed may come back at another address: it moves there
        }
        final int addId = add == null ? -1 : add.id();
        if (add != null)
        {
            book.learn(add); // the leader reaches the learner from its first configuration entry on
        }
        final byte[] tail = book.tail(latest.members() | (addId >= 0 ? 1L << addId : 0));
        activeId = correlationId; // before the core call: a change that fails at once reports from inside it
        activeChannel = channel;
        activeStreamId = streamId;
        final String why = core.requestMembershipChange(nowNs, correlationId, addId, removeId, acceptQuorum,
            electionQuorum, tail);
        if (why != null && activeId == correlationId)
        {
            activeId = Long.MIN_VALUE;
        }
        return why;
    }

    /** The core ended the change {@code requestId} ({@link io.paxlog.core.CommitListener#onMembershipChange}). */
    void onEnded(final long requestId, final boolean done, final String detail)
    {
        NodeLog.info("node " + nodeId + ": membership change " + requestId + (done ? " done: " : " failed: ") + detail);
        if (requestId != activeId)
        {
            return;
        }
        activeId = Long.MIN_VALUE;
        final MembershipOutcome outcome = done ? MembershipOutcome.DONE : MembershipOutcome.FAILED;
        final long commitSlot = core.commitSlot();
        remember(requestId, outcome, commitSlot, detail);
        reply(activeChannel, activeStreamId, requestId, outcome, commitSlot, detail);
    }

    private void remember(final long id, final MembershipOutcome outcome, final long commitSlot, final String detail)
    {
        lastId = id;
        lastOutcome = outcome;
        lastCommitSlot = commitSlot;
        lastDetail = detail;
    }

    private void reply(final String channel, final int streamId, final long correlationId,
        final MembershipOutcome outcome, final long commitSlot, final String detail)
    {
        final int publication = sessions.adminPublication(channel, streamId);
        if (publication < 0)
        {
            return; // too many reply channels open (bounded); the request is resent and answered then
        }
        response.wrapAndApplyHeader(buffer, 0, header).correlationId(correlationId).nodeId(nodeId).outcome(outcome)
            .leaderId(core.leaderId()).commitSlot(commitSlot).detail(detail);
        sessions.adminReply(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + response.encodedLength());
    }
}
