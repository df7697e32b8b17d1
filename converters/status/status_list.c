/* The BitstringStatusListCredential: made for publishing, read back for updating and
 * verifying (cc_status.h). */
#include "cc_jose.h"
#include "cc_jsonread.h"
#include "cc_status.h"

#include <stdlib.h>
#include <string.h>

#define VC2_CONTEXT "https://www.w3.org/ns/credentials/v2"

json_t *cc_status_list_new(const char *url, const char *issuer, cc_status_purpose p,
                           const uint8_t *bits, size_t nbytes, const char *now)
{
    char *enc = cc_status_encode(bits, nbytes);
    size_t n = strlen(url) + 8;
    char *subject = malloc(n);
    json_t *j = NULL;
    if (enc && subject) {
        snprintf(subject, n, "%s#list", url);
        j = json_pack("{s:[s],s:s,s:[s,s],s:s,s:s,s:{s:s,s:s,s:s,s:s}}", "@context", VC2_CONTEXT, "id", url,
                      "type", "VerifiableCredential", "BitstringStatusListCredential", "issuer", issuer,
                      "validFrom", now, "credentialSubject", "id", subject, "type", "BitstringStatusList",
                      "statusPurpose", cc_status_purpose_name(p), "encodedList", enc);
    }
    free(enc), free(subject);
    return j;
}

json_t *cc_status_list_parse(const char *text, size_t len, char *why, size_t cap)
{
    size_t lead = strspn(text, " \t\r\n");
    json_error_t je;
    if (lead < len && text[lead] == '{') {
        json_t *j = cc_json_loadb(text, len, 0, &je);
        if (!json_is_object(j))
            snprintf(why, cap, "not a JSON object (line %d: %s)", je.line, j ? "not an object" : je.text);
        return json_is_object(j) ? j : (json_decref(j), NULL);
    }
    cc_jws jws;
    cc_jose_err e = {0};
    while (len > lead && strchr(" \t\r\n", text[len - 1]))
        len--;
    if (cc_jws_parse(text + lead, len - lead, &jws, &e) != 0) {
        snprintf(why, cap, "neither a JSON credential nor a VC-JWT: %s", e.msg);
        return NULL;
    }
    json_t *j = cc_json_loadb((const char *)jws.payload, jws.payload_len, 0, &je);
    cc_jws_free(&jws);
    json_t *vc = json_object_get(j, "vc");  /* a VC-DM 1.1 token */
    json_t *cred = json_is_object(vc) ? json_incref(vc) : json_incref(j);
    json_decref(j);
    if (!json_is_object(cred))
        snprintf(why, cap, "the token's payload is not a JSON object");
    return json_is_object(cred) ? cred : (json_decref(cred), NULL);
}

int cc_status_list_bits(const json_t *list, cc_status_purpose *p, uint8_t **bits, size_t *nbytes,
                        char *why, size_t cap)
{
    const json_t *sub = json_object_get(list, "credentialSubject");
    const char *purpose = json_string_value(json_object_get(sub, "statusPurpose"));
    *bits = NULL;
    if (!cc_json_has_str(json_object_get(list, "type"), "BitstringStatusListCredential"))
        return snprintf(why, cap, "not a BitstringStatusListCredential"), -1;
    if (!json_is_object(sub) || !cc_json_has_str(json_object_get(sub, "type"), "BitstringStatusList"))
        return snprintf(why, cap, "its credentialSubject is not a BitstringStatusList"), -1;
    if (cc_status_purpose_parse(purpose, p) != 0)
        return snprintf(why, cap, "statusPurpose '%s' is not revocation or suspension", purpose ? purpose : "(none)"), -1;
    const json_t *enc = json_object_get(sub, "encodedList");
    if (!json_is_string(enc))
        return snprintf(why, cap, "no encodedList string"), -1;
    if (json_string_length(enc) > CC_STATUS_MAX_ENCODED + 1)  /* before decoding anything */
        return snprintf(why, cap, "encodedList is longer than the longest accepted (4 MiB)"), -1;
    return cc_status_decode(json_string_value(enc), bits, nbytes, why, cap);
}

const char *cc_status_issuer_of(const json_t *cred)
{
    const json_t *iss = json_object_get(cred, "issuer");
    return json_is_string(iss) ? json_string_value(iss) : json_string_value(json_object_get(iss, "id"));
}
