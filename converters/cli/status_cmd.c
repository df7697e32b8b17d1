/* credconv status: publish the status list credentials and change a credential's status.
 *
 * The statuses live in the list credentials themselves (each replaced whole: written to a
 * new file, synced, renamed over the old one), the indexes in the state file (appended, under
 * its lock, which every update holds too).  So a command killed at any point leaves the old
 * list or the new one, never half of one, and never a list that disagrees with the state
 * about which index is whose (docs/decisions.md). */
#include "cc_bake.h"
#include "cc_fetch.h"
#include "cc_issue.h"
#include "cc_jsonread.h"
#include "cc_outfile.h"
#include "cc_pipeline.h"
#include "cc_status.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cc_status_usage[] =
    "\n"
    "Status lists (W3C Bitstring Status List; docs/signatures.md):\n"
    "  credconv status publish   --state FILE --purpose revocation|suspension --key KEY\n"
    "                            [--suite eddsa-rdfc-2022] [--kid URI] [--alg ALG] -o LIST\n"
    "  credconv status revoke    --state FILE --list LIST --key KEY [signing options] ID ...\n"
    "  credconv status suspend   --state FILE --list LIST --key KEY [signing options] ID ...\n"
    "  credconv status reinstate --state FILE --list LIST --key KEY [signing options] ID ...\n"
    "  credconv status show      --state FILE [--list LIST ...] [ID ...]\n"
    "  credconv status publish --ob2 --state FILE -o LIST\n"
    "  credconv status revoke  --ob2 --state FILE --list LIST ID ...\n"
    "\n"
    "The status lists of credentials issued with convert --status-list URL --status-state FILE\n"
    "(W3C Bitstring Status List: a BitstringStatusListCredential, GZIP + base64url bits).\n"
    "publish writes the list credential of one purpose, signed like any credential (a VC-JWT,\n"
    "or with --suite a Data Integrity proof); when LIST exists its statuses are kept (a\n"
    "re-signing).  revoke sets the credentials' bits in a revocation list (for good),\n"
    "suspend sets and reinstate clears them in a suspension list; each rewrites LIST whole\n"
    "and atomically, under the state file's lock.  Upload LIST to its URL afterwards.  show\n"
    "prints each credential's index and, with --list, its status.  With --ob2 the list is\n"
    "the OB 2.0 RevocationList of assertions issued with convert -t ob2 --status-list URL\n"
    "(the issuer Profile's revocationList): revokedAssertions, unsigned, rewritten atomically.\n"
    "      --state FILE      the state file issuing wrote (indexes by credential id)\n"
    "      --purpose P       publish: revocation or suspension\n"
    "      --url URL         publish: the list's URL, when the state has none for P\n"
    "      --issuer-id ID    publish: the issuer, when the state file is new\n"
    "      --list LIST       the list credential file (as publish wrote it)\n"
    "  -o, --output LIST     publish: where to write the list credential\n"
    "      --key KEY         the issuer's private key (PEM, JWK or Multikey)\n"
    "      --suite eddsa-rdfc-2022, --kid URI, --alg ALG, --map-url PREFIX=DIR\n"
    "                        as for credconv sign\n";

typedef struct sopts {
    bool ob2;                     /* --ob2: the OB 2.0 RevocationList, not a bitstring list */
    const char *verb, *state, *purpose, *url, *issuer_id, *out, *key, *suite, *kid, *alg;
    const char **lists;
    size_t nlists;
    cc_url_map *maps;
    size_t nmaps;
    char **ids;
    size_t nids;
} sopts;

