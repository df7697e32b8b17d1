/* credconv: the command line.  It knows the pipeline and the registry, no format. */
#include "cc_contexts.h"
#include "cc_outfile.h"
#include "cc_jsonread.h"
#include "cc_issue.h"
#include "cc_pipeline.h"
#include "cc_rdf.h"
#include "cc_writecheck.h"
#include "cc_workers.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <curl/curl.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "Usage:\n"
    "  credconv convert  [-f FROM] -t TO [-o FILE | -O DIR] [options] [INPUT ...]\n"
    "  credconv validate [-f FORMAT] [--schema FILE] [options] [INPUT ...]\n"
    "  credconv inspect  [-f FORMAT] [options] [INPUT ...]\n"
    "  credconv verify   [--recipient EMAIL] [--fetch] [options] [INPUT ...]\n"
    "  credconv bake     --image BADGE.png|svg [-o OUT] INPUT\n"
    "  credconv unbake   [-o OUT] IMAGE\n"
    "  credconv formats\n"
    "  credconv contexts [--fetch [--mirror URL]]\n"
    "  credconv status   publish|revoke|suspend|reinstate|show [options]  (status --help)\n"
    "  credconv progress --catalogue EXPORT [--catalogue ...] [--json] [--verify\n"
    "                    [verify options]] [--require-complete] [--issue --issuer FILE\n"
    "                    [-t FORMAT] [-o FILE | -O DIR] [--sign KEY ...]] CREDENTIAL ...\n"
    "  credconv --help | --version\n"
    "\n"
    "Converts learning-credential records between the RNCP/RS export, Europass and Open\n"
    "Badges through one common model.  With no INPUT, or '-', reads standard input.\n"
    "contexts lists the well-known JSON-LD contexts credconv pins (SHA-256) and which are in\n"
    "the per-user cache ($XDG_CACHE_HOME/credconv/contexts, else ~/.cache/...); with --fetch\n"
    "it downloads the missing ones from their canonical URLs (or --mirror URL + host/path),\n"
    "refusing any whose JSON differs from the pin.  verify and sign then read them offline.\n"
    "progress says, per learner (recipient email, plain or hashed) and certification of the\n"
    "catalogue their credentials touch, which blocks are held (by which credential), which\n"
    "are satisfied through an RNCP CORRESPONDANCE, which are missing, and whether the\n"
    "certification is complete: NDJSON, or a table when standard output is a terminal.\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT     input format (default: detected from the first bytes)\n"
    "  -t, --to FORMAT       output format (convert)\n"
    "  -o, --output FILE     write to FILE, atomically ('-': standard output, the default;\n"
    "                        a link is followed; a FIFO or device is written in place)\n"
    "  -O, --output-dir DIR  write one file per record into DIR, named from the record id\n"
    "      --select CODE     convert, inspect: keep only this fiche (RNCP35340, RS5719),\n"
    "                        block (RNCP35340BC01, a record of its own) or the credentials\n"
    "                        awarding it; any case; repeatable (a fiche and one of its\n"
    "                        blocks: both); a code that matches nothing is an error\n"
    "      --active-only     convert, inspect: keep only fiches whose registration is in\n"
    "                        force (ACTIF = Oui)\n"
    "      --shard K/N       convert, inspect: only share K of N (1 <= K <= N) of the\n"
    "                        records, chosen by record id, the same on every machine: N\n"
    "                        runs with K = 1..N together give the whole output once\n"
    "  -j, --jobs N          convert, sign: N threads write and sign records side by side\n"
    "                        (default 1; 0: one per core); the output, its order, the\n"
    "                        diagnostics and --report are the same as with 1\n"
    "      --strict          stop at the first invalid or rejected record\n"
    "      --allow-invalid   convert: write a record whose output fails the target\n"
    "                        format's validation, with a warning (default: rejected)\n"
    "      --issuer FILE     the issuing organisation, JSON: id, name, url, email, siret,\n"
    "                        country (ISO 3166 alpha-2, default FR)\n"
    "      --recipients FILE award credentials: a CSV with columns email, given_name,\n"
    "                        family_name, achievement (a fiche or block code), optional\n"
    "                        id and issued; one credential per row.  Separated by ',',\n"
    "                        ';' or tabs (found on the header line); header names in any\n"
    "                        case; a byte-order mark and CRLF are accepted\n"
    "      --csv-encoding utf-8|cp1252|latin1\n"
    "                        the recipients file's encoding (default: UTF-8 when it is,\n"
    "                        else Windows-1252, what Excel's CSV is in France)\n"
    "      --hash-recipients write each email as a salted sha256 identity hash\n"
    "      --status-list URL convert -t ob3|clr|edc3-vc2 --recipients: give each credential a\n"
    "                        credentialStatus (BitstringStatusListEntry) in the list\n"
    "                        credential published at URL (credconv status publish);\n"
    "                        -t ob2: the issuer's revocationList URL (status ... --ob2)\n"
    "      --status-state FILE\n"
    "                        with --status-list: the file that keeps each credential's\n"
    "                        index (random, never handed out twice; shared by reruns and\n"
    "                        parallel runs, locked)\n"
    "      --status-purpose revocation|suspension\n"
    "                        with --status-list: what the list says (default revocation)\n"
    "      --id-base URL     credential ids URL/<uuid> (default: urn:uuid:<uuid>); the\n"
    "                        uuid is made from issuer, achievement, email and date\n"
    "      --schema FILE     validate against FILE instead of the bundled schema\n"
    "      --member NAME     a zip input: read the member NAME (default: the first .xml\n"
    "                        member); .zip and .gz inputs are read as what they hold\n"
    "      --badge-image URL|FILE\n"
    "                        image for achievements that have none (a PNG or SVG file\n"
    "                        becomes a data: URI); OB 2.0 BadgeClasses need one\n"
    "      --case-version 1.1|1.0\n"
    "                        convert -t case: the CASE version written (default 1.1;\n"
    "                        1.0 leaves out what 1.1 added)\n"
    "      --recipient EMAIL verify: say whether each badge was issued to EMAIL (plain or\n"
    "                        hashed identity); exit 1 when not\n"
    "      --fetch           fetch linked documents (BadgeClass, issuer, image, revocation\n"
    "                        list) and, for verify, the hosted assertion and signing keys\n"
    "                        (kid URLs, OB 2.0 creator keys and their owner), over http(s)\n"
    "      --map-url PREFIX=DIR\n"
    "                        read URLs starting with PREFIX from files in DIR instead of\n"
    "                        the network (repeatable, the longest PREFIX wins; works\n"
    "                        without --fetch); a whole URL may name one file: URL=FILE\n"
    "      --max-redirects N redirects followed per fetch (default 5)\n"
    "      --connect-timeout S\n"
    "                        seconds to connect (default 10)\n"
    "      --fetch-timeout S seconds for a whole fetch, redirects included (default 30)\n"
    "      --max-fetch-size BYTES\n"
    "                        largest response accepted (default 4194304)\n"
    "      --fetch-deadline S\n"
    "                        seconds of fetching per input, all fetches together; later\n"
    "                        fetches of that input fail (default 60)\n"
    "      --fetch-allow-private[=ADDRESS]\n"
    "                        let fetches connect to loopback, private, link-local and other\n"
    "                        local addresses (refused by default, at every redirect); with\n"
    "                        =ADDRESS, to that address only (repeatable)\n"
    "      --max-json-size BYTES\n"
    "                        largest JSON document of an input (an NDJSON line, a\n"
    "                        document) read (default 16777216); one whose values would\n"
    "                        take more than 8 times that in memory is refused too\n"
    "      --image FILE      bake: the PNG or SVG image to bake INPUT (an Open Badges\n"
    "                        2.0 assertion or 3.0 credential, JSON or JWS) into\n"
    "      --bake FILE       convert -O DIR: also bake each written badge into a copy of\n"
    "                        this PNG or SVG image, DIR/<name>.png|svg\n"
    "      --report FILE     write a JSON report (atomically): counts and every diagnostic;\n"
    "                        verify: also one entry per input or line verified (status,\n"
    "                        reason, key binding, what was and was not checked);\n"
    "                        progress: written = credentials counted, rejected = not\n"
    "                        counted, filtered = matching nothing in the catalogue\n"
    "      --progress, --no-progress\n"
    "                        force the progress bar on or off (default: on when stderr is a\n"
    "                        terminal and the input is larger than 8 MB)\n"
    "      --catalogue FILE  progress: the fiches and their blocks (RNCP export, model\n"
    "                        NDJSON, any format whose records are achievements with parts);\n"
    "                        repeatable\n"
    "      --json            progress: NDJSON even when standard output is a terminal\n"
    "      --verify          progress: verify each credential as verify does (its key\n"
    "                        options apply) and count only the valid ones; the others are\n"
    "                        listed as not counted, with why, and the exit status is 1\n"
    "      --require-complete\n"
    "                        progress: exit 1 (an error naming each) when a learner has\n"
    "                        no complete certification; without it, incomplete is exit 0\n"
    "      --issue           progress: issue each complete certification as convert\n"
    "                        --issuer does (-t ob3, the default; clr: one CLR per learner\n"
    "                        holding the certification and its blocks; edc, edc3...),\n"
    "                        signed with --sign KEY; written to -o FILE, -O DIR or, when\n"
    "                        neither is given, standard output, which then holds the\n"
    "                        credentials only (no progress line).  Needs --issuer FILE;\n"
    "                        a learner with no plain email is reported, not issued\n"
    "  -q, --quiet           print errors only\n"
    "  -v, --verbose         print notes too (e.g. what a conversion loses)\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version\n"
    "\n"
    "Exit status: 0 all records good, 1 some record invalid or rejected (or the input is\n"
    "not well formed), 2 usage or I/O error.\n"
    "Formats: see 'credconv formats'.\n";

