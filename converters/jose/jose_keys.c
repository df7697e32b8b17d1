/* Keys: PEM (PKCS#8, SPKI, X.509) and JWK (RSA, EC P-256, OKP Ed25519) into EVP_PKEY, and
 * back to a public JWK.  Everything through OpenSSL 3's provider interfaces. */
#include "cc_jsonread.h"
#include "cc_jose.h"
#include "cc_multikey.h"

#include <errno.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cc_read_file(const char *path, size_t max, size_t *len)
{
    bool own = strcmp(path, "-") != 0;  /* not stdin: closed here */
    FILE *fp = own ? fopen(path, "rb") : stdin;
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, fp)) > 0;) {
        n += got;
        if (n > max) {
            free(buf);
            buf = NULL;
            errno = EFBIG;
        } else if (n == cap) {
            char *b = realloc(buf, (cap *= 2) + 1);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    if (buf && ferror(fp)) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    if (own)
        fclose(fp);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* ------------------------------------------------------------ PEM */

/* Never prompts: credconv runs in scripts, and a passphrase on a terminal would hang them. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf, (void)size, (void)rwflag, (void)u;
    return -1;
}

EVP_PKEY *cc_key_from_pem(const char *pem, size_t len, cc_jose_err *e)
{
    if (strstr(pem, "ENCRYPTED")) {
        cc_jose_fail(e, "key-encrypted", "encrypted private keys are not supported: decrypt it with "
                     "'openssl pkey' into a file only you can read");
        return NULL;
    }
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *k = NULL;
    if (strstr(pem, "-----BEGIN CERTIFICATE-----")) {
        X509 *cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
        k = cert ? X509_get_pubkey(cert) : NULL;
        X509_free(cert);
    } else if (strstr(pem, "PRIVATE KEY-----")) {
        k = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    } else {
        k = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    }
    BIO_free(bio);
    ERR_clear_error();
    if (!k)
        cc_jose_fail(e, "key-invalid", "not a PEM private key, public key or certificate that can be read");
    return k;
}

bool cc_key_is_private(EVP_PKEY *k)
{
    BIGNUM *d = NULL;
    unsigned char raw[64];
    size_t n = 0;
    bool priv = EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_D, &d) ||
                EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_PRIV_KEY, &d) ||
                EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_PRIV_KEY, raw, sizeof raw, &n);
    BN_clear_free(d);
    OPENSSL_cleanse(raw, sizeof raw);
    ERR_clear_error();
    return priv;
}

/* ------------------------------------------------------------ JWK → EVP_PKEY */

static const char *const private_members[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k", NULL};

bool cc_jwk_has_private(const json_t *jwk)
{
    for (const char *const *m = private_members; *m; m++)
        if (json_object_get(jwk, *m))
            return true;
    return false;
}

/* The bytes of a base64url member; NULL when absent or not base64url (*bad set). */
static unsigned char *member(const json_t *jwk, const char *name, size_t *n, bool *bad)
{
    json_t *v = json_object_get(jwk, name);
    if (!v)
        return NULL;
    const char *s = json_string_value(v);
    unsigned char *b = s ? cc_b64u_decode(s, strlen(s), n) : NULL;
    if (!b || !*n) {
        free(b);
        *bad = true;
        return NULL;
    }
    return b;
}

/* Adds a big-endian unsigned integer member to the builder; false when it is missing and
 * required, or malformed. */
static bool add_bn(OSSL_PARAM_BLD *bld, const json_t *jwk, const char *name, const char *param,
                   bool required, BIGNUM **keep)
{
    size_t n = 0;
    bool bad = false;
    unsigned char *b = member(jwk, name, &n, &bad);
    if (!b)
        return !bad && !required;
    *keep = BN_bin2bn(b, (int)n, NULL);
    OPENSSL_cleanse(b, n);
    free(b);
    return *keep && OSSL_PARAM_BLD_push_BN(bld, param, *keep);
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld, bool priv)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *k = NULL;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &k, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
        k = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return k;
}

static EVP_PKEY *rsa_from_jwk(const json_t *jwk, bool priv)
{
    static const char *const names[] = {"n", "e", "d", "p", "q", "dp", "dq", "qi"};
    static const char *const params[] = {
        OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
        OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
        OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
    BIGNUM *bn[8] = {0};
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    bool ok = bld != NULL;
    for (int i = 0; ok && i < (priv ? 8 : 2); i++)
        ok = add_bn(bld, jwk, names[i], params[i], i < (priv ? 3 : 2), &bn[i]);
    EVP_PKEY *k = ok ? from_params("RSA", bld, priv) : NULL;
    OSSL_PARAM_BLD_free(bld);
    for (int i = 0; i < 8; i++)
        BN_clear_free(bn[i]);
    return k;
}

/* x and y of a P-256 point must be exactly 32 bytes each (RFC 7518 §6.2.1.2). */
static EVP_PKEY *ec_from_jwk(const json_t *jwk, bool priv, cc_jose_err *e)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    if (!crv || strcmp(crv, "P-256")) {
        cc_jose_fail(e, "jwk-invalid", "EC key on curve \"%.32s\": only P-256 is supported", crv ? crv : "");
        return NULL;
    }
    size_t xn = 0, yn = 0;
    bool bad = false;
    unsigned char *x = member(jwk, "x", &xn, &bad), *y = member(jwk, "y", &yn, &bad);
    unsigned char point[65];
    BIGNUM *d = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    bool ok = bld && x && y && xn == 32 && yn == 32;
    if (ok) {
        point[0] = 0x04;  /* uncompressed */
        memcpy(point + 1, x, 32);
        memcpy(point + 33, y, 32);
        ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
             OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point) &&
             (!priv || add_bn(bld, jwk, "d", OSSL_PKEY_PARAM_PRIV_KEY, true, &d));
    }
    EVP_PKEY *k = ok ? from_params("EC", bld, priv) : NULL;
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(d);
    free(x), free(y);
    if (!k)
        cc_jose_fail(e, "jwk-invalid", "the EC JWK needs x and y of 32 bytes each, a point on P-256%s",
                     priv ? ", and d" : "");
    return k;
}

static EVP_PKEY *okp_from_jwk(const json_t *jwk, bool priv, cc_jose_err *e)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    if (!crv || strcmp(crv, "Ed25519")) {
        cc_jose_fail(e, "jwk-invalid", "OKP key on curve \"%.32s\": only Ed25519 is supported", crv ? crv : "");
        return NULL;
    }
    size_t xn = 0, dn = 0;
    bool bad = false;
    unsigned char *x = member(jwk, "x", &xn, &bad), *d = priv ? member(jwk, "d", &dn, &bad) : NULL;
    EVP_PKEY *k = NULL;
    if (priv && d && dn == 32)
        k = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL, d, dn);
    else if (!priv && x && xn == 32)
        k = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, x, xn);
    if (k && priv && x) {  /* the public half given must be the one d derives */
        unsigned char pub[32];
        size_t pn = sizeof pub;
        if (xn != 32 || !EVP_PKEY_get_raw_public_key(k, pub, &pn) || memcmp(pub, x, 32)) {
            EVP_PKEY_free(k);
            k = NULL;
        }
    }
    if (d)
        OPENSSL_cleanse(d, dn);
    free(x), free(d);
    if (!k)
        cc_jose_fail(e, "jwk-invalid", "the Ed25519 JWK needs x (and d) of 32 bytes, matching each other");
    return k;
}

