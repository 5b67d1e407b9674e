#!/usr/bin/env python3
"""Counts align4j's public signatures that mention ND4J / SameDiff types. Run through tools/api-surface.sh.

Counting rule
-------------
Scanned: every ``*.java`` file under ``<module>/src/main/java`` (tests are not API), ``package-info.java`` and
``module-info.java`` excepted.

ND4J names of a file: the simple names of its non-static imports from ``org.nd4j.`` (INDArray, SDVariable,
SameDiff, DataType, MemoryWorkspace, ...), plus any fully qualified ``org.nd4j.`` reference.

Packages with a segment named ``internal`` (``org.align4j.core.model.internal``) declare themselves not API in
their package-info and are left out (``-a`` counts them too, to compare with a tree that has none).

A declaration is part of the API when it is public or protected (members of an interface or annotation type are
implicitly public unless private) and every type enclosing it is too; a top-level type is API only when public.

Declarations, each counted once when its signature mentions an ND4J name:
- a type header (name, type parameters, extends, implements; a record's components are counted apart),
- each record component (its public accessor),
- a field (its type and name, not its initialiser),
- a method or constructor (modifiers, type parameters, return type, parameters, throws).
Annotations are ignored, comments and string literals are stripped, enum constants are not counted.

Output: one line per counted declaration with ``-v``; always the count per module and the total; with ``-p`` the
count per package and, per package, how many of its top-level types are public.
Usage: api_surface.py [-v] [-p] [-a] [REPO_ROOT]
"""
import os
import re
import sys
from collections import Counter, defaultdict

TYPE_KEYWORDS = {"class", "interface", "enum", "record"}
TOKEN = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*|\d[\w.]*|\S")


def strip(src):
    """Replaces comments and string/char literals by spaces, keeping line breaks."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * src.count("\n", i, j))
            i = j
        elif src.startswith('"""', i):
            j = src.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append('""' + "\n" * src.count("\n", i, j))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def tokenize(text):
    tokens = []
    for line_no, line in enumerate(text.split("\n"), 1):
        tokens.extend((m.group(0), line_no) for m in TOKEN.finditer(line))
    return tokens


def drop_annotations(tokens):
    """Removes annotations (and their arguments) from a declaration's tokens; keeps '@interface'."""
    out, i = [], 0
    while i < len(tokens):
        t = tokens[i][0]
        if t == "@" and i + 1 < len(tokens) and tokens[i + 1][0] != "interface":
            i += 2
            while i + 1 < len(tokens) and tokens[i][0] == ".":
                i += 2
            if i < len(tokens) and tokens[i][0] == "(":
                depth = 0
                while i < len(tokens):
                    depth += {"(": 1, ")": -1}.get(tokens[i][0], 0)
                    i += 1
                    if depth == 0:
                        break
            continue
        out.append(tokens[i])
        i += 1
    return out


def skip_braces(tokens, i):
    """Index after the brace group that starts at tokens[i] == '{'."""
    depth = 0
    while i < len(tokens):
        depth += {"{": 1, "}": -1}.get(tokens[i][0], 0)
        i += 1
        if depth == 0:
            return i
    return i


def type_keyword_at(words):
    """Position of the type keyword (class, interface, enum, record) followed by a name, or -1."""
    for k in range(len(words) - 1):
        if words[k] in TYPE_KEYWORDS and re.match(r"[A-Za-z_$]", words[k + 1]):
            if k == 0 or words[k - 1] != ".":
                return k
    return -1


def split_top(tokens, opener, closer):
    """Splits tokens at commas outside (), <> and []."""
    parts, cur, depth = [], [], 0
    for tok in tokens:
        if tok[0] in "(<[":
            depth += 1
        elif tok[0] in ")>]":
            depth -= 1
        if tok[0] == "," and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        parts.append(cur)
    return parts