__attribute__((format(printf, 1, 2))) static int usage(const char *fmt, ...)
{
    fputs("credconv: error: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" [usage]\nTry 'credconv status --help'.\n", stderr);
    return 2;
}

enum { O_STATE = 256, O_PURPOSE, O_URL, O_ISSUER_ID, O_LIST, O_KEY, O_SUITE, O_KID, O_ALG, O_MAP, O_OB2 };

static int parse(int argc, char **argv, sopts *s)
{
    static const struct option opts[] = {
        {.name = "state", .has_arg = required_argument, .val = O_STATE},
        {.name = "purpose", .has_arg = required_argument, .val = O_PURPOSE},
        {.name = "url", .has_arg = required_argument, .val = O_URL},
        {.name = "issuer-id", .has_arg = required_argument, .val = O_ISSUER_ID},
        {.name = "list", .has_arg = required_argument, .val = O_LIST},
        {.name = "output", .has_arg = required_argument, .val = 'o'},
        {.name = "key", .has_arg = required_argument, .val = O_KEY},
        {.name = "suite", .has_arg = required_argument, .val = O_SUITE},
        {.name = "kid", .has_arg = required_argument, .val = O_KID},
        {.name = "alg", .has_arg = required_argument, .val = O_ALG},
        {.name = "map-url", .has_arg = required_argument, .val = O_MAP},
        {.name = "ob2", .has_arg = no_argument, .val = O_OB2},
        {.name = "help", .has_arg = no_argument, .val = 'h'},
        {.name = NULL}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        char *eq;
        switch (c) {
        case O_STATE: s->state = optarg; break;
        case O_PURPOSE: s->purpose = optarg; break;
        case O_URL: s->url = optarg; break;
        case O_ISSUER_ID: s->issuer_id = optarg; break;
        case O_LIST: s->lists[s->nlists++] = optarg; break;
        case 'o': s->out = optarg; break;
        case O_KEY: s->key = optarg; break;
        case O_SUITE: s->suite = optarg; break;
        case O_KID: s->kid = optarg; break;
        case O_ALG: s->alg = optarg; break;
        case O_OB2: s->ob2 = true; break;
        case O_MAP:
            if (!(eq = strchr(optarg, '=')) || eq == optarg || !eq[1])
                return usage("--map-url needs PREFIX=DIR, got '%s'", optarg);
            *eq = '\0';
            s->maps[s->nmaps++] = (cc_url_map){.prefix = optarg, .dir = eq + 1};
            break;
        case 'h': fputs(cc_status_usage, stdout); return 0;
        default: fputs("Try 'credconv status --help'.\n", stderr); return 2;
        }
    }
    s->ids = argv + optind, s->nids = (size_t)(argc - optind);
    return -1;
}

static int check(const sopts *s)
{
    bool publish = !strcmp(s->verb, "publish"), show = !strcmp(s->verb, "show");
    bool update = !strcmp(s->verb, "revoke") || !strcmp(s->verb, "suspend") || !strcmp(s->verb, "reinstate");
    cc_status_purpose p;
    char buf[128];
    if (!publish && !show && !update)
        return usage("unknown status command '%s' (publish, revoke, suspend, reinstate, show)", s->verb);
    if (!s->state)
        return usage("status %s needs --state FILE", s->verb);
    if (s->ob2 && (!(publish || !strcmp(s->verb, "revoke")) || s->key || s->suite || s->kid || s->alg))
        return usage("--ob2 goes with status publish or revoke, and no signing options (an OB 2.0 "
                     "RevocationList is a hosted document, not signed)");
    if (s->ob2 && publish && s->purpose && strcmp(s->purpose, "revocation"))
        return usage("--ob2: OB 2.0 has revocation only");
    if (!show && !s->key && !s->ob2)
        return usage("status %s needs --key KEY (the issuer's private key: the list is signed)", s->verb);
    if (publish && (!s->out || (!s->purpose && !s->ob2) || (s->purpose && cc_status_purpose_parse(s->purpose, &p) != 0)))
        return usage("status publish needs --purpose revocation|suspension and -o LIST");
    if (publish && (s->nlists || s->nids))
        return usage("status publish takes no --list and no ID (it writes -o LIST)");
    if (update && (s->nlists != 1 || !s->nids || s->out || s->purpose))
        return usage("status %s needs one --list LIST and the ids of the credentials", s->verb);
    if (s->suite && strcmp(s->suite, "eddsa-rdfc-2022"))
        return usage("unknown --suite '%s' (eddsa-rdfc-2022)", s->suite);
    if (s->alg && (s->suite || !cc_alg_from_name(s->alg)))
        return usage("--alg '%s': RS256, ES256 or EdDSA, and not with --suite", s->alg);
    if ((s->url && cc_iri_problem(s->url, buf, sizeof buf)) || (s->kid && cc_iri_problem(s->kid, buf, sizeof buf)))
        return usage("--url and --kid need an absolute URI: %s", buf);
    if ((s->url || s->issuer_id) && !publish)
        return usage("--url and --issuer-id go with status publish");
    return -1;
}

/* ------------------------------------------------------------ lists */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *b = fp ? cc_slurp(fp, CC_JSON_MAX_SIZE_DEFAULT, len) : NULL;
    if (fp)
        fclose(fp);
    return (char *)b;
}

