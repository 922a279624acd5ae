#!/usr/bin/env bash
# Installs the Debian packages healthgap links against, only when they are missing:
# OpenBLAS (CBLAS), LAPACKE, zlib and pkg-config. Safe to run repeatedly.
set -euo pipefail

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists openblas 2>/dev/null; then need+=(libopenblas-dev); fi
if [ ! -f /usr/include/lapacke.h ] && [ ! -f /usr/include/x86_64-linux-gnu/lapacke.h ]; then need+=(liblapacke-dev); fi
if ! pkg-config --exists zlib 2>/dev/null; then need+=(zlib1g-dev); fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "healthgap: installing missing system packages: ${need[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
