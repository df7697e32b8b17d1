/* Controller documents (W3C Controlled Identifiers 1.0; a DID document is one): what binds a
 * verification method to an issuer.  Shared by the Data Integrity and VC-JWT verifiers
 * (converters/sign/controller.c).  Internal to credconv.
 *
 * A key is the issuer's only when the issuer's OWN controller document, read from the
 * issuer's id (did:web → its did.json; an http(s) id → that URL), lists the method under the
 * verification relationship the proof's purpose names (assertionMethod for credentials).
 * The key's own document proves nothing: whoever serves it writes its "controller". */
#ifndef CC_CONTROLLER_H
#define CC_CONTROLLER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct cc_fetch_opts;

/* Where the controller document of id (a DID or URL, a fragment ignored) is read: did:web:
 * host[:path…] → https://host/path…/did.json or https://host/.well-known/did.json (%3A in the
 * host is a port); an http(s) URL → itself without its fragment.  False for other ids (did:key
 * and other DID methods have no document to fetch). */
bool cc_controller_url(const char *id, char *url, size_t cap);

typedef struct cc_controller {
    json_t *doc;               /* the issuer's controller document (owned), or NULL */
    const json_t *method;      /* the method's definition (in doc's verificationMethod or
                                * embedded under the relationship), NULL if only referenced */
    char why[640];             /* how the method is bound, or why not */
} cc_controller;

/* Reads issuer's controller document through fetch and looks vm up under relationship:
 * 1 when it lists vm there (c->method may then be NULL: listed by reference to a method
 * defined elsewhere), 0 when it does not (a method listed only under authentication, a
 * document whose id is not the issuer's, a method controlled by someone else), -1 when the
 * document cannot be read.  c->why says which; free with cc_controller_free. */
int cc_controller_lookup(const struct cc_fetch_opts *fetch, const char *issuer, const char *vm,
                         const char *relationship, cc_controller *c);
void cc_controller_free(cc_controller *c);

/* The controller document an issuer publishes so verifiers bind vm (a Multikey, or a JWK
 * when multikey is NULL and jwk is given) to it: malloc'd pretty JSON, or NULL. */
char *cc_controller_template(const char *issuer, const char *vm, const char *multikey,
                             const json_t *jwk);

#endif
