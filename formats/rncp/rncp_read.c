/* RNCP/RS reader: a libxml2 SAX2 push parser, one FICHE in memory at a time.
 *
 * Elements are matched by their path (each stack frame knows what its element means), never
 * by bare name: ACTIF, CODE, LIBELLE and BLOC_COMPETENCES occur under several parents.
 * Anything the model has no field for is captured as-is into the extension bag of the
 * fiche, organisation or block it belongs to, so a round trip loses nothing. */
#include "rncp.h"
#include "cc_xmlguard.h"
#include "cc_xmlschema.h"

#include <stdarg.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlschemas.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#define TAGS(X)                                                                               \
    X(FICHES) X(VERSION_FLUX) X(FICHE) X(NUMERO_FICHE) X(INTITULE) X(OBJECTIFS_CONTEXTE)       \
    X(CAPACITES_ATTESTEES) X(PREREQUIS_ENTREE_FORMATION) X(ACTIF) X(DATE_FIN_ENREGISTREMENT)  \
    X(NOUVELLES_CERTIFICATIONS) X(NOUVELLE_CERTIFICATION) X(ID_FICHE_NOUVELLE_CERTIFICATION)  \
    X(ANCIENNES_CERTIFICATIONS) X(ANCIENNE_CERTIFICATION) X(ID_FICHE_ANCIENNE_CERTIFICATION)  \
    X(ABREGE) X(CODE) X(LIBELLE) X(NIVEAU) X(NOMENCLATURE_EUROPE) X(FORMACODES) X(CODES_NSF)  \
    X(CODES_ROME) X(CODES_IDCC) X(CERTIFICATEURS) X(SIRET_CERTIFICATEUR) X(NOM_CERTIFICATEUR) \
    X(SITE_INTERNET) X(PARTENAIRES) X(NOM_PARTENAIRE) X(SIRET_PARTENAIRE) X(BLOCS_COMPETENCES) \
    X(BLOC_COMPETENCES) X(LISTE_COMPETENCES) X(MODALITES_EVALUATION)                          \
    X(PREREQUIS_ENTREE_FORMATION_BLOC)

#define ENUM(t) T_##t,
enum { T_OTHER, TAGS(ENUM) T_COUNT };
#define NAME(t) #t,
static const char *const tag_names[T_COUNT] = {"", TAGS(NAME)};
_Static_assert(T_COUNT <= 64, "one bit per tag in reader.seen_fiche");

typedef enum {
    R_DOC, R_ROOT, R_FICHE, R_LEAF, R_SUCC_WRAP, R_PRED_WRAP, R_SUCC, R_PRED, R_CODE_WRAP,
    R_CODE, R_ORG_WRAP, R_ORG, R_BLOCK_WRAP, R_BLOCK, R_CAPTURE, R_SKIP
} role;

typedef struct frame {
    int tag;
    role role;
    const char *scheme;  /* R_CODE_WRAP: scheme of its codes; R_ORG_WRAP: role of its orgs */
    cc_ext *cap;         /* R_CAPTURE: the extension node being filled */
    bool has_children;
    const xmlChar *name; /* from the parser's dictionary, and the line of the start tag: */
    long line;           /* what a document cut short leaves open is named with them */
} frame;

#define MAX_DEPTH 300  /* libxml2 stops at 256 */
/* No element of an RNCP export has attributes (but an xmlns or two), yet libxml2 2.9 checks a
 * start tag's attributes for duplicates pairwise, before any SAX callback can refuse them
 * (100,000 attributes: 2.3 s), and 2.9.14 has no setting that bounds their number.  So each
 * chunk is scanned before libxml2 sees it (cc_xmlguard.h) and a start tag past this is refused. */
#define MAX_ATTRS 64

#define HASH_SIZE 256

