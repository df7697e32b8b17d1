/* credconv: the command line.  It knows the pipeline and the registry, no format. */
#include "cc_pipeline.h"
#include "cc_sign.h"

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
    "  credconv formats\n"
    "  credconv --help | --version\n"
    "\n"
    "Converts learning-credential records between the RNCP/RS export, Europass and Open\n"
    "Badges through one common model.  With no INPUT, or '-', reads standard input.\n"
    "\n"
    "Options:\n"
    "  -f, --from FORMAT     input format (default: detected from the first bytes)\n"
    "  -t, --to FORMAT       output format (convert)\n"
    "  -o, --output FILE     write to FILE, atomically (default: standard output)\n"
    "  -O, --output-dir DIR  write one file per record into DIR, named from the record id\n"
    "      --select CODE     keep only this fiche (RNCP35340, RS5719) or block\n"
    "                        (RNCP35340BC01); repeatable\n"
    "      --active-only     keep only fiches whose registration is in force (ACTIF = Oui)\n"
    "      --strict          stop at the first invalid or rejected record\n"
    "      --issuer FILE     the issuing organisation, JSON: id, name, url, email, siret,\n"
    "                        country (ISO 3166 alpha-2, default FR)\n"
    "      --recipients FILE award credentials: a CSV with columns email, given_name,\n"
    "                        family_name, achievement (a fiche or block code), optional\n"
    "                        id and issued; one credential per row\n"
    "      --hash-recipients write each email as a salted sha256 identity hash\n"
    "      --id-base URL     credential ids URL/<code>/<row> (default: random urn:uuid)\n"
    "      --schema FILE     validate against FILE instead of the bundled schema\n"
    "      --report FILE     write a JSON report: counts and every diagnostic\n"
    "      --progress, --no-progress\n"
    "                        force the progress bar on or off (default: on when stderr is a\n"
    "                        terminal and the input is larger than 8 MB)\n"
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

static int usage_error(const char *fmt, const char *arg)
{
    fputs("credconv: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" [usage]\nTry 'credconv --help'.\n", stderr);
    return 2;
}

static int print_formats(void)
{
    printf("%-8s %-5s %-5s %-8s %s\n", "NAME", "READ", "WRITE", "VALIDATE", "DESCRIPTION");
    for (const cc_format *const *f = cc_formats(); *f; f++)
        printf("%-8s %-5s %-5s %-8s %s\n", (*f)->name, (*f)->caps & CC_CAP_READ ? "yes" : "-",
               (*f)->caps & CC_CAP_WRITE ? "yes" : "-", (*f)->caps & CC_CAP_VALIDATE ? "yes" : "-",
               (*f)->description);
    return 0;
}

/* The bundled schemas: $CREDCONV_SCHEMAS, else beside the program (build tree), else
 * in ../share/credconv/schemas (installed). */
static const char *find_schema_dir(char *buf, size_t cap)
{
    const char *env = getenv("CREDCONV_SCHEMAS");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "schemas";
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    if (snprintf(buf, cap, "%s/schemas/rncp-4.1.xsd", exe) < (int)cap && access(buf, R_OK) == 0 &&
        snprintf(buf, cap, "%s/schemas", exe) < (int)cap)
        return buf;
    if (snprintf(buf, cap, "%s/../share/credconv/schemas", exe) >= (int)cap)
        return "schemas";
    return buf;
}

enum { OPT_SELECT = 256, OPT_ACTIVE, OPT_STRICT, OPT_SCHEMA, OPT_REPORT, OPT_PROGRESS,
       OPT_NO_PROGRESS, OPT_ISSUER, OPT_RECIPIENTS, OPT_HASH, OPT_ID_BASE };

static const struct option long_opts[] = {
    {"from", required_argument, NULL, 'f'},     {"to", required_argument, NULL, 't'},
    {"output", required_argument, NULL, 'o'},   {"output-dir", required_argument, NULL, 'O'},
    {"select", required_argument, NULL, OPT_SELECT},
    {"active-only", no_argument, NULL, OPT_ACTIVE}, {"strict", no_argument, NULL, OPT_STRICT},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"report", required_argument, NULL, OPT_REPORT},
    {"issuer", required_argument, NULL, OPT_ISSUER},
    {"recipients", required_argument, NULL, OPT_RECIPIENTS},
    {"hash-recipients", no_argument, NULL, OPT_HASH},
    {"id-base", required_argument, NULL, OPT_ID_BASE},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"quiet", no_argument, NULL, 'q'},          {"verbose", no_argument, NULL, 'v'},          {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0},
};