/* libxml2 reports through our own handlers; its default prints to stderr a second time. */
static void quiet_libxml(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    fputs("credconv: error: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" [usage]\nTry 'credconv --help'.\n", stderr);
    return 2;
}

/* The signatures a format's records take, as `credconv formats` lists them. */
static const char *sig_names(unsigned sigs, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s%s%s%s", sigs & CC_SIG_VCJWT ? "vc-jwt," : "", sigs & CC_SIG_DI ? "di," : "",
             sigs & CC_SIG_OB2_JWS ? "jws," : "", sigs & CC_SIG_JADES ? "jades," : "");
    size_t n = strlen(buf);
    if (n)
        buf[n - 1] = '\0';
    return n ? buf : "-";
}

static int print_formats(void)
{
    char sigs[32];
    printf("%-8s %-5s %-5s %-8s %-15s %s\n", "NAME", "READ", "WRITE", "VALIDATE", "SIGN", "DESCRIPTION");
    for (const cc_format *const *f = cc_formats(); *f; f++)
        printf("%-8s %-5s %-5s %-8s %-15s %s\n", (*f)->name, (*f)->caps & CC_CAP_READ ? "yes" : "-",
               (*f)->caps & CC_CAP_WRITE ? "yes" : "-", (*f)->caps & CC_CAP_VALIDATE ? "yes" : "-",
               sig_names((*f)->sigs, sigs, sizeof sigs), (*f)->description);
    return 0;
}

