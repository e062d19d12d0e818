package io.paxlog.bench;

/** A child JVM for {@link ChildJvmsTest}: follows its parent ({@link ChildSupport#exitWithParent}) and sleeps. */
public final class SleepingChildMain
{
    private SleepingChildMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        ChildSupport.exitWithParent();
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
