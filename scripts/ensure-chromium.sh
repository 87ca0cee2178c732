#!/bin/sh
# Makes sure Debian's chromium is at /usr/bin/chromium, for the playground's browser test
# (test/browser/). Installs it with apt-get when run as root; never downloads another browser.
set -eu

CHROMIUM=/usr/bin/chromium

version() {
  # Debian's wrapper script may print shell noise on stderr; the version is on stdout.
  "$CHROMIUM" --version 2>/dev/null
}

if [ -x "$CHROMIUM" ]; then
  version
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  version
  exit 0
fi

echo "$CHROMIUM is missing. Install Debian's chromium as root:" >&2
echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
echo "(or run: sudo $0)" >&2
exit 1
