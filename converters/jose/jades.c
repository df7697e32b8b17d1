/* JAdES seals (ETSI TS 119 182-1, docs/references.md edc §10): parsing of the JWS JSON
 * serialisation, the header rules, the signature with the x5c leaf key, the chain and its
 * trust (--ca), RFC 3161 timestamps (adoTst) through OpenSSL's TS_ API, and baseline-B
 * sealing.  Every refusal has its own rule (docs/signatures.md). */
#include "cc_jades.h"
#include "cc_jsonread.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/ts.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    MAX_PROTECTED = 1 << 20,      /* x5c chains and timestamp tokens: a few tens of KB */
    MAX_CERTS = 16,
    MAX_TOKENS = 8,
    SKEW = 300,                   /* seconds a sigT may be ahead of this clock */
};

typedef enum { J_NONE, J_RS256, J_PS256, J_ES256 } jalg;

/* One signature being verified; everything owned is freed by seal_free. */
typedef struct seal {
    const char *name;
    const cc_diag_sink *diag;
    cc_verdict *v;
    const cc_verify_opts *o;
    const char *payload;          /* the payload member, as it stands */
    size_t payload_len;
    const char *prot64;           /* the protected member (base64url) */
    json_t *hdr;                  /* the protected header */
    const json_t *unprot;         /* the unprotected header, or NULL */
    unsigned char *sig;
    size_t sig_len;
    jalg alg;
    bool b64;                     /* the payload is base64url (b64 absent or true) */
    STACK_OF(X509) *chain;        /* x5c, leaf first */
    X509_STORE *ca;               /* --ca, or NULL */
    time_t sigt;
    int tokens;                   /* timestamp tokens checked */
} seal;

