package io.paxlog.node;

import io.paxlog.sm.ApplyContext;
import io.paxlog.sm.SnapshotReader;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachine;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.Properties;

/**
 * A {@link SizedCommandMachine} that throws from {@code apply} on a marked command, on the member whose settings
 * plant {@code apply-throws-on-marker} ({@link PlantedFailure#APPLY_THROWS_ON_MARKER} in {@code paxlog.plant}) and
 * nowhere else: members without the plant apply the marked command as an ordinary one. A marked command is an
 * 8-byte id followed by exactly one byte, the marker {@code (byte)(id + 8)}, which is the filler byte
 * {@link SizedCommandMachine} expects there (so it counts the command like any other); build it with
 * {@link #encodeMarked}. Ordinary commands of the tests that use it carry no filler. Deterministic except for the
 * planted throw, which is the point.
 */
public final class FailingApplyMachine implements StateMachine
{
    /** The payload length of a marked command: the id and the marker byte. */
    public static final int MARKED_LENGTH = 9;

    private final SizedCommandMachine inner = new SizedCommandMachine();
    private final boolean planted;

    /** Built by the node with its settings ({@code paxlog.machines}). */
    public FailingApplyMachine(final Properties settings)
    {
        this.planted = NodeConfig.plantedFailures(settings.getProperty(NodeConfig.PLANT_PROP, ""))
            .contains(PlantedFailure.APPLY_THROWS_ON_MARKER);
    }

    /** Whether this member's settings plant {@code apply-throws-on-marker}: it throws on marked commands. */
    boolean planted()
    {
        return planted;
    }

    /** The marked command of {@code id} for machine id 0, into {@code buffer} from 0; returns its length (10). */
    public static int encodeMarked(final MutableDirectBuffer buffer, final long id)
    {
        final int length = 1 + MARKED_LENGTH;
        SizedCommandMachine.encode(buffer, id, length);
        return length;
    }

    public int apply(final ApplyContext ctx, final DirectBuffer command, final int offset, final int length,
        final MutableDirectBuffer result)
    {
        if (planted && length == MARKED_LENGTH && command.getByte(offset + 8) == (byte)(command.getLong(offset) + 8))
        {
            throw new IllegalStateException("planted: apply throws on marked command " + command.getLong(offset));
        }
        return inner.apply(ctx, command, offset, length, result);
    }

    public int query(final DirectBuffer query, final int offset, final int length, final MutableDirectBuffer result)
    {
        return inner.query(query, offset, length, result);
    }

    public void snapshot(final SnapshotWriter writer)
    {
        inner.snapshot(writer);
    }

    public void restore(final SnapshotReader reader)
    {
        inner.restore(reader);
    }
}
