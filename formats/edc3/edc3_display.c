/* The EDC 3 writer's media: MediaObjects from data: URIs, the display image, and the
 * merge of a kept credential under a built one. */
#include "edc3/edc3_int.h"
#include "vocab/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENCODING_BASE64 "http://data.europa.eu/snb/encoding/6146cde7dd"

static char *base64(const char *s, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)s[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)s[i + 2];
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? tab[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

static json_t *media(wr *w, const char *file_type, const char *b64)
{
    json_t *m = json_object();
    char id[96];
    snprintf(id, sizeof id, "urn:epass:mediaObject:cc%d", ++w->ids);
    json_object_set_new(m, "id", json_string(id));
    json_object_set_new(m, "type", json_string("MediaObject"));
    json_object_set_new(m, "content", json_string(b64));
    json_object_set_new(m, "contentEncoding", cc_edc3w_concept(ENCODING_BASE64,
        "http://data.europa.eu/snb/encoding/25831c2", "en", "base64"));
    snprintf(id, sizeof id, CC_VOCAB_FILE_TYPE_BASE "%s", file_type);
    json_object_set_new(m, "contentType", cc_edc3w_concept(id,
        "http://publications.europa.eu/resource/authority/file-type", "en", file_type));
    return m;
}

json_t *cc_edc3w_media(wr *w, const char *uri)
{
    static const char *const types[][2] = {
        {"data:image/png;base64,", "PNG"},
        {"data:image/jpeg;base64,", "JPEG"},
        {"data:image/svg+xml;base64,", "SVG"},
    };
    for (size_t i = 0; uri && i < sizeof types / sizeof *types; i++)
        if (!strncmp(uri, types[i][0], strlen(types[i][0])) && uri[strlen(types[i][0])])
            return media(w, types[i][1], uri + strlen(types[i][0]));
    return NULL;
}

static void xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void line(FILE *f, int y, int size, const char *weight, const char *s)
{
    if (!s)
        return;
    fprintf(f, "<text x=\"400\" y=\"%d\" font-size=\"%d\" font-weight=\"%s\" "
               "text-anchor=\"middle\">", y, size, weight);
    xml_text(f, s);
    fputs("</text>", f);
}

json_t *cc_edc3w_display_image(wr *w, const char *title, const char *holder,
                               const char *issuer, const char *date)
{
    char *svg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&svg, &len);
    if (!f)
        return NULL;
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"566\" "
          "font-family=\"sans-serif\"><rect width=\"800\" height=\"566\" fill=\"#fff\" "
          "stroke=\"#039\" stroke-width=\"12\"/>", f);
    line(f, 150, 30, "bold", title);
    line(f, 250, 24, "normal", holder);
    line(f, 350, 20, "normal", issuer);
    line(f, 420, 16, "normal", date);
    fputs("</svg>", f);
    fclose(f);
    char *b64 = svg ? base64(svg, len) : NULL;
    json_t *m = b64 ? media(w, "SVG", b64) : NULL;
    free(b64);
    free(svg);
    return m;
}

/* ------------------------------------------------------------ the merge */

static json_t *merged(json_t *b, const json_t *r);

static json_t *merge_arrays(json_t *b, const json_t *r)
{
    json_t *ba = json_is_array(b) ? b : json_pack("[O]", b);
    if (ba != b)
        json_decref(b);
    size_t nb = json_array_size(ba), nr = cc_edc3_count(r);
    for (size_t i = 0; i < nr; i++) {
        const json_t *x = cc_edc3_item(r, i);
        if (i < nb)
            json_array_set_new(ba, i, merged(json_incref(json_array_get(ba, i)), x));
        else
            json_array_append_new(ba, json_deep_copy(x));
    }
    return ba;
}

/* Takes b's reference, returns the merged value's. */
static json_t *merged(json_t *b, const json_t *r)
{
    if (json_is_object(b) && json_is_object(r)) {
        cc_edc3w_merge(b, r);
        return b;
    }
    if ((json_is_array(b) || json_is_array(r)) && (json_is_object(b) || json_is_array(b)) &&
        (json_is_object(r) || json_is_array(r)))
        return merge_arrays(b, r);
    return b;
}

void cc_edc3w_merge(json_t *built, const json_t *rest)
{
    const char *k;
    const json_t *rv;
    json_object_foreach((json_t *)rest, k, rv) {
        json_t *bv = json_object_get(built, k);
        if (!bv)
            json_object_set_new(built, k, json_deep_copy(rv));
        else if (!strcmp(k, "id") && json_is_string(rv))
            json_object_set_new(built, k, json_deep_copy(rv));
        else if (strcmp(k, "type") != 0)
            json_object_set_new(built, k, merged(json_incref(bv), rv));
    }
}
