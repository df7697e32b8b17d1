# Helpers shared by the end-to-end scripts (sourced).  Each script ends with e2e_end.
set -u
CC_BIN=${CREDCONV:-./credconv}
CORPUS=${CORPUS:-../shared/corpus}
OB=$CORPUS/ob
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
skipped() { skip=$((skip + 1)); echo "SKIP: $* (../shared/corpus absent)"; }
# run EXPECTED_RC NAME CMD...: runs CMD, keeps stdout in $T/out and stderr in $T/err.
run() {
    want=$1 name=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else ko "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; fi
}
has() { if grep -Eq -- "$2" "$1"; then ok; else ko "$3: no /$2/ in $(basename "$1")"; sed 's/^/    /' "$1" | head -5; fi; }
hasnt() { if grep -Eq -- "$2" "$1"; then ko "$3: /$2/ found in $(basename "$1")"; else ok; fi; }
count() { n=$(grep -Ec -- "$2" "$1"); if [ "$n" -eq "$3" ]; then ok; else ko "$4: $n lines match /$2/, expected $3"; fi; }
same() { if cmp -s "$1" "$2"; then ok; else ko "$3: $(basename "$1") and $(basename "$2") differ"; fi; }
have_ob() { [ -d "$OB/validator-dcpv/ob20" ]; }
e2e_end() {
    echo "$1: $pass passed, $fail failed, $skip skipped"
    [ "$fail" -eq 0 ]
}
