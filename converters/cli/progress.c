/* credconv progress: the command line part (the work is converters/pipeline/progress.c). */
#include "cc_outfile.h"
#include "cc_pipeline.h"
#include "cc_progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int usage(const char *msg)
{
    fprintf(stderr, "credconv: error: %s [usage]\nTry 'credconv --help'.\n", msg);
    return 2;
}

/* --issue: the complete certifications, as a recipients CSV, go through convert's issuing
 * (converters/pipeline/issue.c): the catalogue is its input, the rows say who is awarded
 * what, and -t, -o/-O, --sign and their options mean what they mean for convert. */
static int issue(const cc_options *o, const char *csv, size_t len, cc_counts *n)
{
    cc_options c = *o;
    c.counts = n;
    c.cmd = CMD_CONVERT;
    c.inputs = o->catalogues, c.ninputs = o->ncatalogues;
    c.recipients_file = "progress --issue", c.recipients_csv = csv, c.recipients_csv_len = len;
    c.report_file = NULL;  /* --report is progress's own */
    c.verify_each = false;
    return cc_run(&c);
}

static int run(const cc_options *o, cc_progress_opts *p)
{
    char *csv = NULL;
    size_t len = 0;
    if (o->issue) {
        if (!(p->issue_rows = open_memstream(&csv, &len)))
            return 2;
        fputs("email,given_name,family_name,achievement\n", p->issue_rows);
        p->with_blocks = (o->to->caps & CC_CAP_GROUPS) != 0;  /* clr: the blocks with it */
        p->no_lines = !o->out_file && !o->out_dir;  /* stdout carries the credentials */
    }
    cc_counts n = {0};
    int rc = cc_progress_run(p);
    if (p->issue_rows && fclose(p->issue_rows) != 0)
        rc = 2;
    if (o->issue && rc != 2 && p->issued) {
        int irc = issue(o, csv, len, &n);
        rc = irc > rc ? irc : rc;
    }
    if (o->issue && !o->quiet)
        fprintf(stderr, "credconv: %ld complete certifications to issue, %ld credentials written (-t %s)\n",
                p->issued, n.written, o->to->name);
    if (p->unnamed)
        fprintf(stderr, "credconv: error: %ld learners complete but not issued: no plain email address "
                "[progress-issue]\n", p->unnamed);
    free(csv);
    if (p->unnamed && rc < 1)
        rc = 1;  /* a complete certification not issued (said above) */
    if (o->require_complete && p->incomplete) {
        fprintf(stderr, "credconv: error: %ld learners have no complete certification [progress-incomplete]\n",
                p->incomplete);
        if (rc < 1)
            rc = 1;
    }
    return rc;
}

int cc_progress_command(const cc_options *o)
{
    if (!o->ninputs)
        return usage("progress needs the learners' credentials (one or more files)");
    for (size_t i = 0; o->verify_each && i < o->ninputs; i++)
        if (!strcmp(o->inputs[i], "-"))  /* read twice: verified, then mapped */
            return usage("progress --verify reads files, not standard input");
    for (size_t i = 0; (o->out_file || o->report_file) && i < o->ncatalogues; i++)
        if ((o->out_file && cc_outfile_is_input(o->out_file, o->catalogues[i])) ||
            (o->report_file && cc_outfile_is_input(o->report_file, o->catalogues[i])))
            return usage("-o or --report names a catalogue; the output would replace what is being read");
    cc_progress_opts p = {.o = o, .catalogues = o->catalogues, .ncatalogues = o->ncatalogues,
                          .table = !o->json && isatty(STDOUT_FILENO)};
    if (o->verify_each && !(p.verifier = cc_verifier_new(o)))
        return 2;
    int rc = run(o, &p);
    cc_verifier_free(p.verifier);
    return rc;
}