EVP_PKEY *cc_key_from_jwk(const json_t *jwk, bool allow_private, cc_jose_err *e)
{
    if (!json_is_object(jwk)) {
        cc_jose_fail(e, "jwk-invalid", "a JWK is a JSON object");
        return NULL;
    }
    bool priv = cc_jwk_has_private(jwk);
    if (priv && !allow_private) {
        cc_jose_fail(e, "jwk-private", "this JWK holds private-key members where a public key is expected");
        return NULL;
    }
    const char *use = json_string_value(json_object_get(jwk, "use"));
    if (use && strcmp(use, "sig")) {
        cc_jose_fail(e, "jwk-invalid", "the JWK is for \"use\": \"%.32s\", not signatures", use);
        return NULL;
    }
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    EVP_PKEY *k = NULL;
    if (kty && !strcmp(kty, "RSA")) {
        k = rsa_from_jwk(jwk, priv);
        if (!k)
            cc_jose_fail(e, "jwk-invalid", "the RSA JWK needs base64url n and e%s", priv ? ", d, p, q, dp, dq, qi" : "");
    } else if (kty && !strcmp(kty, "EC")) {
        k = ec_from_jwk(jwk, priv, e);
    } else if (kty && !strcmp(kty, "OKP")) {
        k = okp_from_jwk(jwk, priv, e);
    } else {
        cc_jose_fail(e, "jwk-invalid", "JWK kty \"%.32s\" is not supported (RSA, EC, OKP)", kty ? kty : "");
    }
    ERR_clear_error();
    return k;
}

/* ------------------------------------------------------------ EVP_PKEY → public JWK */

static bool set_b64(json_t *o, const char *name, const unsigned char *b, size_t n)
{
    char *s = cc_b64u_encode(b, n);
    bool ok = json_object_set_new(o, name, json_string(s)) == 0;
    free(s);
    return ok;
}

static bool set_bn(json_t *o, const char *name, EVP_PKEY *k, const char *param, int pad)
{
    BIGNUM *bn = NULL;
    if (!EVP_PKEY_get_bn_param(k, param, &bn))
        return false;
    int n = pad ? pad : BN_num_bytes(bn);
    unsigned char *b = malloc((size_t)(n ? n : 1));
    bool ok = b && BN_bn2binpad(bn, b, n) == n && set_b64(o, name, b, (size_t)n);
    free(b);
    BN_free(bn);
    return ok;
}

