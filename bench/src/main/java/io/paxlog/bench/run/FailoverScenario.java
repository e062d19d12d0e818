package io.paxlog.bench.run;

/** Placeholder until the fail-over targets land; see the failover scenario in the issue. */
final class FailoverScenario
{
    private final RunConfig config;
    private final Results results;

    FailoverScenario(final RunConfig config, final Results results)
    {
        this.config = config;
        this.results = results;
    }

    void run()
    {
        results.fail("failover: not implemented yet");
    }
}
