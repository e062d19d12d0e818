/**
 * Operator programs behind the {@code ops/} scripts, such as the demo (the README's main job).
 */
package io.paxlog.ops;
