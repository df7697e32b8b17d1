/* The JSON Schema engine: the input, when it is JSON, is the instance, validated against the
 * bundled OB 3.0 schema and against a small schema that uses the keywords the OB 3.0 one does
 * not (patterns, formats, unevaluated*, dynamic references, dependent schemas), with formats
 * asserted. */
#include <string.h>

#include "cc_bake.h"
#include "cc_jsonread.h"
#include "fuzz_common.h"
#include "jsonschema.h"

#define OB3_SCHEMA "schemas/ob3/ob3.schema.json"
#define OB3_URI "https://credconv.invalid/schemas/ob3/ob3.schema.json"
#define KW_URI "https://credconv.invalid/fuzz.json"

static const char KW_SCHEMA[] =
    "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"$id\": \"" KW_URI "\","
    " \"$dynamicAnchor\": \"node\", \"$defs\": {"
    "  \"str\": {\"type\": \"string\", \"maxLength\": 64, \"pattern\": \"^[\\\\p{L}\\\\d ._-]*$\"},"
    "  \"when\": {\"format\": \"date-time\"}, \"mail\": {\"format\": \"email\"},"
    "  \"host\": {\"anyOf\": [{\"format\": \"idn-hostname\"}, {\"format\": \"ipv6\"}, {\"format\": \"uri\"}]}},"
    " \"type\": [\"object\", \"array\", \"string\", \"number\", \"boolean\", \"null\"],"
    " \"properties\": {\"name\": {\"$ref\": \"#/$defs/str\"}, \"at\": {\"$ref\": \"#/$defs/when\"},"
    "  \"email\": {\"$ref\": \"#/$defs/mail\"}, \"host\": {\"$ref\": \"#/$defs/host\"},"
    "  \"n\": {\"type\": \"integer\", \"multipleOf\": 3, \"minimum\": -1e308, \"exclusiveMaximum\": 1e20},"
    "  \"x\": {\"type\": \"number\", \"multipleOf\": 0.01},"
    "  \"kids\": {\"type\": \"array\", \"items\": {\"$dynamicRef\": \"#node\"}, \"uniqueItems\": true,"
    "           \"contains\": {\"type\": \"object\"}, \"minContains\": 1, \"maxContains\": 50},"
    "  \"re\": {\"format\": \"regex\"}, \"ptr\": {\"format\": \"json-pointer\"},"
    "  \"tpl\": {\"format\": \"uri-template\"}, \"id\": {\"format\": \"uuid\"}},"
    " \"patternProperties\": {\"^x-\": {\"type\": \"string\"}, \"\\\\d{2,}\": false},"
    " \"propertyNames\": {\"maxLength\": 40},"
    " \"dependentSchemas\": {\"at\": {\"required\": [\"name\"]}},"
    " \"dependentRequired\": {\"email\": [\"name\"]},"
    " \"if\": {\"required\": [\"kids\"]}, \"then\": {\"minProperties\": 2},"
    " \"else\": {\"not\": {\"const\": {\"a\": [1, 2]}}},"
    " \"oneOf\": [{\"type\": \"object\"}, {\"type\": \"array\", \"prefixItems\": [{\"enum\": [1, \"a\", null]}],"
    "  \"unevaluatedItems\": {\"type\": \"string\"}}, {\"not\": {\"type\": [\"object\", \"array\"]}}],"
    " \"unevaluatedProperties\": {\"type\": [\"string\", \"number\", \"array\", \"object\", \"null\"]}}";

/* The OB 3.0 schema's text, read on the first call and never written again: the only static
 * state here.  The schema set itself is built per call, since validations fill its caches. */
static const char *ob3_schema_text(void)
{
    static char *text;
    if (!text) {
        FILE *fp = fopen(OB3_SCHEMA, "rb");
        size_t len = 0;
        if (fp) {
            text = (char *)cc_slurp(fp, 1 << 20, &len);
            fclose(fp);
        }
        if (!text)
            __builtin_trap();  /* run from the repository's top folder (fuzz/run.sh does) */
    }
    return text;
}

static void on_error(void *ud, const char *instance_ptr, const char *keyword_ptr, const char *message)
{
    (void)ud, (void)instance_ptr, (void)keyword_ptr, (void)message;
}

static void validate(const char *schema, const char *uri, const json_t *instance)
{
    char err[256];
    cc_schema_set *set = cc_schema_set_new();
    json_t *doc = json_loads(schema, 0, NULL);
    if (!set || !doc || cc_schema_set_add(set, doc, NULL, err, sizeof err) != 0)
        __builtin_trap();  /* the fixed schemas are good */
    json_decref(doc);
    cc_schema_validate(set, uri, instance, CC_SCHEMA_FORMAT_ASSERT, on_error, NULL);
    cc_schema_validate(set, uri, instance, 0, NULL, NULL);
    cc_schema_set_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* As converters/util/jsonread.c loads documents (duplicate keys refused), any value a root. */
    json_t *instance = cc_json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    if (!instance)
        return 0;
    validate(ob3_schema_text(), OB3_URI, instance);
    validate(ob3_schema_text(), OB3_URI "#/$defs/Achievement", instance);
    validate(KW_SCHEMA, KW_URI, instance);
    json_decref(instance);
    (void)fuzz_format;
    return 0;
}
