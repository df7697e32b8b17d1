/* converters/status/: the Bitstring Status List codec (bit order, the corpus list, bounds)
 * and the state file (indexes distinct and random, kept across reopenings, a cut last line
 * dropped, another issuer refused). */
#include "helpers.h"

#include "cc_status.h"


static char *slurp_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t len = 0;
    char *buf = malloc(1 << 20);
    len = fread(buf, 1, (1 << 20) - 1, fp);
    buf[len] = '\0';
    fclose(fp);
    return buf;
}

/* The validator's list: 131,072 bits, index 23 (the sample credential's) set, no other. */
static void test_corpus_list(void **state)
{
    (void)state;
    char *text = slurp_file(CORPUS "/ob/validator-dcpv/ob30/bit-string-list/testlist");
    if (!text)
        skip();
    char why[256];
    json_t *list = cc_status_list_parse(text, strlen(text), why, sizeof why);
    assert_non_null(list);
    cc_status_purpose p;
    uint8_t *bits = NULL;
    size_t n = 0;
    assert_int_equal(cc_status_list_bits(list, &p, &bits, &n, why, sizeof why), 0);
    assert_int_equal(p, CC_STATUS_REVOCATION);
    assert_int_equal(n * 8, CC_STATUS_MIN_BITS);
    for (long long i = 0; i < (long long)n * 8; i++)
        assert_int_equal(cc_status_bit(bits, i), i == 23);
    free(bits);
    json_decref(list);
    free(text);
}

static void test_round_trip_and_order(void **state)
{
    (void)state;
    uint8_t *bits = calloc(16384, 1), *back = NULL;
    cc_status_set_bit(bits, 0, true);
    cc_status_set_bit(bits, 7, true);
    cc_status_set_bit(bits, 131071, true);
    assert_int_equal(bits[0], 0x81);  /* bit 0 is the most significant bit of byte 0 */
    assert_int_equal(bits[16383], 0x01);
    char *enc = cc_status_encode(bits, 16384), why[256];
    assert_non_null(enc);
    assert_int_equal(enc[0], 'u');
    assert_null(strchr(enc, '='));
    assert_null(strpbrk(enc, "+/"));
    size_t n = 0;
    assert_int_equal(cc_status_decode(enc, &back, &n, why, sizeof why), 0);
    assert_int_equal(n, 16384);
    assert_memory_equal(back, bits, 16384);
    cc_status_set_bit(back, 7, false);
    assert_int_equal(back[0], 0x80);
    free(back), free(enc), free(bits);
}

static int decode_fails(const char *enc, const char *why_part)
{
    uint8_t *bits = NULL;
    size_t n = 0;
    char why[256] = "";
    int rc = cc_status_decode(enc, &bits, &n, why, sizeof why);
    free(bits);
    return rc == -1 && bits == NULL && strstr(why, why_part) != NULL;
}

/* A gzip member of size zeros, multibase base64url. */
static char *zeros(size_t size)
{
    uint8_t *z = calloc(size, 1);
    char *enc = cc_status_encode(z, size);
    free(z);
    return enc;
}

static void test_bounds(void **state)
{
    (void)state;
    assert_true(decode_fails("H4sI", "starts with 'u'"));
    assert_true(decode_fails("u!!!!", "not base64url"));
    assert_true(decode_fails("uAAAA=", "not base64url"));
    assert_true(decode_fails("uAAAAAA", "not GZIP"));
    char *big = zeros(CC_STATUS_MAX_BYTES + 1);  /* one byte past the bound: refused */
    assert_true(decode_fails(big, "more than the largest list"));
    free(big);
    char *edge = zeros(CC_STATUS_MAX_BYTES);     /* the bound itself: read */
    uint8_t *bits = NULL;
    size_t n = 0;
    char why[256];
    assert_int_equal(cc_status_decode(edge, &bits, &n, why, sizeof why), 0);
    assert_int_equal(n, CC_STATUS_MAX_BYTES);
    free(bits), free(edge);
    char *longer = malloc(CC_STATUS_MAX_ENCODED + 3);
    memset(longer, 'A', CC_STATUS_MAX_ENCODED + 2);
    longer[0] = 'u', longer[CC_STATUS_MAX_ENCODED + 2] = '\0';
    assert_true(decode_fails(longer, "longer than the longest accepted"));
    free(longer);
}

static void test_state(void **state)
{
    (void)state;
    char path[] = "/tmp/test-status-XXXXXX", why[512];
    int fd = mkstemp(path);
    close(fd);
    cc_status_init init = {.issuer = "https://u.example/", .url = {"https://u.example/status/1", NULL}};
    cc_status_state *s = cc_status_state_open(path, &init, why, sizeof why);
    assert_non_null(s);
    long long ix[200], again;
    char id[64];
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "urn:x:%d", i);
        assert_int_equal(cc_status_assign(s, id, &ix[i], why, sizeof why), 0);
        assert_true(ix[i] >= 0 && ix[i] < CC_STATUS_MIN_BITS);
        for (int j = 0; j < i; j++)
            assert_true(ix[i] != ix[j]);
    }
    assert_int_equal(cc_status_assign(s, "urn:x:5", &again, why, sizeof why), 0);
    assert_int_equal(again, ix[5]);  /* a credential keeps its index */
    cc_status_state_close(s);
    /* a crash in the middle of a line: the cut line is dropped, the rest read */
    FILE *fp = fopen(path, "a");
    fputs("{\"id\":\"urn:x:cut\",\"ind", fp);
    fclose(fp);
    s = cc_status_state_open(path, NULL, why, sizeof why);
    assert_non_null(s);
    assert_int_equal(cc_status_count(s), 200);
    assert_int_equal(cc_status_lookup(s, "urn:x:199"), ix[199]);
    assert_int_equal(cc_status_lookup(s, "urn:x:cut"), -1);
    assert_string_equal(cc_status_url(s, CC_STATUS_REVOCATION), "https://u.example/status/1");
    assert_null(cc_status_url(s, CC_STATUS_SUSPENSION));
    assert_int_equal(cc_status_assign(s, "urn:x:new", &again, why, sizeof why), 0);
    cc_status_state_close(s);
    cc_status_init other = {.issuer = "https://attacker.example/"};
    assert_null(cc_status_state_open(path, &other, why, sizeof why));
    assert_non_null(strstr(why, "keeps the lists of https://u.example/"));
    /* the same index twice in a journal (an edited file): refused, not used */
    fp = fopen(path, "a");
    fprintf(fp, "{\"id\":\"urn:x:dup\",\"index\":%lld}\n", ix[0]);
    fclose(fp);
    assert_null(cc_status_state_open(path, NULL, why, sizeof why));
    assert_non_null(strstr(why, "an index given to two credentials"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_list),
        cmocka_unit_test(test_round_trip_and_order),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
