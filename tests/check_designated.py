#!/usr/bin/env python3
"""Every struct initialiser names its members (designated initialisers: the bar, docs/decisions.md).

A positional initialiser ({a, b}) silently changes meaning when a member is added or moved
(one broke fuzz-smoke once).  This scans C files for brace initialisers -- after '=' and of
compound literals '(T){' -- and reports each struct one whose members are not all named:
    FILE:LINE: positional initialiser: {first elements}
Arrays may list their elements in order ({"a", "b"}), but an element that is itself a brace
(an array of structs) must name its members.  {0} and {} (all zero) are allowed, and so is
a member's brace of plain literals (.bytes = {0x20, 0x01}: taken for an array member; the
script does not know member types).  An UPPER_CASE(...) element is a macro taken to expand
to designators.  Exit 1
when anything is found, 0 when nothing is, 2 on a usage error.
Usage: check_designated.py [FILE|DIR ...]   (default: converters formats schemas fuzz tests include)
"""
import os
import re
import sys

# A plain literal: a number, a string (blanked by strip), a character, NULL.
LITERAL = re.compile(r'(-?(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|"[^"]*"(\s*"[^"]*")*|\'[^\']*\'|NULL)$')


def strip(src):
    """Comments and string/char literals blanked (newlines kept, so lines still count)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            i = j
        elif src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(''.join('\n' if ch == '\n' else ' ' for ch in src[i:j]))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            out.append(c + ''.join('\n' if ch == '\n' else ' ' for ch in src[i + 1:j]) + c)
            i = j + 1
        elif c == '#' and (i == 0 or src[i - 1] == '\n'):
            j = i
            while True:  # a preprocessor line (and its continuations): macros are not checked
                k = src.find('\n', j)
                if k < 0:
                    k = n
                    break
                if src[k - 1] != '\\':
                    break
                j = k + 1
            out.append(''.join('\n' if ch == '\n' else ' ' for ch in src[i:k]))
            i = k
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def match_close(s, i):
    """Index of the bracket closing the one at s[i]."""
    pairs = {'{': '}', '(': ')', '[': ']'}
    stack = [pairs[s[i]]]
    j = i + 1
    while j < len(s) and stack:
        if s[j] in pairs:
            stack.append(pairs[s[j]])
        elif s[j] == stack[-1]:
            stack.pop()
        j += 1
    return j - 1


def elements(body):
    """The top-level comma-separated elements of a brace's content."""
    out, depth, cur = [], 0, []
    for ch in body:
        if ch in '{([':
            depth += 1
        elif ch in '})]':
            depth -= 1
        if ch == ',' and depth == 0:
            out.append(''.join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    last = ''.join(cur).strip()
    if last:
        out.append(last)
    return out


def kind_of(s, i):
    """'struct', 'array', 'array2' or None (not an initialiser) for the brace at s[i]."""
    j = i - 1
    while j >= 0 and s[j].isspace():
        j -= 1
    if j < 0:
        return None
    if s[j] == '=' and (j == 0 or s[j - 1] not in '=!<>+-*/%&|^'):
        k = j - 1
        while k >= 0 and s[k] not in ';{},':
            k -= 1
        decl = s[k + 1:j]
        if decl.strip().startswith('.'):
            return 'member'
        if '[' in decl and not decl.strip().startswith('['):
            return 'array2' if re.search(r'\]\s*\[', decl) else 'array'
        return 'struct'
    if s[j] == ')' and j == i - 1:  # a compound literal: (T){...}
        depth, k = 0, j
        while k >= 0:
            depth += s[k] == ')'
            depth -= s[k] == '('
            if depth == 0:
                break
            k -= 1
        m = k - 1
        while m >= 0 and s[m].isspace():
            m -= 1
        word = re.search(r'\w+$', s[:m + 1])
        if word and word.group() != 'return':
            return None  # f(x){ -- not a cast
        inner = s[k + 1:j]
        return 'array' if '[' in inner else 'struct'
    return None


def positional(body):
    els = elements(body)
    if not els or els == ['0']:
        return None
    # an UPPER_CASE(...) macro stands for designators (STR(m): .how = ..., .field = ...)
    bad = [e for e in els if not e.startswith(('.', '[')) and not re.match(r'[A-Z][A-Z0-9_]*\(', e)]
    return ', '.join(els)[:60] if bad else None


def check_file(path):
    src = strip(open(path, encoding='utf-8', errors='replace').read())
    found = []
    for m in re.finditer(r'\{', src):
        i = m.start()
        kind = kind_of(src, i)
        if kind is None:
            continue
        body = src[i + 1:match_close(src, i)]
        line = src.count('\n', 0, i) + 1
        if kind == 'member' and all(LITERAL.match(e) for e in elements(body)):
            continue  # .bytes = {0x20, 0x01}, .names = {"a", "b"}: taken for an array member
        if kind in ('struct', 'member'):
            why = positional(body)
            if why:
                found.append((line, why))
        elif kind == 'array':  # its brace elements are structs
            off = i + 1
            for e in elements(body):
                if e.startswith('{'):
                    at = src.index('{', off)
                    why = positional(src[at + 1:match_close(src, at)])
                    if why:
                        found.append((src.count('\n', 0, at) + 1, why))
                    off = match_close(src, at) + 1
    return [f'{path}:{line}: positional initialiser: {{{why}}}' for line, why in found]


def main(args):
    roots = args or ['converters', 'formats', 'schemas', 'fuzz', 'tests', 'include']
    files = []
    for r in roots:
        if os.path.isdir(r):
            for d, _, names in os.walk(r):
                files += [os.path.join(d, f) for f in names if f.endswith(('.c', '.h'))]
        elif os.path.isfile(r):
            files.append(r)
        else:
            print(f'check_designated: no such file or folder: {r}', file=sys.stderr)
            return 2
    problems = [p for f in sorted(files) for p in check_file(f)]
    for p in problems:
        print(p)
    print(f'check_designated: {len(problems)} positional initialiser(s) in {len(files)} files',
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
