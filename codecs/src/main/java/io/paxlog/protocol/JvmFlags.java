package io.paxlog.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags Paxlog needs on JDK 17 and later, checked at start so that a missing one is one line naming the flag
 * to add instead of an {@link IllegalAccessError} deep inside Agrona or Chronicle. A client needs {@link #CLIENT}
 * (Agrona reaches {@code jdk.internal.misc.Unsafe}); a node needs {@link #NODE} (Chronicle Queue's as well). The
 * launchers pass {@link #NODE} from {@code ops/lib/jvm.flags}, Maven's tests from the parent pom's
 * {@code paxlog.jvm.flags}; a test checks that both list exactly these (plus
 * {@code -Dchronicle.analytics.disable=true}).
 *
 * <p>Threading: stateless; the check reads the boot layer's module graph.
 */
public final class JvmFlags
{
    /** What a client (and the Agrona and Aeron classes it uses) needs. */
    public static final List<String> CLIENT = List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    /** What a node needs: the client's, and Chronicle Queue's. */
    public static final List<String> NODE = List.of(
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");

    private JvmFlags()
    {
    }

    /**
     * The flags of {@code flags} this JVM does not run with, in order: an {@code --add-exports=M/P=ALL-UNNAMED} whose
     * package P of module M is not exported to the unnamed module, an {@code --add-opens} whose package is not open
     * to it. A module the JVM does not have (a JRE without {@code jdk.compiler}) counts as satisfied: nothing can
     * reach into it.
     */
    public static List<String> missing(final List<String> flags)
    {
        final Module unnamed = JvmFlags.class.getClassLoader() == null ? ClassLoader.getSystemClassLoader()
            .getUnnamedModule() : JvmFlags.class.getClassLoader().getUnnamedModule();
        final List<String> missing = new ArrayList<>();
        for (final String flag : flags)
        {
            final boolean opens = flag.startsWith("--add-opens=");
            if (!opens && !flag.startsWith("--add-exports="))
            {
                throw new IllegalArgumentException("not an --add-exports or --add-opens flag: " + flag);
            }
            final String target = flag.substring(flag.indexOf('=') + 1);
            final int slash = target.indexOf('/');
            final int equals = target.indexOf('=');
            if (slash < 1 || equals < slash)
            {
                throw new IllegalArgumentException("expected --add-xxx=MODULE/PACKAGE=ALL-UNNAMED: " + flag);
            }
            final Optional<Module> module = ModuleLayer.boot().findModule(target.substring(0, slash));
            final String pkg = target.substring(slash + 1, equals);
            if (module.isPresent() && !(opens ? module.get().isOpen(pkg, unnamed) :
                module.get().isExported(pkg, unnamed)))
            {
                missing.add(flag);
            }
        }
        return missing;
    }

    /**
     * Throws {@link IllegalStateException} with one line naming every flag of {@code flags} this JVM lacks, for
     * {@code who} ("paxlog client", "paxlog node"); returns quietly when none is missing.
     */
    public static void require(final String who, final List<String> flags)
    {
        final List<String> missing = missing(flags);
        if (!missing.isEmpty())
        {
            throw new IllegalStateException(who + ": this JVM needs " + String.join(" ", missing) + " on its " +
                "command line (before the class name or -jar; docs/guide.md, \"JVM flags\")");
        }
    }
}
