#!/bin/sh
# Makes sure the Debian programs the tests use are installed: chromium for the browser tests
# and screenshots (playwright-core drives it; no browser is ever downloaded from elsewhere),
# xmllint to validate ISO 20022 files against their schemas, and hledger to check exported
# journals; and, for the deployment files' check (scripts/check-deploy.sh), yamllint and
# promtool (Debian's prometheus package). Quiet when they are there; installs what is
# missing with apt-get when root.
# The tests never skip for want of one: they fail, naming it and its package
# (src/test-support/test-tools.ts, whose package names must match these).
set -eu

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=""
[ -x "$chromium_path" ] || missing="$missing chromium"
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils"
command -v hledger >/dev/null 2>&1 || missing="$missing hledger"
command -v yamllint >/dev/null 2>&1 || missing="$missing yamllint"
command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-test-tools: missing Debian packages:$missing; installing them needs root." >&2
  echo "ensure-test-tools: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi

echo "ensure-test-tools: installing Debian packages:$missing ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

if [ ! -x "$chromium_path" ]; then
  echo "ensure-test-tools: installed chromium, but $chromium_path still does not exist." >&2
  exit 1
fi
