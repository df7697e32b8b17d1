/* The status state file: a journal of which index each credential has (cc_status.h).
 * Every change is one appended line, written under an exclusive flock and synced before the
 * caller uses the index, so parallel shards and reruns never hand out one index twice, and a
 * crash loses at most the line being written (never one whose credential was written). */
#include "cc_hash.h"
#include "cc_jsonread.h"
#include "cc_status.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct slot {
    char *id;                     /* NULL: empty */
    long long index;
} slot;

struct cc_status_state {
    int fd;
    char *path;
    char *issuer;
    long long size;
    char *url[CC_STATUS_NPURPOSES];
    char *published[CC_STATUS_NPURPOSES];  /* the file each list was first published to */
    uint8_t *used;                /* size bits: the indexes handed out */
    slot *slots;                  /* open addressing, cap a power of two */
    size_t cap, n;
    char **order;                 /* ids in journal order (borrowed from slots) */
    off_t parsed;                 /* journal bytes read so far (whole lines) */
    bool header;
};

static const char *const purpose_names[] = {"revocation", "suspension"};

const char *cc_status_purpose_name(cc_status_purpose p)
{
    return p < CC_STATUS_NPURPOSES ? purpose_names[p] : "?";
}

int cc_status_purpose_parse(const char *s, cc_status_purpose *p)
{
    for (int i = 0; s && i < CC_STATUS_NPURPOSES; i++)
        if (!strcmp(s, purpose_names[i]))
            return *p = (cc_status_purpose)i, 0;
    return -1;
}

static size_t hash(const char *s)
{
    return cc_hash_str(s);
}

static slot *find(const cc_status_state *s, const char *id)
{
    if (!s->cap)
        return NULL;
    for (size_t i = hash(id) & (s->cap - 1);; i = (i + 1) & (s->cap - 1))
        if (!s->slots[i].id || !strcmp(s->slots[i].id, id))
            return &s->slots[i];
}

static int grow(cc_status_state *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 1024;
    slot *old = s->slots, *fresh = calloc(ncap, sizeof *fresh);
    char **order = realloc(s->order, ncap / 2 * sizeof *order);
    if (!fresh || !order)
        return free(fresh), order ? (s->order = order, -1) : -1;
    s->order = order;
    size_t ocap = s->cap;
    s->slots = fresh, s->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        slot *dst = old[i].id ? find(s, old[i].id) : NULL;  /* never NULL: s->cap > 0 now */
        if (dst)
            *dst = old[i];
    }
    free(old);
    return 0;
}

/* One journal record taken into memory; why set on a bad one. */
/* The id is kept in its slot, freed with the state; gcc 12's -fanalyzer does not follow it
 * into the table (a false "leak"), so its leak check is off for this function. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static int take_entry(cc_status_state *s, const char *id, long long index, const char **why)
{
    if (index < 0 || index >= s->size)
        return *why = "an index outside the list", -1;
    if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
        return *why = "no memory", -1;
    slot *e = find(s, id);
    if (!e)
        return *why = "no memory", -1;  /* not reached: the table has room after grow */
    if (e->id)
        return e->index == index ? 0 : (*why = "a credential given two indexes", -1);
    if (cc_status_bit(s->used, index))
        return *why = "an index given to two credentials", -1;
    if (!(e->id = strdup(id)))
        return *why = "no memory", -1;
    e->index = index;
    s->order[s->n++] = e->id;
    cc_status_set_bit(s->used, index, true);
    return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

static int take_header(cc_status_state *s, const json_t *j, const char **why)
{
    const char *iss = json_string_value(json_object_get(j, "issuer"));
    json_t *size = json_object_get(j, "size");
    long long n = json_is_integer(size) ? json_integer_value(size) : 0;
    if (json_integer_value(json_object_get(j, "credconvStatusState")) != 1 || !iss)
        return *why = "not a credconv status state file (version 1, with an issuer)", -1;
    if (n < CC_STATUS_MIN_BITS || n > CC_STATUS_MAX_BITS || n % 8)
        return *why = "its size is not a multiple of 8 from 131072 to 134217728", -1;
    s->issuer = strdup(iss), s->size = n;
    s->used = calloc((size_t)(n / 8), 1);
    s->header = true;
    return s->issuer && s->used ? 0 : (*why = "no memory", -1);
}

