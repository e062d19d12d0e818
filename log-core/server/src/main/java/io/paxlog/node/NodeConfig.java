package io.paxlog.node;

import io.paxlog.auth.ClientAuthenticator;
import io.paxlog.auth.FrameAuthenticator;
import io.paxlog.core.CoreConfig;
import io.paxlog.protocol.ConfigException;
import io.paxlog.core.PlantedBug;
import io.paxlog.protocol.IdleStrategies;
import io.paxlog.protocol.Member;
import io.paxlog.sm.StateMachine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Settings of a real node: the cluster's members, this node's directories, the journal's sync policy, the Aeron
 * driver and idle strategy, and the protocol core's settings ({@link CoreConfig}). Loaded from a properties file
 * with system-property overrides ({@code -Dpaxlog.sync=batch}); {@link #conclude()} validates once and names
 * the key, the value and the rule broken.
 */
public final class NodeConfig
{
    public static final String MEMBERS_PROP = "paxlog.cluster.members";
    public static final String DIR_PROP = io.paxlog.replica.IdentityCheck.DIR_PROP;
    public static final String SYNC_PROP = "paxlog.sync";
    public static final String SYNC_DEFAULT = "none";
    public static final String AERON_DIR_PROP = "paxlog.aeron.dir";
    public static final String DRIVER_PROP = "paxlog.aeron.driver";
    public static final String DRIVER_DEFAULT = "embedded";
    /**
     * How an embedded media driver runs: {@code shared} (one SHARED-mode driver thread and the Aeron client's
     * conductor beside the node's duty-cycle thread, as Aeron Cluster runs its drivers: three busy threads per
     * node), {@code invoker} (the driver and the conductor run on the node's own duty-cycle thread: one busy thread
     * per node and no hand-off between threads on the way in or out, at the price of the driver's work on the duty
     * cycle), or {@code auto}, the default: invoker on a machine with fewer than {@value #SHARED_CORES_MIN} cores,
     * shared otherwise. On the 2-core box invoker's write p99 was 0.16x shared's at 10k msg/s (docs/performance.md).
     * What {@code auto} chose is in the start-up line and in {@code ops/cluster status}. Ignored with an external
     * driver.
     */
    public static final String THREADING_PROP = "paxlog.aeron.threading";
    public static final String THREADING_DEFAULT = "auto";
    /** {@code auto} threading runs the driver on threads of its own only with at least this many cores. */
    public static final int SHARED_CORES_MIN = 4;
    /**
     * The MTU of the node's publications, consensus and responses (Aeron's {@code mtu} channel parameter): how large
     * a datagram carries a fragment of a frame. 8 KiB by default: large accepts, promises and answers go in a sixth
     * of the datagrams Aeron's 1408 would take (on the 2-core box, 16 KiB commands at 2,000/s were sustained only
     * so); lower it to 1408 where IP fragmentation is unwelcome. A multiple of 32 in 1024..65504.
     */
    public static final String MTU_PROP = "paxlog.aeron.mtu";
    public static final int MTU_DEFAULT = 8192;
    /**
     * The receiver window of the node's consensus and client subscriptions (Aeron's {@code rcv-wnd}, with a socket
     * receive buffer of the same size, {@code so-rcvbuf}): how many bytes a peer or a client may have in flight to
     * this node before it waits for a status message. 2 MiB by default, against Aeron's 128 KiB: a 1 MiB accept then
     * crosses in one window instead of eight round trips, which on the 2-core box moved 1 MiB commands five times
     * faster before a fail-over (66 and 76 acknowledged in 6 s, against 0 to 13). The kernel may grant a smaller
     * socket buffer ({@code net.core.rmem_max}); Aeron then drops and re-requests what overflows. 0 keeps Aeron's
     * defaults. 0, or 64 KiB..16 MiB and at most half a term.
     */
    public static final String RECEIVE_WINDOW_PROP = "paxlog.aeron.receive.window.bytes";
    public static final int RECEIVE_WINDOW_DEFAULT = 2 << 20;
    public static final String IDLE_PROP = "paxlog.idle";
    public static final String IDLE_DEFAULT = io.paxlog.protocol.IdleStrategies.BACKOFF;
    /** The core's frame limit ({@link CoreConfig#FRAME_LENGTH_MAX_PROP}), which the node also receives with. */
    public static final String FRAME_LENGTH_MAX_PROP = CoreConfig.FRAME_LENGTH_MAX_PROP;
    public static final int FRAME_LENGTH_MAX_DEFAULT = CoreConfig.FRAME_LENGTH_MAX_DEFAULT;
    /** Aeron's term length setting, which fixes the largest message a publication can carry (a term's eighth). */
    public static final String AERON_TERM_LENGTH_PROP = "aeron.term.buffer.length";
    public static final String SESSIONS_MAX_PROP = "paxlog.sessions.max";
    public static final int SESSIONS_MAX_DEFAULT = 1024;
    public static final String SESSION_TIMEOUT_PROP = "paxlog.session.timeout.ms";
    public static final int SESSION_TIMEOUT_DEFAULT_MS = 10_000;
    public static final String SNAPSHOT_INTERVAL_PROP = "paxlog.snapshot.interval.entries";
    public static final int SNAPSHOT_INTERVAL_DEFAULT = 100_000;
    public static final String SNAPSHOT_INTERVAL_BYTES_PROP = "paxlog.snapshot.interval.bytes";
    public static final long SNAPSHOT_INTERVAL_BYTES_DEFAULT = 256L << 20;
    public static final String SNAPSHOT_BYTES_MAX_PROP = "paxlog.snapshot.bytes.max";
    public static final int SNAPSHOT_BYTES_MAX_DEFAULT = 256 << 20;
    /**
     * The state machines the node hosts: {@code standard} ({@code Machines.standard()}: counters at id 0, locks at
     * id 1) or a comma-separated list of {@link StateMachine} class names, machine id = position in the list (at
     * most {@link #MACHINES_MAX}). The classes must be on the node's class path, each with a public constructor
     * taking {@link Properties} (it is built with the node's settings, {@link #settings()}) or a public no-arg one.
     */
    public static final String MACHINES_PROP = "paxlog.machines";
    public static final String MACHINES_DEFAULT = "standard";
    /** Machine ids are one byte. */
    public static final int MACHINES_MAX = 256;
    /**
     * Whether the node accepts FaultRequests (the inbound delay shim, {@link FaultShim}); false by default, and a
     * FaultRequest to a node without it is refused. For test clusters only.
     */
    public static final String FAULTS_ENABLED_PROP = "paxlog.faults.enabled";
    public static final boolean FAULTS_ENABLED_DEFAULT = false;
    /** The most bytes of consensus frames the fault shim holds at once; beyond it a frame is dropped and counted. */
    public static final String FAULTS_HOLD_BYTES_PROP = "paxlog.faults.hold.bytes";
    public static final int FAULTS_HOLD_BYTES_DEFAULT = 8 << 20;
    /**
     * Test only: a comma-separated list of {@link PlantedBug} names ({@code lease-from-receive-time,...}) and
     * {@link PlantedFailure} names ({@code invariant-fails-at-slot,...}) switched on in this node, which then is
     * unsafe by design. Empty by default. {@code ack-before-persist} is a simulator runtime bug and is refused here.
     */
    public static final String PLANT_PROP = "paxlog.plant";
    /**
     * Test only: the slot at which the planted failure {@code invariant-fails-at-slot} breaks an invariant (1 or
     * more); required with that plant and refused without it.
     */
    public static final String PLANT_INVARIANT_SLOT_PROP = "paxlog.plant.invariant.slot";
    /**
     * Whether this member has run before, so that its data directory must hold its journal: {@code true} makes a
     * node without a journal refuse to start (it lost its state: a wiped or replaced disk) instead of starting as a
     * brand-new member of the first configuration. {@code ops/cluster} sets it once a member has started. Default
     * false (a first start); docs/architecture.md "Member identity".
     */
    public static final String STATE_REQUIRED_PROP = io.paxlog.replica.IdentityCheck.STATE_REQUIRED_PROP;
    public static final boolean STATE_REQUIRED_DEFAULT = false;
    /**
     * The cluster's id, carried in every consensus frame's envelope when members authenticate, and in the journal's
     * identity; default 0.
     */
    public static final String CLUSTER_ID_PROP = io.paxlog.replica.IdentityCheck.CLUSTER_ID_PROP;
    /**
     * A file holding the cluster secret (at least 16 bytes as hex or base64): members authenticate each other's
     * consensus frames with it (HMAC-SHA256/128, docs/architecture.md "Frame envelope"). Unset: not authenticated.
     */
    public static final String CLUSTER_SECRET_FILE_PROP = "paxlog.cluster.secret.file";
    /** A second cluster secret whose tags are accepted too (never used to sign): a rotation in progress. */
    public static final String CLUSTER_SECRET_ACCEPT_FILE_PROP = "paxlog.cluster.secret.accept.file";
    /** Instead of a secret: a {@code FrameAuthenticator} class with a public constructor taking Properties. */
    public static final String CLUSTER_AUTHENTICATOR_PROP = "paxlog.cluster.authenticator";
    /** A file holding the client secret: clients and admin requests must prove they know it. Unset: not checked. */
    public static final String CLIENT_SECRET_FILE_PROP = "paxlog.client.secret.file";
    /** A second client secret accepted too: a rotation in progress. */
    public static final String CLIENT_SECRET_ACCEPT_FILE_PROP = "paxlog.client.secret.accept.file";
    /** Instead of a secret: a {@code ClientAuthenticator} class with a public constructor taking Properties. */
    public static final String CLIENT_AUTHENTICATOR_PROP = "paxlog.client.authenticator";
    /** How far a client's clock (in its proof) may be from the node's, in ms; 0 = not checked. */
    public static final String CLIENT_AUTH_WINDOW_PROP = "paxlog.client.auth.window.ms";
    public static final long CLIENT_AUTH_WINDOW_DEFAULT_MS = 600_000L;

    private final Properties props = new Properties();
    private CoreConfig core;
    private Member[] members;
    private Path dir;
    private SyncPolicy sync;
    private String aeronDir;
    private boolean embeddedDriver;
    private String idle;
    private int mtu;
    private int receiveWindowBytes;
    private boolean driverInvoked;
    private String threadingChoice;
    private int frameLengthMax;
    private int sessionsMax;
    private int sessionTimeoutMs;
    private int snapshotIntervalEntries;
    private int snapshotBytesMax;
    private long snapshotIntervalBytes;
    private String machines;
    private List<Class<? extends StateMachine>> machineClasses;
    private boolean faultsEnabled;
    private boolean stateRequired;
    private int faultsHoldBytes;
    private Set<PlantedBug> plantedBugs;
    private Set<PlantedFailure> plantedFailures;
    private long plantedInvariantSlot;
    private Supplier<FrameAuthenticator> frameAuthenticator;
    private Supplier<ClientAuthenticator> clientAuthenticator;
    private AuthSettings auth;

    /** Reads a properties file, then applies {@code paxlog.*} system properties on top. */
    public static NodeConfig fromFile(final Path file)
    {
        final NodeConfig c = new NodeConfig();
        try (InputStream in = Files.newInputStream(file))
        {
            c.props.load(in);
        }
        catch (final IOException ex)
        {
            throw new ConfigException("config", file, "cannot read: " + ex.getMessage());
        }
        catch (final IllegalArgumentException ex) // Properties.load: a malformed backslash-u escape
        {
            throw new ConfigException("config", file, "not a properties file: " + ex.getMessage());
        }
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("paxlog."))
            {
                c.props.setProperty(name, System.getProperty(name));
            }
        }
        return c;
    }

    public static NodeConfig fromProperties(final Properties p)
    {
        final NodeConfig c = new NodeConfig();
        c.props.putAll(p);
        return c;
    }

    public NodeConfig set(final String key, final String value)
    {
        props.setProperty(key, value);
        return this;
    }

    /**
     * Members authenticate frames with authenticators from {@code factory} (one per node) instead of a secret file;
     * call before {@link #conclude()}.
     */
    public NodeConfig frameAuthenticator(final Supplier<FrameAuthenticator> factory)
    {
        this.frameAuthenticator = factory;
        return this;
    }

    /** Clients and admin requests are checked by authenticators from {@code factory} (one per node). */
    public NodeConfig clientAuthenticator(final Supplier<ClientAuthenticator> factory)
    {
        this.clientAuthenticator = factory;
        return this;
    }

    /** Validates every setting once. */
    public NodeConfig conclude()
    {
        final String memberList = required(MEMBERS_PROP);
        try
        {
            members = Member.parseList(memberList);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(MEMBERS_PROP, memberList, ex.getMessage());
        }
        props.setProperty(CoreConfig.MEMBER_COUNT_PROP, Integer.toString(members.length));
        core = new CoreConfig().load(props);
        long ids = 0;
        for (final Member m : members)
        {
            ids |= 1L << m.id();
        }
        if (core.nodeId() < 0 || core.nodeId() > Member.ID_MAX || (ids & (1L << core.nodeId())) == 0)
        {
            final StringBuilder listed = new StringBuilder();
            for (final Member m : members)
            {
                listed.append(listed.length() == 0 ? "" : ",").append(m.id());
            }
            throw new ConfigException(CoreConfig.NODE_ID_PROP, Integer.toString(core.nodeId()), "must be one of " +
                "the member ids in " + MEMBERS_PROP + " (" + listed + "): every node needs its own address there");
        }
        // a joining node lists the cluster's current members and itself; only the others vote when it starts
        final long voters = core.joining() ? ids & ~(1L << core.nodeId()) : ids;
        if (voters == 0)
        {
            throw new ConfigException(MEMBERS_PROP, memberList, "a joining node (" + CoreConfig.JOIN_PROP +
                "=true) must list the cluster's current members besides itself");
        }
        core.initialVoters(voters);
        final String plant = props.getProperty(PLANT_PROP, "");
        plantedBugs = plantedBugs(plant);
        plantedFailures = plantedFailures(plant);
        plantedInvariantSlot = plantedInvariantSlot(plant);
        if (!plantedBugs.isEmpty() || !plantedFailures.isEmpty())
        {
            core.allowPlantedBugs(true);
            plantedBugs.forEach(core::plant);
            core.plantInvariantFailure(plantedInvariantSlot);
        }
        if (props.getProperty(CoreConfig.RANDOM_SEED_PROP) == null)
        {
            core.randomSeed(System.nanoTime());
        }
        core.conclude();
        final String dirValue = required(DIR_PROP);
        try
        {
            dir = Path.of(dirValue);
        }
        catch (final java.nio.file.InvalidPathException ex)
        {
            throw new ConfigException(DIR_PROP, dirValue, "not a valid path: " + ex.getReason());
        }
        final String syncValue = props.getProperty(SYNC_PROP, SYNC_DEFAULT);
        try
        {
            sync = SyncPolicy.parse(syncValue);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException(SYNC_PROP, syncValue, ex.getMessage());
        }
        final String driver = props.getProperty(DRIVER_PROP, DRIVER_DEFAULT);
        if (!driver.equals("embedded") && !driver.equals("external"))
        {
            throw new ConfigException(DRIVER_PROP, driver, "expected embedded or external");
        }
        embeddedDriver = driver.equals("embedded");
        aeronDir = props.getProperty(AERON_DIR_PROP,
            "/dev/shm/paxlog-" + Integer.toHexString(dir.toAbsolutePath().toString().hashCode()) + "-" + core.nodeId());
        final String threading = props.getProperty(THREADING_PROP, THREADING_DEFAULT);
        if (!threading.equals("shared") && !threading.equals("invoker") && !threading.equals("auto"))
        {
            throw new ConfigException(THREADING_PROP, threading, "expected auto, shared or invoker");
        }
        driverInvoked = threading.equals("invoker") ||
            (threading.equals("auto") && Runtime.getRuntime().availableProcessors() < SHARED_CORES_MIN);
        threadingChoice = (driverInvoked ? "invoker" : "shared") + (threading.equals("auto") ? "(auto)" : "");
        mtu = intProp(MTU_PROP, MTU_DEFAULT, 1024, 65504);
        if (mtu % 32 != 0)
        {
            throw new ConfigException(MTU_PROP, Integer.toString(mtu), "must be a multiple of 32");
        }
        receiveWindowBytes = intProp(RECEIVE_WINDOW_PROP, RECEIVE_WINDOW_DEFAULT, 0, 16 << 20);
        if (receiveWindowBytes != 0 && (receiveWindowBytes < 64 * 1024 ||
            receiveWindowBytes > io.aeron.driver.Configuration.termBufferLength() / 2))
        {
            throw new ConfigException(RECEIVE_WINDOW_PROP, Integer.toString(receiveWindowBytes), "must be 0 or from " +
                "65536 to half of " + AERON_TERM_LENGTH_PROP + " (" + io.aeron.driver.Configuration.termBufferLength() / 2 +
                ")");
        }
        idle = props.getProperty(IDLE_PROP, IDLE_DEFAULT);
        if (!io.paxlog.protocol.IdleStrategies.known(idle))
        {
            throw new ConfigException(IDLE_PROP, idle, "expected one of " +
                String.join(", ", io.paxlog.protocol.IdleStrategies.NAMES));
        }
        frameLengthMax = core.frameLengthMax();
        if (core.promiseBytesMax() + 8L * frameLengthMax > NodeAgent.HELD_BYTES_MAX)
        {
            throw new ConfigException(CoreConfig.PROMISE_BYTES_MAX_PROP, Integer.toString(core.promiseBytesMax()),
                "with 8 frames of " + FRAME_LENGTH_MAX_PROP + " (" + frameLengthMax + ") must fit the node's " +
                NodeAgent.HELD_BYTES_MAX + " bytes of held frames");
        }
        final int termLength = io.aeron.driver.Configuration.termBufferLength();
        final int aeronMessageMax = io.aeron.logbuffer.FrameDescriptor.computeMaxMessageLength(termLength);
        if (frameLengthMax > aeronMessageMax)
        {
            throw new ConfigException(FRAME_LENGTH_MAX_PROP, Integer.toString(frameLengthMax), "exceeds the largest " +
                "message Aeron carries with " + AERON_TERM_LENGTH_PROP + "=" + termLength + " (" + aeronMessageMax +
                " bytes, an eighth of a term): lower " + FRAME_LENGTH_MAX_PROP + " or raise " + AERON_TERM_LENGTH_PROP);
        }
        sessionsMax = intProp(SESSIONS_MAX_PROP, SESSIONS_MAX_DEFAULT, 1, 1 << 20);
        sessionTimeoutMs = intProp(SESSION_TIMEOUT_PROP, SESSION_TIMEOUT_DEFAULT_MS, 100, 3_600_000);
        snapshotIntervalEntries = intProp(SNAPSHOT_INTERVAL_PROP, SNAPSHOT_INTERVAL_DEFAULT, 0, Integer.MAX_VALUE);
        snapshotIntervalBytes = longProp(SNAPSHOT_INTERVAL_BYTES_PROP, SNAPSHOT_INTERVAL_BYTES_DEFAULT);
        snapshotBytesMax = intProp(SNAPSHOT_BYTES_MAX_PROP, SNAPSHOT_BYTES_MAX_DEFAULT, 1024, Integer.MAX_VALUE - 16);
        machines = props.getProperty(MACHINES_PROP, MACHINES_DEFAULT).trim();
        machineClasses = machineClasses(machines);
        if (plantedBugs.contains(PlantedBug.LOCK_DOUBLE_GRANT) && !machineClasses.isEmpty())
        {
            throw new ConfigException(PLANT_PROP, props.getProperty(PLANT_PROP), "lock-double-grant replaces the " +
                "standard lock table: it needs " + MACHINES_PROP + "=" + MACHINES_DEFAULT);
        }
        if (plantedFailures.contains(PlantedFailure.APPLY_THROWS_ON_MARKER) && machineClasses.isEmpty())
        {
            throw new ConfigException(PLANT_PROP, props.getProperty(PLANT_PROP), "apply-throws-on-marker is " +
                "honoured by test state machines only: it needs " + MACHINES_PROP + " naming one");
        }
        final String faults = props.getProperty(FAULTS_ENABLED_PROP, Boolean.toString(FAULTS_ENABLED_DEFAULT)).trim();
        if (!faults.equals("true") && !faults.equals("false"))
        {
            throw new ConfigException(FAULTS_ENABLED_PROP, faults, "expected true or false");
        }
        faultsEnabled = faults.equals("true");
        final String required = props.getProperty(STATE_REQUIRED_PROP, Boolean.toString(STATE_REQUIRED_DEFAULT))
            .trim();
        if (!required.equals("true") && !required.equals("false"))
        {
            throw new ConfigException(STATE_REQUIRED_PROP, required, "expected true or false");
        }
        stateRequired = required.equals("true");
        auth = AuthSettings.load(props, frameAuthenticator, clientAuthenticator);
        faultsHoldBytes = intProp(FAULTS_HOLD_BYTES_PROP, FAULTS_HOLD_BYTES_DEFAULT, 64 * 1024, 1 << 30);
        if (faultsHoldBytes < frameLengthMax + FaultShim.RECORD_OVERHEAD)
        {
            throw new ConfigException(FAULTS_HOLD_BYTES_PROP, Integer.toString(faultsHoldBytes),
                "must hold one frame of " + FRAME_LENGTH_MAX_PROP + " (" + frameLengthMax + ") plus " +
                FaultShim.RECORD_OVERHEAD + " bytes");
        }
        return this;
    }

    /**
     * Parses {@link #PLANT_PROP}: names as {@link PlantedBug#cliName()} or {@link PlantedFailure#cliName()},
     * comma-separated; returns the planted bugs (empty for none).
     */
    static Set<PlantedBug> plantedBugs(final String value)
    {
        final EnumSet<PlantedBug> bugs = EnumSet.noneOf(PlantedBug.class);
        if (value.isBlank())
        {
            return bugs;
        }
        for (final String raw : value.split(",", -1))
        {
            final String name = raw.trim();
            if (PlantedFailure.fromCliName(name) != null)
            {
                continue;
            }
            final PlantedBug bug;
            try
            {
                bug = PlantedBug.fromCliName(name);
            }
            catch (final IllegalArgumentException ex)
            {
                final StringBuilder known = new StringBuilder();
                for (final PlantedBug b : PlantedBug.values())
                {
                    if (b != PlantedBug.ACK_BEFORE_PERSIST)
                    {
                        known.append(known.length() == 0 ? "" : ", ").append(b.cliName());
                    }
                }
                for (final PlantedFailure f : PlantedFailure.values())
                {
                    known.append(", ").append(f.cliName());
                }
                throw new ConfigException(PLANT_PROP, value, "unknown planted bug '" + name + "'; known: " + known);
            }
            if (bug == PlantedBug.ACK_BEFORE_PERSIST)
            {
                throw new ConfigException(PLANT_PROP, value, "'" + name + "' is a simulator runtime bug; a real " +
                    "node cannot plant it");
            }
            bugs.add(bug);
        }
        return bugs;
    }

    /**
     * The {@link PlantedFailure}s named in a {@link #PLANT_PROP} value (names already checked by
     * {@link #plantedBugs(String)}); empty for none. A test state machine may call it on its node's settings.
     */
    static Set<PlantedFailure> plantedFailures(final String value)
    {
        final EnumSet<PlantedFailure> failures = EnumSet.noneOf(PlantedFailure.class);
        for (final String raw : value.split(",", -1))
        {
            final PlantedFailure failure = PlantedFailure.fromCliName(raw.trim());
            if (failure != null)
            {
                failures.add(failure);
            }
        }
        return failures;
    }

    /** {@link #PLANT_INVARIANT_SLOT_PROP}: required with {@code invariant-fails-at-slot}, refused without; else 0. */
    private long plantedInvariantSlot(final String plant)
    {
        final String v = props.getProperty(PLANT_INVARIANT_SLOT_PROP);
        if (!plantedFailures.contains(PlantedFailure.INVARIANT_FAILS_AT_SLOT))
        {
            if (v != null)
            {
                throw new ConfigException(PLANT_INVARIANT_SLOT_PROP, v, "test only: needs " + PLANT_PROP + "=" +
                    PlantedFailure.INVARIANT_FAILS_AT_SLOT.cliName());
            }
            return 0;
        }
        if (v == null || v.isBlank())
        {
            throw new ConfigException(PLANT_PROP, plant, PlantedFailure.INVARIANT_FAILS_AT_SLOT.cliName() +
                " needs " + PLANT_INVARIANT_SLOT_PROP + " (the slot at which the invariant fails)");
        }
        final long slot = longProp(PLANT_INVARIANT_SLOT_PROP, 0);
        if (slot < 1)
        {
            throw new ConfigException(PLANT_INVARIANT_SLOT_PROP, v, "must be a slot, 1 or more");
        }
        return slot;
    }

    /** Resolves the {@link #MACHINES_PROP} list (empty for {@code standard}); each class checked once, here. */
    private static List<Class<? extends StateMachine>> machineClasses(final String value)
    {
        final List<Class<? extends StateMachine>> classes = new ArrayList<>();
        if (value.equals(MACHINES_DEFAULT))
        {
            return List.of();
        }
        final String[] names = value.split(",", -1);
        if (names.length > MACHINES_MAX)
        {
            throw new ConfigException(MACHINES_PROP, value, "at most " + MACHINES_MAX + " machines");
        }
        for (final String raw : names)
        {
            final String name = raw.trim();
            if (name.isEmpty())
            {
                throw new ConfigException(MACHINES_PROP, value,
                    "expected standard or a comma-separated list of StateMachine class names");
            }
            final Class<?> type;
            try
            {
                type = Class.forName(name, false, NodeConfig.class.getClassLoader());
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                throw new ConfigException(MACHINES_PROP, value, "no class " + name + " on the class path");
            }
            if (!StateMachine.class.isAssignableFrom(type))
            {
                throw new ConfigException(MACHINES_PROP, value, name + " does not implement " +
                    StateMachine.class.getName());
            }
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) ||
                !Modifier.isPublic(type.getModifiers()))
            {
                throw new ConfigException(MACHINES_PROP, value, name + " is not a public concrete class");
            }
            if (machineConstructor(type) == null)
            {
                throw new ConfigException(MACHINES_PROP, value, name + " has no public constructor taking " +
                    "java.util.Properties or nothing");
            }
            classes.add(type.asSubclass(StateMachine.class));
        }
        return List.copyOf(classes);
    }

    /**
     * The constructor a node builds a listed machine with: the public one taking {@link Properties} (the node's
     * settings, {@link #settings()}), else the public no-arg one; null if it has neither.
     */
    static java.lang.reflect.Constructor<?> machineConstructor(final Class<?> type)
    {
        try
        {
            return type.getConstructor(Properties.class);
        }
        catch (final NoSuchMethodException ex)
        {
            try
            {
                return type.getConstructor();
            }
            catch (final NoSuchMethodException none)
            {
                return null;
            }
        }
    }

    private String required(final String key)
    {
        final String v = props.getProperty(key);
        if (v == null || v.isBlank())
        {
            throw new ConfigException(key, "", "is required");
        }
        return v.trim();
    }

    private long longProp(final String key, final long defaultValue)
    {
        final String v = props.getProperty(key);
        if (v == null)
        {
            return defaultValue;
        }
        try
        {
            final long n = Long.parseLong(v.trim());
            if (n < 0)
            {
                throw new ConfigException(key, v, "must be >= 0");
            }
            return n;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key, v, "must be an integer");
        }
    }

    private int intProp(final String key, final int defaultValue, final int min, final int max)
    {
        final String v = props.getProperty(key);
        if (v == null)
        {
            return defaultValue;
        }
        try
        {
            final int n = Integer.parseInt(v.trim());
            if (n < min || n > max)
            {
                throw new ConfigException(key, v, "must be in " + min + ".." + max);
            }
            return n;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key, v, "must be an integer");
        }
    }

    public CoreConfig core() { return core; }
    public Member[] members() { return members.clone(); }
    public Member self() { return member(core.nodeId()); }

    /** The member listed with {@code id}, or null. */
    public Member member(final int id)
    {
        for (final Member m : members)
        {
            if (m.id() == id)
            {
                return m;
            }
        }
        return null;
    }
    public int nodeId() { return core.nodeId(); }
    public Path dir() { return dir; }
    public SyncPolicy sync() { return sync; }
    public String aeronDir() { return aeronDir; }
    public boolean embeddedDriver() { return embeddedDriver; }
    public String idle() { return idle; }
    /** The MTU of the node's publications ({@link #MTU_PROP}). */
    public int mtu() { return mtu; }

    /**
     * The channel parameters a subscription of this node adds for {@link #RECEIVE_WINDOW_PROP}: {@code |rcv-wnd=..
     * |so-rcvbuf=..}, or "" to keep Aeron's defaults.
     */
    public String receiveWindowParams()
    {
        return receiveWindowBytes == 0 ? "" : "|rcv-wnd=" + receiveWindowBytes + "|so-rcvbuf=" + receiveWindowBytes;
    }

    /** Whether an embedded driver runs on the node's duty-cycle thread ({@value #THREADING_PROP}=invoker). */
    public boolean driverInvoked() { return driverInvoked; }

    /**
     * The threading the node runs, as status shows it: {@code invoker} or {@code shared}, with {@code (auto)} when
     * {@value #THREADING_PROP} left the choice to the machine's core count. An external driver is {@code external}.
     */
    public String threadingChoice() { return embeddedDriver ? threadingChoice : "external"; }
    public int frameLengthMax() { return frameLengthMax; }
    public int sessionsMax() { return sessionsMax; }
    /** Take a snapshot (and compact the journal) every this many applied entries; 0 = only on request. */
    public int snapshotIntervalEntries() { return snapshotIntervalEntries; }
    /** Also take a snapshot once this many journal bytes were written since the last one; 0 = never by bytes. */
    public long snapshotIntervalBytes() { return snapshotIntervalBytes; }
    /** The largest snapshot a node accepts from a peer. */
    public int snapshotBytesMax() { return snapshotBytesMax; }
    /** A client session silent for this long is forgotten by the node (clients send keep-alives). */
    public long sessionTimeoutNs() { return sessionTimeoutMs * 1_000_000L; }
    /**
     * A copy of the node's settings as loaded (the file with {@code paxlog.*} system properties on top), which a
     * listed state machine with a constructor taking {@link Properties} is built with.
     */
    public Properties settings()
    {
        final Properties copy = new Properties();
        copy.putAll(props);
        return copy;
    }
    /** The {@link #MACHINES_PROP} value as given ({@code standard} by default). */
    public String machines() { return machines; }
    /** The state machine classes by machine id, checked by {@link #conclude()}; empty for {@code standard}. */
    public List<Class<? extends StateMachine>> machineClasses() { return machineClasses; }
    /** Whether FaultRequests are accepted ({@value #FAULTS_ENABLED_PROP}). */
    public boolean faultsEnabled() { return faultsEnabled; }
    /** Whether this member has run before: a missing journal is lost state ({@value #STATE_REQUIRED_PROP}). */
    public boolean stateRequired() { return stateRequired; }
    /** The fault shim's holding area in bytes ({@value #FAULTS_HOLD_BYTES_PROP}). */
    public int faultsHoldBytes() { return faultsHoldBytes; }
    /** The bugs planted in this node ({@value #PLANT_PROP}); empty unless a test asked for them. */
    public Set<PlantedBug> plantedBugs() { return plantedBugs.isEmpty() ? Set.of() : EnumSet.copyOf(plantedBugs); }
    /** The failures planted in this node ({@value #PLANT_PROP}); empty unless a test asked for them. */
    public Set<PlantedFailure> plantedFailures()
    {
        return plantedFailures.isEmpty() ? Set.of() : EnumSet.copyOf(plantedFailures);
    }
    /** The slot of the planted {@code invariant-fails-at-slot} ({@value #PLANT_INVARIANT_SLOT_PROP}); 0 if none. */
    public long plantedInvariantSlot() { return plantedInvariantSlot; }
    /** The authentication settings ({@link AuthSettings}): what is authenticated, and authenticators per node. */
    AuthSettings auth() { return auth; }
    /** The cluster id in every consensus frame's envelope ({@value #CLUSTER_ID_PROP}). */
    public long clusterId() { return auth.clusterId(); }
    /** Whether members authenticate each other's consensus frames. */
    public boolean membersAuthenticated() { return auth.membersAuthenticated(); }
    /** Whether client connects and admin requests must carry valid credentials. */
    public boolean clientsAuthenticated() { return auth.clientsAuthenticated(); }
    /** The warning line a node prints at start for what is not authenticated; null when everything is. */
    public String authWarning() { return auth.warning(); }

    /** Commands above this size get a warning at start when the election timeout is below the next constant. */
    static final int LARGE_COMMAND_BYTES = 256 * 1024;
    static final long LARGE_COMMAND_ELECTION_TIMEOUT_NS = 500_000_000L;

    /**
     * A warning for large commands with short timeouts, or null. Moving a frame of commands over a megabyte, and
     * collecting the garbage of a log of them, can take longer than the default 100 ms election timeout on a small
     * box: members then stand for election against a live leader and fail-overs take seconds. With 1 MiB commands
     * on the 2-core box, election and lease timeouts of 1 s and a resend timeout of 200 ms run without spurious
     * elections (see docs/operations.md).
     */
    public String largeCommandWarning()
    {
        if (core.commandBytesMax() <= LARGE_COMMAND_BYTES ||
            core.electionTimeoutNs() >= LARGE_COMMAND_ELECTION_TIMEOUT_NS)
        {
            return null;
        }
        return "WARNING: " + CoreConfig.COMMAND_BYTES_MAX_PROP + "=" + core.commandBytesMax() + " with " +
            CoreConfig.ELECTION_TIMEOUT_PROP + "=" + core.electionTimeoutNs() + ": commands over " +
            LARGE_COMMAND_BYTES / 1024 + " KiB need an election timeout of at least " +
            LARGE_COMMAND_ELECTION_TIMEOUT_NS / 1_000_000 + " ms (and a lease to match), or members stand for " +
            "election while a large frame is still crossing (see docs/operations.md)";
    }
}
