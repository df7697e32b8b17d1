#!/bin/sh
# What an EDC e-seal covers is what the reader reads (issue 10.1), the seal's key bound to
# the issuer only by --key (10.4), and bounded cost on hostile EDC input (11.1).
# Usage: CREDCONV=path/to/credconv sh tests/e2e/e2e_edc_attack.sh    (run from the project root)
. tests/e2e/sh_lib.sh
SIGNED=$CORPUS/edc/edci-1.x/samples/signed
SEW=$SIGNED/edci_sewing_course.xml
if [ ! -f "$SEW" ] || ! command -v python3 >/dev/null; then
    skipped "EDC attack tests"
    finish e2e_edc_attack
    exit $?
fi

# edit IN OUT PYTHON: OUT is IN with the Python expression applied to its text `s`.
edit() { python3 -c "import sys; s=open(sys.argv[1]).read(); s=$3; open(sys.argv[2],'w').write(s)" "$1" "$2"; }
DS='xmlns:ds="http://www.w3.org/2000/09/xmldsig#"'
ADDED='and Doctor of Medicine'

# forged NAME FILE RULE: verify says INVALID with RULE, never "seal valid"; convert does not
# output the added words.
forged() {
    run 1 "$1: verify" "$CC_BIN" verify --accept-unbound-key "$2"
    has "$T/err" "\\[$3\\]" "$1: the rule"
    hasnt "$T/out" 'seal valid' "$1: no valid verdict"
    hasnt "$T/err" 'seal valid' "$1: no valid verdict on stderr"
    "$CC_BIN" convert -t model "$2" >"$T/model" 2>"$T/cerr"
    hasnt "$T/model" "$ADDED" "$1: convert -t model does not output the unsigned text"
    "$CC_BIN" convert -t ob3 "$2" >"$T/ob3" 2>"$T/cerr"
    hasnt "$T/ob3" "$ADDED" "$1: convert -t ob3 does not output the unsigned text"
}

# The sample as it is: the seal covers it, and what convert reads is its text.
run 0 "the corpus seal" "$CC_BIN" verify --accept-unbound-key "$SEW"
has "$T/out" 'seal valid' "the corpus seal is valid"
run 0 "convert the sealed sample" "$CC_BIN" convert -t model "$SEW"
has "$T/out" '"Sewing course"' "its title"

# 1. Text inside a ds:Signature inside a text-only element (the issue's example).
edit "$SEW" "$T/in-text.xml" "s.replace('>Sewing course</text>', '>Sewing course<ds:Signature $DS> $ADDED (summa cum laude)</ds:Signature></text>', 1)"
forged "ds:Signature in a text" "$T/in-text.xml" edc-seal-uncovered
has "$T/err" '/europassCredential/title/text\[1\]/ds:Signature \(line 18\)' "the node is named by its path and line"
"$CC_BIN" convert -t model "$T/in-text.xml" >"$T/out" 2>&1
has "$T/out" '"Sewing course"' "convert takes only the covered text"

# 2. A ds:Signature as a child of the root (it was kept as an extension).
edit "$SEW" "$T/at-root.xml" "s.replace('<proof', '<ds:Signature $DS><description><text lang=\"en\">$ADDED</text></description></ds:Signature><proof', 1)"
forged "ds:Signature at the root" "$T/at-root.xml" edc-seal-uncovered

# 3. Another prefix for the signature namespace: still a ds:Signature.
edit "$SEW" "$T/prefix.xml" "s.replace('>Sewing course</text>', '>Sewing course<x:Signature xmlns:x=\"http://www.w3.org/2000/09/xmldsig#\"> $ADDED</x:Signature></text>', 1)"
forged "another prefix" "$T/prefix.xml" edc-seal-uncovered

