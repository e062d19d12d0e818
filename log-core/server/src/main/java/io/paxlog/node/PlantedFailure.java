package io.paxlog.node;

/**
 * Test only: failures a real node can be made to suffer on purpose, named in {@code paxlog.plant} beside the
 * {@link io.paxlog.core.PlantedBug} names, so a test can show that the node stops on them (fail-stop: exit
 * {@link NodeMain#EXIT_FAIL_STOP}) and that the cluster serves on without it. Unlike planted bugs they break no
 * protocol rule the simulator checks; they exist for the node runtime only. Planted in one member's settings, they
 * fail that member only. Off by default; a node with one prints the planted-bug warning at start.
 */
public enum PlantedFailure
{
    /**
     * The node's commit path throws an {@link io.paxlog.core.Invariants.InvariantViolation} ("planted: invariant
     * fails at slot N") when it delivers slot {@code paxlog.plant.invariant.slot} (required with it), as a broken
     * invariant would.
     */
    INVARIANT_FAILS_AT_SLOT("invariant-fails-at-slot"),
    /**
     * A test state machine that honours it throws from {@code apply} on a command carrying its marker byte (the test
     * suite's {@code FailingApplyMachine}, which reads its node's settings); the node itself does nothing different,
     * and a machine that does not know it ignores it. Needs {@code paxlog.machines} other than {@code standard}.
     */
    APPLY_THROWS_ON_MARKER("apply-throws-on-marker");

    private final String cliName;

    PlantedFailure(final String cliName)
    {
        this.cliName = cliName;
    }

    public String cliName()
    {
        return cliName;
    }

    /** The failure named {@code name}, or null. */
    public static PlantedFailure fromCliName(final String name)
    {
        for (final PlantedFailure failure : values())
        {
            if (failure.cliName.equals(name))
            {
                return failure;
            }
        }
        return null;
    }
}
