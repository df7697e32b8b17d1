/* RNCP/RS writer: a V4.1 FICHES document, in the export's element order.
 *
 * Typed model fields and the extension bag are interleaved: each extension entry is put
 * back at its element's place in the export order, and entries keep their relative order,
 * so rncp → model → rncp → model gives the same model. */
#include "cc_writecheck.h"
#include "cc_xmlw.h"
#include "rncp.h"

#include <stdlib.h>
#include <string.h>

static const char *const fiche_order[] = {
    "ID_FICHE", "NUMERO_FICHE", "NOUVELLES_CERTIFICATIONS", "ANCIENNES_CERTIFICATIONS",
    "INTITULE", "ABREGE", "ETAT_FICHE", "FORMACODES", "NOMENCLATURE_EUROPE", "CODES_NSF",
    "CERTIFICATEURS", "EXISTENCE_PARTENAIRES", "PARTENAIRES", "ACTIVITES_VISEES",
    "CAPACITES_ATTESTEES", "SECTEURS_ACTIVITE", "TYPE_EMPLOI_ACCESSIBLES", "CODES_ROME",
    "CODES_IDCC", "CCN_1", "CCN_2", "CCN_3", "REGLEMENTATIONS_ACTIVITES", "SI_JURY_FI",
    "SI_JURY_CA", "SI_JURY_FC", "SI_JURY_CQ", "SI_JURY_CL", "SI_JURY_VAE",
    "ACCESSIBLE_NOUVELLE_CALEDONIE", "ACCESSIBLE_POLYNESIE_FRANCAISE",
    "PUBLICATION_DECRET_GENERAL", "PUBLICATION_DECRET_CREATION", "PUBLICATION_DECRET_AUTRE",
    "DATE_DERNIER_JO", "DATE_DECISION", "DUREE_ENREGISTREMENT", "STATISTIQUES_PROMOTIONS",
    "LIEN_URL_DESCRIPTION", "DATE_FIN_ENREGISTREMENT", "DATE_EFFET", "ANNEES_PROMOTIONS_NIVEAU",
    "TYPE_ENREGISTREMENT", "BLOCS_COMPETENCES", "OBJECTIFS_CONTEXTE",
    "NIVEAU_MAITRISE_COMPETENCES", "VALIDATION_PARTIELLE", "VALIDATION_PARTIELLE_PERIMETRE",
    "ACTIF", "PREREQUIS_ENTREE_FORMATION", "DATE_DE_PUBLICATION",
    "PREREQUIS_VALIDATION_CERTIFICATION", "DATE_LIMITE_DELIVRANCE", "DUREE_VALIDITE",
    "MODALITES_RENOUVELLEMENT", "CORRESPONDANCES", NULL,
};
static const char *const certifier_order[] = {
    "SIRET_CERTIFICATEUR", "NOM_CERTIFICATEUR", "ETAT_CERTIFICATEUR",
    "DATE_DERNIERE_MODIFICATION_ETAT", "SITE_INTERNET", "NOM_COMMERCIAL", NULL,
};
static const char *const partner_order[] = {
    "NOM_PARTENAIRE", "SIRET_PARTENAIRE", "HABILITATION_PARTENAIRE", "ETAT_HABILITATION",
    "DATE_ACTIF", "DATE_DERNIERE_MODIFICATION_ETAT", NULL,
};
static const char *const block_order[] = {
    "CODE", "LIBELLE", "LISTE_COMPETENCES", "MODALITES_EVALUATION",
    "PREREQUIS_ENTREE_FORMATION_BLOC", "PREREQUIS_VALIDATION_BLOC", NULL,
};

typedef struct writer {
    FILE *out;                    /* where the element being rendered goes (memory) */
    FILE *dest;                   /* the output */
    const cc_diag_sink *diag;
    cc_wcheck_ref check;
} writer;

/* ------------------------------------------------------------ XML text */

static void put_escaped(FILE *out, const char *s)
{
    cc_xml_escape(out, s, false);
}

static void indent(FILE *out, int depth)
{
    cc_xml_indent(out, 4 * depth);
}

static void leaf(FILE *out, int depth, const char *name, const char *value)
{
    if (!value)
        return;
    indent(out, depth);
    fprintf(out, "<%s>", name);
    put_escaped(out, value);
    fprintf(out, "</%s>\n", name);
}

static void open_tag(FILE *out, int depth, const char *name)
{
    indent(out, depth);
    fprintf(out, "<%s>\n", name);
}

