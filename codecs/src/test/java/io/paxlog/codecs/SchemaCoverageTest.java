package io.paxlog.codecs;

import static io.paxlog.codecs.CodecRoundTripTest.HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads the schema XML itself and fails when a message of the schema is not handled: unknown to
 * {@link FrameChecker}, laid out differently from what the checker expects, or missing from the test helpers and
 * round-trip tests. Frames here are built from the XML alone (zeroed fields, every group with one entry, every
 * var-data field three bytes long), independently of the generated encoders.
 */
class SchemaCoverageTest
{
    private static final String SBE_NAMESPACE = "http://fixprotocol.io/2016/sbe";
    private static final Map<String, Integer> PRIMITIVE_SIZES = Map.of(
        "char", 1, "int8", 1, "uint8", 1, "int16", 2, "uint16", 2,
        "int32", 4, "uint32", 4, "float", 4, "int64", 8, "uint64", 8);

    private static Element schema;
    private static final List<Element> MESSAGES = new ArrayList<>();
    private static final Map<String, Integer> TYPE_SIZES = new HashMap<>(PRIMITIVE_SIZES);

    @BeforeAll
    static void readSchema() throws Exception
    {
        try (InputStream in = SchemaCoverageTest.class.getResourceAsStream("/sbe/paxlog-schema.xml"))
        {
            assertNotNull(in, "schema on the classpath");
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            final Document document = factory.newDocumentBuilder().parse(in);
            schema = document.getDocumentElement();
            final NodeList enums = document.getElementsByTagName("enum");
            for (int i = 0; i < enums.getLength(); i++)
            {
                final Element e = (Element)enums.item(i);
                TYPE_SIZES.put(e.getAttribute("name"), PRIMITIVE_SIZES.get(e.getAttribute("encodingType")));
            }
            final NodeList messages = document.getElementsByTagNameNS(SBE_NAMESPACE, "message");
            for (int i = 0; i < messages.getLength(); i++)
            {
                MESSAGES.add((Element)messages.item(i));
            }
        }
        assertTrue(MESSAGES.size() > 0);
    }

    @Test
    void schemaIdentityMatchesTheGeneratedCodecs()
    {
        assertEquals(MessageHeaderDecoder.SCHEMA_ID, Integer.parseInt(schema.getAttribute("id")));
        assertEquals(MessageHeaderDecoder.SCHEMA_VERSION, Integer.parseInt(schema.getAttribute("version")));
    }

    @Test
    void everySchemaMessageIsCheckedWithTheLayoutTheSchemaDeclares() throws Exception
    {
        final FrameChecker checker = new FrameChecker(64 * 1024, 16, 1024);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
        for (final Element message : MESSAGES)
        {
            final String name = message.getAttribute("name");
            final int id = Integer.parseInt(message.getAttribute("id"));
            final int blockLength = blockLength(message);
            final Class<?> decoder = Class.forName("io.paxlog.codecs." + name + "Decoder");
            assertEquals(id, decoder.getField("TEMPLATE_ID").getInt(null), name);
            assertEquals(blockLength, decoder.getField("BLOCK_LENGTH").getInt(null), name);
            assertTrue(FrameChecker.isKnownTemplate(id), name + " (template " + id + ") is not handled");

            buffer.setMemory(0, buffer.capacity(), (byte)0);
            new MessageHeaderEncoder().wrap(buffer, 0).blockLength(blockLength).templateId(id)
                .schemaId(MessageHeaderDecoder.SCHEMA_ID).version(MessageHeaderDecoder.SCHEMA_VERSION);
            final int length = writeMembers(message, buffer, HEADER + blockLength);
            assertEquals(FrameCheck.OK, checker.check(buffer, 0, length), name);
            assertEquals(id, checker.templateId(), name);
            assertEquals(blockLength, checker.actingBlockLength(), name);
            assertEquals(FrameCheck.TRUNCATED, checker.check(buffer, 0, length - 1), name);
        }
    }

    @Test
    void checkerKnowsNoTemplateOutsideTheSchema()
    {
        final TreeSet<Integer> schemaIds = schemaTemplateIds();
        final TreeSet<Integer> known = new TreeSet<>();
        for (int id = -1; id <= 0x10000; id++)
        {
            if (FrameChecker.isKnownTemplate(id))
            {
                known.add(id);
            }
        }
        assertEquals(schemaIds, known);
    }

    @Test
    void testHelpersAndRoundTripTestsCoverEveryMessage()
    {
        final TreeSet<Integer> helperIds = new TreeSet<>();
        for (final int id : RandomFrames.TEMPLATE_IDS)
        {
            helperIds.add(id);
        }
        assertEquals(schemaTemplateIds(), helperIds, "RandomFrames.TEMPLATE_IDS");

        for (final Element message : MESSAGES)
        {
            final String name = message.getAttribute("name");
            final String method = Character.toLowerCase(name.charAt(0)) + name.substring(1);
            if (!hasMethod(CodecRoundTripTest.class, method) && !hasMethod(ClientCodecRoundTripTest.class, method))
            {
                fail("no round-trip test for " + name + ": add " + method + "() to a round-trip test");
            }
        }
    }

    private static TreeSet<Integer> schemaTemplateIds()
    {
        final TreeSet<Integer> ids = new TreeSet<>();
        for (final Element message : MESSAGES)
        {
            ids.add(Integer.parseInt(message.getAttribute("id")));
        }

        return ids;
    }

    private static boolean hasMethod(final Class<?> type, final String name)
    {
        for (final Method method : type.getDeclaredMethods())
        {
            if (method.getName().equals(name))
            {
                return true;
            }
        }

        return false;
    }

    /** Sum of the sizes of the {@code field} children of a message or group (no explicit offsets in the schema). */
    private static int blockLength(final Element block)
    {
        int length = 0;
        for (final Element field : children(block, "field"))
        {
            assertEquals("", field.getAttribute("offset"), "explicit offsets are not modelled by this test");
            final Integer size = TYPE_SIZES.get(field.getAttribute("type"));
            assertNotNull(size, "unknown field type " + field.getAttribute("type") + ": extend this test");
            length += size;
        }

        return length;
    }

    /** Writes every group (one zeroed entry each) and var-data field (three bytes) of a block from position. */
    private static int writeMembers(final Element block, final UnsafeBuffer buffer, final int position)
    {
        int limit = position;
        for (final Element group : children(block, "group"))
        {
            final int entryLength = blockLength(group);
            buffer.putShort(limit, (short)entryLength, MessageHeaderDecoder.BYTE_ORDER);
            buffer.putShort(limit + 2, (short)1, MessageHeaderDecoder.BYTE_ORDER);
            limit = writeMembers(group, buffer, limit + GroupSizeEncodingDecoder.ENCODED_LENGTH + entryLength);
        }
        for (final Element ignored : children(block, "data"))
        {
            buffer.putInt(limit, 3, MessageHeaderDecoder.BYTE_ORDER);
            buffer.putBytes(limit + 4, new byte[]{ 'a', 'b', 'c' });
            limit += 7;
        }

        return limit;
    }

    private static List<Element> children(final Element parent, final String tag)
    {
        final List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); null != node; node = node.getNextSibling())
        {
            if (node instanceof Element && tag.equals(node.getLocalName()))
            {
                children.add((Element)node);
            }
        }

        return children;
    }
}
