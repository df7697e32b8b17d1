#!/bin/sh
# credconv under valgrind memcheck, for `make valgrind`: any memory error or leak (definite
# or indirect) gives exit status 99, which no test expects, so the test that ran it fails.
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --track-origins=no \
    "${CREDCONV_REAL:?set CREDCONV_REAL to the credconv binary}" "$@"