/* --jobs N: a whole number 0..1024 (0: the cores online). */
static int parse_jobs(const char *s, cc_options *o)
{
    char *end;
    errno = 0;
    long n = strtol(s, &end, 10);
    if (errno || end == s || *end || !isdigit((unsigned char)*s) || n > 1024)
        return usage_error("--jobs takes a whole number from 0 (one per core) to 1024, not '%s'", s);
    o->jobs = (long)cc_jobs_resolve(n);
    return 0;
}

/* --shard K/N: two integers, 1 <= K <= N <= 2^32. */
static int parse_shard(const char *s, cc_options *o)
{
    char *end;
    errno = 0;
    unsigned long long k = strtoull(s, &end, 10), n = 0;
    if (end != s && *end == '/' && isdigit((unsigned char)end[1]))
        n = strtoull(end + 1, &end, 10);
    if (errno || *end || !isdigit((unsigned char)*s) || k < 1 || n < k || n > 1ULL << 32)
        return usage_error("--shard takes K/N with 1 <= K <= N (3/8, say), not '%s'", s);
    o->shard_k = (unsigned long)k, o->shard_n = (unsigned long)n;
    return 0;
}

enum { OPT_SELECT = 256, OPT_ACTIVE, OPT_STRICT, OPT_SCHEMA, OPT_REPORT, OPT_PROGRESS,
       OPT_NO_PROGRESS, OPT_ISSUER, OPT_RECIPIENTS, OPT_HASH, OPT_ID_BASE, OPT_IMAGE, OPT_BAKE,
       OPT_BADGE_IMAGE, OPT_RECIPIENT, OPT_FETCH, OPT_MAP_URL, OPT_MAX_REDIRECTS,
       OPT_CONNECT_TIMEOUT, OPT_FETCH_TIMEOUT, OPT_MAX_FETCH_SIZE, OPT_KEY, OPT_ALG, OPT_KID,
       OPT_EMBED_JWK, OPT_JWKS, OPT_ISSUER_PROFILE, OPT_REVOCATION_LIST, OPT_SIGN, OPT_SUITE,
       OPT_ACCEPT_UNBOUND, OPT_FETCH_ALLOW_PRIVATE, OPT_FETCH_DEADLINE, OPT_MEMBER, OPT_MIRROR,
       OPT_MAX_JSON_SIZE, OPT_ALLOW_INVALID, OPT_CSV_ENCODING, OPT_SHARD, OPT_CERT, OPT_CHAIN, OPT_CA,
       OPT_STATUS_LIST, OPT_STATUS_STATE, OPT_STATUS_PURPOSE, OPT_STATUS_LIST_FILE, OPT_CASE_VERSION,
       OPT_CATALOGUE, OPT_JSON, OPT_VERIFY, OPT_ISSUE, OPT_REQUIRE_COMPLETE };

