#!/usr/bin/env bash
# Installs the Debian packages healthgap needs, only when they are missing: OpenBLAS (CBLAS), LAPACKE,
# zlib and pkg-config to link against, and Chromium with the DejaVu fonts for the report tests
# (scripts/screenshot.sh, scripts/print-pdf.sh). Safe to run repeatedly.
# Slurm and PostgreSQL are installed by scripts/slurm-cluster.sh and scripts/postgres-server.sh.
set -euo pipefail

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists openblas 2>/dev/null; then need+=(libopenblas-dev); fi
if [ ! -f /usr/include/lapacke.h ] && [ ! -f /usr/include/x86_64-linux-gnu/lapacke.h ]; then need+=(liblapacke-dev); fi
if ! pkg-config --exists zlib 2>/dev/null; then need+=(zlib1g-dev); fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "healthgap: installing missing system packages: ${need[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
