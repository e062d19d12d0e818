# Shared by the ops scripts: locate the repository, build when sources changed, and launch Java with the JVM
# flags Agrona and Chronicle need on JDK 17 (kept in ops/lib/jvm.flags, so users never type them).

PAXLOG_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PAXLOG_LIB="$PAXLOG_HOME/ops/target/lib"
PAXLOG_STAMP="$PAXLOG_HOME/ops/target/.built"

paxlog_die() { echo "$1" >&2; exit "${2:-1}"; }

# Builds (skipping tests) if the launcher classpath is missing or any source or pom is newer than the last build.
# PAXLOG_NO_BUILD=1 (set by ops/campaign for the commands it runs) uses what is built: a member restarted in the
# middle of a campaign runs the same code as the others even if sources changed meanwhile.
paxlog_build_if_needed() {
  command -v java >/dev/null || paxlog_die "java not found: install a JDK 17 or newer"
  if [ -n "${PAXLOG_NO_BUILD:-}" ] && [ -d "$PAXLOG_LIB" ]; then return 0; fi
  if [ -f "$PAXLOG_STAMP" ] && [ -z "$(find "$PAXLOG_HOME" -path '*/target' -prune -o \
       \( -name '*.java' -o -name 'pom.xml' -o -name '*.xml' \) -newer "$PAXLOG_STAMP" -print -quit)" ]; then
    return 0
  fi
  command -v mvn >/dev/null || paxlog_die "mvn not found: install Apache Maven to build Paxlog"
  echo "building paxlog (mvn package, tests skipped) ..." >&2
  if ! (cd "$PAXLOG_HOME" && mvn -q -B -Dmaven.test.skip=true package >"$PAXLOG_HOME/ops/target-build.log" 2>&1); then
    tail -30 "$PAXLOG_HOME/ops/target-build.log" >&2
    paxlog_die "build failed (full log: ops/target-build.log)"
  fi
  rm -f "$PAXLOG_HOME/ops/target-build.log"
  touch "$PAXLOG_STAMP"
}

paxlog_java() {
  local flags
  flags=$(grep -v '^#' "$PAXLOG_HOME/ops/lib/jvm.flags" | tr '\n' ' ')
  # shellcheck disable=SC2086
  exec ${PAXLOG_EXEC_PREFIX:-} java $flags ${PAXLOG_JAVA_OPTS:-} -cp "$PAXLOG_LIB/*:$PAXLOG_HOME/ops/target/classes" "$@"
}
