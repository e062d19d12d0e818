/**
 * Test support shared by the log-core tests: scratch directories that are deleted after the test that made them.
 */
package io.paxlog.testing;