typedef struct reader {
    cc_read_ctx *ctx;
    xmlParserCtxtPtr px;
    const xmlChar *interned[T_COUNT];
    int hash[HASH_SIZE];  /* interned pointer → tag, open addressing */
    frame stack[MAX_DEPTH];
    int depth;
    char *text;
    size_t text_len, text_cap;
    bool legacy;          /* VERSION_FLUX other than 4.x: text may hold escaped HTML */
    bool seen_root;
    bool stop;            /* the sink asked to stop */
    bool unwinding;       /* closing a stopped document's elements in the validator */
    bool at_end;          /* the input is all read: libxml2 is told so (terminate) */
    bool wide;            /* UTF-16: the byte scan's lines and states mean nothing */
    int fatal;            /* not well formed, or not an RNCP document */
    int doc_invalid;      /* schema errors outside any fiche */
    cc_record *rec;       /* the fiche being read */
    cc_record *pending;   /* the fiche just read, handed on at the next event */
    cc_code *code;
    cc_org *org;
    cc_achievement *block;
    long block_line;
    long index;
    cc_xml_guard scan;    /* the pre-scan of the bytes (cc_xmlguard.h) */
    uint64_t seen_fiche, seen_block;  /* single-valued elements already read (bit per tag) */
    bool repeated;        /* the fiche has one of them twice: rejected at its end */
} reader;

/* ------------------------------------------------------------ tag lookup */

static unsigned hash_ptr(const xmlChar *p)
{
    return (unsigned)(((uintptr_t)p >> 3) * 2654435761u) % HASH_SIZE;
}

static void intern_tags(reader *r)
{
    for (int i = 0; i < HASH_SIZE; i++)
        r->hash[i] = -1;
    for (int t = 1; t < T_COUNT; t++) {
        r->interned[t] = xmlDictLookup(r->px->dict, BAD_CAST tag_names[t], -1);
        unsigned h = hash_ptr(r->interned[t]);
        while (r->hash[h] >= 0)
            h = (h + 1) % HASH_SIZE;
        r->hash[h] = t;
    }
}

/* Element names come from the parser's dictionary, so a pointer compare identifies them. */
static int tag_of(const reader *r, const xmlChar *name)
{
    for (unsigned h = hash_ptr(name); r->hash[h] >= 0; h = (h + 1) % HASH_SIZE)
        if (r->interned[r->hash[h]] == name)
            return r->hash[h];
    return T_OTHER;
}

/* ------------------------------------------------------------ helpers */

static long cur_line(const reader *r) { return xmlSAX2GetLineNumber(r->px); }
static long cur_col(const reader *r) { return xmlSAX2GetColumnNumber(r->px); }
static cc_arena *A(const reader *r) { return r->rec->arena; }

static void stop_parser(reader *r) { xmlStopParser(r->px); }

__attribute__((format(printf, 3, 4))) static void fail(reader *r, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(r->ctx->diag, CC_ERROR, r->ctx->in->name, cur_line(r), cur_col(r), NULL, NULL, rule, fmt, ap);
    va_end(ap);
    r->fatal = 1;
    stop_parser(r);
}

__attribute__((format(printf, 3, 4))) static void warn(reader *r, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vdiag(r->ctx->diag, CC_WARNING, r->ctx->in->name, cur_line(r), cur_col(r), NULL,
             r->rec ? r->rec->achievement->code : NULL, rule, fmt, ap);
    va_end(ap);
}

/* The current element's text, cleaned and trimmed, in the record's arena; NULL if empty. */
static const char *take_text(reader *r)
{
    char *s = cc_strndup(A(r), r->text ? r->text : "", r->text_len);
    const char *v = r->legacy ? cc_rncp_clean_html(A(r), s) : s;
    v = cc_rncp_trim((char *)v);
    return *v ? v : NULL;
}

/* The export's conventions: dd/mm/yyyy dates become ISO 8601, Oui/Non become booleans. */
static void set_ext_value(reader *r, cc_ext *e, const char *elem, const char *v)
{
    char iso[11];
    if (!v)
        v = "";
    if (strncmp(elem, "DATE_", 5) == 0 && cc_date_fr_to_iso(v, iso)) {
        v = cc_strdup(A(r), iso);
    } else if (cc_rncp_is_bool_element(elem) && (!strcmp(v, "Oui") || !strcmp(v, "Non"))) {
        v = v[0] == 'O' ? "true" : "false";
        e->is_bool = true;
    }
    e->value = v;
}

/* ------------------------------------------------------------ records */

static void start_fiche(reader *r)
{
    r->rec = cc_record_new(CC_REC_ACHIEVEMENT);
    r->rec->src_file = r->ctx->in->name;
    r->rec->src_line = cur_line(r);
    r->rec->src_index = ++r->index;
    r->rec->achievement->kind = "certification";
    r->rec->achievement->language = "fr";
    r->seen_fiche = 0;
    r->repeated = false;
}

