#!/bin/sh
# The build tracks header dependencies (issue 13.6): touching a private header rebuilds the
# objects that include it and no others; the fuzz targets depend on fuzz/fuzz_common.h.
# Uses make -n -W (what would be rebuilt if the file were new): nothing is touched.
. tests/e2e/sh_lib.sh
B=$(dirname "$CC_BIN")
case $B in */build|*/build/*) BUILD=${B#"$PWD"/} ;; *) BUILD=build ;; esac
if [ ! -f "$BUILD/converters/jsonld/jsonld_ctx.d" ]; then
    ko "no dependency file $BUILD/converters/jsonld/jsonld_ctx.d: objects are not built with -MMD"
else
    ok
    make -n BUILD="$BUILD" -W converters/jsonld/jsonld_int.h "$BUILD/converters/jsonld/jsonld_ctx.o" \
        "$BUILD/converters/model/arena.o" >"$T/n" 2>&1
    has "$T/n" 'jsonld_ctx\.c' "touching converters/jsonld/jsonld_int.h rebuilds jsonld_ctx.o, which includes it"
    hasnt "$T/n" 'arena\.c' "and not arena.o, which does not"
    make -n BUILD="$BUILD" -W converters/pipeline/cc_outfile.h "$BUILD/converters/pipeline/outfile.o" "$BUILD/converters/jsonld/rdf.o" >"$T/n" 2>&1
    has "$T/n" 'outfile\.c' "a shared private header rebuilds what includes it"
    hasnt "$T/n" ' converters/rdf\.c' "and not what does not"
fi
make -pn BUILD=build/fuzz credconv 2>/dev/null | grep -Eq '^build/fuzz/fuzz/%: fuzz/%\.c .*fuzz/fuzz_common\.h' && ok \
    || ko "the fuzz targets do not depend on fuzz/fuzz_common.h"
make -n BUILD="$BUILD" WERROR=0 -W converters/model/arena.c "$BUILD/converters/model/arena.o" >"$T/n" 2>&1
has "$T/n" 'arena\.c' "WERROR=0 build line"
hasnt "$T/n" '-Werror' "WERROR=0 drops -Werror"
make -n BUILD="$BUILD" -W converters/model/arena.c "$BUILD/converters/model/arena.o" >"$T/n" 2>&1
has "$T/n" '-Werror' "-Werror by default"
e2e_end e2e-build
