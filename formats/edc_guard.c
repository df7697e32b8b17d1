/* The attribute-count pre-scan of EDC XML (see edc_guard.h).  It only has to find where
 * start tags are: comments, CDATA sections, PIs, declarations and quoted attribute values
 * are skipped, the '=' of each attribute is counted.  Well-formedness is libxml2's job: on
 * a malformed input the count may be off, and libxml2 then refuses the input anyway. */
#include "edc_guard.h"

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
        if (c == '=' && ++g->attrs > EDC_MAX_ATTRIBUTES)
            g->tripped = true;
        return c == '"' ? DQ : c == '\'' ? SQ : c == '>' ? TEXT : TAG;
    }
}

bool edc_guard_feed(edc_guard *g, const char *buf, size_t len)
{
    int state = g->state;
    for (size_t i = 0; i < len && !g->tripped; i++) {
        state = step(g, state, buf[i]);
        g->line += buf[i] == '\n';
    }
    g->state = state;
    return !g->tripped;
}

