#!/usr/bin/env bash
# Set up Klantreis: a Python 3.10 virtualenv in .venv with the locked dependencies.
# Idempotent: when nothing changed since the last run it only checks, in about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }
fail() { printf 'klantreis setup: %s\n' "$*" >&2; exit 1; }

is_py310() { [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

find_python() {
  # An explicit choice wins; then a working python3.10 on PATH (pyenv's shim may exist but
  # refuse to run); then any 3.10 that pyenv installed, newest first.
  if [ -n "${KLANTREIS_PYTHON:-}" ]; then echo "$KLANTREIS_PYTHON"; return 0; fi
  local found
  found=$(command -v python3.10 || true)
  if [ -n "$found" ] && is_py310 "$found"; then echo "$found"; return 0; fi
  local roots=()
  if command -v pyenv >/dev/null 2>&1; then roots+=("$(pyenv root)"); fi
  roots+=("${PYENV_ROOT:-}" "$HOME/.pyenv" /usr/local /usr)
  local root candidate
  for root in "${roots[@]}"; do
    [ -n "$root" ] && [ -d "$root" ] || continue
    for candidate in $(ls -d "$root"/versions/3.10.*/bin/python3.10 "$root"/bin/python3.10 2>/dev/null | sort -rV); do
      is_py310 "$candidate" && { echo "$candidate"; return 0; }
    done
  done
  return 1
}

if [ -n "${KLANTREIS_PYTHON:-}" ] && ! is_py310 "$KLANTREIS_PYTHON"; then
  fail "KLANTREIS_PYTHON=$KLANTREIS_PYTHON is not a working Python 3.10; unset it or point it at one."
fi
PYTHON=$(find_python) || fail "Python 3.10 is needed (Rasa 3.6 runs on 3.8–3.10) and none was found.
  Install it, for example:  pyenv install 3.10.13   (or: apt-get install python3.10 python3.10-venv)
  or point KLANTREIS_PYTHON at a python3.10 binary, then run this again."

VENV=.venv
if [ -x "$VENV/bin/python" ] && ! is_py310 "$VENV/bin/python"; then
  say "Existing $VENV is not Python 3.10; making a new one"
  rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
  say "Creating $VENV with $PYTHON"
  "$PYTHON" -m venv "$VENV"
fi

STAMP="$VENV/.klantreis-installed"
WANT=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  say "Dependencies are up to date"
else
  say "Installing locked dependencies (first time: about 4 minutes, 2.7 GB)"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --upgrade pip wheel
  "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
    -r requirements.lock || fail "installing requirements.lock failed (see above); run this again"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-deps -e .
  "$VENV/bin/python" -m pip check >/dev/null || say "note: pip check reports conflicts inside Rasa's own pins (harmless)"
  echo "$WANT" > "$STAMP"
  say "Dependencies installed"
fi
