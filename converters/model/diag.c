#include "cc_loss.h"
#include "credconv/credconv.h"

#include <stdlib.h>
#include <string.h>

const char *cc_severity_name(cc_severity s)
{
    return s == CC_ERROR ? "error" : s == CC_WARNING ? "warning" : "note";
}

/* The one printed form of a diagnostic, for every command:
 *   file:line:col: severity: record: message (at /json/pointer) [rule]  */
void cc_diag_print(FILE *f, const cc_diag *d)
{
    fprintf(f, "%s", d->file ? d->file : "credconv");
    if (d->line > 0)
        fprintf(f, ":%ld", d->line);
    if (d->line > 0 && d->col > 0)
        fprintf(f, ":%ld", d->col);
    fprintf(f, ": %s: ", cc_severity_name(d->severity));
    if (d->record)
        fprintf(f, "%s: ", d->record);
    fputs(d->message, f);
    if (d->pointer)
        fprintf(f, " (at %s)", *d->pointer ? d->pointer : "/");
    if (d->rule)
        fprintf(f, " [%s]", d->rule);
    fputc('\n', f);
}

void cc_vdiag(const cc_diag_sink *s, cc_severity sev, const char *file, long line, long col,
              const char *pointer, const char *record, const char *rule, const char *fmt,
              va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    cc_diag d = {.severity = sev, .file = file, .line = line, .col = col, .pointer = pointer,
                 .record = record, .rule = rule, .message = buf};
    if (s && s->emit)
        s->emit(s->ud, &d);
}

void cc_diagf(const cc_diag_sink *s, cc_severity sev, const char *file, long line, long col,
              const char *record, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(s, sev, file, line, col, NULL, record, rule, fmt, ap);
    va_end(ap);
}

void cc_diagp(const cc_diag_sink *s, cc_severity sev, const char *file, long line,
              const char *pointer, const char *record, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(s, sev, file, line, 0, pointer, record, rule, fmt, ap);
    va_end(ap);
}

void cc_vloss(const cc_diag_sink *diag, const char *record, const char *target, const char *fmt, va_list ap)
{
    char field[256];
    vsnprintf(field, sizeof field, fmt, ap);
    cc_diagf(diag, CC_NOTE, NULL, 0, 0, record, "loss", "loss: %s not expressible in %s", field, target);
}

void cc_reject_reason(const char **slot, const char *why)
{
    if (!*slot)
        *slot = why;
}

cc_diag cc_diag_keep(const cc_diag *d, char **strs)
{
    const char *parts[5] = {d->file, d->pointer, d->record, d->rule, d->message};
    size_t len = 0;
    for (int i = 0; i < 5; i++)
        len += parts[i] ? strlen(parts[i]) + 1 : 0;
    char *p = malloc(len ? len : 1);
    if (!p)
        cc_oom();
    *strs = p;
    cc_diag k = *d;
    const char **dst[5] = {&k.file, &k.pointer, &k.record, &k.rule, &k.message};
    for (int i = 0; i < 5; i++) {
        *dst[i] = parts[i] ? strcpy(p, parts[i]) : NULL;
        p += parts[i] ? strlen(parts[i]) + 1 : 0;
    }
    return k;
}