static int take_line(cc_status_state *s, const char *line, size_t len, const char **why)
{
    json_t *j = cc_json_loadb(line, len, 0, NULL);
    int rc = -1;
    cc_status_purpose p;
    const char *id = json_string_value(json_object_get(j, "id"));
    json_t *ix = json_object_get(j, "index");
    if (!json_is_object(j))
        *why = "a line that is not a JSON object";
    else if (!s->header)
        rc = take_header(s, j, why);
    else if (id && json_is_integer(ix))
        rc = take_entry(s, id, json_integer_value(ix), why);
    else if (cc_status_purpose_parse(json_string_value(json_object_get(j, "published")), &p) == 0 &&
             json_is_string(json_object_get(j, "file")) && !s->published[p])
        rc = (s->published[p] = strdup(json_string_value(json_object_get(j, "file")))) ? 0 : -1;
    else if (cc_status_purpose_parse(json_string_value(json_object_get(j, "list")), &p) == 0 &&
             json_is_string(json_object_get(j, "url")) && !s->url[p])
        rc = (s->url[p] = strdup(json_string_value(json_object_get(j, "url")))) ? 0 : -1;
    else
        *why = "a line that is neither a list nor an entry";
    json_decref(j);
    return rc;
}

/* Reads the journal from where the last read stopped; a last line without its newline (a
 * crash while writing it) is cut off when truncate is set (the lock is held then). */
static int refresh(cc_status_state *s, bool truncate, char *why, size_t cap)
{
    struct stat st;
    if (fstat(s->fd, &st) != 0)
        return snprintf(why, cap, "%s: %s", s->path, strerror(errno)), -1;
    size_t n = (size_t)(st.st_size - s->parsed);
    char *buf = n ? malloc(n) : NULL;
    if (n && (!buf || pread(s->fd, buf, n, s->parsed) != (ssize_t)n))
        return free(buf), snprintf(why, cap, "%s: cannot read: %s", s->path, strerror(errno)), -1;
    size_t at = 0;
    long line = 0;
    for (char *nl; at < n && (nl = memchr(buf + at, '\n', n - at)); at = (size_t)(nl - buf) + 1) {
        const char *w = NULL;
        line++;
        if (take_line(s, buf + at, (size_t)(nl - buf) - at, &w) != 0) {
            snprintf(why, cap, "%s: line after byte %lld: %s", s->path, (long long)s->parsed + (long long)at,
                     w ? w : "no memory");
            return free(buf), -1;
        }
    }
    free(buf);
    s->parsed += (off_t)at;
    if (at < n && truncate && ftruncate(s->fd, s->parsed) != 0)
        return snprintf(why, cap, "%s: %s", s->path, strerror(errno)), -1;
    return 0;
}

/* One line appended and synced: the caller holds the lock and has refreshed. */
static int append(cc_status_state *s, const char *line, char *why, size_t cap)
{
    size_t len = strlen(line);
    ssize_t w = pwrite(s->fd, line, len, s->parsed);
    if (w != (ssize_t)len || fdatasync(s->fd) != 0) {
        snprintf(why, cap, "%s: cannot write: %s", s->path, w < 0 || w == (ssize_t)len ? strerror(errno) : "short write");
        if (ftruncate(s->fd, s->parsed) != 0) {
            /* the cut line is dropped by the next writer */
        }
        return -1;
    }
    return refresh(s, false, why, cap);
}

int cc_status_lock(cc_status_state *s, char *why, size_t cap)
{
    if (flock(s->fd, LOCK_EX) != 0)
        return snprintf(why, cap, "%s: cannot lock: %s", s->path, strerror(errno)), -1;
    if (refresh(s, true, why, cap) != 0)
        return flock(s->fd, LOCK_UN), -1;
    return 0;
}

void cc_status_unlock(cc_status_state *s)
{
    flock(s->fd, LOCK_UN);
}

static char *json_line(json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(j);
    size_t n = text ? strlen(text) : 0;
    char *line = text ? realloc(text, n + 2) : NULL;
    if (!line)
        return free(text), NULL;
    line[n] = '\n', line[n + 1] = '\0';
    return line;
}

static int put(cc_status_state *s, json_t *j, char *why, size_t cap)
{
    char *line = json_line(j);
    int rc = line ? append(s, line, why, cap) : (snprintf(why, cap, "no memory"), -1);
    free(line);
    return rc;
}

/* A new state gets its header; an existing one must be the same issuer, and gets the list
 * URLs it lacks (a URL it has is never changed: credentials already name it). */
