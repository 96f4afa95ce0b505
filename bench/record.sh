#!/bin/sh
# record.sh NAME OUTPUT: write bench/results/NAME.md from a benchmark's output, with the
# machine it ran on.
set -eu
name=$1
out=bench/results/$name.md
{
    echo "# Benchmark: $name"
    echo
    echo "Recorded $(date -u +%Y-%m-%dT%H:%MZ) by \`make bench-$name\`."
    echo
    echo "## Machine"
    echo
    echo '```'
    lscpu | grep -E 'Model name|^CPU\(s\)|Thread|MHz' | sed 's/  */ /g'
    free -g | sed -n 2p | awk '{print "Memory: " $2 " GiB"}'
    echo "$(uname -sr); jansson $(pkg-config --modversion jansson)"
    echo '```'
    echo
    echo "The machine is shared and noisy: figures are medians of rounds."
    echo
    echo "## Results"
    echo
    echo '```'
    cat "$2"
    echo '```'
} >"$out"
