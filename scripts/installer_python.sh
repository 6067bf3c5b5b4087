#!/usr/bin/env bash
# The project's Python environment: the versions of requirements.lock, then the project itself
# (editable). uv, pinned here, installs them in seconds where pip takes about a minute; when uv
# cannot be had or fails, pip installs the same lock. `installer_python.sh <venv>`
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
venv=${1:-.venv}
python=$venv/bin/python

with_uv() {
  "$python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" &&
    # Every configured index is searched for the locked versions (uv's default stops at the
    # first index that knows a package, and a machine's mirror may lack some versions).
    # Compiled now, as pip does: otherwise every process of the first run compiles its imports.
    "$venv/bin/uv" pip install --quiet --python "$python" --index-strategy unsafe-best-match \
      --compile-bytecode -r requirements.lock &&
    "$venv/bin/uv" pip install --quiet --python "$python" --no-deps --no-build-isolation -e .
}

with_pip() {
  "$python" -m pip install --quiet --disable-pip-version-check -r requirements.lock &&
    "$python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
}

if ! with_uv 2>/dev/null; then
  echo "uv indisponible : installation des dépendances avec pip (environ une minute)."
  with_pip
fi
