/* OB 2.0 JSON → model (formats/ob2/ob2_map.c); internal to the ob2 format. */
#ifndef OB2_MAP_H
#define OB2_MAP_H

#include "credconv/credconv.h"

#include <jansson.h>
#include <stdlib.h>

/* lang: the document's @language, or NULL.  Every string is copied into the arena. */
cc_org *ob2_map_profile(cc_arena *a, const json_t *profile, const char *lang);
cc_achievement *ob2_map_badgeclass(cc_arena *a, const json_t *badge, const char *lang);
cc_record *ob2_map_assertion(const json_t *assertion, const char *lang);

#endif
