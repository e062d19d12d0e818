package io.paxlog.node;

import io.paxlog.protocol.IdleStrategies;
import io.paxlog.protocol.Member;
import io.paxlog.protocol.Setting;

import java.util.List;

import static io.paxlog.node.NodeConfig.*;

/**
 * Every property of {@link NodeConfig} as docs/settings.md lists it, built from its constants; the core's are in
 * {@link io.paxlog.core.CoreConfig#SETTINGS} (SettingsReferenceTest fails when a {@code *_PROP} of either has no
 * entry). Kept apart from NodeConfig so that the settings class stays readable in one sitting.
 */
public final class NodeSettings
{
    public static final List<Setting> SETTINGS = List.of(
        new Setting(MEMBERS_PROP, Setting.REQUIRED, "", "id=host:consensusPort:clientPort,... with distinct ids in " +
            "0.." + Member.ID_MAX, "The cluster's members and their endpoints. A joining node lists the current " +
            "members and itself."),
        new Setting(DIR_PROP, Setting.REQUIRED, "path", "a directory the node can create and write",
            "This node's data: journal, snapshots and identity."),
        new Setting(SYNC_PROP, SYNC_DEFAULT, "", "none or batch", "When journal writes become durable: none (the " +
            "page cache: they survive a process crash, not a machine crash; replication keeps acknowledged writes) " +
            "or batch (one msync per duty cycle, before anything that depends on it is sent)."),
        new Setting(AERON_DIR_PROP, "/dev/shm/paxlog-HASH-ID (HASH of " + DIR_PROP + ")", "path", "a directory path",
            "The media driver's directory: the embedded driver's, or the external driver's to connect to."),
        new Setting(DRIVER_PROP, DRIVER_DEFAULT, "", "embedded or external", "Launch a media driver inside the " +
            "node, or use one already running at " + AERON_DIR_PROP + "."),
        new Setting(THREADING_PROP, THREADING_DEFAULT, "", "auto, shared or invoker", "How an embedded driver runs: " +
            "invoker (on the node's duty-cycle thread), shared (on threads of its own), or auto (invoker below " +
            SHARED_CORES_MIN + " cores). The start-up line and ops/cluster status say what auto chose."),
        new Setting(MTU_PROP, Integer.toString(MTU_DEFAULT), "bytes", "a multiple of 32 in 1024..65504",
            "The MTU of the node's publications; 1408 where IP fragmentation is unwelcome."),
        new Setting(RECEIVE_WINDOW_PROP, Integer.toString(RECEIVE_WINDOW_DEFAULT), "bytes",
            "0, or 65536.." + (16 << 20) + " and at most half a term", "The receiver window (and socket receive " +
            "buffer) of the node's subscriptions; 0 keeps Aeron's defaults."),
        new Setting(IDLE_PROP, IDLE_DEFAULT, "", String.join(", ", IdleStrategies.NAMES),
            "How the duty cycle (and an embedded driver) idles: backoff parks up to 1 ms, yielding and busy-spin " +
            "keep a core each."),
        new Setting(AERON_TERM_LENGTH_PROP, Integer.toString(io.aeron.driver.Configuration.TERM_BUFFER_LENGTH_DEFAULT),
            "bytes", "a power of two, 65536..1073741824 (Aeron's rule)", "Aeron's term length, a system property: " +
            "a publication's largest message is an eighth of it, which bounds " + FRAME_LENGTH_MAX_PROP + "."),
        new Setting(SESSIONS_MAX_PROP, Integer.toString(SESSIONS_MAX_DEFAULT), "sessions", "1.." + (1 << 20),
            "The most open client sessions; a connect beyond it is refused."),
        new Setting(SESSION_TIMEOUT_PROP, Integer.toString(SESSION_TIMEOUT_DEFAULT_MS), "ms", "100..3600000",
            "A session that sends nothing (no command, no keep-alive) for this long is closed, unless it asked for " +
            "another TTL."),
        new Setting(SNAPSHOT_INTERVAL_PROP, Integer.toString(SNAPSHOT_INTERVAL_DEFAULT), "entries",
            "0.." + Integer.MAX_VALUE, "Snapshot the state machines (and compact the journal) after this many " +
            "more applied entries; 0 turns the count off."),
        new Setting(SNAPSHOT_INTERVAL_BYTES_PROP, Long.toString(SNAPSHOT_INTERVAL_BYTES_DEFAULT), "bytes", ">= 0",
            "Snapshot once the journal grew this much since the last snapshot; 0 turns the size off."),
        new Setting(SNAPSHOT_BYTES_MAX_PROP, Integer.toString(SNAPSHOT_BYTES_MAX_DEFAULT), "bytes",
            "1024.." + (Integer.MAX_VALUE - 16), "The largest snapshot a node writes or installs."),
        new Setting(MACHINES_PROP, MACHINES_DEFAULT, "", "standard, or up to " + MACHINES_MAX + " StateMachine " +
            "class names, comma-separated", "The state machines the node hosts; a machine's id is its position " +
            "(standard: counters 0, locks 1). Every member must list the same ones in the same order."),
        new Setting(FAULTS_ENABLED_PROP, Boolean.toString(FAULTS_ENABLED_DEFAULT), "", "true or false",
            "Accept fault requests (the inbound delay shim). Test clusters only."),
        new Setting(FAULTS_HOLD_BYTES_PROP, Integer.toString(FAULTS_HOLD_BYTES_DEFAULT), "bytes",
            "65536.." + (1 << 30) + ", at least one frame", "The most bytes of frames the fault shim holds at once; " +
            "beyond it a frame is dropped and counted."),
        new Setting(PLANT_PROP, "(empty)", "", "planted bug and failure names, comma-separated", "Test only: bugs " +
            "to switch on in this node, which is then unsafe by design (the campaign's planted-bug runs)."),
        new Setting(PLANT_INVARIANT_SLOT_PROP, Setting.UNSET, "slot", ">= 1, only with invariant-fails-at-slot",
            "Test only: the slot at which the planted invariant failure happens."),
        new Setting(STATE_REQUIRED_PROP, Boolean.toString(STATE_REQUIRED_DEFAULT), "", "true or false",
            "This member ran before: without its journal (a wiped or replaced disk) it refuses to start instead of " +
            "starting as a new member. ops/cluster sets it after a member's first start."),
        new Setting(CLUSTER_ID_PROP, "0", "", "a 64-bit integer", "The cluster's id: in every authenticated frame's " +
            "envelope and in the journal's identity."),
        new Setting(CLUSTER_SECRET_FILE_PROP, Setting.UNSET, "path", "a file of at least 16 bytes as hex or base64",
            "Members authenticate each other's consensus frames with this secret (HMAC-SHA256/128)."),
        new Setting(CLUSTER_SECRET_ACCEPT_FILE_PROP, Setting.UNSET, "path", "as " + CLUSTER_SECRET_FILE_PROP,
            "A second cluster secret whose tags are accepted too, never used to sign: a rotation in progress."),
        new Setting(CLUSTER_AUTHENTICATOR_PROP, Setting.UNSET, "class", "a FrameAuthenticator with a public " +
            "constructor taking Properties", "Authenticates consensus frames instead of a secret file."),
        new Setting(CLIENT_SECRET_FILE_PROP, Setting.UNSET, "path", "as " + CLUSTER_SECRET_FILE_PROP,
            "Clients and admin requests must prove they know this secret."),
        new Setting(CLIENT_SECRET_ACCEPT_FILE_PROP, Setting.UNSET, "path", "as " + CLUSTER_SECRET_FILE_PROP,
            "A second client secret accepted too: a rotation in progress."),
        new Setting(CLIENT_AUTHENTICATOR_PROP, Setting.UNSET, "class", "a ClientAuthenticator with a public " +
            "constructor taking Properties", "Checks clients and admin requests instead of a secret file."),
        new Setting(CLIENT_AUTH_WINDOW_PROP, Long.toString(CLIENT_AUTH_WINDOW_DEFAULT_MS), "ms", "0..86400000",
            "How far the clock in a client's proof may be from the node's; 0 does not check it."));

    private NodeSettings()
    {
    }
}
