/* Internal to the Moodle format module (moodle.c, moodle_read.c, moodle_write.c): the
 * competency framework CSV of Moodle's admin tool tool_lpimportcsv.  The mapping is
 * documented in docs/mapping.md, "Moodle". */
#ifndef CC_MOODLE_H
#define CC_MOODLE_H

#include "credconv.h"

/* The columns, in the order Moodle writes them (its fixture example.csv). */
enum {
    MOODLE_PARENT, MOODLE_IDNUMBER, MOODLE_SHORTNAME, MOODLE_DESCRIPTION, MOODLE_DESCFORMAT,
    MOODLE_SCALEVALUES, MOODLE_SCALECONFIG, MOODLE_RULETYPE, MOODLE_RULEOUTCOME,
    MOODLE_RULECONFIG, MOODLE_CROSSREF, MOODLE_EXPORTID, MOODLE_ISFRAMEWORK, MOODLE_TAXONOMY,
    MOODLE_NCOLS
};
extern const char *const cc_moodle_columns[MOODLE_NCOLS];

/* What credconv writes when the record kept nothing else (moodle:scale, moodle:taxonomy). */
#define MOODLE_DEFAULT_SCALE_VALUES "Non acquis,Acquis"
#define MOODLE_DEFAULT_SCALE_CONFIG "[{\"scaleid\":\"2\"},{\"id\":2,\"scaledefault\":1,\"proficient\":1}]"
/* One term per level: blocks, competences, sub-skills, deeper parts. */
#define MOODLE_DEFAULT_TAXONOMY "domain,competency,skill,skill"
/* Moodle's competency and framework short names hold 100 characters. */
#define MOODLE_SHORTNAME_MAX 100

/* The short name written for a text: its first MOODLE_SHORTNAME_MAX characters (UTF-8). */
const char *cc_moodle_shortname(cc_arena *a, const char *s);

/* The id number of the n-th (1-based) outcome under a node whose id number is `parent`:
 * the same "<parent>.<n>" as a CASE humanCodingScheme. */
char *cc_moodle_outcome_id(cc_arena *a, const char *parent, int n);
/* Whether id is "<parent>.<digits>". */
bool cc_moodle_is_outcome_id(const char *id, const char *parent);

/* A CSV field as PHP's fputcsv writes it (Moodle's export): quoted when it holds a comma, a
 * quote, a space, a tab or a line end, quotes doubled. */
void cc_moodle_field(FILE *out, const char *s, bool last);

int cc_moodle_read(cc_read_ctx *ctx);
void *cc_moodle_writer_open(cc_write_ctx *ctx);
int cc_moodle_writer_record(void *w, const cc_record *r);
int cc_moodle_writer_close(void *w);

#endif
