#!/bin/sh
# JAdES seals (issue 15): the corpus's sealed ELM 3 credentials verify; every tampered copy
# (payload byte, header member, signature, swapped certificate, stripped or unknown crit,
# b64 confusion, a second signature, unsigned header parameters) is INVALID, exit 1, with
# no "seal valid" printed; seals made by credconv (RS256, PS256, ES256; sign and convert
# --sign) verify; --ca trust and the key <-> issuer binding; an RFC 3161 adoTst timestamp
# made here by `openssl ts`, and its tampered forms.
. tests/e2e/sh_lib.sh
PY="python3 tests/e2e/jws_tool.py"
ELM=$CORPUS/edc/elm-v3
SAMPLES="$ELM/samples/Sample-CertOfPart-signed.jsonld $ELM/samples/Sample-MC-Annex1-signed.jsonld
$ELM/edci-2.x-samples/test_credential-signed.jsonld"
UNSIGNED=$ELM/samples/Sample-CertOfPart-unsigned.jsonld

# invalid NAME RULE FILE [OPTIONS]: verify exits 1, names RULE, prints no valid verdict.
invalid() {
    _n=$1 _r=$2 _f=$3
    shift 3
    run 1 "$_n" "$CC_BIN" verify "$@" "$_f"
    has "$T/out" "INVALID \\($_r\\)" "$_n: reason $_r"
    hasnt "$T/out" 'seal valid|: valid' "$_n: no valid verdict"
}

# ------------------------------------------------------------ a test PKI
P=$T/pki
mkdir -p "$P"
cat >"$P/ext.cnf" <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[seal]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
[tsa]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
CNF
root() {  # NAME CN
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$P/$1.key" -subj "/CN=$2" -days 30 \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -out "$P/$1.pem" 2>/dev/null
}
issue() {  # NAME SUBJECT ISSUER SECTION KEYALG
    case $5 in
        rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$P/$1.key" 2>/dev/null ;;
        ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$P/$1.key" 2>/dev/null ;;
    esac
    openssl req -new -key "$P/$1.key" -subj "$2" -out "$P/$1.csr" 2>/dev/null
    openssl x509 -req -in "$P/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" -CAcreateserial -days 20 \
        -extfile "$P/ext.cnf" -extensions "$4" -out "$P/$1.pem" 2>/dev/null
}
root root "Test Root CA"
root other "Other Root CA"
issue inter "/CN=Test Seal CA" root ca rsa
issue seal "/C=FR/O=Ecole Test/organizationIdentifier=VATFR-12345678901/CN=Ecole Test Seal" inter seal rsa
issue ecseal "/C=FR/O=Ecole Test/organizationIdentifier=VATFR-12345678901/CN=Ecole Test Seal EC" inter seal ec
issue tsa "/C=FR/O=Test TSA/CN=Test TSA" root tsa rsa
issue stranger "/C=FR/O=Someone Else/CN=Someone Else" other seal rsa
if [ -s "$P/seal.pem" ] && [ -s "$P/ecseal.pem" ] && [ -s "$P/tsa.pem" ]; then ok; else ko "test PKI"; fi

