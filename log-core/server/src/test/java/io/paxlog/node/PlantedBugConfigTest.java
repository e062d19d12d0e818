package io.paxlog.node;

import io.paxlog.protocol.ConfigException;
import io.paxlog.core.PlantedBug;
import io.paxlog.sm.DoubleGrantingLocks;
import io.paxlog.sm.LockTable;
import io.paxlog.sm.Machines;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code paxlog.plant} (planted bugs and planted failures), {@code paxlog.plant.invariant.slot} and
 * {@code paxlog.faults.*}: test-only node settings, parsed and checked once.
 */
class PlantedBugConfigTest
{
    private static NodeConfig conclude(final String key, final String value)
    {
        final Properties p = new Properties();
        if (key != null)
        {
            p.setProperty(key, value);
        }
        return conclude(p);
    }

    private static NodeConfig conclude(final Properties settings)
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, "0=127.0.0.1:20001:20002,1=127.0.0.1:20003:20004,2=127.0.0.1:20005:20006");
        p.setProperty("paxlog.node.id", "0");
        p.setProperty(NodeConfig.DIR_PROP, "/tmp/x");
        p.putAll(settings);
        return NodeConfig.fromProperties(p).conclude();
    }

    @Test
    void noBugsAndNoFaultsByDefault()
    {
        final NodeConfig c = conclude(null, null);
        assertTrue(c.plantedBugs().isEmpty());
        assertTrue(c.core().plantedBugs().isEmpty());
        assertFalse(c.faultsEnabled());
        assertEquals(NodeConfig.FAULTS_HOLD_BYTES_DEFAULT, c.faultsHoldBytes());
    }

    @Test
    void plantedBugsReachTheCoreAndTheWarningNamesThem()
    {
        final NodeConfig c = conclude(NodeConfig.PLANT_PROP, " lease-from-receive-time, apply-stale-ballot ");
        final Set<PlantedBug> expected = EnumSet.of(PlantedBug.LEASE_FROM_RECEIVE_TIME, PlantedBug.APPLY_STALE_BALLOT);
        assertEquals(expected, c.plantedBugs());
        assertEquals(expected, c.core().plantedBugs());
        assertTrue(c.core().planted(PlantedBug.APPLY_STALE_BALLOT));
        assertEquals("WARNING: planted bug(s) enabled: lease-from-receive-time,apply-stale-ballot; this node is " +
            "unsafe by design", NodeMain.plantedWarning(c));
        assertEquals(Set.of(), conclude(NodeConfig.PLANT_PROP, "  ").plantedBugs());
    }

    /** {@code lock-double-grant} on a node hosts the planted lock machine (module state-machines) at the locks' id. */
    @Test
    void theLockDoubleGrantPlantHostsTheDoubleGrantingLockMachine()
    {
        assertEquals(DoubleGrantingLocks.class,
            NodeMain.machines(conclude(NodeConfig.PLANT_PROP, "lock-double-grant"))[Machines.LOCKS].getClass());
        assertEquals(LockTable.class, NodeMain.machines(conclude(null, null))[Machines.LOCKS].getClass());
    }

    @Test
    void unknownOrUnplantableNamesAreOneLineErrorsNamingTheKey()
    {
        final String unknown = assertThrows(ConfigException.class,
            () -> conclude(NodeConfig.PLANT_PROP, "lease-from-receive-time,no-such-bug")).getMessage();
        assertTrue(unknown.startsWith("paxlog.plant=lease-from-receive-time,no-such-bug: unknown planted bug " +
            "'no-such-bug'; known: lease-from-receive-time, "), unknown);
        assertFalse(unknown.contains("\n"));
        assertFalse(unknown.contains("ack-before-persist"), unknown);
        assertTrue(assertThrows(ConfigException.class, () -> conclude(NodeConfig.PLANT_PROP, "lease-from-receive-time,,apply-stale-ballot")).getMessage()
            .contains("unknown planted bug ''"));
        assertEquals("paxlog.plant=ack-before-persist: 'ack-before-persist' is a simulator runtime bug; a real node " +
            "cannot plant it", assertThrows(ConfigException.class,
            () -> conclude(NodeConfig.PLANT_PROP, "ack-before-persist")).getMessage());
    }

    /** Fail-stop's planted failures: off by default, named in paxlog.plant, warned about, checked once. */
    @Test
    void plantedFailuresAreNamedInThePlantListAndChecked()
    {
        final NodeConfig none = conclude(null, null);
        assertEquals(Set.of(), none.plantedFailures());
        assertEquals(0, none.plantedInvariantSlot());
        assertEquals(0, none.core().invariantFailureSlot());

        final Properties p = new Properties();
        p.setProperty(NodeConfig.PLANT_PROP, "invariant-fails-at-slot");
        p.setProperty(NodeConfig.PLANT_INVARIANT_SLOT_PROP, "500");
        final NodeConfig invariant = conclude(p);
        assertEquals(Set.of(PlantedFailure.INVARIANT_FAILS_AT_SLOT), invariant.plantedFailures());
        assertEquals(Set.of(), invariant.plantedBugs());
        assertEquals(500, invariant.plantedInvariantSlot());
        assertEquals(500, invariant.core().invariantFailureSlot(), "planted in the core's commit path");
        assertEquals("WARNING: planted bug(s) enabled: invariant-fails-at-slot (slot 500); this node is unsafe by " +
            "design", NodeMain.plantedWarning(invariant));

        assertEquals("paxlog.plant=invariant-fails-at-slot: invariant-fails-at-slot needs " +
            "paxlog.plant.invariant.slot (the slot at which the invariant fails)", assertThrows(ConfigException.class,
            () -> conclude(NodeConfig.PLANT_PROP, "invariant-fails-at-slot")).getMessage());
        assertEquals("paxlog.plant.invariant.slot=500: test only: needs paxlog.plant=invariant-fails-at-slot",
            assertThrows(ConfigException.class, () -> conclude(NodeConfig.PLANT_INVARIANT_SLOT_PROP, "500"))
            .getMessage(), "refused unless planted");
        p.setProperty(NodeConfig.PLANT_INVARIANT_SLOT_PROP, "0");
        assertEquals("paxlog.plant.invariant.slot=0: must be a slot, 1 or more",
            assertThrows(ConfigException.class, () -> conclude(p)).getMessage());

        final Properties apply = new Properties();
        apply.setProperty(NodeConfig.PLANT_PROP, "lease-from-receive-time, apply-throws-on-marker");
        apply.setProperty(NodeConfig.MACHINES_PROP, FailingApplyMachine.class.getName());
        final NodeConfig throwing = conclude(apply);
        assertEquals(Set.of(PlantedFailure.APPLY_THROWS_ON_MARKER), throwing.plantedFailures());
        assertEquals(Set.of(PlantedBug.LEASE_FROM_RECEIVE_TIME), throwing.plantedBugs());
        assertEquals("WARNING: planted bug(s) enabled: lease-from-receive-time,apply-throws-on-marker; this node is " +
            "unsafe by design", NodeMain.plantedWarning(throwing));
        assertTrue(((FailingApplyMachine)NodeMain.machines(throwing)[0]).planted(), "the machine sees the plant");
        apply.setProperty(NodeConfig.PLANT_PROP, "lease-from-receive-time");
        assertFalse(((FailingApplyMachine)NodeMain.machines(conclude(apply))[0]).planted(), "not planted, not thrown");
        assertEquals("paxlog.plant=apply-throws-on-marker: apply-throws-on-marker is honoured by test state machines " +
            "only: it needs paxlog.machines naming one", assertThrows(ConfigException.class,
            () -> conclude(NodeConfig.PLANT_PROP, "apply-throws-on-marker")).getMessage());

        final String unknown = assertThrows(ConfigException.class,
            () -> conclude(NodeConfig.PLANT_PROP, "no-such-failure")).getMessage();
        assertTrue(unknown.endsWith(", invariant-fails-at-slot, apply-throws-on-marker"), unknown);
    }

    @Test
    void faultSettingsAreChecked()
    {
        assertTrue(conclude(NodeConfig.FAULTS_ENABLED_PROP, "true").faultsEnabled());
        assertEquals("paxlog.faults.enabled=yes: expected true or false",
            assertThrows(ConfigException.class, () -> conclude(NodeConfig.FAULTS_ENABLED_PROP, "yes")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> conclude(NodeConfig.FAULTS_HOLD_BYTES_PROP, "100"))
            .getMessage().startsWith("paxlog.faults.hold.bytes=100: must be in "));
    }
}
