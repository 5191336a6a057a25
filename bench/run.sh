#!/usr/bin/env bash
# run --rm latency (dev.wharf.bench.RunRmBench), --network none and the default bridge, API and CLI;
# 20 containers started, then removed, in parallel.
#   bench/run.sh                          # starts its own wharfd on temporary roots
#   bench/run.sh --host unix:///PATH      # measures a wharfd that is already running
exec "$(dirname "$(readlink -f "$0")")/java.sh" dev.wharf.bench.RunRmBench "$@"
