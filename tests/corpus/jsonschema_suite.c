/* Runs the JSON-Schema-Test-Suite (drafts 2019-09 and 2020-12) against the
   schemas/jsonschema engine.
   Usage: jsonschema_suite [SUITE_DIR] [-v]
   SUITE_DIR defaults to ../shared/corpus/json-schema-test-suite (relative to
   the project root). Exit status is non-zero when an in-scope required test
   fails; optional format tests are reported but never fail the run. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonschema.h"

#define DEFAULT_SUITE "../shared/corpus/json-schema-test-suite"
#define REMOTE_BASE "http://localhost:1234/"
#define TEST_SCHEMA_URI "https://cc-suite.invalid/test-schema.json"

/* Required test files whose keywords the engine implements. content.json,
   default.json and format.json test annotation-only keywords: passing them
   means the engine correctly does not assert. */
static const char *const required_in_scope[] = {
    "additionalItems.json",
    "additionalProperties.json",
    "allOf.json",
    "anchor.json",
    "anyOf.json",
    "boolean_schema.json",
    "const.json",
    "contains.json",
    "content.json",
    "default.json",
    "defs.json",
    "dependentRequired.json",
    "dependentSchemas.json",
    "dynamicRef.json",
    "enum.json",
    "exclusiveMaximum.json",
    "exclusiveMinimum.json",
    "format.json",
    "if-then-else.json",
    "infinite-loop-detection.json",
    "items.json",
    "maxContains.json",
    "maxItems.json",
    "maxLength.json",
    "maxProperties.json",
    "maximum.json",
    "minContains.json",
    "minItems.json",
    "minLength.json",
    "minProperties.json",
    "minimum.json",
    "multipleOf.json",
    "not.json",
    "oneOf.json",
    "pattern.json",
    "patternProperties.json",
    "prefixItems.json",
    "properties.json",
    "propertyNames.json",
    "recursiveRef.json",
    "ref.json",
    "refRemote.json",
    "required.json",
    "type.json",
    "unevaluatedItems.json",
    "unevaluatedProperties.json",
    "uniqueItems.json",
    "vocabulary.json",
};

/* Formats the engine checks when CC_SCHEMA_FORMAT_ASSERT is set. */
static const char *const format_in_scope[] = {
    "date.json",
    "date-time.json",
    "time.json",
    "duration.json",
    "email.json",
    "uri.json",
    "uri-reference.json",
    "uuid.json",
    "ipv4.json",
    "ipv6.json",
    "hostname.json",
    "iri.json",
    "iri-reference.json",
    "json-pointer.json",
    "relative-json-pointer.json",
    "regex.json",
    "uri-template.json",
    "unknown.json",
    "ecmascript-regex.json",
    "idn-hostname.json",
    "idn-email.json",
};

/* Other optional files (ECMA-262 regex details, big numbers, edge cases of
   identifiers): run for information, like the format tests. */
static const char *const optional_in_scope[] = {
    "anchor.json",
    "bignum.json",
    "cross-draft.json",
    "dependencies-compatibility.json",
    "dynamicRef.json",
    "ecmascript-regex.json",
    "float-overflow.json",
    "format-assertion.json",
    "id.json",
    "no-schema.json",
    "non-bmp-regex.json",
    "refOfUnknownKeyword.json",
    "unknownKeyword.json",
};

/* Individual groups that cannot run here, with the reason. */
static const struct {
    const char *file, *group, *reason;
} skipped_groups[] = {
    {.file = "ref.json", .group = "remote ref, containing refs itself",
     .reason = "needs the official draft meta-schema, which is not in the corpus"},
    {.file = "defs.json", .group = "validate definition against metaschema",
     .reason = "needs the official draft meta-schema, which is not in the corpus"},
};

typedef struct {
    size_t passed, failed, skipped;
} totals;

typedef struct {
    char *uri;
    json_t *doc;
} remote;

typedef struct {
    const char *suite;
    int verbose;
    remote *remotes;
    size_t nremotes, capremotes;
} runner;

static int in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name, list[i]))
            return 1;
    return 0;
}

static const char *group_skip_reason(const char *file, const char *group)
{
    for (size_t i = 0; i < sizeof skipped_groups / sizeof skipped_groups[0]; i++)
        if (!strcmp(file, skipped_groups[i].file) && !strcmp(group, skipped_groups[i].group))
            return skipped_groups[i].reason;
    return NULL;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the *.json files (or, with dirs, subdirectories) in dir. */
static char **list_dir(const char *dir, int dirs, size_t *count)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    *count = 0;
    if (!d)
        return NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.')
            continue;
        char *path = join(dir, e->d_name);
        int want =
            path && (dirs ? is_dir(path)
                          : len > 5 && !strcmp(e->d_name + len - 5, ".json") && !is_dir(path));
        free(path);
        if (!want)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, cmp_str);
    *count = n;
    return names;
}

static void free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- remotes ------------------------------------------------------------ */