static void close_tag(FILE *out, int depth, const char *name)
{
    indent(out, depth);
    fprintf(out, "</%s>\n", name);
}

/* French text first: the export is in French. */
static const char *fr(const cc_list *texts)
{
    return cc_text_get(texts, "fr");
}

/* ------------------------------------------------------------ extension entries */

static void put_ext(FILE *out, int depth, const cc_ext *e, const char *name)
{
    if (e->children.n) {
        open_tag(out, depth, name);
        for (const cc_ext *c = e->children.head; c; c = c->next)
            put_ext(out, depth + 1, c, c->name);
        close_tag(out, depth, name);
        return;
    }
    char fr_date[11];
    const char *v = e->value ? e->value : "";
    if (e->is_bool)
        v = strcmp(v, "true") == 0 ? "Oui" : "Non";
    else if (strncmp(name, "DATE_", 5) == 0 && cc_date_iso_to_fr(v, fr_date))
        v = fr_date;
    leaf(out, depth, name, v);
}

/* An extension entry's element name, when it is one of ours ("rncp:NAME"). */
static const char *ext_name(const cc_ext *e)
{
    return strncmp(e->name, "rncp:", 5) == 0 && e->name[5] ? e->name + 5 : NULL;
}

static int rank(const char *const *order, const char *name)
{
    for (int i = 0; order[i]; i++)
        if (strcmp(order[i], name) == 0)
            return i;
    return -1;
}

/* Writes the typed field at position k of the element order (nothing if it has none). */
typedef void (*typed_fn)(writer *w, int depth, const void *obj, const char *name);

static void interleave(writer *w, int depth, const char *const *order, typed_fn typed,
                       const void *obj, const cc_list *ext)
{
    int next = 0;
    for (const cc_ext *e = ext->head; e; e = e->next) {
        const char *name = ext_name(e);
        if (!name)
            continue;  /* another format's extension: not for this output */
        for (int r = rank(order, name); next < r; next++)
            typed(w, depth, obj, order[next]);
        put_ext(w->out, depth, e, name);
    }
    for (; order[next]; next++)
        typed(w, depth, obj, order[next]);
}

/* ------------------------------------------------------------ organisations */

static const char *siret(const cc_org *o)
{
    for (const cc_code *c = o->identifiers.head; c; c = c->next)
        if (c->scheme && strcmp(c->scheme, "siret") == 0)
            return c->code;
    return NULL;
}

static void org_typed(writer *w, int depth, const void *obj, const char *name)
{
    const cc_org *o = obj;
    if (!strcmp(name, "SIRET_CERTIFICATEUR") || !strcmp(name, "SIRET_PARTENAIRE"))
        leaf(w->out, depth, name, siret(o));
    else if (!strcmp(name, "NOM_CERTIFICATEUR") || !strcmp(name, "NOM_PARTENAIRE"))
        leaf(w->out, depth, name, fr(&o->name));
    else if (!strcmp(name, "SITE_INTERNET"))
        leaf(w->out, depth, name, o->url);
}

static void put_orgs(writer *w, int depth, const cc_achievement *f, bool partners)
{
    const char *wrap = partners ? "PARTENAIRES" : "CERTIFICATEURS";
    const char *item = partners ? "PARTENAIRE" : "CERTIFICATEUR";
    bool opened = false;
    for (const cc_org *o = f->orgs.head; o; o = o->next) {
        bool is_partner = o->role && strcmp(o->role, "partner") == 0;
        if (is_partner != partners)
            continue;
        if (!opened)
            open_tag(w->out, depth, wrap);
        opened = true;
        open_tag(w->out, depth + 1, item);
        interleave(w, depth + 2, partners ? partner_order : certifier_order, org_typed, o,
                   &o->ext);
        close_tag(w->out, depth + 1, item);
    }
    if (opened)
        close_tag(w->out, depth, wrap);
}

/* ------------------------------------------------------------ codes */

static void put_code_list(writer *w, int depth, const cc_achievement *f, const char *scheme,
                          const char *wrap, const char *item)
{
    bool opened = false;
    for (const cc_code *c = f->alignments.head; c; c = c->next) {
        if (!c->scheme || strcmp(c->scheme, scheme) != 0)
            continue;
        if (!opened)
            open_tag(w->out, depth, wrap);
        opened = true;
        open_tag(w->out, depth + 1, item);
        leaf(w->out, depth + 2, "CODE", c->code);
        leaf(w->out, depth + 2, "LIBELLE", fr(&c->label));
        close_tag(w->out, depth + 1, item);
    }
    if (opened)
        close_tag(w->out, depth, wrap);
}