/* "RNCP34762" → https://www.francecompetences.fr/recherche/rncp/34762/ */
static const char *page_url(cc_arena *a, const char *code)
{
    size_t p = strncmp(code, "RNCP", 4) == 0 ? 4 : strncmp(code, "RS", 2) == 0 ? 2 : 0;
    if (!p || !code[p] || strspn(code + p, "0123456789") != strlen(code + p))
        return NULL;
    return cc_sprintf(a, CC_RNCP_PAGE "%s/%s/", p == 4 ? "rncp" : "rs", code + p);
}

static void finish_fiche(reader *r)
{
    cc_record *rec = r->rec;
    cc_achievement *f = rec->achievement;
    r->rec = NULL;
    if (!f->code || r->repeated) {
        if (!f->code)
            cc_diagf(r->ctx->diag, CC_ERROR, rec->src_file, rec->src_line, 0, NULL, "rncp-no-numero",
                     "FICHE without NUMERO_FICHE: skipped");
        if (r->ctx->sink.reject(r->ctx->sink.ud, rec->src_file, rec->src_line, NULL))
            r->stop = true;
        cc_record_free(rec);
        return;
    }
    f->homepage = page_url(rec->arena, f->code);
    if (!f->homepage)
        cc_diagf(r->ctx->diag, CC_WARNING, rec->src_file, rec->src_line, 0, f->code,
                 "rncp-numero", "NUMERO_FICHE '%s' is not RNCPn or RSn", f->code);
    f->id = f->homepage;
    for (cc_achievement *b = f->parts.head; b; b = b->next) {
        b->part_of = f->code;
        if (f->homepage)
            b->id = cc_sprintf(rec->arena, "%s#%s", f->homepage, b->code);
    }
    r->pending = rec;
}

/* A fiche is handed on at the next parser event, not at its end tag: the schema validator
 * sees the end tag after us, and its errors there (a missing child) belong to the fiche. */
static void flush_pending(reader *r)
{
    cc_record *rec = r->pending;
    r->pending = NULL;
    if (rec && r->ctx->sink.record(r->ctx->sink.ud, rec))
        r->stop = true;
}

static void finish_block(reader *r)
{
    cc_achievement *f = r->rec->achievement, *b = r->block;
    r->block = NULL;
    if (!b->code) {
        /* As other readers do: the fiche number, BC and the block's position. */
        b->code = cc_sprintf(A(r), "%sBC%02zu", f->code ? f->code : "", f->parts.n);
        cc_diagf(r->ctx->diag, CC_WARNING, r->ctx->in->name, r->block_line, 0, f->code,
                 "rncp-block-no-code", "BLOC_COMPETENCES without CODE: named %s", b->code);
    }
}

/* ------------------------------------------------------------ start of an element */

static role fiche_child(reader *r, frame *fr, int tag)
{
    cc_achievement *f = r->rec->achievement;
    switch (tag) {
    case T_NUMERO_FICHE: case T_INTITULE: case T_OBJECTIFS_CONTEXTE: case T_CAPACITES_ATTESTEES:
    case T_PREREQUIS_ENTREE_FORMATION: case T_ACTIF: case T_DATE_FIN_ENREGISTREMENT:
    case T_NOUVELLE_CERTIFICATION: case T_ANCIENNE_CERTIFICATION:  /* V2: number as text */
        return R_LEAF;
    case T_NOUVELLES_CERTIFICATIONS: return R_SUCC_WRAP;
    case T_ANCIENNES_CERTIFICATIONS: return R_PRED_WRAP;
    case T_ABREGE:
        r->code = f->type = cc_code_new(A(r), "rncp-abrege", NULL, NULL, NULL);
        return R_CODE;
    case T_NOMENCLATURE_EUROPE:
        r->code = f->nqf_level = cc_code_new(A(r), "fr-nqf", NULL, NULL, NULL);
        return R_CODE;
    case T_FORMACODES: fr->scheme = "formacode"; return R_CODE_WRAP;
    case T_CODES_NSF: fr->scheme = "nsf"; return R_CODE_WRAP;
    case T_CODES_ROME: fr->scheme = "rome"; return R_CODE_WRAP;
    case T_CODES_IDCC: fr->scheme = "idcc"; return R_CODE_WRAP;
    case T_CERTIFICATEURS: fr->scheme = "awarding-body"; return R_ORG_WRAP;
    case T_PARTENAIRES: fr->scheme = "partner"; return R_ORG_WRAP;
    case T_BLOCS_COMPETENCES: return R_BLOCK_WRAP;
    default: return R_CAPTURE;
    }
}

