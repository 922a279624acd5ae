#!/usr/bin/env bash
# Prints the module graph of Package.swift (library, executable and system targets with their
# dependencies inside the package, then outside packages in parentheses): the block README.md's
# "Layout" shows. It reads Package.swift as text (not `swift package`, which would wait for the
# build lock a running `swift test` holds); the HealthgapCLI tests check README.md against it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - Package.swift <<'PY'
import re, sys
text = open(sys.argv[1]).read()
targets = []  # (name, kind, deps)
for m in re.finditer(r'\.(target|executableTarget|systemLibrary|testTarget)\(', text):
    kind = m.group(1)
    depth, i = 1, m.end()
    while depth:
        depth += {'(': 1, ')': -1}.get(text[i], 0)
        i += 1
    body = text[m.end():i - 1]
    name = re.search(r'name:\s*"([^"]+)"', body).group(1)
    deps = []
    d = re.search(r'dependencies:\s*\[', body)
    if d:
        depth, j = 1, d.end()
        while depth:
            depth += {'[': 1, ']': -1}.get(body[j], 0)
            j += 1
        inner = body[d.end():j - 1]
        inner = re.sub(r'\.product\(name:\s*"([^"]+)"[^)]*\)', r'"\1"', inner)
        deps = re.findall(r'"([^"]+)"', inner)
    targets.append((name, kind, deps))
ours = {n for n, _, _ in targets}
for name, kind, deps in targets:
    if kind == 'testTarget' or name.startswith('_'):
        continue
    inside = [d for d in deps if d in ours]
    outside = [d for d in deps if d not in ours]
    line = name.ljust(13) + '-> ' + (', '.join(inside) if inside else '(system library)')
    if outside:
        line += '  (+ ' + ', '.join(outside) + ')'
    print(line)
PY
