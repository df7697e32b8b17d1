/* Format "moodle": Moodle competency frameworks as CSV (admin tool tool_lpimportcsv).  This
 * file holds the descriptor and what the reader and the writer share. */
#include "moodle/moodle.h"

#include <string.h>
#include <strings.h>

const char *const cc_moodle_columns[MOODLE_NCOLS] = {
    "Parent id number", "Id number", "Shortname", "Description", "Description format",
    "Scale values", "Scale configuration", "Rule type (optional)", "Rule outcome (optional)",
    "Rule config (optional)", "Cross referenced competency id numbers",
    "Exported id (optional)", "Is framework", "Taxonomy",
};

char *cc_moodle_outcome_id(cc_arena *a, const char *parent, int n)
{
    return cc_sprintf(a, "%s.%d", parent ? parent : "", n);
}

bool cc_moodle_is_outcome_id(const char *id, const char *parent)
{
    size_t n = parent ? strlen(parent) : 0;
    if (!id || !n || strncmp(id, parent, n) != 0 || id[n] != '.' || !id[n + 1])
        return false;
    return strspn(id + n + 1, "0123456789") == strlen(id + n + 1);
}

const char *cc_moodle_shortname(cc_arena *a, const char *s)
{
    size_t chars = 0, i = 0;
    while (s[i] && chars < MOODLE_SHORTNAME_MAX) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    return s[i] ? cc_strndup(a, s, i) : s;
}

void cc_moodle_field(FILE *out, const char *s, bool last)
{
    s = s ? s : "";
    if (strpbrk(s, ", \t\r\n\"")) {
        putc('"', out);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putc('"', out);
            putc(*p, out);
        }
        putc('"', out);
    } else {
        fputs(s, out);
    }
    putc(last ? '\n' : ',', out);
}

/* The header Moodle writes: its first column name, quoted or not. */
static int moodle_bid(const unsigned char *buf, size_t len)
{
    const char *h = "Parent id number";
    size_t n = strlen(h), i = buf && len && buf[0] == '"' ? 1 : 0;
    if (len < i + n || strncasecmp((const char *)buf + i, h, n) != 0)
        return 0;
    return memmem(buf, len, "Is framework", 12) ? 95 : 60;
}

const cc_format cc_format_moodle = {
    .name = "moodle",
    .description = "Moodle competency framework CSV (tool_lpimportcsv): a fiche, its blocks "
                   "and their learning outcomes",
    .extension = "csv",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE,
    .bid = moodle_bid,
    .read = cc_moodle_read,
    .writer_open = cc_moodle_writer_open,
    .writer_record = cc_moodle_writer_record,
    .writer_close = cc_moodle_writer_close,
};
