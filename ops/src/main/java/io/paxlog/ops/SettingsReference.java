package io.paxlog.ops;

import io.paxlog.client.PaxlogClientContext;
import io.paxlog.core.CoreConfig;
import io.paxlog.node.NodeSettings;
import io.paxlog.protocol.Setting;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * docs/settings.md, produced from the settings classes' lists ({@link NodeSettings#SETTINGS},
 * {@link CoreConfig#SETTINGS}, {@link PaxlogClientContext#SETTINGS}). {@code SettingsReferenceTest} fails when the
 * file differs from what this prints, or when a key has no entry; {@code main(path)} writes the file anew.
 */
public final class SettingsReference
{
    private SettingsReference()
    {
    }

    /** Writes the reference to the path given, or prints it when there is none. */
    public static void main(final String[] args) throws IOException
    {
        if (args.length == 0)
        {
            System.out.print(markdown());
        }
        else
        {
            Files.writeString(Path.of(args[0]), markdown());
        }
    }

    /** The whole of docs/settings.md. */
    public static String markdown()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("# Settings reference\n\n")
            .append("Produced from the settings classes by `io.paxlog.ops.SettingsReference`; do not edit by hand. ")
            .append("`SettingsReferenceTest`\nfails when this file is out of date (it writes the new one to ")
            .append("`ops/target/settings.md`) or when a setting has no entry.\n\n")
            .append("A node reads its settings from a properties file (`NodeMain --config FILE`; `ops/cluster` writes one per ")
            .append("node), with\n`-Dpaxlog.*` system properties on top, or from code ")
            .append("(`NodeConfig.fromProperties(p).conclude()`). `conclude()` checks every\nsetting once and refuses ")
            .append("a bad one with a line naming the key, the value and the rule (exit code 2 from the scripts).\n")
            .append("Times are in the unit their name ends with; sizes in bytes.\n\n");
        section(sb, "Node", "The node's own settings (`NodeConfig`).", NodeSettings.SETTINGS);
        section(sb, "Protocol core", "The consensus core's settings (`CoreConfig`), read from the same properties. " +
            "Timeouts are on each member's own clock.", CoreConfig.SETTINGS);
        section(sb, "Client", "A client's settings are setters of `PaxlogClientContext` (`ops/client` takes " +
            "the members and the secret as options); `conclude()` checks them as the node's are checked.",
            PaxlogClientContext.SETTINGS);
        return sb.toString();
    }

    private static void section(final StringBuilder sb, final String title, final String intro,
        final List<Setting> settings)
    {
        sb.append("## ").append(title).append("\n\n").append(intro).append("\n\n")
            .append("| key | default | unit | range | meaning |\n|---|---|---|---|---|\n");
        for (final Setting s : settings)
        {
            sb.append("| `").append(s.key()).append("` | ").append(cell(s.defaultValue())).append(" | ")
                .append(cell(s.unit())).append(" | ").append(cell(s.range())).append(" | ").append(cell(s.meaning()))
                .append(" |\n");
        }
        sb.append('\n');
    }

    private static String cell(final String text)
    {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
