package io.paxlog.node;

import io.paxlog.core.Membership;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachineHost;
import org.agrona.DirectBuffer;

/**
 * What a node's snapshot holds, saved to disk and sent to lagging peers alike: a marker, the configuration that
 * governs the slot after the snapshot's (a configuration entry's payload: the core's header and the member
 * addresses, {@link AddressBook}), then the state machines ({@link StateMachineHost#snapshot}). The runtime keeps
 * that configuration as it applies configuration entries ({@link #applied}), so a snapshot of the applied slot
 * always carries the one in force there (docs/membership.md: the configuration lives in snapshots and the journal).
 *
 * <p>A snapshot written before configurations were kept (the host's bytes alone, which begin with a machine count
 * of at most 256, never the marker) restores the machines and carries no configuration.
 *
 * <p>Threading: the node's duty-cycle thread.
 */
final class NodeSnapshot
{
    /** "PXCF": above any machine count, so an old snapshot is told apart. */
    static final int MAGIC = 0x50584346;

    private final StateMachineHost host;
    private final AddressBook book;
    private byte[] config;

    /** {@code initialConfig}: the payload of the configuration the node starts with (its file's). */
    NodeSnapshot(final StateMachineHost host, final AddressBook book, final byte[] initialConfig)
    {
        this.host = host;
        this.book = book;
        this.config = initialConfig;
    }

    /** A configuration entry was applied: it governs from the next slot on, and goes into the next snapshot. */
    void applied(final byte[] payload, final int offset, final int length)
    {
        config = java.util.Arrays.copyOfRange(payload, offset, offset + length);
        book.learnConfig(config, 0, config.length);
    }

    /** The payload of the configuration in force after the applied slot. */
    byte[] config()
    {
        return config;
    }

    /** That configuration's header. */
    Membership membership()
    {
        return Membership.decode(config, 0, config.length);
    }

    /** Writes the marker, the configuration and the machines' state. */
    void write(final SnapshotWriter w)
    {
        w.writeInt(MAGIC).writeBytes(config);
        host.snapshot(w);
    }

    /**
     * Restores the machines from a snapshot and takes its configuration (learning its members' addresses).
     * Returns that configuration, or null for a snapshot without one.
     *
     * @throws IllegalStateException if the configuration is malformed (nothing restored then), or whatever the host
     *     throws for machines' state it cannot restore (the caller rolls back).
     */
    Membership restore(final DirectBuffer buffer, final int offset, final int length)
    {
        final SnapshotReader r = new SnapshotReader(buffer, offset, length);
        if (length < 4 || r.readInt() != MAGIC)
        {
            host.restore(new SnapshotReader(buffer, offset, length));
            return null;
        }
        final byte[] carried = r.readBytes();
        if (AddressBook.parseTail(carried, 0, carried.length) == null)
        {
            throw new IllegalStateException("the snapshot's configuration is malformed");
        }
        host.restore(r);
        config = carried;
        book.learnConfig(carried, 0, carried.length);
        return Membership.decode(carried, 0, carried.length);
    }
}
