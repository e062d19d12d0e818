package io.paxlog.cli;

/**
 * Parsing helpers shared by the command-line tools. Every failure is an {@link IllegalArgumentException} whose
 * message names the flag and the bad value, which the tools print as one line before exiting with code 2.
 */
public final class CliArgs
{
    private CliArgs()
    {
    }

    /** The value following {@code flag} at {@code args[i]}. */
    public static String value(final String[] args, final int i, final String flag)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    public static long parseLong(final String flag, final String v)
    {
        try
        {
            return Long.parseLong(v);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(flag + " '" + v + "': expected an integer");
        }
    }

    public static long positiveLong(final String flag, final String v)
    {
        final long n = parseLong(flag, v);
        if (n < 1)
        {
            throw new IllegalArgumentException(flag + " '" + v + "': must be >= 1");
        }
        return n;
    }

    /** A value of {@code flag} in {@code min..max}; a larger or smaller one is refused naming the range. */
    public static long longInRange(final String flag, final String v, final long min, final long max)
    {
        final long n = parseLong(flag, v);
        if (n < min || n > max)
        {
            throw new IllegalArgumentException(flag + " '" + v + "': must be in " + min + ".." + max);
        }
        return n;
    }
}