# ------------------------------------------------------------ the corpus seals
if [ -f "$UNSIGNED" ]; then
    for f in $SAMPLES; do
        b=$(basename "$f" .jsonld)
        # the EDCI test credential's seal is intact, but the credential is no valid EDC 3
        # (a dev.everisdx.io context, a registration without notation): the edc3 checks say so
        expect_rc=0
        [ "$b" = test_credential-signed ] && expect_rc=1
        run 1 "$b: not bound without --key or --ca" "$CC_BIN" verify "$f"
        has "$T/out" 'JAdES seal: INVALID \(key-not-bound\)' "$b: key-not-bound"
        run $expect_rc "$b: seal valid (--accept-unbound-key)" "$CC_BIN" verify --accept-unbound-key "$f"
        has "$T/out" 'JAdES seal: seal valid \(JAdES, RS256, unencoded payload' "$b: seal valid"
        has "$T/out" 'adoTst timestamp 20[0-9-]+T[0-9:]+Z \(imprint and signature\)' "$b: adoTst checked"
        has "$T/out" 'sigTst timestamp 20[0-9-]+T[0-9:]+Z \(imprint and signature\)' "$b: sigTst checked"
        has "$T/out" 'not evaluated: who signed' "$b: who signed not evaluated"
        $PY leaf "$f" >"$T/$b.leaf.pem"
        run $expect_rc "$b: bound by --key (its certificate)" "$CC_BIN" verify --key "$T/$b.leaf.pem" "$f"
        has "$T/out" 'key bound to the issuer: the certificate was given' "$b: bound"
        if [ $expect_rc = 1 ]; then has "$T/err" 'edc3-context' "$b: the edc3 reader's checks ran"
        else has "$T/err" '1 records read, 1 valid' "$b: the edc3 reader read and checked the sealed credential"; fi
        invalid "$b: another key given" jades-key-mismatch "$f" --key "$P/stranger.pem"
        invalid "$b: --ca that is not its root" jades-cert-untrusted "$f" --ca "$P/root.pem"
    done
    S1=$ELM/samples/Sample-CertOfPart-signed.jsonld
    $PY leaf "$S1" >"$T/s1.pem"
    # each attack on the EC's own seal
    for m in payload-byte header-member signature; do
        $PY edit "$S1" "$T/s1-$m.json" "$m"
        invalid "corpus seal, $m changed" jades-signature "$T/s1-$m.json" --key "$T/s1.pem"
    done
    $PY edit "$S1" "$T/s1-strip.json" strip-crit  # the header rules come before the signature
    invalid "corpus seal, crit stripped" jws-crit "$T/s1-strip.json" --key "$T/s1.pem"
    $PY edit "$S1" "$T/s1-swap.json" swap-cert "$P/stranger.pem"
    invalid "corpus seal, certificate swapped" jades-x5t "$T/s1-swap.json"
    invalid "corpus seal, certificate swapped, --accept-unbound-key" jades-x5t "$T/s1-swap.json" --accept-unbound-key
    $PY edit "$S1" "$T/s1-2sig.json" second-signature
    invalid "corpus seal, a second signature" jades-signatures "$T/s1-2sig.json" --key "$T/s1.pem"
    for u in x5c alg kid; do
        $PY edit "$S1" "$T/s1-u$u.json" unprotected "$u"
        invalid "corpus seal, unprotected $u" 'jades-(unprotected|header)' "$T/s1-u$u.json" --key "$T/s1.pem"
    done
    $PY edit "$S1" "$T/s1-sigtst.json" sigtst adoTst
    invalid "corpus seal, sigTst replaced by a token over the payload" jades-timestamp "$T/s1-sigtst.json" --key "$T/s1.pem"
    $PY edit "$S1" "$T/s1-extra.json" extra-member
    invalid "corpus seal, a member beside the JWS" jades-syntax "$T/s1-extra.json" --key "$T/s1.pem"
    $PY edit "$S1" "$T/s1-dup.json" duplicate-payload
    invalid "corpus seal, a second payload member" json-syntax "$T/s1-dup.json" --key "$T/s1.pem"
    $PY edit "$S1" "$T/s1-det.json" detached
    invalid "corpus seal, payload detached" jades-syntax "$T/s1-det.json" --key "$T/s1.pem"
    $PY edit "$S1" "$T/s1-flat.json" flatten
    run 0 "corpus seal, flattened form" "$CC_BIN" verify --key "$T/s1.pem" "$T/s1-flat.json"
    has "$T/out" 'seal valid' "the flattened serialisation verifies"
else
    for i in 1 2 3 4 5 6; do skipped "JAdES corpus seals"; done
fi

