package io.paxlog.node;

import io.paxlog.auth.ClientAuthenticator;
import io.paxlog.auth.FrameAuthenticator;
import io.paxlog.auth.HmacFrameAuthenticator;
import io.paxlog.auth.SecretFile;
import io.paxlog.auth.SharedSecretClientAuthenticator;
import io.paxlog.protocol.ConfigException;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The authentication settings of a node, validated once by {@link NodeConfig#conclude()} (secret files are read
 * there, so a missing, unreadable or short one stops the node at start with a line naming the key):
 * <ul>
 *   <li>members: {@value NodeConfig#CLUSTER_SECRET_FILE_PROP} (on when set; HMAC-SHA256/128 envelopes),
 *       {@value NodeConfig#CLUSTER_SECRET_ACCEPT_FILE_PROP} (a second secret accepted, for rotation),
 *       {@value NodeConfig#CLUSTER_ID_PROP}, or a {@link FrameAuthenticator} class in
 *       {@value NodeConfig#CLUSTER_AUTHENTICATOR_PROP};</li>
 *   <li>clients and admin requests: {@value NodeConfig#CLIENT_SECRET_FILE_PROP},
 *       {@value NodeConfig#CLIENT_SECRET_ACCEPT_FILE_PROP}, {@value NodeConfig#CLIENT_AUTH_WINDOW_PROP}, or a
 *       {@link ClientAuthenticator} class in {@value NodeConfig#CLIENT_AUTHENTICATOR_PROP}.</li>
 * </ul>
 * Each part is off when nothing configures it: the node then works as before authentication existed and says so
 * in one warning line at start ({@link #warning()}). Each node gets fresh authenticator instances (they hold
 * per-thread scratch state).
 */
final class AuthSettings
{
    private final long clusterId;
    private final Supplier<FrameAuthenticator> frames;
    private final Supplier<ClientAuthenticator> clients;

    private AuthSettings(final long clusterId, final Supplier<FrameAuthenticator> frames,
        final Supplier<ClientAuthenticator> clients)
    {
        this.clusterId = clusterId;
        this.frames = frames;
        this.clients = clients;
    }

    /**
     * Reads and checks the settings in {@code props}; {@code frames} and {@code clients}, when not null, are
     * authenticators given in code, which no property may contradict.
     */
    static AuthSettings load(final Properties props, final Supplier<FrameAuthenticator> frames,
        final Supplier<ClientAuthenticator> clients)
    {
        final long clusterId = clusterId(props.getProperty(NodeConfig.CLUSTER_ID_PROP));
        final Supplier<FrameAuthenticator> frameFactory = part(props, frames, NodeConfig.CLUSTER_SECRET_FILE_PROP,
            NodeConfig.CLUSTER_SECRET_ACCEPT_FILE_PROP, NodeConfig.CLUSTER_AUTHENTICATOR_PROP, FrameAuthenticator.class,
            (secret, accepted) -> () -> accepted == null ? new HmacFrameAuthenticator(secret) :
                new HmacFrameAuthenticator(secret, accepted));
        final long windowMs = window(props.getProperty(NodeConfig.CLIENT_AUTH_WINDOW_PROP));
        final Supplier<ClientAuthenticator> clientFactory = part(props, clients, NodeConfig.CLIENT_SECRET_FILE_PROP,
            NodeConfig.CLIENT_SECRET_ACCEPT_FILE_PROP, NodeConfig.CLIENT_AUTHENTICATOR_PROP, ClientAuthenticator.class,
            (secret, accepted) -> () -> accepted == null ? new SharedSecretClientAuthenticator(windowMs, secret) :
                new SharedSecretClientAuthenticator(windowMs, secret, accepted));
        return new AuthSettings(clusterId, frameFactory, clientFactory);
    }

    /** Builds the default authenticator of a part from its secret and the optional accepted one. */
    @FunctionalInterface
    private interface SecretAuthenticator<T>
    {
        Supplier<T> of(byte[] secret, byte[] accepted);
    }

    private static <T> Supplier<T> part(final Properties props, final Supplier<T> given, final String secretKey,
        final String acceptKey, final String classKey, final Class<T> type, final SecretAuthenticator<T> bySecret)
    {
        final String secretFile = trimmed(props.getProperty(secretKey));
        final String acceptFile = trimmed(props.getProperty(acceptKey));
        final String className = trimmed(props.getProperty(classKey));
        if (acceptFile != null && secretFile == null)
        {
            throw new ConfigException(acceptKey, acceptFile, "needs " + secretKey + " (the secret this node signs with)");
        }
        if (secretFile != null && (className != null || given != null))
        {
            throw new ConfigException(secretKey, secretFile, "set either a secret file or " +
                (className != null ? classKey + "=" + className : "an authenticator in code") + ", not both");
        }
        if (className != null && given != null)
        {
            throw new ConfigException(classKey, className, "an authenticator was also given in code");
        }
        if (secretFile != null)
        {
            final byte[] secret = SecretFile.read(secretKey, secretFile);
            final byte[] accepted = acceptFile == null ? null : SecretFile.read(acceptKey, acceptFile);
            return bySecret.of(secret, accepted);
        }
        if (className != null)
        {
            return byClass(props, classKey, className, type);
        }
        return given;
    }

    /** A class with a public constructor taking the node's properties; one instance is made here, to check it. */
    private static <T> Supplier<T> byClass(final Properties props, final String key, final String name,
        final Class<T> type)
    {
        final Constructor<? extends T> constructor;
        try
        {
            final Class<?> c = Class.forName(name, false, AuthSettings.class.getClassLoader());
            if (!type.isAssignableFrom(c))
            {
                throw new ConfigException(key, name, "does not implement " + type.getName());
            }
            constructor = c.asSubclass(type).getConstructor(Properties.class);
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new ConfigException(key, name, "no such class on the class path");
        }
        catch (final NoSuchMethodException ex)
        {
            throw new ConfigException(key, name, "needs a public constructor taking java.util.Properties");
        }
        final Properties copy = new Properties();
        copy.putAll(props);
        final Supplier<T> factory = () ->
        {
            try
            {
                return constructor.newInstance(copy);
            }
            catch (final InvocationTargetException ex)
            {
                throw new ConfigException(key, name, "constructor failed: " + ex.getCause());
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new ConfigException(key, name, "cannot create: " + ex);
            }
        };
        factory.get();
        return factory;
    }

    private static long clusterId(final String value)
    {
        if (value == null || value.isBlank())
        {
            return 0;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(NodeConfig.CLUSTER_ID_PROP, value, "must be a 64-bit integer");
        }
    }

    private static long window(final String value)
    {
        if (value == null || value.isBlank())
        {
            return NodeConfig.CLIENT_AUTH_WINDOW_DEFAULT_MS;
        }
        try
        {
            final long ms = Long.parseLong(value.trim());
            if (ms < 0 || ms > 86_400_000L)
            {
                throw new ConfigException(NodeConfig.CLIENT_AUTH_WINDOW_PROP, value, "must be in 0..86400000 " +
                    "(0: the client's clock is not checked)");
            }
            return ms;
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(NodeConfig.CLIENT_AUTH_WINDOW_PROP, value, "must be an integer");
        }
    }

    private static String trimmed(final String value)
    {
        return value == null || value.isBlank() ? null : value.trim();
    }

    long clusterId()
    {
        return clusterId;
    }

    /** A new frame authenticator for one node, or null when members do not authenticate each other. */
    FrameAuthenticator newFrameAuthenticator()
    {
        return frames == null ? null : frames.get();
    }

    /** A new client authenticator for one node, or null when clients and admin requests are not authenticated. */
    ClientAuthenticator newClientAuthenticator()
    {
        return clients == null ? null : clients.get();
    }

    boolean membersAuthenticated()
    {
        return frames != null;
    }

    boolean clientsAuthenticated()
    {
        return clients != null;
    }

    /** The one line a node prints at start when some part is not authenticated; null when all are. */
    String warning()
    {
        if (frames != null && clients != null)
        {
            return null;
        }
        final String what = frames == null && clients == null ? "consensus, client and admin frames" :
            frames == null ? "consensus frames between members" : "client connects and admin requests";
        final String keys = frames == null && clients == null ? NodeConfig.CLUSTER_SECRET_FILE_PROP + " and " +
            NodeConfig.CLIENT_SECRET_FILE_PROP : frames == null ? NodeConfig.CLUSTER_SECRET_FILE_PROP :
            NodeConfig.CLIENT_SECRET_FILE_PROP;
        return "WARNING: frames are not authenticated: " + what + " (no " + keys + "); anyone who can reach this " +
            "node's ports can act as " + (frames == null ? "a member" : "a client or operator") +
            (frames == null && clients == null ? ", a client or an operator" : "") + " (docs/operations.md, " +
            "\"Authentication\")";
    }
}
