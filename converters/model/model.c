/* Record life cycle and the small constructors every reader uses. */
#include "credconv/credconv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

cc_record *cc_record_new(cc_record_kind kind)
{
    cc_arena *a = cc_arena_new();
    cc_record *r = cc_alloc(a, sizeof *r);
    r->arena = a;
    r->kind = kind;
    if (kind == CC_REC_ACHIEVEMENT) {
        r->achievement = cc_achievement_new(a);
    } else {
        r->credential = cc_alloc(a, sizeof *r->credential);
    }
    return r;
}

void cc_record_free(cc_record *r)
{
    while (r) {
        cc_record *next = r->adopted;
        cc_arena_free(r->arena);  /* r itself lives in the arena */
        r = next;
    }
}

void cc_record_adopt(cc_record *parent, cc_record *child)
{
    cc_record *last = child;
    while (last->adopted)
        last = last->adopted;
    last->adopted = parent->adopted;
    parent->adopted = child;
}

const char *cc_record_id(const cc_record *r)
{
    const cc_achievement *a = r->achievement;
    if (r->kind == CC_REC_CREDENTIAL) {
        if (r->credential->id)
            return r->credential->id;
        a = r->credential->achievement;
    }
    if (a && a->code)
        return a->code;
    if (a && a->id)
        return a->id;
    return NULL;
}

cc_text *cc_text_add(cc_arena *a, cc_list *l, const char *lang, const char *value)
{
    cc_text *t = cc_alloc(a, sizeof *t);
    t->lang = lang;
    t->value = value;
    cc_list_append(l, t);
    return t;
}

const char *cc_text_get(const cc_list *l, const char *lang)
{
    const cc_text *first = l->head;
    for (const cc_text *t = l->head; t && lang; t = t->next)
        if (t->lang && strcmp(t->lang, lang) == 0)
            return t->value;
    return first ? first->value : NULL;
}

cc_code *cc_code_new(cc_arena *a, const char *scheme, const char *code, const char *label_lang,
                     const char *label)
{
    cc_code *c = cc_alloc(a, sizeof *c);
    c->scheme = scheme;
    c->code = code;
    if (label)
        cc_text_add(a, &c->label, label_lang, label);
    return c;
}

cc_ext *cc_ext_add(cc_arena *a, cc_list *l, const char *name, const char *value)
{
    cc_ext *e = cc_alloc(a, sizeof *e);
    e->name = name;
    e->value = value;
    cc_list_append(l, e);
    return e;
}

cc_achievement *cc_achievement_new(cc_arena *a)
{
    cc_achievement *x = cc_alloc(a, sizeof *x);
    x->active = -1;
    return x;
}

cc_org *cc_org_new(cc_arena *a)
{
    return cc_alloc(a, sizeof(cc_org));
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool cc_date_fr_to_iso(const char *s, char out[11])
{
    if (strlen(s) != 10 || s[2] != '/' || s[5] != '/' || !digits(s, 2) || !digits(s + 3, 2) ||
        !digits(s + 6, 4))
        return false;
    memcpy(out, s + 6, 4);
    out[4] = '-';
    memcpy(out + 5, s + 3, 2);
    out[7] = '-';
    memcpy(out + 8, s, 2);
    out[10] = '\0';
    return true;
}

bool cc_is_iso_date(const char *s)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s, 4) && digits(s + 5, 2) &&
           digits(s + 8, 2);
}

bool cc_date_iso_to_fr(const char *s, char out[11])
{
    if (!cc_is_iso_date(s))
        return false;
    memcpy(out, s + 8, 2);
    out[2] = '/';
    memcpy(out + 3, s + 5, 2);
    out[5] = '/';
    memcpy(out + 6, s, 4);
    out[10] = '\0';
    return true;
}

size_t cc_utf8_encode(unsigned cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ------------------------------------------------------------ ISO 8601 → epoch */

static bool digits_in(const char *s, int n, int lo, int hi, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return v >= lo && v <= hi;
}

/* The zone offset in seconds at z ("Z", "+hh:mm", "-hh:mm"); false when it is not one. */
static bool zone_offset(const char *z, long *off)
{
    int hh, mm;
    if ((*z == 'Z' || *z == 'z') && !z[1]) {
        *off = 0;
        return true;
    }
    if ((*z != '+' && *z != '-') || !digits_in(z + 1, 2, 0, 23, &hh) || z[3] != ':' ||
        !digits_in(z + 4, 2, 0, 59, &mm) || z[6])
        return false;
    *off = (*z == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
    return true;
}

bool cc_iso_to_epoch(const char *s, long long *out)
{
    struct tm tm = {0};
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!s || !digits_in(s, 4, 1, 9999, &y) || s[4] != '-' || !digits_in(s + 5, 2, 1, 12, &mo) ||
        s[7] != '-' || !digits_in(s + 8, 2, 1, 31, &d))
        return false;
    long off = 0;
    if (s[10]) {
        if ((s[10] != 'T' && s[10] != 't') || !digits_in(s + 11, 2, 0, 23, &h) || s[13] != ':' ||
            !digits_in(s + 14, 2, 0, 59, &mi) || s[16] != ':' || !digits_in(s + 17, 2, 0, 60, &sec))
            return false;
        const char *z = s + 19;
        if (*z == '.')
            for (z++; isdigit((unsigned char)*z); z++)
                ;  /* fractions of a second: NumericDate here is whole seconds */
        if (!zone_offset(z, &off))
            return false;
    }
    tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
    tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = sec;
    time_t t = timegm(&tm);
    if (tm.tm_mday != d)
        return false;  /* 31 April and the like: timegm normalised it */
    *out = (long long)t - off;
    return true;
}

