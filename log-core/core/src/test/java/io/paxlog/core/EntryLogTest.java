package io.paxlog.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryLogTest
{
    private static Entry cmd(final long seq)
    {
        return Entry.command(1, seq, seq, new byte[] {(byte)seq, 2, 3});
    }

    @Test
    void ringKeepsTheLatestSlotsAndEvictsOnlyCommittedOnes()
    {
        final EntryLog log = new EntryLog(8);
        for (long s = 1; s <= 8; s++)
        {
            assertTrue(log.canStore(s));
            log.put(s, 5, cmd(s));
        }
        assertFalse(log.canStore(9), "slot 9 would evict uncommitted slot 1");
        assertThrows(Invariants.InvariantViolation.class, () -> log.put(9, 5, cmd(9)));
        log.markCommitted(1);
        log.markCommitted(2);
        assertEquals(2, log.commitSlot());
        assertTrue(log.canStore(9));
        assertTrue(log.canStore(10));
        assertFalse(log.canStore(11));
        log.put(9, 5, cmd(9));
        assertFalse(log.has(1));
        assertNull(log.entry(1));
        assertEquals(cmd(9), log.entry(9));
        assertEquals(cmd(2), log.entry(2));
        assertFalse(log.canStore(1), "slots older than the ring are never stored again");
    }

    @Test
    void cellsAreCopiesReusedAcrossLaps()
    {
        final EntryLog log = new EntryLog(4);
        final Entry scratch = new Entry();
        for (long s = 1; s <= 40; s++)
        {
            scratch.setCommand(7, s, s, new byte[(int)(s % 5)], 0, (int)(s % 5));
            log.put(s, 1, scratch);
            assertEquals(s, log.entry(s).sequence());
            assertEquals(s % 5, log.entry(s).payloadLength());
            log.markCommitted(s);
        }
        assertEquals(40, log.commitSlot());
        scratch.setNoop(0);
        assertEquals(40, log.entry(40).sequence(), "the log keeps its own copy");
    }

    @Test
    void committedSlotKeepsItsValue()
    {
        final EntryLog log = new EntryLog(8);
        log.put(1, 5, cmd(1));
        log.markCommitted(1);
        log.put(1, 6, cmd(1));
        assertThrows(Invariants.InvariantViolation.class, () -> log.put(1, 7, cmd(2)));
    }

    @Test
    void gapsDoNotCommitAndContiguousStopsAtThem()
    {
        final EntryLog log = new EntryLog(16);
        log.put(1, 3, cmd(1));
        log.put(3, 3, cmd(3));
        assertEquals(1, log.contiguousInBallot(3));
        log.markCommitted(3);
        assertEquals(0, log.commitSlot());
        log.markCommitted(1);
        assertEquals(1, log.commitSlot());
        log.put(2, 3, cmd(2));
        log.markCommitted(2);
        assertEquals(3, log.commitSlot());
    }
}
