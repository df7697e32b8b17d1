/* RDF: the N-Quads parser and RDFC-1.0 canonicalisation (with its poison limit), and
 * JSON-LD → RDF on documents whose contexts are inline (the loader refuses every URL, as
 * verify does without --map-url or --fetch), then the Multikey and base58 decoders. */
#include <string.h>

#include "cc_jsonread.h"
#include "cc_multikey.h"
#include "cc_rdf.h"
#include "fuzz_common.h"

static json_t *no_loader(void *ud, const char *url, char *err, size_t errlen)
{
    (void)ud;
    snprintf(err, errlen, "not loaded: %s", url);
    return NULL;
}

static void canonize(const cc_rdf_dataset *d)
{
    char err[256];
    json_t *issued = NULL;
    free(cc_rdfc_canonize(d, 64, &issued, err, sizeof err));
    json_decref(issued);
}

static void nquads(const char *s, size_t n)
{
    char err[256];
    cc_rdf_dataset *d = cc_rdf_new();
    if (d && cc_rdf_parse_nquads(d, s, n, err, sizeof err) == 0)
        canonize(d);
    cc_rdf_free(d);
}

static void jsonld(const char *s, size_t n)
{
    char err[256];
    json_t *doc = cc_json_loadb(s, n, JSON_REJECT_DUPLICATES, NULL);
    cc_rdf_dataset *d = doc ? cc_rdf_new() : NULL;
    if (d && cc_jsonld_to_rdf(doc, no_loader, NULL, d, err, sizeof err) == 0)
        canonize(d);
    cc_rdf_free(d);
    json_decref(doc);
}

static void keys(const char *s)
{
    cc_jose_err e = {0};
    unsigned char out[128];
    size_t len;
    EVP_PKEY_free(cc_multikey_public(s, &e));
    EVP_PKEY_free(cc_multikey_private(s, &e));
    EVP_PKEY_free(cc_did_key_public(s, &e));
    (void)cc_base58_decode(s, out, sizeof out, &len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    if (size && s[0] == '{')
        jsonld(s, size);
    else
        nquads(s, size);
    if (size < 200)
        keys(s);
    free(s);
    (void)fuzz_format;
    return 0;
}
