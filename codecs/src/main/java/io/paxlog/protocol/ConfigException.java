package io.paxlog.protocol;

/**
 * A bad setting: names the setting, the value and the rule broken, in one line. Shared by every side that reads
 * settings (the core's, the node's, the client's and the authentication files), so each error reads the same way;
 * a command line turns it into exit code 2.
 */
public final class ConfigException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String setting, final Object value, final String rule)
    {
        super(setting + "=" + printable(String.valueOf(value)) + ": " + rule);
    }

    /**
     * {@code text} with every control or line-separator character (a NUL or newline in a config value) written
     * as a backslash, 'u' and 4 hex digits, so a message quoting it stays one printable line.
     */
    public static String printable(final CharSequence text)
    {
        final StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR ||
                type == Character.PARAGRAPH_SEPARATOR)
            {
                b.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                b.append(c);
            }
        }
        return b.toString();
    }
}
