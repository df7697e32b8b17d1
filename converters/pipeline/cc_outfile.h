#ifndef CC_OUTFILE_H
#define CC_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

/* An output path opened by cc_outfile_open (converters/pipeline/outfile.c says what each kind of
 * path means: "-", a FIFO or device, a symbolic link, a regular file). */
typedef struct cc_outfile {
    FILE *fp;
    int fd;
    char *final;    /* the path written: the link's final target */
    char *tmp;      /* a named temporary, when one exists */
    bool in_place;  /* a FIFO, device or socket, written where it is */
    bool is_stdout; /* "-" */
} cc_outfile;

int cc_outfile_open(cc_outfile *o, const char *path);  /* 0, or -1 with errno */
int cc_outfile_commit(cc_outfile *o);                  /* 0, or -1 with errno (then nothing is left) */
void cc_outfile_abort(cc_outfile *o);
/* True when out names the same existing regular file as in (through links too). */
bool cc_outfile_is_input(const char *out, const char *in);

#endif
