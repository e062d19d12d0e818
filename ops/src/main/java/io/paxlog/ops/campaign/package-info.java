/**
 * The fault campaign behind {@code ops/campaign}: clients recording a history, a nemesis injecting faults into
 * network-namespace hosts, and the checks (linearizability, lost acknowledged writes, lock and lease exclusivity).
 * Traffic only to the namespaces the campaign's cluster file names.
 */
package io.paxlog.ops.campaign;
