/* Issuing: the recipients CSV, the issuer file, identity hashes, ids, dates. */
#include "helpers.h"
#include "cc_issue.h"

static got g;
static cc_diag_sink sink = {.emit = got_diag, .ud = &g};

static void csv_quotes_bom_crlf(void **state)
{
    (void)state;
    const char *csv = "\xEF\xBB\xBF" "achievement,email,given_name,family_name\r\n"
                      "RNCP1,a@b.fr,\"Jean \"\"JJ\"\"\",\"Dupont,\nde la Tour\"\r\n"
                      "\r\n"
                      "RNCP1, c@d.fr ,Ana,Lima\n";
    cc_recipients rs;
    memset(&g, 0, sizeof g);
    assert_int_equal(cc_recipients_parse(&rs, csv, strlen(csv), "r.csv", &sink), 0);
    assert_int_equal(rs.n, 2);
    assert_string_equal(rs.rows[0].given_name, "Jean \"JJ\"");
    assert_string_equal(rs.rows[0].family_name, "Dupont,\nde la Tour");
    assert_string_equal(rs.rows[1].email, "c@d.fr");
    assert_int_equal(rs.rows[1].line, 5);  /* the quoted newline counts as a line */
    cc_recipients_free(&rs);
}

static void csv_unbalanced_quote(void **state)
{
    (void)state;
    const char *csv = "email,given_name,family_name,achievement\n"
                      "a@b.fr,A,B,RNCP1\n"
                      "c@d.fr,\"C,D,RNCP1\n"
                      "e@f.fr,E,F,RNCP1\n";
    cc_recipients rs;
    memset(&g, 0, sizeof g);
    assert_int_equal(cc_recipients_parse(&rs, csv, strlen(csv), "r.csv", &sink), 0);
    assert_int_equal(rs.n, 1);
    assert_int_equal(rs.bad, 1);
    assert_int_equal(g.last_line, 3);
    assert_non_null(strstr(g.rules, "csv-quote"));
    cc_recipients_free(&rs);
}

static void csv_header_and_bad_rows(void **state)
{
    (void)state;
    cc_recipients rs;
    memset(&g, 0, sizeof g);
    const char *no_email = "given_name,family_name,achievement\nA,B,RNCP1\n";
    assert_int_equal(cc_recipients_parse(&rs, no_email, strlen(no_email), "r.csv", &sink), -1);
    assert_non_null(strstr(g.last, "'email'"));
    memset(&g, 0, sizeof g);
    const char *bad = "email,given_name,family_name,achievement,issued\n"
                      "x@y,A,B,RNCP1,\n"
                      "a@b.fr,A,B,,\n"
                      "a@b.fr,A,B,RNCP1,2026-13-01\n"
                      "a@b.fr,A,B,RNCP1,2026-01-01T10:00:00\n"
                      "a@b.fr,A,B,RNCP1,2026-01-01T10:00:00Z\n";
    assert_int_equal(cc_recipients_parse(&rs, bad, strlen(bad), "r.csv", &sink), 0);
    assert_int_equal(rs.n, 1);
    assert_int_equal(rs.bad, 4);
    assert_int_equal(rs.rows[0].row, 5);
    cc_recipients_free(&rs);
}

/* Bytes no XML or JSON output can carry are refused row by row (the EDC output was not
 * well-formed XML with them); a NUL byte no longer cuts a field short in silence. */
static void csv_text_refused(void **state)
{
    (void)state;
    static const char csv[] = "email,given_name,family_name,achievement\n"
                              "a@b.fr,\xC0\xAFnne,B,RNCP1\n"     /* overlong '/' */
                              "a@b.fr,A\0nne,B,RNCP1\n"           /* NUL */
                              "a@b.fr,A\x01,B,RNCP1\n"            /* C0 control */
                              "a@b.fr,\xED\xA0\x80,B,RNCP1\n"     /* surrogate */
                              "a@b.fr,\xF4\x90\x80\x80,B,RNCP1\n" /* beyond U+10FFFF */
                              "a@b.fr,\xE2\x82,B,RNCP1\n"         /* cut sequence */
                              "c@d.fr,Zoé \xF0\x9F\x8E\x93,\"Line\nbreak\",RNCP1\n";
    cc_recipients rs;
    memset(&g, 0, sizeof g);
    assert_int_equal(cc_recipients_parse(&rs, csv, sizeof csv - 1, "r.csv", &sink), 0);
    assert_int_equal(rs.bad, 6);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.rows[0].email, "c@d.fr");
    assert_int_equal(g.errors, 6);
    assert_int_equal(g.last_line, 7);
    assert_non_null(strstr(g.last, "not UTF-8 text (byte 0xE2 at character 1 of column 'given_name')"));
    cc_recipients_free(&rs);
    memset(&g, 0, sizeof g);
    /* no UTF-8 beyond ASCII in these 80 bytes: they would be read as Windows-1252 */
    assert_int_equal(cc_recipients_parse_as(&rs, csv, 80, CC_CSV_UTF8, "r.csv", &sink), 0);
    assert_int_equal(g.errors, 2);
    assert_non_null(strstr(g.last, "NUL byte"));
    cc_recipients_free(&rs);
}