static void add_remote(runner *r, const char *path, const char *rel)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!doc) {
        fprintf(stderr, "warning: %s: %s\n", path, jerr.text);
        return;
    }
    if (r->nremotes == r->capremotes) {
        r->capremotes = r->capremotes ? r->capremotes * 2 : 64;
        r->remotes = realloc(r->remotes, r->capremotes * sizeof *r->remotes);
        if (!r->remotes) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
    }
    size_t n = strlen(REMOTE_BASE) + strlen(rel) + 1;
    char *uri = malloc(n);
    if (!uri) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    snprintf(uri, n, "%s%s", REMOTE_BASE, rel);
    r->remotes[r->nremotes++] = (remote){.uri = uri, .doc = doc};
}

/* Loads every remotes/ document under http://localhost:1234/<relative path>. */
static void load_remotes(runner *r, const char *dir, const char *rel)
{
    size_t n;
    char **files = list_dir(dir, 0, &n);
    for (size_t i = 0; i < n; i++) {
        char *path = join(dir, files[i]);
        char *sub = *rel ? join(rel, files[i]) : strdup(files[i]);
        if (path && sub)
            add_remote(r, path, sub);
        free(path);
        free(sub);
    }
    free_list(files, n);
    char **dirs = list_dir(dir, 1, &n);
    for (size_t i = 0; i < n; i++) {
        char *path = join(dir, dirs[i]);
        char *sub = *rel ? join(rel, dirs[i]) : strdup(dirs[i]);
        if (path && sub)
            load_remotes(r, path, sub);
        free(path);
        free(sub);
    }
    free_list(dirs, n);
}

/* ---- running tests ------------------------------------------------------ */

typedef struct {
    int count;
    char first[512];
} errors;

static void on_error(void *ud, const char *ip, const char *kp, const char *msg)
{
    errors *e = ud;
    if (e->count++ == 0)
        snprintf(e->first, sizeof e->first, "%s at '%s' (%s)", msg, ip, kp);
}

static cc_schema_set *group_set(const runner *r, const char *draft, json_t *schema, char *err,
                                size_t errlen)
{
    cc_schema_set *set = cc_schema_set_new();
    if (!set) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    cc_schema_set_default_dialect(set, !strcmp(draft, "draft2019-09")
                                           ? "https://json-schema.org/draft/2019-09/schema"
                                           : "https://json-schema.org/draft/2020-12/schema");
    /* Remotes first: a custom "$schema" must be known when the test schema
       is added. */
    for (size_t i = 0; i < r->nremotes; i++)
        if (cc_schema_set_add(set, r->remotes[i].doc, r->remotes[i].uri, err, errlen) < 0)
            fprintf(stderr, "warning: remote %s: %s\n", r->remotes[i].uri, err);
    if (cc_schema_set_add(set, schema, TEST_SCHEMA_URI, err, errlen) < 0) {
        cc_schema_set_free(set);
        return NULL;
    }
    return set;
}

static void run_test(const runner *r, cc_schema_set *set, const char *file, const char *group,
                     json_t *test, int flags, totals *t)
{
    const char *desc = json_string_value(json_object_get(test, "description"));
    int valid = json_is_true(json_object_get(test, "valid"));
    errors e = {.count = 0, .first = ""};
    int rc = cc_schema_validate(set, TEST_SCHEMA_URI, json_object_get(test, "data"), flags,
                                on_error, &e);
    if (rc == (valid ? 0 : 1)) {
        t->passed++;
        return;
    }
    t->failed++;
    printf("FAIL %s: %s / %s\n", file, group, desc ? desc : "?");
    if (rc < 0 || r->verbose)
        printf("    expected %s, got %s%s%s\n", valid ? "valid" : "invalid",
               rc < 0 ? "error"
               : rc   ? "invalid"
                      : "valid",
               e.count ? ": " : "", e.first);
}

static void run_group(const runner *r, const char *draft, const char *file, const char *name,
                      json_t *g, int flags, totals *t)
{
    const char *group = json_string_value(json_object_get(g, "description"));
    json_t *tests = json_object_get(g, "tests");
    size_t ntests = json_array_size(tests);
    group = group ? group : "?";
    const char *reason = group_skip_reason(file, group);
    if (reason) {
        t->skipped += ntests;
        if (r->verbose)
            printf("SKIP %s: %s (%s)\n", name, group, reason);
        return;
    }
    char err[512];
    cc_schema_set *set = group_set(r, draft, json_object_get(g, "schema"), err, sizeof err);
    if (!set) {
        printf("FAIL %s: %s: schema rejected: %s\n", name, group, err);
        t->failed += ntests;
        return;
    }
    for (size_t i = 0; i < ntests; i++)
        run_test(r, set, name, group, json_array_get(tests, i), flags, t);
    cc_schema_set_free(set);
}