static int parse_format(const char *name, const cc_format **out)
{
    *out = cc_format_find(name);
    return *out ? 0 : usage_error("unknown format '%s' (see 'credconv formats')", name);
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(int argc, char **argv, cc_options *o)
{
    int c;
    while ((c = getopt_long(argc, argv, "f:t:o:O:qvhV", long_opts, NULL)) != -1) {
        switch (c) {
        case 'f': if (parse_format(optarg, &o->from)) return 2; break;
        case 't': if (parse_format(optarg, &o->to)) return 2; break;
        case 'o': o->out_file = optarg; break;
        case 'O': o->out_dir = optarg; break;
        case OPT_SELECT: o->selects[o->nselects++] = optarg; break;
        case OPT_ACTIVE: o->active_only = true; break;
        case OPT_STRICT: o->strict = true; break;
        case OPT_SCHEMA: o->schema = optarg; break;
        case OPT_REPORT: o->report_file = optarg; break;
        case OPT_ISSUER: o->issuer_file = optarg; break;
        case OPT_RECIPIENTS: o->recipients_file = optarg; break;
        case OPT_HASH: o->hash_recipients = true; break;
        case OPT_ID_BASE: o->id_base = optarg; break;
        case OPT_PROGRESS: o->progress = 1; break;
        case OPT_NO_PROGRESS: o->progress = 0; break;
        case 'q': o->quiet = true; break;
        case 'v': o->verbose = true; break;
        case 'h': fputs(usage_text, stdout); fputs(cc_sign_usage, stdout); return 0;
        case 'V': printf("credconv %s\n", CC_VERSION); return 0;
        default: fputs("Try 'credconv --help'.\n", stderr); return 2;
        }
    }
    return -1;
}

static int check_options(cc_options *o)
{
    if (o->cmd == CMD_CONVERT && !o->to)
        return usage_error("%sconvert needs -t FORMAT", "");
    if (o->cmd != CMD_CONVERT && (o->to || o->out_file || o->out_dir))
        return usage_error("%s-t, -o and -O go with convert", "");
    if (o->out_file && o->out_dir)
        return usage_error("%s-o and -O cannot be used together", "");
    if (o->to && !(o->to->caps & CC_CAP_WRITE))
        return usage_error("format '%s' cannot be written", o->to->name);
    if (o->cmd != CMD_CONVERT && (o->recipients_file || o->issuer_file))
        return usage_error("%s--recipients and --issuer go with convert", "");
    if (o->recipients_file && (o->nselects || o->active_only))
        return usage_error("%s--select and --active-only do not go with --recipients: the "
                           "recipients file says which achievements are awarded", "");
    if ((o->hash_recipients || o->id_base) && !o->recipients_file)
        return usage_error("%s--hash-recipients and --id-base go with --recipients", "");
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
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("credconv %s\n", CC_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "formats"))
        return print_formats();
    if (!strcmp(cmd, "sign") || !strcmp(cmd, "verify"))  /* converters/sign_cmd.c */
        return (cmd[0] == 's' ? cc_cmd_sign : cc_cmd_verify)(argc - 1, argv + 1);
    cc_options o = {.progress = -1};
    if (!strcmp(cmd, "convert")) o.cmd = CMD_CONVERT;
    else if (!strcmp(cmd, "validate")) o.cmd = CMD_VALIDATE;
    else if (!strcmp(cmd, "inspect")) o.cmd = CMD_INSPECT;
    else return usage_error("unknown command '%s'", cmd);

    o.selects = calloc((size_t)argc, sizeof *o.selects);
    if (!o.selects)
        return 2;
    int rc = parse_options(argc - 1, argv + 1, &o);
    if (rc < 0)
        rc = check_options(&o);
    if (rc < 0) {
        char dir[PATH_MAX];
        o.schema_dir = find_schema_dir(dir, sizeof dir);
        o.inputs = argv + 1 + optind;
        o.ninputs = (size_t)(argc - 1 - optind);
        xmlInitParser();
        /* Schema imports may name local files only: nothing reaches the network. */
        xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
        xmlSetGenericErrorFunc(NULL, quiet_libxml);
        rc = cc_run(&o);
        xmlCleanupParser();
    }
    free(o.selects);
    return rc;
}
