/* Output paths mean what a Unix user means by them:
 *   "-"                      standard output;
 *   a FIFO, device, socket   opened and written in place (renaming over /dev/stdout as root
 *                            would replace the device node for the whole system);
 *   a symbolic link          followed: its final target is replaced, the link is kept;
 *   a regular file or none   replaced atomically: data goes to an unnamed temporary file
 *                            (O_TMPFILE) in the target's directory, linked in and renamed
 *                            over the target only when the run commits it, with the mode
 *                            (and, as root, the owner) of the file it replaces.
 * A run that is killed leaves the target as it was. */
#include "cc_outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir_of(const char *path)
{
    char *copy = strdup(path);
    char *d = copy ? strdup(dirname(copy)) : NULL;
    free(copy);
    return d;
}

/* The path a chain of symbolic links ends at (the target need not exist yet), malloc'd;
 * NULL with errno (ELOOP after 40 links, as the kernel counts). */
static char *final_target(const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur && hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            free(cur);
            return NULL;
        }
        link[n] = '\0';
        char *next;
        if (link[0] == '/') {
            next = strdup(link);
        } else {  /* relative to the folder holding the link */
            char *dir = dir_of(cur);
            size_t len = (dir ? strlen(dir) : 0) + (size_t)n + 2;
            next = dir ? malloc(len) : NULL;
            if (next)
                snprintf(next, len, "%s/%s", dir, link);
            free(dir);
        }
        free(cur);
        cur = next;
    }
    if (cur) {
        free(cur);
        errno = ELOOP;
    }
    return NULL;
}

static int open_stream(cc_outfile *o)
{
    o->fp = fdopen(o->fd, "w");
    if (!o->fp)
        return -1;
    static const size_t BUF = 1 << 20;
    setvbuf(o->fp, NULL, _IOFBF, BUF);
    return 0;
}

/* A FIFO, a device or a socket: written where it is.  So is anything named under /dev or
 * /proc (/dev/stdout, /dev/fd/N): those links lead to the process's own descriptors, which
 * may be pipes ("pipe:[N]" is no path) or a file the shell opened; O_APPEND writes after what
 * the shell's redirection already holds instead of over it. */
static int open_in_place(cc_outfile *o)
{
    o->in_place = true;
    o->fd = open(o->final, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
    return o->fd < 0 ? -1 : open_stream(o);
}

static bool names_a_descriptor(const char *path)
{
    return !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6);
}

static int open_temporary(cc_outfile *o, const struct stat *old)
{
    char *dir = dir_of(o->final);
    if (!dir)
        return -1;
#ifdef O_TMPFILE
    o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
#endif
    if (o->fd < 0) {  /* file systems without O_TMPFILE: a hidden named temporary */
        size_t n = strlen(dir) + 32;
        o->tmp = malloc(n);
        if (o->tmp) {
            snprintf(o->tmp, n, "%s/.credconv-XXXXXX", dir);
            o->fd = mkstemp(o->tmp);
        }
    }
    free(dir);
    if (o->fd < 0)
        return -1;
    /* The replacement keeps what the user set on the file it replaces: a 600 file stays 600. */
    if (old && (fchmod(o->fd, old->st_mode & 07777) != 0 ||
                (geteuid() == 0 && fchown(o->fd, old->st_uid, old->st_gid) != 0)))
        return -1;
    return open_stream(o);
}

int cc_outfile_open(cc_outfile *o, const char *path)
{
    *o = (cc_outfile){.fd = -1};
    if (!strcmp(path, "-")) {
        o->fp = stdout;
        o->is_stdout = true;
        return 0;
    }
    o->final = names_a_descriptor(path) ? strdup(path) : final_target(path);
    if (!o->final)
        return -1;
    if (names_a_descriptor(path)) {
        int rc = open_in_place(o);
        if (rc != 0) {
            int e = errno;
            cc_outfile_abort(o);
            errno = e;
        }
        return rc;
    }
    struct stat st;
    bool exists = stat(o->final, &st) == 0;
    int rc = exists && !S_ISREG(st.st_mode) ? (S_ISDIR(st.st_mode) ? (errno = EISDIR, -1) : open_in_place(o))
                                            : open_temporary(o, exists ? &st : NULL);
    if (rc != 0) {
        int e = errno;
        cc_outfile_abort(o);
        errno = e;
    }
    return rc;
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

static int link_new(cc_outfile *o)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, o->final, AT_SYMLINK_FOLLOW);
}

int cc_outfile_commit(cc_outfile *o)
{
    int rc = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        rc = -1;
    /* A new file is linked in under its own name at once: nothing is left behind by a kill
     * at any point.  Replacing one needs a temporary name and a rename. */
    bool linked = rc == 0 && !o->is_stdout && !o->in_place && !o->tmp && link_new(o) == 0;
    if (rc == 0 && !linked && !o->is_stdout && !o->in_place) {
        if (!o->tmp && link_tmpfile(o) != 0)
            rc = -1;
        else if (rename(o->tmp, o->final) != 0)
            rc = -1;
    }
    int e = errno;
    if (rc != 0 && o->tmp)
        unlink(o->tmp);
    if (!o->is_stdout && fclose(o->fp) != 0 && rc == 0) {
        rc = -1;  /* a device or FIFO may report its write error only now */
        e = errno;
    }
    free(o->tmp);
    free(o->final);
    *o = (cc_outfile){.fd = -1};
    errno = e;
    return rc;
}

void cc_outfile_abort(cc_outfile *o)
{
    if (o->is_stdout)
        fflush(o->fp);
    else if (o->fp)
        fclose(o->fp);
    else if (o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->final);
    *o = (cc_outfile){.fd = -1};
}

bool cc_outfile_is_input(const char *out, const char *in)
{
    struct stat so, si;
    if (!out || !in || !strcmp(out, "-") || !strcmp(in, "-") || stat(out, &so) != 0 || stat(in, &si) != 0)
        return false;
    return so.st_dev == si.st_dev && so.st_ino == si.st_ino && S_ISREG(so.st_mode);
}
