/* credconv sign and credconv verify: option parsing, input detection, one line of verdict
 * per input.  The cryptography is in jose*.c, vcjwt.c, ob2_sig.c and edc_sig.c. */
#include "cc_sign.h"

#include <errno.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char cc_sign_usage[] =
    "\n"
    "Signing and verifying (see docs/signatures.md):\n"
    "  credconv sign   --key KEY [--alg ALG] [--kid URI | --embed-jwk] [INPUT ...]\n"
    "  credconv verify [--key KEY | --jwks FILE] [--issuer-profile FILE]\n"
    "                  [--revocation-list FILE] [INPUT ...]\n"
    "  sign writes an Open Badges 3.0 credential as a VC-JWT, or an Open Badges 2.0\n"
    "  assertion as a compact JWS (RS256), one token per line on standard output.\n"
    "  verify checks VC-JWTs, OB 2.0 signed assertions and sealed EDC XML (detected) and\n"
    "  prints what was checked and what was not; exit 0 when every signature checks.\n"
    "      --key FILE        sign: the private key (PEM or JWK); verify: the public key\n"
    "                        (PEM, certificate, JWK, or an OB 2.0 CryptographicKey)\n"
    "      --alg ALG         RS256 (default for RSA keys), ES256 (P-256) or EdDSA (Ed25519)\n"
    "      --kid URI         sign: name the verification key in the header by URI\n"
    "      --embed-jwk       sign: put the public key in the header (the default)\n"
    "      --jwks FILE       verify: a JWK Set; the header kid picks the key\n"
    "      --issuer-profile FILE\n"
    "                        verify: the OB 2.0 issuer Profile; its publicKey must list\n"
    "                        the signing key\n"
    "      --revocation-list FILE\n"
    "                        verify: the OB 2.0 issuer's RevocationList\n";

enum { OPT_KEY = 300, OPT_ALG, OPT_KID, OPT_EMBED, OPT_JWKS, OPT_PROFILE, OPT_REVOCATION };

