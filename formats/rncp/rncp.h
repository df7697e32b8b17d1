/* Internal to the RNCP/RS format module. */
#ifndef CC_RNCP_H
#define CC_RNCP_H

#include "credconv/credconv.h"

/* Legacy (V2/V3) text: escaped HTML becomes plain text with line breaks.  Returns a new
 * arena string, or `s` itself when there is nothing to clean. */
const char *cc_rncp_clean_html(cc_arena *a, const char *s);
/* Trims XML white space at both ends, in place. */
char *cc_rncp_trim(char *s);
/* Splits a competence list into outcomes by the conventions of the reference (§5). */
void cc_rncp_split_outcomes(cc_arena *a, const char *text, cc_list *outcomes);

/* Elements whose "Oui"/"Non" is a boolean in the model. */
bool cc_rncp_is_bool_element(const char *name);

/* The writer (rncp_write.c), for the format descriptor in rncp_read.c. */
void *cc_rncp_writer_open(cc_write_ctx *ctx);
int cc_rncp_writer_record(void *w, const cc_record *r);
int cc_rncp_writer_close(void *w);
int cc_rncp_read(cc_read_ctx *ctx);  /* 0, 1 (a bad input) or 2 (I/O) */

#define CC_RNCP_PAGE "https://www.francecompetences.fr/recherche/"

#endif