class Scanner:
    def __init__(self, path, module):
        self.path, self.module = path, module
        src = open(path, encoding="utf-8").read()
        self.nd4j = set()
        for m in re.finditer(r"^\s*import\s+(static\s+)?org\.nd4j\.([\w.]+)\s*;", src, re.M):
            if not m.group(1):
                self.nd4j.add(m.group(2).rsplit(".", 1)[-1])
        pkg = re.search(r"^\s*package\s+([\w.]+)\s*;", src, re.M)
        self.package = pkg.group(1) if pkg else ""
        self.tokens = tokenize(strip(src))
        self.hits = []  # (line, kind, name)
        self.top_types = []  # (name, public)

    def mentions(self, toks):
        words = [t[0] for t in toks]
        if any(w in self.nd4j for w in words):
            return True
        return "org . nd4j" in " ".join(words)

    def scan(self):
        i = 0
        while i < len(self.tokens):
            i = self.member(i, [], ("class", True))
        return self

    def member(self, i, outer, owner):
        """Reads one declaration starting at i inside a type body (or the file); returns the index after it.
        outer: enclosing type names; owner: (kind of the enclosing type, whether it is API)."""
        decl, depth, start = [], 0, i
        while i < len(self.tokens):
            tok = self.tokens[i][0]
            if tok == "}" and depth == 0:
                return i if decl else i + 1  # end of the enclosing body (caller consumes)
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth -= 1
            if tok == "{":
                clean = drop_annotations(decl)
                words = [t[0] for t in clean]
                if depth > 0 or "=" in words:
                    i = skip_braces(self.tokens, i)
                    decl.append(("{}", self.tokens[i - 1][1]))
                    continue
                k = type_keyword_at(words)
                if k >= 0:
                    return self.type_body(clean, k, i, outer, owner)
                self.record(clean, "method", outer, owner)
                return skip_braces(self.tokens, i)
            if tok == ";" and depth == 0:
                clean = drop_annotations(decl)
                if clean and clean[0][0] not in ("package", "import"):
                    words = [t[0] for t in clean]
                    self.record(clean, "method" if "(" in words and "=" not in words else "field", outer, owner)
                return i + 1
            decl.append(self.tokens[i])
            i += 1
        return i

    def is_api(self, words, owner):
        kind, owner_api = owner
        if not owner_api:
            return False
        if kind in ("interface", "@interface"):
            return "private" not in words
        return "public" in words or "protected" in words

    def record(self, clean, kind, outer, owner):
        words = [t[0] for t in clean]
        if not clean or not self.is_api(words, owner):
            return
        sig = clean
        if kind == "field":
            sig = clean[: words.index("=")] if "=" in words else clean
            names = [w for w in [t[0] for t in sig] if re.match(r"[A-Za-z_$]", w)]
            name = names[-1] if names else "?"
        else:
            name = words[words.index("(") - 1] if "(" in words else words[-1]
            kind = "constructor" if name == (outer[-1] if outer else None) else kind
        if self.mentions(sig):
            self.hits.append((clean[0][1], kind, ".".join(outer + [name])))

    def type_body(self, clean, k, i, outer, owner):
        words = [t[0] for t in clean]
        kind = "@interface" if k > 0 and words[k - 1] == "@" else words[k]
        name = words[k + 1]
        modifiers = words[:k]
        if outer:
            api = self.is_api(modifiers, owner)
        else:
            api = "public" in modifiers
            self.top_types.append((name, api))
        header = clean
        if kind == "record":
            j = k + 2
            if j < len(clean) and clean[j][0] == "<":  # type parameters
                d = 0
                while j < len(clean):
                    d += {"<": 1, ">": -1}.get(clean[j][0], 0)
                    j += 1
                    if d == 0:
                        break
            if j < len(clean) and clean[j][0] == "(":
                d, e = 0, j
                while e < len(clean):
                    d += {"(": 1, ")": -1}.get(clean[e][0], 0)
                    e += 1
                    if d == 0:
                        break
                if api:
                    for comp in split_top(clean[j + 1: e - 1], "(", ")"):
                        if comp and self.mentions(comp):
                            self.hits.append((comp[0][1], "component", ".".join(outer + [name, comp[-1][0]])))
                header = clean[:j] + clean[e:]
        if api and self.mentions(header):
            self.hits.append((clean[0][1], "type", ".".join(outer + [name])))
        i += 1  # past '{'
        if kind == "enum":
            while i < len(self.tokens) and self.tokens[i][0] not in (";", "}"):
                i = skip_braces(self.tokens, i) if self.tokens[i][0] == "{" else i + 1
            if i < len(self.tokens) and self.tokens[i][0] == ";":
                i += 1
        while i < len(self.tokens) and self.tokens[i][0] != "}":
            i = self.member(i, outer + [name], (kind, api))
        return i + 1


def main(argv):
    verbose, per_package, with_internal = "-v" in argv, "-p" in argv, "-a" in argv
    roots = [a for a in argv if not a.startswith("-")]
    root = roots[0] if roots else "."
    per_module, pkg_hits, pkg_types = Counter(), Counter(), defaultdict(lambda: [0, 0])
    for module in sorted(os.listdir(root)):
        src_root = os.path.join(root, module, "src", "main", "java")
        if not os.path.isdir(src_root):
            continue
        per_module[module] += 0
        for dirpath, _, files in sorted(os.walk(src_root)):
            for f in sorted(files):
                if not f.endswith(".java") or f in ("package-info.java", "module-info.java"):
                    continue
                path = os.path.join(dirpath, f)
                s = Scanner(path, module)
                if not with_internal and "internal" in s.package.split("."):
                    continue
                s.scan()
                per_module[module] += len(s.hits)
                pkg_hits[s.package] += len(s.hits)
                for _, public in s.top_types:
                    pkg_types[s.package][0] += 1 if public else 0
                    pkg_types[s.package][1] += 1
                if verbose:
                    rel = os.path.relpath(path, root)
                    for line, kind, name in s.hits:
                        print(f"{module}\t{rel}:{line}\t{kind}\t{name}")
    if per_package:
        print("package\tnd4j-signatures\tpublic-types/types")
        for pkg in sorted(pkg_types):
            print(f"{pkg}\t{pkg_hits[pkg]}\t{pkg_types[pkg][0]}/{pkg_types[pkg][1]}")
    print("module\tnd4j-signatures")
    for module, count in sorted(per_module.items()):
        print(f"{module}\t{count}")
    print(f"total\t{sum(per_module.values())}")


if __name__ == "__main__":
    main(sys.argv[1:])
