/**
 * Test support shared by the tests of every module: scratch directories that are deleted after the test that made
 * them ({@link io.paxlog.testing.ScratchDirs}) and the checkout's root ({@link io.paxlog.testing.RepoRoot}).
 */
package io.paxlog.testing;