/* The bits of the list at path, which must be the state's list of purpose p: 1 with *bits,
 * 0 when the file does not exist (and absent_ok), -1 after an error. */
static int read_list(const char *path, const cc_status_state *st, cc_status_purpose p, bool absent_ok,
                     uint8_t **bits)
{
    size_t len = 0, nbytes = 0;
    char why[512];
    char *text = slurp(path, &len);
    if (!text) {
        if (absent_ok && errno == ENOENT)
            return 0;
        fprintf(stderr, "%s: error: cannot read: %s [io]\n", path, strerror(errno));
        return -1;
    }
    json_t *list = cc_status_list_parse(text, len, why, sizeof why);
    free(text);
    cc_status_purpose lp;
    const char *id = json_string_value(json_object_get(list, "id")), *iss = cc_status_issuer_of(list);
    const char *err = !list ? why : !id || !cc_status_url(st, p) || strcmp(id, cc_status_url(st, p))
                      ? "not the state's list of this purpose (its id differs)"
                      : !iss || strcmp(iss, cc_status_issuer(st)) ? "issued by another issuer than the state's"
                      : cc_status_list_bits(list, &lp, bits, &nbytes, why, sizeof why) ? why
                      : lp != p ? "a list of another purpose"
                      : (long long)nbytes * 8 != cc_status_size(st) ? "its size is not the state's" : NULL;
    json_decref(list);
    if (err) {
        fprintf(stderr, "%s: error: %s [status-list-invalid]\n", path, err);
        free(*bits);
        *bits = NULL;
        return -1;
    }
    return 1;
}

static void print_diag(void *ud, const cc_diag *d)
{
    (void)ud;
    if (d->severity != CC_NOTE)
        fprintf(stderr, "credconv: %s: %s [%s]\n", d->severity == CC_ERROR ? "error" : "warning", d->message,
                d->rule ? d->rule : "status");
}

/* The list credential signed: a VC-JWT line, or the credential with its proof. */
static char *sign_list(const json_t *list, const sopts *s, EVP_PKEY *key, const cc_fetch_opts *fetch)
{
    cc_jose_err e = {0};
    char *out;
    if (s->suite) {
        cc_di_sign_opts d = {.key = key, .verification_method = s->kid, .fetch = fetch};
        out = cc_di_sign_line(list, &d, &e);
    } else {
        cc_vcjwt_sign_opts v = {.key = key, .alg = s->alg ? cc_alg_from_name(s->alg) : CC_ALG_UNKNOWN,
                                .kid = s->kid, .embed_jwk = !s->kid};
        cc_diag_sink err = {.emit = print_diag};
        out = cc_vcjwt_sign(list, &v, "status list", &err, &e);
    }
    if (!out)
        fprintf(stderr, "credconv: error: cannot sign the status list: %s [%s]\n", e.msg, e.rule ? e.rule : "sign");
    return out;
}

/* Written whole, synced, then renamed over the old one, and the folder synced: a kill at any
 * point leaves the old list or the new one. */
