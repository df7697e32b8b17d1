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

/* ---------------------------------------------------------------- EDC 3 */

/* ISO 3166-1 alpha-2 + alpha-3 pairs, 5 characters each (Debian iso-codes, plus Kosovo
 * XK/XKX, which the EU country authority table has); EDC 1.x and EDC 3 both use it. */
static const char countries[] =
    "ADANDAEAREAFAFGAGATGAIAIAALALBAMARMAOAGOAQATAARARGASASMATAUTAUAUSAWABWAXALAAZAZEBABIHBBBRB"
    "BDBGDBEBELBFBFABGBGRBHBHRBIBDIBJBENBLBLMBMBMUBNBRNBOBOLBQBESBRBRABSBHSBTBTNBVBVTBWBWABYBLR"
    "BZBLZCACANCCCCKCDCODCFCAFCGCOGCHCHECICIVCKCOKCLCHLCMCMRCNCHNCOCOLCRCRICUCUBCVCPVCWCUWCXCXR"
    "CYCYPCZCZEDEDEUDJDJIDKDNKDMDMADODOMDZDZAECECUEEESTEGEGYEHESHERERIESESPETETHFIFINFJFJIFKFLK"
    "FMFSMFOFROFRFRAGAGABGBGBRGDGRDGEGEOGFGUFGGGGYGHGHAGIGIBGLGRLGMGMBGNGINGPGLPGQGNQGRGRCGSSGS"
    "GTGTMGUGUMGWGNBGYGUYHKHKGHMHMDHNHNDHRHRVHTHTIHUHUNIDIDNIEIRLILISRIMIMNININDIOIOTIQIRQIRIRN"
    "ISISLITITAJEJEYJMJAMJOJORJPJPNKEKENKGKGZKHKHMKIKIRKMCOMKNKNAKPPRKKRKORKWKWTKYCYMKZKAZLALAO"
    "LBLBNLCLCALILIELKLKALRLBRLSLSOLTLTULULUXLVLVALYLBYMAMARMCMCOMDMDAMEMNEMFMAFMGMDGMHMHLMKMKD"
    "MLMLIMMMMRMNMNGMOMACMPMNPMQMTQMRMRTMSMSRMTMLTMUMUSMVMDVMWMWIMXMEXMYMYSMZMOZNANAMNCNCLNENER"
    "NFNFKNGNGANINICNLNLDNONORNPNPLNRNRUNUNIUNZNZLOMOMNPAPANPEPERPFPYFPGPNGPHPHLPKPAKPLPOLPMSPM"
    "PNPCNPRPRIPSPSEPTPRTPWPLWPYPRYQAQATREREUROROURSSRBRURUSRWRWASASAUSBSLBSCSYCSDSDNSESWESGSGP"
    "SHSHNSISVNSJSJMSKSVKSLSLESMSMRSNSENSOSOMSRSURSSSSDSTSTPSVSLVSXSXMSYSYRSZSWZTCTCATDTCDTFATF"
    "TGTGOTHTHATJTJKTKTKLTLTLSTMTKMTNTUNTOTONTRTURTTTTOTVTUVTWTWNTZTZAUAUKRUGUGAUMUMIUSUSAUYURY"
    "UZUZBVAVATVCVCTVEVENVGVGBVIVIRVNVNMVUVUTWFWLFWSWSMYEYEMYTMYTZAZAFZMZMBZWZWEXKXKX";

static bool country(const char *key, size_t at, size_t len, size_t from, char *out)
{
    if (!key || strlen(key) != len)
        return false;
    for (const char *p = countries; *p; p += 5) {
        if (strncasecmp(p + at, key, len) == 0) {
            size_t n = from == 0 ? 2 : 3;
            memcpy(out, p + from, n);
            out[n] = '\0';
            return true;
        }
    }
    return false;
}

bool cc_vocab_country_a2(const char *a3, char out[3]) { return country(a3, 2, 3, 0, out); }
bool cc_vocab_country_a3(const char *a2, char out[4]) { return country(a2, 0, 2, 2, out); }

