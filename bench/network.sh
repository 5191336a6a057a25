#!/usr/bin/env bash
# Runs the request latency benchmark (dev.wharf.bench.NetBench: through a published port and direct) from the built tree; builds nothing.
# Build first: ./mvnw -DskipTests package. Needs root (runc, mounts).
#   bench/network.sh                        # starts its own wharfd on temporary roots
#   bench/network.sh --host unix:///PATH  # measures a wharfd that is already running
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
export JAVA_HOME=${WHARF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jar=$(ls "$top"/bench/target/bench-*.jar 2>/dev/null | head -n 1)
[ -n "$jar" ] && [ -d "$top/bench/target/lib" ] || { echo "bench: not built; run ./mvnw -DskipTests package" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench: must run as root (runc, overlay mounts)" >&2; exit 1; }
cd "$top"
exec "$JAVA_HOME/bin/java" -Dwharf.repo="$top" -cp "$jar:$top/bench/target/lib/*" dev.wharf.bench.NetBench "$@"
