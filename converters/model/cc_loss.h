/* Diagnostics helpers shared by the writers and the pipeline.  The one form of a
 * lossy-mapping note: "loss: FIELD not expressible in TARGET" (rule "loss", shown with -v,
 * kept by --report), for every writer. */
#ifndef CC_LOSS_H
#define CC_LOSS_H

#include "credconv/credconv.h"

#include <stdarg.h>

void cc_vloss(const cc_diag_sink *diag, const char *record, const char *target, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* A writer's reason to reject the record it is writing, into *slot: the first reason given
 * is kept (the one the diagnostic names; later ones follow from it).  For every writer. */
void cc_reject_reason(const char **slot, const char *why);

/* A diagnostic kept past its emit call (--report, --jobs): d with its strings copied into
 * one allocation, *strs, which the caller frees. */
cc_diag cc_diag_keep(const cc_diag *d, char **strs);

#endif
