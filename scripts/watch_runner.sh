#!/usr/bin/env bash
# make watch's runner: runs the command it is given (pytest with testmon), then runs it again while
# Python files were saved during the run. pytest-watcher 0.6.3 ignores a save made while a run is
# under way, and the loop would otherwise show the result of code that is no longer there.
set -u
started=$(mktemp)
trap 'rm -f "$started"' EXIT
while true; do
    touch "$started"
    "$@"
    status=$?
    saved=$(find . \( -path ./.venv -o -path ./.git -o -path ./mutants \) -prune -o -name '*.py' -newer "$started" -print -quit)
    if [ -z "$saved" ]; then
        exit "$status"
    fi
    echo "[watch] ${saved#./} was saved during the run: running again"
done
