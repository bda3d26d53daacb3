#!/bin/sh
# Makes sure Debian's chromium is installed for the browser tests and the screenshots
# (playwright-core drives it; it downloads no browser of its own). Quiet when it is there.
set -eu

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ -x "$chromium_path" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $chromium_path is missing and installing it needs root." >&2
  echo "ensure-chromium: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium" >&2
  echo "ensure-chromium: or set CHROMIUM_PATH to an installed Chromium or Chrome binary." >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium package..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null

if [ ! -x "$chromium_path" ]; then
  echo "ensure-chromium: installed chromium, but $chromium_path still does not exist." >&2
  exit 1
fi
