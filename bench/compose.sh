#!/usr/bin/env bash
# compose up -d until healthy and down, 3 services with healthchecks (dev.wharf.bench.ComposeBench).
#   bench/compose.sh                          # starts its own wharfd on temporary roots
#   bench/compose.sh --host unix:///PATH      # measures a wharfd that is already running
exec "$(dirname "$(readlink -f "$0")")/java.sh" dev.wharf.bench.ComposeBench "$@"
