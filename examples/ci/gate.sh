#!/usr/bin/env bash
# The lambda-tune gate for any CI: tune the function, compare with the committed baseline, keep
# the reports in $OUT for the CI to store, and fail (exit 1) on a real regression. On GitHub
# Actions use the action instead (action.yml at the repository's root; see github-actions.yml).
#
#   FUNCTION=hasher MEMORY=512,1024 CHUNKS=10,20 examples/ci/gate.sh
#
# With A and B set (two versions or aliases of the function, e.g. A=live B=14) it runs
# `tune ab` instead: both are measured in one run, interleaved, so a busier host or a slower hour
# falls on both alike. That is the gate to prefer whenever the old version still exists; a
# baseline measured on another day cannot tell a slower function from a busier machine.
#
# Credentials and region come from the usual AWS variables or profile. To refresh the baseline
# after an intended change: run with UPDATE_BASELINE=1 and commit $BASELINE.
set -euo pipefail

TUNE=${TUNE:-tune}
FUNCTION=${FUNCTION:-hasher}
MEMORY=${MEMORY:-512,1024}
CHUNKS=${CHUNKS:-10,20}
INVOCATIONS=${INVOCATIONS:-20}
BASELINE=${BASELINE:-perf/${FUNCTION}-baseline.json}
OUT=${OUT:-tune-results/${FUNCTION}}
# Extra flags, for example "--region eu-west-1" or "--rule 'duration:p95 > 15% error'".
read -r -a EXTRA <<< "${TUNE_FLAGS:-}"

if [ -n "${A:-}" ] && [ -n "${B:-}" ]; then
  mkdir -p "$OUT"
  exec $TUNE ab --function "$FUNCTION" --a "$A" --b "$B" --chunks "$CHUNKS" --invocations "$INVOCATIONS" --out "$OUT" --markdown "$OUT/gate.md" "${EXTRA[@]}"
fi

args=(--function "$FUNCTION" --memory "$MEMORY" --chunks "$CHUNKS" --invocations "$INVOCATIONS" --out "$OUT" "${EXTRA[@]}")
if [ "${UPDATE_BASELINE:-}" = 1 ] || [ ! -f "$BASELINE" ]; then
  echo "Writing the baseline $BASELINE (commit it)." >&2
  exec $TUNE "${args[@]}" --update-baseline "$BASELINE"
fi
exec $TUNE "${args[@]}" --baseline "$BASELINE" --markdown "$OUT/gate.md"
