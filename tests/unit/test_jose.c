/* Signatures: base64url, keys, JWS rules and rejections, VC-JWT claims, OB 2.0 signed
 * assertions, the EDC e-seal; the corpus vectors and tampered copies of them. */
#include "helpers.h"

#include "cc_sign.h"

#include <libxml/parser.h>
#include <openssl/core_names.h>

#define OBC CORPUS "/ob"
#define GEN OBC "/test-vectors/generated"
#define DCPV OBC "/validator-dcpv"
#define EDC CORPUS "/edc/edci-1.x/samples"

/* ------------------------------------------------------------ helpers */

static char *slurp_or_skip(const char *path, size_t *len)
{
    char *s = cc_read_file(path, 64 << 20, len);
    if (!s)
        printf("SKIP: %s (../shared/corpus absent)\n", path);
    return s;
}

static EVP_PKEY *gen_key(const char *type)
{
    if (!strcmp(type, "RSA"))
        return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    if (!strcmp(type, "EC"))
        return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    return EVP_PKEY_Q_keygen(NULL, NULL, type);
}

/* The public half of k, through its JWK (so the JWK import is exercised too). */
static EVP_PKEY *public_of(EVP_PKEY *k)
{
    cc_jose_err e = {0};
    json_t *jwk = cc_jwk_public(k, &e);
    assert_non_null(jwk);
    assert_false(cc_jwk_has_private(jwk));
    EVP_PKEY *pub = cc_key_from_jwk(jwk, false, &e);
    assert_non_null(pub);
    assert_false(cc_key_is_private(pub));
    json_decref(jwk);
    return pub;
}

/* A token from a header JSON text and payload text, signed by k with alg a (or with a junk
 * signature when k is NULL). */
static char *make_token(const char *header, const char *payload, EVP_PKEY *k, cc_alg a)
{
    char *h = cc_b64u_encode((const unsigned char *)header, strlen(header));
    char *p = cc_b64u_encode((const unsigned char *)payload, strlen(payload));
    char input[8192];
    snprintf(input, sizeof input, "%s.%s", h, p);
    unsigned char *sig = NULL, junk[64] = {1, 2, 3};
    size_t n = sizeof junk;
    cc_jose_err e = {0};
    if (k)
        assert_int_equal(cc_jws_sign_bytes(k, a, (unsigned char *)input, strlen(input), &sig, &n, &e), 0);
    char *s = cc_b64u_encode(sig ? sig : junk, n);
    char *tok = malloc(strlen(input) + strlen(s) + 2);
    sprintf(tok, "%s.%s", input, s);
    free(h), free(p), free(s), free(sig);
    return tok;
}

/* Parse + verify: 1 valid, 0 invalid, or -1 with the rule in *rule. */
static int check_token(const char *tok, EVP_PKEY *k, const char **rule)
{
    static cc_jose_err e;
    memset(&e, 0, sizeof e);
    cc_jws j;
    *rule = NULL;
    if (cc_jws_parse(tok, strlen(tok), &j, &e)) {
        *rule = e.rule;
        return -1;
    }
    int rc = cc_jws_verify(&j, k, &e);
    *rule = e.rule;
    cc_jws_free(&j);
    return rc;
}

static cc_verify_opts opts_now(void)
{
    cc_verify_opts o = {0};
    o.now = cc_epoch_now();
    return o;
}

/* Verifies a token text with the VC-JWT or OB 2.0 verifier, as the command does. */
static int verify_text(const char *tok, size_t len, const cc_verify_opts *o, got *g)
{
    memset(g, 0, sizeof *g);
    cc_diag_sink ds = {.emit = got_diag, .ud = g};
    cc_verdict v = {0};
    cc_jws j;
    cc_jose_err e = {0};
    if (cc_jws_parse(tok, len, &j, &e)) {
        snprintf(g->rules, sizeof g->rules, "%s ", e.rule);
        return 0;
    }
    json_t *p = json_loadb((const char *)j.payload, j.payload_len, 0, NULL);
    int rc = p && cc_is_ob2_assertion(p) ? cc_ob2_verify(&j, o, "<test>", &ds, &v)
                                         : cc_vcjwt_verify(&j, o, "<test>", &ds, &v);
    json_decref(p);
    cc_jws_free(&j);
    return rc;
}

/* ------------------------------------------------------------ base64url */

static void test_b64u(void **state)
{
    (void)state;
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char *e = cc_b64u_encode((const unsigned char *)in[i], strlen(in[i]));
        assert_string_equal(e, out[i]);
        size_t n;
        unsigned char *d = cc_b64u_decode(e, strlen(e), &n);
        assert_non_null(d);
        assert_int_equal(n, strlen(in[i]));
        assert_memory_equal(d, in[i], n);
        free(e), free(d);
    }
    unsigned char bytes[] = {0xfb, 0xff, 0xbf};
    char *e = cc_b64u_encode(bytes, 3);
    assert_string_equal(e, "-_-_");  /* the URL-safe digits, never + or / */
    free(e);
    size_t n;
    const char *bad[] = {"Zg==", "Zm9v+w", "Zm9v/w", "Zm 9v", "Zh", "Z", "Zm9\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_null(cc_b64u_decode(bad[i], strlen(bad[i]), &n));
}

