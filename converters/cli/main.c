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
#include <stddef.h>
#include <curl/curl.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_head[] =
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
    "Options:\n";

static const char usage_tail[] =
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
    m[o->fetch.nmaps++] = (cc_url_map){.prefix = arg, .dir = eq + 1};
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

/* ------------------------------------------------------------ the option table
 * One row per option drives getopt (the long name, the letter, whether it takes a value),
 * what the option sets, which commands take it (others refuse it: "--x goes with ...") and
 * its lines in --help, in the order of the rows.  To add an option: one row here (and its
 * member in cc_options).  spec is "--name", "--name VALUE" (a value is required) or
 * "--name[=VALUE]" (optional), exactly as --help shows it. */
typedef int cli_setter(cc_options *o, char *arg);  /* -1 to go on, else the exit status */
typedef enum { SET_STR, SET_TRUE, SET_FN } cli_how;
typedef struct cli_option {
    int letter;         /* the short option, or 0 */
    const char *spec;
    unsigned cmds;      /* CMDS(...): the commands that take it; 0: every command */
    cli_how how;
    size_t field;       /* SET_STR, SET_TRUE: offsetof the const char * or bool it sets */
    cli_setter *fn;     /* SET_FN */
    const char *help;   /* --help's lines ('\n' between them); NULL: in the sign or status help */
} cli_option;

#define STR(m) .how = SET_STR, .field = offsetof(cc_options, m)
#define FLAG(m) .how = SET_TRUE, .field = offsetof(cc_options, m)
#define FN(f) .how = SET_FN, .fn = (f)
#define ON(c) (1u << (c))
#define HELP_COL 24     /* where the help text of an option starts */

static const char *const cmd_names[] = {
    [CMD_CONVERT] = "convert", [CMD_VALIDATE] = "validate", [CMD_INSPECT] = "inspect",
    [CMD_BAKE] = "bake", [CMD_UNBAKE] = "unbake", [CMD_VERIFY] = "verify", [CMD_SIGN] = "sign",
    [CMD_CONTEXTS] = "contexts", [CMD_PROGRESS] = "progress",
};

static int set_map_url(cc_options *o, char *arg) { return add_map(o, arg) ? 2 : -1; }
static int set_private(cc_options *o, char *arg) { return allow_private(o, arg); }
static int set_from(cc_options *o, char *arg) { return parse_format(arg, &o->from) ? 2 : -1; }
static int set_to(cc_options *o, char *arg) { return parse_format(arg, &o->to) ? 2 : -1; }
static int set_select(cc_options *o, char *arg) { o->selects[o->nselects++] = arg; return -1; }
static int set_shard(cc_options *o, char *arg) { return parse_shard(arg, o) ? 2 : -1; }
static int set_jobs(cc_options *o, char *arg) { return parse_jobs(arg, o) ? 2 : -1; }
static int set_progress(cc_options *o, char *arg) { (void)arg; o->progress = 1; return -1; }
static int set_no_progress(cc_options *o, char *arg) { (void)arg; o->progress = 0; return -1; }
static int set_catalogue(cc_options *o, char *arg) { o->catalogues[o->ncatalogues++] = arg; return -1; }

static int set_status_file(cc_options *o, char *arg)
{
    o->sig.status_files[o->sig.nstatus_files++] = arg;
    return -1;
}

static int set_csv_encoding(cc_options *o, char *arg)
{
    if (cc_csv_encoding_parse(arg, &o->csv_encoding) != 0)
        return usage_error("--csv-encoding takes utf-8, cp1252 or latin1, not '%s'", arg);
    return -1;
}

static int set_case_version(cc_options *o, char *arg)
{
    if (strcmp(arg, "1.0") != 0 && strcmp(arg, "1.1") != 0)
        return usage_error("--case-version takes 1.1 or 1.0, not '%s'", arg);
    o->case_version = arg;
    return -1;
}

/* The numeric limits: a whole number in a range, into a long (long long for sizes). */
#define LIMIT_SETTER(fname, opt, member, type, lo, hi)                                  \
    static int fname(cc_options *o, char *arg)                                         \
    {                                                                                  \
        long long v = parse_limit(opt, arg, lo, hi);                                   \
        if (v < 0)                                                                     \
            return 2;                                                                  \
        o->member = (type)v;                                                           \
        return -1;                                                                     \
    }
