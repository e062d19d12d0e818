/**
 * The deterministic simulator: one thread, one seeded random source and simulated true time drive the real core,
 * the real state machines and the same service-side rules as the node, under faults, and check every invariant on
 * every step. A seed always replays the same run. Test harness code: production code never imports it (only
 * {@code io.paxlog.check} may; ArchitectureTest).
 */
package io.paxlog.sim;
