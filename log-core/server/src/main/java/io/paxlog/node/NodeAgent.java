package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.paxlog.auth.ClientAuthenticator;
import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.FaultOutcome;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.StatusResponseEncoder;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.core.Ballot;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.Entry;
import io.paxlog.core.Membership;
import io.paxlog.core.Role;
import io.paxlog.protocol.Member;
import io.paxlog.replica.Replica;
import io.paxlog.replica.ReplicaOutput;
import io.paxlog.sm.ResponseSink;
import io.paxlog.sm.StateMachineHost;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.NanoClock;


/**
 * One Paxlog node as an Agrona {@link Agent}. Each duty cycle reads the clock, polls the consensus and
 * client subscriptions (the adapters step the core), reads the clock again, ticks the core, flushes its pending
 * accepts, syncs the journal as the policy says, and only then releases the frames produced in the cycle.
 *
 * <p>Why a second reading. With a SHARED or dedicated driver, frames land in the subscriptions from another
 * thread, so a frame polled in this cycle may have arrived after the cycle's first reading; a pause between the
 * two (GC, SIGSTOP: the known trap of a process pause longer than the lease) makes that reading arbitrarily old.
 * Whatever a lease depends on is therefore timed by a reading taken after the frame arrived: the lease grants made
 * while polling run from the second reading ({@link ConsensusNode#onFramesPolled}), a lease read is checked
 * against a reading taken when it is handled, and the status answer's lease remaining likewise. Times the core
 * records for its own sends come from a reading taken before the send, which errs the safe way.
 *
 * <p>The service-side rules (sessions, admission, commands and their pending answers, the read levels, applying
 * committed entries) are the {@link Replica}'s, which the simulator drives too; this agent keeps the duty cycle,
 * the transport (which session answers go to: {@link ClientSessions}), authentication, snapshots and the admin
 * channel, and is the replica's {@link ReplicaOutput}.
 */
public final class NodeAgent extends ClientRequests implements Agent, ReplicaOutput
{
    static final int CONSENSUS_STREAM = io.paxlog.codecs.ProtocolLimits.CONSENSUS_STREAM;
    static final int CLIENT_STREAM = io.paxlog.codecs.ProtocolLimits.CLIENT_STREAM;
    private static final int FRAGMENT_LIMIT = 64;
    /**
     * Client messages joined at once: clients whose messages span several Aeron frames (commands over about 1.4 KB)
     * and arrive interleaved; a client beyond these has its message dropped and retries it.
     */
    static final int CLIENT_REASSEMBLY_SLOTS = 16;
    /**
     * The most bytes of frames held at once: the largest promise (all its parts) and a full round of accepts
     * ({@link NodeConfig} checks {@code paxlog.promise.bytes.max} against it).
     */
    static final int HELD_BYTES_MAX = 64 * 1024 * 1024;
    /** Every send failing (throwing) for this long stops the node: it can no longer do its job. */
    static final long SEND_FAILURE_STOP_NS = 10_000_000_000L;

    private final NodeConfig config;
    private final NanoClock clock;
    private final AgentInvoker conductorInvoker;
    private final AgentInvoker driverInvoker;
    private final ChronicleJournal journal;
    private final StateMachineHost service;
    private final Replica replica;
    private final HeldFrames held;
    private final ConsensusNode core;
    private final ConsensusAdapter consensusAdapter;
    private final ClientAdapter clientAdapter;
    private final Reassembler consensusAssembler;
    private final Reassembler clientAssembler;
    private final ClientSessions sessions;
    private final Subscription consensusSubscription;
    private final Subscription clientSubscription;
    private static final long STATUS_INTERVAL_NS = 10_000_000L;
    private long nowNs;
    private long statusUpdatedNs;
    private final NodeCounters counters;
    private final NodeFigures figures;
    private final FaultShim faultShim;
    private final MessageHeaderEncoder adminHeader = new MessageHeaderEncoder();
    private final StatusResponseEncoder adminStatus = new StatusResponseEncoder();
    private final ExpandableArrayBuffer adminBuffer = new ExpandableArrayBuffer(1024);
    private volatile boolean snapshotRequested;
    private final SnapshotStore snapshots;
    private final SnapshotTransfer transfer;
    private final io.paxlog.sm.SnapshotWriter snapshotWriter = new io.paxlog.sm.SnapshotWriter();
    private long lastSnapshotSlot;
    private long bytesAtLastSnapshot;
    /** Checks client connects and admin requests (passes everything when clients are not authenticated). */
    private final ClientGate gate;
    private final Aeron aeron;
    /** Every member address this node knows; a publication to each (but itself). */
    private final AddressBook book;
    private final ConsensusPublisher publisher;
    /** What snapshots hold: the configuration in force at the applied slot and the machines. */
    private final NodeSnapshot content;
    /** The latest configuration shown (status, REDIRECT member lists): refreshed when the core's changes. */
    private Membership shownMembership;
    private final MembershipRequests membershipRequests;
    /** Whether the Aeron transport still works; checked at the start of every duty cycle (fail-stop when lost). */
    private final TransportWatch transport;
    /** What stops this node (a broken invariant, an Error, a state machine's exception), once it happened. */
    private final FailStop failStop;

