/* Vocabularies shared by several formats; see vocab.h. */
#include "vocab/vocab.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* ---------------------------------------------------------------- LOQ / French NQF */

static const struct {
    const char *uri, *label;
} fr_nqf[] = {
    {CC_VOCAB_QDR_BASE "c_d7cce980", "NQF RNCP Level V"},
    {CC_VOCAB_QDR_BASE "c_40020d69", "NQF RNCP Level IV"},
    {CC_VOCAB_QDR_BASE "c_243aefbe", "NQF RNCP Level III"},
    {CC_VOCAB_QDR_BASE "c_5ad5d222", "NQF RNCP Level II-Grade de Licence"},
    {CC_VOCAB_QDR_BASE "c_828fbcc3", "NQF RNCP Level I-Master"},
    {CC_VOCAB_QDR_BASE "c_7ab73420", "NQF RNCP Level I-Doctorat"},
};

const char *cc_vocab_fr_nqf_concept(int level, const char **label)
{
    if (level < 3 || level > 8)
        return NULL;
    if (label)
        *label = fr_nqf[level - 3].label;
    return fr_nqf[level - 3].uri;
}

int cc_vocab_fr_nqf_level(const char *uri)
{
    for (int i = 0; uri && i < 6; i++)
        if (!strcmp(uri, fr_nqf[i].uri))
            return i + 3;
    return 0;
}

/* ISO 639-1 tag and the authority code, 5 characters each. */
static const char lang_pairs[] =
    "bgBULcsCESdaDANdeDEUelELLenENGesSPAetESTfiFINfrFRAgaGLEhrHRVhuHUNitITAltLIT"
    "lvLAVmtMLTnlNLDplPOLptPORroRONskSLKslSLVsvSWEisISLnoNORtrTURmkMKDsrSRPcaCAT"
    "euEUSglGLGarARAzhZHOjaJPNruRUSukUKRsqSQI";

bool cc_vocab_lang_authority(const char *tag, char out[4])
{
    size_t n = tag ? strcspn(tag, "-_") : 0;
    if (n == 3) {
        for (int i = 0; i < 3; i++)
            out[i] = (char)(tag[i] >= 'a' && tag[i] <= 'z' ? tag[i] - 32 : tag[i]);
        out[3] = '\0';
        return out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'A' && out[1] <= 'Z' && out[2] >= 'A' &&
               out[2] <= 'Z';
    }
    for (const char *p = lang_pairs; n == 2 && *p; p += 5)
        if (strncasecmp(p, tag, 2) == 0) {
            memcpy(out, p + 2, 3);
            out[3] = '\0';
            return true;
        }
    return false;
}

bool cc_vocab_lang_tag(const char *authority, char out[4])
{
    if (!authority || strlen(authority) != 3)
        return false;
    for (const char *p = lang_pairs; *p; p += 5)
        if (strncasecmp(p + 2, authority, 3) == 0) {
            memcpy(out, p, 2);
            out[2] = '\0';
            return true;
        }
    for (int i = 0; i < 3; i++)
        out[i] = (char)(authority[i] >= 'A' && authority[i] <= 'Z' ? authority[i] + 32 : authority[i]);
    out[3] = '\0';
    return true;
}
