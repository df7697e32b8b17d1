#!/bin/sh
# Output paths mean what a Unix user means (issue 12.1): "-" is standard output, a symbolic
# link is followed, a FIFO or a device is written in place (never renamed over: as root that
# would replace the node for the whole system), an existing file keeps its mode and owner,
# and -o naming an input is refused before anything is read.  Run as root, like CI.
. tests/e2e/sh_lib.sh
S=samples/rncp-sample.xml
"$CC_BIN" convert -q -t model "$S" >"$T/expected.ndjson"
[ -s "$T/expected.ndjson" ] && ok || ko "reference output is empty"

# "-": standard output, no file named "-".
(cd "$T" && "$CC_BIN" convert -q -t model -o - "$OLDPWD/$S") >"$T/dash.out" 2>"$T/err"
same "$T/dash.out" "$T/expected.ndjson" "-o - writes standard output"
[ ! -e "$T/-" ] && ok || ko "-o - created a file named '-'"

# A symbolic link: its target is replaced, the link stays a link.
echo old >"$T/target.json"
ln -s target.json "$T/link.json"
run 0 "-o onto a symlink" "$CC_BIN" convert -q -t model -o "$T/link.json" "$S"
[ -L "$T/link.json" ] && ok || ko "the symlink was replaced by a file"
same "$T/target.json" "$T/expected.ndjson" "the link's target holds the output"
# A chain of links, relative, and a dangling one (its target is created).
mkdir -p "$T/d"
ln -s ../link.json "$T/d/chain.json"
echo old >"$T/target.json"
run 0 "-o onto a chain of symlinks" "$CC_BIN" convert -q -t model -o "$T/d/chain.json" "$S"
same "$T/target.json" "$T/expected.ndjson" "the chain's final target holds the output"
ln -s new-target.json "$T/dangling.json"
run 0 "-o onto a dangling symlink" "$CC_BIN" convert -q -t model -o "$T/dangling.json" "$S"
[ -L "$T/dangling.json" ] && same "$T/new-target.json" "$T/expected.ndjson" "dangling link: target created" \
    || ko "dangling link replaced"

# A FIFO: written in place, read by another process; still a FIFO afterwards.
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.out" &
reader=$!
run 0 "-o onto a FIFO" "$CC_BIN" convert -q -t model -o "$T/fifo" "$S"
wait "$reader"
[ -p "$T/fifo" ] && ok || ko "the FIFO is no longer a FIFO"
same "$T/fifo.out" "$T/expected.ndjson" "the FIFO's reader got the output"

# A character device made in the test's folder (a copy of /dev/null): still a device.
if [ "$(id -u)" = 0 ] && mknod "$T/null" c 1 3 2>/dev/null; then
    run 0 "-o onto a character device" "$CC_BIN" convert -q -t model -o "$T/null" "$S"
    [ -c "$T/null" ] && ok || ko "the character device was replaced"
    run 0 "--report onto a character device" "$CC_BIN" convert -q -t model --report "$T/null" "$S"
    [ -c "$T/null" ] && ok || ko "--report replaced the character device"
    # /dev/full-like device: the write error is reported, the device stays.
    mknod "$T/full" c 1 7
    run 2 "-o onto a full device" "$CC_BIN" convert -q -t model -o "$T/full" "$S"
    [ -c "$T/full" ] && ok || ko "the full device was replaced"
    has "$T/err" 'No space left on device' "the write error is named"
else
    ko "mknod needs root (CI runs as root)"
fi

# /dev/stdout and /dev/stderr: the process's own descriptors, pipes or files, written in place.
"$CC_BIN" convert -q -t model -o /dev/stdout "$S" | cat >"$T/devout.pipe"
same "$T/devout.pipe" "$T/expected.ndjson" "-o /dev/stdout into a pipe"
"$CC_BIN" convert -q -t model -o /dev/stdout "$S" >"$T/devout.file"
same "$T/devout.file" "$T/expected.ndjson" "-o /dev/stdout into a file"
[ -c /dev/null ] && [ -c /dev/full ] && ok || ko "/dev/null or /dev/full is no longer a device"
"$CC_BIN" convert -q -t model --report /dev/stderr "$S" >/dev/null 2>"$T/devrep"
jq -e '.records.read == 2' "$T/devrep" >/dev/null 2>&1 && ok || ko "--report /dev/stderr: no JSON report on stderr"

# An existing file keeps its mode, and its owner when root.
echo old >"$T/private.json"
chmod 600 "$T/private.json"
run 0 "-o onto a 600 file" "$CC_BIN" convert -q -t model -o "$T/private.json" "$S"
[ "$(stat -c %a "$T/private.json")" = 600 ] && ok || ko "mode 600 became $(stat -c %a "$T/private.json")"
same "$T/private.json" "$T/expected.ndjson" "the 600 file holds the output"
if [ "$(id -u)" = 0 ]; then
    echo old >"$T/owned.json"
    chown nobody:nogroup "$T/owned.json" 2>/dev/null || chown 65534:65534 "$T/owned.json"
    run 0 "-o onto a file owned by another user" "$CC_BIN" convert -q -t model -o "$T/owned.json" "$S"
    [ "$(stat -c %u "$T/owned.json")" = 65534 ] && ok || ko "owner became $(stat -c %u "$T/owned.json")"
fi
# A new file gets the usual mode (umask applied).
(umask 022 && "$CC_BIN" convert -q -t model -o "$T/new.json" "$S")
[ "$(stat -c %a "$T/new.json")" = 644 ] && ok || ko "a new file is $(stat -c %a "$T/new.json"), not 644"

# -o or --report naming an input: refused before anything is read, the input untouched.
cp "$S" "$T/in.xml"
cp "$T/in.xml" "$T/in.orig"
run 2 "-o names the input" "$CC_BIN" convert -t rncp -o "$T/in.xml" "$T/in.xml"
has "$T/err" '-o names an input' "says why"
same "$T/in.xml" "$T/in.orig" "the input is untouched"
ln -s in.xml "$T/in-link.xml"
run 2 "-o names the input through a link" "$CC_BIN" convert -t rncp -o "$T/in-link.xml" "$T/in.xml"
run 2 "--report names the input" "$CC_BIN" validate --report "$T/in.xml" "$T/in.xml"
same "$T/in.xml" "$T/in.orig" "the input is still untouched"

# A folder is refused, not replaced.
mkdir "$T/dir.json"
run 2 "-o onto a folder" "$CC_BIN" convert -q -t model -o "$T/dir.json" "$S"
[ -d "$T/dir.json" ] && ok || ko "the folder was replaced"

# --version names the libraries it runs with (issue 12.6); --progress forces the bar.
run 0 "--version" "$CC_BIN" --version
for lib in '^credconv ' '^libxml2 ' '^jansson ' '^OpenSSL ' '^libcurl ' '^xmlsec1 ' '^libarchive ' '^PCRE2 ' '^zlib '; do
    has "$T/out" "$lib[0-9]" "--version names $lib"
done
run 0 "--progress without a terminal" "$CC_BIN" convert -q -t model --progress "$S"
has "$T/err" '100%' "--progress forces the bar when stderr is not a terminal"
e2e_end e2e-outputs
