#!/usr/bin/env bash
# Build speed (dev.wharf.bench.BuildBench): uncached 5-step build, cached rebuild, one changed file in a
# 2,000-file context, context upload + checksum MB/s.
#   bench/build.sh                          # starts its own wharfd on temporary roots
#   bench/build.sh --host unix:///PATH      # measures a wharfd that is already running
exec "$(dirname "$(readlink -f "$0")")/java.sh" dev.wharf.bench.BuildBench "$@"