    /** {@code hostFactory} makes the state machine host, given the sink for its deferred answers. */
    public NodeAgent(final NodeConfig config, final Aeron aeron, final NanoClock clock,
        final java.util.function.Function<ResponseSink, StateMachineHost> hostFactory)
    {
        this(config, aeron, clock, hostFactory, null);
    }

    /**
     * As above; {@code transportInvokers}, when not null, are the Aeron client's conductor and the embedded media
     * driver (INVOKER threading), in that order: the duty cycle runs them itself, so a datagram is received,
     * handled and answered on this one thread, with no hand-off to a driver thread in between.
     */
    public NodeAgent(final NodeConfig config, final Aeron aeron, final NanoClock clock,
        final java.util.function.Function<ResponseSink, StateMachineHost> hostFactory,
        final AgentInvoker[] transportInvokers)
    {
        this(config, aeron, clock, hostFactory, transportInvokers, new TransportWatch());
    }

    /**
     * As above; {@code transport} is {@code aeron}'s error handler ({@link PaxlogNode} sets it up so), which lets it
     * name the fatal error that closed the client. (Without it a closed client still stops the node.)
     */
    NodeAgent(final NodeConfig config, final Aeron aeron, final NanoClock clock,
        final java.util.function.Function<ResponseSink, StateMachineHost> hostFactory,
        final AgentInvoker[] transportInvokers, final TransportWatch transport)
    {
        this(config, aeron, clock, hostFactory, transportInvokers, transport, null);
    }