json_t *cc_jwk_public(EVP_PKEY *k, cc_jose_err *e)
{
    json_t *o = json_object();
    bool ok = false;
    switch (cc_alg_for_key(k)) {
    case CC_ALG_RS256:
        ok = !json_object_set_new(o, "kty", json_string("RSA")) &&
             set_bn(o, "e", k, OSSL_PKEY_PARAM_RSA_E, 0) && set_bn(o, "n", k, OSSL_PKEY_PARAM_RSA_N, 0);
        break;
    case CC_ALG_ES256:
        ok = !json_object_set_new(o, "kty", json_string("EC")) &&
             !json_object_set_new(o, "crv", json_string("P-256")) &&
             set_bn(o, "x", k, OSSL_PKEY_PARAM_EC_PUB_X, 32) && set_bn(o, "y", k, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
        break;
    case CC_ALG_EDDSA: {
        unsigned char pub[32];
        size_t n = sizeof pub;
        ok = !json_object_set_new(o, "kty", json_string("OKP")) &&
             !json_object_set_new(o, "crv", json_string("Ed25519")) &&
             EVP_PKEY_get_raw_public_key(k, pub, &n) && set_b64(o, "x", pub, n);
        break;
    }
    default:
        break;
    }
    ERR_clear_error();
    if (!ok) {
        json_decref(o);
        cc_jose_fail(e, "key-unsupported", "only RSA, P-256 and Ed25519 keys have a JWK here");
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------ key files */

/* A Multikey document: publicKeyMultibase, with secretKeyMultibase (or privateKeyMultibase,
 * as the W3C test vectors name it) when it is a private key. */
static EVP_PKEY *key_from_multikey(const json_t *doc, bool allow_private, cc_jose_err *e)
{
    const char *pub = json_string_value(json_object_get(doc, "publicKeyMultibase"));
    const char *sec = json_string_value(json_object_get(doc, "secretKeyMultibase"));
    if (!sec)
        sec = json_string_value(json_object_get(doc, "privateKeyMultibase"));
    if (sec && !allow_private) {
        cc_jose_fail(e, "jwk-private", "this Multikey holds its secret key where a public key is expected");
        return NULL;
    }
    if (!sec)
        return cc_multikey_public(pub, e);
    EVP_PKEY *k = cc_multikey_private(sec, e);
    char *derived = k && pub ? cc_multikey_encode(k) : NULL;
    if (k && pub && (!derived || strcmp(derived, pub))) {  /* the public half must match */
        cc_jose_fail(e, "multikey-invalid", "publicKeyMultibase is not the public half of the secret key");
        EVP_PKEY_free(k);
        k = NULL;
    }
    free(derived);
    return k;
}

/* A JSON key document: a JWK, a JWKS with one key, an OB 2.0 CryptographicKey, or a Multikey. */
static EVP_PKEY *key_from_json(json_t *doc, bool allow_private, char **id_out, cc_jose_err *e)
{
    if (json_object_get(doc, "publicKeyMultibase") || json_object_get(doc, "secretKeyMultibase") ||
        json_object_get(doc, "privateKeyMultibase")) {
        EVP_PKEY *k = key_from_multikey(doc, allow_private, e);
        const char *id = json_string_value(json_object_get(doc, "id"));
        if (k && id_out && id)
            *id_out = strdup(id);
        return k;
    }
    json_t *keys = json_object_get(doc, "keys");
    if (json_is_array(keys)) {
        if (json_array_size(keys) != 1) {
            cc_jose_fail(e, "key-invalid", "this JWKS has %zu keys: give it with --jwks, which picks one by kid",
                         json_array_size(keys));
            return NULL;
        }
        doc = json_array_get(keys, 0);
    }
    const char *pem = json_string_value(json_object_get(doc, "publicKeyPem"));
    const char *id = json_string_value(json_object_get(doc, pem ? "id" : "kid"));
    EVP_PKEY *k = pem ? cc_key_from_pem(pem, strlen(pem), e) : cc_key_from_jwk(doc, allow_private, e);
    if (k && id_out && id)
        *id_out = strdup(id);
    return k;
}

EVP_PKEY *cc_key_load_file(const char *path, bool allow_private, char **id_out, cc_jose_err *e)
{
    if (id_out)
        *id_out = NULL;
    size_t len;
    char *text = cc_read_file(path, CC_KEY_MAX_FILE, &len);
    if (!text) {
        cc_jose_fail(e, "key-file", "cannot read the key file %s: %s", path, strerror(errno));
        return NULL;
    }
    const char *p = text + strspn(text, " \t\r\n");
    EVP_PKEY *k = NULL;
    if (*p == '{') {
        json_error_t je;
        json_t *doc = cc_json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
        if (!doc)
            cc_jose_fail(e, "key-invalid", "%s: not JSON (line %d: %s)", path, je.line, je.text);
        else
            k = key_from_json(doc, allow_private, id_out, e);
        json_decref(doc);
    } else {
        k = cc_key_from_pem(text, len, e);
    }
    OPENSSL_cleanse(text, len);
    free(text);
    if (k && !allow_private && cc_key_is_private(k)) {
        /* verify --key given a private key: use its public half only. */
        json_t *pub = cc_jwk_public(k, e);
        EVP_PKEY_free(k);
        k = pub ? cc_key_from_jwk(pub, false, e) : NULL;
        json_decref(pub);
    }
    return k;
}
