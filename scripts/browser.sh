#!/usr/bin/env bash
# Headless Chromium for the browser tests: Debian's package (Playwright's own download does not
# work offline). Idempotent: does nothing when chromium is already installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "==> Chromium: $(command -v chromium)"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "klantreis: the browser tests need Debian's chromium. Install it with:" >&2
  echo "  sudo apt-get install -y chromium" >&2
  echo "or set KLANTREIS_CHROMIUM to a Chromium binary, then run this again." >&2
  [ -n "${KLANTREIS_CHROMIUM:-}" ] && [ -x "${KLANTREIS_CHROMIUM}" ] && exit 0
  exit 1
fi
echo "==> Installing Debian's chromium for the browser tests (about a minute)"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends chromium >/dev/null \
    || { echo "klantreis: installing chromium failed; run: apt-get install -y chromium" >&2; exit 1; }
fi
echo "==> Chromium: $(command -v chromium)"