static const struct option long_opts[] = {
    {"from", required_argument, NULL, 'f'},     {"to", required_argument, NULL, 't'},
    {"output", required_argument, NULL, 'o'},   {"output-dir", required_argument, NULL, 'O'},
    {"select", required_argument, NULL, OPT_SELECT},
    {"shard", required_argument, NULL, OPT_SHARD},
    {"jobs", required_argument, NULL, 'j'},
    {"active-only", no_argument, NULL, OPT_ACTIVE}, {"strict", no_argument, NULL, OPT_STRICT},
    {"allow-invalid", no_argument, NULL, OPT_ALLOW_INVALID},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"member", required_argument, NULL, OPT_MEMBER},
    {"mirror", required_argument, NULL, OPT_MIRROR},
    {"report", required_argument, NULL, OPT_REPORT},
    {"issuer", required_argument, NULL, OPT_ISSUER},
    {"recipients", required_argument, NULL, OPT_RECIPIENTS},
    {"csv-encoding", required_argument, NULL, OPT_CSV_ENCODING},
    {"hash-recipients", no_argument, NULL, OPT_HASH},
    {"id-base", required_argument, NULL, OPT_ID_BASE},
    {"image", required_argument, NULL, OPT_IMAGE}, {"bake", required_argument, NULL, OPT_BAKE},
    {"badge-image", required_argument, NULL, OPT_BADGE_IMAGE},
    {"case-version", required_argument, NULL, OPT_CASE_VERSION},
    {"recipient", required_argument, NULL, OPT_RECIPIENT}, {"fetch", no_argument, NULL, OPT_FETCH},
    {"map-url", required_argument, NULL, OPT_MAP_URL},
    {"max-redirects", required_argument, NULL, OPT_MAX_REDIRECTS},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"fetch-timeout", required_argument, NULL, OPT_FETCH_TIMEOUT},
    {"max-fetch-size", required_argument, NULL, OPT_MAX_FETCH_SIZE},
    {"fetch-allow-private", optional_argument, NULL, OPT_FETCH_ALLOW_PRIVATE},
    {"fetch-deadline", required_argument, NULL, OPT_FETCH_DEADLINE},
    {"key", required_argument, NULL, OPT_KEY},  {"alg", required_argument, NULL, OPT_ALG},
    {"kid", required_argument, NULL, OPT_KID},  {"embed-jwk", no_argument, NULL, OPT_EMBED_JWK},
    {"jwks", required_argument, NULL, OPT_JWKS}, {"sign", required_argument, NULL, OPT_SIGN},
    {"suite", required_argument, NULL, OPT_SUITE},
    {"accept-unbound-key", no_argument, NULL, OPT_ACCEPT_UNBOUND},
    {"cert", required_argument, NULL, OPT_CERT}, {"chain", required_argument, NULL, OPT_CHAIN},
    {"ca", required_argument, NULL, OPT_CA},
    {"max-json-size", required_argument, NULL, OPT_MAX_JSON_SIZE},
    {"issuer-profile", required_argument, NULL, OPT_ISSUER_PROFILE},
    {"revocation-list", required_argument, NULL, OPT_REVOCATION_LIST},
    {"status-list", required_argument, NULL, OPT_STATUS_LIST},
    {"status-state", required_argument, NULL, OPT_STATUS_STATE},
    {"status-purpose", required_argument, NULL, OPT_STATUS_PURPOSE},
    {"status-list-file", required_argument, NULL, OPT_STATUS_LIST_FILE},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"catalogue", required_argument, NULL, OPT_CATALOGUE}, {"json", no_argument, NULL, OPT_JSON},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"issue", no_argument, NULL, OPT_ISSUE}, {"require-complete", no_argument, NULL, OPT_REQUIRE_COMPLETE},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},          {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0},
};

static int parse_format(const char *name, const cc_format **out)
{
    *out = cc_format_find(name);
    return *out ? 0 : usage_error("unknown format '%s' (see 'credconv formats')", name);
}

/* A whole number in [lo, hi] for a limit option, or -1 (reported). */
static long long parse_limit(const char *opt, const char *arg, long long lo, long long hi)
{
    char *end;
    long long v = strtoll(arg, &end, 10);
    if (*arg && !*end && v >= lo && v <= hi)
        return v;
    fprintf(stderr, "credconv: error: %s needs a whole number from %lld to %lld [usage]\n", opt, lo, hi);
    return -1;
}

/* --map-url PREFIX=DIR, into o->fetch.maps (room for argc entries was made by main). */
static int add_map(cc_options *o, char *arg)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return usage_error("--map-url needs PREFIX=DIR, got '%s'", arg);
    *eq = '\0';
    cc_url_map *m = (cc_url_map *)o->fetch.maps;
    m[o->fetch.nmaps++] = (cc_url_map){arg, eq + 1};
    return 0;
}

/* --fetch-allow-private: every address; =ADDRESS: that one (repeatable), into
 * o->fetch.allowed (room for argc entries was made by main).  -1 to go on, 2 on a bad value. */
