/* The attribute-count pre-scan of EDC XML (see edc_guard.h).  It only has to find where
 * start tags are: comments, CDATA sections, PIs, declarations and quoted attribute values
 * are skipped, the '=' of each attribute is counted.  Well-formedness is libxml2's job: on
 * a malformed input the count may be off, and libxml2 then refuses the input anyway. */
#include "edc_guard.h"

#include <string.h>
#include <strings.h>

enum { TEXT, LT, BANG, BANG_DASH, COMMENT, CDATA, PI, DECL, END_TAG, TAG, DQ, SQ };

/* The state after c in a comment, CDATA section or PI (each ends at its own "…>"). */
static int skipped(edc_guard *g, int state, char c)
{
    char closer = state == COMMENT ? '-' : state == CDATA ? ']' : '?';
    int need = state == PI ? 1 : 2;
    if (c == '>' && g->run >= need)
        return TEXT;
    g->run = c == closer ? g->run + 1 : 0;
    return state;
}

static int step(edc_guard *g, int state, char c)
{
    switch (state) {
    case TEXT: return c == '<' ? LT : TEXT;
    case LT:
        g->run = 0;
        if (c == '!') return BANG;
        if (c == '?') return PI;
        if (c == '/') return END_TAG;
        g->attrs = 0;
        g->tag_line = g->line;
        return TAG;
    case BANG: return c == '-' ? BANG_DASH : c == '[' ? CDATA : c == '>' ? TEXT : DECL;
    case BANG_DASH: return c == '-' ? COMMENT : c == '>' ? TEXT : DECL;
    case COMMENT: case CDATA: case PI: return skipped(g, state, c);
    case DECL: case END_TAG: return c == '>' ? TEXT : state;
    case DQ: return c == '"' ? TAG : DQ;
    case SQ: return c == '\'' ? TAG : SQ;
    default:  /* TAG */
        if (c == '=' && ++g->attrs > EDC_MAX_ATTRIBUTES) {
            g->tripped = true;
            g->rule = "xml-attributes";
            g->why = "an element has more than 256 attributes (namespace declarations included): "
                     "refused before parsing (no EDC element needs more)";
        }
        return c == '"' ? DQ : c == '\'' ? SQ : c == '>' ? TEXT : TAG;
    }
}

/* Encodings in which '<', '=', quotes and '>' are the ASCII bytes (UTF-16 and UCS-4 too:
 * the other bytes of a character are zeros, which the scan ignores). */
static bool ascii_compatible(const char *enc, size_t n)
{
    static const char *const ok[] = {"UTF-8", "UTF8", "UTF-16", "UTF16", "UTF-16LE", "UTF-16BE",
                                     "US-ASCII", "ASCII", "LATIN1", "ISO-8859-", "WINDOWS-125",
                                     "CP125", NULL};
    for (const char *const *o = ok; *o; o++) {
        size_t l = strlen(*o);
        if (n >= l && !strncasecmp(enc, *o, l) && (n == l || (*o)[l - 1] == '-' || (*o)[l - 1] == '5'))
            return true;
    }
    return false;
}

static void refuse_encoding(edc_guard *g)
{
    g->tripped = true;
    g->rule = "xml-encoding";
    g->tag_line = 1;
    g->why = "the document is in an encoding credconv does not read for EDC (UTF-8, UTF-16, "
             "US-ASCII, ISO-8859-n and windows-125n are read; EBCDIC is not)";
}

/* The XML declaration's encoding, once the first bytes are in (or the input is shorter). */
static void check_head(edc_guard *g)
{
    g->head_done = true;
    const unsigned char *h = (const unsigned char *)g->head;
    if (g->head_n >= 4 && h[0] == 0x4C && h[1] == 0x6F && h[2] == 0xA7 && h[3] == 0x94) {
        refuse_encoding(g);  /* "<?xm" in EBCDIC, which libxml2 detects */
        return;
    }
    size_t skip = g->head_n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF ? 3 : 0;
    const char *d = g->head + skip, *end = memchr(d, '>', g->head_n - skip);
    if (g->head_n - skip < 5 || strncmp(d, "<?xml", 5) || !end)
        return;
    const char *e = memmem(d, (size_t)(end - d), "encoding", 8);
    const char *q = e ? e + 8 + strspn(e + 8, " \t\r\n=") : NULL;
    if (!q || q >= end || (*q != '"' && *q != '\''))
        return;
    const char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
    if (!close || !ascii_compatible(q + 1, (size_t)(close - q - 1)))
        refuse_encoding(g);
}

static void keep_head(edc_guard *g, const char *buf, size_t len)
{
    size_t n = sizeof g->head - g->head_n;
    n = len < n ? len : n;
    memcpy(g->head + g->head_n, buf, n);
    g->head_n += n;
    if (g->head_n == sizeof g->head || memchr(g->head, '>', g->head_n) || !len)
        check_head(g);
}

bool edc_guard_feed(edc_guard *g, const char *buf, size_t len)
{
    if (!g->head_done)
        keep_head(g, buf, len);
    int state = g->state;
    for (size_t i = 0; i < len && !g->tripped; i++) {
        state = step(g, state, buf[i]);
        g->line += buf[i] == '\n';
    }
    g->state = state;
    return !g->tripped;
}