static const struct option sign_opts[] = {
    {"key", required_argument, NULL, OPT_KEY},   {"alg", required_argument, NULL, OPT_ALG},
    {"kid", required_argument, NULL, OPT_KID},   {"embed-jwk", no_argument, NULL, OPT_EMBED},
    {"jwks", required_argument, NULL, OPT_JWKS}, {"issuer-profile", required_argument, NULL, OPT_PROFILE},
    {"revocation-list", required_argument, NULL, OPT_REVOCATION},
    {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
};

typedef struct sig_args {
    const char *key, *alg, *kid, *jwks, *profile, *revocation;
    bool embed_jwk;
    char **inputs;
    int ninputs;
} sig_args;

static int usage(const char *fmt, const char *arg)
{
    fputs("credconv: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" [usage]\nTry 'credconv --help'.\n", stderr);
    return 2;
}

/* -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, sig_args *a)
{
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", sign_opts, NULL)) != -1) {
        switch (c) {
        case OPT_KEY: a->key = optarg; break;
        case OPT_ALG: a->alg = optarg; break;
        case OPT_KID: a->kid = optarg; break;
        case OPT_EMBED: a->embed_jwk = true; break;
        case OPT_JWKS: a->jwks = optarg; break;
        case OPT_PROFILE: a->profile = optarg; break;
        case OPT_REVOCATION: a->revocation = optarg; break;
        case 'h': fputs(cc_sign_usage, stdout); return 0;
        default: fputs("Try 'credconv --help'.\n", stderr); return 2;
        }
    }
    a->inputs = argv + optind;
    a->ninputs = argc - optind;
    return -1;
}

/* ------------------------------------------------------------ diagnostics */

/* ud: the verdict of the input being verified (NULL when signing). */
static void print_diag(void *ud, const cc_diag *d)
{
    cc_verdict *v = ud;
    if (v && d->severity == CC_ERROR && !*v->reason && d->rule)
        snprintf(v->reason, sizeof v->reason, "%s", d->rule);
    if (d->severity == CC_NOTE)
        return;
    fprintf(stderr, "%s", d->file ? d->file : "credconv");
    if (d->line > 0)
        fprintf(stderr, ":%ld", d->line);
    fprintf(stderr, ": %s: ", d->severity == CC_ERROR ? "error" : "warning");
    if (d->record)
        fprintf(stderr, "%s: ", d->record);
    fputs(d->message, stderr);
    if (d->rule)
        fprintf(stderr, " [%s]", d->rule);
    fputc('\n', stderr);
}

static const cc_diag_sink stderr_sink = {print_diag, NULL};

static const char *shown(const char *path)
{
    return !strcmp(path, "-") ? "<stdin>" : path;
}

/* Reads an input whole; NULL reported (I/O error). */
static char *slurp(const char *path, size_t *len)
{
    char *s = cc_read_file(path, CC_JWS_MAX_TOKEN, len);
    if (!s)
        fprintf(stderr, "%s: error: cannot read: %s [io]\n", shown(path), strerror(errno));
    return s;
}

static json_t *load_json(const char *path, const char *what)
{
    json_error_t je;
    json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(j)) {
        fprintf(stderr, "%s: error: the %s is not a JSON object (line %d: %s) [usage]\n", path, what, je.line,
                j ? "not an object" : je.text);
        json_decref(j);
        return NULL;
    }
    return j;
}

/* ------------------------------------------------------------ sign */

/* An OB 2.0 assertion is signed byte for byte, without the white space around it. */
static size_t lead(const char *s)
{
    return strspn(s, " \t\r\n");
}

static size_t trimmed_len(const char *s, size_t len)
{
    size_t start = lead(s);
    while (len > start && strchr(" \t\r\n", s[len - 1]))
        len--;
    return len - start;
}

static int sign_one(const char *path, const sig_args *a, EVP_PKEY *key, cc_alg alg)
{
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        return 2;
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    cc_jose_err e = {0};
    char *token = NULL;
    if (!json_is_object(doc)) {
        cc_jose_fail(&e, "sign-input", "not a JSON object (line %d: %s)", je.line, doc ? "not an object" : je.text);
    } else if (cc_is_ob2_assertion(doc)) {
        if (a->kid || a->embed_jwk || (alg && alg != CC_ALG_RS256))
            cc_jose_fail(&e, "ob2-alg", "an OB 2.0 assertion is signed RS256 with the header {\"alg\":\"RS256\"}: "
                         "--alg, --kid and --embed-jwk do not apply");
        else
            token = cc_ob2_sign(text + lead(text), trimmed_len(text, len), key, shown(path), &stderr_sink, &e);
    } else {
        cc_vcjwt_sign_opts o = {key, alg, a->kid, a->embed_jwk || !a->kid};
        if ((alg ? alg : cc_alg_for_key(key)) == CC_ALG_EDDSA)
            fprintf(stderr, "%s: warning: the 1EdTech validator accepts only RS256 and ES256 VC-JWTs [vcjwt-eddsa]\n",
                    shown(path));
        token = cc_vcjwt_sign(doc, &o, shown(path), &stderr_sink, &e);
    }
    json_decref(doc);
    free(text);
    if (!token) {
        fprintf(stderr, "%s: error: %s [%s]\n", shown(path), e.msg, e.rule ? e.rule : "sign");
        return 1;
    }
    printf("%s\n", token);
    free(token);
    return 0;
}

int cc_cmd_sign(int argc, char **argv)
{
    sig_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (!a.key)
        return usage("%ssign needs --key FILE (a private key)", "");
    if (a.kid && a.embed_jwk)
        return usage("%s--kid and --embed-jwk cannot be used together", "");
    if (a.jwks || a.profile || a.revocation)
        return usage("%s--jwks, --issuer-profile and --revocation-list go with verify", "");
    cc_alg alg = a.alg ? cc_alg_from_name(a.alg) : CC_ALG_UNKNOWN;
    if (a.alg && !alg)
        return usage("unknown --alg '%s' (RS256, ES256, EdDSA)", a.alg);
    cc_jose_err e = {0};
    EVP_PKEY *key = cc_key_load_file(a.key, true, NULL, &e);
    if (!key || !cc_key_is_private(key)) {
        fprintf(stderr, "%s: error: %s [%s]\n", a.key, key ? "this is a public key: signing needs the private key"
                                                         : e.msg, key ? "key-not-private" : e.rule);
        EVP_PKEY_free(key);
        return 2;
    }
    if (!cc_alg_for_key(key)) {
        fprintf(stderr, "%s: error: only RSA, P-256 and Ed25519 keys sign (RS256, ES256, EdDSA) [key-unsupported]\n", a.key);
        EVP_PKEY_free(key);
        return 2;
    }
    static char *const stdin_only[] = {"-"};
    char *const *in = a.ninputs ? a.inputs : stdin_only;
    int n = a.ninputs ? a.ninputs : 1, worst = 0;
    for (int i = 0; i < n; i++) {
        int r = sign_one(in[i], &a, key, alg);
        worst = r > worst ? r : worst;
    }
    EVP_PKEY_free(key);
    return worst;
}

/* ------------------------------------------------------------ verify */

typedef enum { IN_UNKNOWN, IN_JWS, IN_XML, IN_JSON, IN_IMAGE } input_kind;

static input_kind detect(const char *s, size_t len)
{
    if (len >= 8 && !memcmp(s, "\x89PNG\r\n\x1a\n", 8))
        return IN_IMAGE;
    const char *p = s + strspn(s, " \t\r\n");
    if (!strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    if (*p == '<') {
        const char *svg = strstr(p, "<svg");
        return svg && svg - p < 1024 ? IN_IMAGE : IN_XML;
    }
    if (*p == '{')
        return IN_JSON;
    return cc_jws_looks(s, len) ? IN_JWS : IN_UNKNOWN;
}

static int verify_jws(const char *text, size_t len, const cc_verify_opts *o, const char *name, cc_verdict *v)
{
    cc_diag_sink sink = {print_diag, v};
    cc_jws j;
    cc_jose_err e = {0};
    if (cc_jws_parse(text, len, &j, &e)) {
        v->kind = "JWS";
        cc_diagf(&sink, CC_ERROR, name, 0, 0, NULL, e.rule, "%s", e.msg);
        return v->status = 0;
    }
    json_t *payload = json_loadb((const char *)j.payload, j.payload_len, 0, NULL);
    if (payload && cc_is_ob2_assertion(payload))
        cc_ob2_verify(&j, o, name, &sink, v);
    else
        cc_vcjwt_verify(&j, o, name, &sink, v);
    json_decref(payload);
    cc_jws_free(&j);
    return v->status;
}

/* One input: 0 valid, 1 invalid or not checked, 2 unreadable. */
static int verify_one(const char *path, const cc_verify_opts *o, bool *xmlsec_ready)
{
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        return 2;
    const char *name = shown(path);
    cc_verdict v = {.status = -1, .kind = "input"};
    cc_diag_sink sink = {print_diag, &v};
    switch (detect(text, len)) {
    case IN_JWS: verify_jws(text, len, o, name, &v); break;
    case IN_XML:
        if (!*xmlsec_ready && cc_xmlsec_init() == 0)
            *xmlsec_ready = true;
        if (*xmlsec_ready)
            cc_edc_verify(text, len, name, &sink, &v);
        else
            cc_diagf(&sink, CC_ERROR, name, 0, 0, NULL, "xmlsec-init", "libxmlsec1 cannot be initialised");
        break;
    case IN_JSON:
        cc_diagf(&sink, CC_ERROR, name, 0, 0, NULL, "proof-unsupported",
                 "a JSON credential: embedded Data Integrity proofs (eddsa-rdfc-2022) are not verified by credconv; "
                 "OB 2.0 hosted assertions are verified by fetching them");
        break;
    case IN_IMAGE:
        cc_diagf(&sink, CC_ERROR, name, 0, 0, NULL, "proof-unsupported",
                 "a baked badge image: extract the badge with 'credconv unbake' and verify that");
        break;
    default:
        cc_diagf(&sink, CC_ERROR, name, 0, 0, NULL, "verify-input",
                 "not a JWS, a VC-JWT or an EDC XML document");
    }
    free(text);
    if (v.status == 1)
        printf("%s: %s: %s%s%s\n", name, v.kind, v.checked, *v.unchecked ? "; not evaluated: " : "", v.unchecked);
    else
        printf("%s: %s: %s (%s)\n", name, v.kind, v.status == 0 ? "INVALID" : "NOT CHECKED",
               *v.reason ? v.reason : "?");
    return v.status == 1 ? 0 : 1;
}

/* Loads the --key, --jwks, --issuer-profile and --revocation-list files; 0 or 2. */
static int load_keys(const sig_args *a, cc_verify_opts *o, char **key_id, json_t **owned)
{
    cc_jose_err e = {0};
    if (a->key && !(o->key = cc_key_load_file(a->key, false, key_id, &e))) {
        fprintf(stderr, "%s: error: %s [%s]\n", a->key, e.msg, e.rule);
        return 2;
    }
    o->key_file = a->key, o->key_id = *key_id, o->jwks_file = a->jwks;
    if ((a->jwks && !(owned[0] = load_json(a->jwks, "JWK Set"))) ||
        (a->profile && !(owned[1] = load_json(a->profile, "issuer profile"))) ||
        (a->revocation && !(owned[2] = load_json(a->revocation, "revocation list"))))
        return 2;
    if (owned[0] && !json_is_array(json_object_get(owned[0], "keys"))) {
        fprintf(stderr, "%s: error: a JWK Set has a \"keys\" array [usage]\n", a->jwks);
        return 2;
    }
    o->jwks = owned[0], o->issuer_profile = owned[1], o->revocation_list = owned[2];
    return 0;
}

static int verify_all(const sig_args *a, const cc_verify_opts *o)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
    bool xmlsec_ready = false;
    static char *const stdin_only[] = {"-"};
    char *const *in = a->ninputs ? a->inputs : stdin_only;
    int n = a->ninputs ? a->ninputs : 1, worst = 0;
    for (int i = 0; i < n; i++) {
        int r = verify_one(in[i], o, &xmlsec_ready);
        worst = r > worst ? r : worst;
    }
    if (xmlsec_ready)
        cc_xmlsec_shutdown();
    xmlCleanupParser();
    return worst;
}

int cc_cmd_verify(int argc, char **argv)
{
    sig_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (a.key && a.jwks)
        return usage("%s--key and --jwks cannot be used together", "");
    if (a.alg || a.kid || a.embed_jwk)
        return usage("%s--alg, --kid and --embed-jwk go with sign", "");
    cc_verify_opts o = {.now = cc_epoch_now()};
    char *key_id = NULL;
    json_t *owned[3] = {NULL, NULL, NULL};
    rc = load_keys(&a, &o, &key_id, owned);
    if (!rc)
        rc = verify_all(&a, &o);
    EVP_PKEY_free(o.key);
    free(key_id);
    for (int i = 0; i < 3; i++)
        json_decref(owned[i]);
    return rc;
}