static void put_code(writer *w, int depth, const cc_code *c, const char *wrap, const char *key)
{
    if (!c)
        return;
    open_tag(w->out, depth, wrap);
    leaf(w->out, depth + 1, key, c->code);
    leaf(w->out, depth + 1, "LIBELLE", fr(&c->label));
    close_tag(w->out, depth, wrap);
}

static void put_links(writer *w, int depth, const cc_list *l, const char *wrap,
                      const char *item, const char *key)
{
    if (!l->n)
        return;
    open_tag(w->out, depth, wrap);
    for (const cc_code *c = l->head; c; c = c->next) {
        open_tag(w->out, depth + 1, item);
        leaf(w->out, depth + 2, key, c->code);
        close_tag(w->out, depth + 1, item);
    }
    close_tag(w->out, depth, wrap);
}

/* ------------------------------------------------------------ blocks and fiches */

static void block_typed(writer *w, int depth, const void *obj, const char *name)
{
    const cc_achievement *b = obj;
    if (!strcmp(name, "CODE")) leaf(w->out, depth, name, b->code);
    else if (!strcmp(name, "LIBELLE")) leaf(w->out, depth, name, fr(&b->title));
    else if (!strcmp(name, "LISTE_COMPETENCES")) leaf(w->out, depth, name, fr(&b->outcomes_text));
    else if (!strcmp(name, "MODALITES_EVALUATION")) leaf(w->out, depth, name, fr(&b->assessment));
    else if (!strcmp(name, "PREREQUIS_ENTREE_FORMATION_BLOC"))
        leaf(w->out, depth, name, fr(&b->entry_requirements));
}

static void put_blocks(writer *w, int depth, const cc_achievement *f)
{
    if (!f->parts.n)
        return;
    open_tag(w->out, depth, "BLOCS_COMPETENCES");
    for (const cc_achievement *b = f->parts.head; b; b = b->next) {
        open_tag(w->out, depth + 1, "BLOC_COMPETENCES");
        interleave(w, depth + 2, block_order, block_typed, b, &b->ext);
        close_tag(w->out, depth + 1, "BLOC_COMPETENCES");
    }
    close_tag(w->out, depth, "BLOCS_COMPETENCES");
}

static void fiche_typed(writer *w, int d, const void *obj, const char *n)
{
    const cc_achievement *f = obj;
    char date[11];
    if (!strcmp(n, "NUMERO_FICHE")) leaf(w->out, d, n, f->code);
    else if (!strcmp(n, "NOUVELLES_CERTIFICATIONS"))
        put_links(w, d, &f->successors, n, "NOUVELLE_CERTIFICATION", "ID_FICHE_NOUVELLE_CERTIFICATION");
    else if (!strcmp(n, "ANCIENNES_CERTIFICATIONS"))
        put_links(w, d, &f->predecessors, n, "ANCIENNE_CERTIFICATION", "ID_FICHE_ANCIENNE_CERTIFICATION");
    else if (!strcmp(n, "INTITULE")) leaf(w->out, d, n, fr(&f->title));
    else if (!strcmp(n, "ABREGE")) put_code(w, d, f->type, n, "CODE");
    else if (!strcmp(n, "FORMACODES")) put_code_list(w, d, f, "formacode", n, "FORMACODE");
    else if (!strcmp(n, "NOMENCLATURE_EUROPE")) put_code(w, d, f->nqf_level, n, "NIVEAU");
    else if (!strcmp(n, "CODES_NSF")) put_code_list(w, d, f, "nsf", n, "NSF");
    else if (!strcmp(n, "CERTIFICATEURS")) put_orgs(w, d, f, false);
    else if (!strcmp(n, "PARTENAIRES")) put_orgs(w, d, f, true);
    else if (!strcmp(n, "CAPACITES_ATTESTEES")) leaf(w->out, d, n, fr(&f->outcomes_text));
    else if (!strcmp(n, "CODES_ROME")) put_code_list(w, d, f, "rome", n, "ROME");
    else if (!strcmp(n, "CODES_IDCC")) put_code_list(w, d, f, "idcc", n, "IDCC");
    else if (!strcmp(n, "DATE_FIN_ENREGISTREMENT") && f->valid_until)
        leaf(w->out, d, n, cc_date_iso_to_fr(f->valid_until, date) ? date : f->valid_until);
    else if (!strcmp(n, "BLOCS_COMPETENCES")) put_blocks(w, d, f);
    else if (!strcmp(n, "OBJECTIFS_CONTEXTE")) leaf(w->out, d, n, fr(&f->description));
    else if (!strcmp(n, "ACTIF") && f->active >= 0) leaf(w->out, d, n, f->active ? "Oui" : "Non");
    else if (!strcmp(n, "PREREQUIS_ENTREE_FORMATION"))
        leaf(w->out, d, n, fr(&f->entry_requirements));
}

