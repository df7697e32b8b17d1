#include "credconv.h"

#include <stdlib.h>

void cc_diagf(const cc_diag_sink *s, cc_severity sev, const char *file, long line, long col,
              const char *record, const char *rule, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cc_diag d = {sev, file, line, col, NULL, record, rule, buf};
    if (s && s->emit)
        s->emit(s->ud, &d);
}
