package io.paxlog.node;

import io.paxlog.core.NackReason;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The core's and the wire's nack reasons are the same set of names, and each maps to its namesake both ways. */
class NackReasonsTest
{
    @Test
    void theTwoEnumsNameTheSameReasonsAndMapByName()
    {
        final Set<String> core = Arrays.stream(NackReason.values()).map(Enum::name)
            .collect(Collectors.toCollection(TreeSet::new));
        final Set<String> wire = Arrays.stream(io.paxlog.codecs.NackReason.values())
            .filter(r -> r != io.paxlog.codecs.NackReason.NULL_VAL).map(Enum::name)
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(wire, core, "the core's NackReason and the schema's must list the same reasons");
        for (final NackReason reason : NackReason.values())
        {
            final io.paxlog.codecs.NackReason onWire = NackReasons.toWire(reason);
            assertEquals(reason.name(), onWire.name());
            assertEquals(reason, NackReasons.fromWire(onWire.value()));
        }
        assertNull(NackReasons.fromWire((short)200), "an unknown value is no reason (the frame is dropped)");
        assertNull(NackReasons.fromWire((short)-1));
    }
}
