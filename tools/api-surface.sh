#!/usr/bin/env bash
# Counts, per module, the public or protected declarations of align4j's public types (in */src/main/java) whose
# signatures mention ND4J / SameDiff types (INDArray, SDVariable, SameDiff, DataType and any other non-static
# org.nd4j import), and prints the total. A local tool, not used by CI.
#
# The counting rule is spelled out in the header of tools/api_surface.py; in short: one count per type header,
# record component, field, method or constructor that is reachable from outside its package (public or protected,
# or an interface member, inside types that are all public) and whose signature names an imported org.nd4j type.
# Packages named `internal` (not API by their package-info) are left out unless -a is given.
#
# Usage: tools/api-surface.sh [-v] [-p] [-a] [REPO_ROOT]
#   -v  list each counted declaration (module, file:line, kind, name)
#   -p  also print, per package, the count and how many of its top-level types are public
#   -a  count `internal` packages too
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
args=("$@")
has_root=0
for a in "${args[@]+"${args[@]}"}"; do [[ $a != -* ]] && has_root=1; done
(( has_root )) || args+=("$here/..")
exec python3 "$here/api_surface.py" "${args[@]}"