# ------------------------------------------------------------ credconv's seals
# The payload: the credential the EC sealed in Sample-CertOfPart-signed (a sealed EDC 3
# credential: issued, an eIDAS identifier of another organisation), or an invented one without
# the corpus; and a copy whose issuer has the test certificate's eIDAS identifier.
if [ -f "$UNSIGNED" ]; then
    python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["payload"])' \
        "$ELM/samples/Sample-CertOfPart-signed.jsonld" >"$T/cred.json"
else
    printf '{"id":"urn:credential:1","type":["VerifiableCredential","EuropeanDigitalCredential"],"issuer":{"id":"urn:org:1","legalName":{"en":"Ecole"}},"validFrom":"2024-01-01T00:00:00Z"}\n' >"$T/cred.json"
fi
python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
e=d["issuer"].setdefault("eIDASIdentifier",{"id":"urn:epass:legalIdentifier:1","type":"LegalIdentifier"})
e["notation"]="VATFR-12345678901"
print(json.dumps(d,ensure_ascii=False))' "$T/cred.json" >"$T/cred-eidas.json"

run 0 "sign --cert (RS256)" "$CC_BIN" sign --key "$P/seal.key" --cert "$P/seal.pem" --chain "$P/inter.pem" "$T/cred.json"
cp "$T/out" "$T/rs.json"
jqtrue "$T/rs.json" '(.signatures | length) == 1 and (.payload | type) == "string"' "general serialisation, payload a string"
$PY header "$T/rs.json" >"$T/rs.hdr"
jqtrue "$T/rs.hdr" '.alg == "RS256" and .b64 == false and .crit == ["b64","sigT"] and (.x5c | length) == 2 and has("x5t#S256") and (.sigT | test("^[0-9-]{10}T[0-9:]{8}Z$")) and .typ == "jose+json"' "baseline-B header"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["payload"] != open(sys.argv[2], encoding="utf-8").read().strip())' "$T/rs.json" "$T/cred.json" && ok || ko "the payload is the credential's bytes, unencoded"
run 0 "credconv seal, --key its certificate" "$CC_BIN" verify --key "$P/seal.pem" "$T/rs.json"
has "$T/out" 'seal valid \(JAdES, RS256, unencoded payload.*chain\[1\] CN=Test Seal CA.*key bound to the issuer: the certificate was given' "verdict names the chain"
invalid "credconv seal, no key" key-not-bound "$T/rs.json"
run 1 "credconv seal, --ca, issuer of another eIDAS identifier" "$CC_BIN" verify --ca "$P/root.pem" "$T/rs.json"
has "$T/err" 'trusted by --ca, but it names the organisation "VATFR-12345678901"' "trusted, not the issuer's"
hasnt "$T/out" 'seal valid' "trusted but unbound: no valid verdict"
run 0 "sign --cert, issuer's eIDAS identifier" "$CC_BIN" sign --key "$P/seal.key" --cert "$P/seal.pem" --chain "$P/inter.pem" "$T/cred-eidas.json"
cp "$T/out" "$T/rs-eidas.json"
run 0 "--ca trusts the chain and the certificate names the issuer" "$CC_BIN" verify --ca "$P/root.pem" "$T/rs-eidas.json"
has "$T/out" 'chain trusted by --ca at sigT; key bound to the issuer: the certificate is trusted by --ca .* and names the issuer.s eIDAS identifier VATFR-12345678901' "bound by trust"
invalid "--ca of another root" jades-cert-untrusted "$T/rs-eidas.json" --ca "$P/other.pem"
run 0 "sign --cert without --chain" "$CC_BIN" sign --key "$P/seal.key" --cert "$P/seal.pem" "$T/cred-eidas.json"
cp "$T/out" "$T/rs-nochain.json"
invalid "--ca, the chain lacks the intermediate" jades-cert-untrusted "$T/rs-nochain.json" --ca "$P/root.pem"
run 0 "sign --cert --alg PS256" "$CC_BIN" sign --key "$P/seal.key" --cert "$P/seal.pem" --alg PS256 "$T/cred.json"
cp "$T/out" "$T/ps.json"
run 0 "PS256 seal verifies" "$CC_BIN" verify --key "$P/seal.pem" "$T/ps.json"
has "$T/out" 'seal valid \(JAdES, PS256' "PS256"
run 0 "sign --cert (ES256)" "$CC_BIN" sign --key "$P/ecseal.key" --cert "$P/ecseal.pem" --chain "$P/inter.pem" "$T/cred.json"
cp "$T/out" "$T/es.json"
run 0 "ES256 seal verifies" "$CC_BIN" verify --key "$P/ecseal.pem" "$T/es.json"
has "$T/out" 'seal valid \(JAdES, ES256' "ES256"
run 2 "--cert of another key" "$CC_BIN" sign --key "$P/seal.key" --cert "$P/ecseal.pem" "$T/cred.json"
has "$T/err" 'jades-cert' "a certificate that is not the key's is refused"
run 2 "--alg PS256 without --cert" "$CC_BIN" sign --key "$P/seal.key" --alg PS256 "$T/cred.json"
run 2 "--ca on sign" "$CC_BIN" sign --key "$P/seal.key" --ca "$P/root.pem" "$T/cred.json"
run 2 "--chain without --cert" "$CC_BIN" sign --key "$P/seal.key" --chain "$P/inter.pem" "$T/cred.json"
run 2 "--cert with --suite" "$CC_BIN" sign --key "$P/seal.key" --cert "$P/seal.pem" --suite eddsa-rdfc-2022 "$T/cred.json"

