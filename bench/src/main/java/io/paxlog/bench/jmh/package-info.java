/**
 * JMH micro-benchmarks of the core's steps and codecs.
 */
package io.paxlog.bench.jmh;
