/* Inputs: a file or stdin, with the first bytes kept for format detection; a gzip or zip
 * input is read as what it holds (converters/pipeline/decompress.c). */
#include "cc_decompress.h"
#include "credconv/credconv.h"

#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fill_peek(cc_input *in)
{
    struct stat st;
    if (fstat(fileno(in->fp), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            cc_input_close(in);
            errno = EISDIR;
            return -1;
        }
        if (S_ISREG(st.st_mode))
            in->size = st.st_size;
    }
    in->peek_len = fread(in->peek, 1, sizeof in->peek, in->fp);
    if (ferror(in->fp)) {
        int e = errno;
        cc_input_close(in);
        errno = e;
        return -1;
    }
    return 0;
}

/* Reads compressed bytes' content into the peek buffer, in place of the compressed bytes. */
static int start_decoder(cc_input *in, const char *member)
{
    cc_compression c = cc_compression_of(in->peek, in->peek_len);
    if (c != CC_ZIP && member) {
        snprintf(in->error, sizeof in->error, "--member %.200s: this input is not a zip archive", member);
        return -1;
    }
    if (c == CC_PLAIN)
        return 0;
    in->dec = cc_decoder_open(in->fp, in->peek, in->peek_len, c, member, in->error, sizeof in->error);
    if (!in->dec)
        return -1;
    in->size = -1;  /* the compressed size says nothing of how much there is to read */
    size_t n = 0;
    long got = 0;
    while (n < sizeof in->peek && (got = cc_decoder_read(in->dec, in->peek + n, sizeof in->peek - n,
                                                         in->error, sizeof in->error)) > 0)
        n += (size_t)got;
    in->peek_len = n;
    return got < 0 ? -1 : 0;
}

static int open_raw(cc_input *in, const char *path);

int cc_input_open_member(cc_input *in, const char *path, const char *member)
{
    if (open_raw(in, path) != 0)
        return -1;
    if (start_decoder(in, member) != 0) {
        cc_input_close(in);
        errno = EINVAL;
        return -1;
    }
    return 0;
}

int cc_input_open(cc_input *in, const char *path)
{
    return cc_input_open_member(in, path, NULL);
}

static int open_raw(cc_input *in, const char *path)
{
    memset(in, 0, sizeof *in);
    in->size = -1;
    if (!path || strcmp(path, "-") == 0) {
        in->fp = stdin;
        in->name = "<stdin>";
    } else {
        in->fp = fopen(path, "rb");
        in->name = path;
        if (!in->fp)
            return -1;
        in->owned = true;
    }
    return fill_peek(in);
}

int cc_input_from_fp(cc_input *in, FILE *fp, const char *name)
{
    memset(in, 0, sizeof *in);
    in->size = -1;
    in->fp = fp;
    in->name = name;
    return fill_peek(in);
}

void cc_input_close(cc_input *in)
{
    cc_decoder_free(in->dec);
    in->dec = NULL;
    if (in->fp && in->owned)
        fclose(in->fp);
    in->fp = NULL;
}

size_t cc_input_read(cc_input *in, void *buf, size_t n)
{
    size_t got = 0;
    if (in->peek_pos < in->peek_len) {
        got = in->peek_len - in->peek_pos;
        if (got > n)
            got = n;
        memcpy(buf, in->peek + in->peek_pos, got);
        in->peek_pos += got;
    }
    if (got < n && in->dec) {
        long d = cc_decoder_read(in->dec, (char *)buf + got, n - got, in->error, sizeof in->error);
        got += d > 0 ? (size_t)d : 0;
    } else if (got < n && in->fp) {
        got += fread((char *)buf + got, 1, n - got, in->fp);
    }
    in->consumed += (long long)got;
    if (in->progress)
        in->progress(in->progress_ud, in->consumed, in->size);
    return got;
}

char *cc_input_slurp(cc_input *in, size_t max, size_t *len)
{
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && n <= max && (got = cc_input_read(in, buf + n, cap - n)) > 0) {
        n += got;
        if (n == cap) {
            char *b = realloc(buf, 2 * cap + 1);
            if (!b)
                free(buf);
            buf = b;
            cap *= 2;
        }
    }
    if (buf && n > max) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

bool cc_matches(const char *s, const char *re)
{
    regex_t r;
    if (!s || regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    bool ok = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}
