package io.paxlog.node;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.core.ConsensusNode;
import io.paxlog.core.CoreConfig;
import io.paxlog.sm.Machines;
import io.paxlog.sm.ResponseSink;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachineHost;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A snapshot whose checksum holds but which does not restore leaves the receiving node exactly as it was. */
class SnapshotTransferTest
{
    @Test
    void aSnapshotThatFailsToRestoreIsRefusedAndChangesNothing() throws Exception
    {
        final Path dir = ScratchDirs.create("paxlog-snapshot-transfer");
        final CoreConfig config = new CoreConfig().load(ConsensusAdapterFuzzTest.props()).conclude();
        final ConsensusNode core = new ConsensusNode(config, new ConsensusAdapterFuzzTest.MemoryJournal(),
            new ConsensusAdapterFuzzTest.NullOutbox(), new ConsensusAdapterFuzzTest.NullListener());
        core.start(1_000);
        final StateMachineHost host = new StateMachineHost(ResponseSink.NONE, Machines.standard());
        final SnapshotStore store = new SnapshotStore(dir);
        final SnapshotTransfer transfer = new SnapshotTransfer(ConsensusFrames.content(host, 0), core, store, 64 * 1024,
            (to, ballot, slot, total, offset, checksum, data, dataOffset, dataLength) -> { }, slot -> { }, () -> 1_000);

        final SnapshotWriter before = new SnapshotWriter();
        host.snapshot(before);
        // a host header that promises one session and ends: restore sets the applied slot and clears sessions, then
        // runs out of bytes
        final SnapshotWriter bad = new SnapshotWriter().writeInt(Machines.standard().length).writeLong(999)
            .writeLong(5).writeInt(1);
        final byte[] bytes = new byte[bad.length()];
        bad.buffer().getBytes(0, bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes);

        transfer.onChunk(1_000, 1, (1L << 8) | 1, 50, bytes.length, 0, (int)crc.getValue(), new UnsafeBuffer(bytes), 0,
            bytes.length);

        assertEquals(1, transfer.refused());
        assertEquals(0, transfer.installed());
        assertEquals(0, host.appliedSlot(), "the host is as it was");
        final SnapshotWriter after = new SnapshotWriter();
        host.snapshot(after);
        assertEquals(before.length(), after.length());
        for (int i = 0; i < before.length(); i++)
        {
            assertEquals(before.buffer().getByte(i), after.buffer().getByte(i), "snapshot byte " + i);
        }
        assertTrue(store.slots().isEmpty(), "nothing saved: " + store.slots());
        assertEquals(0, core.commitSlot());
    }
}
