/**
 * Command-line argument helpers shared by the mains: usage errors are one line and exit code 2.
 */
package io.paxlog.cli;
