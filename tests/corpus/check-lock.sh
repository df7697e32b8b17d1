#!/bin/sh
# Checks the test corpus against tests/corpus.lock (make corpus), or first fetches it.
#   check-lock.sh LOCK CORPUS          every locked file present with its size and sha256,
#                                      and no corpus file (but SOURCES.md) missing from LOCK
#   check-lock.sh --fetch LOCK CORPUS  downloads every locked URL whose file is absent or
#                                      differs into CORPUS (created), checks its sha256, lists
#                                      the files with no URL, then checks as above
# Exit 0 only when the corpus matches the lock exactly.
set -u
fetch=0
[ "${1:-}" = --fetch ] && { fetch=1; shift; }
[ $# -eq 2 ] || { echo "usage: $0 [--fetch] LOCK CORPUS" >&2; exit 2; }
lock=$1 corpus=$2
[ -r "$lock" ] || { echo "corpus: no lock file $lock" >&2; exit 2; }

entries() { grep -v '^#' "$lock" | grep -v '^[[:space:]]*$'; }
# matches PATH SHA SIZE: the corpus file has that size and digest.
matches() {
    [ -f "$corpus/$1" ] && [ "$(wc -c <"$corpus/$1" | tr -d ' ')" = "$3" ] &&
        [ "$(sha256sum "$corpus/$1" | cut -d' ' -f1)" = "$2" ]
}

if [ "$fetch" = 1 ]; then
    mkdir -p "$corpus" || exit 2
    got=0 bad=0 manual=0
    tmp=$(mktemp) || exit 2
    while read -r path sha size url _lic rest; do
        matches "$path" "$sha" "$size" && continue
        if [ "$url" = - ]; then
            manual=$((manual + 1))
            echo "not fetchable: $path: get it from $(echo "$rest" | sed 's/^# *//')"
            continue
        fi
        curl -fsSL --retry 2 --connect-timeout 15 --max-time 300 -o "$tmp" "$url"
        rc=$?
        # No name resolution or no connection before anything came: no network here, so
        # say so once rather than fail each of the ~850 URLs in turn.
        if [ "$got" -eq 0 ] && [ "$bad" -eq 0 ] && { [ "$rc" -eq 6 ] || [ "$rc" -eq 7 ]; }; then
            echo "corpus fetch: no network (curl exit $rc on $url); nothing fetched"
            rm -f "$tmp"
            exit 1
        fi
        if [ "$rc" -eq 0 ] && [ "$(sha256sum "$tmp" | cut -d' ' -f1)" = "$sha" ]; then
            mkdir -p "$corpus/$(dirname "$path")" && cp "$tmp" "$corpus/$path" && got=$((got + 1))
        else
            bad=$((bad + 1))
            echo "FETCH FAILED (curl exit $rc) or sha256 differs: $path <- $url"
        fi
    done <<EOT
$(entries)
EOT
    rm -f "$tmp"
    echo "corpus fetch: $got fetched, $bad failed, $manual not fetchable (see above)"
fi

[ -d "$corpus" ] || { echo "corpus: $corpus is absent (make corpus CORPUS_FETCH=1 fetches it)"; exit 1; }
# One pass over the sizes, which also finds missing and unlocked files; then one sha256sum -c
# over the files of the right size (a size that differs is one change, not counted twice).
list=$(mktemp) || exit 2
(cd "$corpus" && find -L . -type f ! -name SOURCES.md -printf '%P %s\n') >"$list"
entries | awk -v list="$list" '
    BEGIN { while ((getline l < list) > 0) { split(l, f, " "); size[f[1]] = f[2] } }
    { n++; locked[$1] = 1
      if (!($1 in size)) { missing++; print "MISSING: " $1 }
      else if (size[$1] != $3) { changed++; print "CHANGED: " $1 " (size " size[$1] ", locked " $3 ")" } }
    END { for (p in size) if (!(p in locked)) { unlocked++; print "NOT IN THE LOCK: " p }
          printf "%d %d %d %d\n", n, changed, missing, unlocked > "/dev/stderr" }' 2>"$list.counts"
# Every file the tests may read is locked (above): a file added to the corpus fails until it
# is given an origin in tests/corpus/make-lock.py and the lock is regenerated.
read -r n changed missing unlocked <"$list.counts"
digest=$(entries | awk -v list="$list" '
    BEGIN { while ((getline l < list) > 0) { split(l, f, " "); size[f[1]] = f[2] } }
    ($1 in size) && size[$1] == $3 { print $2 "  " $1 }' | (cd "$corpus" && sha256sum -c --quiet 2>/dev/null) |
    sed -n 's/: FAILED$//p')
rm -f "$list" "$list.counts"
while read -r f; do
    [ -n "$f" ] && { changed=$((changed + 1)); echo "CHANGED: $f (sha256 differs from the lock)"; }
done <<EOT
$digest
EOT
echo "corpus: $n locked files checked, $changed changed, $missing missing, $unlocked not in the lock"
[ $((changed + missing + unlocked)) -eq 0 ]