    /**
     * As above, with the node's {@code journal} already open (null: opened here). {@link PaxlogNode} opens it before
     * the transport: with invoker threading nothing services the Aeron client until the duty cycle runs, and the
     * journal's first open (Chronicle's classes) can take seconds on a loaded machine.
     */
    NodeAgent(final NodeConfig config, final Aeron aeron, final NanoClock clock,
        final java.util.function.Function<ResponseSink, StateMachineHost> hostFactory,
        final AgentInvoker[] transportInvokers, final TransportWatch transport, final ChronicleJournal journal)
    {
        this.conductorInvoker = transportInvokers == null ? null : transportInvokers[0];
        this.driverInvoker = transportInvokers == null ? null : transportInvokers[1];
        this.config = config;
        this.clock = clock;
        this.held = new HeldFrames(HELD_BYTES_MAX, config.core().resendTimeoutNs(), "node " + config.nodeId());
        this.replica = new Replica(config.nodeId(), config.sessionsMax(), config.sessionTimeoutNs() / 1_000_000L,
            config.core().windowSlots(), hostFactory, this);
        this.service = replica.host();
        this.journal = journal != null ? journal : new ChronicleJournal(config.dir().resolve("journal"), config.sync());
        if (conductorInvoker != null)
        {
            this.journal.keepAliveDuringReplay(this::invokeTransport);
        }
        this.failStop = new FailStop(journal);
        this.aeron = aeron;
        this.transport = transport;
        transport.attach(aeron);
        this.book = new AddressBook(config.nodeId(), config.members());
        final io.paxlog.auth.FrameAuthenticator frameAuthenticator = config.auth().newFrameAuthenticator();
        final FrameEnvelope envelope = frameAuthenticator == null ? null :
            new FrameEnvelope(frameAuthenticator, config.clusterId(), config.nodeId(), book::hears);
        this.publisher = new ConsensusPublisher(config.nodeId(), held, envelope, config.frameLengthMax());
        book.listener(this::onAddress); // a publication to each member known now, and to each one learned later
        this.core = new ConsensusNode(config.core(), journal, publisher, replica);
        replica.bind(core);
        final Membership initial = config.core().initialMembership();
        this.content = new NodeSnapshot(service, book, configPayload(initial, book.tail(initial.members())));
        this.snapshots = new SnapshotStore(config.dir().resolve("snapshots"));
        this.transfer = new SnapshotTransfer(content, core, snapshots, config.snapshotBytesMax(),
            publisher::snapshotChunk, this::onSnapshotInstalled, () -> nowNs);
        publisher.snapshotOffers(transfer);
        final int entriesMax = Math.max(config.core().promiseEntriesMax(), config.core().catchupEntriesMax());
        this.consensusAdapter = new ConsensusAdapter(core, book, entriesMax, config.frameLengthMax(), envelope);
        consensusAdapter.snapshots(transfer);
        this.clientAdapter = new ClientAdapter(this, config.frameLengthMax());
        final ConsensusAdapter adapter = consensusAdapter;
        this.faultShim = !config.faultsEnabled() ? null : new FaultShim(config.faultsHoldBytes(),
            config.core().randomSeed() * 31 + config.nodeId(), adapter, (buffer, offset, length, releaseNs) ->
            {
                adapter.nowNs(releaseNs); // the core sees the frame arrive at its release time
                adapter.onFragment(buffer, offset, length, null);
            });
        this.sessions = new ClientSessions(aeron, held, config.sessionsMax(), config.sessionTimeoutNs(), config.mtu());
        this.gate = new ClientGate(config.auth().newClientAuthenticator(), sessions, config.nodeId());
        this.membershipRequests = new MembershipRequests(config.nodeId(), core, book, sessions);
        this.consensusSubscription = aeron.addSubscription(config.self().consensusChannel() + config.receiveWindowParams(),
            CONSENSUS_STREAM);
        this.clientSubscription = aeron.addSubscription(config.self().clientChannel() + config.receiveWindowParams(),
            CLIENT_STREAM);
        // messages longer than an Aeron frame are joined in buffers of the longest frame, allocated once (Reassembler):
        // one per peer whose long message is in progress at once, at most every other member
        this.consensusAssembler = new Reassembler(failStop.guard(faultShim != null ? faultShim : consensusAdapter),
            config.frameLengthMax(), io.paxlog.core.Membership.MEMBERS_MAX - 1,
            sessionId -> consensusSubscription.imageBySessionId(sessionId) != null);
        this.clientAssembler = new Reassembler(failStop.guard(clientAdapter), config.frameLengthMax(),
            CLIENT_REASSEMBLY_SLOTS, sessionId -> clientSubscription.imageBySessionId(sessionId) != null);
        this.counters = new NodeCounters(aeron, config.nodeId());
        this.figures = new NodeFigures(config.nodeId());
        if (config.authWarning() != null)
        {
            NodeLog.info("node " + config.nodeId() + ": " + config.authWarning());
        }
        if (config.largeCommandWarning() != null)
        {
            NodeLog.info("node " + config.nodeId() + ": " + config.largeCommandWarning());
        }
    }

    /** Restores the latest snapshot and replays the journal; anything failing here stops the node (fail-stop). */
    public void onStart()
    {
        try
        {
            start();
        }
        catch (final Throwable t)
        {
            failStop.record(t, true);
            throw failStop.termination();
        }
    }