static cc_list *capture_owner(reader *r, const frame *parent)
{
    switch (parent->role) {
    case R_FICHE: return &r->rec->achievement->ext;
    case R_ORG: return &r->org->ext;
    case R_BLOCK: return &r->block->ext;
    default: return &parent->cap->children;
    }
}

static role child_role(reader *r, frame *parent, frame *fr, const xmlChar *name)
{
    int tag = fr->tag;
    switch (parent->role) {
    case R_DOC:
        if (tag == T_FICHES) {
            r->seen_root = true;
            return R_ROOT;
        }
        fail(r, "rncp-root", "root element is <%s>, not <FICHES>: not an RNCP/RS export",
             (const char *)name);
        return R_SKIP;
    case R_ROOT:
        if (tag == T_FICHE) {
            start_fiche(r);
            return R_FICHE;
        }
        if (tag == T_VERSION_FLUX)
            return R_LEAF;
        break;
    case R_FICHE: return fiche_child(r, fr, tag);
    case R_SUCC_WRAP: if (tag == T_NOUVELLE_CERTIFICATION) return R_SUCC; break;
    case R_PRED_WRAP: if (tag == T_ANCIENNE_CERTIFICATION) return R_PRED; break;
    case R_SUCC: if (tag == T_ID_FICHE_NOUVELLE_CERTIFICATION) return R_LEAF; break;
    case R_PRED: if (tag == T_ID_FICHE_ANCIENNE_CERTIFICATION) return R_LEAF; break;
    case R_CODE_WRAP:
        r->code = cc_code_new(A(r), parent->scheme, NULL, NULL, NULL);
        cc_list_append(&r->rec->achievement->alignments, r->code);
        return R_CODE;
    case R_CODE:
        if (tag == T_CODE || tag == T_NIVEAU || tag == T_LIBELLE || tag == T_INTITULE)
            return R_LEAF;
        break;
    case R_ORG_WRAP:
        r->org = cc_org_new(A(r));
        r->org->role = parent->scheme;
        cc_list_append(&r->rec->achievement->orgs, r->org);
        return R_ORG;
    case R_ORG:
        if (tag == T_SIRET_CERTIFICATEUR || tag == T_SIRET_PARTENAIRE ||
            tag == T_NOM_CERTIFICATEUR || tag == T_NOM_PARTENAIRE || tag == T_SITE_INTERNET)
            return R_LEAF;
        return R_CAPTURE;
    case R_BLOCK_WRAP:
        if (tag != T_BLOC_COMPETENCES)
            break;
        r->block = cc_achievement_new(A(r));
        r->block_line = cur_line(r);
        r->seen_block = 0;
        r->block->kind = "skills-block";
        r->block->language = "fr";
        cc_list_append(&r->rec->achievement->parts, r->block);
        return R_BLOCK;
    case R_BLOCK:
        if (tag == T_CODE || tag == T_LIBELLE || tag == T_LISTE_COMPETENCES ||
            tag == T_MODALITES_EVALUATION || tag == T_PREREQUIS_ENTREE_FORMATION_BLOC)
            return R_LEAF;
        return R_CAPTURE;
    case R_CAPTURE: return R_CAPTURE;
    case R_LEAF: case R_SKIP: return R_SKIP;
    }
    warn(r, "rncp-unexpected", "unexpected element <%s>: ignored", (const char *)name);
    return R_SKIP;
}

static void truncated(reader *r);

/* prefix then name, in the arena (cc_sprintf's formatting was most of on_start's cost). */
static const char *prefixed(cc_arena *a, const char *prefix, const char *name)
{
    size_t p = strlen(prefix), n = strlen(name);
    char *s = cc_alloc(a, p + n + 1);
    memcpy(s, prefix, p);
    memcpy(s + p, name, n + 1);
    return s;
}