/* Spreadsheet formula prefixes in a person's fields: a warning each, and the row is kept. */
static void csv_formula_warned(void **state)
{
    (void)state;
    const char *csv = "email,given_name,family_name,achievement\n"
                      "=x@b.fr,=HYPERLINK(\"http://e.org\"),B,RNCP1\n"
                      "a@b.fr,+A,-B,RNCP1\n"
                      "c@d.fr,@C,D,RNCP1\n"
                      "e@f.fr,E-e,F=f,RNCP1\n";
    cc_recipients rs;
    memset(&g, 0, sizeof g);
    assert_int_equal(cc_recipients_parse(&rs, csv, strlen(csv), "r.csv", &sink), 0);
    assert_int_equal(rs.n, 4);
    assert_int_equal(rs.bad, 0);
    assert_int_equal(g.warnings, 5);
    assert_int_equal(g.errors, 0);
    assert_string_equal(g.rules, "csv-formula csv-formula csv-formula csv-formula csv-formula ");
    assert_string_equal(rs.rows[0].given_name, "=HYPERLINK(\"http://e.org\")");
    cc_recipients_free(&rs);
}

/* Windows-1252 is detected and mapped by its own table at 0x80-0x9F (Latin-1 has C1 controls
 * there), ';' and tab separators are found on the header line, header names in any case. */
static void csv_cp1252_and_separators(void **state)
{
    (void)state;
    static const char csv[] = "Email ; GIVEN_NAME;family_name;Achievement\r\n"
                              "a@b.fr;L\xE9\x61;\x80\x85\x8C\x92\x96\x97\x9C\x9F;RNCP1\r\n";
    cc_recipients rs;
    memset(&g, 0, sizeof g);
    assert_int_equal(cc_recipients_parse(&rs, csv, sizeof csv - 1, "r.csv", &sink), 0);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.rows[0].given_name, "L\xC3\xA9\x61");
    assert_string_equal(rs.rows[0].family_name, "€…Œ’–—œŸ");
    cc_recipients_free(&rs);
    assert_int_equal(cc_recipients_parse_as(&rs, csv, sizeof csv - 1, CC_CSV_LATIN1, "r.csv", &sink), 0);
    assert_string_equal(rs.rows[0].family_name, "\xC2\x80\xC2\x85\xC2\x8C\xC2\x92\xC2\x96\xC2\x97\xC2\x9C\xC2\x9F");
    cc_recipients_free(&rs);
    static const char tab[] = "email\tgiven_name\tfamily_name\tachievement\n"
                              "a@b.fr\tA, B\tC;D\tRNCP1\n";
    assert_int_equal(cc_recipients_parse(&rs, tab, sizeof tab - 1, "r.csv", &sink), 0);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.rows[0].given_name, "A, B");
    assert_string_equal(rs.rows[0].family_name, "C;D");
    cc_recipients_free(&rs);
    memset(&g, 0, sizeof g);
    static const char undef[] = "email,given_name,family_name,achievement\na@b.fr,A\x9D,B,RNCP1\n";
    assert_int_equal(cc_recipients_parse(&rs, undef, sizeof undef - 1, "r.csv", &sink), 0);
    assert_int_equal(rs.n, 0);
    assert_non_null(strstr(g.last, "byte 0x9D (character 2 of column 'given_name') is no windows-1252"));
    cc_recipients_free(&rs);
    cc_csv_encoding e;
    assert_int_equal(cc_csv_encoding_parse("Windows-1252", &e), 0);
    assert_int_equal(e, CC_CSV_CP1252);
    assert_int_equal(cc_csv_encoding_parse("utf-16", &e), -1);
}

static int count;
static void counter(void *ud, cc_recipient *row)
{
    (void)ud;
    assert_string_equal(row->achievement, "RNCP2BC01");
    count++;
}

static void rows_by_code(void **state)
{
    (void)state;
    const char *csv = "email,given_name,family_name,achievement\n"
                      "a@b.fr,A,B,RNCP2BC01\nc@d.fr,C,D,RNCP3\ne@f.fr,E,F,RNCP2BC01\n";
    cc_recipients rs;
    assert_int_equal(cc_recipients_parse(&rs, csv, strlen(csv), "r.csv", &sink), 0);
    count = 0;
    cc_recipients_each(&rs, "RNCP2BC01", counter, NULL);
    assert_int_equal(count, 2);
    assert_true(rs.rows[0].used && rs.rows[2].used && !rs.rows[1].used);
    cc_recipients_free(&rs);
}

static void identity_hash_vectors(void **state)
{
    (void)state;
    char h[72];
    /* OB 3.0 spec example and the OB 2.0 validator's test data (docs/references.md ob §2.3). */
    cc_identity_hash("a@example.com", "Kosher", h);
    assert_string_equal(h, "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399");
    cc_identity_hash("nobody@example.org", "deadsea", h);
    assert_string_equal(h, "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942");
    cc_identity_hash("mayze", NULL, h);
    assert_string_equal(h, "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6");
}