# 4. A Signature of another namespace is not subtracted: the digest covers it and fails.
edit "$SEW" "$T/other-ns.xml" "s.replace('>Sewing course</text>', '>Sewing course<x:Signature xmlns:x=\"urn:x\"> $ADDED</x:Signature></text>', 1)"
run 1 "Signature of another namespace" "$CC_BIN" verify --accept-unbound-key "$T/other-ns.xml"
has "$T/err" '\[edc-seal-invalid\]' "Signature of another namespace: the digest covers it"
hasnt "$T/out" 'seal valid' "Signature of another namespace: no valid verdict"

# 5. Wrapping: a second, unsigned credential inside a ds:Signature next to the seal.
edit "$SEW" "$T/second.xml" "s.replace('</proof>', '</proof><ds:Signature $DS>' + s[s.index('<europassCredential'):s.index('<proof')].replace('Sewing course', 'Sewing course $ADDED') + '</europassCredential></ds:Signature>', 1)"
forged "a second credential" "$T/second.xml" edc-seal-uncovered

# 6. Nested: a ds:Signature inside the seal's own signature (in its ds:Object).
edit "$SEW" "$T/nested.xml" "s.replace('</ds:Object>', '<ds:Signature><title><text lang=\"en\">$ADDED</text></title></ds:Signature></ds:Object>', 1)"
forged "a nested signature" "$T/nested.xml" edc-seal-uncovered

# 7. A moved signed element: the title after the description.
edit "$SEW" "$T/moved.xml" "(lambda a, b: s.replace(a, '').replace(b, b + a, 1))(s[s.index('<title>'):s.index('</title>') + 8], s[s.index('<description>'):s.index('</description>') + 14])"
forged "a moved element" "$T/moved.xml" edc-seal-invalid

# 8. Duplicated Ids: a second SignedProperties with the same Id in the seal.
edit "$SEW" "$T/dup-id.xml" "(lambda p: s.replace('</ds:Object>', p + '</ds:Object>', 1))(s[s.index('<xades:SignedProperties'):s.index('</xades:SignedProperties>') + 25])"
forged "a duplicated Id" "$T/dup-id.xml" edc-seal-duplicate-id
# …and an EDC element given the SignedProperties' Id.
edit "$SEW" "$T/dup-id2.xml" "(lambda i: s.replace('<title>', '<title Id=\"' + i + '\">', 1))(s.split('SignedProperties Id=\"')[1].split('\"')[0])"
forged "an Id given twice" "$T/dup-id2.xml" edc-seal-duplicate-id

# 9. A comment in a text: outside the digest (c14n without comments) and never read.
edit "$SEW" "$T/comment.xml" "s.replace('>Sewing course</text>', '>Sewing course<!-- $ADDED --></text>', 1)"
run 0 "a comment: the read text is the signed text" "$CC_BIN" verify --accept-unbound-key "$T/comment.xml"
"$CC_BIN" convert -t model "$T/comment.xml" >"$T/out" 2>&1
hasnt "$T/out" "$ADDED" "a comment is never read"
has "$T/out" '"Sewing course"' "the text around it is"

# 10. The same attacks on every valid corpus seal.
for f in "$SIGNED"/edci_sampleQSEAL.xml "$SIGNED"/edci_accredited_credential_step2_awardingBody_true.xml; do
    b=$(basename "$f" .xml)
    edit "$f" "$T/$b-root.xml" "s.replace('<proof', '<ds:Signature $DS><title><text lang=\"en\">$ADDED</text></title></ds:Signature><proof', 1)"
    forged "$b: ds:Signature at the root" "$T/$b-root.xml" edc-seal-uncovered
    edit "$f" "$T/$b-text.xml" "s.replace('</text>', '<ds:Signature $DS>$ADDED</ds:Signature></text>', 1)"
    forged "$b: ds:Signature in a text" "$T/$b-text.xml" edc-seal-uncovered
done