static int write_list(const char *path, const char *text)
{
    cc_outfile f;
    if (cc_outfile_open(&f, path) != 0) {
        fprintf(stderr, "%s: error: cannot write: %s [io]\n", path, strerror(errno));
        return -1;
    }
    if (fprintf(f.fp, "%s\n", text) < 0 || fflush(f.fp) != 0 || (!f.in_place && !f.is_stdout && fsync(f.fd) != 0)) {
        fprintf(stderr, "%s: error: cannot write: %s [io]\n", path, strerror(errno));
        cc_outfile_abort(&f);
        return -1;
    }
    if (cc_outfile_commit(&f) != 0) {
        fprintf(stderr, "%s: error: cannot write: %s [io]\n", path, strerror(errno));
        return -1;
    }
    char *copy = strdup(path);
    int dfd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (dfd >= 0) {
        if (fsync(dfd) != 0) {
            /* the rename is done; a folder that cannot be synced loses nothing now */
        }
        close(dfd);
    }
    free(copy);
    return 0;
}

/* Signs and writes the list of purpose p with these bits. */
static int publish_bits(const sopts *s, const cc_status_state *st, cc_status_purpose p, const uint8_t *bits,
                        const char *path, EVP_PKEY *key, const cc_fetch_opts *fetch)
{
    char now[21];
    cc_now(now);
    json_t *list = cc_status_list_new(cc_status_url(st, p), cc_status_issuer(st), p, bits,
                                      (size_t)(cc_status_size(st) / 8), now);
    char *text = list ? sign_list(list, s, key, fetch) : NULL;
    json_decref(list);
    int rc = text ? write_list(path, text) : -1;
    free(text);
    return rc;
}

/* ------------------------------------------------------------ the commands */

typedef struct env {
    sopts *s;
    cc_status_state *st;
    EVP_PKEY *key;
    cc_fetch_opts fetch;
} env;

/* The absolute name of a list file about to be made: its folder's real path and its name. */
static void absolute_name(const char *path, char *file, size_t cap)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *real = realpath(dirname(dir), NULL);
    const char *slash = strrchr(path, '/');
    snprintf(file, cap, "%s/%s", real ? real : ".", slash ? slash + 1 : path);
    free(real);
}

/* publish: a new list (all zeros), or the existing one re-signed with its statuses. */
static int cmd_publish(env *e)
{
    cc_status_purpose p;
    cc_status_purpose_parse(e->s->purpose, &p);
    char why[1024];
    if (!cc_status_url(e->st, p)) {
        fprintf(stderr, "%s: error: no %s list URL recorded: give --url URL [status-state]\n", e->s->state,
                e->s->purpose);
        return 2;
    }
    if (cc_status_lock(e->st, why, sizeof why) != 0) {
        fprintf(stderr, "credconv: error: %s [status-state]\n", why);
        return 2;
    }
    uint8_t *bits = NULL;
    int have = read_list(e->s->out, e->st, p, true, &bits);
    const char *was = cc_status_published(e->st, p);
    char file[4200];
    absolute_name(e->s->out, file, sizeof file);
    if (have == 0 && was && strcmp(was, file)) {
        fprintf(stderr, "%s: error: the %s list was published to %s: a new list here would be all active, losing "
                "its statuses; re-sign it there (-o %s), or copy that file here first [status-published]\n",
                e->s->out, e->s->purpose, was, was);
        have = -1;
    } else if (have == 0 && (cc_status_set_published(e->st, p, file, why, sizeof why) != 0 ||
                             !(bits = calloc((size_t)(cc_status_size(e->st) / 8), 1)))) {
        fprintf(stderr, "credconv: error: %s [status-state]\n", why);
        have = -1;
    }
    int rc = have < 0 ? 1 : publish_bits(e->s, e->st, p, bits, e->s->out, e->key, &e->fetch) ? 2 : 0;
    cc_status_unlock(e->st);
    if (rc == 0)
        fprintf(stderr, "%s: %s list %s of %lld entries (%zu credentials issued), %s\n", e->s->out, e->s->purpose,
                cc_status_url(e->st, p), cc_status_size(e->st), cc_status_count(e->st),
                have == 1 ? "re-signed with its statuses" : "new, every credential active");
    free(bits);
    return rc;
}

