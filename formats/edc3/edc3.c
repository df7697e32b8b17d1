/* Formats "edc3" and "edc3-vc2": Europass Digital Credentials on ELM 3 (JSON-LD), one
 * credential per line or per file.  This file holds the descriptors, the bid and the small
 * JSON helpers the reader, the writer and the checks share. */
#include "edc3/edc3.h"

#include <string.h>

const char *cc_edc3_first_text(const json_t *v, const char **lang)
{
    if (lang)
        *lang = NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_array(v))
        return cc_edc3_first_text(json_array_get(v, 0), lang);
    const char *k;
    const json_t *x;
    json_object_foreach((json_t *)v, k, x) {
        const char *s = cc_edc3_first_text(x, NULL);
        if (s) {
            if (lang)
                *lang = k;
            return s;
        }
    }
    return NULL;
}

size_t cc_edc3_count(const json_t *v)
{
    return !v || json_is_null(v) ? 0 : json_is_array(v) ? json_array_size(v) : 1;
}

const json_t *cc_edc3_item(const json_t *v, size_t i)
{
    return json_is_array(v) ? json_array_get(v, i) : i == 0 ? v : NULL;
}

bool cc_edc3_has_type(const json_t *obj, const char *type)
{
    const json_t *t = json_object_get(obj, "type");
    for (size_t i = 0; i < cc_edc3_count(t); i++) {
        const json_t *x = cc_edc3_item(t, i);
        if (json_is_string(x) && !strcmp(json_string_value(x), type))
            return true;
    }
    return false;
}

/* An EDC 3 credential names its class or its context early (the EC samples put `type`
 * second, the EBSI ones the context first); the sealed and upload forms hold the same
 * text inside.  Above ob3 (90): an EDC credential is no Open Badge. */
static int edc3_bid(const unsigned char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n[", buf[i]))
        i++;
    if (i >= len || buf[i] != '{')
        return 0;
#define HAS(s) (memmem(buf, len, s, sizeof s - 1) != NULL)
    if (HAS("credconv-model/1"))
        return 0;
    if (HAS("EuropeanDigitalCredential") || HAS("data.europa.eu/snb/model/context/edc-ap"))
        return 95;
#undef HAS
    return 0;
}

const cc_format cc_format_edc3 = {
    .name = "edc3",
    .description = "Europass EDC 3 (ELM 3 JSON-LD, VC 1.1 form, as the Europass wallet takes "
                   "it); reads also VCDM 2.0, upload and JAdES forms; one per line",
    .extension = "jsonld",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE,
    .sigs = CC_SIG_JADES,  /* convert --sign --cert; the reader takes the sealed form */
    .bid = edc3_bid,
    .read = cc_edc3_read,
    .writer_open = cc_edc3_writer_open_vc1,
    .writer_record = cc_edc3_writer_record,
    .writer_close = cc_edc3_writer_close,
};

/* The same reader; the writer gives the VCDM 2.0 form of the EBSI EDC JSON Schema. */
static int no_bid(const unsigned char *buf, size_t len)
{
    (void)buf;
    (void)len;
    return 0;
}

const cc_format cc_format_edc3_vc2 = {
    .name = "edc3-vc2",
    .description = "Europass EDC 3, VCDM 2.0 form (ELM 3.2, EBSI EDC schema); reads as edc3",
    .extension = "jsonld",
    .caps = CC_CAP_READ | CC_CAP_WRITE | CC_CAP_VALIDATE | CC_CAP_STATUS,
    .sigs = CC_SIG_JADES,
    .bid = no_bid,
    .read = cc_edc3_read,
    .writer_open = cc_edc3_writer_open_vc2,
    .writer_record = cc_edc3_writer_record,
    .writer_close = cc_edc3_writer_close,
};