static void on_start(void *ud, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)nns, (void)ns, (void)nattr, (void)ndef, (void)attrs;
    reader *r = ud;
    flush_pending(r);
    if (r->at_end && cc_xml_guard_in_markup(&r->scan) && !r->wide && !r->fatal) {
        truncated(r);  /* a start tag whose '>' never came: the input ends inside a tag */
        r->fatal = 1;
        stop_parser(r);
        return;
    }
    if (r->depth + 1 >= MAX_DEPTH) {
        fail(r, "xml-depth", "elements nested too deeply%s", "");
        return;
    }
    frame *parent = &r->stack[r->depth];
    frame *fr = &r->stack[++r->depth];
    parent->has_children = true;
    *fr = (frame){.tag = tag_of(r, name), .name = name, .line = cur_line(r)};
    fr->role = child_role(r, parent, fr, name);
    if (fr->role == R_CAPTURE) {
        const char *n = parent->role == R_CAPTURE ? cc_strdup(A(r), (const char *)name)
                                                  : prefixed(A(r), "rncp:", (const char *)name);
        fr->cap = cc_ext_add(A(r), capture_owner(r, parent), n, NULL);
    }
    r->text_len = 0;
}

/* ------------------------------------------------------------ end of an element */

static void fiche_leaf(reader *r, int tag, const char *v)
{
    cc_achievement *f = r->rec->achievement;
    char iso[11];
    switch (tag) {
    case T_NUMERO_FICHE: f->code = v; break;
    case T_INTITULE: cc_text_add(A(r), &f->title, "fr", v); break;
    case T_OBJECTIFS_CONTEXTE: cc_text_add(A(r), &f->description, "fr", v); break;
    case T_PREREQUIS_ENTREE_FORMATION: cc_text_add(A(r), &f->entry_requirements, "fr", v); break;
    case T_CAPACITES_ATTESTEES:
        cc_text_add(A(r), &f->outcomes_text, "fr", v);
        cc_rncp_split_outcomes(A(r), v, &f->outcomes);
        break;
    case T_ACTIF:
        if (strcmp(v, "Oui") && strcmp(v, "Non"))
            warn(r, "rncp-bool", "ACTIF is '%s', not Oui or Non", v);
        f->active = strcmp(v, "Oui") == 0;
        break;
    case T_DATE_FIN_ENREGISTREMENT:
        if (!cc_date_fr_to_iso(v, iso))
            warn(r, "rncp-date", "date '%s' is not dd/mm/yyyy", v);
        f->valid_until = cc_date_fr_to_iso(v, iso) ? cc_strdup(A(r), iso) : v;
        break;
    case T_NOUVELLE_CERTIFICATION:
        cc_list_append(&f->successors, cc_code_new(A(r), "rncp", v, NULL, NULL));
        break;
    case T_ANCIENNE_CERTIFICATION:
        cc_list_append(&f->predecessors, cc_code_new(A(r), "rncp", v, NULL, NULL));
        break;
    }
}

static void code_leaf(reader *r, int tag, const char *v)
{
    cc_code *c = r->code;
    if (tag == T_LIBELLE || tag == T_INTITULE) {
        cc_text_add(A(r), &c->label, "fr", v);
        return;
    }
    c->code = v;
    if (tag == T_NIVEAU && strncmp(v, "NIV", 3) == 0 && v[3] >= '1' && v[3] <= '8' && !v[4])
        r->rec->achievement->eqf_level = v[3] - '0';  /* national level n = EQF level n */
}

static void org_leaf(reader *r, int tag, const char *v)
{
    if (tag == T_NOM_CERTIFICATEUR || tag == T_NOM_PARTENAIRE)
        cc_text_add(A(r), &r->org->name, "fr", v);
    else if (tag == T_SITE_INTERNET)
        r->org->url = v;
    else
        cc_list_append(&r->org->identifiers, cc_code_new(A(r), "siret", v, NULL, NULL));
}

static void block_leaf(reader *r, int tag, const char *v)
{
    cc_achievement *b = r->block;
    switch (tag) {
    case T_CODE: b->code = v; break;
    case T_LIBELLE: cc_text_add(A(r), &b->title, "fr", v); break;
    case T_MODALITES_EVALUATION: cc_text_add(A(r), &b->assessment, "fr", v); break;
    case T_PREREQUIS_ENTREE_FORMATION_BLOC:
        cc_text_add(A(r), &b->entry_requirements, "fr", v);
        break;
    case T_LISTE_COMPETENCES:
        cc_text_add(A(r), &b->outcomes_text, "fr", v);
        cc_rncp_split_outcomes(A(r), v, &b->outcomes);
        break;
    }
}

/* An element the model holds one value of, given twice (two NUMERO_FICHE, two CODE in a
 * block): keeping either would be a guess, so the fiche is rejected, naming the line. */
