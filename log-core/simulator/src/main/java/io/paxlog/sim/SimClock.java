package io.paxlog.sim;

/**
 * A node's clock in the simulator: {@code local = offsetNs + rate * (trueNs - anchorTrueNs) + anchorLocalNs}.
 * The rate can change during a run (drift); the clock never goes backwards.
 */
final class SimClock
{
    private double rate;
    private long anchorTrueNs;
    private long anchorLocalNs;

    SimClock(final long offsetNs, final double rate)
    {
        this.rate = rate;
        this.anchorTrueNs = 0;
        this.anchorLocalNs = offsetNs;
    }

    long localNs(final long trueNs)
    {
        return anchorLocalNs + (long)((trueNs - anchorTrueNs) * rate);
    }

    /** The true time at which this clock will read {@code localNs}, assuming the rate stays as it is. */
    long trueAt(final long localNs)
    {
        return anchorTrueNs + (long)Math.ceil((localNs - anchorLocalNs) / rate);
    }

    void setRate(final long trueNs, final double newRate)
    {
        anchorLocalNs = localNs(trueNs);
        anchorTrueNs = trueNs;
        rate = newRate;
    }

    double rate()
    {
        return rate;
    }
}