# ------------------------------------------------------------ the key (issue 10.4)
python3 - "$SEW" "$T/seal.pem" <<'PY'
import sys, re, textwrap
b64 = re.sub(r'\s', '', re.search(r'<ds:X509Certificate>(.*?)</ds:X509Certificate>', open(sys.argv[1]).read(), re.S).group(1))
open(sys.argv[2], 'w').write('-----BEGIN CERTIFICATE-----\n' + '\n'.join(textwrap.wrap(b64, 64)) + '\n-----END CERTIFICATE-----\n')
PY
run 0 "openssl reads the embedded certificate" openssl x509 -in "$T/seal.pem" -noout
run 0 "--key the embedded certificate" "$CC_BIN" verify --key "$T/seal.pem" "$SEW"
has "$T/out" 'seal valid.*key bound to the issuer: the certificate was given \(--key ' "bound by --key"
openssl x509 -in "$T/seal.pem" -pubkey -noout >"$T/seal.pub"
run 0 "--key its public key" "$CC_BIN" verify --key "$T/seal.pub" "$SEW"
has "$T/out" 'key bound to the issuer' "bound by the public key"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/other.key" -out "$T/other.pem" -days 1 -subj /CN=other 2>/dev/null
run 1 "--key another certificate" "$CC_BIN" verify --key "$T/other.pem" "$SEW"
has "$T/err" '\[edc-seal-key-mismatch\]' "a different key is INVALID"
hasnt "$T/out" 'key bound' "and not bound"
run 1 "no --key" "$CC_BIN" verify "$SEW"
has "$T/err" '\[key-not-bound\]' "without --key the key is not bound"
run 1 "--key on a forged file" "$CC_BIN" verify --key "$T/seal.pem" "$T/in-text.xml"
hasnt "$T/out" 'seal valid' "the right key does not make a forged file valid"

# ------------------------------------------------------------ cost (issue 11.1)
# ms CMD...: runs CMD under a 256 MB limit, keeps out/err, sets $rc, $ms (CPU time, user +
# system, of CMD: what an input costs, whatever else the machine runs) and $wall (wall clock:
# a hang is caught by it, at 5 times the CPU limit).  A run over 500 ms is timed once more
# and the faster one kept (a super-linear input is slow both times).
# A sanitizer build reserves terabytes of address space: it cannot run under ulimit -v.
# It is also about 3 times slower: the time limit is 3 times higher for it.
VLIMIT=262144 MAXMS=2000
if ! sh -c 'ulimit -v "$1"; exec "$2" formats' sh "$VLIMIT" "$CC_BIN" >/dev/null 2>&1; then
    VLIMIT=unlimited MAXMS=6000
    echo "  (a sanitizer build: memory not limited, time limit $MAXMS ms)"
fi
ms1() {
    s=$(date +%s%N)
    ( ulimit -v $VLIMIT; "$@" >"$T/out" 2>"$T/err"; r=$?; times >"$T/times"; exit $r )
    rc=$?
    wall=$(( ($(date +%s%N) - s) / 1000000 ))
    # times: the shell's, then its children's "user system" as NmS.SSSs
    ms=$(awk 'NR == 2 { split($1, u, "m"); split($2, y, "m")
                        printf "%d", (u[1] * 60 + u[2] + y[1] * 60 + y[2]) * 1000 }' "$T/times")
}
ms() {
    ms1 "$@"
    if [ "$ms" -gt 500 ]; then
        first=$ms
        ms1 "$@"
        [ "$first" -lt "$ms" ] && ms=$first
    fi
}
fast() {
    if [ "$ms" -gt "$MAXMS" ]; then ko "$1: $ms ms CPU > $MAXMS ms"
    elif [ "$wall" -gt $((5 * MAXMS)) ]; then ko "$1: $wall ms wall > $((5 * MAXMS)) ms (a hang?)"
    else ok; fi
}
scales() { within "$2" $(( 15 * $1 + 30 )) "$3, ms (vs $1 ms: at most 15x)"; echo "  $3: $1 ms -> $2 ms"; }
printf '%s\n' '{"model":"credconv-model/1","credential":{"id":"urn:credential:e2e-1","issued":"2024-06-30","issuer":{"name":{"fr":"Université"},"identifiers":[{"scheme":"siret","code":"19750000000000"}],"country":"FR"},"subject":{"givenName":"Jeanne","familyName":"Martin"},"achievement":{"code":"RNCP35340","title":{"fr":"Bloc 1"},"eqfLevel":6,"outcomes":[{"text":{"fr":"Concevoir"}}]}}}' >"$T/one.json"
run 0 "a base credential" "$CC_BIN" convert -f model -t edc -o "$T/base.xml" "$T/one.json"

