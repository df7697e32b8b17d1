#!/bin/sh
# Rules of the source that a compiler does not check (the bar in docs/decisions.md):
# every struct initialiser names its members (tests/check_designated.py); out of memory
# ends the run through cc_oom/cc_fatal only (one line, no bare abort()); one FNV-1a
# (converters/util/cc_hash.h).  The checker is
# run on the tree (nothing found) and on planted positional initialisers (each found), so a
# checker that finds nothing at all would fail here too.
. tests/e2e/sh_lib.sh

run 0 "no positional struct initialiser in the tree" python3 tests/check_designated.py
has "$T/err" ' 0 positional initialiser\(s\) in [0-9]{3,} files' "the whole tree was scanned"

cat >"$T/bad.c" <<'C'
struct p { int a, b; };
typedef struct q { const char *name; int n; } q;
static struct p x = {1, 2};
static const q table[] = {{.name = "a", .n = 1}, {"b", 2}};
static struct p f(void) { return (struct p){3, 4}; }
static struct p ok = {.a = 1, .b = 2}, zero = {0};
static const char *const names[] = {"a", "b"};
C
run 1 "planted positional initialisers are found" python3 tests/check_designated.py "$T/bad.c"
has "$T/out" 'bad\.c:3: positional initialiser' "a positional struct variable"
has "$T/out" 'bad\.c:4: positional initialiser: \{"' "a positional element of a table of structs"
has "$T/out" 'bad\.c:5: positional initialiser' "a positional compound literal"
hasnt "$T/out" 'bad\.c:[67]:' "designated, {0} and an array of strings pass"
count "$T/out" 'positional initialiser' 3 "exactly the three planted ones"
# The out-of-memory policy: abort() only in cc_fatal (converters/model/arena.c).
grep -rn 'abort()' converters formats schemas >"$T/aborts" || true
count "$T/aborts" 'abort\(\)' 1 "one abort() in the library"
has "$T/aborts" '^converters/model/arena\.c:' "and it is cc_fatal's"
# One FNV-1a: its offset basis is written out once.
grep -rlE '0xcbf29ce484222325|14695981039346656037|1469598103934665603' converters formats schemas >"$T/fnv" || true
count "$T/fnv" '.' 1 "FNV-1a written out in one file"
has "$T/fnv" 'converters/util/cc_hash\.h' "converters/util/cc_hash.h"
e2e_end e2e-source-rules