/* Every 2- and 3-digit ending after a full quad: the accepted ones are exactly one spelling of
 * each 1- or 2-byte value (256 and 65,536 of them), each re-encoding to itself; the others
 * (unused bits set) are refused. */
static void test_b64u_tails(void **state)
{
    (void)state;
    const char *digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char s[8] = "Zm9v";
    size_t ok2 = 0, ok3 = 0, n;
    for (int a = 0; a < 64; a++)
        for (int b = 0; b < 64; b++)
            for (int c = -1; c < 64; c++) {
                s[4] = digits[a], s[5] = digits[b], s[6] = c < 0 ? '\0' : digits[c], s[7] = '\0';
                unsigned char *d = cc_b64u_decode(s, strlen(s), &n);
                if (!d)
                    continue;
                assert_int_equal(n, c < 0 ? 4 : 5);
                assert_memory_equal(d, "foo", 3);
                char *e = cc_b64u_encode(d, n);
                assert_string_equal(e, s);
                free(e), free(d);
                *(c < 0 ? &ok2 : &ok3) += 1;
            }
    assert_int_equal(ok2, 256);
    assert_int_equal(ok3, 65536);
}

/* cc_jws_looks against the plain definition (trimmed; base64url digits and exactly two
 * dots, not first), on every string of up to 8 bytes over digits, '.', '+' and space. */
static bool looks_plainly(const char *s, size_t len)
{
    while (len && *s == ' ')
        s++, len--;
    while (len && s[len - 1] == ' ')
        len--;
    int dots = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.')
            dots++;
        else if (!strchr("Az09-_", s[i]))
            return false;
    }
    return dots == 2 && len > 0 && s[0] != '.';
}

static void test_jws_looks(void **state)
{
    (void)state;
    const char alphabet[] = "Az.+ 9_-";
    char s[9];
    for (size_t len = 0; len <= 8; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= 8;
        for (size_t k = 0; k < total; k++) {
            size_t v = k;
            for (size_t i = 0; i < len; i++, v /= 8)
                s[i] = alphabet[v % 8];
            s[len] = '\0';
            if (cc_jws_looks(s, len) != looks_plainly(s, len))
                fail_msg("cc_jws_looks(\"%s\") is %d", s, cc_jws_looks(s, len));
        }
    }
    const char *tok = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln\n", *three = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln.";
    assert_true(cc_jws_looks(tok, strlen(tok)));
    assert_false(cc_jws_looks(three, strlen(three)));
}

static void test_ecdsa_forms(void **state)
{
    (void)state;
    unsigned char raw[64], back[64];
    for (int i = 0; i < 64; i++)
        raw[i] = (unsigned char)(i == 0 || i == 32 ? 0x80 : i);  /* high bits: DER adds a 0 byte */
    size_t n;
    unsigned char *der = cc_ecdsa_raw_to_der(raw, &n);
    assert_non_null(der);
    assert_int_equal(der[0], 0x30);
    assert_int_equal(cc_ecdsa_der_to_raw(der, n, back), 0);
    assert_memory_equal(raw, back, 64);
    assert_int_equal(cc_ecdsa_der_to_raw(der, n - 1, back), -1);
    free(der);
}

static void test_times(void **state)
{
    (void)state;
    long long t;
    assert_true(cc_iso_to_epoch("2010-01-01T00:00:00Z", &t));
    assert_int_equal(t, 1262304000);
    assert_true(cc_iso_to_epoch("2010-01-01T01:00:00+01:00", &t));
    assert_int_equal(t, 1262304000);
    assert_true(cc_iso_to_epoch("2010-01-01T00:00:00.123Z", &t));
    assert_int_equal(t, 1262304000);
    assert_true(cc_iso_to_epoch("2010-01-01", &t));
    assert_int_equal(t, 1262304000);
    assert_false(cc_iso_to_epoch("2010-01-01T00:00:00", &t));  /* no zone */
    assert_false(cc_iso_to_epoch("2010-04-31T00:00:00Z", &t));
    assert_false(cc_iso_to_epoch("yesterday", &t));
}

/* ------------------------------------------------------------ keys and algorithms */

