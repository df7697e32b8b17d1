/* credconv progress: the command line part (the work is converters/pipeline/progress.c). */
#include "cc_pipeline.h"
#include "cc_progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int usage(const char *msg)
{
    fprintf(stderr, "credconv: error: %s [usage]\nTry 'credconv --help'.\n", msg);
    return 2;
}

int cc_progress_command(const cc_options *o)
{
    if (!o->ninputs)
        return usage("progress needs the learners' credentials (one or more files)");
    for (size_t i = 0; o->verify_each && i < o->ninputs; i++)
        if (!strcmp(o->inputs[i], "-"))  /* read twice: verified, then mapped */
            return usage("progress --verify reads files, not standard input");
    cc_progress_opts p = {.o = o, .catalogues = o->catalogues, .ncatalogues = o->ncatalogues,
                          .table = !o->json && isatty(STDOUT_FILENO)};
    if (o->verify_each && !(p.verifier = cc_verifier_new(o)))
        return 2;
    int rc = cc_progress_run(&p);
    cc_verifier_free(p.verifier);
    return rc;
}
