/* Credential status: W3C Bitstring Status List (BitstringStatusListEntry,
 * BitstringStatusListCredential) for issuing, publishing, updating and verifying, and the
 * 1EdTech revocation list for verifying.  Internal to credconv; docs/signatures.md
 * ("Credential status") and docs/security.md (the bounds). */
#ifndef CC_STATUS_H
#define CC_STATUS_H

#include "cc_sign.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The spec's minimum list length (herd privacy): 16 KiB of bits. */
#define CC_STATUS_MIN_BITS 131072LL
/* What a verifier accepts from a list (a hostile list must not exhaust memory): at most
 * this many characters of encodedList (checked before decoding), and at most this many bytes
 * once decompressed (inflate stops there: a gzip bomb costs this much and no more). */
#define CC_STATUS_MAX_ENCODED ((size_t)4 << 20)
#define CC_STATUS_MAX_BYTES ((size_t)16 << 20)
#define CC_STATUS_MAX_BITS ((long long)CC_STATUS_MAX_BYTES * 8)

/* ------------------------------------------------------------ the bitstring */

/* bits (nbytes of them, bit 0 the most significant bit of byte 0, as the spec orders them)
 * → "u" + base64url(gzip(bits)), no padding: malloc'd, NULL on no memory. */
char *cc_status_encode(const uint8_t *bits, size_t nbytes);
/* The reverse, within the bounds above: 0 with *bits (malloc'd) and *nbytes, or -1 with why. */
int cc_status_decode(const char *encoded, uint8_t **bits, size_t *nbytes, char *why, size_t cap);
static inline bool cc_status_bit(const uint8_t *bits, long long i)
{
    return (bits[i >> 3] >> (7 - (i & 7))) & 1;
}
static inline void cc_status_set_bit(uint8_t *bits, long long i, bool on)
{
    uint8_t m = (uint8_t)(0x80u >> (i & 7));
    bits[i >> 3] = on ? (uint8_t)(bits[i >> 3] | m) : (uint8_t)(bits[i >> 3] & ~m);
}

/* ------------------------------------------------------------ the state file
 *
 * Which index each credential has, shared by reruns and parallel shards: a journal, one JSON
 * object per line, appended under an exclusive flock and synced before the credential that
 * carries the index is written.  Line 1 {"credconvStatusState":1,"issuer":…,"size":…}, then
 * {"list":PURPOSE,"url":URL} for each list, {"published":PURPOSE,"file":PATH} once it is
 * published, and {"id":CREDENTIAL,"index":N}.  A line cut by
 * a crash (no newline) is dropped by the next writer.  Statuses are not in it: they are in
 * the list credentials themselves, each replaced whole (docs/decisions.md). */
typedef enum { CC_STATUS_REVOCATION, CC_STATUS_SUSPENSION, CC_STATUS_NPURPOSES } cc_status_purpose;
const char *cc_status_purpose_name(cc_status_purpose p);
int cc_status_purpose_parse(const char *s, cc_status_purpose *p);  /* 0 or -1 */

typedef struct cc_status_state cc_status_state;

typedef struct cc_status_init {
    const char *issuer;           /* the issuer's id (a new state records it; else must match) */
    long long size;               /* bits of a new state's lists (0: CC_STATUS_MIN_BITS) */
    const char *url[CC_STATUS_NPURPOSES];  /* list credential URLs to record (NULL: none) */
} cc_status_init;

/* Opens path (init: created when absent, and checked against / completed with init; NULL:
 * it must exist).  NULL with why. */
cc_status_state *cc_status_state_open(const char *path, const cc_status_init *init, char *why, size_t cap);
void cc_status_state_close(cc_status_state *s);
/* The index of credential id: the one it already has (a rerun keeps it), else a new one
 * drawn at random (RAND_bytes) among the free ones, journaled and synced.  0, or -1 with why
 * (the list is full, I/O). */
int cc_status_assign(cc_status_state *s, const char *id, long long *index, char *why, size_t cap);
/* Exclusive lock for a list update, with the journal re-read; 0 or -1 with why. */
int cc_status_lock(cc_status_state *s, char *why, size_t cap);
void cc_status_unlock(cc_status_state *s);
long long cc_status_lookup(const cc_status_state *s, const char *id);  /* -1: none */
const char *cc_status_issuer(const cc_status_state *s);
long long cc_status_size(const cc_status_state *s);
const char *cc_status_url(const cc_status_state *s, cc_status_purpose p);  /* NULL: none */
size_t cc_status_count(const cc_status_state *s);
/* The file (an absolute path) the list of purpose p was first published to, NULL when never:
 * publishing a new empty list elsewhere would lose its statuses, so publish refuses it.  set:
 * journaled (with the lock held), once. */
const char *cc_status_published(const cc_status_state *s, cc_status_purpose p);
int cc_status_set_published(cc_status_state *s, cc_status_purpose p, const char *file, char *why, size_t cap);
/* The n-th recorded credential (0 ≤ n < count), in journal order. */
const char *cc_status_entry(const cc_status_state *s, size_t n, long long *index);

/* ------------------------------------------------------------ the list credential */

/* The unsigned BitstringStatusListCredential: id url, issuer, validFrom now, subject
 * url#list with statusPurpose and encodedList.  A new reference or NULL. */
json_t *cc_status_list_new(const char *url, const char *issuer, cc_status_purpose p,
                           const uint8_t *bits, size_t nbytes, const char *now);
/* A list credential's text (a VC-JWT or JSON with a proof) → the credential JSON (for a
 * token, its payload; the signature is not checked here).  NULL with why. */
json_t *cc_status_list_parse(const char *text, size_t len, char *why, size_t cap);
/* Its purpose and bits, checked: type, subject, purpose, bounds.  0 or -1 with why. */
int cc_status_list_bits(const json_t *list, cc_status_purpose *p, uint8_t **bits, size_t *nbytes,
                        char *why, size_t cap);
/* The issuer id of a credential (a string or an object with an id), or NULL. */
const char *cc_status_issuer_of(const json_t *cred);

/* ------------------------------------------------------------ verifying */

/* Where lists come from besides o->fetch (--map-url, --fetch): --status-list-file FILEs,
 * each a list credential, matched by its id. */
typedef struct cc_status_files {
    char *const *paths;
    size_t n;
} cc_status_files;

/* Checks the credentialStatus of a credential whose signature v found valid (v->status 1):
 * each entry's list is had, its own signature checked (with o, and bound to the issuer:
 * o->accept_unbound does not apply to lists), its issuer compared with the credential's, its bits
 * decoded within bounds.  revoked / suspended: v->status 0 (status-revoked,
 * status-suspended); a list not to be had or not trustworthy: v->status -1 (NOT CHECKED,
 * status-unavailable) or 0 (status-list-issuer, status-list-invalid); active: added to
 * v->checked.  A credential without credentialStatus, or whose key is not bound (and not
 * accepted unbound), is left as it is. */
void cc_status_verify(const json_t *cred, const cc_verify_opts *o, const cc_status_files *files,
                      const char *name, const cc_diag_sink *diag, cc_verdict *v);

#endif