/* name: the file relative to the draft folder, as printed. */
static void run_file(const runner *r, const char *draft, const char *dir, const char *file,
                     const char *name, int flags, totals *sum)
{
    char *path = join(dir, file);
    json_error_t jerr;
    json_t *groups = path ? json_load_file(path, JSON_ALLOW_NUL, &jerr) : NULL;
    totals t = {.passed = 0, .failed = 0, .skipped = 0};
    if (!groups && path && !strcmp(jerr.text, "too big integer")) {
        /* jansson has no big integers; an application that needs them parses
           with JSON_DECODE_INT_AS_REAL, so test that route. */
        groups = json_load_file(path, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
        printf("NOTE %s: integers beyond 64 bits, loaded as doubles\n", name);
    }
    if (!json_is_array(groups)) {
        printf("FAIL %s: cannot load: %s\n", name, path ? jerr.text : "out of memory");
        t.failed = 1;
    }
    for (size_t i = 0; i < json_array_size(groups); i++)
        run_group(r, draft, file, name, json_array_get(groups, i), flags, &t);
    printf("%s/%s: %zu passed, %zu failed", draft, name, t.passed, t.failed);
    printf(t.skipped ? ", %zu skipped\n" : "\n", t.skipped);
    sum->passed += t.passed;
    sum->failed += t.failed;
    sum->skipped += t.skipped;
    json_decref(groups);
    free(path);
}

/* Counts the tests of a file that is out of scope. */
static size_t count_tests(const char *dir, const char *file)
{
    char *path = join(dir, file);
    /* INT_AS_REAL: out-of-scope files may hold integers jansson cannot parse */
    json_t *groups =
        path ? json_load_file(path, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, NULL) : NULL;
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(groups); i++)
        n += json_array_size(json_object_get(json_array_get(groups, i), "tests"));
    json_decref(groups);
    free(path);
    return n;
}

static totals run_section(const runner *r, const char *draft, const char *sub,
                          const char *const *scope, size_t nscope, int flags)
{
    totals sum = {.passed = 0, .failed = 0, .skipped = 0};
    char *dir = malloc(strlen(r->suite) + strlen(draft) + strlen(sub) + 16);
    if (!dir)
        return sum;
    sprintf(dir, "%s/tests/%s%s", r->suite, draft, sub);
    size_t n;
    char **files = list_dir(dir, 0, &n);
    for (size_t i = 0; i < n; i++) {
        char *name = *sub ? join(sub + 1, files[i]) : strdup(files[i]);
        if (!name)
            break;
        if (in_list(files[i], scope, nscope))
            run_file(r, draft, dir, files[i], name, flags, &sum);
        else {
            size_t k = count_tests(dir, files[i]);
            printf("%s/%s: %zu skipped (out of scope)\n", draft, name, k);
            sum.skipped += k;
        }
        free(name);
    }
    free_list(files, n);
    free(dir);
    return sum;
}

int main(int argc, char **argv)
{
    runner r = {.suite = DEFAULT_SUITE, .verbose = 0, .remotes = NULL, .nremotes = 0, .capremotes = 0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            r.verbose = 1;
        else
            r.suite = argv[i];
    }
    char *tests_dir = join(r.suite, "tests");
    if (!tests_dir || !is_dir(tests_dir)) {
        printf("SKIP: %s not found\n", r.suite);
        free(tests_dir);
        return 0;
    }
    free(tests_dir);
    char *remotes_dir = join(r.suite, "remotes");
    if (remotes_dir)
        load_remotes(&r, remotes_dir, "");
    free(remotes_dir);

    static const char *const drafts[] = {"draft2019-09", "draft2020-12"};
    totals req[2], fmt[2], opt[2];
    size_t nreq = sizeof required_in_scope / sizeof required_in_scope[0];
    size_t nfmt = sizeof format_in_scope / sizeof format_in_scope[0];
    size_t nopt = sizeof optional_in_scope / sizeof optional_in_scope[0];
    for (int d = 0; d < 2; d++) {
        req[d] = run_section(&r, drafts[d], "", required_in_scope, nreq, 0);
        fmt[d] = run_section(&r, drafts[d], "/optional/format", format_in_scope, nfmt,
                             CC_SCHEMA_FORMAT_ASSERT);
        opt[d] = run_section(&r, drafts[d], "/optional", optional_in_scope, nopt, 0);
    }
    int failed = 0;
    for (int d = 0; d < 2; d++) {
        printf("%s required: %zu passed, %zu failed, %zu skipped\n", drafts[d], req[d].passed,
               req[d].failed, req[d].skipped);
        printf("%s optional/format: %zu passed, %zu failed, %zu skipped\n", drafts[d],
               fmt[d].passed, fmt[d].failed, fmt[d].skipped);
        printf("%s optional/other: %zu passed, %zu failed, %zu skipped\n", drafts[d], opt[d].passed,
               opt[d].failed, opt[d].skipped);
        failed |= req[d].failed != 0;
    }
    for (size_t i = 0; i < r.nremotes; i++) {
        free(r.remotes[i].uri);
        json_decref(r.remotes[i].doc);
    }
    free(r.remotes);
    return failed;
}
