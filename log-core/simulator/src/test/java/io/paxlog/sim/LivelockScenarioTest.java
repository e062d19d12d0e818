package io.paxlog.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seeds' dueling proposers (Paxos Made Simple sec. 2.4: progress is not guaranteed without a leader). */
class LivelockScenarioTest
{
    @Test
    void plainPaxosDuelsForeverUnderTheDuelingSchedule()
    {
        final LivelockScenario.Outcome outcome = LivelockScenario.run(false, 1000);
        assertEquals("decided=false rounds=1000", outcome.toString());
    }

    @Test
    void leaseAndBackoffDecideUnderTheSameStart()
    {
        final LivelockScenario.Outcome outcome = LivelockScenario.run(true, 1000);
        assertTrue(outcome.decided(), outcome.toString());
        assertTrue(outcome.rounds() <= 3, outcome.toString());
    }
}
