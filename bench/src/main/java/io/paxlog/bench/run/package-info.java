/**
 * The runner behind {@code bench/run}: one class per scenario, results as rows, histograms, summary files and the
 * summary line. Systems run interleaved on one box; ratios, not absolute figures, are what it reports.
 */
package io.paxlog.bench.run;
