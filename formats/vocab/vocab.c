/* Vocabularies shared by several formats; see vocab.h. */
#include "vocab/vocab.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- European levels */

bool cc_vocab_eqf_uri(int level, char *out, size_t cap)
{
    if (level < 1 || level > 8)
        return false;
    int n = snprintf(out, cap, CC_VOCAB_EQF_BASE "%d", level);
    return n > 0 && (size_t)n < cap;
}

int cc_vocab_eqf_level(const char *uri)
{
    static const char *const bases[] = {CC_VOCAB_EQF_BASE, "https://data.europa.eu/snb/eqf/"};
    for (size_t i = 0; uri && i < sizeof bases / sizeof *bases; i++) {
        size_t n = strlen(bases[i]);
        if (!strncmp(uri, bases[i], n) && uri[n] >= '1' && uri[n] <= '8' && !uri[n + 1])
            return uri[n] - '0';
    }
    return 0;
}
