#include "credconv/credconv.h"

#include <stdlib.h>

void cc_vdiag(const cc_diag_sink *s, cc_severity sev, const char *file, long line, long col,
              const char *pointer, const char *record, const char *rule, const char *fmt,
              va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    cc_diag d = {sev, file, line, col, pointer, record, rule, buf};
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
