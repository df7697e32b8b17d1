#include "cc_xmlw.h"

#include <string.h>

void cc_xml_escape(FILE *out, const char *s, bool attribute)
{
    const char *run = s;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *rep = NULL;
        if (c == '&') rep = "&amp;";
        else if (c == '<') rep = "&lt;";
        else if (c == '>') rep = "&gt;";
        else if (c == '"' && attribute) rep = "&quot;";
        else if (c == '\r') rep = "&#13;";
        else if (c < 0x20 && c != '\t' && c != '\n') rep = "\xEF\xBF\xBD";
        if (!rep)
            continue;
        fwrite(run, 1, (size_t)(s - run), out);  /* plain text goes out in runs */
        fputs(rep, out);
        run = s + 1;
    }
    if (s)
        fwrite(run, 1, (size_t)(s - run), out);
}

void cc_xml_indent(FILE *out, int n)
{
    static const char spaces[] = "                                                                ";
    for (; n > 0; n -= (int)sizeof spaces - 1)
        fwrite(spaces, 1, n < (int)sizeof spaces - 1 ? (size_t)n : sizeof spaces - 1, out);
}
