#!/usr/bin/env bash
# Prints the module graph of Package.swift (library and executable targets, their dependencies
# inside the package first, then outside packages in parentheses): the block README.md's "Layout"
# shows. The HealthgapCLI tests check that README.md holds exactly this block.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-package 2>/dev/null | python3 -c '
import json, sys
package = json.load(sys.stdin)
ours = {t["name"] for t in package["targets"]}
for t in package["targets"]:
    if t["type"] not in ("regular", "executable", "system") or t["name"].startswith("_"):
        continue
    deps = []
    for d in t["dependencies"]:
        for kind in ("byName", "target", "product"):
            if kind in d:
                deps.append(d[kind][0])
    inside = [d for d in deps if d in ours]
    outside = [d for d in deps if d not in ours]
    line = t["name"].ljust(13) + "-> " + (", ".join(inside) if inside else "(system library)")
    if outside:
        line += "  (+ " + ", ".join(outside) + ")"
    print(line.rstrip())
'