static bool repeated(reader *r, int tag, role parent, const char *v)
{
    static const uint64_t fiche_single = 1ULL << T_NUMERO_FICHE | 1ULL << T_INTITULE | 1ULL << T_ACTIF |
                                         1ULL << T_DATE_FIN_ENREGISTREMENT | 1ULL << T_OBJECTIFS_CONTEXTE |
                                         1ULL << T_CAPACITES_ATTESTEES;
    static const uint64_t block_single = 1ULL << T_CODE | 1ULL << T_LIBELLE | 1ULL << T_LISTE_COMPETENCES;
    uint64_t *seen = parent == R_FICHE ? &r->seen_fiche : parent == R_BLOCK ? &r->seen_block : NULL;
    uint64_t single = parent == R_FICHE ? fiche_single : block_single, bit = 1ULL << tag;
    if (!seen || !(single & bit))
        return false;
    if (!(*seen & bit)) {
        *seen |= bit;
        return false;
    }
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, cur_line(r), 0, r->rec->achievement->code,
             "rncp-repeated", "a second <%s> in this %s ('%.80s'): which one is meant cannot be told, so the "
             "fiche is rejected", tag_names[tag], parent == R_FICHE ? "fiche" : "skills block", v);
    r->repeated = true;
    return true;
}

static void leaf(reader *r, const frame *fr, const frame *parent)
{
    if (parent->role == R_ROOT) {  /* VERSION_FLUX: no fiche, no arena yet */
        r->legacy = !(r->text_len && r->text[strspn(r->text, " \t\r\n")] == '4');
        return;
    }
    const char *v = take_text(r);
    if (!v || repeated(r, fr->tag, parent->role, v))
        return;
    switch (parent->role) {
    case R_FICHE: fiche_leaf(r, fr->tag, v); break;
    case R_SUCC: fiche_leaf(r, T_NOUVELLE_CERTIFICATION, v); break;
    case R_PRED: fiche_leaf(r, T_ANCIENNE_CERTIFICATION, v); break;
    case R_CODE: code_leaf(r, fr->tag, v); break;
    case R_ORG: org_leaf(r, fr->tag, v); break;
    case R_BLOCK: block_leaf(r, fr->tag, v); break;
    default: break;
    }
}

static void on_end(void *ud, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    (void)prefix, (void)uri;
    reader *r = ud;
    flush_pending(r);
    if (r->depth <= 0)
        return;
    frame *fr = &r->stack[r->depth], *parent = &r->stack[r->depth - 1];
    switch (fr->role) {
    case R_LEAF:
        if (!fr->has_children)
            leaf(r, fr, parent);
        break;
    case R_CAPTURE:
        if (!fr->has_children)
            set_ext_value(r, fr->cap, (const char *)name, take_text(r));
        break;
    case R_BLOCK: finish_block(r); break;
    case R_FICHE: finish_fiche(r); break;
    default: break;
    }
    r->depth--;
    r->text_len = 0;
    if (r->stop)
        stop_parser(r);
}

static void on_text(void *ud, const xmlChar *s, int len)
{
    reader *r = ud;
    if (r->fatal)
        return;
    if (r->text_len + (size_t)len > CC_XML_MAX_TEXT) {
        fail(r, "xml-huge-text", "%s", CC_XML_HUGE_TEXT_MSG);
        return;
    }
    if (r->text_len + (size_t)len + 1 > r->text_cap) {
        size_t cap = r->text_cap ? r->text_cap : 4096;
        while (cap < r->text_len + (size_t)len + 1)
            cap *= 2;
        char *t = realloc(r->text, cap);
        if (!t) {
            fail(r, "out-of-memory", "out of memory for a text of %s bytes", "many");
            return;
        }
        r->text = t;
        r->text_cap = cap;
    }
    memcpy(r->text + r->text_len, s, (size_t)len);
    r->text_len += (size_t)len;
    r->text[r->text_len] = '\0';
}

/* No DTD is ever read: it is where external entities and expansion bombs live. */
static void on_doctype(void *ud, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    fail(ud, "xml-doctype", "DOCTYPE declarations are refused (no DTD or entity is loaded)%s", "");
}

/* An error libxml2 raises once told the input is over: the file is cut short.  Its own words
 * ("Extra content at the end of the document", "expected '>'") say nothing of that, so the
 * message names the end of the input and the elements left open, innermost first. */
