/* Compressed inputs (converters/pipeline/decompress.c): gzip and zip, read as what they hold. */
#ifndef CC_DECOMPRESS_H
#define CC_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { CC_PLAIN, CC_GZIP, CC_ZIP } cc_compression;
typedef struct cc_decoder cc_decoder;

/* What the first bytes of an input say it is. */
cc_compression cc_compression_of(const unsigned char *p, size_t n);
/* A decoder over head (the bytes already read from fp, copied) then the rest of fp, positioned
 * at the member to read (member, else a zip's first .xml member); NULL with err. */
cc_decoder *cc_decoder_open(FILE *fp, const unsigned char *head, size_t head_len, cc_compression c,
                            const char *member, char *err, size_t cap);
/* Decompressed bytes: the count, 0 at the end of the member, -1 with err when damaged. */
long cc_decoder_read(cc_decoder *d, void *buf, size_t n, char *err, size_t cap);
void cc_decoder_free(cc_decoder *d);

#endif
