#!/bin/sh
# End-to-end tests of Open Badges 2.0 and baked images: bake, unbake, ob2 read/write/validate.
. tests/e2e_lib.sh

# ------------------------------------------------------------ bake / unbake
run 2 "bake without --image" "$CC_BIN" bake x.json
has "$T/err" 'bake needs --image' "bake says what is missing"
run 2 "--image with convert" "$CC_BIN" convert -t model --image x.png x.json
if have_ob; then
    for img in "$OB/validator-dcpv/ob20/simple-badge.png" "$OB/test-vectors/generated/ob2-signed-baked.svg" \
               "$OB/validator-dcpv/ob30/simple-json.svg" "$OB/test-vectors/generated/ob3-vcjwt-baked.png"; do
        name=$(basename "$img")
        run 0 "unbake $name" "$CC_BIN" unbake -o "$T/payload" "$img"
        ext=${img##*.}
        run 0 "bake $name payload" "$CC_BIN" bake --image "$OB/community/mozilla-bakery/unbaked.$ext" -o "$T/re.$ext" "$T/payload"
        run 0 "unbake re-baked $name" "$CC_BIN" unbake "$T/re.$ext"
        tr -d '\n' <"$T/payload" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' >"$T/p1"
        tr -d '\n' <"$T/out" >"$T/p2"
        same "$T/p1" "$T/p2" "bake → unbake gives the payload of $name"
    done
    run 1 "already baked" "$CC_BIN" bake --image "$OB/validator-dcpv/ob20/simple-badge.png" -o "$T/x.png" "$T/payload"
    has "$T/err" 'already baked' "re-baking is refused"
    [ ! -e "$T/x.png" ] && ok || ko "a refused bake leaves no file"
    # a damaged PNG: one byte of IHDR flipped, then the file cut short
    python3 -c "import sys; b=bytearray(open(sys.argv[1],'rb').read()); b[20]^=1; open(sys.argv[2],'wb').write(b)" \
        "$OB/validator-dcpv/ob20/simple-badge.png" "$T/crc.png"
    run 1 "broken CRC" "$CC_BIN" unbake "$T/crc.png"
    has "$T/err" "crc.png: error: PNG damaged: chunk 'IHDR' at offset 8 has CRC [0-9a-f]+, its bytes give [0-9a-f]+ \[unbake\]" "CRC message"
    head -c 1000 "$OB/validator-dcpv/ob20/simple-badge.png" >"$T/cut.png"
    run 1 "truncated PNG" "$CC_BIN" unbake "$T/cut.png"
    has "$T/err" "PNG truncated: chunk '[A-Za-z]+' at offset [0-9]+ says [0-9]+ bytes, [0-9]+ are left" "truncation message"
    run 1 "unbaked image" "$CC_BIN" unbake "$OB/community/mozilla-bakery/unbaked.png"
    has "$T/err" 'no badge in this PNG' "no badge"
else
    skipped "baked corpus images"
fi

e2e_end e2e-badges