static void test_sign_verify_algs(void **state)
{
    (void)state;
    const char *types[] = {"RSA", "EC", "ED25519"};
    cc_alg algs[] = {CC_ALG_RS256, CC_ALG_ES256, CC_ALG_EDDSA};
    for (int i = 0; i < 3; i++) {
        EVP_PKEY *k = gen_key(types[i]);
        assert_non_null(k);
        assert_true(cc_key_is_private(k));
        assert_int_equal(cc_alg_for_key(k), algs[i]);
        EVP_PKEY *pub = public_of(k);
        char *tok = make_token("{\"alg\":\"X\"}", "{}", k, algs[i]);
        /* re-make with the right alg name in the header */
        free(tok);
        char header[64];
        snprintf(header, sizeof header, "{\"alg\":\"%s\"}", cc_alg_name(algs[i]));
        tok = make_token(header, "{\"a\":1}", k, algs[i]);
        const char *rule;
        assert_int_equal(check_token(tok, pub, &rule), 1);
        /* every other algorithm's key is refused before any signature operation */
        EVP_PKEY *other = gen_key(types[(i + 1) % 3]);
        assert_int_equal(check_token(tok, other, &rule), -1);
        assert_string_equal(rule, "jws-alg-key-mismatch");
        /* signing needs the private key */
        unsigned char *sig;
        size_t n;
        cc_jose_err e = {0};
        assert_int_equal(cc_jws_sign_bytes(pub, algs[i], (unsigned char *)"x", 1, &sig, &n, &e), -1);
        assert_string_equal(e.rule, "key-not-private");
        EVP_PKEY_free(other), EVP_PKEY_free(pub), EVP_PKEY_free(k);
        free(tok);
    }
}

static void test_jwk_rules(void **state)
{
    (void)state;
    cc_jose_err e = {0};
    json_t *priv = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256", "x", "AA", "y", "AA", "d", "AA");
    assert_null(cc_key_from_jwk(priv, false, &e));
    assert_string_equal(e.rule, "jwk-private");
    json_decref(priv);
    json_t *bad_point = json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-256",
                                  "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                  "y", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE");
    assert_null(cc_key_from_jwk(bad_point, false, &e));  /* (0, 1) is not on the curve */
    assert_string_equal(e.rule, "jwk-invalid");
    json_decref(bad_point);
    json_t *p384 = json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-384", "x", "AA", "y", "AA");
    assert_null(cc_key_from_jwk(p384, false, &e));
    json_decref(p384);
    json_t *oct = json_pack("{s:s, s:s}", "kty", "oct", "k", "c2VjcmV0");
    assert_null(cc_key_from_jwk(oct, true, &e));
    json_decref(oct);
    json_t *enc = json_pack("{s:s, s:s, s:s, s:s}", "kty", "RSA", "n", "AQAB", "e", "AQAB", "use", "enc");
    assert_null(cc_key_from_jwk(enc, false, &e));
    json_decref(enc);
    /* An RSA key below 2048 bits neither signs nor verifies RS256. */
    EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    unsigned char *sig;
    size_t n;
    assert_int_equal(cc_jws_sign_bytes(small, CC_ALG_RS256, (unsigned char *)"x", 1, &sig, &n, &e), -1);
    assert_string_equal(e.rule, "key-weak");
    EVP_PKEY_free(small);
}

