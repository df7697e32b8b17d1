/* The one form of a lossy-mapping note: "loss: FIELD not expressible in TARGET" (rule
 * "loss", shown with -v, kept by --report), for every writer. */
#ifndef CC_LOSS_H
#define CC_LOSS_H

#include "credconv/credconv.h"

#include <stdarg.h>

void cc_vloss(const cc_diag_sink *diag, const char *record, const char *target, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* A writer's reason to reject the record it is writing, into *slot: the first reason given
 * is kept (the one the diagnostic names; later ones follow from it).  For every writer. */
void cc_reject_reason(const char **slot, const char *why);

#endif
