#!/bin/sh
# The library people link (issue 13 §5): `make install DESTDIR=… PREFIX=/usr/local`, then the
# example program (examples/convert_verify.c) built against the installed tree with
# pkg-config, once with the shared library and once with the static one, and run: it
# converts a sample (byte for byte what `credconv convert` writes) and verifies a VC-JWT
# signed here with `credconv sign`.  The shared library exports exactly the functions the
# installed headers declare (nm -D, against the compiler's own list of the declarations),
# the static one makes no other symbol global, and the headers compile as C++.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_install.sh    (run from the project root)
. tests/e2e/sh_lib.sh
B=$(dirname "$CC_BIN")
case $B in */build|*/build/*) BUILD=${B#"$PWD"/} ;; *) BUILD=build ;; esac
ROOT=$T/root
P=$ROOT/usr/local
# The objects already built are reused; the library's own (-fPIC) are made once per BUILD.
# Not with the calling build's flags (sanitizers, --coverage: make passes a command line's
# variables down through the environment): the example links no such runtime.
env -u MAKEFLAGS -u MAKELEVEL -u CFLAGS -u SAN make -s -j2 BUILD="$BUILD" SAN= CFLAGS="-O2 -g" install \
    DESTDIR="$ROOT" PREFIX=/usr/local >"$T/make.out" 2>&1
st=$?
if [ $st -eq 0 ]; then ok; else ko "make install: exit $st"; tail -5 "$T/make.out"; fi
for f in bin/credconv lib/libcredconv.so.0 lib/libcredconv.so lib/libcredconv.a include/credconv/credconv.h \
         include/credconv/api.h lib/pkgconfig/credconv.pc share/credconv/schemas/rncp-4.1.xsd; do
    if [ -e "$P/$f" ]; then ok; else ko "not installed: $f"; fi
done
readelf -d "$P/lib/libcredconv.so.0" >"$T/dyn" 2>&1
has "$T/dyn" 'SONAME.*\[libcredconv\.so\.0\]' "the shared library's soname"

# ------------------------------------------------------------ pkg-config against the tree
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
PC="pkg-config --define-variable=prefix=$P"
$PC --cflags --libs credconv >"$T/pc" 2>&1
has "$T/pc" "^-I$P/include .*-L$P/lib -lcredconv *$" "pkg-config: -I, -L and -lcredconv alone"
$PC --static --libs credconv >"$T/pcs" 2>&1
has "$T/pcs" '-lcredconv .*-lxml2' "pkg-config --static adds the libraries credconv needs"
schemadir=$($PC --variable=schemadir credconv)
[ "$schemadir" = "$P/share/credconv/schemas" ] && ok || ko "schemadir variable: $schemadir"

EX=examples/convert_verify.c
# shellcheck disable=SC2046 # the flags are words
cc -std=c11 -Wall -Wextra -Werror "$EX" $($PC --cflags --libs credconv) -o "$T/ex-shared" 2>"$T/cc1"
[ -x "$T/ex-shared" ] && ok || { ko "the example does not build with the shared library"; head -5 "$T/cc1"; }
# --static: the libraries credconv needs; -l:libcredconv.a picks the archive over the .so.
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror "$EX" $($PC --cflags credconv) \
    $($PC --static --libs credconv | sed 's/-lcredconv/-l:libcredconv.a/') -o "$T/ex-static" 2>"$T/cc2"
[ -x "$T/ex-static" ] && ok || { ko "the example does not build with the static library"; head -5 "$T/cc2"; }
readelf -d "$T/ex-shared" >"$T/d1" 2>&1
has "$T/d1" 'NEEDED.*libcredconv\.so\.0' "the shared build needs libcredconv.so.0"
readelf -d "$T/ex-static" >"$T/d2" 2>&1
hasnt "$T/d2" 'libcredconv' "the static build needs no libcredconv.so"
(LD_LIBRARY_PATH= "$T/ex-shared" x x x x) >/dev/null 2>"$T/noload"
has "$T/noload" 'libcredconv\.so\.0' "without LD_LIBRARY_PATH the shared build does not find the library"

# ------------------------------------------------------------ the two builds at work
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl pkey -in "$T/rsa.pem" -pubout -out "$T/rsa.pub.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub.pem" 2>/dev/null
cat >"$T/cred.json" <<'JSON'
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"id":"urn:uuid:2a8f0d1e-3c4b-4d5e-8f60-718293a4b5c6","type":["VerifiableCredential","OpenBadgeCredential"],"issuer":{"id":"https://ecole.example/issuer","type":["Profile"],"name":"École"},"validFrom":"2024-06-30T00:00:00Z","validUntil":"2099-12-31T00:00:00Z","name":"Bloc 1","credentialSubject":{"id":"did:example:jeanne","type":["AchievementSubject"],"achievement":{"id":"https://ecole.example/a/1","type":["Achievement"],"name":"Bloc 1","description":"d","criteria":{"narrative":"n"}}}}
JSON
"$CC_BIN" sign --key "$T/rsa.pem" "$T/cred.json" >"$T/cred.jwt" 2>"$T/err" && ok || ko "credconv sign"
# A forgery: the payload's name changed, the signature kept.
h=$(cut -d. -f1 "$T/cred.jwt"); s=$(cut -d. -f3 "$T/cred.jwt")
p=$(cut -d. -f2 "$T/cred.jwt" | tr '_-' '/+' | awk '{ n = length($0) % 4; if (n) $0 = $0 substr("==", 1, 4 - n); print }' |
    base64 -d | sed 's/"Bloc 1"/"Bloc 9"/g' | basenc --base64url -w0 | tr -d '=')
printf '%s.%s.%s\n' "$h" "$p" "$s" >"$T/forged.jwt"
"$CC_BIN" convert -t ob3 samples/rncp-sample.xml >"$T/want.json" 2>/dev/null

# The library finds the installed schemas through $CREDCONV_SCHEMAS (the tree is not at
# the PREFIX it was built for).
export CREDCONV_SCHEMAS="$P/share/credconv/schemas"
for kind in shared static; do
    ex() { LD_LIBRARY_PATH="$P/lib" "$T/ex-$kind" "$@"; }
    run 0 "$kind: convert and verify with the issuer's key" ex samples/rncp-sample.xml ob3 "$T/$kind.json" \
        "$T/cred.jwt" "$T/rsa.pub.pem"
    has "$T/out" '^read: RNCP99001 \(achievement, line 6\)$' "$kind: cc_read_records gives the first fiche"
    has "$T/out" '^read: 2 records$' "$kind: and both"
    has "$T/out" '^converted: 2 read, 2 written, 0 rejected \(status 0\)$' "$kind: cc_convert's counts"
    same "$T/$kind.json" "$T/want.json" "$kind: cc_convert writes what credconv convert writes"
    has "$T/out" '^verified: VC-JWT: valid: signature valid \(RS256.*key bound to the issuer: the key was given' \
        "$kind: cc_verify_buffer: valid, and bound to the given key"
    has "$T/out" '^errors: 0$' "$kind: no diagnostic error"
    run 1 "$kind: the key in the token's header alone" ex samples/rncp-sample.xml ob3 "$T/x.json" "$T/cred.jwt"
    has "$T/out" '^verified: VC-JWT: INVALID \(key-not-bound\)$' "$kind: a self-signed token is not bound"
    hasnt "$T/out" 'valid:' "$kind: and not called valid"
    has "$T/err" '\[key-not-bound\]' "$kind: the diagnostic reaches the caller's sink, with its rule"
    run 1 "$kind: a forged token" ex samples/rncp-sample.xml ob3 "$T/x.json" "$T/forged.jwt" "$T/rsa.pub.pem"
    has "$T/out" '^verified: VC-JWT: INVALID' "$kind: the forgery is INVALID"
    hasnt "$T/out" 'valid:' "$kind: the forgery is never valid"
    run 1 "$kind: another issuer's key" ex samples/rncp-sample.xml ob3 "$T/x.json" "$T/cred.jwt" "$T/other.pub.pem"
    hasnt "$T/out" 'valid:' "$kind: a token checked against the wrong key is not valid"
    printf 'not a credential\n' >"$T/bad.xml"
    run 1 "$kind: an input no format reads" ex "$T/bad.xml" ob3 "$T/x.json" "$T/cred.jwt" "$T/rsa.pub.pem"
    has "$T/out" '^converted: 0 read' "$kind: nothing converted"
    has "$T/err" '\[detect\]' "$kind: with the detect rule"
done

# ------------------------------------------------------------ what the libraries export
# The compiler's own list of the functions the installed headers declare (-aux-info), and
# the dynamic symbols the shared library defines: the same names, nothing else.
printf '#include <credconv/api.h>\n' >"$T/decl.c"
cc -std=c99 -Wall -Wextra -Werror -pedantic -fsyntax-only -aux-info "$T/decl.txt" -I"$P/include" "$T/decl.c" 2>&1 &&
    ok || ko "the headers do not compile alone as C99 without a warning"
grep "$P/include/credconv/" "$T/decl.txt" | sed -n 's/.*[ *]\([A-Za-z_][A-Za-z0-9_]*\) (.*/\1/p' | LC_ALL=C sort -u >"$T/declared"
nm -D --defined-only "$P/lib/libcredconv.so.0" | awk '$2 ~ /^[TDBRVWiu]$/ { sub(/@.*/, "", $3); print $3 }' |
    grep -v '^CREDCONV_0$' | LC_ALL=C sort -u >"$T/exported"
