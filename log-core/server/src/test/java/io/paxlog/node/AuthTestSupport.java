package io.paxlog.node;

import io.aeron.Aeron;
import io.aeron.Publication;
import io.paxlog.auth.HmacFrameAuthenticator;
import io.paxlog.codecs.AcceptEncoder;
import io.paxlog.codecs.AcceptedEncoder;
import io.paxlog.codecs.CommandRequestEncoder;
import io.paxlog.codecs.EntryType;
import io.paxlog.codecs.MessageHeaderEncoder;
import io.paxlog.codecs.PrepareEncoder;
import io.paxlog.codecs.ProtocolLimits;
import io.paxlog.protocol.Member;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/** Secrets for a test cluster, and a rogue that sends real, well-formed frames on the members' own channels. */
final class AuthTestSupport
{
    static final long CLUSTER_ID = 0x5EC0_0001L;

    private AuthTestSupport()
    {
    }

    /** A random secret of {@code bytes} bytes written as hex to {@code file}. */
    static byte[] writeSecret(final Path file, final int bytes) throws IOException
    {
        final byte[] secret = new byte[bytes];
        new SecureRandom().nextBytes(secret);
        Files.writeString(file, HexFormat.of().formatHex(secret) + "\n");
        return secret;
    }

    /** Node settings with a cluster id and fresh cluster and client secrets under {@code dir}. */
    static Properties secured(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        writeSecret(dir.resolve("cluster.secret"), 32);
        writeSecret(dir.resolve("client.secret"), 32);
        final Properties p = new Properties();
        p.setProperty(NodeConfig.CLUSTER_ID_PROP, Long.toString(CLUSTER_ID));
        p.setProperty(NodeConfig.CLUSTER_SECRET_FILE_PROP, dir.resolve("cluster.secret").toString());
        p.setProperty(NodeConfig.CLIENT_SECRET_FILE_PROP, dir.resolve("client.secret").toString());
        return p;
    }

    static byte[] secret(final Path dir, final String name) throws IOException
    {
        return HexFormat.of().parseHex(Files.readString(dir.resolve(name)).trim());
    }

