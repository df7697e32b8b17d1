#ifndef CC_OUTFILE_H
#define CC_OUTFILE_H

#include <stdio.h>

typedef struct cc_outfile {
    FILE *fp;
    int fd;
    char *final;  /* the name it gets on commit */
    char *tmp;    /* a named temporary, when one exists */
} cc_outfile;

int cc_outfile_open(cc_outfile *o, const char *path);  /* 0, or -1 with errno */
int cc_outfile_commit(cc_outfile *o);                  /* 0, or -1 with errno (then nothing is left) */
void cc_outfile_abort(cc_outfile *o);

#endif