static int bad(seal *s, const char *rule, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(seal *s, const char *rule, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_diagf(s->diag, CC_ERROR, s->name, 0, 0, NULL, rule, "%s", msg);
    return -1;
}

static void seal_free(seal *s)
{
    json_decref(s->hdr);
    free(s->sig);
    sk_X509_pop_free(s->chain, X509_free);
    X509_STORE_free(s->ca);
}

/* ------------------------------------------------------------ encodings */

/* Standard base64 with its padding (x5c, timestamp tokens): strict, through the base64url
 * decoder (one spelling per byte string).  malloc'd, or NULL. */
static unsigned char *b64std_decode(const char *s, size_t *n)
{
    size_t len = strlen(s), pad = 0;
    if (len % 4)
        return NULL;
    while (pad < 2 && len > pad && s[len - 1 - pad] == '=')
        pad++;
    char *u = strndup(s, len - pad);
    if (!u)
        cc_oom();
    for (char *p = u; *p; p++) {
        if (*p == '-' || *p == '_')
            return free(u), NULL;
        *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    }
    unsigned char *out = cc_b64u_decode(u, len - pad, n);
    free(u);
    return out;
}

static char *b64std_encode(const unsigned char *b, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (!out)
        cc_oom();
    EVP_EncodeBlock((unsigned char *)out, b, (int)n);
    return out;
}

/* "YYYY-MM-DDThh:mm:ssZ" (sigT) → seconds since the epoch; -1 when not that form. */
static time_t parse_utc(const char *t)
{
    struct tm tm = {0};
    char z = 0;
    int n = 0;
    if (!t || strlen(t) != 20 ||
        sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &z, &n) != 7 || n != 20 || z != 'Z' || t[4] != '-' || t[7] != '-' ||
        tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return -1;
    tm.tm_year -= 1900, tm.tm_mon -= 1;
    return timegm(&tm);
}

static void format_utc(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static time_t asn1_to_time(const ASN1_TIME *a)
{
    struct tm tm;
    return a && ASN1_TIME_to_tm(a, &tm) == 1 ? timegm(&tm) : (time_t)-1;
}

static void subject_of(X509 *c, char *buf, size_t cap)
{
    BIO *b = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(b, X509_get_subject_name(c), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    int n = BIO_read(b, buf, (int)cap - 1);
    buf[n > 0 ? n : 0] = '\0';
    BIO_free(b);
}

/* ------------------------------------------------------------ the JSON serialisation */

bool cc_jades_is_jws_json(const json_t *doc)
{
    return json_is_object(doc) && (json_object_get(doc, "signatures") ||
                                   (json_object_get(doc, "protected") && json_object_get(doc, "signature")));
}

/* Only the members of the serialisation: anything else is data no signature covers that a
 * reader of the document could still take. */
static int only_members(seal *s, const json_t *obj, const char *const *allowed, const char *where)
{
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)obj, k, val) {
        const char *const *a = allowed;
        while (*a && strcmp(*a, k))
            a++;
        if (!*a)
            return bad(s, "jades-syntax", "%s has a member \"%.80s\" the JWS JSON serialisation does not "
                       "define: it is covered by no signature", where, k);
    }
    return 0;
}

/* The one signature object: general (signatures, exactly one) or flattened (doc itself). */
static const json_t *the_signature(seal *s, const json_t *doc)
{
    static const char *const general[] = {"payload", "signatures", NULL};
    static const char *const flat[] = {"payload", "protected", "header", "signature", NULL};
    static const char *const one[] = {"protected", "header", "signature", NULL};
    const json_t *sigs = json_object_get(doc, "signatures");
    if (!sigs)
        return only_members(s, doc, flat, "the JWS") ? NULL : doc;
    if (only_members(s, doc, general, "the JWS"))
        return NULL;
    if (!json_is_array(sigs) || json_array_size(sigs) == 0)
        return bad(s, "jades-syntax", "\"signatures\" is not a non-empty array"), NULL;
    if (json_array_size(sigs) > 1)
        return bad(s, "jades-signatures", "the JWS has %zu signatures: credconv checks a seal with one "
                   "signature, and an unchecked second one would be reported as sealed", json_array_size(sigs)),
               NULL;
    const json_t *one_sig = json_array_get(sigs, 0);
    if (!json_is_object(one_sig) || only_members(s, one_sig, one, "the signature"))
        return json_is_object(one_sig) ? NULL : (bad(s, "jades-syntax", "the signature is not an object"), NULL);
    return one_sig;
}

/* payload, protected, signature: strings; the header decoded. */
static int split(seal *s, const json_t *doc, const json_t *sg)
{
    const json_t *p = json_object_get(doc, "payload"), *pr = json_object_get(sg, "protected");
    const json_t *sv = json_object_get(sg, "signature");
    s->unprot = json_object_get(sg, "header");
    if (!json_is_string(p))
        return bad(s, "jades-syntax", "the payload is %s", p ? "not a string" : "detached (not in the JWS)");
    if (!json_is_string(pr) || !json_is_string(sv) || (s->unprot && !json_is_object(s->unprot)))
        return bad(s, "jades-syntax", "the signature needs \"protected\" and \"signature\" strings (and "
                   "\"header\", when present, an object)");
    s->payload = json_string_value(p), s->payload_len = json_string_length(p);
    s->prot64 = json_string_value(pr);
    size_t hl = json_string_length(pr), n;
    if (hl > MAX_PROTECTED)
        return bad(s, "jws-limit", "the protected header has %zu characters (limit %d)", hl, MAX_PROTECTED);
    unsigned char *h = cc_b64u_decode(s->prot64, hl, &n);
    s->sig = cc_b64u_decode(json_string_value(sv), json_string_length(sv), &s->sig_len);
    if (!h || !s->sig || !s->sig_len) {
        free(h);
        return bad(s, "jws-syntax", "the %s is not unpadded base64url", h ? "signature" : "protected header");
    }
    json_error_t je;
    s->hdr = cc_json_loadb((const char *)h, n, JSON_REJECT_DUPLICATES, &je);
    free(h);
    if (!json_is_object(s->hdr))
        return bad(s, "jws-header", "the protected header is not a JSON object%s%s", s->hdr ? "" : ": ",
                   s->hdr ? "" : je.text);
    return 0;
}

/* ------------------------------------------------------------ header rules */

static int check_alg(seal *s)
{
    const char *alg = json_string_value(json_object_get(s->hdr, "alg"));
    if (!alg)
        return bad(s, "jws-header", "the protected header has no \"alg\" string");
    if (!strcasecmp(alg, "none"))
        return bad(s, "jws-alg-none", "alg \"none\": an unsigned seal is never accepted");
    if (!strncmp(alg, "HS", 2))
        return bad(s, "jws-alg-hmac", "alg %s is an HMAC: a shared secret is not a seal", alg);
    s->alg = !strcmp(alg, "RS256") ? J_RS256 : !strcmp(alg, "PS256") ? J_PS256 : !strcmp(alg, "ES256") ? J_ES256
                                                                                                      : J_NONE;
    if (s->alg == J_NONE)
        return bad(s, "jws-alg-unsupported", "alg \"%.64s\" is not supported for seals (RS256, PS256, ES256)", alg);
    return 0;
}

/* The extensions credconv understands; a crit name outside them is refused (RFC 7515
 * §4.1.11), and every JAdES parameter present must be listed (TS 119 182-1 §5.1.10), so a
 * stripped crit cannot hide one from a verifier that does not know it. */
static const char *const understood[] = {"b64", "sigT", "adoTst", NULL};
static const char *const jades_params[] = {"sigT", "adoTst", "sigX5ts", "srCms", "sigPl", "srAts",
                                           "sigPId", "sigD", "x5t#o", NULL};

static bool in_list(const char *const *l, const char *k)
{
    for (; *l; l++)
        if (!strcmp(*l, k))
            return true;
    return false;
}

static bool crit_has(const json_t *crit, const char *k)
{
    size_t i;
    json_t *e;
    json_array_foreach(crit, i, e)
        if (json_is_string(e) && !strcmp(json_string_value(e), k))
            return true;
    return false;
}

static int check_crit(seal *s)
{
    const json_t *crit = json_object_get(s->hdr, "crit");
    if (crit && (!json_is_array(crit) || !json_array_size(crit)))
        return bad(s, "jws-crit", "crit is not a non-empty array of names");
    size_t i;
    json_t *e;
    json_array_foreach(crit, i, e) {
        const char *k = json_string_value(e);
        if (!k || !in_list(understood, k))
            return bad(s, "jws-crit", "the header marks \"%.64s\" as critical; credconv understands b64, sigT "
                       "and adoTst only, so it must refuse the seal", k ? k : "(not a string)");
        if (!json_object_get(s->hdr, k))
            return bad(s, "jws-crit", "crit lists \"%s\", which the protected header does not hold", k);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(json_string_value(json_array_get(crit, j)), k))
                return bad(s, "jws-crit", "crit lists \"%s\" twice", k);
    }
    const char *k;
    json_t *val;
    json_object_foreach(s->hdr, k, val)
        if ((in_list(jades_params, k) || !strcmp(k, "b64")) && !crit_has(crit, k))
            return bad(s, "jws-crit", "the JAdES header parameter \"%s\" is not listed in crit", k);
    return 0;
}