/* A list file that is JSON with a proof (not a VC-JWT). */
static bool signed_with_proof(const char *path)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    bool json = text && text[strspn(text, " \t\r\n")] == '{';
    free(text);
    return json;
}

/* revoke, suspend, reinstate: the list named by --list, every id set or cleared, then the
 * list replaced once. */
static int cmd_update(env *e)
{
    const sopts *s = e->s;
    bool set = strcmp(s->verb, "reinstate") != 0;
    cc_status_purpose p = !strcmp(s->verb, "revoke") ? CC_STATUS_REVOCATION : CC_STATUS_SUSPENSION;
    char why[1024];
    if (cc_status_lock(e->st, why, sizeof why) != 0) {
        fprintf(stderr, "credconv: error: %s [status-state]\n", why);
        return 2;
    }
    uint8_t *bits = NULL;
    int rc = read_list(s->lists[0], e->st, p, false, &bits) == 1 ? 0 : 1;
    if (rc == 0 && !s->suite && signed_with_proof(s->lists[0])) {
        fprintf(stderr, "%s: error: this list is signed with a Data Integrity proof: give --suite eddsa-rdfc-2022 "
                "and its --kid again (or it would become a VC-JWT) [usage]\n", s->lists[0]);
        rc = 2;
    }
    for (size_t i = 0; rc == 0 && i < s->nids; i++) {
        long long ix = cc_status_lookup(e->st, s->ids[i]);
        if (ix < 0) {
            fprintf(stderr, "%s: error: no credential '%s' in the state file [status-unknown-id]\n", s->state, s->ids[i]);
            rc = 1;
        } else {
            cc_status_set_bit(bits, ix, set);
        }
    }
    if (rc == 0 && publish_bits(s, e->st, p, bits, s->lists[0], e->key, &e->fetch) != 0)
        rc = 2;
    cc_status_unlock(e->st);
    for (size_t i = 0; rc == 0 && i < s->nids; i++)
        printf("%s: %s\n", s->ids[i], !set ? "active" : p == CC_STATUS_REVOCATION ? "revoked" : "suspended");
    free(bits);
    return rc;
}

/* ------------------------------------------------------------ OB 2.0 RevocationList */

/* The OB 2.0 RevocationList at path, which must be the state's revocation list (its id the
 * state's revocation URL, its issuer the state's issuer): the document, NULL after an error
 * (said), *absent when the file does not exist. */
static json_t *ob2_read(const char *path, const cc_status_state *st, bool *absent)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    *absent = !text && errno == ENOENT;
    if (!text) {
        if (!*absent)
            fprintf(stderr, "%s: error: cannot read: %s [io]\n", path, strerror(errno));
        return NULL;
    }
    json_t *l = cc_json_loadb(text, len, 0, NULL);
    free(text);
    const char *type = json_string_value(json_object_get(l, "type"));
    const char *id = json_string_value(json_object_get(l, "id"));
    const char *iss = json_string_value(json_object_get(l, "issuer"));
    const char *url = cc_status_url(st, CC_STATUS_REVOCATION);
    const char *err = !json_is_object(l) ? "not a JSON object"
                      : !type || strcmp(type, "RevocationList") ? "not an OB 2.0 RevocationList (type)"
                      : !json_is_array(json_object_get(l, "revokedAssertions")) ? "no revokedAssertions array"
                      : !id || !url || strcmp(id, url) ? "not the state's revocation list (its id differs)"
                      : !iss || strcmp(iss, cc_status_issuer(st)) ? "issued by another issuer than the state's" : NULL;
    if (err) {
        fprintf(stderr, "%s: error: %s [status-list-invalid]\n", path, err);
        json_decref(l);
        return NULL;
    }
    return l;
}

