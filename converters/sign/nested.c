/* The credentials nested in a credential (CLR 2.0: credentialSubject.verifiableCredential)
 * keep their own proofs, and a verifier checks each (issue 16): the outer proof says the
 * record's issuer put them together, not that each was issued as it reads.  So one nested
 * credential whose proof fails makes the whole record INVALID, naming it; one whose key is
 * not shown to be its issuer's leaves the record unbound. */
#include "cc_sign.h"
#include "cc_status.h"

#include <string.h>

/* The id a nested credential is named by in diagnostics. */
static const char *named(const json_t *vc, size_t i, char *buf, size_t cap)
{
    const char *id = json_string_value(json_object_get(vc, "id"));
    snprintf(buf, cap, "credentialSubject.verifiableCredential[%zu]%s%.200s%s", i, id ? " (" : "",
             id ? id : "", id ? ")" : "");
    return buf;
}

typedef struct tally {
    int valid, bare;  /* proofs valid; credentials with no proof of their own */
    int active;       /* credentials whose own credentialStatus says active */
} tally;

typedef struct named_sink {  /* a nested credential's status diagnostics, prefixed with its name */
    const cc_diag_sink *to;
    const char *who;
} named_sink;

static void named_diag(void *ud, const cc_diag *d)
{
    const named_sink *n = ud;
    char msg[2400];
    snprintf(msg, sizeof msg, "%s: %s", n->who, d->message);
    cc_diag w = *d;
    w.message = msg;
    n->to->emit(n->to->ud, &w);
}

/* A nested credential's own credentialStatus (issue 18): the CLR holds it, so one revoked or
 * suspended makes the record INVALID, and one whose list cannot be had leaves the record NOT
 * CHECKED, never valid.  nv: the nested credential's verdict, or for one with no proof of its
 * own the record's (the record's signature covers it). */
static void nested_status(const json_t *vc, const char *who, const cc_verify_opts *o, const char *name,
                          const cc_diag_sink *diag, cc_verdict *v, cc_verdict *nv, tally *t)
{
    if (!json_object_get(vc, "credentialStatus") || nv->status != 1)
        return;
    named_sink ns = {.to = diag, .who = who};
    cc_status_verify(vc, o, o->status_files, name, &(cc_diag_sink){.emit = named_diag, .ud = &ns}, nv);
    if (nv->status == 1) {
        t->active++;
        return;
    }
    if (nv->status == 0 || v->status == 1)  /* INVALID outweighs NOT CHECKED */
        snprintf(v->reason, sizeof v->reason, "%s", nv->reason);
    v->status = nv->status == 0 ? 0 : v->status == 1 ? -1 : v->status;
}

static void one_nested(const json_t *vc, size_t i, const cc_verify_opts *o, const char *name,
                       const cc_diag_sink *diag, cc_verdict *v, tally *t)
{
    char who[300];
    named(vc, i, who, sizeof who);
    if (!json_is_object(vc) || !json_object_get(vc, "proof")) {
        t->bare++;
        cc_verdict bare = {.status = json_is_object(vc) ? 1 : -1, .bound = v->bound};
        nested_status(vc, who, o, name, diag, v, &bare, t);
        return;
    }
    cc_verdict nv = {.status = -1};
    cc_di_verify(vc, o, name, diag, &nv);
    if (nv.status == 0) {
        cc_diagf(diag, CC_ERROR, name, 0, 0, who, "nested-invalid",
                 "a nested credential's proof does not verify (%s): the record is not as issued",
                 *nv.reason ? nv.reason : "?");
        v->status = 0;
        snprintf(v->reason, sizeof v->reason, "nested-invalid");
        return;
    }
    if (nv.status == -1) {
        CC_VERDICT_ADD(v, unchecked, "%s: proof not checked (%s)", who, *nv.reason ? nv.reason : "?");
        return;
    }
    t->valid++;
    if (!nv.bound && v->bound) {
        v->bound = false;
        snprintf(v->binding, sizeof v->binding, "%s: %.600s", who,
                 *nv.binding ? nv.binding : "its key is not shown to be its issuer's");
    }
    nested_status(vc, who, o, name, diag, v, &nv, t);
}

int cc_verify_nested(const json_t *doc, const cc_verify_opts *o, const char *name,
                     const cc_diag_sink *diag, cc_verdict *v)
{
    const json_t *vcs = json_object_get(json_object_get(doc, "credentialSubject"), "verifiableCredential");
    if (!vcs)
        return 0;
    size_t n = json_is_array(vcs) ? json_array_size(vcs) : 1;
    tally t = {.valid = 0};
    for (size_t i = 0; i < n; i++)
        one_nested(json_is_array(vcs) ? json_array_get(vcs, i) : vcs, i, o, name, diag, v, &t);
    if (t.valid && v->status == 1)
        CC_VERDICT_ADD(v, checked, "%d nested credential proof%s valid", t.valid, t.valid == 1 ? "" : "s");
    if (t.active && v->status == 1)
        CC_VERDICT_ADD(v, checked, "%d nested credential status%s active", t.active, t.active == 1 ? "" : "es");
    if (t.bare)  /* covered by the outer signature only */
        CC_VERDICT_ADD(v, unchecked, "%d nested credential%s with no proof of %s own", t.bare,
                       t.bare == 1 ? "" : "s", t.bare == 1 ? "its" : "their");
    return (int)n;
}
