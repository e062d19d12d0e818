package io.paxlog.node;

import io.paxlog.core.Membership;
import io.paxlog.protocol.Member;
import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.Machines;
import io.paxlog.sm.ResponseSink;
import io.paxlog.sm.SnapshotWriter;
import io.paxlog.sm.StateMachineHost;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A snapshot carries the configuration in force at its slot, with the members' addresses, beside the machines. */
class NodeSnapshotTest
{
    private static final Member[] FIRST = Member.parseList("0=127.0.0.1:20001:20002,1=127.0.0.1:20003:20004," +
        "2=127.0.0.1:20005:20006");

    @Test
    void theConfigurationAndItsAddressesTravelWithTheMachines()
    {
        final StateMachineHost host = hostWithCounter(7);
        final AddressBook book = new AddressBook(0, FIRST);
        final NodeSnapshot content = new NodeSnapshot(host, book,
            NodeAgent.configPayload(Membership.firstN(3, 2, 2), book.tail(0b111)));
        final Membership later = Membership.of(0b1110, 0, 2, 2); // voters 1, 2, 3
        final byte[] tail = "1=127.0.0.1:20003:20004,2=127.0.0.1:20005:20006,3=10.0.0.9:21001:21002"
            .getBytes(StandardCharsets.UTF_8);
        final byte[] payload = NodeAgent.configPayload(later, tail);
        content.applied(payload, 0, payload.length);
        final SnapshotWriter w = new SnapshotWriter();
        content.write(w);

        final StateMachineHost joinerHost = hostWithCounter(0);
        final AddressBook joinerBook = new AddressBook(3, new Member[] {FIRST[0], new Member(3, "10.0.0.9", 21001,
            21002)});
        final NodeSnapshot joiner = new NodeSnapshot(joinerHost, joinerBook,
            NodeAgent.configPayload(Membership.firstN(3, 2, 2), new byte[0]));
        final Membership restored = joiner.restore(w.buffer(), 0, w.length());

        assertEquals(later, restored);
        assertEquals(later, joiner.membership(), "the restored configuration goes into the joiner's next snapshot");
        assertTrue(joinerBook.known(1) && joinerBook.known(2), "the joiner learned the members' addresses");
        assertEquals("127.0.0.1", joinerBook.member(2).host());
        assertEquals(7, counter(joinerHost), "the machines came along");
    }

    @Test
    void aSnapshotWithoutAConfigurationRestoresTheMachinesOnly()
    {
        final StateMachineHost old = hostWithCounter(5);
        final SnapshotWriter w = new SnapshotWriter();
        old.snapshot(w); // the format before configurations were kept: the host's bytes alone
        final StateMachineHost host = hostWithCounter(0);
        final NodeSnapshot content = new NodeSnapshot(host, new AddressBook(0, FIRST),
            NodeAgent.configPayload(Membership.firstN(3, 2, 2), new byte[0]));

        assertNull(content.restore(w.buffer(), 0, w.length()));
        assertEquals(5, counter(host));
        assertEquals(Membership.firstN(3, 2, 2), content.membership(), "the configuration it had stays");
    }

    @Test
    void aMalformedConfigurationIsRefusedBeforeTheMachinesAreTouched()
    {
        final StateMachineHost source = hostWithCounter(9);
        final SnapshotWriter w = new SnapshotWriter();
        final byte[] bad = NodeAgent.configPayload(Membership.firstN(3, 2, 2),
            "0=127.0.0.1:1".getBytes(StandardCharsets.UTF_8)); // an address without its client port
        w.writeInt(NodeSnapshot.MAGIC).writeBytes(bad);
        source.snapshot(w);
        final StateMachineHost host = hostWithCounter(4);
        final NodeSnapshot content = new NodeSnapshot(host, new AddressBook(0, FIRST),
            NodeAgent.configPayload(Membership.firstN(3, 2, 2), new byte[0]));

        assertThrows(IllegalStateException.class, () -> content.restore(new UnsafeBuffer(copy(w)), 0, w.length()));
        assertEquals(4, counter(host), "nothing restored");
    }

    private static byte[] copy(final SnapshotWriter w)
    {
        final byte[] bytes = new byte[w.length()];
        w.buffer().getBytes(0, bytes);
        return bytes;
    }

    private static StateMachineHost hostWithCounter(final long value)
    {
        final StateMachineHost host = new StateMachineHost(ResponseSink.NONE, Machines.standard());
        if (value != 0)
        {
            final byte[] open = StateMachineHost.openEvent(60_000, 64);
            host.apply(1, 1_000, 42, 0, new UnsafeBuffer(open), 0, open.length);
            final byte[] add = CounterMachine.add("x", value);
            assertEquals(StateMachineHost.APPLIED, host.apply(2, 2_000, 42, 1, new UnsafeBuffer(add), 0, add.length));
        }
        return host;
    }

    private static long counter(final StateMachineHost host)
    {
        final byte[] get = CounterMachine.get("x");
        assertTrue(host.query(new UnsafeBuffer(get), 0, get.length));
        final byte[] result = new byte[host.resultLength()];
        host.result().getBytes(0, result);
        return CounterMachine.valueOf(result);
    }
}