static int settle(cc_status_state *s, const cc_status_init *init, char *why, size_t cap)
{
    if (!s->header) {
        if (!init || !init->issuer)
            return snprintf(why, cap, "%s: empty, and nothing says whose lists it keeps", s->path), -1;
        long long size = init->size ? init->size : CC_STATUS_MIN_BITS;
        if (put(s, json_pack("{s:i,s:s,s:I}", "credconvStatusState", 1, "issuer", init->issuer, "size", size),
                why, cap) != 0)
            return -1;
    }
    if (!init)
        return 0;
    if (init->issuer && strcmp(init->issuer, s->issuer))
        return snprintf(why, cap, "%s keeps the lists of %s, not of %s", s->path, s->issuer, init->issuer), -1;
    for (int p = 0; p < CC_STATUS_NPURPOSES; p++) {
        const char *u = init->url[p];
        if (u && s->url[p] && strcmp(u, s->url[p]))
            return snprintf(why, cap, "%s: the %s list is %s, not %s", s->path, purpose_names[p], s->url[p], u), -1;
        if (u && !s->url[p] && put(s, json_pack("{s:s,s:s}", "list", purpose_names[p], "url", u), why, cap) != 0)
            return -1;
    }
    return 0;
}

cc_status_state *cc_status_state_open(const char *path, const cc_status_init *init, char *why, size_t cap)
{
    cc_status_state *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        snprintf(why, cap, "no memory");
        return NULL;
    }
    s->fd = open(path, O_RDWR | O_CLOEXEC | (init ? O_CREAT : 0), 0644);
    if (s->fd < 0) {
        snprintf(why, cap, "%s: %s", path, strerror(errno));
        return cc_status_state_close(s), NULL;
    }
    int rc = cc_status_lock(s, why, cap);
    if (rc == 0) {
        rc = settle(s, init, why, cap);
        cc_status_unlock(s);
    }
    return rc == 0 ? s : (cc_status_state_close(s), NULL);
}

void cc_status_state_close(cc_status_state *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    for (size_t i = 0; i < s->cap; i++)
        free(s->slots[i].id);
    for (int p = 0; p < CC_STATUS_NPURPOSES; p++)
        free(s->url[p]), free(s->published[p]);
    free(s->slots), free(s->order), free(s->used), free(s->issuer), free(s->path);
    free(s);
}

/* A free index, uniformly among the free ones: a random draw, retried while taken; when the
 * list is nearly full, the k-th free index for a random k.  -1 when none is free. */
static long long draw(const cc_status_state *s)
{
    long long free_n = s->size - (long long)s->n;
    uint64_t r;
    if (free_n <= 0)
        return -1;
    for (int tries = 0; tries < 64; tries++) {
        if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
            return -2;
        long long i = (long long)(r % (uint64_t)s->size);
        if (!cc_status_bit(s->used, i))
            return i;
    }
    if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
        return -2;
    long long k = (long long)(r % (uint64_t)free_n);
    for (long long i = 0; i < s->size; i++)
        if (!cc_status_bit(s->used, i) && k-- == 0)
            return i;
    return -1;
}

int cc_status_assign(cc_status_state *s, const char *id, long long *index, char *why, size_t cap)
{
    if (cc_status_lock(s, why, cap) != 0)
        return -1;
    long long i = cc_status_lookup(s, id);
    int rc = 0;
    if (i < 0) {
        i = draw(s);
        if (i < 0)
            rc = -1, snprintf(why, cap, i == -1 ? "%s: every index of the list is taken: start a new list (a new "
                              "state file and list URL)" : "%s: no random bytes", s->path);
        else
            rc = put(s, json_pack("{s:s,s:I}", "id", id, "index", i), why, cap);
    }
    cc_status_unlock(s);
    *index = i;
    return rc;
}

long long cc_status_lookup(const cc_status_state *s, const char *id)
{
    const slot *e = find(s, id);
    return e && e->id ? e->index : -1;
}

const char *cc_status_published(const cc_status_state *s, cc_status_purpose p) { return s->published[p]; }

int cc_status_set_published(cc_status_state *s, cc_status_purpose p, const char *file, char *why, size_t cap)
{
    if (s->published[p])
        return 0;
    return put(s, json_pack("{s:s,s:s}", "published", purpose_names[p], "file", file), why, cap);
}

const char *cc_status_issuer(const cc_status_state *s) { return s->issuer; }
long long cc_status_size(const cc_status_state *s) { return s->size; }
const char *cc_status_url(const cc_status_state *s, cc_status_purpose p) { return s->url[p]; }
size_t cc_status_count(const cc_status_state *s) { return s->n; }

const char *cc_status_entry(const cc_status_state *s, size_t n, long long *index)
{
    if (n >= s->n)
        return NULL;
    *index = cc_status_lookup(s, s->order[n]);
    return s->order[n];
}
