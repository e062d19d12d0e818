/**
 * Benchmark programs: systems under test (Paxlog, Aeron Cluster, raw Aeron floors) behind one target interface, the
 * open-loop load generator (latency from the intended send time, HdrHistogram) and baselines. Not used by production
 * code; measurements are never taken by unit tests.
 */
package io.paxlog.bench;
