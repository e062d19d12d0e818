/**
 * The linearizability checker (Wing and Gong search with memoization, partitioned by key) used by the simulator and
 * the fault campaign. Pure and single-threaded; bounded by the history it is given.
 */
package io.paxlog.check;
