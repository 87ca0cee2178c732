#!/bin/sh
# Makes sure the Debian packages the tests start are installed: chromium at /usr/bin/chromium
# for the browser tests (never a downloaded browser), and redis-server for the shared response
# cache's tests. Installs what is missing with apt-get when run as root.
set -eu

CHROMIUM=/usr/bin/chromium
REDIS=/usr/bin/redis-server

missing=""
[ -x "$CHROMIUM" ] || missing="$missing chromium"
[ -x "$REDIS" ] || missing="$missing redis-server"

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages:$missing. Install them as root:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
    echo "(or run: sudo $0)" >&2
    exit 1
  fi
  apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

# Debian's chromium wrapper may print shell noise on stderr; the versions are on stdout.
"$CHROMIUM" --version 2>/dev/null
"$REDIS" --version