LIMIT_SETTER(set_max_redirects, "--max-redirects", fetch.max_redirects, long, 0, 50)
LIMIT_SETTER(set_connect_timeout, "--connect-timeout", fetch.connect_timeout, long, 1, 3600)
LIMIT_SETTER(set_fetch_timeout, "--fetch-timeout", fetch.timeout, long, 1, 3600)
LIMIT_SETTER(set_max_fetch_size, "--max-fetch-size", fetch.max_bytes, long long, 1, 1LL << 30)
LIMIT_SETTER(set_fetch_deadline, "--fetch-deadline", fetch.deadline, long, 1, 86400)
LIMIT_SETTER(set_max_json_size, "--max-json-size", max_json_size, size_t, 1024, 1LL << 40)

static void print_help(void);
static int show_help(cc_options *o, char *arg) { (void)o, (void)arg; print_help(); return 0; }
static int show_version(cc_options *o, char *arg) { (void)o, (void)arg; cc_print_version(stdout); return 0; }

static const cli_option cli_options[] = {
    {.letter = 'f', .spec = "--from FORMAT", FN(set_from), .help = "input format (default: detected from the first bytes)"},
    {.letter = 't', .spec = "--to FORMAT", .cmds = ON(CMD_CONVERT) | ON(CMD_PROGRESS), FN(set_to), .help = "output format (convert)"},
    {.letter = 'o', .spec = "--output FILE", .cmds = ON(CMD_CONVERT) | ON(CMD_BAKE) | ON(CMD_UNBAKE) | ON(CMD_PROGRESS), STR(out_file),
     .help = "write to FILE, atomically ('-': standard output, the default;\n"
     "a link is followed; a FIFO or device is written in place)"},
    {.letter = 'O', .spec = "--output-dir DIR", .cmds = ON(CMD_CONVERT) | ON(CMD_PROGRESS), STR(out_dir),
     .help = "write one file per record into DIR, named from the record id"},
    {.spec = "--select CODE", FN(set_select),
     .help = "convert, inspect: keep only this fiche (RNCP35340, RS5719),\n"
     "block (RNCP35340BC01, a record of its own) or the credentials\n"
     "awarding it; any case; repeatable (a fiche and one of its\n"
     "blocks: both); a code that matches nothing is an error"},
    {.spec = "--active-only", FLAG(active_only),
     .help = "convert, inspect: keep only fiches whose registration is in\n"
     "force (ACTIF = Oui)"},
    {.spec = "--shard K/N", FN(set_shard),
     .help = "convert, inspect: only share K of N (1 <= K <= N) of the\n"
     "records, chosen by record id, the same on every machine: N\n"
     "runs with K = 1..N together give the whole output once"},
    {.letter = 'j', .spec = "--jobs N", .cmds = ON(CMD_CONVERT) | ON(CMD_SIGN), FN(set_jobs),
     .help = "convert, sign: N threads write and sign records side by side\n"
     "(default 1; 0: one per core); the output, its order, the\n"
     "diagnostics and --report are the same as with 1"},
    {.spec = "--strict", FLAG(strict), .help = "stop at the first invalid or rejected record"},
    {.spec = "--allow-invalid", .cmds = ON(CMD_CONVERT), FLAG(allow_invalid),
     .help = "convert: write a record whose output fails the target\n"
     "format's validation, with a warning (default: rejected)"},
    {.spec = "--issuer FILE", .cmds = ON(CMD_CONVERT) | ON(CMD_PROGRESS), STR(issuer_file),
     .help = "the issuing organisation, JSON: id, name, url, email, siret,\n"
     "country (ISO 3166 alpha-2, default FR)"},
    {.spec = "--recipients FILE", .cmds = ON(CMD_CONVERT), STR(recipients_file),
     .help = "award credentials: a CSV with columns email, given_name,\n"
     "family_name, achievement (a fiche or block code), optional\n"
     "id and issued; one credential per row.  Separated by ',',\n"
     "';' or tabs (found on the header line); header names in any\n"
     "case; a byte-order mark and CRLF are accepted"},
    {.spec = "--csv-encoding utf-8|cp1252|latin1", FN(set_csv_encoding),
     .help = "the recipients file's encoding (default: UTF-8 when it is,\n"
     "else Windows-1252, what Excel's CSV is in France)"},
    {.spec = "--hash-recipients", FLAG(hash_recipients), .help = "write each email as a salted sha256 identity hash"},
    {.spec = "--status-list URL", STR(status_list),
     .help = "convert -t ob3|clr|edc3-vc2 --recipients: give each credential a\n"
     "credentialStatus (BitstringStatusListEntry) in the list\n"
     "credential published at URL (credconv status publish);\n"
     "-t ob2: the issuer's revocationList URL (status ... --ob2)"},
    {.spec = "--status-state FILE", STR(status_state),
     .help = "with --status-list: the file that keeps each credential's\n"
     "index (random, never handed out twice; shared by reruns and\n"
     "parallel runs, locked)"},
    {.spec = "--status-purpose revocation|suspension", STR(status_purpose),
     .help = "with --status-list: what the list says (default revocation)"},
    {.spec = "--id-base URL", STR(id_base),
     .help = "credential ids URL/<uuid> (default: urn:uuid:<uuid>); the\n"
     "uuid is made from issuer, achievement, email and date"},
    {.spec = "--schema FILE", STR(schema), .help = "validate against FILE instead of the bundled schema"},
    {.spec = "--member NAME", STR(member),
     .help = "a zip input: read the member NAME (default: the first .xml\n"
     "member); .zip and .gz inputs are read as what they hold"},
    {.spec = "--badge-image URL|FILE", STR(badge_image),
     .help = "image for achievements that have none (a PNG or SVG file\n"
     "becomes a data: URI); OB 2.0 BadgeClasses need one"},
    {.spec = "--case-version 1.1|1.0", FN(set_case_version),
     .help = "convert -t case: the CASE version written (default 1.1;\n"
     "1.0 leaves out what 1.1 added)"},
    {.spec = "--recipient EMAIL", .cmds = ON(CMD_VERIFY), STR(recipient),
     .help = "verify: say whether each badge was issued to EMAIL (plain or\n"
     "hashed identity); exit 1 when not"},
    {.spec = "--fetch", FLAG(fetch.network),
     .help = "fetch linked documents (BadgeClass, issuer, image, revocation\n"
     "list) and, for verify, the hosted assertion and signing keys\n"
     "(kid URLs, OB 2.0 creator keys and their owner), over http(s)"},
    {.spec = "--map-url PREFIX=DIR", FN(set_map_url),
     .help = "read URLs starting with PREFIX from files in DIR instead of\n"
     "the network (repeatable, the longest PREFIX wins; works\n"
     "without --fetch); a whole URL may name one file: URL=FILE"},
    {.spec = "--max-redirects N", FN(set_max_redirects), .help = "redirects followed per fetch (default 5)"},
    {.spec = "--connect-timeout S", FN(set_connect_timeout), .help = "seconds to connect (default 10)"},
    {.spec = "--fetch-timeout S", FN(set_fetch_timeout), .help = "seconds for a whole fetch, redirects included (default 30)"},
    {.spec = "--max-fetch-size BYTES", FN(set_max_fetch_size), .help = "largest response accepted (default 4194304)"},
    {.spec = "--fetch-deadline S", FN(set_fetch_deadline),
     .help = "seconds of fetching per input, all fetches together; later\n"
     "fetches of that input fail (default 60)"},
    {.spec = "--fetch-allow-private[=ADDRESS]", FN(set_private),
     .help = "let fetches connect to loopback, private, link-local and other\n"
     "local addresses (refused by default, at every redirect); with\n"
     "=ADDRESS, to that address only (repeatable)"},
    {.spec = "--max-json-size BYTES", FN(set_max_json_size),
     .help = "largest JSON document of an input (an NDJSON line, a\n"
     "document) read (default 16777216); one whose values would\n"
     "take more than 8 times that in memory is refused too"},
    {.spec = "--image FILE", .cmds = ON(CMD_BAKE), STR(bake_image),
     .help = "bake: the PNG or SVG image to bake INPUT (an Open Badges\n"
     "2.0 assertion or 3.0 credential, JSON or JWS) into"},
    {.spec = "--bake FILE", .cmds = ON(CMD_CONVERT), STR(bake_image),
     .help = "convert -O DIR: also bake each written badge into a copy of\n"
     "this PNG or SVG image, DIR/<name>.png|svg"},
    {.spec = "--report FILE", STR(report_file),
     .help = "write a JSON report (atomically): counts and every diagnostic;\n"
     "verify: also one entry per input or line verified (status,\n"
     "reason, key binding, what was and was not checked);\n"
     "progress: written = credentials counted, rejected = not\n"
     "counted, filtered = matching nothing in the catalogue"},
    {.spec = "--progress, --no-progress", FN(set_progress),
     .help = "force the progress bar on or off (default: on when stderr is a\n"
     "terminal and the input is larger than 8 MB)"},
    {.spec = "--no-progress", FN(set_no_progress)},
    {.spec = "--catalogue FILE", .cmds = ON(CMD_PROGRESS), FN(set_catalogue),
     .help = "progress: the fiches and their blocks (RNCP export, model\n"
     "NDJSON, any format whose records are achievements with parts);\n"
     "repeatable"},
    {.spec = "--json", .cmds = ON(CMD_PROGRESS), FLAG(json), .help = "progress: NDJSON even when standard output is a terminal"},
    {.spec = "--verify", .cmds = ON(CMD_PROGRESS), FLAG(verify_each),
     .help = "progress: verify each credential as verify does (its key\n"
     "options apply) and count only the valid ones; the others are\n"
     "listed as not counted, with why, and the exit status is 1"},
    {.spec = "--require-complete", .cmds = ON(CMD_PROGRESS), FLAG(require_complete),
     .help = "progress: exit 1 (an error naming each) when a learner has\n"
     "no complete certification; without it, incomplete is exit 0"},
    {.spec = "--issue", .cmds = ON(CMD_PROGRESS), FLAG(issue),
     .help = "progress: issue each complete certification as convert\n"
     "--issuer does (-t ob3, the default; clr: one CLR per learner\n"
     "holding the certification and its blocks; edc, edc3...),\n"
     "signed with --sign KEY; written to -o FILE, -O DIR or, when\n"
     "neither is given, standard output, which then holds the\n"
     "credentials only (no progress line).  Needs --issuer FILE;\n"
     "a learner with no plain email is reported, not issued"},
    {.letter = 'q', .spec = "--quiet", FLAG(quiet), .help = "print errors only"},
    {.letter = 'v', .spec = "--verbose", FLAG(verbose), .help = "print notes too (e.g. what a conversion loses)"},
    {.letter = 'h', .spec = "--help", FN(show_help), .help = "this help"},
    {.letter = 'V', .spec = "--version", FN(show_version), .help = "the version"},
    /* in the usage lines above (contexts) and in cc_sign_usage, cc_status_usage */
    {.spec = "--mirror URL", .cmds = ON(CMD_CONTEXTS), STR(mirror)},
    {.spec = "--key FILE", STR(sig.key)},
    {.spec = "--alg ALG", STR(sig.alg)},
    {.spec = "--kid URI", STR(sig.kid)},
    {.spec = "--embed-jwk", FLAG(sig.embed_jwk)},
    {.spec = "--jwks FILE", STR(sig.jwks)},
    {.spec = "--sign KEY", STR(sig.sign_key)},
    {.spec = "--suite SUITE", STR(sig.suite)},
    {.spec = "--accept-unbound-key", FLAG(sig.accept_unbound)},
    {.spec = "--cert CERT.pem", STR(sig.cert)},
    {.spec = "--chain FILE", STR(sig.chain)},
    {.spec = "--ca FILE", STR(sig.ca)},
    {.spec = "--issuer-profile FILE", STR(sig.issuer_profile)},
    {.spec = "--revocation-list FILE", STR(sig.revocation_list)},
    {.spec = "--status-list-file FILE", .cmds = ON(CMD_VERIFY), FN(set_status_file)},
};
#define NOPTIONS (sizeof cli_options / sizeof *cli_options)

