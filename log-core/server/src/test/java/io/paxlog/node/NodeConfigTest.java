package io.paxlog.node;

import io.paxlog.protocol.ConfigException;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.LockTable;
import io.paxlog.sm.StateMachine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A bad node configuration is rejected in one line naming the key, the value and the rule. */
class NodeConfigTest
{
    private static Properties valid()
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, "0=127.0.0.1:20001:20002,1=127.0.0.1:20003:20004,2=127.0.0.1:20005:20006");
        p.setProperty("paxlog.node.id", "1");
        p.setProperty(NodeConfig.DIR_PROP, "/tmp/x");
        return p;
    }

    private static String error(final String key, final String value)
    {
        final Properties p = valid();
        p.setProperty(key, value);
        return assertThrows(ConfigException.class, () -> NodeConfig.fromProperties(p).conclude()).getMessage();
    }

    @Test
    void validConfigurationHasSaneDefaults()
    {
        final NodeConfig c = NodeConfig.fromProperties(valid()).conclude();
        assertEquals(1, c.nodeId());
        assertEquals(3, c.members().length);
        assertEquals(SyncPolicy.NONE, c.sync());
        assertEquals("backoff", c.idle());
        final boolean fewCores = Runtime.getRuntime().availableProcessors() < NodeConfig.SHARED_CORES_MIN;
        assertEquals(fewCores, c.driverInvoked(), "auto: the driver on the duty cycle only under 4 cores");
        assertEquals((fewCores ? "invoker" : "shared") + "(auto)", c.threadingChoice());
        final Properties invoker = valid();
        invoker.setProperty(NodeConfig.THREADING_PROP, "invoker");
        assertEquals(true, NodeConfig.fromProperties(invoker).conclude().driverInvoked());
        assertEquals("invoker", NodeConfig.fromProperties(invoker).conclude().threadingChoice());
        final Properties shared = valid();
        shared.setProperty(NodeConfig.THREADING_PROP, "shared");
        assertEquals(false, NodeConfig.fromProperties(shared).conclude().driverInvoked());
        assertEquals("shared", NodeConfig.fromProperties(shared).conclude().threadingChoice());
        assertEquals(2, c.core().acceptQuorum());
        assertEquals("aeron:udp?endpoint=127.0.0.1:20003", c.self().consensusChannel());
        assertEquals("|rcv-wnd=2097152|so-rcvbuf=2097152", c.receiveWindowParams(), "2 MiB receiver windows");
        final Properties aeronDefaults = valid();
        aeronDefaults.setProperty(NodeConfig.RECEIVE_WINDOW_PROP, "0");
        assertEquals("", NodeConfig.fromProperties(aeronDefaults).conclude().receiveWindowParams());
        assertEquals(null, c.largeCommandWarning(), "the default command limit suits the default timeouts");
    }

    @Test
    void aReceiveWindowOutOfRangeIsNamedAndLargeCommandsWithShortTimeoutsWarn()
    {
        assertEquals("paxlog.aeron.receive.window.bytes=1000: must be 0 or from 65536 to half of " +
            "aeron.term.buffer.length (8388608)", error(NodeConfig.RECEIVE_WINDOW_PROP, "1000"));
        assertEquals("paxlog.aeron.receive.window.bytes=33554432: must be in 0..16777216",
            error(NodeConfig.RECEIVE_WINDOW_PROP, "33554432"));
        final Properties large = valid();
        large.setProperty(io.paxlog.core.CoreConfig.COMMAND_BYTES_MAX_PROP, Integer.toString(1 << 20));
        assertEquals("WARNING: paxlog.command.bytes.max=1048576 with paxlog.election.timeout.ns=100000000: commands " +
            "over 256 KiB need an election timeout of at least 500 ms (and a lease to match), or members stand for " +
            "election while a large frame is still crossing (see docs/operations.md)",
            NodeConfig.fromProperties(large).conclude().largeCommandWarning());
        large.setProperty(io.paxlog.core.CoreConfig.ELECTION_TIMEOUT_PROP, "1000000000");
        large.setProperty(io.paxlog.core.CoreConfig.LEASE_TIMEOUT_PROP, "1000000000");
        assertEquals(null, NodeConfig.fromProperties(large).conclude().largeCommandWarning());
    }

    @Test
    void eachBadValueIsNamed()
    {
        assertEquals("paxlog.sync=sometimes: expected none or batch", error(NodeConfig.SYNC_PROP, "sometimes"));
        assertEquals("paxlog.node.id=3: must be one of the member ids in paxlog.cluster.members (0,1,2): every " +
            "node needs its own address there", error("paxlog.node.id", "3"));
        assertEquals("paxlog.idle=spin: expected one of backoff, yielding, busy-spin, sleeping", error(NodeConfig.IDLE_PROP, "spin"));
        assertEquals("paxlog.aeron.threading=dedicated: expected auto, shared or invoker",
            error(NodeConfig.THREADING_PROP, "dedicated"));
        assertEquals("paxlog.cluster.members=0=localhost:1: '0=localhost:1': expected id=host:consensusPort:clientPort",
            error(NodeConfig.MEMBERS_PROP, "0=localhost:1"));
        assertEquals("paxlog.quorum.accept=1: W + R must exceed N (W=1 R=2 N=3)", error("paxlog.quorum.accept", "1"));
        assertEquals("paxlog.lease.timeout.ns=abc: must be an integer", error("paxlog.lease.timeout.ns", "abc"));
        final Properties p = valid();
        p.remove(NodeConfig.DIR_PROP);
        assertEquals("paxlog.dir=: is required",
            assertThrows(ConfigException.class, () -> NodeConfig.fromProperties(p).conclude()).getMessage());
    }

    /**
     * Issue 14, acceptance 5: a largest command that cannot fit in one frame is refused at start, naming both
     * settings (NodeMain turns the ConfigException into one line and exit 2); a frame larger than Aeron's largest
     * message is refused too, and so is a leader window that cannot hold one command.
     */
    @Test
    void aLargestCommandThatCannotFitInAFrameIsRefusedNamingBothSettings()
    {
        final Properties p = valid();
        p.setProperty("paxlog.frame.length.max", Integer.toString(1 << 20));
        p.setProperty("paxlog.command.bytes.max", Integer.toString(1 << 20));
        assertEquals("paxlog.command.bytes.max=1048576: a command this large cannot fit in one frame of " +
            "paxlog.frame.length.max (1048576): raise paxlog.frame.length.max to at least 1048752 or lower " +
            "paxlog.command.bytes.max to at most 1048400",
            assertThrows(ConfigException.class, () -> NodeConfig.fromProperties(p).conclude()).getMessage());
        assertEquals("paxlog.frame.length.max=4194304: exceeds the largest message Aeron carries with " +
            "aeron.term.buffer.length=16777216 (2097152 bytes, an eighth of a term): lower paxlog.frame.length.max " +
            "or raise aeron.term.buffer.length", error("paxlog.frame.length.max", Integer.toString(4 << 20)));
        final Properties fits = valid();
        fits.setProperty("paxlog.frame.length.max", Integer.toString(1 << 20));
        fits.setProperty("paxlog.command.bytes.max", Integer.toString((1 << 20) - 176));
        assertEquals((1 << 20) - 176, NodeConfig.fromProperties(fits).conclude().core().commandBytesMax());
        final NodeConfig defaults = NodeConfig.fromProperties(valid()).conclude();
        assertEquals(2 << 20, defaults.frameLengthMax(), "the default frame is Aeron's largest message");
        assertEquals(256 << 10, defaults.core().commandBytesMax(), "larger commands need longer timeouts");
        assertEquals("paxlog.window.bytes.max=1000: must hold one command of paxlog.command.bytes.max (262320 " +
            "bytes with overhead) and be at most half of paxlog.promise.bytes.max (33554432)",
            error("paxlog.window.bytes.max", "1000"));
    }

    @Test
    void machinesAreTheStandardOnesByDefaultOrTheListedClassesByPosition()
    {
        final NodeConfig standard = NodeConfig.fromProperties(valid()).conclude();
        assertEquals("standard", standard.machines());
        assertEquals(List.of(), standard.machineClasses());
        final StateMachine[] builtIn = NodeMain.machines(standard);
        assertEquals(2, builtIn.length);
        assertInstanceOf(CounterMachine.class, builtIn[0]);
        assertInstanceOf(LockTable.class, builtIn[1]);

        final Properties p = valid();
        p.setProperty(NodeConfig.MACHINES_PROP, "io.paxlog.sm.LockTable, io.paxlog.sm.CounterMachine");
        final NodeConfig listed = NodeConfig.fromProperties(p).conclude();
        assertEquals(List.of(LockTable.class, CounterMachine.class), listed.machineClasses());
        final StateMachine[] machines = NodeMain.machines(listed);
        assertEquals(2, machines.length);
        assertInstanceOf(LockTable.class, machines[0]);
        assertInstanceOf(CounterMachine.class, machines[1]);
    }

    @Test
    void aBadMachineListIsNamed()
    {
        assertEquals("paxlog.machines=io.paxlog.sm.NoSuchMachine: no class io.paxlog.sm.NoSuchMachine on the class " +
            "path", error(NodeConfig.MACHINES_PROP, "io.paxlog.sm.NoSuchMachine"));
        assertEquals("paxlog.machines=java.lang.String: java.lang.String does not implement " +
            "io.paxlog.sm.StateMachine", error(NodeConfig.MACHINES_PROP, "java.lang.String"));
        assertEquals("paxlog.machines=io.paxlog.sm.StateMachine: io.paxlog.sm.StateMachine is not a public " +
            "concrete class", error(NodeConfig.MACHINES_PROP, "io.paxlog.sm.StateMachine"));
        assertEquals("paxlog.machines=io.paxlog.sm.LockTable,: expected standard or a comma-separated list of " +
            "StateMachine class names", error(NodeConfig.MACHINES_PROP, "io.paxlog.sm.LockTable,"));
        assertEquals("paxlog.machines=" + NeedsAnInt.class.getName() + ": " + NeedsAnInt.class.getName() + " has no " +
            "public constructor taking java.util.Properties or nothing",
            error(NodeConfig.MACHINES_PROP, NeedsAnInt.class.getName()));
    }

    /** A machine with a public constructor taking {@link Properties} is built with the node's settings. */
    @Test
    void aMachineTakingPropertiesGetsTheNodesSettings()
    {
        final Properties p = valid();
        p.setProperty(NodeConfig.MACHINES_PROP, "io.paxlog.sm.CounterMachine," + SettingsMachine.class.getName());
        final NodeConfig c = NodeConfig.fromProperties(p).conclude();
        final StateMachine[] machines = NodeMain.machines(c);
        assertInstanceOf(CounterMachine.class, machines[0]);
        assertEquals("1", ((SettingsMachine)machines[1]).settings.getProperty("paxlog.node.id"));
        assertEquals(c.machines(), ((SettingsMachine)machines[1]).settings.getProperty(NodeConfig.MACHINES_PROP));
    }

    /** Keeps the settings it was built with. */
    public static final class SettingsMachine extends Blank
    {
        final Properties settings;

        public SettingsMachine(final Properties settings)
        {
            this.settings = settings;
        }
    }

    /** Has no constructor a node can call. */
    public static final class NeedsAnInt extends Blank
    {
        public NeedsAnInt(final int unused)
        {
        }
    }

    /** A machine with no state. */
    abstract static class Blank implements StateMachine
    {
        public int apply(final io.paxlog.sm.ApplyContext ctx, final org.agrona.DirectBuffer command, final int offset,
            final int length, final org.agrona.MutableDirectBuffer result)
        {
            return 0;
        }

        public int query(final org.agrona.DirectBuffer query, final int offset, final int length,
            final org.agrona.MutableDirectBuffer result)
        {
            return 0;
        }

        public void snapshot(final io.paxlog.sm.SnapshotWriter writer)
        {
        }

        public void restore(final io.paxlog.sm.SnapshotReader reader)
        {
        }
    }
}
