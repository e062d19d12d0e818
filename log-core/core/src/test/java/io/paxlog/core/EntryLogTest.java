package io.paxlog.core;

import org.junit.jupiter.api.Test;

import static io.paxlog.core.EntryLog.Room.ACCEPTED;
import static io.paxlog.core.EntryLog.Room.CHOSEN;
import static io.paxlog.core.EntryLog.Room.REPLAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryLogTest
{
    /** A ring so large that only the cells bind. */
    private static EntryLog slotsOnly(final int capacity)
    {
        return new EntryLog(capacity, 1 << 20, 0);
    }

    private static Entry cmd(final long seq)
    {
        return Entry.command(1, seq, seq, new byte[] {(byte)seq, 2, 3});
    }

    private static Entry cmd(final long seq, final int length)
    {
        final byte[] payload = new byte[length];
        for (int i = 0; i < length; i++)
        {
            payload[i] = (byte)(seq * 31 + i);
        }
        return Entry.command(1, seq, seq, payload);
    }

    private static void commitAndApply(final EntryLog log, final long slot)
    {
        log.markCommitted(slot);
        log.markApplied(log.commitSlot());
    }

    @Test
    void ringKeepsTheLatestSlotsAndEvictsOnlyCommittedAndAppliedOnes()
    {
        final EntryLog log = slotsOnly(8);
        for (long s = 1; s <= 8; s++)
        {
            assertTrue(log.canStore(s, 3, ACCEPTED));
            log.put(s, 5, cmd(s), ACCEPTED);
        }
        assertFalse(log.canStore(9, 3, ACCEPTED), "slot 9 would evict uncommitted slot 1");
        assertThrows(Invariants.InvariantViolation.class, () -> log.put(9, 5, cmd(9), ACCEPTED));
        log.markCommitted(1);
        log.markCommitted(2);
        assertEquals(2, log.commitSlot());
        assertFalse(log.canStore(9, 3, ACCEPTED), "slot 1 is committed but not applied yet");
        log.markApplied(2);
        assertTrue(log.canStore(9, 3, ACCEPTED));
        assertTrue(log.canStore(10, 3, ACCEPTED));
        assertFalse(log.canStore(11, 3, ACCEPTED));
        log.put(9, 5, cmd(9), ACCEPTED);
        assertFalse(log.has(1));
        assertNull(log.entry(1));
        assertEquals(cmd(9), log.entry(9));
        assertEquals(cmd(2), log.entry(2));
        assertFalse(log.canStore(1, 3, ACCEPTED), "slots older than the ring are never stored again");
    }

    @Test
    void cellsAreCopiesReusedAcrossLaps()
    {
        final EntryLog log = new EntryLog(4, 1024, 0);
        final Entry scratch = new Entry();
        for (long s = 1; s <= 400; s++)
        {
            final int length = (int)(s % 70);
            scratch.setCommand(7, s, s, new byte[length], 0, length);
            scratch.payloadArray()[0] = (byte)s;
            log.put(s, 1, scratch, ACCEPTED);
            assertEquals(s, log.entry(s).sequence());
            assertEquals(length, log.entry(s).payloadLength());
            commitAndApply(log, s);
        }
        assertEquals(400, log.commitSlot());
        assertTrue(log.usedBytes() <= 1024);
        scratch.setNoop(0);
        assertEquals(400, log.entry(400).sequence(), "the log keeps its own copy");
        assertEquals((byte)400, log.entry(400).payloadArray()[log.entry(400).payloadOffset()]);
    }

    @Test
    void committedSlotKeepsItsValue()
    {
        final EntryLog log = slotsOnly(8);
        log.put(1, 5, cmd(1), ACCEPTED);
        log.markCommitted(1);
        log.put(1, 6, cmd(1), ACCEPTED);
        assertEquals(6, log.ballot(1));
        assertThrows(Invariants.InvariantViolation.class, () -> log.put(1, 7, cmd(2), ACCEPTED));
    }

    @Test
    void gapsDoNotCommitAndContiguousStopsAtThem()
    {
        final EntryLog log = slotsOnly(16);
        log.put(1, 3, cmd(1), ACCEPTED);
        log.put(3, 3, cmd(3), ACCEPTED);
        assertEquals(1, log.contiguousInBallot(3));
        log.markCommitted(3);
        assertEquals(0, log.commitSlot());
        log.markCommitted(1);
        assertEquals(1, log.commitSlot());
        log.put(2, 3, cmd(2), ACCEPTED);
        log.markCommitted(2);
        assertEquals(3, log.commitSlot());
    }

    @Test
    void payloadBytesAreBoundedAndAnAcceptedValueFillsAtMostHalfTheRing()
    {
        // 4 KiB of payload ring; each 1000-byte payload takes a 1016-byte record
        final EntryLog log = new EntryLog(64, 4096, 0);
        assertTrue(log.canStore(1, 1000, ACCEPTED));
        log.put(1, 1, cmd(1, 1000), ACCEPTED);
        log.put(2, 1, cmd(2, 1000), ACCEPTED);
        assertFalse(log.canStore(3, 1000, ACCEPTED), "a third accepted value would fill more than half");
        assertTrue(log.canStore(3, 1000, CHOSEN), "a chosen value may use the rest");
        log.put(3, 1, cmd(3, 1000), CHOSEN);
        log.put(4, 1, cmd(4, 1000), CHOSEN);
        assertFalse(log.canStore(5, 1000, REPLAY), "full, and every slot still needed");
        assertThrows(Invariants.InvariantViolation.class, () -> log.put(5, 1, cmd(5, 1000), REPLAY));
        commitAndApply(log, 1);
        assertTrue(log.canStore(5, 1000, CHOSEN), "slot 1's bytes may be reused once it is applied");
        log.put(5, 1, cmd(5, 1000), CHOSEN);
        assertFalse(log.has(1), "slot 1 left the log for its bytes, not its cell");
        assertTrue(log.has(2));
        assertEquals(cmd(5, 1000), log.entry(5));
        assertEquals(cmd(2, 1000), log.entry(2));
        assertTrue(log.usedBytes() <= 4096);
    }

    @Test
    void anOldUnneededRecordIsReclaimedButANeededOneBlocksTheRing()
    {
        final EntryLog log = new EntryLog(64, 4096, 0);
        log.put(1, 1, cmd(1, 1000), ACCEPTED);
        log.put(2, 1, cmd(2, 1000), ACCEPTED);
        // slot 1 is rewritten in a newer ballot with another value: its first record is garbage from then on
        log.put(1, 2, cmd(100, 1000), CHOSEN);
        log.put(3, 1, cmd(3, 500), CHOSEN);
        commitAndApply(log, 1);
        commitAndApply(log, 2);
        // slot 3 is still needed: the ring reclaims the old records before it, and goes no further
        log.put(4, 1, cmd(4, 1000), CHOSEN);
        log.put(5, 1, cmd(5, 1000), CHOSEN);
        assertFalse(log.has(1), "slot 2's bytes went for slot 5, and slot 1 with it: slots leave as a prefix");
        assertFalse(log.has(2));
        final int used = log.usedBytes();
        assertFalse(log.canStore(6, 2000, REPLAY), "slot 3 blocks the bytes stored after it");
        assertEquals(used, log.usedBytes(), "asking whether a store fits reclaims nothing");
        assertEquals(cmd(3, 500), log.entry(3));
        assertEquals(cmd(4, 1000), log.entry(4));
        commitAndApply(log, 3);
        assertTrue(log.canStore(6, 2000, REPLAY), "once slot 3 is applied its bytes may go too");
        log.put(6, 1, cmd(6, 2000), REPLAY);
        assertFalse(log.has(3));
        assertEquals(cmd(6, 2000), log.entry(6));
        assertEquals(cmd(5, 1000), log.entry(5));
    }

    @Test
    void aPayloadNeverWrapsAndViewsStayValidUntilTheirBytesAreReused()
    {
        final EntryLog log = new EntryLog(8, 1024, 0);
        long slot = 0;
        for (int round = 0; round < 200; round++)
        {
            final int length = 1 + (round * 37) % 300;
            slot++;
            assertTrue(log.canStore(slot, length, CHOSEN), "round " + round);
            log.put(slot, 1, cmd(slot, length), CHOSEN);
            final Entry view = log.entry(slot);
            assertEquals(length, view.payloadLength());
            assertTrue(view.payloadOffset() + length <= 1024, "a payload is one contiguous range");
            assertEquals(cmd(slot, length), view);
            assertSame(view, log.entry(slot), "the cell lends the same view, no copy");
            commitAndApply(log, slot);
        }
        final Entry last = log.entry(slot);
        assertThrows(Invariants.InvariantViolation.class, () -> last.copyFrom(cmd(1)),
            "a view of the ring is read-only");
    }

    @Test
    void resetForgetsEverySlotAndEveryByte()
    {
        final EntryLog log = new EntryLog(8, 2048, 0);
        log.put(1, 1, cmd(1, 900), ACCEPTED);
        log.resetTo(10);
        assertEquals(0, log.usedBytes());
        assertFalse(log.has(1));
        assertTrue(log.canStore(11, 900, ACCEPTED));
    }
}
