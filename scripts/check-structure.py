#!/usr/bin/env python3
"""The shape of the code stays as docs/architecture.md draws it.

1. No import circles: within each crate, no two source files depend on each
   other, directly or around a longer circle. A file depends on another when
   it names an item of it by a path that starts with `crate::` or `super::`
   (in a `use` or inline). A name re-exported by a `mod.rs` (`pub use
   child::Name`) counts as the child's, so a folder's `mod.rs` can gather its
   children's names without tying them into a circle. Test-only code (a
   `#[cfg(test)]` block, `tests.rs`) is left out: tests may reach anywhere.
2. No source file over 600 lines unless its first lines say why, in a
   comment starting with `Longer than 600 lines:` (tests and data tables).

Exit 0 when both hold; otherwise each circle (with the names that tie it)
and each long file is printed, and the exit status is 1.

    python3 scripts/check-structure.py            # the whole workspace
    python3 scripts/check-structure.py --selftest # the checker's own tests
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATES = ["assessments", "app", "server", "frontend", "tests/load"]
MAX_LINES = 600
LONG_FILE_REASON = "Longer than 600 lines:"

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip_comments_and_strings(src: str) -> str:
    """The code without comments, string and char literals (kept as blanks)."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', src[i:i + 10]) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            m = re.match(r'r(#*)"', src[i:])
            end = src.find('"' + m.group(1), i + len(m.group(0)))
            i = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and src[i] != '"':
                i += 2 if src[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", src[i:i + 4]) or (c == "'" and re.match(r"'\\u\{[0-9a-fA-F]+\}'", src[i:i + 12])):
            i = src.find("'", i + 2) + 1
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def drop_test_blocks(code: str) -> str:
    """The code without `#[cfg(test)]` items (a module or a function)."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]", code):
        if m.start() < i:
            continue
        out.append(code[i:m.start()])
        semi, brace = code.find(";", m.end()), code.find("{", m.end())
        if brace < 0 or (0 <= semi < brace):
            i = semi + 1  # `#[cfg(test)] mod tests;` or a `use`
            continue
        depth, j = 0, brace
        while j < len(code):
            depth += {"{": 1, "}": -1}.get(code[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    out.append(code[i:])
    return "".join(out)


def expand_use_tree(tree: str) -> list[str]:
    """`a::{b, c::{d, e}}` -> ["a::b", "a::c::d", "a::c::e"] (aliases dropped)."""
    tree = re.sub(r"\s+as\s+" + IDENT, "", tree)
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [tree]
    prefix, inner = tree[:brace], tree[brace + 1:tree.rfind("}")]
    parts, depth, start = [], 0, 0
    for j, c in enumerate(inner):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(inner[start:j])
            start = j + 1
    parts.append(inner[start:])
    return [p for part in parts if part for p in expand_use_tree(prefix + part)]


class Crate:
    """The module files of one crate and the paths they name."""

    def __init__(self, src: Path, files: dict[str, str] | None = None):
        self.src = src
        if files is None:
            files = {p.relative_to(src).as_posix(): p.read_text(encoding="utf-8") for p in sorted(src.rglob("*.rs"))}
        self.raw = files
        # module path (tuple) -> file name, for every module file
        self.module_of_file: dict[str, tuple[str, ...]] = {}
        self.file_of_module: dict[tuple[str, ...], str] = {}
        for name in files:
            parts = name[:-3].split("/")
            if parts[-1] in ("lib", "main") and len(parts) == 1:
                mod: tuple[str, ...] = ()
            elif parts[-1] == "mod":
                mod = tuple(parts[:-1])
            else:
                mod = tuple(parts)
            if parts[-1] == "main" and "lib.rs" in files and len(parts) == 1:
                continue  # a binary beside a library: its own crate
            self.module_of_file[name] = mod
            self.file_of_module.setdefault(mod, name)
        self.code = {name: drop_test_blocks(strip_comments_and_strings(text)) for name, text in files.items() if name in self.module_of_file}
        self.reexports = {name: self._reexports(name) for name in self.code}

    def is_test_file(self, name: str) -> bool:
        return name.endswith("/tests.rs") or name == "tests.rs" or "/tests/" in name

    def _reexports(self, name: str) -> dict[str, tuple[str, ...]]:
        """Names this module re-exports (`pub use`), by the absolute path they
        come from; a glob (`pub use child::*`) re-exports what the child defines."""
        out: dict[str, tuple[str, ...]] = {}
        for m in re.finditer(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", self.code[name]):
            for path in expand_use_tree(m.group(1)):
                absolute = self.absolute(name, path.split("::"))
                if not absolute:
                    continue
                if absolute[-1] != "*":
                    out[absolute[-1]] = absolute
                elif absolute[:-1] in self.file_of_module:
                    child = self.code.get(self.file_of_module[absolute[:-1]], "")
                    for d in re.finditer(r"\b(?:struct|enum|fn|const|static|type|trait|mod)\s+(" + IDENT + ")", child):
                        out.setdefault(d.group(1), absolute[:-1] + (d.group(1),))
        return out

    def absolute(self, name: str, segments: list[str]) -> tuple[str, ...] | None:
        """An in-crate path as written in file `name`, made absolute; None when it leaves the crate."""
        here = self.module_of_file[name]
        if not segments:
            return None
        if segments[0] == "crate":
            return tuple(segments[1:])
        if segments[0] == "self":
            return here + tuple(segments[1:])
        if segments[0] == "super":
            base = list(here)
            while segments and segments[0] == "super":
                if not base:
                    return None
                base.pop()
                segments = segments[1:]
            return tuple(base) + tuple(segments)
        if (here + (segments[0],)) in self.file_of_module:  # a child module named without `self::`
            return here + tuple(segments)
        return None

    def target(self, path: tuple[str, ...], seen: int = 0) -> tuple[str, str] | None:
        """The file a path's item lives in, and the item's name."""
        for k in range(len(path), -1, -1):
            mod = path[:k]
            if mod in self.file_of_module:
                name = self.file_of_module[mod]
                rest = path[k:]
                if rest and seen < 8 and rest[0] in self.reexports.get(name, {}):
                    return self.target(self.reexports[name][rest[0]] + rest[1:], seen + 1)
                return name, (rest[0] if rest else mod[-1] if mod else "crate")
        return None

    def edges(self) -> dict[str, dict[str, set[str]]]:
        """file -> file -> names it takes from it (test files and self-edges left out)."""
        graph: dict[str, dict[str, set[str]]] = {name: {} for name in self.code if not self.is_test_file(name)}
        for name in graph:
            code = self.code[name]
            paths: list[list[str]] = []
            for m in re.finditer(r"\buse\s+([^;]+);", code):
                paths += [p.split("::") for p in expand_use_tree(m.group(1))]
            code_without_uses = re.sub(r"\buse\s+[^;]+;", "", code)
            for m in re.finditer(r"(?<![A-Za-z0-9_:])((?:crate|super)(?:::(?:super|" + IDENT + "))+)", code_without_uses):
                paths.append(m.group(1).split("::"))
            for segments in paths:
                absolute = self.absolute(name, segments)
                if absolute is None:
                    continue
                found = self.target(absolute)
                if found is None:
                    continue
                other, item = found
                if other != name and other in graph:
                    graph[name].setdefault(other, set()).add(item)
        return graph


def circles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Strongly connected components with more than one file (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def long_files(root: Path) -> list[tuple[str, int]]:
    out = []
    for crate in CRATES:
        base = root / crate
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*.rs")):
            if "target" in p.parts:
                continue
            lines = p.read_text(encoding="utf-8").splitlines()
            if len(lines) > MAX_LINES and not any(LONG_FILE_REASON in line for line in lines[:5]):
                out.append((p.relative_to(root).as_posix(), len(lines)))
    return out


def check(root: Path) -> int:
    problems = 0
    for crate in CRATES:
        src = root / crate / "src"
        if not src.is_dir():
            continue
        c = Crate(src)
        graph = c.edges()
        for comp in circles(graph):
            problems += 1
            print(f"import circle in {crate}/src: " + ", ".join(comp))
            for a in comp:
                for b in comp:
                    if b in graph[a]:
                        print(f"  {a} -> {b}: " + ", ".join(sorted(graph[a][b])))
    for name, n in long_files(root):
        problems += 1
        print(f"{name} has {n} lines (over {MAX_LINES}): split it along its seams, or say why at its top: // {LONG_FILE_REASON} <reason>")
    if problems:
        print(f"{problems} structure problem(s); see docs/architecture.md (Modules and their seams)")
        return 1
    print("structure: no import circles; no source file over 600 lines without its reason")
    return 0


def selftest() -> int:
    def graph_of(files: dict[str, str]) -> dict[str, dict[str, set[str]]]:
        return Crate(Path("."), files).edges()

    # A use of each other is a circle; names that tie it are reported.
    g = graph_of({"lib.rs": "mod a; mod b;", "a.rs": "use crate::b::B; pub struct A;", "b.rs": "use crate::a::{A, other};\npub struct B;"})
    assert circles(g) == [["a.rs", "b.rs"]], g
    assert g["b.rs"]["a.rs"] == {"A", "other"}, g
    # An inline path is a dependency too; `super::` is resolved from the file's module.
    g = graph_of({"lib.rs": "", "x/mod.rs": "pub mod y; pub mod z;", "x/y.rs": "fn f() { super::z::g() }", "x/z.rs": "fn g() { crate::x::y::f() }"})
    assert circles(g) == [["x/y.rs", "x/z.rs"]], g
    # A mod.rs that re-exports its children's names does not tie them into a circle.
    g = graph_of({"lib.rs": "", "n/mod.rs": "mod t; mod b; pub use t::{Table, band};\npub use b::build;", "n/t.rs": "pub struct Table;", "n/b.rs": "use super::Table; use crate::s::Scorer;", "s.rs": "use crate::n::Table; pub struct Scorer;"})
    assert circles(g) == [], g
    assert set(g["s.rs"]) == {"n/t.rs"}, g
    # So does a glob re-export of what a child defines.
    g = graph_of({"lib.rs": "", "st/mod.rs": "mod models; mod db; pub use models::*; pub use db::Store;", "st/models.rs": "pub struct Row;", "st/db.rs": "use super::Row; pub struct Store;"})
    assert circles(g) == [] and set(g["st/db.rs"]) == {"st/models.rs"}, g
    # Tests, comments and strings do not count.
    g = graph_of({"lib.rs": "", "a.rs": "use crate::b::B;", "b.rs": "// use crate::a::A;\nconst S: &str = \"crate::a::A\";\n#[cfg(test)]\nmod tests { use crate::a::A; }", "c/tests.rs": "use crate::a::A;"})
    assert circles(g) == [], g
    # Grouped paths with aliases and nested groups.
    assert expand_use_tree("crate::{a::{B, C as D}, e}") == ["crate::a::B", "crate::a::C", "crate::e"], expand_use_tree("crate::{a::{B, C as D}, e}")
    print("check-structure self-test: ok")
    return 0


if __name__ == "__main__":
    if "--selftest" in sys.argv:
        sys.exit(selftest())
    sys.exit(check(ROOT))
