package io.paxlog.ops;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Random;
import java.util.SplittableRandom;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package rules, checked on the compiled production classes under {@code io.paxlog} of every module (ops sees them
 * all). The module boundaries themselves (the client artifact without the server, Chronicle or the core; the core and
 * the simulator without Aeron or Chronicle) are enforced by the build (maven-enforcer-plugin's bannedDependencies in
 * each module's pom); these rules hold inside and across the modules:
 * <ul>
 *   <li>no cycle between the packages: each {@code io.paxlog.X} with its subpackages is one slice;</li>
 *   <li>nothing a node or a client runs (core, replica, node, client, protocol, auth, codecs, state machines)
 *       reaches the simulator ({@code io.paxlog.sim}) or the checker ({@code io.paxlog.check}); only the tools in
 *       ops and bench use them;</li>
 *   <li>the client depends on neither the node nor the core: what both sides share is in the codecs
 *       ({@code ProtocolLimits}, {@code ProtocolText}) and {@code io.paxlog.protocol};</li>
 *   <li>{@code io.paxlog.protocol}, shared by client and node, depends on neither, nor on the core;</li>
 *   <li>the simulator and the checker reach neither the node nor the client runtime, nor Aeron or Chronicle;</li>
 *   <li>the core and the replica rules are pure (their package-info): no Aeron, Chronicle, threads or {@code java.util.concurrent}, clock
 *       reads ({@code System.nanoTime}, {@code currentTimeMillis}, {@code java.time}), {@code Random} or unseeded
 *       randomness, so the simulator and the node run the same code. This replaces the former CorePurityTest, which
 *       read the sources with regular expressions.</li>
 * </ul>
 * There are no exceptions: the rules hold for every class as it is.
 */
class ArchitectureTest
{
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses()
    {
        production = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.paxlog");
        // a rule over no classes passes: make sure the core, the node, the client and the simulator were found
        for (final String p : new String[] {"core", "replica", "node", "client", "sim", "check", "protocol", "auth",
            "codecs", "sm", "ops", "bench"})
        {
            assertTrue(production.stream().anyMatch(c -> c.getPackageName().equals("io.paxlog." + p)),
                "found the classes of io.paxlog." + p);
        }
    }

    @Test
    void packagesAreFreeOfCycles()
    {
        slices().matching("io.paxlog.(*)..").should().beFreeOfCycles().check(production);
    }

    /** The tools ({@code ops/sim}'s SimMain, the bench's checker runs) may; what a member or a client runs may not. */
    @Test
    void nothingANodeOrAClientRunsDependsOnTheSimulator()
    {
        noClasses().that().resideInAnyPackage("io.paxlog.core..", "io.paxlog.replica..", "io.paxlog.node..",
            "io.paxlog.client..", "io.paxlog.protocol..", "io.paxlog.auth..", "io.paxlog.codecs..", "io.paxlog.sm..")
            .should().dependOnClassesThat().resideInAnyPackage("io.paxlog.sim..", "io.paxlog.check..")
            .check(production);
    }

    @Test
    void theClientDependsOnNeitherTheNodeNorTheCore()
    {
        noClasses().that().resideInAPackage("io.paxlog.client..")
            .should().dependOnClassesThat().resideInAnyPackage("io.paxlog.node..", "io.paxlog.core..")
            .check(production);
    }

    @Test
    void theSharedProtocolPackageDependsOnNoSide()
    {
        noClasses().that().resideInAPackage("io.paxlog.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.paxlog.node..", "io.paxlog.client..",
                "io.paxlog.core..", "io.paxlog.sim..")
            .check(production);
    }

    @Test
    void theSimulatorRunsNoRuntime()
    {
        noClasses().that().resideInAnyPackage("io.paxlog.sim..", "io.paxlog.check..")
            .should().dependOnClassesThat().resideInAnyPackage("io.paxlog.node..", "io.paxlog.client..", "io.aeron..",
                "net.openhft..")
            .check(production);
    }

    /** On the bytecode, so a fully qualified name or a static import is caught as well as an import line. */
    @Test
    void theCoreIsPure()
    {
        noClasses().that().resideInAnyPackage("io.paxlog.core..", "io.paxlog.replica..")
            .should().dependOnClassesThat().resideInAnyPackage("io.aeron..", "net.openhft..", "java.util.concurrent..")
            .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, ThreadLocal.class, Clock.class, Random.class)
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(Math.class, "random")
            .orShould().callMethodWhere(DescribedPredicate.describe("a java.time clock read (now)",
                call -> call.getTargetOwner().getPackageName().equals("java.time") && call.getName().equals("now")))
            .orShould().callConstructor(SplittableRandom.class)
            .because("the core is a deterministic step function: time arrives as nowNs and randomness from the " +
                "configured seed (core/package-info)")
            .check(production);
    }
}