static int ob2_write(const char *path, const json_t *list)
{
    char *text = json_dumps(list, JSON_COMPACT);
    int rc = text ? write_list(path, text) : -1;
    free(text);
    return rc;
}

/* publish --ob2: a new, empty RevocationList; an existing one is left as it is. */
static int ob2_publish(env *e)
{
    const char *url = cc_status_url(e->st, CC_STATUS_REVOCATION), *out = e->s->out;
    char why[1024], file[4200];
    if (!url) {
        fprintf(stderr, "%s: error: no revocation list URL recorded: give --url URL [status-state]\n", e->s->state);
        return 2;
    }
    if (cc_status_lock(e->st, why, sizeof why) != 0) {
        fprintf(stderr, "credconv: error: %s [status-state]\n", why);
        return 2;
    }
    bool absent;
    json_t *l = ob2_read(out, e->st, &absent);
    const char *was = cc_status_published(e->st, CC_STATUS_REVOCATION);
    absolute_name(out, file, sizeof file);
    int rc = l ? 0 : !absent ? 1 : -1;
    if (rc < 0 && was && strcmp(was, file)) {
        fprintf(stderr, "%s: error: the revocation list was published to %s: a new list here would make every "
                "revoked assertion valid [status-published]\n", out, was);
        rc = 1;
    } else if (rc < 0 && cc_status_set_published(e->st, CC_STATUS_REVOCATION, file, why, sizeof why) != 0) {
        fprintf(stderr, "credconv: error: %s [status-state]\n", why);
        rc = 2;
    } else if (rc < 0) {
        l = json_pack("{s:s,s:s,s:s,s:s,s:[]}", "@context", "https://w3id.org/openbadges/v2", "id", url,
                      "type", "RevocationList", "issuer", cc_status_issuer(e->st), "revokedAssertions");
        rc = l && ob2_write(out, l) == 0 ? 0 : 2;
    }
    cc_status_unlock(e->st);
    if (rc == 0)
        fprintf(stderr, "%s: OB 2.0 RevocationList %s (%zu assertions issued), %zu revoked\n", out, url,
                cc_status_count(e->st), json_array_size(json_object_get(l, "revokedAssertions")));
    json_decref(l);
    return rc;
}

/* revoke --ob2: each id (issued with this state) added to revokedAssertions once, the list
 * replaced atomically under the state's lock, as the bitstring lists are. */
static int ob2_revoke(env *e)
{
    const sopts *s = e->s;
    char why[1024];
    if (cc_status_lock(e->st, why, sizeof why) != 0) {
        fprintf(stderr, "credconv: error: %s [status-state]\n", why);
        return 2;
    }
    bool absent;
    json_t *l = ob2_read(s->lists[0], e->st, &absent);
    if (absent)
        fprintf(stderr, "%s: error: no such list: status publish --ob2 writes it [io]\n", s->lists[0]);
    json_t *arr = json_object_get(l, "revokedAssertions");
    int rc = l ? 0 : 1;
    for (size_t i = 0; rc == 0 && i < s->nids; i++) {
        if (cc_status_lookup(e->st, s->ids[i]) < 0) {
            fprintf(stderr, "%s: error: no credential '%s' in the state file [status-unknown-id]\n", s->state, s->ids[i]);
            rc = 1;
            break;
        }
        bool listed = false;
        size_t k;
        json_t *x;
        json_array_foreach(arr, k, x) {
            const char *rid = json_is_string(x) ? json_string_value(x) : json_string_value(json_object_get(x, "id"));
            listed |= rid && !strcmp(rid, s->ids[i]);
        }
        if (!listed)
            json_array_append_new(arr, json_pack("{s:s}", "id", s->ids[i]));
    }
    if (rc == 0 && ob2_write(s->lists[0], l) != 0)
        rc = 2;
    cc_status_unlock(e->st);
    for (size_t i = 0; rc == 0 && i < s->nids; i++)
        printf("%s: revoked\n", s->ids[i]);
    json_decref(l);
    return rc;
}