/* The long name of a row (spec up to its value or its ", --other"), into buf. */
static const char *option_name(const cli_option *r, char *buf, size_t cap)
{
    size_t n = strcspn(r->spec + 2, " [,");
    snprintf(buf, cap, "%.*s", (int)n, r->spec + 2);
    return buf;
}

static int option_arg(const cli_option *r)
{
    char c = r->spec[2 + strcspn(r->spec + 2, " [,")];
    return c == ' ' ? required_argument : c == '[' ? optional_argument : no_argument;
}

static void print_help(void)
{
    fputs(usage_head, stdout);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const cli_option *r = &cli_options[i];
        if (!r->help)
            continue;
        char label[64];
        int n = r->letter ? snprintf(label, sizeof label, "  -%c, %s", r->letter, r->spec)
                          : snprintf(label, sizeof label, "      %s", r->spec);
        if (n < HELP_COL)
            printf("%-*s", HELP_COL, label);
        else
            printf("%s\n%*s", label, HELP_COL, "");
        for (const char *p = r->help; *p;) {
            size_t len = strcspn(p, "\n");
            printf("%.*s\n", (int)len, p);
            p += len;
            if (*p && *++p)
                printf("%*s", HELP_COL, "");
        }
    }
    fputs(usage_tail, stdout);
    fputs(cc_sign_usage, stdout);
    fputs(cc_status_usage, stdout);
}

