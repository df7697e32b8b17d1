#!/bin/sh
# credconv under valgrind memcheck, for `make valgrind`: any memory error or leak (definite
# or indirect) gives exit status 99, which no test expects, so the test that ran it fails.
# `valgrind-credconv.sh --exec PROGRAM ARGS...` runs another program (a cmocka binary, the
# JSON-Schema suite) with the same options, so they are written here only.
if [ "${1:-}" = --exec ]; then
    shift
else
    set -- "${CREDCONV_REAL:?set CREDCONV_REAL to the credconv binary}" "$@"
fi
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --track-origins=no "$@"
