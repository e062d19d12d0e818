package io.paxlog.sim;

import io.paxlog.check.KvKind;

import java.nio.ByteBuffer;

/**
 * Encoding of the simulator's key-value commands: the {@link KvMachine#MACHINE_ID} byte the host routes by, then
 * kind, key, arg1, arg2 ({@link #LENGTH} bytes for the machine).
 */
final class KvCommand
{
    static final int LENGTH = 25;

    private KvCommand()
    {
    }

    static byte[] encode(final KvKind kind, final long key, final long arg1, final long arg2)
    {
        return ByteBuffer.allocate(1 + LENGTH).put((byte)KvMachine.MACHINE_ID).put((byte)kind.ordinal()).putLong(key).putLong(arg1).putLong(arg2).array();
    }

    static KvKind kind(final byte[] cmd)
    {
        return KvKind.values()[cmd[1]];
    }

    static long key(final byte[] cmd)
    {
        return ByteBuffer.wrap(cmd).getLong(2);
    }

    static long arg1(final byte[] cmd)
    {
        return ByteBuffer.wrap(cmd).getLong(10);
    }

    static long arg2(final byte[] cmd)
    {
        return ByteBuffer.wrap(cmd).getLong(18);
    }
}
