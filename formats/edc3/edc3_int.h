/* Internal to the EDC 3 writer (edc3_write.c, edc3_display.c). */
#ifndef CC_EDC3_INT_H
#define CC_EDC3_INT_H

#include "edc3/edc3.h"

typedef struct wr {
    cc_arena *a;                  /* derived strings of the record being written */
    const cc_diag_sink *diag;
    const char *rec;              /* the record's id, for diagnostics */
    const char *lang;             /* the document's language: language maps' default key */
    const char *reject;           /* why the record cannot be written (the first reason) */
    edc3_form form;
    int ids;                      /* node ids made so far */
    bool has_rest;                /* a credential read from EDC 3: what the writer would make
                                   * up (an image, a title the model has not) comes back from
                                   * the rest instead */
} wr;

json_t *cc_edc3w_langmap(wr *w, const cc_list *l);      /* NULL for an empty list */
json_t *cc_edc3w_concept(const char *id, const char *scheme, const char *label_lang,
                         const char *label);
json_t *cc_edc3w_language(const char *lang2);
json_t *cc_edc3w_org(wr *w, const cc_org *o);

/* A MediaObject from a data: URI (base64, PNG / JPEG / SVG); NULL for anything else. */
json_t *cc_edc3w_media(wr *w, const char *data_uri);
/* The DisplayParameter's one page: an SVG that shows the credential's title, holder,
 * issuer and date (the EC issuer renders a picture of the credential for this slot). */
json_t *cc_edc3w_display_image(wr *w, const char *title, const char *holder,
                               const char *issuer, const char *date);

/* Merges `rest` (what a credential read from EDC 3 kept) under `built`, in place: members
 * only rest has are added; objects and arrays (by position) merged; otherwise built wins,
 * except an `id`, where rest's wins (the node ids the model did not keep) and `type`, which
 * built always gives. */
void cc_edc3w_merge(json_t *built, const json_t *rest);

#endif
