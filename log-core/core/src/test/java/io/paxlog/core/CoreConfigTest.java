package io.paxlog.core;

import io.paxlog.protocol.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CoreConfigTest
{
    @Test
    void majorityQuorumsByDefault()
    {
        final CoreConfig c = new CoreConfig().nodeId(0).memberCount(5).conclude();
        assertEquals(3, c.electionQuorum());
        assertEquals(3, c.acceptQuorum());
        assertEquals(3, c.leaseQuorum());
    }

    @Test
    void flexibleQuorumLeaseNeedsNMinusRPlusOne()
    {
        final CoreConfig c = new CoreConfig().nodeId(0).memberCount(5).electionQuorum(4).acceptQuorum(2).conclude();
        assertEquals(2, c.leaseQuorum());
    }

    @Test
    void quorumsThatDoNotIntersectAreRejectedNamingTheSetting()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> new CoreConfig().nodeId(0).memberCount(5).electionQuorum(3).acceptQuorum(2).conclude());
        assertEquals("paxlog.quorum.accept=2: W + R must exceed N (W=2 R=3 N=5)", ex.getMessage());
    }

    @Test
    void badPropertiesNameKeyValueAndRule()
    {
        final Properties p = new Properties();
        p.setProperty(CoreConfig.LEASE_TIMEOUT_PROP, "soon");
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> new CoreConfig().load(p));
        assertEquals("paxlog.lease.timeout.ns=soon: must be an integer", ex.getMessage());
        final ConfigException hb = assertThrows(ConfigException.class,
            () -> new CoreConfig().nodeId(0).heartbeatIntervalNs(100_000_000L).conclude());
        assertEquals("paxlog.heartbeat.interval.ns=100000000: must be at most a third of paxlog.lease.timeout.ns " +
            "(200000000) so the lease renews", hb.getMessage());
    }

    @Test
    void logBytesDefaultToWhatTheOtherLimitsNeedAndLessIsRefused()
    {
        final CoreConfig c = new CoreConfig().nodeId(0).conclude();
        final long least = 2L * (c.promiseBytesMax() + c.windowBytesMax()) + 2L * c.logSlackBytes();
        assertEquals(least, c.logCapacityBytes());
        assertEquals(72_351_808, c.logCapacityBytes(), "69 MiB with the defaults");
        final CoreConfig small = new CoreConfig().nodeId(0).promiseBytesMax(4 << 20).windowBytesMax(1 << 20)
            .commandBytesMax(4096).conclude();
        assertEquals(2L * (5 << 20) + 4L * PayloadRing.recordBytes(CoreConfig.CONFIG_ENTRY_BYTES_MAX),
            small.logCapacityBytes(), "the configuration entry is the largest record here");
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> new CoreConfig().nodeId(0).logCapacityBytes(64 << 20).conclude());
        assertEquals("paxlog.log.capacity.bytes=67108864: must be a multiple of 8 of at least 72351808 (twice " +
            "paxlog.promise.bytes.max + paxlog.window.bytes.max, and four of the largest records)", ex.getMessage());
        assertEquals(128 << 20, new CoreConfig().nodeId(0).logCapacityBytes(128 << 20).conclude().logCapacityBytes());
    }

    @Test
    void plantedBugsAreRefusedOutsideTestHarnesses()
    {
        assertThrows(ConfigException.class,
            () -> new CoreConfig().nodeId(0).plant(PlantedBug.APPLY_STALE_BALLOT).conclude());
    }

    @Test
    void leaderLeaseIsShortenedByDriftAndMargin()
    {
        final CoreConfig c = new CoreConfig().nodeId(0).leaseTimeoutNs(100_000_000L).clockDriftPpm(50_000)
            .leaseMarginNs(1_000_000L).conclude();
        assertEquals(100_000_000L - 5_000_000L - 1_000_000L, c.leaderLeaseNs());
    }
}
