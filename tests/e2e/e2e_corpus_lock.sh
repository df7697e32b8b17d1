#!/bin/sh
# tests/corpus.lock names the evidence the tests rest on: it matches the corpus file for file
# (sha256 and size, nothing left out), it is what tests/corpus/make-lock.py writes today,
# every line has a pinned URL or the page its file comes from, and tests/corpus/check-lock.sh
# (make corpus) catches a changed, missing or unlocked file and fetches only what it can
# check.  Corpus tests: without the corpus each check is a corpus skip (CI fails on those).
# The fetch test uses file:// URLs into the corpus: nothing leaves the machine.
. tests/e2e/sh_lib.sh
LOCK=tests/corpus.lock
CHECK="sh tests/corpus/check-lock.sh"
NCHECKS=23

if [ ! -d "$CORPUS" ]; then
    i=0
    while [ $i -lt $NCHECKS ]; do skipped "corpus.lock check $i"; i=$((i + 1)); done
    finish e2e_corpus_lock
    exit
fi
entries() { grep -v '^#' "$1" | grep -v '^[[:space:]]*$'; }
N=$(entries $LOCK | wc -l)

# 1. The real corpus matches the lock, and every one of its files is in it.
run 0 "make corpus on the real corpus" $CHECK $LOCK "$CORPUS"
has "$T/out" "^corpus: $N locked files checked, 0 changed, 0 missing, 0 not in the lock$" "all locked files checked"
nfiles=$(cd "$CORPUS" && find -L . -type f ! -name SOURCES.md | wc -l)
if [ "$nfiles" -eq "$N" ] && [ "$N" -gt 900 ]; then ok; else ko "lock has $N lines, corpus $nfiles files"; fi

# 2. The lock is what the generator writes from the corpus and its SOURCES.md now.
run 0 "make-lock.py" python3 tests/corpus/make-lock.py "$CORPUS"
same "$T/out" $LOCK "tests/corpus.lock is up to date with make-lock.py"

# 3. Columns: 64-hex sha256, a size, a raw URL at a 40-hex (or 8+) commit or "-" with a
# comment naming the page, a licence; nothing else.
entries $LOCK | awk '
    function hex(s, lo, hi) { return s ~ /^[0-9a-f]+$/ && length(s) >= lo && length(s) <= hi }
    !hex($2, 64, 64) || $3 !~ /^[0-9]+$/ || $5 == "" || $5 == "#" { print "bad columns: " $0; next }
    $4 == "-" { if ($6 != "#" || $7 == "") print "no page for: " $1; next }
    { n = split($4, u, "/") }
    u[1] != "https:" || u[3] != "raw.githubusercontent.com" || n < 7 || !hex(u[6], 8, 40) { print "bad URL: " $1 }
    NF > 5 && $6 != "#" { print "extra column: " $1 }' >"$T/cols"
count "$T/cols" . 0 "every lock line well-formed"
dash=$(entries $LOCK | awk '$4 == "-"' | wc -l)
if [ "$dash" -gt 0 ] && [ "$dash" -lt $((N / 5)) ]; then ok; else ko "$dash of $N lines without a URL"; fi

# A copy of the corpus made of links, with SOURCES.md, in which one file can be changed.
cp -rs "$CORPUS" "$T/c"
F=ob/contexts/ob-v1-context.json

# 4. The same size, one byte different: a changed corpus fails, and says which file.
rm "$T/c/$F" && sed '1s/./X/' "$CORPUS/$F" >"$T/c/$F"
run 1 "a changed file fails" $CHECK $LOCK "$T/c"
has "$T/out" "^CHANGED: $F \(sha256" "the changed file is named"
hasnt "$T/out" " 0 changed" "no clean total for a changed corpus"

# 5. A missing file and a file no one locked fail too.
cp "$CORPUS/$F" "$T/c/$F"
rm "$T/c/rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml"
echo '{}' >"$T/c/ob/contexts/new-context.json"
run 1 "missing and unlocked files fail" $CHECK $LOCK "$T/c"
has "$T/out" "^MISSING: rncp/mcp-rncp_export_fiches_RS_V4_1_fixture_8fiches.xml$" "the missing file is named"
has "$T/out" "^NOT IN THE LOCK: ob/contexts/new-context.json$" "the unlocked file is named"

# 6. The generator refuses a file it cannot give an origin.
run 1 "make-lock.py refuses a file with no origin" python3 tests/corpus/make-lock.py "$T/c"
has "$T/err" "ob/contexts/new-context.json: no rule" "the file with no origin is named"

# 7. --fetch: three locked files fetched (file:// stand-ins for their URLs) into a folder it
# creates, a "-" file listed with its page, and a download whose sha256 differs not kept.
C=$(cd "$CORPUS" && pwd)
{ entries $LOCK | grep -E '^(case/opensalt/Utf8TestFramework.json|json-schema-test-suite/LICENSE|ob/validator-dcpv/ob20/basic-assertion.json) ' |
    awk -v c="$C" '{ $4 = "file://" c "/" $1; print }'
  entries $LOCK | grep '^ob/test-vectors/generated/ob2-signed-assertion.jws '
  entries $LOCK | grep '^rncp/tables-correspondances_rncp_info.v1.4.csv ' |
    awk -v c="$C" '{ $2 = "0000000000000000000000000000000000000000000000000000000000000000"; $4 = "file://" c "/" $1; print }'
} >"$T/mini.lock"
run 1 "fetch: an unfetchable and a wrong file fail the run" $CHECK --fetch "$T/mini.lock" "$T/fetched/corpus"
same "$T/fetched/corpus/ob/validator-dcpv/ob20/basic-assertion.json" "$CORPUS/ob/validator-dcpv/ob20/basic-assertion.json" "a fetched file is the locked one"
has "$T/out" "^corpus fetch: 3 fetched, 1 failed, 1 not fetchable" "fetch totals"
has "$T/out" "^not fetchable: ob/test-vectors/generated/ob2-signed-assertion.jws: get it from GENERATED" "a file without URL names its page"
if [ ! -e "$T/fetched/corpus/rncp/tables-correspondances_rncp_info.v1.4.csv" ]; then ok; else ko "a download with the wrong sha256 was kept"; fi

# 8. No network (a refused connection on 127.0.0.1): said once, the run stops, nothing written.
{ entries $LOCK | grep '^json-schema-test-suite/LICENSE ' | awk '{ $4 = "http://127.0.0.1:1/LICENSE"; print }'
  entries $LOCK | grep '^case/opensalt/Utf8TestFramework.json ' | awk -v c="$C" '{ $4 = "file://" c "/" $1; print }'
} >"$T/offline.lock"
run 1 "fetch without network fails" $CHECK --fetch "$T/offline.lock" "$T/offline"
has "$T/out" "^corpus fetch: no network \(curl exit 7" "no network is said"
if [ ! -e "$T/offline/case" ]; then ok; else ko "fetching went on without network"; fi
finish e2e_corpus_lock
