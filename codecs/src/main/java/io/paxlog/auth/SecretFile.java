package io.paxlog.auth;

import io.paxlog.protocol.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Reads a secret from a file named by a setting: the file holds the secret as hex or base64 text (whitespace
 * ignored), at least {@link #BYTES_MIN} bytes once decoded. Secrets live in files, never in properties, so they stay
 * out of process listings, properties dumps and logs. Errors name the setting: {@code KEY=PATH: rule}.
 */
public final class SecretFile
{
    /** The shortest secret accepted, in bytes (128 bits). */
    public static final int BYTES_MIN = 16;
    /** The longest secret file read, in characters. */
    private static final long FILE_CHARS_MAX = 4096;

    private SecretFile()
    {
    }

    /**
     * The decoded secret in the file {@code path}, which setting {@code key} named.
     *
     * @throws ConfigException naming {@code key} when the file cannot be read, is not hex or base64, or is short.
     */
    public static byte[] read(final String key, final String path)
    {
        final Path file = Path.of(path);
        final String text;
        try
        {
            if (Files.size(file) > FILE_CHARS_MAX)
            {
                throw new ConfigException(key, path, "the secret file is larger than " + FILE_CHARS_MAX + " bytes");
            }
            text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).replaceAll("\\s", "");
        }
        catch (final IOException | SecurityException ex)
        {
            throw new ConfigException(key, path, "cannot read the secret file (" + ex.getClass().getSimpleName() +
                (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + ")");
        }
        final byte[] secret = decode(text);
        if (secret == null)
        {
            throw new ConfigException(key, path, "the secret file must hold hex or base64 text");
        }
        if (secret.length < BYTES_MIN)
        {
            throw new ConfigException(key, path, "the secret must be at least " + BYTES_MIN + " bytes; the file " +
                "holds " + secret.length);
        }
        return secret;
    }

    /** Hex (an even number of hex digits) or else base64 (standard or URL-safe); null if neither. */
    static byte[] decode(final String text)
    {
        if (text.isEmpty())
        {
            return new byte[0];
        }
        if (text.length() % 2 == 0 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        {
            final byte[] bytes = new byte[text.length() / 2];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = (byte)Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
            }
            return bytes;
        }
        try
        {
            return Base64.getDecoder().decode(text);
        }
        catch (final IllegalArgumentException ex)
        {
            try
            {
                return Base64.getUrlDecoder().decode(text);
            }
            catch (final IllegalArgumentException ex2)
            {
                return null;
            }
        }
    }
}