/* RFC 7797: b64 false means the payload is signed as it stands; absent or true, it is
 * base64url.  Either way the payload member must be what b64 says. */
static int check_b64(seal *s)
{
    const json_t *b = json_object_get(s->hdr, "b64");
    if (b && !json_is_boolean(b))
        return bad(s, "jws-header", "b64 is not a boolean");
    s->b64 = !b || json_is_true(b);
    if (s->b64) {
        size_t n;
        unsigned char *d = cc_b64u_decode(s->payload, s->payload_len, &n);
        free(d);
        if (!d)
            return bad(s, "jades-b64", "the header says the payload is base64url (b64 %s), but it is not: "
                       "an unencoded payload needs b64 false in the protected header", b ? "true" : "absent");
    }
    return 0;
}

/* The unprotected header holds no parameter that decides what is verified: those must be
 * signed.  etsiU (the unsigned JAdES properties) is reported as not evaluated. */
static int check_unprotected(seal *s)
{
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)s->unprot, k, val) {
        if (json_object_get(s->hdr, k))
            return bad(s, "jades-header", "\"%.64s\" is in both the protected and the unprotected header", k);
        if (strcmp(k, "etsiU"))
            return bad(s, "jades-unprotected", "the unprotected header holds \"%.64s\": only etsiU may be "
                       "unsigned, every other parameter must be in the protected header", k);
    }
    return 0;
}

static int check_header(seal *s)
{
    if (check_alg(s) || check_crit(s) || check_b64(s) || check_unprotected(s))
        return -1;
    const char *typ = json_string_value(json_object_get(s->hdr, "typ"));
    if (typ && strcmp(typ, "jose+json") && strcmp(typ, "jose"))
        cc_diagf(s->diag, CC_WARNING, s->name, 0, 0, NULL, "jades-typ", "typ \"%.64s\" (JAdES in the JSON "
                 "serialisation says jose+json)", typ);
    const char *t = json_string_value(json_object_get(s->hdr, "sigT"));
    if (!t)
        return bad(s, "jades-sigt", "the protected header has no sigT (the claimed signing time)");
    if ((s->sigt = parse_utc(t)) < 0)
        return bad(s, "jades-sigt", "sigT \"%.40s\" is not a UTC time YYYY-MM-DDThh:mm:ssZ", t);
    if ((long long)s->sigt > s->o->now + SKEW)
        return bad(s, "jades-sigt", "sigT %s is in the future", t);
    return 0;
}

/* ------------------------------------------------------------ certificates */

static int load_x5c(seal *s)
{
    const json_t *x5c = json_object_get(s->hdr, "x5c");
    if (!json_is_array(x5c) || !json_array_size(x5c) || json_array_size(x5c) > MAX_CERTS)
        return bad(s, "jades-x5c", "the protected header needs x5c, the signer's certificate chain (1 to %d "
                   "certificates)", MAX_CERTS);
    s->chain = sk_X509_new_null();
    size_t i;
    json_t *e;
    json_array_foreach(x5c, i, e) {
        size_t n;
        unsigned char *der = json_is_string(e) ? b64std_decode(json_string_value(e), &n) : NULL;
        const unsigned char *p = der;
        X509 *c = der ? d2i_X509(NULL, &p, (long)n) : NULL;
        bool whole = c && p == der + n;
        free(der);
        if (!whole) {
            X509_free(c);
            return bad(s, "jades-x5c", "x5c[%zu] is not a base64 DER certificate", i);
        }
        sk_X509_push(s->chain, c);
    }
    return 0;
}

