/* JAdES: the JWS JSON serialisation and its header parser, the x5c certificates, the
 * timestamp tokens and the signature check (cc_jades_verify), on whatever JSON the input
 * is.  The seed fuzz/seeds/jades-seal.json is a seal made by credconv with a throwaway
 * certificate (its key not kept), so mutations reach the checks after a valid signature;
 * the corpus's sealed ELM 3 credentials add adoTst tokens and real chains. */
#include <string.h>

#include "cc_jades.h"
#include "cc_jsonread.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstring(data, size);
    if (!s)
        return 0;
    json_t *doc = cc_json_loadb(s, size, JSON_REJECT_DUPLICATES, NULL);
    if (doc && cc_jades_is_jws_json(doc)) {
        /* a clock late enough that no seed's sigT is in the future */
        cc_verify_opts o = {.now = 4102444800LL};
        cc_diag_sink ds = {.emit = fuzz_diag};
        cc_verdict v = {0};
        cc_jades_verify(doc, &o, "fuzz", &ds, &v);
    }
    json_decref(doc);
    free(s);
    (void)fuzz_format;
    return 0;
}