# dag DEPTH OUT: each specification lists the next one twice (2^DEPTH paths).
dag() {
    python3 - "$T/base.xml" "$1" "$2" <<'PY'
import sys
s, d = open(sys.argv[1]).read(), int(sys.argv[2])
specs = ''.join('<qualification id="urn:s:%d"><identifier>S%d</identifier>%s</qualification>' % (i, i,
        '' if i == d else '<hasPart idref="urn:s:%d"/><hasPart idref="urn:s:%d"/>' % (i + 1, i + 1)) for i in range(d + 1))
a, b = s.index('<qualification '), s.index('</learningSpecificationReferences>')
s = s[:a] + specs + s[b:]
s = s.replace('idref="urn:credconv:qualification:1"', 'idref="urn:s:0"')
open(sys.argv[3], 'w').write(s)
PY
}
dag 10 "$T/dag10.xml"
dag 20 "$T/dag20.xml"
ms "$CC_BIN" convert -t model "$T/dag10.xml"
t10=$ms
if [ "$rc" -eq 0 ] && [ "$(grep -o '"code":"S10"' "$T/out" | wc -l)" -eq 1024 ]; then ok; else ko "hasPart depth 10: rc $rc, every path expanded"; fi
fast "hasPart depth 10"
ms "$CC_BIN" convert -t model "$T/dag20.xml"
t20=$ms
if [ "$rc" -eq 1 ]; then ok; else ko "hasPart depth 20: exit $rc, expected 1"; fi
has "$T/err" 'the hasPart tree expands to more than 200000 nodes.*\[edc-parts-limit\]' "hasPart depth 20: the bound is named"
fast "hasPart depth 20 ($(wc -c <"$T/dag20.xml") bytes)"
scales "$t10" "$t20" "hasPart depth 10 -> 20"
# The run goes on: a bulk file with the bomb first and a good credential after it.
python3 - "$T/dag20.xml" "$T/base.xml" "$T/bulk.xml" <<'PY'
import sys
body = lambda f: open(f).read().split('?>', 1)[1]
open(sys.argv[3], 'w').write('<europassCredentials xmlns="http://data.europa.eu/snbUpload">' + body(sys.argv[1]) + body(sys.argv[2]) + '</europassCredentials>')
PY
ms "$CC_BIN" convert -t model "$T/bulk.xml"
if [ "$rc" -eq 1 ] && grep -q '"RNCP35340"' "$T/out"; then ok; else ko "the record after the bomb is converted (exit $rc)"; fi
has "$T/err" '1 rejected' "the bomb is one rejected record"
fast "bulk with a bomb"

# idrefs N OUT: one specification with N learningOutcome idrefs.
idrefs() {
    python3 - "$T/base.xml" "$1" "$2" <<'PY'
import sys
s, n = open(sys.argv[1]).read(), int(sys.argv[2])
refs = ''.join('<learningOutcome idref="urn:o:%d"/>' % i for i in range(n))
outs = ''.join('<learningOutcome id="urn:o:%d"><prefLabel><text lang="fr" content-type="text/plain">O%d</text></prefLabel></learningOutcome>\n' % (i, i) for i in range(n))
s = s.replace('<learningOutcome idref="urn:credconv:learningOutcome:1"/>', refs)
a, b = s.index('<learningOutcomeReferences>') + 27, s.index('</learningOutcomeReferences>')
open(sys.argv[3], 'w').write(s[:a] + outs + s[b:])
PY
}
idrefs 4000 "$T/ref4k.xml"
idrefs 40000 "$T/ref40k.xml"
ms "$CC_BIN" convert -t model "$T/ref4k.xml"
t4=$ms
ms "$CC_BIN" convert -t model "$T/ref40k.xml"
t40=$ms
if [ "$rc" -eq 0 ] && [ "$(grep -o '"O[0-9]*"' "$T/out" | wc -l)" -eq 40000 ]; then ok; else ko "40,000 idrefs: exit $rc, every outcome"; fi
fast "40,000 idrefs ($(wc -c <"$T/ref40k.xml") bytes)"
scales "$t4" "$t40" "idrefs 4k -> 40k"