# attacks on credconv's own seal; the forged ones re-signed by the key the verifier is given,
# so that the rule under test is the only thing wrong
for m in payload-byte header-member signature; do
    $PY edit "$T/rs.json" "$T/rs-$m.json" "$m"
    invalid "credconv seal, $m changed" jades-signature "$T/rs-$m.json" --key "$P/seal.pem"
done
$PY edit "$T/rs.json" "$T/rs-strip.json" strip-crit
invalid "credconv seal, crit stripped" jws-crit "$T/rs-strip.json" --key "$P/seal.pem"
$PY edit "$T/rs.json" "$T/rs-swap.json" swap-cert "$P/stranger.pem"
invalid "credconv seal, certificate swapped" jades-x5t "$T/rs-swap.json" --key "$P/stranger.pem"
$PY edit "$T/rs.json" "$T/rs-2sig.json" second-signature
invalid "credconv seal, a second signature" jades-signatures "$T/rs-2sig.json" --key "$P/seal.pem"
K="$P/seal.key"
resign() { $PY resign "$T/rs.json" "$T/$1.json" "$K" RS256 "$2"; }
resign crit-stripped 'del h["crit"]'
invalid "re-signed without crit" jws-crit "$T/crit-stripped.json" --key "$P/seal.pem"
resign crit-nob64 'h["crit"] = ["sigT"]'
invalid "b64 false not listed in crit" jws-crit "$T/crit-nob64.json" --key "$P/seal.pem"
resign crit-nosigt 'h["crit"] = ["b64"]'
invalid "sigT not listed in crit" jws-crit "$T/crit-nosigt.json" --key "$P/seal.pem"
resign crit-unknown 'h["crit"].append("exp"); h["exp"] = 1'
invalid "an unknown critical parameter" jws-crit "$T/crit-unknown.json" --key "$P/seal.pem"
resign crit-absent 'h["crit"].append("adoTst")'
invalid "crit names a parameter that is absent" jws-crit "$T/crit-absent.json" --key "$P/seal.pem"
resign b64-true 'h["b64"] = True'
invalid "b64 true over an unencoded payload" jades-b64 "$T/b64-true.json" --key "$P/seal.pem"
resign b64-absent 'del h["b64"]; h["crit"] = ["sigT"]'
invalid "b64 absent over an unencoded payload" jades-b64 "$T/b64-absent.json" --key "$P/seal.pem"
resign b64-encoded 'p = b64u(p.encode())'
invalid "b64 false over a base64url payload" jades-payload "$T/b64-encoded.json" --key "$P/seal.pem"
resign b64-proper 'p = b64u(p.encode()); del h["b64"]; h["crit"] = ["sigT"]'
run 0 "a b64 true seal (base64url payload) verifies" "$CC_BIN" verify --key "$P/seal.pem" "$T/b64-proper.json"
has "$T/out" 'seal valid \(JAdES, RS256, base64url payload' "b64 true read as base64url"
resign alg-none 'h["alg"] = "none"'
invalid "alg none" jws-alg-none "$T/alg-none.json" --key "$P/seal.pem"
resign alg-hs 'h["alg"] = "HS256"'
invalid "alg HS256" jws-alg-hmac "$T/alg-hs.json" --key "$P/seal.pem"
resign alg-es 'h["alg"] = "ES256"'
invalid "alg ES256 with an RSA certificate" jws-alg-key-mismatch "$T/alg-es.json" --key "$P/seal.pem"
resign sigt-old 'h["sigT"] = "2001-01-01T00:00:00Z"'
invalid "sigT before the certificate" jades-cert-time "$T/sigt-old.json" --key "$P/seal.pem"
resign sigt-future 'h["sigT"] = "2999-01-01T00:00:00Z"'
invalid "sigT in the future" jades-sigt "$T/sigt-future.json" --key "$P/seal.pem"
resign sigt-form 'h["sigT"] = "2024-01-01T00:00:00+01:00"'
invalid "sigT not UTC" jades-sigt "$T/sigt-form.json" --key "$P/seal.pem"
resign sigt-none 'del h["sigT"]; h["crit"] = ["b64"]'
invalid "no sigT" jades-sigt "$T/sigt-none.json" --key "$P/seal.pem"
resign x5c-none 'del h["x5c"]'
invalid "no x5c" jades-x5c "$T/x5c-none.json" --key "$P/seal.pem"
resign x5t-other 'h["x5t#S256"] = b64u(b"0" * 32)'
invalid "x5t#S256 of another certificate" jades-x5t "$T/x5t-other.json" --key "$P/seal.pem"
resign not-json 'p = "not a credential"'
invalid "a payload that is not JSON" jades-payload "$T/not-json.json" --key "$P/seal.pem"

