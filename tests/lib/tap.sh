# TAP helpers shared by the shell tests (sourced; POSIX sh). The sourcing script sets T to
# its temporary directory before calling expect/same/contains/lacks, and ends with `tap_end`.
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }

# bad NAME [DETAIL...]: a failed test, with its details as TAP comments
bad() {
    n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; shift
    for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}

# expect NAME STATUS CMD...: run CMD (output in $T/out and $T/err), check its exit status
expect() {
    name=$1; want=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else bad "$name" "exit $got, expected $want" "$(head -3 "$T/err")"; fi
}

# same NAME FILE TEXT: FILE holds exactly TEXT (one line: a final newline is ignored)
same() {
    if [ "$(cat "$2")" = "$3" ]; then ok "$1"; else bad "$1" "got:      $(head -5 "$2")" "expected: $3"; fi
}

# contains NAME FILE TEXT / lacks NAME FILE TEXT
contains() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1" "no '$3' in: $(head -5 "$2")"; fi; }
lacks() { if grep -qF -- "$3" "$2"; then bad "$1" "unexpected '$3'"; else ok "$1"; fi; }

# the plan line, and the exit status of the script
tap_end() { echo "1..$n"; [ "$fails" -eq 0 ]; }
