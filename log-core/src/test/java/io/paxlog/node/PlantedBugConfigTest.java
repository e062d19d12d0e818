package io.paxlog.node;

import io.paxlog.core.CoreConfig.ConfigException;
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

/** {@code paxlog.plant} and {@code paxlog.faults.*}: test-only node settings, parsed and checked once. */
class PlantedBugConfigTest
{
    private static NodeConfig conclude(final String key, final String value)
    {
        final Properties p = new Properties();
        p.setProperty(NodeConfig.MEMBERS_PROP, "0=127.0.0.1:20001:20002,1=127.0.0.1:20003:20004,2=127.0.0.1:20005:20006");
        p.setProperty("paxlog.node.id", "0");
        p.setProperty(NodeConfig.DIR_PROP, "/tmp/x");
        if (key != null)
        {
            p.setProperty(key, value);
        }
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
