/* The pipeline's outputs: the one writer of a run, or one file per record (-O DIR) with
 * names unique in the run, baked images beside them. */
#include "cc_jsonread.h"
#include "cc_jws.h"
#include "pipeline_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ output */

/* A file name from a record id: letters, digits, '-', '_' and '.' only, never starting
 * with '.', so no id can reach outside the output folder.  An id too long for a name keeps
 * its first 80 characters and gets the name-based UUID of the whole id: two long ids that
 * share a start still get two names, the same ones on every run.  cap >= 160. */
static void safe_name(const char *id, long index, char *out, size_t cap)
{
    size_t n = 0;
    const char *p = id ? id : "";
    for (; *p && n + 1 < cap && n < 120; p++) {
        unsigned char c = (unsigned char)*p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && n > 0);
        out[n++] = ok ? (char)c : '_';
    }
    out[n] = '\0';
    if (*p) {
        char u[37];
        cc_uuid5_url(id, u);
        snprintf(out + 80, cap - 80, "-%s", u);
    }
    if (n == 0 || strspn(out, "_") == n)
        snprintf(out, cap, "record-%ld", index);
}

/* The id a -O file is named after: under --id-base, its place under the base (a credential
 * BASE/<uuid> is <uuid>.json), as linked documents are named. */
static const char *name_id(const run *r, const char *id)
{
    size_t n = r->o->id_base ? strlen(r->o->id_base) : 0;
    if (n && id && strncmp(id, r->o->id_base, n) == 0 && id[n + (id[n] == '/')])
        return id + n + (id[n] == '/');
    return id;
}

/* The names -O has written in this run: an open-addressing set, as a national export
 * gives tens of thousands of files. */
static bool name_taken(const run *r, const char *name)
{
    if (!r->name_cap)
        return false;
    for (size_t i = cc_hash_str(name) & (r->name_cap - 1); r->names[i]; i = (i + 1) & (r->name_cap - 1))
        if (strcmp(r->names[i], name) == 0)
            return true;
    return false;
}

/* gcc 12's -fanalyzer loses the name once it is in r->names (a false "leak": the run
 * frees every name at its end), so its leak check is off for this function (make analyze). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static void remember_name(run *r, const char *name)
{
    if (2 * (r->nnames + 1) > r->name_cap) {
        size_t cap = r->name_cap ? 2 * r->name_cap : 1024;
        char **t = calloc(cap, sizeof *t);
        if (!t)
            return;
        for (size_t i = 0; i < r->name_cap; i++) {
            if (!r->names[i])
                continue;
            size_t j = cc_hash_str(r->names[i]) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = r->names[i];
        }
        free(r->names);
        r->names = t;
        r->name_cap = cap;
    }
    size_t i = cc_hash_str(name) & (r->name_cap - 1);
    while (r->names[i])
        i = (i + 1) & (r->name_cap - 1);
    if ((r->names[i] = strdup(name)) != NULL)
        r->nnames++;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* convert --bake: the badge just written, baked into a copy of the image beside it. */
static int bake_beside(run *r, const char *written, const char *base)
{
    const char *dot = strrchr(r->o->bake_image, '.');
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", r->o->out_dir, base,
             dot && strcasecmp(dot, ".svg") == 0 ? "svg" : "png");
    int rc = cc_bake_file(r->o->bake_image, written, path, &r->diag);
    if (rc == 2)
        r->io_error = 1;
    return rc;
}

/* A document a record links to, in a file of its own beside the record's, written once
 * per run whatever the number of records linking to it. */
static int write_sibling(void *ud, const char *id, const char *data, size_t len)
{
    run *r = ud;
    char name[200], path[4096];
    safe_name(name_id(r, id), 0, name, sizeof name);
    if (name_taken(r, name))
        return 0;
    snprintf(path, sizeof path, "%s/%s", r->o->out_dir, name);
    cc_outfile of;
    if (cc_outfile_open(&of, path) != 0)
        return -1;
    if (fwrite(data, 1, len, of.fp) != len || cc_outfile_commit(&of) != 0) {
        if (of.fp)
            cc_outfile_abort(&of);
        return -1;
    }
    remember_name(r, name);
    return 0;
}

/* The output failed: the first reason is kept for the summary and the report. */
void cc_pl_output_failed(run *r, const char *path, const char *what, int err)
{
    if (!*r->output_error)
        snprintf(r->output_error, sizeof r->output_error, "%s %.160s: %.60s", what, path, strerror(err));
    r->io_error = 1;
}