/* Every header rejection has its own rule, checked before any key is touched. */
static void test_header_rejections(void **state)
{
    (void)state;
    EVP_PKEY *k = gen_key("EC");
    EVP_PKEY *pub = public_of(k);
    struct { const char *header, *rule; } cases[] = {
        {.header = "{\"alg\":\"none\"}", .rule = "jws-alg-none"},
        {.header = "{\"alg\":\"HS256\"}", .rule = "jws-alg-hmac"},
        {.header = "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", .rule = "jws-alg-hmac"},
        {.header = "{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}", .rule = "jws-crit"},
        {.header = "{\"alg\":\"ES256\",\"crit\":[\"b64\"],\"b64\":false}", .rule = "jws-crit"},
        {.header = "{\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\",\"d\":\"AA\"}}", .rule = "jws-jwk-private"},
        {.header = "{\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\",\"p\":\"AQ\"}}", .rule = "jws-jwk-private"},
        {.header = "{\"alg\":\"PS256\"}", .rule = "jws-alg-unsupported"},
        {.header = "{\"typ\":\"JWT\"}", .rule = "jws-header"},
        {.header = "{\"alg\":\"ES256\",\"alg\":\"none\"}", .rule = "jws-header"},  /* duplicate names */
        {.header = "[1]", .rule = "jws-header"},
        {.header = "{\"alg\":\"RS256\"}", .rule = "jws-alg-key-mismatch"},
        {.header = "{\"alg\":\"EdDSA\"}", .rule = "jws-alg-key-mismatch"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *tok = make_token(cases[i].header, "{}", NULL, CC_ALG_UNKNOWN);
        const char *rule;
        assert_int_not_equal(check_token(tok, pub, &rule), 1);
        if (!rule || strcmp(rule, cases[i].rule))
            fail_msg("header %s: rule %s, expected %s", cases[i].header, rule ? rule : "none", cases[i].rule);
        free(tok);
    }
    /* eyJhbGciOiJFUzI1NiJ9 is {"alg":"ES256"}: the header passes, the rest is broken */
    const char *syntax[] = {"abc", "a.b", "a.b.c.d", ".e30.AA", "eyJhbGciOiJFUzI1NiJ9.e30.",
                            "eyJhbGciOiJFUzI1NiJ9.e3=.AA", "eyJhbGciOiJFUzI1NiJ9.e30.A+", "e3=.e30.AA"};
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++) {
        const char *rule;
        assert_int_equal(check_token(syntax[i], pub, &rule), -1);
        assert_string_equal(rule, "jws-syntax");
    }
    /* Found by a review (issue 10.9): an unsigned token comes with an empty signature part,
     * and that was reported as jws-syntax; the header is judged first.  Same for the other
     * header rules: the reason is the header's, whatever the signature part holds. */
    const struct { const char *tok, *rule; } empty[] = {
        {.tok = "eyJhbGciOiJub25lIn0.e30.", .rule = "jws-alg-none"},                   /* {"alg":"none"} */
        {.tok = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.e30.", .rule = "jws-alg-none"},  /* + "typ":"JWT" */
        {.tok = "eyJhbGciOiJOT05FIn0.e30.", .rule = "jws-alg-none"},                   /* "NONE" */
        {.tok = "eyJhbGciOiJub25lIn0.e30.AA", .rule = "jws-alg-none"},
        {.tok = "eyJhbGciOiJIUzI1NiJ9.e30.", .rule = "jws-alg-hmac"},
        {.tok = "e30.e30.", .rule = "jws-header"},                                     /* {}: no alg */
    };
    for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
        const char *rule;
        assert_int_equal(check_token(empty[i].tok, pub, &rule), -1);
        if (!rule || strcmp(rule, empty[i].rule))
            fail_msg("%s: rule %s, expected %s", empty[i].tok, rule ? rule : "none", empty[i].rule);
    }
    EVP_PKEY_free(pub), EVP_PKEY_free(k);
}

/* Flipping one character of any part of a signed token makes it fail. */
static void flip_each_part(const char *tok, const cc_verify_opts *o)
{
    const char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
    size_t at[3] = {5, (size_t)(d1 - tok) + 10, (size_t)(d2 - tok) + 10};
    for (int i = 0; i < 3; i++) {
        char *t = strdup(tok);
        t[at[i]] = t[at[i]] == 'A' ? 'B' : 'A';
        got g;
        if (verify_text(t, strlen(t), o, &g) == 1)
            fail_msg("a token changed in part %d still verifies", i + 1);
        free(t);
    }
}

/* ------------------------------------------------------------ VC-JWT */

static json_t *credential(const char *valid_from, const char *valid_until, bool with_sub)
{
    json_t *c = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s}, s:s, s:{s:[s]}}",
                          "@context", "https://www.w3.org/ns/credentials/v2",
                          "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                          "id", "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
                          "type", "VerifiableCredential", "OpenBadgeCredential",
                          "issuer", "id", "https://ecole.example/issuer", "type", "Profile", "name", "École",
                          "validFrom", valid_from, "credentialSubject", "type", "AchievementSubject");
    if (valid_until)
        json_object_set_new(c, "validUntil", json_string(valid_until));
    if (with_sub)
        json_object_set_new(json_object_get(c, "credentialSubject"), "id", json_string("did:example:alice"));
    return c;
}

static char *sign_cred(const json_t *c, EVP_PKEY *k, bool embed, got *g)
{
    memset(g, 0, sizeof *g);
    cc_diag_sink ds = {.emit = got_diag, .ud = g};
    cc_vcjwt_sign_opts so = {.key = k, .alg = CC_ALG_UNKNOWN, .kid = embed ? NULL : "https://ecole.example/keys/1", .embed_jwk = embed, .prep = NULL};
    cc_jose_err e = {0};
    char *tok = cc_vcjwt_sign(c, &so, "<test>", &ds, &e);
    if (!tok)
        fail_msg("sign: %s [%s]", e.msg, e.rule);
    return tok;
}

