/* convert_verify: the credconv library in one program (docs/API.md walks through it).
 *
 *   convert_verify INPUT FORMAT OUT SIGNED [PUBLIC_KEY]
 *
 * 1. reads INPUT record by record and lists the records (cc_read_records);
 * 2. converts INPUT to FORMAT into OUT (cc_convert, as `credconv convert -t FORMAT`);
 * 3. verifies the signature of the document SIGNED (a VC-JWT, an OB 2.0 JWS, a credential
 *    with a Data Integrity proof, a baked badge or a sealed EDC document), with the issuer's
 *    PUBLIC_KEY when given (cc_verify_buffer, as `credconv verify`).
 * Exit status: 0 when the conversion and the verification both worked, else 1 (or 2).
 *
 * Build it against an installed credconv:
 *   cc convert_verify.c $(pkg-config --cflags --libs credconv) -o convert_verify
 */
#include <credconv/api.h>

#include <stdio.h>
#include <stdlib.h>

/* Every diagnostic of the library comes here: print it, and count the errors. */
static void on_diag(void *ud, const cc_diag *d)
{
    int *errors = ud;
    if (d->severity == CC_NOTE)
        return;  /* notes say what a conversion loses: not needed here */
    if (d->severity == CC_ERROR)
        (*errors)++;
    fprintf(stderr, "%s:%ld: %s: %s [%s]\n", d->file ? d->file : "-", d->line,
            d->severity == CC_ERROR ? "error" : "warning", d->message, d->rule ? d->rule : "");
}

/* Each record read: the sink owns it, so it frees it. */
static int on_record(void *ud, cc_record *r)
{
    long *n = ud;
    (*n)++;
    printf("read: %s (%s, line %ld)\n", cc_record_id(r),
           r->kind == CC_REC_ACHIEVEMENT ? "achievement" : "credential", r->src_line);
    cc_record_free(r);
    return 0;  /* go on */
}

static int on_reject(void *ud, const char *file, long line, const char *id)
{
    (void)ud;
    printf("rejected: %s:%ld %s\n", file, line, id ? id : "");
    return 0;
}

static int list_records(const char *input, const cc_diag_sink *diag)
{
    long n = 0;
    cc_record_sink sink = {.record = on_record, .reject = on_reject, .ud = &n};
    int rc = cc_read_records(input, NULL, NULL, false, &sink, diag);
    printf("read: %ld records\n", n);
    return rc;
}

static int convert(const char *input, const char *format, const char *out, const cc_diag_sink *diag)
{
    cc_result res = {0};
    const char *inputs[] = {input};
    cc_convert_opts o = {.to = format, .inputs = inputs, .ninputs = 1, .out_file = out,
                         .diag = diag, .result = &res};
    int rc = cc_convert(&o);
    printf("converted: %ld read, %ld written, %ld rejected (status %d)\n", res.read, res.written,
           res.rejected, rc);
    return rc;
}

/* The whole file in memory, as cc_verify_buffer takes it. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n = -1;
    if (fp && fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, fp) == (size_t)n) {
        buf[n] = '\0';
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    if (fp)
        fclose(fp);
    return buf;
}

static int verify(const char *signed_file, const char *key, const cc_diag_sink *diag)
{
    size_t len = 0;
    char *doc = slurp(signed_file, &len);
    if (!doc) {
        perror(signed_file);
        return CC_FAILED;
    }
    cc_verify_options o = {.key_file = key, .name = signed_file};
    cc_verify_result v;
    int rc = cc_verify_buffer(doc, len, &o, &v, diag);
    free(doc);
    if (v.status == 1)
        printf("verified: %s: valid: %s%s%s\n", v.kind, v.checked, v.bound ? "; key bound to the issuer: " : "",
               v.bound ? v.binding : "");
    else
        printf("verified: %s: %s (%s)\n", v.kind, v.status == 0 ? "INVALID" : "NOT CHECKED", v.reason);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: %s INPUT FORMAT OUT SIGNED [PUBLIC_KEY]\n", argv[0]);
        return 2;
    }
    if (cc_lib_init() != CC_OK)
        return 2;
    printf("credconv %s\n", cc_lib_version());
    int errors = 0;
    cc_diag_sink diag = {.emit = on_diag, .ud = &errors};
    int rc = list_records(argv[1], &diag);
    int c = convert(argv[1], argv[2], argv[3], &diag);
    int v = verify(argv[4], argc > 5 ? argv[5] : NULL, &diag);
    cc_lib_cleanup();
    printf("errors: %d\n", errors);
    rc = rc > c ? rc : c;
    return rc > v ? rc : v;
}