# ------------------------------------------------------------ convert --sign --cert
# edc3 takes JAdES seals (its descriptor); the issuer's eIDASIdentifier comes from the seal
# certificate's organizationIdentifier, as the Europass issuer adds it at sealing
printf 'email,given_name,family_name,achievement\na@example.org,Ann,Lee,RNCP99001\nb@example.org,Bo,Ng,RNCP99001BC01\n' >"$T/r.csv"
run 0 "convert -t edc3 --sign --cert" "$CC_BIN" convert -t edc3 --issuer samples/issuer.json --recipients "$T/r.csv" \
    --sign "$P/seal.key" --cert "$P/seal.pem" --chain "$P/inter.pem" -o "$T/sealed.ndjson" samples/rncp-sample.xml
count "$T/sealed.ndjson" '^\{"payload":"\{.*"signatures":\[\{"protected":"' 2 "one sealed credential per line"
count "$T/sealed.ndjson" 'eIDASIdentifier.{0,200}VATFR-12345678901' 2 "the issuer's eIDAS identifier from the certificate"
run 0 "verify a file of seals (edc3 checks run too)" "$CC_BIN" verify --key "$P/seal.pem" "$T/sealed.ndjson"
count "$T/out" 'sealed.ndjson:[12]: JAdES seal: seal valid' 2 "each line verified"
has "$T/err" '2 records read, 2 valid' "the edc3 reader read and checked both sealed credentials"
run 0 "--ca binds the sealed edc3 credentials" "$CC_BIN" verify --ca "$P/root.pem" "$T/sealed.ndjson"
count "$T/out" 'names the issuer.s eIDAS identifier VATFR-12345678901' 2 "bound by trust and identifier"
run 0 "validate -f edc3 the sealed credentials" "$CC_BIN" validate -f edc3 "$T/sealed.ndjson"
run 0 "convert -O -t edc3-vc2 --sign --cert (ES256)" "$CC_BIN" convert -t edc3-vc2 --issuer samples/issuer.json --recipients "$T/r.csv" \
    --sign "$P/ecseal.key" --cert "$P/ecseal.pem" -O "$T/sealed" samples/rncp-sample.xml