static int allow_private(cc_options *o, const char *arg)
{
    o->fetch.allow_private = true;
    if (!arg)
        return -1;
    cc_fetch_addr *a = (cc_fetch_addr *)o->fetch.allowed;
    if (cc_fetch_parse_addr(arg, &a[o->fetch.nallowed]) != 0)
        return usage_error("--fetch-allow-private=ADDRESS needs an IPv4 or IPv6 address, got '%s'",
                           arg);
    o->fetch.nallowed++;
    return -1;
}

/* The fetching options; -1 to go on, 2 on a bad value. */
static int fetch_option(cc_options *o, int c, char *arg)
{
    long long v = 0;
    switch (c) {
    case OPT_FETCH: o->fetch.network = true; return -1;
    case OPT_MAP_URL: return add_map(o, arg) ? 2 : -1;
    case OPT_MAX_REDIRECTS: v = o->fetch.max_redirects = parse_limit("--max-redirects", arg, 0, 50); break;
    case OPT_CONNECT_TIMEOUT: v = o->fetch.connect_timeout = parse_limit("--connect-timeout", arg, 1, 3600); break;
    case OPT_FETCH_TIMEOUT: v = o->fetch.timeout = parse_limit("--fetch-timeout", arg, 1, 3600); break;
    case OPT_MAX_FETCH_SIZE: v = o->fetch.max_bytes = parse_limit("--max-fetch-size", arg, 1, 1LL << 30); break;
    case OPT_FETCH_ALLOW_PRIVATE: return allow_private(o, arg);
    case OPT_FETCH_DEADLINE: v = o->fetch.deadline = parse_limit("--fetch-deadline", arg, 1, 86400); break;
    }
    return v < 0 ? 2 : -1;
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, cc_options *o)
{
    int c;
    while ((c = getopt_long(argc, argv, "f:t:o:O:j:qvhV", long_opts, NULL)) != -1) {
        switch (c) {
        case 'f': if (parse_format(optarg, &o->from)) return 2; break;
        case 't': if (parse_format(optarg, &o->to)) return 2; break;
        case 'o': o->out_file = optarg; break;
        case 'O': o->out_dir = optarg; break;
        case OPT_SELECT: o->selects[o->nselects++] = optarg; break;
        case OPT_SHARD:
            if (parse_shard(optarg, o) != 0)
                return 2;
            break;
        case 'j':
            if (parse_jobs(optarg, o) != 0)
                return 2;
            break;
        case OPT_ACTIVE: o->active_only = true; break;
        case OPT_STRICT: o->strict = true; break;
        case OPT_ALLOW_INVALID: if (o->cmd != CMD_CONVERT) return usage_error("%s--allow-invalid goes with convert", ""); o->allow_invalid = true; break;
        case OPT_SCHEMA: o->schema = optarg; break;
        case OPT_MEMBER: o->member = optarg; break;
        case OPT_MIRROR: if (o->cmd != CMD_CONTEXTS) return usage_error("%s--mirror goes with contexts", ""); o->mirror = optarg; break;
        case OPT_REPORT: o->report_file = optarg; break;
        case OPT_ISSUER: o->issuer_file = optarg; break;
        case OPT_RECIPIENTS: o->recipients_file = optarg; break;
        case OPT_CSV_ENCODING:
            if (cc_csv_encoding_parse(optarg, &o->csv_encoding) != 0)
                return usage_error("--csv-encoding takes utf-8, cp1252 or latin1, not '%s'", optarg);
            break;
        case OPT_HASH: o->hash_recipients = true; break;
        case OPT_ID_BASE: o->id_base = optarg; break;
        case OPT_IMAGE: if (o->cmd != CMD_BAKE) return usage_error("%s--image goes with bake", ""); o->bake_image = optarg; break;
        case OPT_BAKE: if (o->cmd != CMD_CONVERT) return usage_error("%s--bake goes with convert", ""); o->bake_image = optarg; break;
        case OPT_PROGRESS: o->progress = 1; break;
        case OPT_CATALOGUE: if (o->cmd != CMD_PROGRESS) return usage_error("%s--catalogue goes with progress", ""); o->catalogues[o->ncatalogues++] = optarg; break;
        case OPT_VERIFY: if (o->cmd != CMD_PROGRESS) return usage_error("%s--verify goes with progress (verify is a command)", ""); o->verify_each = true; break;
        case OPT_JSON: if (o->cmd != CMD_PROGRESS) return usage_error("%s--json goes with progress", ""); o->json = true; break;
        case OPT_ISSUE: if (o->cmd != CMD_PROGRESS) return usage_error("%s--issue goes with progress", ""); o->issue = true; break;
        case OPT_REQUIRE_COMPLETE: if (o->cmd != CMD_PROGRESS) return usage_error("%s--require-complete goes with progress", ""); o->require_complete = true; break;
        case OPT_NO_PROGRESS: o->progress = 0; break;
        case OPT_BADGE_IMAGE: o->badge_image = optarg; break;
        case OPT_CASE_VERSION:
            if (strcmp(optarg, "1.0") != 0 && strcmp(optarg, "1.1") != 0)
                return usage_error("--case-version takes 1.1 or 1.0, not '%s'", optarg);
            o->case_version = optarg;
            break;
        case OPT_RECIPIENT: o->recipient = optarg; break;
        case OPT_FETCH: case OPT_MAP_URL: case OPT_MAX_REDIRECTS: case OPT_CONNECT_TIMEOUT:
        case OPT_FETCH_TIMEOUT: case OPT_MAX_FETCH_SIZE: case OPT_FETCH_ALLOW_PRIVATE:
        case OPT_FETCH_DEADLINE:
            if (fetch_option(o, c, optarg) >= 0) return 2;
            break;
        case OPT_KEY: o->sig.key = optarg; break;
        case OPT_ALG: o->sig.alg = optarg; break;
        case OPT_KID: o->sig.kid = optarg; break;
        case OPT_EMBED_JWK: o->sig.embed_jwk = true; break;
        case OPT_SUITE: o->sig.suite = optarg; break;
        case OPT_JWKS: o->sig.jwks = optarg; break;
        case OPT_ISSUER_PROFILE: o->sig.issuer_profile = optarg; break;
        case OPT_REVOCATION_LIST: o->sig.revocation_list = optarg; break;
        case OPT_SIGN: o->sig.sign_key = optarg; break;
        case OPT_ACCEPT_UNBOUND: o->sig.accept_unbound = true; break;
        case OPT_CERT: o->sig.cert = optarg; break;
        case OPT_CHAIN: o->sig.chain = optarg; break;
        case OPT_CA: o->sig.ca = optarg; break;
        case OPT_STATUS_LIST: o->status_list = optarg; break;
        case OPT_STATUS_STATE: o->status_state = optarg; break;
        case OPT_STATUS_PURPOSE: o->status_purpose = optarg; break;
        case OPT_STATUS_LIST_FILE: o->sig.status_files[o->sig.nstatus_files++] = optarg; break;
        case OPT_MAX_JSON_SIZE: {
            long long v = parse_limit("--max-json-size", optarg, 1024, 1LL << 40);
            if (v < 0)
                return 2;
            o->max_json_size = (size_t)v;
            break;
        }
        case 'q': o->quiet = true; break;
        case 'v': o->verbose = true; break;
        case 'h': fputs(usage_text, stdout); fputs(cc_sign_usage, stdout); fputs(cc_status_usage, stdout); return 0;
        case 'V': cc_print_version(stdout); return 0;
        default: fputs("Try 'credconv --help'.\n", stderr); return 2;
        }
    }
    return -1;
}

