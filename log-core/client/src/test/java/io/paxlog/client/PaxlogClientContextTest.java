package io.paxlog.client;

import io.paxlog.protocol.Member;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every Context setting is validated once, before any driver starts, with a message naming the setting. */
class PaxlogClientContextTest
{
    private static final Member[] MEMBERS = {new Member(0, "127.0.0.1", 20001, 20002),
        new Member(1, "127.0.0.1", 20003, 20004)};

    private static PaxlogClientContext valid()
    {
        return new PaxlogClientContext().members(MEMBERS).aeronDirectoryName("/tmp/paxlog-context-test");
    }

    @Test
    void defaultsConcludeAndAreTheDocumentedOnes()
    {
        final PaxlogClientContext c = valid().conclude();
        assertEquals(1024, c.maxOutstanding());
        assertEquals(1 << 20, c.maxOutstandingBytes());
        assertEquals(1_000_000_000L, c.keepAliveIntervalNs());
        assertEquals(200_000_000L, c.attemptTimeoutNs());
        assertEquals(10_000_000_000L, c.callTimeoutNs());
        assertEquals(16 * 1024, c.maxPayloadBytes());
        assertEquals("backoff", c.idleStrategy());
        assertEquals("embedded", c.mediaDriver());
        assertEquals(null, c.aeron());
        valid().mediaDriver("external").conclude();
        for (final String idle : new String[] {"backoff", "yielding", "busy-spin", "sleeping"})
        {
            valid().idleStrategy(idle).conclude();
        }
        valid().maxOutstanding(1).conclude();
        valid().maxOutstanding(4096).conclude();
        assertEquals(2 * CommandWindow.frameBytes(1 << 20), valid().maxPayloadBytes(1 << 20).maxOutstandingBytes(),
            "the default ring holds two of the largest commands");
    }

    @Test
    void memberIdsAreAnyDistinctIdsUpTo63InAnyOrder()
    {
        valid().members(new Member(7, "127.0.0.1", 1, 2), new Member(2, "127.0.0.1", 3, 4),
            new Member(63, "127.0.0.1", 5, 6)).conclude();
        valid().members(new Member(1, "127.0.0.1", 1, 2)).conclude();
        valid().members(Member.parseList("5=127.0.0.1:1:2,0=127.0.0.1:3:4")).conclude();
    }

    @Test
    void maxOutstandingMustBeOneTo4096AndTheBytesMustHoldOneLargestCommand()
    {
        expect(c -> c.maxOutstanding(0), "maxOutstanding=0: must be in 1..4096");
        expect(c -> c.maxOutstanding(4097), "maxOutstanding=4097: must be in 1..4096");
        expect(c -> c.maxOutstanding(-5), "maxOutstanding=-5");
        final int frame = CommandWindow.frameBytes(16 * 1024);
        valid().maxOutstandingBytes(frame).conclude();
        expect(c -> c.maxOutstandingBytes(frame - 1), "maxOutstandingBytes=" + (frame - 1) + ": must be 0 (the " +
            "default) or in " + frame + ".." + (1 << 30) + " (at least one frame of maxPayloadBytes=16384)");
        expect(c -> c.maxOutstandingBytes(-1), "maxOutstandingBytes=-1");
    }

    @Test
    void everyOtherSettingIsNamedWhenBroken()
    {
        expect(c -> c.members(new Member[0]), "members: at least one member is required");
        expect(c -> c.members((Member[])null), "members: at least one member is required");
        expect(c -> c.members(MEMBERS[0], null), "members: position 1 is null");
        expect(c -> c.members(new Member(64, "127.0.0.1", 1, 2)), "members: position 0 has id 64; ids must be in 0..63");
        expect(c -> c.members(new Member(5, "127.0.0.1", 1, 2), new Member(2, "127.0.0.1", 3, 4),
            new Member(5, "127.0.0.1", 5, 6)), "members: id 5 is listed twice (again at position 2)");
        expect(c -> c.aeronDirectoryName(null), "aeronDirectoryName: required");
        expect(c -> c.aeronDirectoryName(" "), "aeronDirectoryName: required");
        expect(c -> c.attemptTimeoutNs(0), "attemptTimeoutNs=0: must be > 0");
        expect(c -> c.callTimeoutNs(-1), "callTimeoutNs=-1: must be > 0");
        expect(c -> c.keepAliveIntervalNs(0), "keepAliveIntervalNs=0");
        expect(c -> c.keepAliveIntervalNs(6_000_000_000L), "at most half of sessionTimeoutNs=10000000000");
        expect(c -> c.sessionTimeoutNs(0), "sessionTimeoutNs=0: must be > 0");
        expect(c -> c.retryDelayNs(-1), "retryDelayNs=-1");
        expect(c -> c.retryDelayNs(200_000_000L), "less than attemptTimeoutNs=200000000");
        expect(c -> c.maxPayloadBytes(0), "maxPayloadBytes=0: must be in 1..1048576");
        expect(c -> c.maxPayloadBytes((1 << 20) + 1), "maxPayloadBytes=1048577");
        expect(c -> c.idleStrategy("spin"), "idleStrategy='spin': must be one of backoff, yielding, busy-spin, sleeping");
        expect(c -> c.idleStrategy(null), "idleStrategy=null: must be one of");
        expect(c -> c.mediaDriver("remote"), "mediaDriver='remote': must be embedded or external");
        expect(c -> c.mediaDriver(null), "mediaDriver=null: must be embedded or external");
        expect(c -> c.mediaDriver("external").aeronDirectoryName(null), "aeronDirectoryName: required");
    }

    @Test
    void theClientValidatesBeforeStartingItsDriver()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new PaxlogClient(valid().maxOutstanding(5000)));
        assertTrue(ex.getMessage().startsWith("maxOutstanding=5000"), ex.getMessage());
        final IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
            () -> new PaxlogClient(new Member[0], "/tmp/paxlog-context-test", 1, 1));
        assertTrue(old.getMessage().startsWith("members:"), old.getMessage());
    }

    private static void expect(final UnaryOperator<PaxlogClientContext> change, final String messagePart)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> change.apply(valid()).conclude());
        assertTrue(ex.getMessage().contains(messagePart), "message '" + ex.getMessage() + "' lacks '" + messagePart +
            "'");
        assertTrue(!ex.getMessage().contains("\n"), "one line: " + ex.getMessage());
    }
}