static int write_one_file(run *r, const cc_record *rec)
{
    char base[160], path[4096];
    safe_name(name_id(r, cc_record_id(rec)), rec->src_index, base, sizeof base);
    char name[200];
    const char *ext = r->signer ? cc_signer_extension(r->signer) : r->writer_fmt->extension;
    snprintf(name, sizeof name, "%s.%s", base, ext);
    for (int i = 2; name_taken(r, name); i++)  /* two records, one id: keep both */
        snprintf(name, sizeof name, "%s-%d.%s", base, i, ext);
    snprintf(path, sizeof path, "%s/%s", r->o->out_dir, name);
    cc_outfile of;
    if (cc_outfile_open(&of, path) != 0) {
        int e = errno;
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot create: %s", strerror(e));
        cc_pl_output_failed(r, path, "cannot create", e);
        return 2;
    }
    cc_write_ctx wc = {.out = of.fp, .diag = &r->diag, .records_in_output = 1, .id_base = r->o->id_base, .sibling = r->o->id_base ? write_sibling : NULL, .sibling_ud = r, .check = r->o->write_check,
                       .case_version = r->o->case_version};
    void *w = r->signer ? NULL : r->writer_fmt->writer_open(&wc);
    int rc = r->signer ? cc_signer_record(r->signer, rec, &r->diag, of.fp) : w ? r->writer_fmt->writer_record(w, rec) : 2;
    int crc = r->signer ? 0 : w ? r->writer_fmt->writer_close(w) : 2;
    if (rc == 0 && crc == 0 && cc_outfile_commit(&of) == 0) {
        remember_name(r, name);
        return r->o->bake_image ? bake_beside(r, path, base) : 0;
    }
    if (of.fp)
        cc_outfile_abort(&of);
    if (rc != 1) {
        int e = errno;
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot write: %s", strerror(e));
        cc_pl_output_failed(r, path, "cannot write", e);
        return 2;
    }
    return 1;
}

/* Standard output cannot be taken back, so a record counts as written there only once its
 * bytes are handed to the system: flushed after each record, a failing write (a full disk, a
 * closed pipe) leaves the counts exact. */
static int write_record_now(run *r, const cc_record *rec);

int cc_pl_write_record(run *r, const cc_record *rec)
{
    r->writing = rec;
    int rc = write_record_now(r, rec);
    r->writing = NULL;
    return rc;
}

static int write_record_now(run *r, const cc_record *rec)
{
    if (r->o->out_dir && !r->grouped)
        return write_one_file(r, rec);
    int rc = r->signer ? cc_signer_record(r->signer, rec, &r->diag, r->out_fp)
                       : r->writer_fmt->writer_record(r->writer, rec);
    if (rc == 0 && !r->o->out_file && fflush(r->out_fp) != 0)
        rc = 2;
    if (rc == 2) {
        int e = errno;
        const char *path = r->o->out_file ? r->o->out_file : "<stdout>";
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, cc_record_id(rec), "io", "write error: %s", strerror(e));
        cc_pl_output_failed(r, path, "cannot write", e);
    }
    return rc;
}


/* ------------------------------------------------------------ grouped output (-O) */

/* The id a grouped document is named after: its "id", or a token's payload's. */
static char *document_id(const char *line, size_t n)
{
    size_t plen = 0;
    char *payload = line[0] == '{' ? NULL : cc_jws_payload(line, n, &plen);
    json_t *doc = payload ? cc_json_loadb(payload, plen, 0, NULL) : cc_json_loadb(line, n, 0, NULL);
    free(payload);
    const char *id = json_string_value(json_object_get(doc, "id"));
    char *copy = id ? strdup(id) : NULL;
    json_decref(doc);
    return copy;
}

static int write_split_file(run *r, const char *line, size_t n, long index)
{
    char base[160], name[200], path[4096];
    char *id = document_id(line, n);
    safe_name(name_id(r, id), index, base, sizeof base);
    free(id);
    const char *ext = r->signer ? cc_signer_extension(r->signer) : r->writer_fmt->extension;
    snprintf(name, sizeof name, "%s.%s", base, ext);
    for (int i = 2; name_taken(r, name); i++)
        snprintf(name, sizeof name, "%s-%d.%s", base, i, ext);
    snprintf(path, sizeof path, "%s/%s", r->o->out_dir, name);
    cc_outfile of;
    if (cc_outfile_open(&of, path) != 0 || fwrite(line, 1, n, of.fp) != n || putc('\n', of.fp) == EOF ||
        cc_outfile_commit(&of) != 0) {
        int e = errno;
        if (of.fp)
            cc_outfile_abort(&of);
        cc_diagf(&r->diag, CC_ERROR, path, 0, 0, NULL, "io", "cannot write: %s", strerror(e));
        cc_pl_output_failed(r, path, "cannot write", e);
        return 2;
    }
    remember_name(r, name);
    return r->o->bake_image ? bake_beside(r, path, base) : 0;
}

void cc_pl_split_output(run *r)
{
    fclose(r->out_fp);
    r->out_fp = NULL;
    long index = 0;
    for (size_t at = 0; !r->io_error && at < r->group_len;) {
        const char *nl = memchr(r->group_buf + at, '\n', r->group_len - at);
        size_t n = nl ? (size_t)(nl - (r->group_buf + at)) : r->group_len - at;
        if (n)
            write_split_file(r, r->group_buf + at, n, ++index);
        at += n + 1;
    }
    free(r->group_buf);
    r->group_buf = NULL;
}
