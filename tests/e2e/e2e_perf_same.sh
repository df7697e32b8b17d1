#!/bin/sh
# Output before and after the speed work of issue 17: byte for byte the same.  Signed output
# with fixed dates (SOURCE_DATE_EPOCH for the proofs' created and the issued dates; VC-JWTs
# carry no iat) and fixed keys, over every credential the corpus's 12 real RNCP fiches give
# (one recipient per block), is hashed and compared with the hashes the binary of main
# produced before any optimisation (built in a temporary folder from commit 0d1bf53; the
# hashes below).  Ed25519 and RSA PKCS#1 v1.5 are deterministic, so the whole output is
# compared; an ES256 signature is not (a fresh k each time), so for ES256 the signing input
# (header and payload) is compared and each signature is checked with openssl.
# With CREDCONV_BASE=path/to/a/credconv (main's binary), the same outputs are also compared
# file by file with that binary's, with keys generated here.
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_perf_same.sh    (run from the project root)
if [ -f tests/e2e/sh_lib.sh ]; then . tests/e2e/sh_lib.sh; else . tests/sh_lib.sh; fi
FICHES=$CORPUS/rncp/mcp-rncp_export_fiches_RNCP_V4_1_fixture_12fiches.xml
export SOURCE_DATE_EPOCH=1764000000
if ! [ -f "$FICHES" ] || ! ctx_map; then
    skipped "outputs compared with main's"
    finish e2e_perf_same
    exit $?
fi

# ------------------------------------------------------------ fixed keys
# Ed25519 from a fixed seed (bytes 1..32): PKCS#8 = prefix ‖ seed.
{ printf '302e020100300506032b657004220420'; printf '%02x' $(seq 1 32); } | xxd -r -p >"$T/ed.der"
openssl pkey -inform DER -in "$T/ed.der" -out "$T/ed.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
openssl pkey -in "$T/ec.pem" -pubout -out "$T/ec.pub.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl pkey -in "$T/rsa.pem" -pubout -out "$T/rsa.pub.pem" 2>/dev/null
KID=https://www.ecole-du-cycle.example/#key-1
# The issuer's controller document, as signing describes it: verify binds the key with it.

# ------------------------------------------------------------ the credentials
"$CC_BIN" convert -q -t model "$FICHES" >"$T/model.jsonl" 2>/dev/null
grep -o '"code":"RNCP[0-9]*BC[0-9]*","kind":"skills-block"' "$T/model.jsonl" | cut -d'"' -f4 |
    awk 'BEGIN { print "email,given_name,family_name,achievement" }
         { n++; printf "p%d@example.org,Prénom,Nom%d,%s\n", n, n, $0 }' >"$T/rows.csv"
run 0 "credentials issued" "$CC_BIN" convert -q -t ob3 --issuer samples/issuer.json --recipients "$T/rows.csv" \
    --id-base https://bench.example/c "$FICHES"
mv "$T/out" "$T/creds.jsonl"
ncred=$(wc -l <"$T/creds.jsonl" | tr -d ' ')
[ "$ncred" -ge 40 ] && ok || ko "only $ncred credentials issued"

head -n 1 "$T/creds.jsonl" >"$T/one.jsonl"
"$CC_BIN" sign --suite eddsa-rdfc-2022 --key "$T/ed.pem" --kid "$KID" $M "$T/one.jsonl" 2>&1 >/dev/null |
    awk '/^\{/ { p = 1 } p { print } /^\}/ { exit }' >"$T/ctrl.json"
has "$T/ctrl.json" '"assertionMethod"' "the controller document signing describes"
CTRL="--map-url https://www.ecole-du-cycle.example/=$T/ctrl.json"