/* bake and unbake take one input and -o only. */
static int check_image_command(const cc_options *o, int nargs)
{
    if (o->cmd == CMD_BAKE && !o->bake_image)
        return usage_error("%sbake needs --image BADGE.png|svg", "");
    if (nargs != 1)
        return usage_error("%s takes exactly one input", o->cmd == CMD_BAKE ? "bake" : "unbake");
    if (o->to || o->out_dir || o->from)
        return usage_error("%s-f, -t and -O do not go with bake or unbake", "");
    return -1;
}

/* Option values that are copied into the output (ids, image URLs, key ids) must be absolute
 * URLs in text XML can carry: a stray byte would make every document not well formed. */
static int check_values(const cc_options *o)
{
    const char *const vals[] = {o->id_base, o->badge_image && strstr(o->badge_image, "://") ? o->badge_image : NULL,
                                o->sig.kid, o->status_list};
    const char *const names[] = {"--id-base", "--badge-image", "--kid", "--status-list"};
    char buf[128];
    for (int i = 0; i < 4; i++) {
        const char *why = vals[i] ? cc_iri_problem(vals[i], buf, sizeof buf) : NULL;
        if (why) {
            fprintf(stderr, "credconv: error: %s: %s [usage]\nTry 'credconv --help'.\n", names[i], why);
            return 2;
        }
    }
    const char *const texts[] = {o->recipient, o->badge_image};  /* printed, or a file name */
    for (int i = 0; i < 2; i++)
        if (texts[i] && cc_text_problem(texts[i], buf, sizeof buf))
            return usage_error(i ? "--badge-image: %s" : "--recipient: %s", buf);
    return -1;
}

/* --select and --active-only choose the records convert writes and inspect lists.  validate
 * and verify judge whole inputs (a fiche left out would still print its errors), so there
 * they are refused rather than half applied; an empty code would match nothing. */
