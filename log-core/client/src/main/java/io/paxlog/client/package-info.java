/**
 * The client library: {@link io.paxlog.client.PaxlogClient} (one session, pipelined commands and reads, retries with
 * the same sequence for exactly-once) and the admin client. <b>Threading:</b> a client is single-threaded; every
 * callback runs on the thread that polls it. <b>Bounds:</b> commands in flight, payload bytes and waits are bounded by
 * {@link io.paxlog.client.PaxlogClientContext}; answers that fail validation are dropped and counted.
 */
package io.paxlog.client;