/* ISO 639-1 and the EU language authority's codes (ISO 639-2/B in upper case). */
static const char *const langs[][2] = {
    {"bg", "BUL"}, {"cs", "CES"}, {"da", "DAN"}, {"de", "DEU"}, {"el", "ELL"}, {"en", "ENG"},
    {"es", "SPA"}, {"et", "EST"}, {"fi", "FIN"}, {"fr", "FRA"}, {"ga", "GLE"}, {"hr", "HRV"},
    {"hu", "HUN"}, {"it", "ITA"}, {"lt", "LIT"}, {"lv", "LAV"}, {"mt", "MLT"}, {"nl", "NLD"},
    {"pl", "POL"}, {"pt", "POR"}, {"ro", "RON"}, {"sk", "SLK"}, {"sl", "SLV"}, {"sv", "SWE"},
    {"is", "ISL"}, {"no", "NOR"}, {"mk", "MKD"}, {"sr", "SRP"}, {"tr", "TUR"}, {"ca", "CAT"},
    {"eu", "EUS"}, {"gl", "GLG"}, {"lb", "LTZ"}, {"sq", "SQI"}, {"uk", "UKR"},
};

const char *cc_vocab_lang_a3(const char *tag)
{
    for (size_t i = 0; tag && i < sizeof langs / sizeof *langs; i++)
        if (!strncasecmp(tag, langs[i][0], 2) && (!tag[2] || tag[2] == '-' || tag[2] == '_'))
            return langs[i][1];
    return NULL;
}

const char *cc_vocab_lang_a2(const char *code)
{
    for (size_t i = 0; code && i < sizeof langs / sizeof *langs; i++)
        if (!strcasecmp(code, langs[i][1]))
            return langs[i][0];
    return NULL;
}

static const struct {
    const char *uri, *label;
} fr_nqf[] = {
    {.uri = "http://data.europa.eu/snb/qdr/c_d7cce980", .label = "NQF RNCP Level V"},
    {.uri = "http://data.europa.eu/snb/qdr/c_40020d69", .label = "NQF RNCP Level IV"},
    {.uri = "http://data.europa.eu/snb/qdr/c_243aefbe", .label = "NQF RNCP Level III"},
    {.uri = "http://data.europa.eu/snb/qdr/c_5ad5d222", .label = "NQF RNCP Level II-Grade de Licence"},
    {.uri = "http://data.europa.eu/snb/qdr/c_828fbcc3", .label = "NQF RNCP Level I-Master"},
    {.uri = "http://data.europa.eu/snb/qdr/c_7ab73420", .label = "NQF RNCP Level I-Doctorat"},
};

const char *cc_vocab_fr_nqf_concept(int level, const char **label)
{
    if (level < 3 || level > 8)
        return NULL;
    if (label)
        *label = fr_nqf[level - 3].label;
    return fr_nqf[level - 3].uri;
}

/* ---------------------------------------------------------------- LOQ / French NQF */

int cc_vocab_fr_nqf_level(const char *uri)
{
    for (int lv = 3; uri && lv <= 8; lv++) {
        const char *c = cc_vocab_fr_nqf_concept(lv, NULL);
        if (c && !strcmp(uri, c))
            return lv;
    }
    return 0;
}

bool cc_vocab_lang_authority(const char *tag, char out[4])
{
    size_t n = tag ? strcspn(tag, "-_") : 0;
    if (n == 3) {
        for (int i = 0; i < 3; i++) {
            char c = tag[i] >= 'a' && tag[i] <= 'z' ? (char)(tag[i] - 32) : tag[i];
            if (c < 'A' || c > 'Z')
                return false;
            out[i] = c;
        }
        out[3] = '\0';
        return true;
    }
    char two[3] = {0};
    if (n == 2)
        memcpy(two, tag, 2);
    const char *a3 = n == 2 ? cc_vocab_lang_a3(two) : NULL;
    if (!a3 || strlen(a3) != 3)
        return false;
    memcpy(out, a3, 4);
    return true;
}

bool cc_vocab_lang_tag(const char *authority, char out[4])
{
    if (!authority || strlen(authority) != 3)
        return false;
    const char *a2 = cc_vocab_lang_a2(authority);
    if (a2 && strlen(a2) == 2) {
        memcpy(out, a2, 3);
        return true;
    }
    for (int i = 0; i < 3; i++)
        out[i] = (char)(authority[i] >= 'A' && authority[i] <= 'Z' ? authority[i] + 32 : authority[i]);
    out[3] = '\0';
    return true;
}