static void truncated(reader *r)
{
    char open[400] = "";
    size_t n = 0;
    for (int i = r->depth; i > 0 && n + 80 < sizeof open; i--) {
        if (i == r->depth - 2 && i > 1) {  /* the innermost two and the root are enough */
            n += (size_t)snprintf(open + n, sizeof open - n, ", …");
            i = 2;
            continue;
        }
        n += (size_t)snprintf(open + n, sizeof open - n, "%s<%.40s> (line %ld)", i < r->depth ? ", in " : "",
                              (const char *)r->stack[i].name, r->stack[i].line);
    }
    long line = r->wide ? cur_line(r) : r->scan.line, col = r->wide ? cur_col(r) : r->scan.col + 1;
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, line, col, NULL, "xml-syntax",
             "not well-formed XML: unexpected end of file at line %ld%s%s%s", line,
             cc_xml_guard_in_markup(&r->scan) && !r->wide ? ", inside a tag or comment" : "",
             r->depth ? ": not closed: " : !r->seen_root ? ", before the root element" : "", open);
}

/* The parser hands its own user data (the schema plug's, when validating) to this handler, so
 * the reader comes from the parser context that raised the error. */
static void on_error(void *ud, xmlErrorPtr e)
{
    (void)ud;
    xmlParserCtxtPtr px = e->ctxt;
    reader *r = px ? px->_private : NULL;
    if (!r || e->level == XML_ERR_WARNING || r->fatal)
        return;
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    if (r->at_end && cc_xml_error_cut_short(e, r->depth > 0 || !r->seen_root))
        truncated(r);
    else
        cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, e->line, e->int2, NULL, "xml-syntax",
                 "not well-formed XML: %s", msg);
    r->fatal = 1;
    stop_parser(r);
}

static void on_schema_error(void *ud, xmlErrorPtr e)
{
    reader *r = ud;
    if (r->unwinding)
        return;
    char msg[512];
    cc_xml_error_text(e, msg, sizeof msg);
    cc_record *cur = r->rec ? r->rec : r->pending;
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, e->line, 0,
             cur ? cur->achievement->code : NULL, "rncp-schema", "%s", msg);
    cc_record *rec = r->rec ? r->rec : r->pending;
    if (rec)
        rec->invalid++;
    else
        r->doc_invalid++;
}

static int schema_locator(void *ud, const char **file, unsigned long *line)
{
    reader *r = ud;
    *file = r->ctx->in->name;
    *line = (unsigned long)cur_line(r);
    return 0;
}

/* ------------------------------------------------------------ driver */

static void init_sax(xmlSAXHandler *sax)
{
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = on_start;
    sax->endElementNs = on_end;
    sax->characters = on_text;
    sax->cdataBlock = on_text;
    sax->internalSubset = on_doctype;
    sax->serror = on_error;
}

/* The schema validates the SAX stream as it goes (xmlSchemaSAXPlug), so validation streams too. */
static int load_schema(reader *r, cc_xmlschema *s, xmlSAXHandlerPtr *sax, void **ud)
{
    if (cc_xmlschema_load(s, r->ctx, "rncp-4.1.xsd") != 0)
        return -1;
    xmlSchemaSetValidStructuredErrors(s->vctxt, on_schema_error, r);
    xmlSchemaValidateSetLocator(s->vctxt, schema_locator, r);
    s->plug = xmlSchemaSAXPlug(s->vctxt, sax, ud);
    if (s->plug)
        (*sax)->serror = on_error;  /* the plug does not pass structured errors on */
    return s->plug ? 0 : -1;
}

/* libxml2 (2.9.14 at least) leaks the xs:unique state of elements still open when a plugged
 * validation ends mid-document: a well-formedness error, or the sink saying stop.  Closing
 * them in the validator alone, innermost first, lets it free that state.  The count is the
 * reader's own (it saw every start and end the validator saw; the parser's stack may have
 * dropped a mismatched end tag); what the validator says meanwhile is not reported, the
 * document being already broken or abandoned. */
static void unwind_validator(reader *r, xmlSAXHandler *own, const xmlSAXHandler *plugged,
                             void *ud)
{
    if (plugged == own || !plugged->endElementNs)
        return;
    r->unwinding = true;
    own->endElementNs = NULL;  /* the plug calls ours first: nothing more reaches the reader */
    for (int i = r->depth; i > 0; i--) {
        const xmlChar *name = i <= r->px->nameNr ? r->px->nameTab[i - 1] : BAD_CAST "";
        plugged->endElementNs(ud, name, NULL, NULL);
    }
}

