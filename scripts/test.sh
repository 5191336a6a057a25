#!/usr/bin/env bash
# The whole test suite, as root: unit tests, then integration tests against a real wharfd
# with runc, conmon and the real docker CLI.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$top"
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
scripts/install-deps.sh
exec ./mvnw -B verify "$@"