static int check_selection(const cc_options *o)
{
    if (o->jobs && o->cmd != CMD_CONVERT && o->cmd != CMD_SIGN)
        return usage_error("%s--jobs goes with convert and sign", "");
    if (o->shard_n && o->cmd != CMD_CONVERT && o->cmd != CMD_INSPECT)
        return usage_error("%s--shard goes with convert and inspect", "");
    /* a grouping writer (clr: one record per learner) would get a share of each learner's
     * credentials in every run: N records for one learner, under one id */
    if (o->shard_n > 1 && o->recipients_file && o->to && (o->to->caps & CC_CAP_GROUPS))
        return usage_error("--shard with --recipients: -t %s writes one record per learner, which a "
                           "share of their credentials cannot make", o->to->name);
    if ((o->nselects || o->active_only) && o->cmd != CMD_CONVERT && o->cmd != CMD_INSPECT)
        return usage_error("%s--select and --active-only go with convert and inspect", "");
    for (size_t i = 0; i < o->nselects; i++)
        if (!o->selects[i][strspn(o->selects[i], " \t\r\n\v\f")])
            return usage_error("%s--select needs a code (RNCP35340, RS5719, RNCP35340BC01)", "");
    return -1;
}

/* Issuing with status (converters/status/): the list URL, where indexes are kept, and a
 * format that writes credentialStatus. */
static int check_status_options(const cc_options *o)
{
    if ((o->status_list || o->status_state || o->status_purpose) &&
        !(o->cmd == CMD_CONVERT && o->status_list && o->status_state && o->recipients_file && o->issuer_file))
        return usage_error("%s--status-list URL goes with convert --issuer --recipients and needs --status-state "
                           "FILE (--status-purpose too)", "");
    if (o->status_list && strcmp(o->to->name, "ob3") && strcmp(o->to->name, "edc3-vc2") && strcmp(o->to->name, "clr") &&
        strcmp(o->to->name, "ob2"))
        return usage_error("--status-list: format '%s' writes no status (ob3, clr, edc3-vc2 and ob2 do)",
                           o->to->name);
    if (o->status_purpose && strcmp(o->status_purpose, "revocation") && strcmp(o->status_purpose, "suspension"))
        return usage_error("--status-purpose is revocation or suspension, not '%s'", o->status_purpose);
    if (o->sig.nstatus_files && o->cmd != CMD_VERIFY)
        return usage_error("%s--status-list-file goes with verify", "");
    return -1;
}

static int check_options(cc_options *o)
{
    if (check_values(o) >= 0 || check_selection(o) >= 0)
        return 2;
    if (o->cmd == CMD_BAKE || o->cmd == CMD_UNBAKE)
        return -1;
    if (o->cmd == CMD_PROGRESS && o->issue && !o->to)
        o->to = cc_format_find("ob3");  /* progress --issue: OB 3.0 unless -t says otherwise */
    if (cc_sig_check_options(o) >= 0)  /* --key, --sign…: converters/sign/sign_cmd.c */
        return 2;
    if (o->cmd == CMD_PROGRESS && !o->ncatalogues)
        return usage_error("%sprogress needs --catalogue FILE", "");
    if (o->cmd == CMD_CONVERT && !o->to)
        return usage_error("%sconvert needs -t FORMAT", "");
    bool issuing = o->cmd == CMD_CONVERT || (o->cmd == CMD_PROGRESS && o->issue);
    if (o->cmd == CMD_PROGRESS && o->issue != !!o->issuer_file)
        return usage_error("%sprogress --issue needs --issuer FILE (and --issuer goes with --issue)", "");
    if (!issuing && (o->to || o->out_file || o->out_dir))
        return usage_error("%s-t, -o and -O go with convert and progress --issue", "");
    if (o->out_file && o->out_dir)
        return usage_error("%s-o and -O cannot be used together", "");
    if (o->to && !(o->to->caps & CC_CAP_WRITE))
        return usage_error("format '%s' cannot be written", o->to->name);
    if (o->recipient && o->cmd != CMD_VERIFY)
        return usage_error("%s--recipient goes with verify", "");
    if ((o->cmd != CMD_CONVERT && o->recipients_file) || (!issuing && o->issuer_file))
        return usage_error("%s--recipients goes with convert, --issuer with convert and progress --issue", "");
    if (o->recipients_file && (o->nselects || o->active_only))
        return usage_error("%s--select and --active-only do not go with --recipients: the "
                           "recipients file says which achievements are awarded", "");
    if ((o->hash_recipients || o->id_base || o->csv_encoding) && !o->recipients_file)
        return usage_error("%s--hash-recipients, --id-base and --csv-encoding go with --recipients", "");
    if (o->bake_image && !o->out_dir)
        return usage_error("%s--bake needs -O DIR (one image per credential)", "");
    return check_status_options(o);
}

