package io.paxlog.sim;

import io.paxlog.sm.CounterMachine;
import io.paxlog.sm.Machines;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Packs a state machine's result into the one long a simulated client response carries: an 8-byte result as is
 * (a counter), a {@code status(1) token(8)} lock answer as {@code status << 56 | token}.
 */
final class SimResults
{
    private SimResults()
    {
    }

    /**
     * The answer to {@code command} as the long a simulated client records: a counter's value for get and add,
     * 1/0 for a compare-and-set, 0 for a write (a set transaction), the packed lock answer otherwise.
     */
    static long forCommand(final byte[] command, final DirectBuffer result, final int length)
    {
        if (command.length > 1 && command[0] == Machines.COUNTERS)
        {
            final byte op = command[1];
            if (op == CounterMachine.OP_CAS)
            {
                return length >= 1 ? result.getByte(0) : 0;
            }
            if (op == CounterMachine.OP_TXN)
            {
                return 0;
            }
            return length == 8 ? result.getLong(0, ByteOrder.BIG_ENDIAN) : 0;
        }
        return toLong(result, 0, length);
    }

    static long toLong(final DirectBuffer result, final int length)
    {
        return toLong(result, 0, length);
    }

    static long toLong(final DirectBuffer result, final int offset, final int length)
    {
        if (length == 8)
        {
            return result.getLong(offset, ByteOrder.BIG_ENDIAN);
        }
        if (length >= 9)
        {
            return ((long)(result.getByte(offset) & 0xFF) << 56) |
                (result.getLong(offset + 1, ByteOrder.BIG_ENDIAN) & 0x00FF_FFFF_FFFF_FFFFL);
        }
        return length == 1 ? (long)(result.getByte(offset) & 0xFF) << 56 : 0;
    }

    static int status(final long packed)
    {
        return (int)(packed >>> 56);
    }

    static long token(final long packed)
    {
        return packed & 0x00FF_FFFF_FFFF_FFFFL;
    }
}