/* x5t#S256 names the leaf; a seal whose x5c leaf was swapped no longer matches it. */
static int check_x5t(seal *s)
{
    X509 *leaf = sk_X509_value(s->chain, 0);
    const char *t = json_string_value(json_object_get(s->hdr, "x5t#S256"));
    if (!t) {
        if (json_object_get(s->hdr, "x5t#S256"))
            return bad(s, "jades-x5t", "x5t#S256 is not a string");
        cc_diagf(s->diag, CC_WARNING, s->name, 0, 0, NULL, "jades-x5t", "no x5t#S256: JAdES names the "
                 "signing certificate by its digest");
        return 0;
    }
    unsigned char md[32];
    unsigned int mdn = 0;
    X509_digest(leaf, EVP_sha256(), md, &mdn);
    char *want = cc_b64u_encode(md, mdn);
    int rc = strcmp(want, t) ? bad(s, "jades-x5t", "x5t#S256 is not the digest of the x5c leaf certificate: "
                                   "the certificate was swapped") : 0;
    free(want);
    return rc;
}

static int check_validity(seal *s)
{
    X509 *leaf = sk_X509_value(s->chain, 0);
    time_t nb = asn1_to_time(X509_get0_notBefore(leaf)), na = asn1_to_time(X509_get0_notAfter(leaf));
    if (s->sigt < nb || s->sigt > na) {
        char a[21], b[21];
        format_utc(nb, a), format_utc(na, b);
        return bad(s, "jades-cert-time", "the signing certificate is valid from %s to %s, not at sigT", a, b);
    }
    return 0;
}

/* --ca: the chain must reach one of its certificates, as of sigT. */
static int check_trust(seal *s)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *rest = sk_X509_dup(s->chain);
    (void)sk_X509_shift(rest);
    int ok = ctx && X509_STORE_CTX_init(ctx, s->ca, sk_X509_value(s->chain, 0), rest) == 1;
    if (ok) {
        X509_STORE_CTX_set_time(ctx, 0, s->sigt);
        ok = X509_verify_cert(ctx) == 1;
    }
    int err = ctx ? X509_STORE_CTX_get_error(ctx) : X509_V_ERR_UNSPECIFIED;
    X509_STORE_CTX_free(ctx);
    sk_X509_free(rest);
    ERR_clear_error();
    if (!ok)
        return bad(s, "jades-cert-untrusted", "the certificate chain does not reach a certificate of --ca %s "
                   "at sigT: %s", s->o->ca_file, X509_verify_cert_error_string(err));
    return 0;
}

/* ------------------------------------------------------------ the signature */

static const char *alg_name(jalg a)
{
    return a == J_RS256 ? "RS256" : a == J_PS256 ? "PS256" : a == J_ES256 ? "ES256" : "?";
}

/* PS256: RSASSA-PSS, SHA-256, MGF1 SHA-256, a 32-byte salt (RFC 7518 §3.5). */
static int pss_params(EVP_PKEY_CTX *pc)
{
    return EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
                   EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, 32) > 0 &&
                   EVP_PKEY_CTX_set_rsa_mgf1_md(pc, EVP_sha256()) > 0
               ? 0
               : -1;
}

static int ps256_verify(EVP_PKEY *k, const unsigned char *m, size_t n, const unsigned char *sig, size_t sl)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    int rc = ctx && EVP_DigestVerifyInit(ctx, &pc, EVP_sha256(), NULL, k) == 1 && pss_params(pc) == 0 &&
             EVP_DigestVerify(ctx, sig, sl, m, n) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return rc;
}

/* The signing input: ASCII(protected) "." payload, as it stands when b64 is false. */
static char *signing_input(const char *prot64, const char *payload, size_t plen, size_t *n)
{
    size_t hl = strlen(prot64);
    char *in = malloc(hl + 1 + plen + 1);
    if (!in)
        cc_oom();
    memcpy(in, prot64, hl);
    in[hl] = '.';
    memcpy(in + hl + 1, payload, plen);
    in[hl + 1 + plen] = '\0';
    *n = hl + 1 + plen;
    return in;
}

static int check_signature(seal *s)
{
    EVP_PKEY *k = X509_get0_pubkey(sk_X509_value(s->chain, 0));
    if (!k)
        return bad(s, "jades-x5c", "the leaf certificate's key cannot be read");
    bool rsa = EVP_PKEY_is_a(k, "RSA");
    if ((s->alg == J_ES256) == rsa)
        return bad(s, "jws-alg-key-mismatch", "alg %s does not suit the certificate's %s key", alg_name(s->alg),
                   rsa ? "RSA" : "non-RSA");
    if (rsa && EVP_PKEY_get_bits(k) < 2048)
        return bad(s, "key-weak", "the certificate's RSA key has %d bits; at least 2048 are needed",
                   EVP_PKEY_get_bits(k));
    size_t n;
    char *in = signing_input(s->prot64, s->payload, s->payload_len, &n);
    cc_jose_err e = {0};
    int ok = s->alg == J_PS256 ? ps256_verify(k, (unsigned char *)in, n, s->sig, s->sig_len)
             : cc_jws_verify_bytes(k, s->alg == J_RS256 ? CC_ALG_RS256 : CC_ALG_ES256, (unsigned char *)in, n,
                                   s->sig, s->sig_len, &e) == 1;
    free(in);
    if (!ok)
        return bad(s, e.rule && strcmp(e.rule, "jws-signature") ? e.rule : "jades-signature",
                   "the %s signature does not match: the payload or the protected header was changed after "
                   "sealing, or another key sealed it%s%s", alg_name(s->alg), *e.msg ? " (" : "",
                   *e.msg ? ")" : "");
    return 0;
}