    private void start()
    {
        nowNs = clock.nanoTime();
        final SnapshotStore.Loaded loaded = snapshots.loadLatest();
        Membership snapshotMembership = null;
        if (loaded != null)
        {
            snapshotMembership = content.restore(new UnsafeBuffer(loaded.bytes()), 0, loaded.bytes().length);
            lastSnapshotSlot = loaded.slot();
            figures.snapshot(loaded.slot(), -1);
            NodeLog.info("node " + config.nodeId() + ": restored snapshot at slot " + loaded.slot() + " (" +
                loaded.bytes().length + " bytes)");
        }
        core.start(nowNs, lastSnapshotSlot, snapshotMembership); // replays the journal: configurations too
        journal.sync();
        showMembership();
        updateStatus(nowNs);
        transport.cycleStarted(clock.nanoTime());
    }

    /**
     * One duty cycle. A failure that leaves this node's state untrusted ({@link FailStop}: a broken invariant, an
     * {@link Error}, a state machine's exception) stops the node for good: the agent terminates, so nothing is
     * polled, applied, sent, journaled or synced after it, and the journal is closed without a sync. Any other
     * exception is rethrown to the runner's error handler, and the next cycle runs.
     */
    public int doWork()
    {
        try
        {
            return dutyCycle();
        }
        catch (final AgentTerminationException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            if (!FailStop.isFatal(t))
            {
                throw t;
            }
            failStop.record(t, false);
            throw failStop.termination();
        }
    }

    /**
     * Services the Aeron client's conductor and the media driver that run on this thread (invoker threading) while
     * a long start-up step (the journal's replay) keeps the duty cycle from running: what arrives meanwhile waits in
     * the images for the first cycle.
     */
    private void invokeTransport()
    {
        conductorInvoker.invoke();
        driverInvoker.invoke();
    }

    private int dutyCycle()
    {
        int work = 0;
        if (driverInvoker != null)
        {
            work += conductorInvoker.invoke();
            work += driverInvoker.invoke(); // receive what arrived (and send what is pending)
        }
        nowNs = clock.nanoTime();
        if (transport.lost(nowNs, consensusSubscription, clientSubscription))
        {
            // fail-stop before the protocol runs on a dead transport (TransportWatch); the owner reads the reason
            throw new AgentTerminationException("transport lost: " + transport.reason());
        }
        if (faultShim != null)
        {
            faultShim.nowNs(nowNs);
            work += faultShim.releaseDue(nowNs, FRAGMENT_LIMIT); // delayed frames first, each at its release time
        }
        consensusAdapter.nowNs(nowNs);
        work += consensusSubscription.poll(consensusAssembler, FRAGMENT_LIMIT);
        work += clientSubscription.poll(clientAssembler, FRAGMENT_LIMIT);
        if (failStop.failed())
        {
            throw failStop.termination(); // a handler failed inside a poll (FailStop): stop before anything else runs
        }
        nowNs = clock.nanoTime(); // after the polls: see the class comment on the second reading
        core.onFramesPolled(nowNs);
        work += core.onTick(nowNs);
        if (core.role() == Role.LEADER)
        {
            work += replica.duties(nowNs);
        }
        work += core.flush(nowNs);
        if (core.latestMembership() != shownMembership)
        {
            showMembership();
        }
        work += replica.serveReads(nowNs);
        work += transfer.sendChunks();
        work += maybeSnapshot();
        journal.sync();
        final int released = held.release(nowNs);
        if (held.failingForNs(nowNs) >= SEND_FAILURE_STOP_NS)
        {
            transport.fail("every send has failed for " + held.failingForNs(nowNs) / 1_000_000 + " ms (" +
                held.sendFailures() + " failed sends)");
            throw new AgentTerminationException("transport lost: " + transport.reason());
        }
        if (released > 0 && driverInvoker != null)
        {
            work += driverInvoker.invoke(); // put this cycle's frames on the wire now, not a cycle later
        }
        work += released;
        work += sessions.expire(nowNs);
        if (nowNs - statusUpdatedNs >= STATUS_INTERVAL_NS)
        {
            updateStatus(nowNs);
        }
        return work;
    }

    /** Asks for a snapshot at the next duty cycle (any thread). */
    public void requestSnapshot()
    {
        snapshotRequested = true;
    }