static void test_vcjwt_roundtrip(void **state)
{
    (void)state;
    const char *types[] = {"RSA", "EC", "ED25519"};
    for (int i = 0; i < 3; i++) {
        EVP_PKEY *k = gen_key(types[i]);
        json_t *c = credential("2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z", true);
        got g;
        char *tok = sign_cred(c, k, true, &g);
        cc_jws j;
        cc_jose_err e = {0};
        assert_int_equal(cc_jws_parse(tok, strlen(tok), &j, &e), 0);
        json_t *p = json_loadb((const char *)j.payload, j.payload_len, 0, NULL);
        assert_string_equal(json_string_value(json_object_get(p, "iss")), "https://ecole.example/issuer");
        assert_string_equal(json_string_value(json_object_get(p, "jti")), "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002");
        assert_string_equal(json_string_value(json_object_get(p, "sub")), "did:example:alice");
        assert_int_equal(json_integer_value(json_object_get(p, "nbf")), 1577836800);
        assert_int_equal(json_integer_value(json_object_get(p, "exp")), 4070908800LL);
        assert_int_equal(json_object_size(j.header), 3);  /* alg, typ, jwk: nothing else */
        json_decref(p);
        cc_jws_free(&j);
        cc_verify_opts o = opts_now();
        assert_int_equal(verify_text(tok, strlen(tok), &o, &g), 1);  /* header jwk */
        assert_int_equal(g.errors, 0);
        flip_each_part(tok, &o);
        free(tok);
        /* kid only: not checked without a key, checked with --key */
        tok = sign_cred(c, k, false, &g);
        assert_int_equal(verify_text(tok, strlen(tok), &o, &g), -1);
        assert_non_null(strstr(g.rules, "jws-no-key"));
        o.key = public_of(k);
        o.key_file = "pub";
        assert_int_equal(verify_text(tok, strlen(tok), &o, &g), 1);
        EVP_PKEY_free(o.key);
        free(tok);
        json_decref(c);
        EVP_PKEY_free(k);
    }
}

static void test_vcjwt_times_and_claims(void **state)
{
    (void)state;
    EVP_PKEY *k = gen_key("EC");
    cc_verify_opts o = opts_now();
    got g;
    json_t *old = credential("2001-01-01T00:00:00Z", "2002-01-01T00:00:00Z", true);
    char *tok = sign_cred(old, k, true, &g);
    assert_int_equal(verify_text(tok, strlen(tok), &o, &g), 0);
    assert_non_null(strstr(g.rules, "vcjwt-expired"));
    free(tok);
    json_t *future = credential("2999-01-01T00:00:00Z", NULL, true);
    tok = sign_cred(future, k, true, &g);
    assert_int_equal(verify_text(tok, strlen(tok), &o, &g), 0);
    assert_non_null(strstr(g.rules, "vcjwt-not-yet-valid"));
    free(tok);
    /* no credentialSubject.id: signed without sub, with a warning; still valid */
    json_t *nosub = credential("2020-01-01T00:00:00Z", NULL, false);
    tok = sign_cred(nosub, k, true, &g);
    assert_non_null(strstr(g.rules, "vcjwt-no-sub"));
    assert_int_equal(verify_text(tok, strlen(tok), &o, &g), 1);
    free(tok);
    /* a claim that contradicts the credential, correctly signed: invalid */
    EVP_PKEY *pub = public_of(k);
    char *tok2 = make_token("{\"alg\":\"ES256\"}",
                            "{\"id\":\"urn:a\",\"issuer\":{\"id\":\"https://i\"},\"validFrom\":\"2020-01-01T00:00:00Z\","
                            "\"credentialSubject\":{\"id\":\"did:x\"},\"iss\":\"https://other\",\"jti\":\"urn:a\","
                            "\"sub\":\"did:x\",\"nbf\":1577836800,\"aud\":\"x\"}", k, CC_ALG_ES256);
    o.key = pub;
    o.key_file = "pub";
    assert_int_equal(verify_text(tok2, strlen(tok2), &o, &g), 0);
    assert_non_null(strstr(g.rules, "vcjwt-claim-mismatch"));
    assert_non_null(strstr(g.rules, "vcjwt-claim-extra"));
    free(tok2);
    /* VC 1.1: the credential in a vc claim, claims missing: valid with warnings */
    tok2 = make_token("{\"alg\":\"ES256\",\"x5u\":\"https://x\"}",
                      "{\"vc\":{\"id\":\"urn:a\",\"issuer\":\"https://i\",\"issuanceDate\":\"2020-01-01T00:00:00Z\"},"
                      "\"iss\":\"https://i\"}", k, CC_ALG_ES256);
    assert_int_equal(verify_text(tok2, strlen(tok2), &o, &g), 1);
    assert_non_null(strstr(g.rules, "vcjwt-vc-claim"));
    assert_non_null(strstr(g.rules, "vcjwt-claim-missing"));
    assert_non_null(strstr(g.rules, "vcjwt-header"));
    free(tok2);
    EVP_PKEY_free(pub);
    json_decref(old), json_decref(future), json_decref(nosub);
    EVP_PKEY_free(k);
}

