#!/bin/sh
# Adding a format is one new folder and one registry line (docs/ADDING-A-FORMAT.md, issue
# 13.4): a scratch copy of the tree gets tests/e2e/mini-format/mini.c as formats/mini/mini.c
# and one line in the registry, nothing else, and builds (the objects already built are
# reused); the new credconv lists the format, reads it, writes it, and converts it to and
# from the other formats.
. tests/e2e/sh_lib.sh
# Only beside the default build (build/): the sanitizer builds run the same test through it.
if [ "$(dirname "$CC_BIN")" != "$PWD/build" ] || [ ! -d build ]; then
    skip=$((skip + 1)); echo "SKIP: $CC_BIN is not build/credconv of this tree"
    e2e_end e2e-add-format
    exit 0
fi
BUILD=build
W=$T/tree
mkdir -p "$W"
git ls-files -z | (cd "$PWD" && xargs -0 cp -p --parents -t "$W") 2>/dev/null
mkdir -p "$W/build"  # the library's objects: only what changed is rebuilt
cp -a build/converters build/formats build/schemas build/libcredconv.a "$W/build/"
mkdir -p "$W/formats/mini" && cp tests/e2e/mini-format/mini.c "$W/formats/mini/mini.c"
REG=converters/pipeline/registry.c
sed -i 's|^    &cc_format_baked,$|    \&cc_format_baked,\n    \&cc_format_mini,|; s|^extern const cc_format cc_format_baked;$|extern const cc_format cc_format_baked;\nextern const cc_format cc_format_mini;|' "$W/$REG"
n=$(diff "$REG" "$W/$REG" | grep -c '^>')
[ "$n" = 2 ] && ok || ko "the registry edit is 2 lines (a declaration and the entry), not $n"
# What the scratch tree changed against the tracked files: the registry and formats/mini.
changed=$(diff -rq --exclude=build "$PWD" "$W" 2>/dev/null | \
    sed -n 's|^Files .* and '"$W"'/\(.*\) differ$|\1|p; s|^Only in '"$W"'/\(.*\): \(.*\)$|\1/\2|p' | sort)
[ "$changed" = "$(printf '%s\n%s' formats/mini "$REG" | sort)" ] && ok || ko "the scratch tree differs in more than the registry and formats/mini: $changed"
if (cd "$W" && make -s BUILD=build build/credconv) >"$T/make" 2>&1; then
    ok
else
    ko "the tree with formats/mini does not build: $(tail -5 "$T/make")"
fi
X=$W/$BUILD/credconv
if [ -x "$X" ]; then
    run 0 "formats lists mini" "$X" formats
    has "$T/out" '^mini +yes +yes' "mini reads and writes"
    printf '#credconv-mini\nRNCP1\tPremier titre\nRNCP2\tSecond\n' >"$T/in.txt"
    run 0 "mini detected and read" "$X" convert -t model "$T/in.txt"
    has "$T/out" '"code":"RNCP2"' "its records reach the model"
    run 0 "rncp to mini" "$X" convert -t mini samples/rncp-sample.xml
    has "$T/out" '^#credconv-mini$' "the writer's header"
    has "$T/out" '^RNCP[0-9]+	' "one line per achievement"
    printf '#credconv-mini\nRNCP1\tUn\nbad line\nRNCP3\tTrois\n' >"$T/bad.txt"
    run 1 "a bad line: exit 1, the others converted" "$X" convert -t mini "$T/bad.txt"
    has "$T/err" 'bad.txt:3:1: error: .*\[mini-line\]' "the bad line named with its line"
    has "$T/out" '^RNCP3	Trois$' "the line after it still converted"
fi
e2e_end e2e-add-format
