/* The fast path of cc_json_parse (converters/util/jsonfast.c): the value of a well-formed
 * document jansson would read the same way, or NULL when it is not sure (then ask jansson,
 * for the value or its error).  Internal to jsonread.c. */
#ifndef CC_JSONFAST_H
#define CC_JSONFAST_H

#include <jansson.h>
#include <stddef.h>

json_t *cc_json_fast_parse(const char *buf, size_t len, size_t flags);

#endif
