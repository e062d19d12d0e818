package io.paxlog.node;

import io.paxlog.auth.HmacFrameAuthenticator;
import io.paxlog.client.PaxlogClientContext;
import io.paxlog.codecs.AcceptEncoder;
import io.paxlog.codecs.CatchupResponseEncoder;
import io.paxlog.codecs.GroupSizeEncodingEncoder;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.PromiseEncoder;
import io.paxlog.core.CoreConfig;
import io.paxlog.core.Entry;
import io.paxlog.core.FrameBudget;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pure core counts frame bytes with {@link FrameBudget}'s bounds, not the codecs; this ties the bounds to the
 * real encoding (SBE blocks, group and var-data headers, the authentication envelope), so a schema change that
 * outgrows them fails here instead of producing frames a member must refuse. Also ties the command-size limits
 * that must agree across the client, the node's adapter and the core.
 */
class FrameBudgetTest
{
    @Test
    void theBoundsCoverEveryEntryCarryingMessage()
    {
        final int fixed = FrameEnvelope.PREFIX_LENGTH + HmacFrameAuthenticator.TAG_LENGTH +
            MessageHeaderEncoder.ENCODED_LENGTH + GroupSizeEncodingEncoder.ENCODED_LENGTH +
            Math.max(PromiseEncoder.BLOCK_LENGTH, Math.max(AcceptEncoder.BLOCK_LENGTH, CatchupResponseEncoder.BLOCK_LENGTH));
        assertTrue(fixed <= FrameBudget.MESSAGE_OVERHEAD_BYTES, fixed + " bytes of fixed overhead");
        final int perEntry = Math.max(PromiseEncoder.EntriesEncoder.sbeBlockLength() +
            PromiseEncoder.EntriesEncoder.payloadHeaderLength(), Math.max(AcceptEncoder.EntriesEncoder.sbeBlockLength() +
            AcceptEncoder.EntriesEncoder.payloadHeaderLength(), CatchupResponseEncoder.EntriesEncoder.sbeBlockLength() +
            CatchupResponseEncoder.EntriesEncoder.payloadHeaderLength()));
        assertTrue(perEntry <= FrameBudget.ENTRY_OVERHEAD_BYTES, perEntry + " bytes of overhead per entry");

        // and the frames a member really sends (sealed, as they leave) are within the count for their entries
        final Map<String, byte[]> frames = ConsensusFrames.sealed();
        long entryBytes = 0;
        for (final Entry e : ConsensusFrames.entries())
        {
            entryBytes += FrameBudget.entryBytes(e);
        }
        for (final String kind : new String[]{ "promise", "accept", "catchup-response" })
        {
            final int length = frames.get(kind).length;
            assertTrue(length <= FrameBudget.frameBytes(entryBytes), kind + ": " + length + " bytes, counted as " +
                FrameBudget.frameBytes(entryBytes));
        }
    }

    @Test
    void theCommandLimitsAgree()
    {
        assertEquals(CoreConfig.COMMAND_BYTES_MAX_LIMIT, PaxlogClientContext.MAX_PAYLOAD_BYTES_LIMIT,
            "the client accepts exactly what a node may be configured to accept");
        assertEquals(CoreConfig.COMMAND_BYTES_MAX_LIMIT, ClientAdapter.PAYLOAD_MAX);
        assertTrue(FrameBudget.frameBytesForCommand(CoreConfig.COMMAND_BYTES_MAX_DEFAULT) <=
            CoreConfig.FRAME_LENGTH_MAX_DEFAULT, "the default command fits the default frame");
        assertTrue(CoreConfig.PROMISE_BYTES_MAX_DEFAULT + 8L * CoreConfig.FRAME_LENGTH_MAX_DEFAULT <=
            NodeAgent.HELD_BYTES_MAX, "the largest promise and a round of frames fit the held frames");
    }
}