static void test_vcjwt_sign_rules(void **state)
{
    (void)state;
    EVP_PKEY *k = gen_key("RSA");
    cc_jose_err e = {0};
    cc_vcjwt_sign_opts so = {.key = k, .alg = CC_ALG_ES256, .kid = NULL, .embed_jwk = true, .prep = NULL};
    json_t *c = credential("2020-01-01T00:00:00Z", NULL, true);
    assert_null(cc_vcjwt_sign(c, &so, "<t>", NULL, &e));
    assert_string_equal(e.rule, "jws-alg-key-mismatch");
    so.alg = CC_ALG_UNKNOWN;
    json_object_del(c, "id");
    assert_null(cc_vcjwt_sign(c, &so, "<t>", NULL, &e));
    assert_string_equal(e.rule, "vcjwt-credential");
    json_decref(c);
    c = credential("2020-01-01T00:00:00", NULL, true);  /* no zone */
    assert_null(cc_vcjwt_sign(c, &so, "<t>", NULL, &e));
    assert_string_equal(e.rule, "vcjwt-credential");
    json_decref(c);
    EVP_PKEY_free(k);
}

/* ------------------------------------------------------------ corpus: JWS */

static void test_corpus_generated(void **state)
{
    (void)state;
    size_t len, plen;
    char *tok = slurp_or_skip(GEN "/ob3-vcjwt-rs256.jwt", &len);
    if (!tok)
        return;
    cc_verify_opts o = opts_now();
    got g;
    assert_int_equal(verify_text(tok, len, &o, &g), 1);  /* header jwk */
    cc_jose_err e = {0};
    char *kid;
    o.key = cc_key_load_file(GEN "/ob3-vcjwt-rs256.public.jwk.json", false, &kid, &e);
    assert_non_null(o.key);
    o.key_file = "jwk";
    assert_int_equal(verify_text(tok, len, &o, &g), 1);
    flip_each_part(tok, &o);
    EVP_PKEY_free(o.key);
    /* Re-signing the credential with the generator's key gives the same bytes (RS256 is
     * deterministic), so the payload layout is the generator's. */
    EVP_PKEY *priv = cc_key_load_file(OBC "/community/mozilla-bakery/rsa-private.pem", true, NULL, &e);
    assert_non_null(priv);
    json_t *cred = json_load_file(OBC "/test-vectors/eddsa-rdfc-2022/obv3p0/credential.json", 0, NULL);
    assert_non_null(cred);
    cc_vcjwt_sign_opts so = {.key = priv, .alg = CC_ALG_RS256, .kid = NULL, .embed_jwk = true, .prep = NULL};
    char *again = cc_vcjwt_sign(cred, &so, "<t>", NULL, &e);
    assert_non_null(again);
    assert_int_equal(strlen(again), strcspn(tok, "\r\n"));
    assert_memory_equal(again, tok, strlen(again));
    free(again), free(tok);
    json_decref(cred);
    /* OB 2.0: the assertion's exact bytes, header {"alg":"RS256"}. */
    tok = slurp_or_skip(GEN "/ob2-signed-assertion.jws", &len);
    char *payload = slurp_or_skip(GEN "/ob2-signed-assertion.payload.json", &plen);
    assert_non_null(tok), assert_non_null(payload);
    while (plen && strchr("\r\n ", payload[plen - 1]))
        plen--;
    again = cc_ob2_sign(payload, plen, priv, "<t>", NULL, &e);
    assert_non_null(again);
    assert_memory_equal(again, tok, strlen(again));
    o = opts_now();
    o.key = cc_key_load_file(GEN "/ob2-publicKey.json", false, &kid, &e);
    o.key_id = kid;
    o.key_file = "ob2-publicKey.json";
    assert_string_equal(kid, "https://example.org/publicKey.json");
    assert_int_equal(verify_text(tok, len, &o, &g), 1);
    flip_each_part(tok, &o);
    EVP_PKEY_free(o.key);
    free(kid), free(again), free(tok), free(payload);
    EVP_PKEY_free(priv);
}

