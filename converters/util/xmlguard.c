/* The XML pre-scan (see cc_xmlguard.h). */
#include "cc_xmlguard.h"

#include <string.h>
#include <strings.h>

enum { TEXT, LT, BANG, BANG_DASH, COMMENT, CDATA, PI, DECL, END_TAG, TAG, DQ, SQ };

/* The state after c in a comment, CDATA section or PI (each ends at its own "…>"). */
static int skipped(cc_xml_guard *g, int state, char c)
{
    char closer = state == COMMENT ? '-' : state == CDATA ? ']' : '?';
    int need = state == PI ? 1 : 2;
    if (c == '>' && g->run >= need)
        return TEXT;
    g->run = c == closer ? g->run + 1 : 0;
    return state;
}

static void trip(cc_xml_guard *g, const char *rule)
{
    g->tripped = true;
    g->rule = rule;
}

/* Inside a start tag: counts '=' (an attribute) and attributes named "xmlns" or
 * "xmlns:…" (a namespace declaration, "xmlns = …" with blanks too), both at the '='.
 * name_at follows the name being read: 0 at its start (after white space), 1..5 while it
 * matches "xmlns", 7 in "xmlns:…", 6 once such a name is followed by white space (its '='
 * may still come), -1 for any other name. */
static void name_byte(cc_xml_guard *g, char c)
{
    bool blank = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (c == '=')
        return;
    if (blank)
        g->name_at = g->name_at >= 5 ? 6 : 0;
    else if (g->name_at == 6)
        g->name_at = c == 'x' ? 1 : -1;  /* another attribute's name begins */
    else if (g->name_at >= 0 && g->name_at < 5)
        g->name_at = c == "xmlns"[g->name_at] ? g->name_at + 1 : -1;
    else if (g->name_at == 5)
        g->name_at = c == ':' ? 7 : -1;
}

static int in_tag(cc_xml_guard *g, char c)
{
    name_byte(g, c);
    if (c == '=') {
        g->nsdecl += g->name_at >= 5;
        g->name_at = -1;
        if (++g->attrs > g->max_attrs && g->max_attrs)
            trip(g, "xml-attributes");
        else if (g->max_nsdecl && g->nsdecl > g->max_nsdecl)
            trip(g, "xml-namespaces");
    }
    return c == '"' ? DQ : c == '\'' ? SQ : c == '>' ? TEXT : TAG;
}

static int step(cc_xml_guard *g, int state, char c)
{
    switch (state) {
    case TEXT:
        if (c == '<')
            g->tag_line = g->line, g->tag_offset = g->offset;
        return c == '<' ? LT : TEXT;
    case LT:
        g->run = 0;
        if (c == '!') return BANG;
        if (c == '?') return PI;
        if (c == '/') return END_TAG;
        g->attrs = 0;
        g->name_at = -1;  /* the element's name is not an attribute's */
        return c == '>' ? TEXT : TAG;
    case BANG: return c == '-' ? BANG_DASH : c == '[' ? CDATA : c == '>' ? TEXT : DECL;
    case BANG_DASH: return c == '-' ? COMMENT : c == '>' ? TEXT : DECL;
    case COMMENT: case CDATA: case PI: return skipped(g, state, c);
    case DECL: case END_TAG: return c == '>' ? TEXT : state;
    case DQ: return c == '"' ? TAG : DQ;
    case SQ: return c == '\'' ? TAG : SQ;
    default: return in_tag(g, c);
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

/* The XML declaration's encoding, once the first bytes are in (or the input is shorter). */
static void check_head(cc_xml_guard *g)
{
    g->head_done = true;
    const unsigned char *h = (const unsigned char *)g->head;
    if (g->head_n >= 4 && h[0] == 0x4C && h[1] == 0x6F && h[2] == 0xA7 && h[3] == 0x94) {
        trip(g, "xml-encoding");  /* "<?xm" in EBCDIC, which libxml2 detects */
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
        trip(g, "xml-encoding");
}

static void keep_head(cc_xml_guard *g, const char *buf, size_t len)
{
    size_t n = sizeof g->head - g->head_n;
    n = len < n ? len : n;
    memcpy(g->head + g->head_n, buf, n);
    g->head_n += n;
    if (g->head_n == sizeof g->head || memchr(g->head, '>', g->head_n) || !len)
        check_head(g);
}

/* The byte that ends a run of the state, for the states that look at no other byte (text,
 * a quoted value, an end tag, a declaration); 0 for the others. */
static char run_end(int state)
{
    switch (state) {
    case TEXT: return '<';
    case DQ: return '"';
    case SQ: return '\'';
    case DECL: case END_TAG: return '>';
    default: return 0;
    }
}

/* Moves the position past the n bytes at p: line, column and offset as the byte loop would. */
static void advance(cc_xml_guard *g, const char *p, size_t n)
{
    const char *last = NULL;
    for (const char *q = p, *e = p + n; (q = memchr(q, '\n', (size_t)(e - q))); q++)
        g->line++, last = q;
    g->col = last ? (long)(p + n - last - 1) : g->col + (long)n;
    g->offset += (long long)n;
}

/* Inside a start tag, in a name that cannot be "xmlns…" (name_at -1, the element's own name
 * too), only these bytes change anything: the bytes before the next of them are skipped. */
static size_t plain_name(const char *buf, size_t i, size_t len)
{
    static const unsigned char stops[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
                                             ['='] = 1, ['"'] = 1, ['\''] = 1, ['>'] = 1};
    size_t j = i;
    while (j < len && !stops[(unsigned char)buf[j]])
        j++;
    return j - i;
}

/* Most bytes are text or attribute values, where only the byte ending the run matters:
 * those runs are skipped with memchr and so are the names in start tags that
 * cannot be namespace declarations (the byte-by-byte loop was a fifth of rncp -> ob3). */
bool cc_xml_guard_feed(cc_xml_guard *g, const char *buf, size_t len)
{
    if (g->check_encoding && !g->head_done)
        keep_head(g, buf, len);
    int state = g->state;
    for (size_t i = 0; i < len && !g->tripped;) {
        char end = run_end(state);
        if (end && buf[i] != end) {
            const char *stop = memchr(buf + i, end, len - i);
            size_t n = stop ? (size_t)(stop - (buf + i)) : len - i;
            advance(g, buf + i, n);
            i += n;
            continue;
        }
        size_t plain = state == TAG && g->name_at == -1 ? plain_name(buf, i, len) : 0;
        if (plain) {
            g->offset += (long long)plain, g->col += (long)plain;  /* no newline in a name */
            i += plain;
            continue;
        }
        state = step(g, state, buf[i]);
        g->offset++;
        g->line += buf[i] == '\n';
        g->col = buf[i] == '\n' ? 0 : g->col + 1;
        i++;
    }
    g->state = state;
    if (g->tripped && !strcmp(g->rule, "xml-encoding"))
        g->tag_line = 1, g->tag_offset = 0;
    return !g->tripped;
}

bool cc_xml_guard_in_markup(const cc_xml_guard *g)
{
    return g->state != TEXT;
}
