package io.paxlog.node;

import io.paxlog.core.Membership;
import io.paxlog.protocol.Member;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which senders a node hears and how it learns members' addresses from configuration entries. */
class AddressBookTest
{
    private static final Member[] FIRST = Member.parseList("0=10.0.0.1:20001:20002,1=10.0.0.2:20001:20002," +
        "2=10.0.0.3:20001:20002");

    @Test
    void aConfigurationEntryTeachesNewAndMovedAddressesOnce()
    {
        final AddressBook book = new AddressBook(0, FIRST);
        final List<Member> told = new ArrayList<>();
        book.listener(told::add);
        assertEquals(List.of(FIRST[1], FIRST[2]), told, "the members known at start, itself excepted");
        told.clear();

        final byte[] entry = payload(Membership.of(0b1111, 0, 3, 2),
            "0=10.0.0.1:20001:20002,1=10.0.0.2:20001:20002,2=10.0.0.9:20001:20002,3=10.0.0.4:20001:20002");
        assertTrue(book.learnConfig(entry, 0, entry.length));
        assertEquals(List.of(new Member(2, "10.0.0.9", 20001, 20002), new Member(3, "10.0.0.4", 20001, 20002)), told,
            "member 2 moved, member 3 is new");
        assertTrue(book.learnConfig(entry, 0, entry.length));
        assertEquals(2, told.size(), "the same entry again teaches nothing");
        assertEquals("3=10.0.0.4:20001:20002", Member.format(book.list(1L << 3)));
        assertEquals("0=10.0.0.1:20001:20002,1=10.0.0.2:20001:20002,2=10.0.0.9:20001:20002,3=10.0.0.4:20001:20002",
            new String(book.tail(0b1111), StandardCharsets.UTF_8));
    }

    @Test
    void aNodeKeepsItsOwnAddress()
    {
        final AddressBook book = new AddressBook(0, FIRST);
        final byte[] entry = payload(Membership.firstN(3, 2, 2), "0=10.9.9.9:1:2");
        assertTrue(book.learnConfig(entry, 0, entry.length));
        assertEquals(FIRST[0], book.member(0));
    }

    @Test
    void malformedTailsAreRefusedAndEmptyOnesTeachNothing()
    {
        final Membership m = Membership.firstN(3, 2, 2);
        assertNull(AddressBook.parseTail(payload(m, "0=10.0.0.1:1"), 0, payload(m, "0=10.0.0.1:1").length));
        assertNull(AddressBook.parseTail(payload(m, "64=10.0.0.1:1:2"), 0, payload(m, "64=10.0.0.1:1:2").length));
        assertNull(AddressBook.parseTail(payload(m, "1=a:1:2,1=b:1:2"), 0, payload(m, "1=a:1:2,1=b:1:2").length),
            "an id listed twice");
        assertNull(AddressBook.parseTail(new byte[3], 0, 3), "shorter than the header");
        final byte[] empty = payload(m, "");
        assertArrayEquals(new Member[0], AddressBook.parseTail(empty, 0, empty.length));
        final AddressBook book = new AddressBook(0, FIRST);
        final byte[] bad = payload(m, "5=host?x=1:1:2");
        assertFalse(book.learnConfig(bad, 0, bad.length), "a host that would inject channel parameters");
        assertFalse(book.known(5));
    }

    @Test
    void onlyAJoinerOutsideEveryConfigurationHearsIdsWithoutAddresses()
    {
        final AddressBook book = new AddressBook(5, new Member[] {FIRST[0], new Member(5, "10.0.0.6", 1, 2)});
        assertTrue(book.hears(0));
        assertFalse(book.hears(3), "no address: no member's frame");
        book.hearUnknown(true);
        assertTrue(book.hears(3), "a joiner does not know who leads yet");
        assertFalse(book.hears(64));
        assertFalse(book.hears(-1));
        book.hearUnknown(false);
        assertFalse(book.hears(3));
        assertNotNull(book.member(5));
    }

    private static byte[] payload(final Membership m, final String tail)
    {
        return NodeAgent.configPayload(m, tail.getBytes(StandardCharsets.UTF_8));
    }
}