/* ------------------------------------------------------------ timestamps (adoTst) */

/* Signature of the token: with --ca through TS_RESP_verify_token (chain to a CA of the file,
 * ESS signing certificate), else the CMS signature alone with the certificate the token
 * embeds (the TSA is then not trusted, and the verdict says so). */
static int tst_verify(seal *s, PKCS7 *p7, const unsigned char *data, size_t n, time_t gen)
{
    TS_VERIFY_CTX *vc = TS_VERIFY_CTX_new();
    int flags = TS_VFY_VERSION | TS_VFY_DATA;
    if (s->ca) {
        X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(s->ca), gen);
        X509_STORE_up_ref(s->ca);  /* the context frees its store */
        TS_VERIFY_CTX_set_store(vc, s->ca);
        flags |= TS_VFY_SIGNATURE;
    }
    TS_VERIFY_CTX_set_flags(vc, flags);
    TS_VERIFY_CTX_set_data(vc, BIO_new_mem_buf(data, (int)n));
    int ok = TS_RESP_verify_token(vc, p7) == 1;
    TS_VERIFY_CTX_free(vc);
    if (ok && !s->ca)
        ok = PKCS7_verify(p7, NULL, NULL, NULL, NULL, PKCS7_NOVERIFY) == 1;
    char buf[256] = "";
    ERR_error_string_n(ERR_peek_last_error(), buf, sizeof buf);
    ERR_clear_error();
    if (!ok)
        return bad(s, "jades-timestamp", "a timestamp does not check (%s): %s",
                   s->ca ? "imprint, signature, TSA chain to --ca" : "imprint or signature", buf);
    return 0;
}

static int check_token(seal *s, const json_t *tok, const unsigned char *data, size_t n, time_t *gen)
{
    size_t dl;
    const char *val = json_string_value(json_object_get(tok, "val"));
    unsigned char *der = val ? b64std_decode(val, &dl) : NULL;
    const unsigned char *p = der;
    PKCS7 *p7 = der ? d2i_PKCS7(NULL, &p, (long)dl) : NULL;
    TS_TST_INFO *info = p7 ? PKCS7_to_TS_TST_INFO(p7) : NULL;
    free(der);
    int rc = -1;
    if (!info)
        bad(s, "jades-timestamp", "an adoTst token is not a base64 RFC 3161 timestamp token");
    else if ((*gen = asn1_to_time(TS_TST_INFO_get_time(info))) < 0)
        bad(s, "jades-timestamp", "the adoTst token has no readable time");
    else if ((rc = tst_verify(s, p7, data, n, *gen)) == 0)
        s->tokens++;
    TS_TST_INFO_free(info);
    PKCS7_free(p7);
    ERR_clear_error();
    return rc;
}

/* adoTst covers the payload as it stands in the JWS (TS 119 182-1 §5.2.8.3). */
static int check_adotst(seal *s)
{
    const json_t *ado = json_object_get(s->hdr, "adoTst");
    if (!ado)
        return 0;
    const json_t *toks = json_object_get(ado, "tstTokens");
    if (!json_is_array(toks) || !json_array_size(toks) || json_array_size(toks) > MAX_TOKENS)
        return bad(s, "jades-timestamp", "adoTst needs tstTokens, 1 to %d tokens", MAX_TOKENS);
    size_t i;
    json_t *t;
    time_t gen = 0;
    json_array_foreach(toks, i, t)
        if (check_token(s, t, (const unsigned char *)s->payload, s->payload_len, &gen))
            return -1;
    char g[21];
    format_utc(gen, g);
    if (gen > s->sigt + SKEW)
        cc_diagf(s->diag, CC_WARNING, s->name, 0, 0, NULL, "jades-timestamp", "the adoTst time %s is after sigT", g);
    CC_VERDICT_ADD(s->v, checked, "adoTst timestamp%s %s (imprint and signature%s)",
                   json_array_size(toks) > 1 ? "s, the last" : "", g, s->ca ? ", TSA trusted by --ca" : "");
    return 0;
}

/* The unsigned properties: etsiU items are base64url JSON objects (or JSON objects).  A
 * sigTst covers the signature member as it stands (TS 119 182-1 §5.3.4); a token that does
 * not check is INVALID even though nothing signs it: the seal claims a time it cannot show.
 * The others (xVals, rVals, arcTst) are listed as not evaluated. */
