#!/usr/bin/env bash
# Runs one benchmark class of the built tree (bench/run.sh, containers.sh and network.sh call it);
# builds nothing. Build first: ./mvnw -DskipTests package. Needs root (runc, mounts).
#   bench/java.sh dev.wharf.bench.CLASS [ARGS...]
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
export JAVA_HOME=${WHARF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=$(ls "$top"/bench/target/bench-*.jar 2>/dev/null | head -n 1)
[ -n "$jar" ] && [ -d "$top/bench/target/lib" ] || { echo "bench: not built; run ./mvnw -DskipTests package" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (runc, overlay mounts)" >&2; exit 1; }
cd "$top"
main=$1
shift
exec "$JAVA_HOME/bin/java" -Dwharf.repo="$top" -cp "$jar:$top/bench/target/lib/*" "$main" "$@"