/* "--x goes with convert and inspect": the commands of a row's mask, in a usage error. */
static int wrong_command(const cli_option *r)
{
    char name[48], cmds[128] = "";
    size_t ncmds = sizeof cmd_names / sizeof *cmd_names;
    for (size_t c = 0; c < ncmds; c++)
        if (r->cmds & ON(c)) {
            unsigned later = r->cmds >> (c + 1);
            snprintf(cmds + strlen(cmds), sizeof cmds - strlen(cmds), "%s%s", cmd_names[c],
                     !later ? "" : (later & (later - 1)) ? ", " : " and ");
        }
    if (r->letter)
        return usage_error("-%c, --%s goes with %s", r->letter, option_name(r, name, sizeof name), cmds);
    return usage_error("--%s goes with %s", option_name(r, name, sizeof name), cmds);
}

/* What a row sets; -1 to go on, else the exit status. */
static int apply_option(const cli_option *r, cc_options *o, char *arg)
{
    if (r->cmds && !(r->cmds & ON(o->cmd)))
        return wrong_command(r);
    switch (r->how) {
    case SET_STR: *(const char **)((char *)o + r->field) = arg; return -1;
    case SET_TRUE: *(bool *)((char *)o + r->field) = true; return -1;
    case SET_FN: return r->fn(o, arg);
    }
    return 2;
}

