#!/bin/sh
# Run every test binary given as an argument (cmocka, TAP output) and then the CLI tests;
# print each TAP stream and a closing line "N passed, N failed". Exit 1 on any failure.
set -u
passed=0
failed=0
crashed=""
out=$(mktemp)
trap 'rm -f "$out"' EXIT

count() {
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    passed=$((passed + p))
    failed=$((failed + f))
}

for t in "$@"; do
    echo "# $t"
    CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    count
    # a binary that dies without reporting its tests is a failure too
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$out"; then
        crashed="$crashed $t"
        failed=$((failed + 1))
    fi
done

for t in tests/cli/*.sh; do
    echo "# $t"
    sh "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    count
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$out"; then
        crashed="$crashed $t"
        failed=$((failed + 1))
    fi
done

[ -n "$crashed" ] && echo "# exited abnormally:$crashed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