# outputs DIR BIN: every output compared, made by BIN into DIR.
outputs() {
    d=$1 b=$2
    mkdir -p "$d"
    "$b" convert -q -t ob3 "$FICHES" >"$d/achievements.jsonl" 2>/dev/null
    cp "$T/creds.jsonl" "$d/creds.jsonl"
    "$b" sign --suite eddsa-rdfc-2022 --key "$T/ed.pem" --kid "$KID" $M "$T/creds.jsonl" >"$d/di.jsonl" 2>/dev/null
    "$b" sign --alg EdDSA --key "$T/ed.pem" "$T/creds.jsonl" >"$d/eddsa.jwt" 2>/dev/null
    "$b" sign --alg EdDSA --key "$T/ed.pem" --kid "$KID" "$T/creds.jsonl" >"$d/eddsa-kid.jwt" 2>/dev/null
    "$b" sign --alg ES256 --key "$T/ec.pem" --kid "$KID" "$T/creds.jsonl" >"$d/es256.jwt" 2>/dev/null
    "$b" sign --alg RS256 --key "$T/rsa.pem" --kid "$KID" "$T/creds.jsonl" >"$d/rs256.jwt" 2>/dev/null
    "$b" convert -q -t ob3 --issuer samples/issuer.json --recipients "$T/rows.csv" --id-base https://bench.example/c \
        --sign "$T/ed.pem" --suite eddsa-rdfc-2022 --kid "$KID" $M "$FICHES" >"$d/convert-di.jsonl" 2>/dev/null
    "$b" convert -q -t ob3 --issuer samples/issuer.json --recipients "$T/rows.csv" --id-base https://bench.example/c \
        --sign "$T/ed.pem" "$FICHES" >"$d/convert-eddsa.jwt" 2>/dev/null
    # issuing + signing with the keys made for the run: their signing inputs are compared
    for a in ES256:ec RS256:rsa; do
        "$b" convert -q -t ob3 --issuer samples/issuer.json --recipients "$T/rows.csv" --id-base https://bench.example/c \
            --sign "$T/${a#*:}.pem" --alg "${a%:*}" --kid "$KID" "$FICHES" 2>/dev/null | cut -d. -f1,2 >"$d/convert-${a#*:}.input"
    done
    # named relative to $d, so that the verdicts of two binaries compare
    (cd "$d" && "$b" verify $CTRL $M di.jsonl >verify-di.txt 2>&1
     "$b" verify --accept-unbound-key eddsa.jwt >verify-eddsa.txt 2>&1
     "$b" verify --key "$T/ec.pub.pem" es256.jwt >verify-es256.txt 2>&1
     "$b" validate -f ob3 creds.jsonl >validate.txt 2>&1)
    # the same documents, one file each, a few broken: every verdict and diagnostic compared
    mkdir -p "$d/files"
    split -l 1 -a 3 --additional-suffix=.json "$T/creds.jsonl" "$d/files/c"
    sed 's/"validFrom":"[^"]*"/"validFrom":"yesterday"/' "$d/files/caaa.json" >"$d/files/bad1.json"
    sed 's/"type":\["VerifiableCredential","OpenBadgeCredential"\]/"type":["VerifiableCredential"]/' \
        "$d/files/caab.json" >"$d/files/bad2.json"
    (cd "$d" && "$b" validate -f ob3 files/*.json >validate-files.txt 2>&1)
    rm -r "$d/files"
}
case $CC_BIN in /*) ;; *) CC_BIN=$PWD/$CC_BIN ;; esac
outputs "$T/now" "$CC_BIN"

# The ES256 tokens: header.payload kept, each signature checked by openssl.
cut -d. -f1,2 "$T/now/es256.jwt" >"$T/now/es256.input"
cut -d. -f1,2 "$T/now/rs256.jwt" >"$T/now/rs256.input"
# PERF_SAME_DUMP=FILE: write the hashes (how the table below was made, with main's binary).
[ -n "${PERF_SAME_DUMP:-}" ] && (cd "$T/now" && for f in *; do
    case $f in es256.jwt|rs256.jwt|verify-es256.txt) continue ;; esac
    printf "%s %s\n" "$f" "$(sha256sum <"$f" | cut -c1-64)"; done) >"$PERF_SAME_DUMP"
bad=0
while IFS= read -r tok; do
    printf '%s' "${tok%.*}" >"$T/in"
    printf '%s' "${tok##*.}" | tr '_-' '/+' | awk '{ n = length($0) % 4; if (n) $0 = $0 substr("==", 1, 4 - n); print }' |
        base64 -d | xxd -p | tr -d '\n' >"$T/rs"
    printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "$(cut -c1-64 "$T/rs")" "$(cut -c65-128 "$T/rs")" >"$T/der.cnf"
    openssl asn1parse -genconf "$T/der.cnf" -out "$T/sig.der" -noout >/dev/null 2>&1
    openssl dgst -sha256 -verify "$T/ec.pub.pem" -signature "$T/sig.der" "$T/in" >/dev/null 2>&1 || bad=$((bad + 1))
done <"$T/now/es256.jwt"
[ "$bad" = 0 ] && ok || ko "$bad ES256 signatures do not verify with openssl"
bad=0
while IFS= read -r tok; do
    printf '%s' "${tok%.*}" >"$T/in"
    printf '%s' "${tok##*.}" | tr '_-' '/+' | awk '{ n = length($0) % 4; if (n) $0 = $0 substr("==", 1, 4 - n); print }' |
        base64 -d >"$T/sig.bin"
    openssl dgst -sha256 -verify "$T/rsa.pub.pem" -signature "$T/sig.bin" "$T/in" >/dev/null 2>&1 || bad=$((bad + 1))
done <"$T/now/rs256.jwt"
[ "$bad" = 0 ] && ok || ko "$bad RS256 signatures do not verify with openssl"
count "$T/now/rs256.jwt" '.' "$ncred" "one RS256 token per credential"
count "$T/now/es256.jwt" '.' "$ncred" "one ES256 token per credential"
count "$T/now/di.jsonl" '"proofValue":"z' "$ncred" "one proof per credential"
count "$T/now/verify-di.txt" 'signature valid \(eddsa-rdfc-2022' "$ncred" "every proof verifies"
count "$T/now/verify-es256.txt" 'signature valid \(ES256' "$ncred" "every ES256 token verifies"
has "$T/now/validate-files.txt" 'bad1.json' "the broken files are named"

# The hashes main's binary gave (commit 0d1bf53, before issue 17's changes).
# (convert-ec.input and convert-rsa.input: main at f52795e, equal to es256/rs256.input.)
while read -r f want; do
    got=$(sha256sum <"$T/now/$f" | cut -c1-64)
    [ "$got" = "$want" ] && ok || ko "$f differs from main's output (sha256 $got)"
done <<'HASHES'
achievements.jsonl 709aee5a41d4e09d42bd7de104fed97ae93d2f1b65179f6a170bd42389f5ca4a
convert-di.jsonl 2847d0bf652abdd1be82df1011ff7047bd8299d69fdd124c7e5aaaf55e889e28
convert-eddsa.jwt 9dc9f88fa92cc3b6b46ff7b92ca51b2530f445db7a8d36009757817607ca7236
convert-ec.input 727a22b68d850ac66590f0fd5e58b04ee3e176ffe532926f3eb6f258f5d26603
convert-rsa.input 5894bc551d6cb14488ad37c5f3b0d1c39086c1f8e82e419929d2ca3e39c3365b
creds.jsonl dec6910649490829aacf81008bf1202de4ae51f54cfe7f0d91157d15d924bbd8
di.jsonl 2847d0bf652abdd1be82df1011ff7047bd8299d69fdd124c7e5aaaf55e889e28
eddsa-kid.jwt 87a3a689967fb24e8eceecc8f31ed1ac834771c406dd2a4212f0a5d96b3a76e4
eddsa.jwt 9dc9f88fa92cc3b6b46ff7b92ca51b2530f445db7a8d36009757817607ca7236
es256.input 727a22b68d850ac66590f0fd5e58b04ee3e176ffe532926f3eb6f258f5d26603
rs256.input 5894bc551d6cb14488ad37c5f3b0d1c39086c1f8e82e419929d2ca3e39c3365b
validate-files.txt de387a4bfd89fd3916ed5d7d846a1b83ec3d78160c0e486f603638d49dec049c
validate.txt 170146c8915c36885eabf0b4e7a21b148a154cc9110270bcf1fa61095d4a1f81
verify-di.txt e046249558b2a6a48f01663de2fb36d9dd81b2c44e076c2a1d50149efca5b368
verify-eddsa.txt c264c68e6ef1773f3a2101246c0b180ee30c178439b9550200178414ba5a80fc
HASHES

# The same against a given binary of main, every file.
if [ -n "${CREDCONV_BASE:-}" ]; then
    outputs "$T/base" "$CREDCONV_BASE"
    cut -d. -f1,2 "$T/base/es256.jwt" >"$T/base/es256.input"
    cut -d. -f1,2 "$T/base/rs256.jwt" >"$T/base/rs256.input"
    for f in "$T"/now/*; do
        case $f in */es256.jwt|*/rs256.jwt) continue ;; esac
        same "$f" "$T/base/$(basename "$f")" "$(basename "$f") against $CREDCONV_BASE"
    done
fi
finish e2e_perf_same