    /**
     * Waits until every node in {@code ids} has applied {@code key = value} and knows the same commit slot, so that
     * figures taken next are stable (an idle cluster writes nothing).
     */
    static void awaitSettled(final InvokedCluster cluster, final int[] ids, final String key, final long value)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline)
        {
            boolean settled = true;
            final long commit = cluster.status(ids[0]).commitSlot();
            for (final int id : ids)
            {
                final NodeAgent.NodeStatus s = cluster.status(id);
                settled &= cluster.machines[id].valueOf(key) == value && s.commitSlot() == commit &&
                    s.appliedSlot() == commit;
            }
            if (settled)
            {
                Thread.sleep(50); // and still so after a few heartbeats
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("nodes did not settle at " + key + "=" + value);
    }

    /** Node {@code id}'s authentication counters (suffix of the label -> value), as AeronStat shows them. */
    static Map<String, Long> counters(final InvokedCluster cluster, final int id)
    {
        return NodeCountersTest.read(cluster, id);
    }

    /**
     * Frames encoded with the real encoders and sealed in an envelope with any key, cluster id and claimed sender,
     * offered on publications of its own (through node 0's media driver) to the members' consensus and client
     * channels.
     */
    static final class Rogue implements AutoCloseable
    {
        private final Aeron aeron;
        private final Publication[] consensus;
        private final Publication[] clients;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final int memberCount;

        Rogue(final InvokedCluster cluster, final String aeronDir)
        {
            this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));
            final Member[] members = cluster.members();
            this.memberCount = members.length;
            consensus = new Publication[members.length];
            clients = new Publication[members.length];
            for (int i = 0; i < members.length; i++)
            {
                consensus[i] = aeron.addPublication(members[i].consensusChannel(), ProtocolLimits.CONSENSUS_STREAM);
                clients[i] = aeron.addPublication(members[i].clientChannel(), ProtocolLimits.CLIENT_STREAM);
            }
        }

        /** An envelope as member {@code claimedSender} of cluster {@code clusterId} would seal it with {@code key}. */
        FrameEnvelope envelope(final byte[] key, final long clusterId, final int claimedSender)
        {
            return new FrameEnvelope(new HmacFrameAuthenticator(key), clusterId, claimedSender, memberCount);
        }

        /** Encodes a Prepare after the envelope prefix; returns the SBE frame length. */
        int prepare(final int fromNodeId, final long ballot, final long fromSlot)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new PrepareEncoder()
                .wrapAndApplyHeader(buffer, FrameEnvelope.PREFIX_LENGTH, header).fromNodeId(fromNodeId).ballot(ballot)
                .fromSlot(fromSlot).sendTimeNs(System.nanoTime()).encodedLength();
        }

        /** An Accept of {@code commands} copies of {@code payload} from {@code firstSlot}. */
        int accept(final int fromNodeId, final long ballot, final long commitSlot, final long firstSlot,
            final long sessionId, final byte[] payload, final int commands)
        {
            final AcceptEncoder accept = new AcceptEncoder();
            accept.wrapAndApplyHeader(buffer, FrameEnvelope.PREFIX_LENGTH, header).fromNodeId(fromNodeId).ballot(ballot)
                .sendTimeNs(System.nanoTime()).commitSlot(commitSlot).firstSlot(firstSlot);
            final AcceptEncoder.EntriesEncoder entries = accept.entriesCount(commands);
            for (int i = 0; i < commands; i++)
            {
                entries.next().entryType(EntryType.COMMAND).sessionId(sessionId).sequence(1_000 + i)
                    .timestampNs(System.nanoTime()).putPayload(payload, 0, payload.length);
            }
            return MessageHeaderEncoder.ENCODED_LENGTH + accept.encodedLength();
        }

        int accepted(final int fromNodeId, final long ballot, final long ackSlot)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new AcceptedEncoder()
                .wrapAndApplyHeader(buffer, FrameEnvelope.PREFIX_LENGTH, header).fromNodeId(fromNodeId).ballot(ballot)
                .echoSendTimeNs(System.nanoTime()).ackSlot(ackSlot).encodedLength();
        }

        /** A client's CommandRequest encoded at {@code offset} (the prefix for the consensus channel, 0 bare). */
        int command(final int offset, final long sessionId, final long sequence, final byte[] payload)
        {
            return MessageHeaderEncoder.ENCODED_LENGTH + new CommandRequestEncoder()
                .wrapAndApplyHeader(buffer, offset, header).sessionId(sessionId).sequence(sequence)
                .putPayload(payload, 0, payload.length).encodedLength();
        }

        /** Seals the frame just encoded and sends it {@code times} times to member {@code to}'s consensus channel. */
        void sealAndSend(final FrameEnvelope envelope, final int frameLength, final int to, final int times)
        {
            sendRaw(to, envelope.seal(buffer, frameLength), times);
        }

        /** Sends the first {@code length} bytes of the buffer as they are to member {@code to}'s consensus channel. */
        void sendRaw(final int to, final int length, final int times)
        {
            for (int i = 0; i < times; i++)
            {
                offer(consensus[to], length);
            }
        }

        /** Sends the bare frame at 0 of the buffer to member {@code to}'s client channel. */
        void sendToClientChannel(final int to, final int length, final int times)
        {
            for (int i = 0; i < times; i++)
            {
                offer(clients[to], length);
            }
        }

        private void offer(final Publication publication, final int length)
        {
            final long deadline = System.nanoTime() + 5_000_000_000L; // a live member connects within it
            while (publication.offer(buffer, 0, length) < 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("rogue could not send for 5 s");
                }
                Thread.onSpinWait();
            }
        }

        public void close()
        {
            aeron.close();
        }
    }
}