static json_t *etsiu_item(seal *s, const json_t *it, size_t i)
{
    if (json_is_object(it))
        return json_incref((json_t *)it);
    size_t n;
    unsigned char *b = json_is_string(it) ? cc_b64u_decode(json_string_value(it), json_string_length(it), &n) : NULL;
    json_t *j = b ? cc_json_loadb((const char *)b, n, JSON_REJECT_DUPLICATES, NULL) : NULL;
    free(b);
    if (!json_is_object(j)) {
        json_decref(j);
        bad(s, "jades-unprotected", "etsiU[%zu] is not a (base64url) JSON object", i);
        return NULL;
    }
    return j;
}

static int check_sigtst(seal *s, const json_t *sig_member)
{
    const json_t *u = json_object_get(s->unprot, "etsiU");
    if (u && (!json_is_array(u) || json_array_size(u) > 64))
        return bad(s, "jades-unprotected", "etsiU is not an array of at most 64 items");
    size_t i, k;
    json_t *it, *t;
    int rc = 0;
    json_array_foreach(u, i, it) {
        json_t *j = etsiu_item(s, it, i);
        const json_t *toks = json_object_get(json_object_get(j, "sigTst"), "tstTokens");
        time_t gen = 0;
        if (!j || (json_object_get(j, "sigTst") && (!json_is_array(toks) || !json_array_size(toks) ||
                                                    json_array_size(toks) > MAX_TOKENS)))
            rc = j ? bad(s, "jades-timestamp", "sigTst needs tstTokens, 1 to %d tokens", MAX_TOKENS) : -1;
        json_array_foreach(toks, k, t)
            if (!rc && check_token(s, t, (const unsigned char *)json_string_value(sig_member),
                                   json_string_length(sig_member), &gen))
                rc = -1;
        if (!rc && json_array_size(toks)) {
            char g[21];
            format_utc(gen, g);
            CC_VERDICT_ADD(s->v, checked, "sigTst timestamp %s (imprint and signature%s)", g,
                           s->ca ? ", TSA trusted by --ca" : "");
        }
        json_decref(j);
        if (rc)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ verdict */

/* The certificate's organizationIdentifier (2.5.4.97, eIDAS), or "". */
static void org_identifier(X509 *c, char *buf, size_t cap)
{
    *buf = '\0';
    ASN1_OBJECT *oid = OBJ_txt2obj("2.5.4.97", 1);
    X509_NAME *nm = X509_get_subject_name(c);
    int i = oid ? X509_NAME_get_index_by_OBJ(nm, oid, -1) : -1;
    ASN1_OBJECT_free(oid);
    ASN1_STRING *d = i >= 0 ? X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i)) : NULL;
    if (d)
        snprintf(buf, cap, "%.*s", ASN1_STRING_length(d), (const char *)ASN1_STRING_get0_data(d));
}

/* The issuer's eIDAS identifier as the signed payload names it, or NULL. */
static const char *issuer_eidas(const json_t *cred)
{
    const json_t *iss = json_object_get(cred, "issuer");
    const json_t *id = json_object_get(iss, "eIDASIdentifier");
    if (!id)
        id = json_object_get(iss, "eidasLegalIdentifier");
    return json_string_value(json_object_get(json_is_array(id) ? json_array_get(id, 0) : id, "notation"));
}

/* A certificate in the seal is the issuer's only when the user gave it (--key) or when
 * --ca trusts it and it names the issuer's eIDAS identifier (docs/decisions.md). */
static int bind(seal *s, const json_t *cred)
{
    X509 *leaf = sk_X509_value(s->chain, 0);
    if (s->o->key) {
        if (EVP_PKEY_eq(X509_get0_pubkey(leaf), s->o->key) != 1)
            return bad(s, "jades-key-mismatch", "the seal was made with the key of its x5c certificate, not with "
                       "the key given (--key %s)", s->o->key_file ? s->o->key_file : "");
        s->v->bound = true;
        CC_VERDICT_ADD(s->v, binding, "the certificate was given (--key %s)", s->o->key_file ? s->o->key_file : "");
        return 0;
    }
    char org[256];
    org_identifier(leaf, org, sizeof org);
    const char *eidas = issuer_eidas(cred);
    if (!s->ca)
        CC_VERDICT_ADD(s->v, binding, "the seal's certificate comes from the seal itself; no certificate was "
                       "given (--key) and no trust anchor (--ca)");
    else if (!eidas || !*org || strcmp(eidas, org))
        CC_VERDICT_ADD(s->v, binding, "the certificate is trusted by --ca, but it names the organisation \"%.200s\" "
                       "and the issuer's eIDAS identifier is \"%.200s\"", *org ? org : "(none)",
                       eidas ? eidas : "(none)");
    else {
        s->v->bound = true;
        CC_VERDICT_ADD(s->v, binding, "the certificate is trusted by --ca %s and names the issuer's eIDAS "
                       "identifier %s", s->o->ca_file, eidas);
    }
    return 0;
}