n=$(wc -l <"$T/declared")
[ "$n" -ge 40 ] && ok || ko "only $n functions found in the installed headers"
if cmp -s "$T/declared" "$T/exported"; then ok; else
    ko "nm -D lists other symbols than the headers declare"; diff "$T/declared" "$T/exported" | head -10; fi
hasnt "$T/exported" '^(cc_run|cc_json_parse|cc_jws_parse|cc_rdfc_canonize)$' "no internal function is exported"
# The archive: one object whose only global definitions are the same functions.
nm --defined-only "$P/lib/libcredconv.a" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[A-Z]$/ { print $3 }' |
    LC_ALL=C sort -u >"$T/static"
if cmp -s "$T/declared" "$T/static"; then ok; else
    ko "libcredconv.a makes other symbols global"; diff "$T/declared" "$T/static" | head -10; fi
nm -D "$T/ex-static" 2>/dev/null | grep -c ' T cc_' >"$T/n"; [ "$(cat "$T/n")" -eq 0 ] && ok || ko "the static build exports cc_ symbols"

# extern "C": a C++ program calls the library.
if command -v c++ >/dev/null; then
    cat >"$T/x.cpp" <<'CPP'
#include <credconv/api.h>
#include <cstdio>
int main() { const cc_format *f = cc_format_find("ob3"); std::printf("%s %s\n", cc_lib_version(), f ? f->name : "-"); }
CPP
    # shellcheck disable=SC2046
    c++ -std=c++11 -Wall -Wextra -Werror -pedantic "$T/x.cpp" $($PC --cflags --libs credconv) -o "$T/x-cpp" \
        2>"$T/cxx" && ok || { ko "C++ does not build without a warning, or does not link"; head -3 "$T/cxx"; }
    run 0 "the C++ program" env LD_LIBRARY_PATH="$P/lib" "$T/x-cpp"
    has "$T/out" '^[0-9]+\.[0-9]+\.[0-9]+ ob3$' "C++ calls the C functions"
else
    skip=$((skip + 1)); echo "SKIP: no C++ compiler"
fi
e2e_end e2e-install