/* getopt's tables, made from the rows: long options return 256 + their row. */
static void getopt_tables(struct option *longs, char names[][48], char *shorts)
{
    size_t k = 0;
    for (size_t i = 0; i < NOPTIONS; i++) {
        const cli_option *r = &cli_options[i];
        int has = option_arg(r);
        longs[i] = (struct option){.name = option_name(r, names[i], 48), .has_arg = has, .val = 256 + (int)i};
        if (r->letter) {
            shorts[k++] = (char)r->letter;
            if (has == required_argument)
                shorts[k++] = ':';
        }
    }
    longs[NOPTIONS] = (struct option){.name = NULL};
    shorts[k] = '\0';
}

static const cli_option *row_of(int c)
{
    if (c >= 256 && (size_t)(c - 256) < NOPTIONS)
        return &cli_options[c - 256];
    for (size_t i = 0; i < NOPTIONS; i++)
        if (cli_options[i].letter && cli_options[i].letter == c)
            return &cli_options[i];
    return NULL;
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, cc_options *o)
{
    struct option longs[NOPTIONS + 1];
    char names[NOPTIONS][48], shorts[2 * NOPTIONS + 1];
    getopt_tables(longs, names, shorts);
    int c;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        const cli_option *r = row_of(c);
        if (!r) {
            fputs("Try 'credconv --help'.\n", stderr);
            return 2;
        }
        int rc = apply_option(r, o, optarg);
        if (rc >= 0)
            return rc;
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
    if (o->from)  /* -t and -O are convert's (the option table) */
        return usage_error("%s-f does not go with bake or unbake", "");
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
    if (o->status_list && !(o->to->caps & CC_CAP_STATUS))
        return usage_error("--status-list: format '%s' writes no status (ob3, clr, edc3-vc2 and ob2 do)",
                           o->to->name);
    if (o->status_purpose && strcmp(o->status_purpose, "revocation") && strcmp(o->status_purpose, "suspension"))
        return usage_error("--status-purpose is revocation or suspension, not '%s'", o->status_purpose);
    return -1;
}

/* --jobs N > 1: glibc gives each thread an arena of its own and hands its free top back to
 * the kernel (madvise, a TLB shootdown on every core) each time it passes the trim
 * threshold: with per-record allocations that was 1,649 madvise calls for 3,000 records
 * and a fifth of the CPU of DI signing on 2 workers.  The process's allocator is the
 * program's to tune, not the library's: so here, and only when threads run.  Memory still
 * peaks where it did (N x 64 records in flight, docs/ARCHITECTURE.md); it is returned at
 * exit rather than record by record. */
static void tune_allocator(const cc_options *o)
{
#ifdef __GLIBC__
    if (o->jobs > 1)
        mallopt(M_TRIM_THRESHOLD, 32 << 20);
#else
    (void)o;
#endif
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
    if (o->cmd == CMD_PROGRESS && o->issue != !!o->issuer_file)
        return usage_error("%sprogress --issue needs --issuer FILE (and --issuer goes with --issue)", "");
    if (o->cmd == CMD_PROGRESS && !o->issue && (o->to || o->out_file || o->out_dir))
        return usage_error("%s-t, -o and -O go with convert and progress --issue", "");
    if (o->out_file && o->out_dir)
        return usage_error("%s-o and -O cannot be used together", "");
    if (o->to && !(o->to->caps & CC_CAP_WRITE))
        return usage_error("format '%s' cannot be written", o->to->name);
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
        print_help();
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
    if (rc < 0)
        tune_allocator(&o);
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