if [ "$(ls "$T/sealed" | grep -c '\.json$')" -eq 2 ]; then ok; else ko "-O: one .json per seal"; ls "$T/sealed"; fi
run 0 "verify the -O seals" "$CC_BIN" verify --key "$P/ecseal.pem" "$T"/sealed/*.json
count "$T/out" 'JAdES seal: seal valid \(JAdES, ES256' 2 "each file verified"
openssl req -x509 -new -key "$P/seal.key" -subj "/O=No Identifier/CN=Seal" -days 2 -out "$P/noorg.pem" 2>/dev/null
run 1 "a seal certificate without organizationIdentifier" "$CC_BIN" convert -t edc3 --issuer samples/issuer.json \
    --recipients "$T/r.csv" --sign "$P/seal.key" --cert "$P/noorg.pem" samples/rncp-sample.xml
has "$T/err" 'jades-eidas' "refused: no eIDAS identifier to give the issuer"
run 2 "--cert with an XML output" "$CC_BIN" convert -t edc --sign "$P/seal.key" --cert "$P/seal.pem" samples/rncp-sample.xml
run 2 "--cert with ob3 (no JAdES seal)" "$CC_BIN" convert -t ob3 --sign "$P/seal.key" --cert "$P/seal.pem" samples/rncp-sample.xml

# ------------------------------------------------------------ adoTst made by openssl ts
issue tsa2 "/C=FR/O=Other TSA/CN=Other TSA" other tsa rsa
# tsa_cnf SIGNER ROOT: an openssl ts configuration for that TSA
tsa_cnf() {
    cat >"$P/$1.cnf" <<CNF
[tsa_config]
serial = $P/$1.serial
signer_cert = $P/$1.pem
signer_key = $P/$1.key
certs = $P/$2.pem
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
CNF
    echo 01 >"$P/$1.serial"
}
tsa_cnf tsa root
tsa_cnf tsa2 other
# tst TSA DATAFILE OUT: a base64 timestamp token of that TSA over the file's bytes
tst() {
    openssl ts -query -data "$2" -sha256 -cert -out "$T/q.tsq" 2>/dev/null &&
        openssl ts -reply -config "$P/$1.cnf" -section tsa_config -queryfile "$T/q.tsq" -token_out \
            -out "$T/tok.der" 2>/dev/null && base64 -w0 "$T/tok.der" >"$3"
}
python3 -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["payload"])' "$T/rs-eidas.json" >"$T/payload.bin"
printf 'another payload' >"$T/other.bin"
if tst tsa "$T/payload.bin" "$T/tok.b64" && tst tsa "$T/other.bin" "$T/tok-other.b64" &&
    tst tsa2 "$T/payload.bin" "$T/tok2.b64"; then ok; else ko "openssl ts made the tokens"; fi
ADO='h["adoTst"] = {"tstTokens": [{"val": open("'"$T"'/TOK").read().strip()}]}; h["crit"].append("adoTst")'
ts_resign() { $PY resign "$T/rs-eidas.json" "$T/$1.json" "$K" RS256 "$(echo "$ADO" | sed "s|TOK|$2|")"; }
ts_resign ado tok.b64
run 0 "adoTst by openssl ts: imprint and signature" "$CC_BIN" verify --key "$P/seal.pem" "$T/ado.json"
has "$T/out" 'adoTst timestamp 20[0-9-]+T[0-9:]+Z \(imprint and signature\)' "timestamp checked"
has "$T/out" 'not evaluated: .*the timestamp authorities. trust' "TSA trust not evaluated without --ca"
run 0 "adoTst with --ca: TSA and seal chains trusted" "$CC_BIN" verify --ca "$P/root.pem" "$T/ado.json"
has "$T/out" 'adoTst timestamp .*TSA trusted by --ca' "TSA trusted by --ca"
hasnt "$T/out" 'timestamp authorit' "TSA trust not listed as unevaluated"
ts_resign ado-other tok-other.b64
invalid "adoTst over another payload" jades-timestamp "$T/ado-other.json" --key "$P/seal.pem"
invalid "adoTst over another payload, --ca" jades-timestamp "$T/ado-other.json" --ca "$P/root.pem"
python3 -c '
import base64,sys
b=bytearray(base64.b64decode(open(sys.argv[1]).read()))
b[-10]^=1
print(base64.b64encode(bytes(b)).decode())' "$T/tok.b64" >"$T/tok-bad.b64"
ts_resign ado-badsig tok-bad.b64
invalid "adoTst with its signature changed" jades-timestamp "$T/ado-badsig.json" --key "$P/seal.pem"
ts_resign ado2 tok2.b64
run 0 "adoTst of another TSA, no --ca: signature only" "$CC_BIN" verify --key "$P/seal.pem" "$T/ado2.json"
invalid "adoTst of a TSA --ca does not trust" jades-timestamp "$T/ado2.json" --ca "$P/root.pem"
cat "$P/root.pem" "$P/other.pem" >"$T/ca-both.pem"
run 0 "--ca with both anchors" "$CC_BIN" verify --ca "$T/ca-both.pem" "$T/ado2.json"
has "$T/out" 'TSA trusted by --ca' "the other TSA trusted through the second anchor"
printf 'garbage' >"$T/tok-garbage.b64"
ts_resign ado-garbage tok-garbage.b64
invalid "adoTst not a token" jades-timestamp "$T/ado-garbage.json" --key "$P/seal.pem"
$PY edit "$T/ado.json" "$T/ado-strip.json" strip-crit
invalid "adoTst seal, crit stripped" jws-crit "$T/ado-strip.json" --key "$P/seal.pem"
$PY edit "$T/ado.json" "$T/ado-payload.json" payload-byte
invalid "adoTst seal, payload byte changed" jades-signature "$T/ado-payload.json" --key "$P/seal.pem"

# sigTst (unsigned, over the signature member) made by openssl ts
$PY edit "$T/rs-eidas.json" "$T/sigval.txt" signature-value
tst tsa "$T/sigval.txt" "$T/sigtok.b64"
$PY edit "$T/rs-eidas.json" "$T/sigtst.json" sigtst "$T/sigtok.b64"
run 0 "sigTst by openssl ts" "$CC_BIN" verify --ca "$P/root.pem" "$T/sigtst.json"
has "$T/out" 'sigTst timestamp 20[0-9-]+T[0-9:]+Z \(imprint and signature, TSA trusted by --ca\)' "sigTst checked"
$PY edit "$T/rs-eidas.json" "$T/sigtst-bad.json" sigtst "$T/tok.b64"
invalid "sigTst over the payload, not the signature" jades-timestamp "$T/sigtst-bad.json" --key "$P/seal.pem"
$PY edit "$T/rs-eidas.json" "$T/sigtst2.json" sigtst "$T/tok2.b64"
invalid "sigTst of a TSA --ca does not trust" jades-timestamp "$T/sigtst2.json" --ca "$P/root.pem"

# the report carries the verdict of a seal
run 0 "verify --report" "$CC_BIN" verify --key "$P/seal.pem" --report "$T/rep.json" "$T/rs.json"
jqtrue "$T/rep.json" '.verdicts[0].kind == "JAdES seal" and .verdicts[0].status == "valid" and .verdicts[0].bound == true' "report entry"

finish e2e_jades