    /**
     * Snapshots the state machines at the applied slot, saves it durably and compacts the journal behind it, when
     * {@code paxlog.snapshot.interval.entries} more entries were applied or one was requested. The duty cycle
     * pauses for it; the pause is reported.
     */
    private int maybeSnapshot()
    {
        final long applied = core.appliedSlot();
        final int interval = config.snapshotIntervalEntries();
        final long intervalBytes = config.snapshotIntervalBytes();
        final boolean byBytes = intervalBytes > 0 && journal.bytesWritten() - bytesAtLastSnapshot >= intervalBytes;
        if (!(snapshotRequested || byBytes || (interval > 0 && applied - lastSnapshotSlot >= interval)) ||
            applied == 0)
        {
            return 0;
        }
        snapshotRequested = false;
        if (applied == lastSnapshotSlot)
        {
            return 0;
        }
        final long startNs = clock.nanoTime();
        snapshotWriter.reset();
        content.write(snapshotWriter);
        final long bytes = snapshots.save(applied, snapshotWriter.buffer(), 0, snapshotWriter.length());
        core.compact(nowNs);
        journal.sync();
        lastSnapshotSlot = applied;
        bytesAtLastSnapshot = journal.bytesWritten();
        final long pauseNs = clock.nanoTime() - startNs;
        figures.snapshot(applied, pauseNs);
        NodeLog.info("node " + config.nodeId() + ": snapshot at slot " + applied + " (" + bytes + " bytes), " +
            "journal compacted; duty cycle paused " + pauseNs / 1_000 + " us");
        return 1;
    }

    private void onSnapshotInstalled(final long slot)
    {
        replica.clearPending();
        lastSnapshotSlot = slot;
        figures.snapshot(slot, -1);
    }

    /** After a failure the journal is closed without a sync ({@link ChronicleJournal#stopWrites}). */
    public void onClose()
    {
        counters.close();
        journal.close();
    }

    public String roleName()
    {
        return "paxlog-node-" + config.nodeId();
    }

    // ------------------------------------------------------------------ client requests