/* -o or --report naming an input would replace what is being read: refused before reading. */
static int check_not_an_input(const cc_options *o, const char *out, const char *opt)
{
    for (size_t i = 0; out && i < o->ninputs; i++)
        if (cc_outfile_is_input(out, o->inputs[i]))
            return usage_error("%s names an input; the output would replace what is being read", opt);
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("%sno command given", "");
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(usage_text, stdout);
        fputs(cc_sign_usage, stdout);
        fputs(cc_status_usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        cc_print_version(stdout);
        return 0;
    }
    if (!strcmp(cmd, "formats"))
        return print_formats();
    if (!strcmp(cmd, "status"))  /* publish, revoke, suspend, reinstate: converters/cli/status_cmd.c */
        return cc_status_command(argc - 1, argv + 1);
    cc_options o = {.progress = -1, .fetch = CC_FETCH_DEFAULTS};
    if (!strcmp(cmd, "convert")) o.cmd = CMD_CONVERT;
    else if (!strcmp(cmd, "validate")) o.cmd = CMD_VALIDATE;
    else if (!strcmp(cmd, "inspect")) o.cmd = CMD_INSPECT;
    else if (!strcmp(cmd, "verify")) o.cmd = CMD_VERIFY;
    else if (!strcmp(cmd, "sign")) o.cmd = CMD_SIGN;
    else if (!strcmp(cmd, "bake")) o.cmd = CMD_BAKE;
    else if (!strcmp(cmd, "unbake")) o.cmd = CMD_UNBAKE;
    else if (!strcmp(cmd, "contexts")) o.cmd = CMD_CONTEXTS;
    else if (!strcmp(cmd, "progress")) o.cmd = CMD_PROGRESS;
    else return usage_error("unknown command '%s'", cmd);

    o.selects = calloc((size_t)argc, sizeof *o.selects);
    o.catalogues = calloc((size_t)argc, sizeof *o.catalogues);
    cc_url_map *maps = calloc((size_t)argc, sizeof *maps);
    cc_fetch_addr *allowed = calloc((size_t)argc, sizeof *allowed);
    o.sig.status_files = calloc((size_t)argc, sizeof *o.sig.status_files);
    o.fetch.maps = maps;
    o.fetch.allowed = allowed;
    if (!o.selects || !o.catalogues || !maps || !allowed || !o.sig.status_files)
        return 2;
    int rc = parse_options(argc - 1, argv + 1, &o);
    if (rc < 0)
        rc = check_options(&o);
    if (rc < 0 && (o.cmd == CMD_BAKE || o.cmd == CMD_UNBAKE))
        rc = check_image_command(&o, argc - 1 - optind);
    if (rc < 0) {
        char dir[PATH_MAX];
        o.schema_dir = cc_default_schema_dir(dir, sizeof dir);
        o.inputs = argv + 1 + optind;
        o.ninputs = (size_t)(argc - 1 - optind);
        rc = check_not_an_input(&o, o.out_file, "-o");
        if (rc < 0)
            rc = check_not_an_input(&o, o.report_file, "--report");
    }
    if (rc < 0) {
        curl_global_init(CURL_GLOBAL_DEFAULT);  /* once, before any thread could exist */
        xmlInitParser();
        /* Schema imports may name local files only: nothing reaches the network. */
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
        xmlSetGenericErrorFunc(NULL, quiet_libxml);
        /* jansson's lexer ignores a failed allocation (it drops the byte and reads on: a
         * crash, a spin or a false "invalid token"), so its allocations must not fail
         * quietly: cc_json_malloc ends the run with status 2 and a message instead.  Like
         * the libxml2 settings above, this is set once, before anything is parsed, and never
         * changed: a process-wide choice of allocator, not state the library keeps or
         * changes (cc_json_malloc keeps none).  The loader (cc_json_parse) refuses, before
         * jansson allocates, a document its limits do not allow, and asks malloc first for
         * the memory a large one needs, so a lack of memory is one error for that record
         * and this exit is the last resort. */
        json_set_alloc_funcs(cc_json_malloc, free);
        o.fetch.cache = cc_fetch_cache_new();  /* one for the run: each URL fetched once */
        o.fetch.jsonld = cc_jsonld_run_new();  /* contexts loaded and processed once a run */
        o.write_check = cc_wcheck_new(o.schema_dir, o.allow_invalid);  /* schemas compiled once */
        o.schemas = cc_schema_cache_new();     /* and the readers' too */
        rc = !o.fetch.cache || !o.fetch.jsonld || !o.write_check || !o.schemas ? 2
             : o.cmd == CMD_SIGN ? cc_sign_command(&o) : o.cmd == CMD_VERIFY ? cc_verify_command(&o)
             : o.cmd == CMD_PROGRESS ? cc_progress_command(&o)
             : o.cmd == CMD_CONTEXTS ? cc_contexts_command(&o.fetch, o.fetch.network, o.mirror) : cc_run(&o);
        cc_fetch_cache_free(o.fetch.cache);
        cc_jsonld_run_free(o.fetch.jsonld);
        cc_wcheck_free(o.write_check);
        cc_schema_cache_free(o.schemas);
        xmlCleanupParser();
        curl_global_cleanup();
    }
    free(maps);
    free(allowed);
    free(o.selects);
    free(o.sig.status_files);
    free(o.catalogues);
    return rc;
}
