/* The fast path of cc_json_parse (converters/util/jsonfast.c): the value of a well-formed
 * document jansson would read the same way, or NULL when it is not sure (then ask jansson,
 * for the value or its error), and its writing twin. */
#ifndef CC_JSONFAST_H
#define CC_JSONFAST_H

#include <jansson.h>
#include <stddef.h>

json_t *cc_json_fast_parse(const char *buf, size_t len, size_t flags);
/* json_dumps(v, JSON_COMPACT), byte for byte, without jansson's per-character callbacks
 * (jansson's own when v holds a real or a string that is not UTF-8).  malloc'd. */
char *cc_json_dumps_compact(const json_t *v);

#endif