    void onSessionConnect(final long correlationId, final String channel, final int streamId, final long ttlMs,
        final int window, final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
    {
        if (!gate.admit(nowNs, ClientAuthenticator.SESSION, correlationId, channel, streamId, credentials,
            credentialsOffset, credentialsLength))
        {
            return;
        }
        if (!sessions.connect(correlationId, channel, streamId, nowNs))
        {
            sessions.rejectConnect(channel, streamId, correlationId, "too many sessions (" +
                NodeConfig.SESSIONS_MAX_PROP + "=" + config.sessionsMax() + ")");
            return;
        }
        replica.onSessionConnect(nowNs, correlationId, ttlMs, window);
    }

    void onCommand(final long sessionId, final long sequence, final DirectBuffer payload, final int offset,
        final int length)
    {
        if (!sessions.touch(sessionId, nowNs))
        {
            return;
        }
        replica.onCommand(nowNs, sessionId, sequence, payload, offset, length);
    }

    void onQuery(final long sessionId, final long correlationId, final short consistency, final long minSlot,
        final DirectBuffer payload, final int offset, final int length)
    {
        if (!sessions.touch(sessionId, nowNs))
        {
            return;
        }
        replica.onQuery(nowNs, clock.nanoTime(), sessionId, correlationId, consistency, minSlot, payload, offset,
            length); // the lease is checked against a reading taken after this read arrived
    }

    void onKeepAlive(final long sessionId)
    {
        sessions.touch(sessionId, nowNs);
        replica.onKeepAlive(nowNs, sessionId);
    }

    void onSessionClose(final long sessionId)
    {
        if (sessions.known(sessionId))
        {
            replica.onSessionClose(nowNs, sessionId);
        }
        sessions.close(sessionId);
    }

    /** An operator asked for a snapshot now: take it in this cycle, then answer with the status. */
    void onSnapshotRequest(final long correlationId, final String channel, final int streamId,
        final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
    {
        if (!gate.admit(nowNs, ClientAuthenticator.ADMIN, correlationId, channel, streamId, credentials, credentialsOffset,
            credentialsLength))
        {
            return;
        }
        snapshotRequested = true;
        maybeSnapshot();
        adminReply(correlationId, channel, streamId, FaultOutcome.NONE);
    }

    void onStatusRequest(final long correlationId, final String channel, final int streamId,
        final DirectBuffer credentials, final int credentialsOffset, final int credentialsLength)
    {
        if (gate.admit(nowNs, ClientAuthenticator.ADMIN, correlationId, channel, streamId, credentials, credentialsOffset,
            credentialsLength))
        {
            adminReply(correlationId, channel, streamId, FaultOutcome.NONE);
        }
    }

    /**
     * An operator asked for an inbound delay ({@link FaultShim}); applied only when {@code paxlog.faults.enabled}
     * is set and the figures are in range, else refused. Answered with the status either way.
     */
    void onFaultRequest(final long correlationId, final String channel, final int streamId, final long delayNs,
        final long jitterNs, final long durationNs, final DirectBuffer credentials, final int credentialsOffset,
        final int credentialsLength)
    {
        if (!gate.admit(nowNs, ClientAuthenticator.ADMIN, correlationId, channel, streamId, credentials, credentialsOffset,
            credentialsLength))
        {
            return;
        }
        final boolean apply = faultShim != null && FaultShim.valid(delayNs, jitterNs, durationNs);
        if (apply)
        {
            faultShim.apply(nowNs, delayNs, jitterNs, durationNs);
            NodeLog.info("node " + config.nodeId() + ": fault shim " + (faultShim.active() ?
                "on: inbound consensus delay " + delayNs / 1_000 + " us + jitter up to " + jitterNs / 1_000 + " us" +
                (durationNs == 0 ? " until cleared" : " for " + durationNs / 1_000_000 + " ms") : "off"));
        }
        adminReply(correlationId, channel, streamId, apply ? FaultOutcome.APPLIED : FaultOutcome.REFUSED);
    }

    private void adminReply(final long correlationId, final String channel, final int streamId,
        final FaultOutcome outcome)
    {
        final int publication = sessions.adminPublication(channel, streamId);
        updateStatus(clock.nanoTime()); // lease remaining as of after the request arrived
        if (publication < 0)
        {
            return; // too many reply channels open (bounded); the request is resent and answered later
        }
        final int length = figures.encode(adminBuffer, 0, adminHeader, adminStatus, correlationId, outcome);
        sessions.adminReply(publication, adminBuffer, length);
    }

    /** An operator asked for a membership change (admin channel): started here if this node leads. */
    void onMembershipRequest(final long correlationId, final String channel, final int streamId, final int removeId,
        final int acceptQuorum, final int electionQuorum, final String addMember, final DirectBuffer credentials,
        final int credentialsOffset, final int credentialsLength)
    {
        if (gate.admit(nowNs, ClientAuthenticator.ADMIN, correlationId, channel, streamId, credentials,
            credentialsOffset, credentialsLength))
        {
            membershipRequests.onRequest(nowNs, correlationId, channel, streamId, removeId, acceptQuorum,
                electionQuorum, addMember);
        }
    }

    public void membershipChangeEnded(final long requestId, final boolean done, final String detail)
    {
        membershipRequests.onEnded(requestId, done, detail);
    }

    /**
     * The latest configuration the core knows (committed or not) changed: shown in the status answer and sent with
     * REDIRECTs, so clients learn members they were not configured with.
     */
    private void showMembership()
    {
        final Membership latest = core.latestMembership();
        shownMembership = latest;
        book.hearUnknown(config.core().joining() && !latest.isMember(config.nodeId()) &&
            !core.membership().isMember(config.nodeId()));
        final boolean committed = latest == core.membership();
        final String members = Member.format(book.list(latest.members()));
        figures.configuration(latest.members(), latest.voters(), latest + (committed ? " committed" : " pending") +
            " members=" + members);
        sessions.members(members.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A member's address became known (or moved): frames for it go to a publication to that address. */
    private void onAddress(final Member member)
    {
        final int before = publisher.peerPublication(member.id());
        final Publication p = aeron.addPublication(member.consensusChannel() + "|mtu=" + config.mtu(),
            CONSENSUS_STREAM);
        publisher.peer(member.id(), held.register(p));
        if (before >= 0)
        {
            held.unregister(before);
        }
        NodeLog.info("node " + config.nodeId() + ": member " + member.spec());
    }

    /** A configuration entry's payload: the core's header, then the members' addresses. */
    static byte[] configPayload(final Membership membership, final byte[] tail)
    {
        final byte[] payload = new byte[Membership.HEADER_LENGTH + tail.length];
        membership.encodeHeader(payload, 0);
        System.arraycopy(tail, 0, payload, Membership.HEADER_LENGTH, tail.length);
        return payload;
    }

    // ------------------------------------------------------------------ ReplicaOutput

    public void answer(final long sessionId, final long requestId, final CommandStatus status, final int leaderId,
        final long slot, final DirectBuffer result, final int offset, final int length)
    {
        sessions.respond(sessionId, requestId, status, leaderId, slot, result, offset, length);
    }

    public void sessionEvent(final long sessionId, final SessionEventCode code, final int leaderId,
        final String detail)
    {
        sessions.sessionEvent(sessionId, sessionId, code, leaderId, detail);
    }

    public void configurationApplied(final long slot, final Entry entry)
    {
        final boolean wasMember = content.membership().isMember(config.nodeId());
        content.applied(entry.payloadArray(), entry.payloadOffset(), entry.payloadLength());
        final Membership now = content.membership();
        NodeLog.info("node " + config.nodeId() + ": configuration at slot " + slot + ": " + now +
            (wasMember && !now.isMember(config.nodeId()) ? " (this node is no longer a member: it may be " +
            "stopped once every voter has committed this slot)" : ""));
    }

    public void roleChanged(final Role newRole, final long ballot, final long nowNs, final String reason)
    {
        NodeLog.info("node " + config.nodeId() + ": -> " + newRole + " ballot=" + Ballot.toString(ballot) +
            " (" + reason + ")");
    }

    // ------------------------------------------------------------------ observation

    /**
     * Frames received and dropped (malformed, failing authentication, no room in the fault shim, or a long message that
     * could not be joined) count as dropped frames; the authentication drops are also counted by reason.
     */
    private void updateStatus(final long statusNs)
    {
        statusUpdatedNs = statusNs;
        final long shimDropped = faultShim == null ? 0 : faultShim.dropped();
        figures.refresh(core, statusNs, consensusAdapter.dropped() + clientAdapter.dropped() + shimDropped +
            consensusAssembler.dropped() + clientAssembler.dropped(),
            held.dropped(), faultShim == null ? 0 : faultShim.heldFrames(), faultShim == null ? 0 : faultShim.delayNs());
        figures.refreshAuth(consensusAdapter, gate.refused());
        figures.publish(counters);
    }

    /**
     * A snapshot of the node's state, safe to call from any thread (the duty cycle publishes the figures every
     * 10 ms without allocating; the caller builds the record). Null before the node started.
     */
    public NodeStatus status()
    {
        return figures.record();
    }

    /**
     * Why this node's Aeron transport was lost (one line), after which its duty cycle stopped for good and the node
     * must be closed; null while the transport works. Safe to call from any thread.
     */
    public String transportLost()
    {
        return transport.reason();
    }

    /**
     * What stopped this node (fail-stop, {@link FailStop}): the {@link io.paxlog.core.Invariants.InvariantViolation},
     * the {@link Error}, the {@link StateMachineException} or, at start, whatever start threw; null while it runs.
     * Its duty cycle has stopped for good once this is set. Safe to call from any thread.
     */
    public Throwable failure()
    {
        return failStop.failure();
    }

    /** {@link #failure()} as one line, or null. Safe to call from any thread. */
    public String failureReason()
    {
        return failStop.reason();
    }

    /** Snapshots this node installed from peers since it started (duty-cycle figure; read it when idle). */
    public long snapshotsInstalled()
    {
        return transfer.installed();
    }

    public StateMachineHost service()
    {
        return service;
    }

    public ChronicleJournal journal()
    {
        return journal;
    }

    /** Node state as reported by {@code ops/cluster status}. */
    public record NodeStatus(int nodeId, Role role, long ballot, long commitSlot, long appliedSlot,
        long leaseRemainingNs, long droppedFrames, long droppedSends, long snapshotSlot, long lastSnapshotPauseNs,
        String configuration)
    {
    }
}