static void describe(seal *s)
{
    char subj[512];
    subject_of(sk_X509_value(s->chain, 0), subj, sizeof subj);
    CC_VERDICT_ADD(s->v, checked, "seal valid (JAdES, %s, %s payload, key of the x5c certificate)",
                   alg_name(s->alg), s->b64 ? "base64url" : "unencoded");
    CC_VERDICT_ADD(s->v, checked, "signer %s", subj);
    for (int i = 1; i < sk_X509_num(s->chain); i++) {
        subject_of(sk_X509_value(s->chain, i), subj, sizeof subj);
        CC_VERDICT_ADD(s->v, checked, "chain[%d] %s", i, subj);
    }
    CC_VERDICT_ADD(s->v, checked, "signing time %s", json_string_value(json_object_get(s->hdr, "sigT")));
    if (s->ca)
        CC_VERDICT_ADD(s->v, checked, "chain trusted by --ca at sigT");
    else
        CC_VERDICT_ADD(s->v, unchecked, "certificate trust and qualified status (no --ca; EU trusted lists)");
    CC_VERDICT_ADD(s->v, unchecked, "revocation; the unsigned properties but sigTst (etsiU xVals, rVals, arcTst)");
}

/* ------------------------------------------------------------ verify */

static int load_ca(seal *s)
{
    if (!s->o->ca_file)
        return 0;
    s->ca = X509_STORE_new();
    if (!s->ca || X509_STORE_load_file(s->ca, s->o->ca_file) != 1) {
        ERR_clear_error();
        return bad(s, "jades-ca", "--ca %s: no PEM certificate can be read from it", s->o->ca_file);
    }
    return 0;
}

static int verify_seal(seal *s, const json_t *doc)
{
    const json_t *sg = the_signature(s, doc);
    if (!sg || split(s, doc, sg) || check_header(s) || load_x5c(s) || check_x5t(s) || check_signature(s) ||
        check_validity(s) || load_ca(s) || (s->ca && check_trust(s)))
        return 0;
    json_error_t je;
    size_t n = s->payload_len;
    unsigned char *dec = s->b64 ? cc_b64u_decode(s->payload, s->payload_len, &n) : NULL;
    json_t *cred = cc_json_loadb(dec ? (const char *)dec : s->payload, n, JSON_REJECT_DUPLICATES, &je);
    free(dec);
    if (!json_is_object(cred)) {
        json_decref(cred);
        return bad(s, "jades-payload", "the sealed payload is not a JSON object%s%s", cred ? "" : ": ",
                   cred ? "" : je.text), 0;
    }
    describe(s);  /* the verdict's fields count only when the status is 1 */
    int rc = check_adotst(s) || check_sigtst(s, json_object_get(sg, "signature")) ? 0 : bind(s, cred) ? 0 : 1;
    if (s->tokens && !s->ca)
        CC_VERDICT_ADD(s->v, unchecked, "the timestamp authorities' trust (no --ca)");
    json_decref(cred);
    return rc;
}

int cc_jades_verify(const json_t *doc, const cc_verify_opts *o, const char *name, const cc_diag_sink *diag,
                    cc_verdict *v)
{
    v->kind = "JAdES seal";
    seal s = {.name = name, .diag = diag, .v = v, .o = o};
    v->status = verify_seal(&s, doc);
    seal_free(&s);
    return v->status;
}

/* ------------------------------------------------------------ seal */

STACK_OF(X509) *cc_jades_load_certs(const char *cert_file, const char *chain_file, EVP_PKEY *key,
                                    cc_jose_err *e)
{
    STACK_OF(X509) *sk = sk_X509_new_null();
    const char *files[] = {cert_file, chain_file};
    for (int f = 0; f < 2 && files[f]; f++) {
        FILE *fp = fopen(files[f], "r");
        X509 *c;
        int got = 0;
        while (fp && (f == 1 || !got) && (c = PEM_read_X509(fp, NULL, NULL, NULL)))
            sk_X509_push(sk, c), got++;
        if (fp)
            fclose(fp);
        ERR_clear_error();
        if (!got) {
            cc_jose_fail(e, "jades-cert", "%s: no PEM certificate in it", files[f]);
            return sk_X509_pop_free(sk, X509_free), NULL;
        }
    }
    if (EVP_PKEY_eq(X509_get0_pubkey(sk_X509_value(sk, 0)), key) != 1) {
        cc_jose_fail(e, "jades-cert", "%s is not the certificate of the signing key", cert_file);
        return sk_X509_pop_free(sk, X509_free), NULL;
    }
    return sk;
}

int cc_jades_eidas_issuer(json_t *cred, STACK_OF(X509) *certs, cc_jose_err *e)
{
    json_t *iss = json_object_get(cred, "issuer");
    if (!json_is_object(iss) || json_object_get(iss, "eIDASIdentifier"))
        return 0;
    char org[256];
    org_identifier(sk_X509_value(certs, 0), org, sizeof org);
    json_t *spatial = json_object_get(json_object_get(iss, "registration"), "spatial");
    if (!*org || !spatial) {
        cc_jose_fail(e, "jades-eidas", "a sealed Europass credential names its issuer's eIDAS identifier, "
                     "taken from the seal certificate: %s", !*org ? "the certificate has no organizationIdentifier "
                     "(2.5.4.97)" : "the issuer has no registration country to give it");
        return -1;
    }
    json_object_set_new(iss, "eIDASIdentifier",
                        json_pack("{s:s, s:s, s:s, s:O}", "id", "urn:epass:legalIdentifier:eidas", "type",
                                  "LegalIdentifier", "notation", org, "spatial", spatial));
    return 0;
}

