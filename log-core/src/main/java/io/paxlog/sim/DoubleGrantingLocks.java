package io.paxlog.sim;

/**
 * The simulator's old name for the planted lock machine {@link io.paxlog.sm.DoubleGrantingLocks}, which moved to
 * the state-machines module so that the node can host it without depending on the simulator. Kept only while
 * {@code SimNode} still names it unqualified; it goes once {@code SimNode} imports the moved class (after the
 * replica extraction, issue 15). Adds nothing.
 */
final class DoubleGrantingLocks extends io.paxlog.sm.DoubleGrantingLocks
{
}