static void test_corpus_dcpv_ob20(void **state)
{
    (void)state;
    const char *jwt[] = {"simple.jwt", "simple-not-revoked.jwt", "simple-revoked.jwt"};
    const char *key[] = {"key1.json", "key2.json", "key3.json"};
    const char *profile[] = {"organization.json", "organization-with-empty-revocation-list.json",
                             "organization-with-revocation-list.json"};
    const char *list[] = {NULL, "empty-revocation-list.json", "revocation-list.json"};
    for (int i = 0; i < 3; i++) {
        char path[512];
        size_t len;
        snprintf(path, sizeof path, DCPV "/ob20/%s", jwt[i]);
        char *tok = slurp_or_skip(path, &len);
        if (!tok)
            return;
        cc_verify_opts o = opts_now();
        cc_jose_err e = {0};
        char *kid;
        snprintf(path, sizeof path, DCPV "/ob20/assets/%s", key[i]);
        o.key = cc_key_load_file(path, false, &kid, &e);
        o.key_id = kid, o.key_file = key[i];
        snprintf(path, sizeof path, DCPV "/ob20/assets/%s", profile[i]);
        json_t *prof = json_load_file(path, 0, NULL), *rl = NULL;
        o.issuer_profile = prof;
        if (list[i]) {
            snprintf(path, sizeof path, DCPV "/ob20/assets/%s", list[i]);
            rl = json_load_file(path, 0, NULL);
            o.revocation_list = rl;
        }
        got g;
        int want = i == 2 ? 0 : 1;  /* the third is revoked: its signature is good */
        assert_int_equal(verify_text(tok, len, &o, &g), want);
        if (i == 2)
            assert_string_equal(g.rules, "ob2-revoked ");
        flip_each_part(tok, &o);
        /* The wrong issuer's key: the creator is not one the profile lists. */
        json_t *other = json_load_file(DCPV "/ob20/assets/organization-with-revocation-list.json", 0, NULL);
        o.issuer_profile = i == 2 ? prof : other;
        if (i != 2) {
            assert_int_equal(verify_text(tok, len, &o, &g), 0);
            assert_non_null(strstr(g.rules, "ob2-creator-unlisted"));
        }
        json_decref(other), json_decref(prof), json_decref(rl);
        EVP_PKEY_free(o.key);
        free(kid), free(tok);
    }
}

static void test_corpus_dcpv_vcjwt(void **state)
{
    (void)state;
    size_t len;
    char *tok = slurp_or_skip(DCPV "/clr20/simple.jwt", &len);
    if (!tok)
        return;
    cc_verify_opts o = opts_now();
    got g;
    assert_int_equal(verify_text(tok, len, &o, &g), 1);  /* VC 1.1 with header jwk */
    assert_non_null(strstr(g.rules, "vcjwt-vc-claim"));
    flip_each_part(tok, &o);
    free(tok);
    /* simple.jwt names no key, velocity.jwt only a did:velocity kid: not checked. */
    const char *nokey[] = {DCPV "/ob30/simple.jwt", DCPV "/ob30/velocity.jwt"};
    for (int i = 0; i < 2; i++) {
        tok = slurp_or_skip(nokey[i], &len);
        assert_non_null(tok);
        assert_int_equal(verify_text(tok, len, &o, &g), -1);
        assert_non_null(strstr(g.rules, "jws-no-key"));
        free(tok);
    }
}

/* ------------------------------------------------------------ corpus: EDC e-seal */

static int edc_setup(void **state)
{
    (void)state;
    xmlInitParser();
    return cc_xmlsec_init();
}

static int edc_teardown(void **state)
{
    (void)state;
    cc_xmlsec_shutdown();
    xmlCleanupParser();
    return 0;
}

static int edc_verify_text(const char *xml, size_t len, got *g, cc_verdict *v)
{
    memset(g, 0, sizeof *g);
    memset(v, 0, sizeof *v);
    cc_diag_sink ds = {.emit = got_diag, .ud = g};
    return cc_edc_verify(xml, len, "<edc>", NULL, &ds, v);
}

