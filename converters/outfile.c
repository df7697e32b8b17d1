/* Output files appear whole or not at all: data goes to an unnamed temporary file
 * (O_TMPFILE) in the target's directory, which is linked in and renamed over the target
 * only when the run commits it.  A run that is killed leaves nothing behind. */
#include "cc_outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dir_of(const char *path)
{
    char *copy = strdup(path);
    char *d = copy ? strdup(dirname(copy)) : NULL;
    free(copy);
    return d;
}

int cc_outfile_open(cc_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->final = strdup(path);
    char *dir = dir_of(path);
    if (!o->final || !dir) {
        free(dir);
        return -1;
    }
#ifdef O_TMPFILE
    o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
#endif
    if (o->fd < 0) {  /* file systems without O_TMPFILE: a hidden named temporary */
        size_t n = strlen(path) + 32;
        o->tmp = malloc(n);
        if (o->tmp) {
            snprintf(o->tmp, n, "%s/.credconv-XXXXXX", dir);
            o->fd = mkstemp(o->tmp);
        }
    }
    free(dir);
    if (o->fd < 0) {
        int e = errno;
        cc_outfile_abort(o);
        errno = e;
        return -1;
    }
    o->fp = fdopen(o->fd, "w");
    if (!o->fp) {
        cc_outfile_abort(o);
        return -1;
    }
    static const size_t BUF = 1 << 20;
    setvbuf(o->fp, NULL, _IOFBF, BUF);
    return 0;
}

static int link_tmpfile(cc_outfile *o)
{
    char proc[64];
    size_t n = strlen(o->final) + 32;
    o->tmp = malloc(n);
    if (!o->tmp)
        return -1;
    for (int i = 0; i < 100; i++) {
        snprintf(o->tmp, n, "%s.%d.%d.tmp", o->final, (int)getpid(), i);
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

int cc_outfile_commit(cc_outfile *o)
{
    int rc = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        rc = -1;
    if (rc == 0 && !o->tmp && link_tmpfile(o) != 0)
        rc = -1;
    if (rc == 0 && rename(o->tmp, o->final) != 0)
        rc = -1;
    int e = errno;
    if (rc != 0 && o->tmp)
        unlink(o->tmp);
    fclose(o->fp);
    free(o->tmp);
    free(o->final);
    memset(o, 0, sizeof *o);
    errno = e;
    return rc;
}

void cc_outfile_abort(cc_outfile *o)
{
    if (o->fp)
        fclose(o->fp);
    else if (o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->final);
    memset(o, 0, sizeof *o);
}
