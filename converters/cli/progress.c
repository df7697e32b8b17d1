/* credconv progress: the command line part (the work is converters/pipeline/progress.c). */
#include "cc_pipeline.h"
#include "cc_progress.h"

#include <stdio.h>
#include <unistd.h>

int cc_progress_command(const cc_options *o)
{
    if (o->report_file) {
        fputs("credconv: error: progress --report is not done yet [usage]\n", stderr);
        return 2;
    }
    cc_progress_opts p = {.o = o, .catalogues = o->catalogues, .ncatalogues = o->ncatalogues,
                          .table = !o->json && isatty(STDOUT_FILENO)};
    return cc_progress_run(&p);
}