static const char HEAD[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<FICHES>\n"
                          "    <VERSION_FLUX>4.1</VERSION_FLUX>\n";
static const char TAIL[] = "</FICHES>\n";

void *cc_rncp_writer_open(cc_write_ctx *ctx)
{
    writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->dest = ctx->out;
    w->diag = ctx->diag;
    w->check = cc_wcheck_for(ctx);
    fputs(HEAD, w->dest);
    return w;
}

/* The FICHE element of f (a block alone: inside a fiche of its parent's number, with what
 * it inherited from it; the fiche's other fields are not in the record). */
static void render_fiche(writer *w, const cc_achievement *f)
{
    cc_achievement wrap;
    if (f->kind && strcmp(f->kind, "skills-block") == 0 && f->part_of) {
        wrap = (cc_achievement){.code = f->part_of, .nqf_level = f->nqf_level,
                                .orgs = f->orgs, .valid_until = f->valid_until,
                                .active = f->active};
        cc_achievement block = *f;
        block.next = NULL;
        wrap.parts = (cc_list){.head = &block, .tail = &block, .n = 1};
        f = &wrap;
        open_tag(w->out, 1, "FICHE");
        interleave(w, 2, fiche_order, fiche_typed, f, &f->ext);
        close_tag(w->out, 1, "FICHE");
        return;
    }
    open_tag(w->out, 1, "FICHE");
    interleave(w, 2, fiche_order, fiche_typed, f, &f->ext);
    close_tag(w->out, 1, "FICHE");
}

/* What to add, for a fiche that fails the schema. */
static const char *hint(const cc_achievement *f)
{
    if (!f->title.n)
        return "give the achievement a name (INTITULE)";
    return "RNCP V4.1 requires elements (listed above as missing) that only an RNCP export "
           "carries: convert from the export itself";
}

/* The fiche is rendered in memory as a whole V4.1 document and checked against the
 * bundled XSD (what `validate -f rncp` reads it with); only its FICHE element is written. */
int cc_rncp_writer_record(void *wp, const cc_record *r)
{
    writer *w = wp;
    const cc_achievement *f =
        r->kind == CC_REC_ACHIEVEMENT ? r->achievement : r->credential->achievement;
    if (!f || !f->code) {
        cc_diagf(w->diag, CC_ERROR, r->src_file, r->src_line, 0, cc_record_id(r),
                 "rncp-write-no-code",
                 "cannot write a FICHE: the record has no achievement code (NUMERO_FICHE)");
        return 1;
    }
    char *buf = NULL;
    size_t len = 0;
    if (!(w->out = open_memstream(&buf, &len)))
        return 2;
    fputs(HEAD, w->out);
    render_fiche(w, f);
    fputs(TAIL, w->out);
    bool bad = ferror(w->out);
    bad |= fclose(w->out) != 0;
    w->out = NULL;
    if (bad) {
        free(buf);
        return 2;
    }
    cc_wcheck_sink ws;
    const cc_diag_sink *d = cc_wcheck_sink_init(&ws, w->check.check, w->diag);
    int errors = cc_wcheck_xml(w->check.check, "rncp-4.1.xsd", buf, len, d, cc_record_id(r),
                               "rncp-schema");
    int rc = cc_wcheck_verdict(w->check.check, w->diag, r, "rncp", errors, hint(f));
    size_t body = len - strlen(HEAD) - strlen(TAIL);
    if (rc == 0 && fwrite(buf + strlen(HEAD), 1, body, w->dest) != body)
        rc = 2;
    free(buf);
    return rc ? rc : ferror(w->dest) ? 2 : 0;
}

int cc_rncp_writer_close(void *wp)
{
    writer *w = wp;
    fputs(TAIL, w->dest);
    int rc = ferror(w->dest) ? 2 : 0;
    cc_wcheck_release(&w->check);
    free(w);
    return rc;
}
