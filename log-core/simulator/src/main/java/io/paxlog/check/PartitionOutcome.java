package io.paxlog.check;

/**
 * The verdict on one partition.
 *
 * @param verdict     linearizable, not, or unknown because the budget ran out
 * @param explanation a one-line account (of the violation or the exhausted budget)
 * @param work        search steps spent
 */
record PartitionOutcome(Verdict verdict, String explanation, long work)
{
    /** The three possible verdicts. */
    enum Verdict
    {
        LINEARIZABLE, VIOLATION, BUDGET_EXCEEDED
    }
}