static void uuids_are_v4_and_differ(void **state)
{
    (void)state;
    char a[37], b[37];
    cc_uuid4(a);
    cc_uuid4(b);
    assert_int_equal(strlen(a), 36);
    assert_int_equal(a[14], '4');
    assert_non_null(strchr("89ab", a[19]));
    assert_string_not_equal(a, b);
}

/* Vectors from Python: uuid.uuid5(UUID("f4d6a072-4be4-574b-9d79-a0de07d95c57"), name). */
static void credential_ids_are_name_based(void **state)
{
    (void)state;
    char u[37], v[37];
    cc_credential_uuid("https://www.ecole-du-cycle.example/", "RNCP99001BC02", "karim.benali@example.org",
                       "2026-07-01T10:00:00+02:00", u);
    assert_string_equal(u, "2bd94dc0-b96f-533f-b541-dd4c57cc8523");
    cc_credential_uuid("https://www.ecole-du-cycle.example/", "RNCP99001BC02", "Karim.Benali@Example.ORG",
                       "2026-07-01T08:00:00Z", v);
    assert_string_equal(u, v);  /* the e-mail up to case, the date up to its offset */
    cc_credential_uuid(NULL, "X", "a@b.fr", NULL, u);
    assert_string_equal(u, "c65481ec-669e-5f8b-b62e-7f9ee386dd49");
    cc_credential_uuid(NULL, "X", "a@b.fr", "2026-01-01", v);
    assert_string_not_equal(u, v);
}

static void csv_duplicate_rows(void **state)
{
    (void)state;
    const char *csv = "email,given_name,family_name,achievement,issued\n"
                      "a@b.fr,A,B,RNCP1,2026-01-01\n"
                      "c@d.fr,C,D,RNCP1,2026-01-01\n"
                      "A@B.fr,A,B,RNCP1,2026-01-01T01:00:00+01:00\n"
                      "a@b.fr,A,B,RNCP1,2026-01-02\n"
                      "a@b.fr,A,B,RNCP2,2026-01-01\n";
    cc_recipients rs;
    memset(&g, 0, sizeof g);
    assert_int_equal(cc_recipients_parse(&rs, csv, strlen(csv), "r.csv", &sink), 0);
    assert_int_equal(rs.n, 4);  /* another date or another achievement is another award */
    assert_int_equal(rs.bad, 1);
    assert_int_equal(g.last_line, 4);
    assert_non_null(strstr(g.rules, "csv-duplicate"));
    assert_non_null(strstr(g.last, "line 2"));
    assert_string_equal(rs.rows[2].issued, "2026-01-02T00:00:00Z");  /* file order kept */
    cc_recipients_free(&rs);
}

static void emails_and_dates(void **state)
{
    (void)state;
    assert_true(cc_valid_email("lea.martin+rncp@sub.example.org"));
    assert_false(cc_valid_email("lea martin@example.org"));
    assert_false(cc_valid_email("@example.org"));
    assert_false(cc_valid_email("a@b@c.org"));
    assert_false(cc_valid_email("a@localhost"));
    char out[40];
    assert_true(cc_normalize_datetime("2024-02-29", out));
    assert_string_equal(out, "2024-02-29T00:00:00Z");
    assert_false(cc_normalize_datetime("2023-02-29", out));
    assert_true(cc_normalize_datetime("2026-07-01T10:00:00.250+02:00", out));
    assert_false(cc_normalize_datetime("2026-07-01T25:00:00Z", out));
    assert_false(cc_normalize_datetime("2026-07-01 10:00:00Z", out));
}

static void issuer_file(void **state)
{
    (void)state;
    cc_issuer is;
    memset(&g, 0, sizeof g);
    assert_int_equal(cc_issuer_load(&is, "samples/issuer.json", &sink), 0);
    assert_string_equal(is.country, "FR");
    assert_string_equal(is.siret, "12345678900017");
    cc_issuer_free(&is);
    char path[] = "/tmp/credconv-issuer-XXXXXX";
    int fd = mkstemp(path);
    assert_true(write(fd, "{\"name\":\"X\",\"country\":\"fr\"}", 27) == 27);
    close(fd);
    assert_int_equal(cc_issuer_load(&is, path, &sink), -1);
    assert_non_null(strstr(g.last, "\"id\""));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_quotes_bom_crlf),
        cmocka_unit_test(csv_unbalanced_quote),
        cmocka_unit_test(csv_header_and_bad_rows),
        cmocka_unit_test(csv_cp1252_and_separators),
        cmocka_unit_test(csv_text_refused),
        cmocka_unit_test(csv_formula_warned),
        cmocka_unit_test(rows_by_code),
        cmocka_unit_test(identity_hash_vectors),
        cmocka_unit_test(uuids_are_v4_and_differ),
        cmocka_unit_test(credential_ids_are_name_based),
        cmocka_unit_test(csv_duplicate_rows),
        cmocka_unit_test(emails_and_dates),
        cmocka_unit_test(issuer_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