# attrs N OUT: one element of the sealed sample with N attributes.
attrs() { edit "$SEW" "$2" "s.replace('>Sewing course<', ' ' + ' '.join('a%d=\"x\"' % i for i in range($1)) + '>Sewing course<', 1)"; }
attrs 10000 "$T/at10k.xml"
attrs 100000 "$T/at100k.xml"
ms "$CC_BIN" convert -t model "$T/at10k.xml"
ta=$ms
ms "$CC_BIN" convert -t model "$T/at100k.xml"
tb=$ms
if [ "$rc" -eq 1 ]; then ok; else ko "100k attributes: exit $rc, expected 1"; fi
has "$T/err" 'edci_sewing_course.xml:18: error: an element has more than 256 attributes.*\[xml-attributes\]|at100k.xml:18: error: an element has more than 256 attributes.*\[xml-attributes\]' "the limit is named, with the line"
fast "100k attributes: convert"
scales "$ta" "$tb" "attributes 10k -> 100k"
ms "$CC_BIN" validate -f edc "$T/at100k.xml"
if [ "$rc" -eq 1 ]; then ok; else ko "100k attributes: validate exit $rc"; fi
fast "100k attributes: validate"
ms "$CC_BIN" verify "$T/at100k.xml"
if [ "$rc" -eq 1 ] && grep -q 'xml-attributes' "$T/err"; then ok; else ko "100k attributes: verify exit $rc"; fi
hasnt "$T/out" 'seal valid' "100k attributes: no valid verdict"
fast "100k attributes: verify"
# The attribute count reads ASCII bytes: an encoding where '=' is another byte (EBCDIC,
# declared or detected) would blind it, so it is refused; ISO-8859-1 is read.
python3 - "$SEW" "$T" <<'PY'
import sys
s = open(sys.argv[1]).read()
body = s[s.index('?>') + 2:].replace('>Sewing course<', ' ' + ' '.join('a%d="x"' % i for i in range(100000)) + '>Sewing course<', 1)
open(sys.argv[2] + '/ebcdic.xml', 'wb').write(b'<?xml version="1.0" encoding="IBM037"?>' + body.encode('cp037'))
open(sys.argv[2] + '/ebcdic2.xml', 'wb').write(('<?xml version="1.0" encoding="IBM037"?>' + body).encode('cp037'))
open(sys.argv[2] + '/latin1.xml', 'wb').write(b'<?xml version="1.0" encoding="ISO-8859-1"?>' + s[s.index('?>') + 2:].encode('latin-1', 'replace'))
PY
for f in ebcdic ebcdic2; do
    ms "$CC_BIN" convert -f edc -t model "$T/$f.xml"
    if [ "$rc" -eq 1 ] && grep -q '\[xml-encoding\]' "$T/err"; then ok; else ko "$f: exit $rc, xml-encoding"; sed 's/^/    /' "$T/err" | head -3; fi
    fast "$f: convert"
done
ms "$CC_BIN" verify "$T/ebcdic.xml"
if [ "$rc" -eq 1 ] && grep -q '\[xml-encoding\]' "$T/err"; then ok; else ko "ebcdic: verify exit $rc"; fi
fast "ebcdic: verify"
run 0 "ISO-8859-1 is read" "$CC_BIN" convert -t model "$T/latin1.xml"
run 0 "ISO-8859-1: the seal still checks" "$CC_BIN" verify --accept-unbound-key "$T/latin1.xml"
# 256 is allowed.
attrs 250 "$T/at250.xml"
run 0 "250 attributes are read" "$CC_BIN" convert -t model "$T/at250.xml"

finish e2e_edc_attack
