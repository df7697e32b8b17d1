/* base58btc, Ed25519 Multikeys and did:key (converters/jose/multikey.c).  Internal to credconv. */
#ifndef CC_MULTIKEY_H
#define CC_MULTIKEY_H

#include "cc_jose.h"

/* base58btc (Bitcoin alphabet) of n bytes: malloc'd; NULL out of memory. */
char *cc_base58_encode(const unsigned char *in, size_t n);
/* Decodes into out (cap bytes): 0 with *len, or -1 (a character outside the alphabet, or more
 * than cap bytes).  A string longer than cap bytes can be written in is refused before any
 * arithmetic, so the cost is bounded by cap, not by the input (issue 11.1). */
int cc_base58_decode(const char *s, unsigned char *out, size_t cap, size_t *len);

/* "z6Mk…" (multibase base58btc of 0xed01 ‖ 32 bytes) → an Ed25519 public key; NULL, e set. */
EVP_PKEY *cc_multikey_public(const char *multibase, cc_jose_err *e);
/* "z3u2…" (0x8026 ‖ 32-byte seed, or ‖ 64 bytes seed ‖ public) → an Ed25519 private key. */
EVP_PKEY *cc_multikey_private(const char *multibase, cc_jose_err *e);
/* The public Multikey of an Ed25519 key: malloc'd "z6Mk…", NULL for other keys. */
char *cc_multikey_encode(EVP_PKEY *k);
/* True when id is the DID that did_url (a DID with a fragment, e.g. a key) belongs to. */
bool cc_did_of(const char *id, const char *did_url);
/* did:key:z6Mk…[#z6Mk…] → its Ed25519 public key (no network: the DID is the key). */
EVP_PKEY *cc_did_key_public(const char *did_url, cc_jose_err *e);

#endif