static void test_edc_corpus(void **state)
{
    (void)state;
    struct { const char *file; int want; } cases[] = {
        {.file = "signed/edci_sewing_course.xml", .want = 1},
        {.file = "signed/edci_sampleQSEAL.xml", .want = 1},
        {.file = "signed/edci_signedSampleXML-B.badSign.xml", .want = 1},
        {.file = "signed/edci_accredited_credential_step2_awardingBody_true.xml", .want = 1},
        {.file = "elm_edci_credential_basic_v1.0.xml", .want = 1},
        {.file = "elm_AnaAndromeda_CivilEngineering_v1.0.xml", .want = 1},
        {.file = "elm_IldikoMazar_CertificateOfExcellence_v1.0.xml", .want = 1},
        {.file = "presentations/elm_EDC_DiplomaSupplement_AA_mandated_dp_1.2.xml", .want = 1},
        /* edited after sealing (SOURCES.md: document digest mismatch) */
        {.file = "signed/edci_credential-generic-profile-xsd-signed.xml", .want = 0},
        {.file = "elm_edci_credential_complex_v1.0.xml", .want = 0},
        {.file = "presentations/edci_verificable_presentation_mandated-xsd_v1.2.xml", .want = 0},
        {.file = "presentations/edci_verificable_presentation_mandated_dp-xsd_v1.2.xml", .want = 0},
        /* unsealed */
        {.file = "elm_EDC_WileECoyote_Simple.xml", .want = -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char path[512];
        snprintf(path, sizeof path, EDC "/%s", cases[i].file);
        size_t len;
        char *xml = slurp_or_skip(path, &len);
        if (!xml)
            return;
        got g;
        cc_verdict v;
        int rc = edc_verify_text(xml, len, &g, &v);
        if (rc != cases[i].want)
            fail_msg("%s: %d, expected %d (%s)", cases[i].file, rc, cases[i].want, g.rules);
        if (rc == 1) {
            assert_non_null(strstr(v.checked, "signer "));
            assert_non_null(strstr(v.checked, "signing time 20"));
            assert_non_null(strstr(v.unchecked, "qualified status"));
        } else if (rc == 0) {
            assert_string_equal(g.rules, "edc-seal-invalid ");
        }
        free(xml);
    }
}

/* Replaces the first occurrence of from (after start) by to, same length; false if absent. */
static bool patch(char *xml, const char *start, const char *from, const char *to)
{
    char *p = strstr(xml, start);
    p = p ? strstr(p, from) : NULL;
    if (!p)
        return false;
    memcpy(p, to, strlen(to));
    return true;
}

/* Changes the first character of the text of the first element named by tag. */
static bool flip_text(char *xml, const char *tag)
{
    char *p = strstr(xml, tag);
    p = p ? strchr(p, '>') : NULL;
    if (!p)
        return false;
    p += 1 + strspn(p + 1, " \t\r\n");
    *p = *p == 'A' ? 'B' : 'A';
    return true;
}

/* Tampering with any signed byte is detected: the credential, the signing time, a digest,
 * the signature value. */
static void test_edc_tamper(void **state)
{
    (void)state;
    size_t len;
    char *orig = slurp_or_skip(EDC "/signed/edci_sewing_course.xml", &len);
    if (!orig)
        return;
    const char *flips[] = {"<ds:DigestValue", "<ds:SignatureValue", "<xades:SigningTime",
                           "<xades:MimeType", "<text content-type=\"text/plain\" lang=\"en\">Sewing",
                           "<dateOfBirth"};
    for (size_t i = 0; i < sizeof flips / sizeof *flips + 1; i++) {
        char *xml = strdup(orig);
        if (i < sizeof flips / sizeof *flips)
            assert_true(flip_text(xml, flips[i]));
        else  /* an attribute of the credential's root */
            assert_true(patch(xml, "<europassCredential", "cred:id=\"urn:credential:", "cred:id=\"urn:credentiaL:"));
        got g;
        cc_verdict v;
        int rc = edc_verify_text(xml, strlen(xml), &g, &v);
        if (rc != 0 || strcmp(g.rules, "edc-seal-invalid "))
            fail_msg("edit %zu (%s) not detected: %d (%s)", i, i < 6 ? flips[i] : "cred:id", rc, g.rules);
        free(xml);
    }
    /* A DOCTYPE is refused before anything is parsed. */
    char *dt = malloc(len + 64);
    const char *decl = strstr(orig, "?>") + 2;
    sprintf(dt, "%.*s<!DOCTYPE x [<!ENTITY e \"e\">]>%s", (int)(decl - orig), orig, decl);
    got g;
    cc_verdict v;
    assert_int_equal(edc_verify_text(dt, strlen(dt), &g, &v), 0);
    assert_string_equal(g.rules, "xml-doctype ");
    free(dt), free(orig);
}

/* A signature whose document reference does not cover the credential is refused even if
 * its digests and value would check. */
static void test_edc_scope(void **state)
{
    (void)state;
    size_t len;
    char *xml = slurp_or_skip(EDC "/signed/edci_sewing_course.xml", &len);
    if (!xml)
        return;
    assert_true(patch(xml, "<ds:Reference", "/descendant::ds:Signature", "/descendant::ds:Signaturf"));
    got g;
    cc_verdict v;
    assert_int_equal(edc_verify_text(xml, strlen(xml), &g, &v), 0);
    assert_string_equal(g.rules, "edc-seal-scope ");
    free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b64u),
        cmocka_unit_test(test_b64u_tails),
        cmocka_unit_test(test_jws_looks),
        cmocka_unit_test(test_ecdsa_forms),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_sign_verify_algs),
        cmocka_unit_test(test_jwk_rules),
        cmocka_unit_test(test_header_rejections),
        cmocka_unit_test(test_vcjwt_roundtrip),
        cmocka_unit_test(test_vcjwt_times_and_claims),
        cmocka_unit_test(test_vcjwt_sign_rules),
        cmocka_unit_test(test_corpus_generated),
        cmocka_unit_test(test_corpus_dcpv_ob20),
        cmocka_unit_test(test_corpus_dcpv_vcjwt),
    };
    const struct CMUnitTest edc_tests[] = {
        cmocka_unit_test(test_edc_corpus),
        cmocka_unit_test(test_edc_tamper),
        cmocka_unit_test(test_edc_scope),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return rc | cmocka_run_group_tests(edc_tests, edc_setup, edc_teardown);
}