static void missed_error(reader *r)
{
    xmlErrorPtr e = xmlCtxtGetLastError(r->px);
    if (e && e->ctxt == r->px)
        on_error(NULL, e);
    if (!r->fatal)
        fail(r, "xml-syntax", "not well-formed XML%s", "");
}

/* Feeds one chunk, after scanning it: a start tag with too many attributes is refused, and
 * only what comes before it (in this chunk) reaches libxml2, so the fiches before it convert. */
static void feed(reader *r, const char *buf, size_t n)
{
    long long base = r->scan.offset;
    if (cc_xml_guard_feed(&r->scan, buf, n)) {
        xmlParseChunk(r->px, buf, (int)n, 0);
        return;
    }
    long long lt = r->scan.tag_offset - base;  /* the refused tag's '<', if in this chunk */
    if (lt > 0)
        xmlParseChunk(r->px, buf, (int)lt, 0);
    flush_pending(r);
    if (r->fatal || r->stop)
        return;
    cc_diagf(r->ctx->diag, CC_ERROR, r->ctx->in->name, r->scan.tag_line, 0, NULL, "xml-attributes",
             "a start tag with more than %d attributes: refused before it is parsed (no element of "
             "an RNCP export has more than a namespace declaration or two)", MAX_ATTRS);
    r->fatal = 1;
    stop_parser(r);
}

static void parse_all(reader *r)
{
    enum { CHUNK = 256 * 1024 };
    char *buf = malloc(CHUNK);
    size_t n;
    r->scan = (cc_xml_guard)CC_XML_GUARD_INIT(MAX_ATTRS, 0);
    while (buf && !r->fatal && !r->stop && (n = cc_input_read(r->ctx->in, buf, CHUNK)) > 0) {
        if (r->scan.line == 1 && r->scan.col == 0 && n >= 2)  /* the first chunk: a BOM, or "<" as 16 bits */
            r->wide = !memcmp(buf, "\xFF\xFE", 2) || !memcmp(buf, "\xFE\xFF", 2) ||
                      (n >= 4 && (!memcmp(buf, "<\0?\0", 4) || !memcmp(buf, "\0<\0?", 4)));
        feed(r, buf, n);
    }
    r->at_end = buf != NULL;
    if (!r->fatal && !r->stop)
        xmlParseChunk(r->px, NULL, 0, 1);
    free(buf);
    if (!r->fatal && !r->px->wellFormed)  /* an error no handler saw still fails the document */
        missed_error(r);
}

int cc_rncp_read(cc_read_ctx *ctx)
{
    reader *r = calloc(1, sizeof *r);
    cc_xmlschema sch = {0};
    xmlSAXHandler sax;
    xmlSAXHandlerPtr saxp = &sax;
    void *ud = r;
    int rc = 0;
    if (!r)
        return 2;
    r->ctx = ctx;
    r->legacy = true;  /* until VERSION_FLUX says 4.x: V2 had none */
    init_sax(&sax);
    if (ctx->validate && load_schema(r, &sch, &saxp, &ud) != 0) {
        cc_xmlschema_free(&sch);
        free(r);
        return 2;
    }
    /* Created empty, so the first chunk (and its encoding declaration) goes through the
     * same path as the rest; NONET: nothing may reach the network. */
    r->px = xmlCreatePushParserCtxt(saxp, ud, NULL, 0, ctx->in->name);
    if (!r->px) {
        cc_xmlschema_free(&sch);
        free(r);
        return 2;
    }
    r->px->_private = r;
    xmlCtxtUseOptions(r->px, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    intern_tags(r);
    parse_all(r);
    unwind_validator(r, &sax, saxp, ud);
    if (!r->stop)
        flush_pending(r);  /* the last fiche: complete, even if the document breaks after it */
    cc_record_free(r->pending);
    r->pending = NULL;
    if (!r->fatal && !r->seen_root && !r->stop) {
        cc_diagf(ctx->diag, CC_ERROR, ctx->in->name, 1, 1, NULL, "rncp-root",
                 "no <FICHES> document in the input");
        r->fatal = 1;
    }
    if (r->rec) {  /* a fiche cut short by an error: never delivered half-read */
        cc_record_free(r->rec);
        r->rec = NULL;
    }
    rc = r->fatal || r->doc_invalid ? 1 : 0;
    xmlFreeParserCtxt(r->px);
    cc_xmlschema_free(&sch);
    free(r->text);
    free(r);
    return rc;
}