static json_t *seal_header(const cc_jades_seal_opts *o, const char *alg, const char *sigt)
{
    json_t *x5c = json_array();
    for (int i = 0; i < sk_X509_num(o->certs); i++) {
        unsigned char *der = NULL;
        int n = i2d_X509(sk_X509_value(o->certs, i), &der);
        char *b = n > 0 ? b64std_encode(der, (size_t)n) : NULL;
        json_array_append_new(x5c, json_string(b ? b : ""));
        free(b);
        OPENSSL_free(der);
    }
    unsigned char md[32];
    unsigned int mdn = 0;
    X509_digest(sk_X509_value(o->certs, 0), EVP_sha256(), md, &mdn);
    char *t = cc_b64u_encode(md, mdn);
    json_t *h = json_pack("{s:s, s:s, s:s, s:o, s:s, s:b, s:[s,s]}", "alg", alg, "typ", "jose+json", "x5t#S256", t,
                          "x5c", x5c, "sigT", sigt, "b64", 0, "crit", "b64", "sigT");
    free(t);
    return h;
}

static int ps256_sign(EVP_PKEY *k, const unsigned char *m, size_t n, unsigned char **sig, size_t *sl)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pc = NULL;
    *sig = NULL;
    int ok = ctx && EVP_DigestSignInit(ctx, &pc, EVP_sha256(), NULL, k) == 1 && pss_params(pc) == 0 &&
             EVP_DigestSign(ctx, NULL, sl, m, n) == 1 && (*sig = malloc(*sl)) &&
             EVP_DigestSign(ctx, *sig, sl, m, n) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok ? 0 : (free(*sig), *sig = NULL, -1);
}

static const char *seal_alg(const cc_jades_seal_opts *o, cc_jose_err *e)
{
    bool rsa = EVP_PKEY_is_a(o->key, "RSA");
    const char *alg = o->alg ? o->alg : rsa ? "RS256" : "ES256";
    bool ok = rsa ? !strcmp(alg, "RS256") || !strcmp(alg, "PS256")
                  : !strcmp(alg, "ES256") && cc_alg_for_key(o->key) == CC_ALG_ES256;
    if (!ok)
        cc_jose_fail(e, "jws-alg-key-mismatch", "a seal is RS256 or PS256 with an RSA key, ES256 with a P-256 key "
                     "(not %s with this key)", alg);
    return ok ? alg : NULL;
}

static char *sign_input(const cc_jades_seal_opts *o, const char *alg, const char *in, size_t n, cc_jose_err *e)
{
    unsigned char *sig = NULL;
    size_t sl = 0;
    int rc = !strcmp(alg, "PS256") ? ps256_sign(o->key, (const unsigned char *)in, n, &sig, &sl)
             : cc_jws_sign_bytes(o->key, !strcmp(alg, "RS256") ? CC_ALG_RS256 : CC_ALG_ES256,
                                 (const unsigned char *)in, n, &sig, &sl, e);
    if (rc) {
        if (!e->rule)
            cc_jose_fail(e, "sign-failed", "the PS256 signature could not be made");
        return NULL;
    }
    char *s64 = cc_b64u_encode(sig, sl);
    free(sig);
    return s64;
}

char *cc_jades_seal(const char *payload, size_t n, const cc_jades_seal_opts *o, cc_jose_err *e)
{
    const char *alg = seal_alg(o, e);
    if (!alg)
        return NULL;
    char now[21];
    format_utc(time(NULL), now);
    json_t *h = seal_header(o, alg, o->sigt ? o->sigt : now);
    char *hjson = h ? json_dumps(h, JSON_COMPACT) : NULL;
    json_decref(h);
    if (!hjson)
        return cc_jose_fail(e, "sign-failed", "the header cannot be made"), NULL;
    char *prot = cc_b64u_encode((const unsigned char *)hjson, strlen(hjson));
    free(hjson);
    size_t in_len;
    char *in = signing_input(prot, payload, n, &in_len);
    char *s64 = sign_input(o, alg, in, in_len, e);
    free(in);
    json_t *p = s64 ? json_stringn(payload, n) : NULL;
    json_t *doc = p ? json_pack("{s:o, s:[{s:s, s:s}]}", "payload", p, "signatures", "protected", prot,
                                "signature", s64) : NULL;
    char *out = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    if (s64 && !out)
        cc_jose_fail(e, "sign-failed", "the payload is not UTF-8 text");
    json_decref(doc);
    free(prot), free(s64);
    return out;
}
