package io.paxlog.sim;

import io.paxlog.check.KvKind;

import java.nio.ByteBuffer;

/** Encoding of the simulator's key-value commands: kind, key, arg1, arg2 (25 bytes). */
final class KvCommand
{
    static final int LENGTH = 25;

    private KvCommand()
    {
    }

    static byte[] encode(final KvKind kind, final long key, final long arg1, final long arg2)
    {
        return ByteBuffer.allocate(LENGTH).put((byte)kind.ordinal()).putLong(key).putLong(arg1).putLong(arg2).array();
    }

    static KvKind kind(final byte[] cmd)
    {
        return KvKind.values()[cmd[0]];
    }

    static long key(final byte[] cmd)
    {
        return ByteBuffer.wrap(cmd).getLong(1);
    }

    static long arg1(final byte[] cmd)
    {
        return ByteBuffer.wrap(cmd).getLong(9);
    }

    static long arg2(final byte[] cmd)
    {
        return ByteBuffer.wrap(cmd).getLong(17);
    }
}
