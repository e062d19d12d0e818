package io.paxlog.auth;

import io.paxlog.testing.ScratchDirs;
import io.paxlog.protocol.ConfigException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allocation-free HMAC is the standard one, allocates nothing, and the frame authenticator uses it as said. */
class HmacSha256Test
{
    private static byte[] jdkMac(final byte[] key, final byte[] message) throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(message);
    }

    @Test
    void rfc4231TestCase2()
    {
        final byte[] out = new byte[32];
        new HmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII))
            .update("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII), 0, 28).finish(out, 0, 32);
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", HexFormat.of().formatHex(out));
    }

    @Test
    void equalsJavaxCryptoMacForManyKeysAndMessagesOnHeapAndOffHeap() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300; i++)
        {
            final byte[] key = new byte[1 + random.nextInt(150)]; // shorter and longer than a block
            final byte[] message = new byte[random.nextInt(9000)];
            for (int k = 0; k < key.length; k++)
            {
                key[k] = (byte)random.nextInt(256);
            }
            for (int k = 0; k < message.length; k++)
            {
                message[k] = (byte)random.nextInt(256);
            }
            final byte[] expected = jdkMac(key, message);
            final HmacSha256 mac = new HmacSha256(key);
            final byte[] onHeap = new byte[32];
            final int off = message.length / 3;
            mac.update(new UnsafeBuffer(message), 0, off).update(new UnsafeBuffer(message), off, message.length - off)
                .finish(onHeap, 0, 32);
            assertArrayEquals(expected, onHeap);
            final ByteBuffer direct = ByteBuffer.allocateDirect(message.length + 5);
            final UnsafeBuffer offHeap = new UnsafeBuffer(direct);
            offHeap.putBytes(5, message);
            final byte[] fromDirect = new byte[16];
            mac.update(offHeap, 5, message.length).finish(fromDirect, 0, 16);
            assertArrayEquals(Arrays.copyOf(expected, 16), fromDirect, "truncated to 128 bits, off-heap input");
        }
    }

    @Test
    void signingAndVerifyingFramesAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final HmacFrameAuthenticator authenticator = new HmacFrameAuthenticator(new byte[32], new byte[16]);
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        for (int i = 0; i < 20_000; i++)
        {
            authenticator.sign(frame, 0, 1000, 1000);
            assertTrue(authenticator.verify(frame, 0, 1000, 1000));
        }
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 100_000; i++)
        {
            authenticator.sign(frame, 0, 1000, 1000);
            authenticator.verify(frame, 0, 1000, 1000);
        }
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 1000, "bytes allocated by 100,000 signs and verifies: " + allocated);
    }

    @Test
    void verifyAcceptsTheSecondKeyAndRefusesAnyFlippedBit()
    {
        final byte[] oldKey = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        final byte[] newKey = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[100]);
        frame.putStringWithoutLengthAscii(0, "a consensus frame");
        new HmacFrameAuthenticator(oldKey).sign(frame, 0, 80, 80);
        assertTrue(new HmacFrameAuthenticator(newKey, oldKey).verify(frame, 0, 80, 80), "rotation: old key accepted");
        assertFalse(new HmacFrameAuthenticator(newKey).verify(frame, 0, 80, 80), "another key refuses it");
        final HmacFrameAuthenticator verifier = new HmacFrameAuthenticator(oldKey);
        for (int bit = 0; bit < 96 * 8; bit++)
        {
            frame.putByte(bit / 8, (byte)(frame.getByte(bit / 8) ^ (1 << (bit % 8))));
            assertFalse(verifier.verify(frame, 0, 80, 80), "bit " + bit);
            frame.putByte(bit / 8, (byte)(frame.getByte(bit / 8) ^ (1 << (bit % 8))));
        }
        assertTrue(verifier.verify(frame, 0, 80, 80));
    }

    @Test
    void secretFilesAreHexOrBase64OfAtLeast16BytesAndErrorsNameTheKey() throws Exception
    {
        final Path dir = ScratchDirs.create("paxlog-secret");
        final Path hex = Files.writeString(dir.resolve("hex"), "00112233445566778899aabbccddeeff\n");
        assertEquals(16, SecretFile.read("k", hex.toString()).length);
        final Path b64 = Files.writeString(dir.resolve("b64"), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        assertEquals(32, SecretFile.read("k", b64.toString()).length);
        final Path shortOne = Files.writeString(dir.resolve("short"), "0011223344556677");
        final ConfigException tooShort = assertThrows(ConfigException.class,
            () -> SecretFile.read("paxlog.cluster.secret.file", shortOne.toString()));
        assertTrue(tooShort.getMessage().startsWith("paxlog.cluster.secret.file=" + shortOne + ": "),
            tooShort.getMessage());
        assertTrue(tooShort.getMessage().contains("at least 16 bytes"), tooShort.getMessage());
        final ConfigException missing = assertThrows(ConfigException.class,
            () -> SecretFile.read("paxlog.client.secret.file", dir.resolve("none").toString()));
        assertTrue(missing.getMessage().startsWith("paxlog.client.secret.file="), missing.getMessage());
        final Path junk = Files.writeString(dir.resolve("junk"), "not a secret at all!");
        assertThrows(ConfigException.class, () -> SecretFile.read("k", junk.toString()));
    }
}
