/* credconv --version: its own version and those of the libraries it runs with (read at run
 * time where the library can say, so a bug report names what was really loaded). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "cc_pipeline.h"

#include <archive.h>
#include <curl/curl.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <pcre2.h>
#include <stdio.h>
#include <xmlsec/version.h>
#include <zlib.h>

void cc_print_version(FILE *out)
{
    char pcre[64] = "?";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    fprintf(out, "credconv %s\n", CC_VERSION);
    fprintf(out, "libxml2 %s\n", xmlParserVersion);
    fprintf(out, "jansson %s\n", jansson_version_str());
    fprintf(out, "%s\n", OpenSSL_version(OPENSSL_VERSION));
    fprintf(out, "libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
    fprintf(out, "xmlsec1 %s (built with; libxmlsec1 has no run-time version call)\n", XMLSEC_VERSION);
    fprintf(out, "%s\n", archive_version_string());
    fprintf(out, "PCRE2 %s\n", pcre);
    fprintf(out, "zlib %s\n", zlibVersion());
}
