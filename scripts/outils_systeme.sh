#!/usr/bin/env bash
# System tools pip cannot install: Debian's Chromium (it prints the packs' PDFs, and runs the
# browser tests of the packs and dashboard) and poppler-utils (the tests read PDF pages as text
# and images). `outils_systeme.sh chromium` (make demo, make bench) installs Chromium only;
# without argument (make test, .ci/run) both. Does nothing when they are already there.
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(chromium poppler-utils)
missing=()
for tool in "${wanted[@]}"; do
  case "$tool" in
    chromium) command -v "${IAE_CHROMIUM:-chromium}" >/dev/null 2>&1 || missing+=(chromium) ;;
    poppler-utils) command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils) ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installation des outils système : ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "Impossible d'installer ${missing[*]} : il faut être root ou disposer de sudo." >&2
    echo "Installez-les vous-même (apt-get install ${missing[*]}) puis relancez la commande make." >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Impossible d'installer ${missing[*]} : apt-get est absent (système non Debian)." >&2
  echo "Installez Chromium et poppler-utils avec le gestionnaire de paquets du système," >&2
  echo "ou indiquez le chemin de Chromium dans IAE_CHROMIUM, puis relancez la commande make." >&2
  exit 1
fi
if ! "${sudo_cmd[@]}" apt-get update -q || \
   ! "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  echo "L'installation de ${missing[*]} a échoué (réseau ou droits) : installez-les puis relancez la commande make." >&2
  exit 1
fi