/* show: each credential's index, and its status in each --list. */
static int cmd_show(env *e)
{
    const sopts *s = e->s;
    uint8_t *bits[8] = {0};
    cc_status_purpose purpose[8];
    int rc = 0;
    if (s->nlists > 8)
        return usage("at most 8 --list");
    for (size_t l = 0; l < s->nlists && rc == 0; l++) {
        size_t len = 0, nbytes = 0;
        char why[512], *text = slurp(s->lists[l], &len);
        json_t *list = text ? cc_status_list_parse(text, len, why, sizeof why) : NULL;
        if (!list || cc_status_list_bits(list, &purpose[l], &bits[l], &nbytes, why, sizeof why) != 0 ||
            (long long)nbytes * 8 != cc_status_size(e->st)) {
            fprintf(stderr, "%s: error: %s [status-list-invalid]\n", s->lists[l], text ? why : strerror(errno));
            rc = 1;
        }
        json_decref(list);
        free(text);
    }
    long long ix;
    for (size_t n = 0; rc == 0 && n < (s->nids ? s->nids : cc_status_count(e->st)); n++) {
        const char *id = s->nids ? s->ids[n] : cc_status_entry(e->st, n, &ix);
        if (s->nids && (ix = cc_status_lookup(e->st, id)) < 0) {
            fprintf(stderr, "%s: error: no credential '%s' in the state file [status-unknown-id]\n", s->state, id);
            rc = 1;
            continue;
        }
        printf("%s %lld", id, ix);
        for (size_t l = 0; l < s->nlists; l++)
            printf(" %s=%d", cc_status_purpose_name(purpose[l]), cc_status_bit(bits[l], ix));
        putchar('\n');
    }
    for (size_t l = 0; l < s->nlists; l++)
        free(bits[l]);
    return rc;
}

static int run(sopts *s)
{
    char why[1024];
    env e = {.s = s, .fetch = CC_FETCH_DEFAULTS};
    e.fetch.maps = s->maps, e.fetch.nmaps = s->nmaps;
    cc_status_purpose p;
    cc_status_init init = {.issuer = s->issuer_id};
    bool creating = !strcmp(s->verb, "publish") && (s->url || s->issuer_id);
    if (creating && s->url && cc_status_purpose_parse(s->ob2 ? "revocation" : s->purpose, &p) == 0)
        init.url[p] = s->url;
    if (!(e.st = cc_status_state_open(s->state, creating ? &init : NULL, why, sizeof why))) {
        fprintf(stderr, "credconv: error: %s [status-state]\n", why);
        return 2;
    }
    int rc = 2;
    if (strcmp(s->verb, "show") && !s->ob2 && !(e.key = cc_sign_key_load(s->key)))
        goto done;
    if (!(e.fetch.cache = cc_fetch_cache_new()))
        goto done;
    if (s->ob2)
        rc = !strcmp(s->verb, "publish") ? ob2_publish(&e) : ob2_revoke(&e);
    else
        rc = !strcmp(s->verb, "publish") ? cmd_publish(&e) : !strcmp(s->verb, "show") ? cmd_show(&e) : cmd_update(&e);
done:
    cc_fetch_cache_free(e.fetch.cache);
    EVP_PKEY_free(e.key);
    cc_status_state_close(e.st);
    return rc;
}

int cc_status_command(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(cc_status_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    sopts s = {.verb = argv[1]};
    s.lists = calloc((size_t)argc, sizeof *s.lists);
    s.maps = calloc((size_t)argc, sizeof *s.maps);
    int rc = s.lists && s.maps ? parse(argc - 1, argv + 1, &s) : 2;
    if (rc < 0)
        rc = check(&s);
    if (rc < 0) {
        json_set_alloc_funcs(cc_json_malloc, free);  /* as main does, before anything is parsed */
        rc = run(&s);
    }
    free(s.lists), free(s.maps);
    return rc;
}
