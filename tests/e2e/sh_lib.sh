# Shared by the end-to-end scripts (tests/e2e/e2e*.sh), which source it first.
# Each assertion counts one pass or one failure; `finish NAME` prints the closing line.
set -u
CC_BIN=${CREDCONV:-./credconv}
CORPUS=${CREDCONV_CORPUS:-${CORPUS:-../shared/corpus}}
# absolute, since tests link to its files from temporary folders
[ -d "$CORPUS" ] && CORPUS=$(cd "$CORPUS" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# No test reads the user's own cache of contexts (credconv contexts --fetch).
export XDG_CACHE_HOME="$T/xdg-cache"
pass=0 fail=0 skip=0 corpus_skip=0

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }
# skipped: a check that needs the corpus (CI fails on these: CORPUS_REQUIRED=1); other skips
# (a sanitizer build that cannot run under ulimit -v, valgrind) add to skip alone.
skipped() { skip=$((skip + 1)); corpus_skip=$((corpus_skip + 1)); echo "SKIP: $* ($CORPUS absent)"; }

# Time bounds mean nothing under valgrind (make valgrind runs 20-50x slower): there each is
# skipped (not a corpus skip).  within VALUE LIMIT NAME: VALUE <= LIMIT, or a failure.
under_valgrind() { case "$CC_BIN" in *valgrind*) return 0 ;; esac; return 1; }
within() {
    if under_valgrind; then skip=$((skip + 1)); echo "SKIP: $3 (a time bound, under valgrind)"
    elif [ "$1" -le "$2" ]; then ok; else ko "$3: $1 (limit $2)"; fi
}

# run EXPECTED_RC NAME CMD...: runs CMD, keeps stdout in $T/out and stderr in $T/err.
run() {
    want=$1 name=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else ko "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; fi
}
# has FILE PATTERN NAME: FILE contains the (grep -E) pattern; hasnt: it does not.
has() { if grep -Eq -- "$2" "$1"; then ok; else ko "$3: no /$2/ in $(basename "$1")"; sed 's/^/    /' "$1" | head -5; fi; }
hasnt() { if grep -Eq -- "$2" "$1"; then ko "$3: /$2/ found in $(basename "$1")"; else ok; fi; }
# count FILE PATTERN N NAME: N lines match; occurrences: N matches in all.
count() { n=$(grep -Ec -- "$2" "$1"); if [ "$n" -eq "$3" ]; then ok; else ko "$4: $n lines match /$2/, expected $3"; fi; }
occurrences() { n=$(grep -Eo -- "$2" "$1" | wc -l); if [ "$n" -eq "$3" ]; then ok; else ko "$4: $n × /$2/, expected $3"; fi; }
same() { if cmp -s "$1" "$2"; then ok; else ko "$3: $(basename "$1") and $(basename "$2") differ"; fi; }
# jqtrue FILE FILTER NAME: the jq filter is true for every line of FILE (jq -e).
jqtrue() {
    if jq -e "$2" "$1" >/dev/null 2>"$T/jqerr" && ! jq -e "$2" "$1" 2>/dev/null | grep -qx false; then ok
    else ko "$3: jq '$2' is not true for every line"; head -3 "$T/jqerr"; fi
}
OB=$CORPUS/ob
have_ob() { [ -d "$OB/validator-dcpv/ob20" ]; }
# ctx_map: the corpus's JSON-LD contexts laid out by host and path in $T/ctx, and M the
# --map-url that reads them (false when the corpus has none).  One table for every script.
ctx_map() {
    [ -d "$OB/contexts" ] || return 1
    _c=$(cd "$OB/contexts" && pwd)
    while read -r _url _file; do
        mkdir -p "$T/ctx/$(dirname "$_url")" && ln -sf "$_c/$_file" "$T/ctx/$_url"
    done <<'TABLE'
www.w3.org/ns/credentials/v2 validator-credentials-v2.jsonld
www.w3.org/ns/credentials/examples/v2 w3c-credentials-examples-v2.RECONSTRUCTED.json
www.w3.org/2018/credentials/v1 validator-2018-credentials-v1.jsonld
purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json ob-v3p0-context-3.0.3.json
purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json ob-v3p0-context-3.0.2.json
purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json ob-v3p0-context-3.0.1.json
purl.imsglobal.org/spec/ob/v3p0/context.json ob-v3p0-context.json
purl.imsglobal.org/spec/ob/v3p0/extensions.json validator-ob-v3p0-extensions.json
purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json validator-clr-v2p0-2.0.1.json
purl.imsglobal.org/spec/clr/v2p0/context.json validator-clr-v2p0.json
w3id.org/security/data-integrity/v1 validator-data-integrity-v1.jsonld
w3id.org/security/suites/ed25519-2020/v1 validator-security-suites-ed25519-2020-v1.jsonld
www.w3.org/ns/did/v1 validator-did-v1.jsonld
TABLE
    M="--map-url https://=$T/ctx/"
}

# xsd_ok SCHEMA FILE NAME: xmllint accepts FILE against SCHEMA, offline.
xsd_ok() { if xmllint --nonet --noout --schema "$1" "$2" 2>"$T/xsd"; then ok; else ko "$3"; head -3 "$T/xsd"; fi; }

e2e_end() { finish "$1"; }
finish() {
    echo "$1: $pass passed, $fail failed, $skip skipped ($corpus_skip for want of the corpus)"
    [ "$fail" -eq 0 ]
}
