package io.paxlog.protocol;

/**
 * One setting as the settings reference (docs/settings.md) lists it. The settings classes ({@code CoreConfig},
 * {@code NodeConfig}, {@code PaxlogClientContext}) each keep a list of these next to their constants, built from
 * those constants, so the reference is produced from the code and a test fails when a key has no entry.
 *
 * @param key          the property name ({@code paxlog.window.slots}) or, for a client setting, the context's setter
 * @param defaultValue the value when unset, as text ({@code "(required)"} when there is none)
 * @param unit         the unit ({@code ns}, {@code ms}, {@code bytes}, {@code slots}, ...), empty when it has none
 * @param range        the values {@code conclude()} accepts
 * @param meaning      what it does, in a sentence or two
 */
public record Setting(String key, String defaultValue, String unit, String range, String meaning)
{
    /** The text of a setting with no default. */
    public static final String REQUIRED = "(required)";
    /** The text of a setting that is off unless set. */
    public static final String UNSET = "(unset)";

    public Setting
    {
        if (key == null || key.isBlank() || defaultValue == null || unit == null || range == null || meaning == null ||
            meaning.isBlank())
        {
            throw new IllegalArgumentException("a setting needs a key, a default, a unit, a range and a meaning: " +
                key);
        }
    }
}
