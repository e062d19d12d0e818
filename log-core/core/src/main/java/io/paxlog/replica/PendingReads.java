package io.paxlog.replica;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Linearizable reads waiting for a ReadIndex confirmation (when the lease cannot serve them): a FIFO ring of
 * {@link #CAPACITY} reads, each with its session, correlation id, arrival time, the commit slot at arrival and a
 * copy of the query (at most {@link #QUERY_BYTES_MAX} bytes). Full means back-pressure: the caller answers BUSY.
 * Cells and their query buffers are allocated once. Threading: the node's duty-cycle thread.
 */
final class PendingReads
{
    static final int CAPACITY = 1024;
    static final int QUERY_BYTES_MAX = 4096;

    private final long[] sessionIds = new long[CAPACITY];
    private final long[] correlationIds = new long[CAPACITY];
    private final long[] arrivalNs = new long[CAPACITY];
    private final long[] readIndexSlots = new long[CAPACITY];
    private final int[] lengths = new int[CAPACITY];
    private final UnsafeBuffer[] queries = new UnsafeBuffer[CAPACITY];
    private long head;
    private long tail;

    PendingReads()
    {
        for (int i = 0; i < CAPACITY; i++)
        {
            queries[i] = new UnsafeBuffer(new byte[QUERY_BYTES_MAX]);
        }
    }

    /** Queues a read; false if the ring is full or the query too long. */
    boolean add(final long sessionId, final long correlationId, final long nowNs, final long readIndexSlot,
        final DirectBuffer query, final int offset, final int length)
    {
        if (tail - head >= CAPACITY || length > QUERY_BYTES_MAX)
        {
            return false;
        }
        final int i = (int)(tail & (CAPACITY - 1));
        sessionIds[i] = sessionId;
        correlationIds[i] = correlationId;
        arrivalNs[i] = nowNs;
        readIndexSlots[i] = readIndexSlot;
        lengths[i] = length;
        queries[i].putBytes(0, query, offset, length);
        tail++;
        return true;
    }

    boolean isEmpty()
    {
        return head == tail;
    }

    int size()
    {
        return (int)(tail - head);
    }

    private int index()
    {
        return (int)(head & (CAPACITY - 1));
    }

    long headSessionId()
    {
        return sessionIds[index()];
    }

    long headCorrelationId()
    {
        return correlationIds[index()];
    }

    long headArrivalNs()
    {
        return arrivalNs[index()];
    }

    long headReadIndexSlot()
    {
        return readIndexSlots[index()];
    }

    DirectBuffer headQuery()
    {
        return queries[index()];
    }

    int headLength()
    {
        return lengths[index()];
    }

    void pop()
    {
        head++;
    }
}
