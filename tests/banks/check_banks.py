#!/usr/bin/env python3
"""Dev helper: structural and psychometric sanity checks for Vigil item banks.

Standard library only (Python >= 3.11 for tomllib). Checks every
`assessments/banks/<instrument>/<version>.toml` against docs/bank-format.md
and the content rules of docs/psychometrics.md, and each
`assessments/banks/<instrument>/simulation/<version>.toml` population model
(one per bank version).

    python3.11 tests/banks/check_banks.py            # structure only
    python3.11 tests/banks/check_banks.py --simulate # plus simulated alpha per scale
    python3.11 tests/banks/check_banks.py --simulate --seed 7

With --simulate, respondents are drawn from the population model (multivariate
normal latent traits, graded response model, fixed seed) and Cronbach's alpha
is reported per scale; trait/pulse scales below .80 are an error.

Exit status 0 when no errors were found. This is an independent cross-check,
not the reference implementation (that is the Rust `assessments` crate).
"""
from __future__ import annotations

import math
import random
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BANKS = ROOT / "assessments" / "banks"

ID_RE = re.compile(r"^[a-z0-9_-]+$")
SEMVER_RE = re.compile(r"^\d+\.\d+\.\d+$")
SCALE_KINDS = {"trait", "impression_management", "judgement", "pulse"}
ITEM_TYPES = {"likert", "sjt", "check"}
STATUSES = {"draft", "published"}
HASH_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.info: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"ERROR   {where}: {msg}")

    def warn(self, where: str, msg: str) -> None:
        self.warnings.append(f"warning {where}: {msg}")

    def note(self, msg: str) -> None:
        self.info.append(msg)


# --------------------------------------------------------------------------
# text helpers


def check_text(rep: Report, where: str, value, langs: list[str], *, is_list: bool = False) -> None:
    """A person-facing text: a table with a non-empty entry per language."""
    if not isinstance(value, dict):
        rep.err(where, f"expected a language table {{{', '.join(langs)}}}, got {type(value).__name__}")
        return
    missing = [l for l in langs if l not in value]
    extra = [k for k in value if k not in langs]
    if missing:
        rep.err(where, f"missing language(s) {missing}")
    if extra:
        rep.err(where, f"language(s) not declared in [instrument].languages: {extra}")
    lengths = set()
    for l in langs:
        v = value.get(l)
        if v is None:
            continue
        if is_list:
            if not isinstance(v, list) or not v or not all(isinstance(s, str) and s.strip() for s in v):
                rep.err(where, f"'{l}' must be a non-empty list of non-empty strings")
            else:
                lengths.add(len(v))
        else:
            if not isinstance(v, str) or not v.strip():
                rep.err(where, f"'{l}' must be a non-empty string")
            elif v != v.strip() or "  " in v:
                rep.warn(where, f"'{l}' has stray whitespace")
    if is_list and len(lengths) > 1:
        rep.err(where, f"lists differ in length between languages: {sorted(lengths)}")


def walk_language_tables(rep: Report, where: str, node, langs: list[str]) -> None:
    """Every table that has any language key must have all of them."""
    if isinstance(node, dict):
        keys = set(node)
        if keys & {"en", "de"} or keys & set(langs):
            for l in langs:
                if l not in node:
                    rep.err(where, f"text table without '{l}'")
        for k, v in node.items():
            walk_language_tables(rep, f"{where}.{k}", v, langs)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk_language_tables(rep, f"{where}[{i}]", v, langs)


def check_grm(rep: Report, where: str, grm, categories: int) -> None:
    if not isinstance(grm, dict) or set(grm) != {"a", "b"}:
        rep.err(where, "GRM parameters must be a table { a = ..., b = [...] }")
        return
    a, b = grm["a"], grm["b"]
    if not isinstance(a, (int, float)) or not a > 0:
        rep.err(where, f"discrimination a must be > 0, got {a!r}")
    if not isinstance(b, list) or not all(isinstance(x, (int, float)) for x in b):
        rep.err(where, "thresholds b must be a list of numbers")
        return
    if len(b) != categories - 1:
        rep.err(where, f"len(b) = {len(b)}, expected categories - 1 = {categories - 1}")
    if any(b[i] >= b[i + 1] for i in range(len(b) - 1)):
        rep.err(where, f"thresholds not strictly increasing: {b}")


# --------------------------------------------------------------------------
# bank file


def check_bank(rep: Report, path: Path) -> dict | None:
    where0 = str(path.relative_to(ROOT))
    try:
        with path.open("rb") as f:
            bank = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        rep.err(where0, f"TOML does not parse: {e}")
        return None

    inst = bank.get("instrument")
    if not isinstance(inst, dict):
        rep.err(where0, "missing [instrument]")
        return None
    langs = inst.get("languages")
    if not isinstance(langs, list) or not langs:
        rep.err(where0, "[instrument].languages must be a non-empty list")
        langs = ["en", "de"]
    for l in ("en", "de"):
        if l not in langs:
            rep.err(where0, f"Vigil banks must declare '{l}'")

    iid = inst.get("id", "")
    if not ID_RE.match(str(iid)):
        rep.err(where0, f"instrument id {iid!r} must match [a-z0-9_-]+")
    if path.parent.name != iid:
        rep.err(where0, f"folder '{path.parent.name}' differs from instrument id '{iid}'")
    ver = str(inst.get("version", ""))
    if not SEMVER_RE.match(ver):
        rep.err(where0, f"version {ver!r} is not semver")
    if path.stem != ver:
        rep.err(where0, f"file name '{path.stem}' differs from version '{ver}'")
    status = inst.get("status")
    if status not in STATUSES:
        rep.err(where0, f"status must be one of {sorted(STATUSES)}")
    if "content_hash" in inst:
        if status == "draft":
            rep.warn(where0, "draft bank carries a content_hash (computed by the Rust tool on publishing)")
        if not HASH_RE.match(str(inst["content_hash"])):
            rep.err(where0, "content_hash must be 'sha256:<64 hex>'")
    elif status == "published":
        rep.err(where0, "published bank without content_hash")
    check_text(rep, f"{where0} instrument.title", inst.get("title"), langs)
    check_text(rep, f"{where0} instrument.instructions", inst.get("instructions"), langs)
    if "calibration" in inst:
        cal = inst["calibration"]
        if not isinstance(cal, dict) or "kind" not in cal:
            rep.err(where0, "calibration must be a table with 'kind'")

    walk_language_tables(rep, where0, bank, langs)

    # response scales
    rscales: dict[str, dict] = {}
    for i, rs in enumerate(bank.get("response_scales", [])):
        w = f"{where0} response_scales[{i}]"
        rid = rs.get("id")
        if not rid or not ID_RE.match(rid):
            rep.err(w, f"bad id {rid!r}")
            continue
        if rid in rscales:
            rep.err(w, f"duplicate response scale id {rid}")
        lo, hi = rs.get("min"), rs.get("max")
        if not (isinstance(lo, int) and isinstance(hi, int) and hi > lo):
            rep.err(w, "min/max must be integers with max > min")
            continue
        n = hi - lo + 1
        check_text(rep, f"{w}.labels", rs.get("labels"), langs, is_list=True)
        for l in langs:
            labs = (rs.get("labels") or {}).get(l)
            if isinstance(labs, list) and len(labs) != n:
                rep.err(w, f"labels.{l} has {len(labs)} entries, expected {n}")
        rscales[rid] = rs

    # scales
    scales: dict[str, dict] = {}
    for i, sc in enumerate(bank.get("scales", [])):
        w = f"{where0} scales[{i}]"
        sid = sc.get("id")
        if not sid or not ID_RE.match(sid):
            rep.err(w, f"bad id {sid!r}")
            continue
        w = f"{where0} scale {sid}"
        if sid in scales:
            rep.err(w, "duplicate scale id")
        if sc.get("kind") not in SCALE_KINDS:
            rep.err(w, f"kind must be one of {sorted(SCALE_KINDS)}")
        check_text(rep, f"{w}.name", sc.get("name"), langs)
        check_text(rep, f"{w}.description", sc.get("description"), langs)
        interp = sc.get("interpretation")
        if not isinstance(interp, dict):
            rep.err(w, "missing [scales.interpretation]")
        else:
            for band in ("low", "average", "high"):
                check_text(rep, f"{w}.interpretation.{band}", interp.get(band), langs)
            if "interview_prompts" in interp:
                check_text(rep, f"{w}.interpretation.interview_prompts", interp["interview_prompts"], langs, is_list=True)
            else:
                rep.warn(w, "no interview_prompts")
        facets = sc.get("facets")
        if facets is not None and (not isinstance(facets, list) or len(set(facets)) != len(facets)):
            rep.err(w, "facets must be a list of unique ids")
        scales[sid] = sc

    # items
    items: dict[str, dict] = {}
    by_scale: dict[str, list[dict]] = {s: [] for s in scales}
    for i, it in enumerate(bank.get("items", [])):
        iid_ = it.get("id")
        w = f"{where0} item {iid_ or i}"
        if not iid_ or not ID_RE.match(iid_):
            rep.err(w, f"bad id {iid_!r}")
            continue
        if iid_ in items:
            rep.err(w, "duplicate item id")
        items[iid_] = it
        typ = it.get("type")
        if typ not in ITEM_TYPES:
            rep.err(w, f"type must be one of {sorted(ITEM_TYPES)}")
            continue
        check_text(rep, f"{w}.text", it.get("text"), langs)
        if "reverse" in it and typ != "likert":
            rep.err(w, "'reverse' is for likert items only")
        if "reverse" in it and not isinstance(it["reverse"], bool):
            rep.err(w, "'reverse' must be true/false")

        if typ == "check":
            if "scale" in it:
                rep.err(w, "check items belong to no scale")
            rs = rscales.get(it.get("response_scale"))
            if rs is None:
                rep.err(w, f"unknown response_scale {it.get('response_scale')!r}")
            att = it.get("attentive")
            if not isinstance(att, list) or not att or not all(isinstance(x, int) for x in att):
                rep.err(w, "check item needs a non-empty integer list 'attentive'")
            elif rs is not None:
                bad = [x for x in att if not rs["min"] <= x <= rs["max"]]
                if bad:
                    rep.err(w, f"attentive answers {bad} outside {rs['min']}..{rs['max']}")
                if len(att) >= rs["max"] - rs["min"] + 1:
                    rep.err(w, "every answer counts as attentive: the check cannot fail")
            continue

        sid = it.get("scale")
        if sid not in scales:
            rep.err(w, f"unknown scale {sid!r}")
            continue
        by_scale[sid].append(it)
        facet = it.get("facet")
        sfacets = scales[sid].get("facets")
        if facet is not None and (not sfacets or facet not in sfacets):
            rep.err(w, f"facet {facet!r} is not a facet of scale {sid}")
        if sfacets and facet is None:
            rep.warn(w, f"scale {sid} has facets but the item names none")

        if typ == "likert":
            rs = rscales.get(it.get("response_scale"))
            if rs is None:
                rep.err(w, f"unknown response_scale {it.get('response_scale')!r}")
                continue
            if "reverse" not in it:
                rep.warn(w, "likert item without explicit 'reverse'")
            if "attentive" in it or "options" in it:
                rep.err(w, "likert items take neither 'attentive' nor 'options'")
            cats = rs["max"] - rs["min"] + 1
            if not 4 <= cats <= 7:
                rep.err(w, f"Likert items have 4-7 points (psychometrics.md §1), got {cats}")
            if "grm" in it:
                check_grm(rep, f"{w}.grm", it["grm"], cats)
        elif typ == "sjt":
            if "response_scale" in it:
                rs = rscales.get(it["response_scale"])
                if rs is None:
                    rep.err(w, f"unknown response_scale {it['response_scale']!r}")
            opts = it.get("options")
            if not isinstance(opts, list) or len(opts) < 2:
                rep.err(w, "sjt item needs at least two options")
                continue
            oids, keys = [], []
            for j, o in enumerate(opts):
                if not isinstance(o.get("key"), int) or isinstance(o.get("key"), bool):
                    rep.err(w, f"option {j} key must be an integer")
                else:
                    keys.append(o["key"])
                oids.append(o.get("id"))
                check_text(rep, f"{w}.options[{j}].text", o.get("text"), langs)
            if len(set(oids)) != len(oids) or not all(isinstance(x, str) and x for x in oids):
                rep.err(w, f"option ids must be unique non-empty strings: {oids}")
            if keys and (min(keys) < 0):
                rep.err(w, "option keys start at 0")
            if keys and sorted(keys) != list(range(len(opts))):
                rep.err(w, f"keys should use each of 0..{len(opts) - 1} once, got {keys}")
            if "grm" in it:
                check_grm(rep, f"{w}.grm", it["grm"], max(keys) + 1 if keys else 0)

    # scale-level content rules
    for sid, sc in scales.items():
        its = by_scale[sid]
        kind = sc.get("kind")
        w = f"{where0} scale {sid}"
        n = len(its)
        nrev = sum(1 for it in its if it.get("reverse"))
        if n == 0:
            rep.err(w, "scale has no items")
            continue
        if kind == "trait":
            # psychometrics.md §1: 6+ items; larger pools serve adaptive testing
            if n < 6:
                rep.err(w, f"trait scale has {n} items, expected 6 or more")
            elif n > 30:
                rep.warn(w, f"trait scale has {n} items; a full form above 30 is long")
            if nrev < 2 or not 0.25 <= nrev / n <= 0.45:
                rep.err(w, f"{nrev}/{n} reverse-keyed; expected about a third and at least 2")
        elif kind == "impression_management":
            if not 6 <= n <= 8:
                rep.err(w, f"impression-management scale has {n} items, expected 6-8")
        elif kind == "pulse":
            if n < 6:
                rep.err(w, f"pulse scale has {n} items, expected 6+")
            if nrev < 1:
                rep.err(w, "pulse scale without reverse-keyed items")
        elif kind == "judgement":
            if any(it["type"] != "sjt" for it in its):
                rep.err(w, "judgement scale should hold sjt items")
            facets = sc.get("facets") or []
            for f in facets:
                if not any(it.get("facet") == f for it in its):
                    rep.err(w, f"facet {f} has no items")
            if facets:
                counts = {f: sum(1 for it in its if it.get("facet") == f) for f in facets}
                rep.note(f"  {sid} facets: {counts}")
            # Test-wise cue: is the best-keyed option usually the longest one?
            sjt = [it for it in its if it.get("options")]
            for lang in langs:
                longest = 0
                first_best = {}
                for it in sjt:
                    opts = it["options"]
                    top = max(o["key"] for o in opts)
                    lens = [len(o["text"].get(lang, "")) for o in opts]
                    best = [j for j, o in enumerate(opts) if o["key"] == top]
                    if best and lens[best[0]] == max(lens):
                        longest += 1
                    pos = best[0] if best else -1
                    first_best[pos] = first_best.get(pos, 0) + 1
                if sjt and longest / len(sjt) > 0.4:
                    rep.warn(w, f"[{lang}] best option is the longest in {longest}/{len(sjt)} scenarios (length cue)")
                if sjt and max(first_best.values()) / len(sjt) > 0.5:
                    rep.warn(w, f"best option sits in one position too often: {first_best}")
                rep.note(f"  {sid} [{lang}]: best option longest in {longest}/{len(sjt)} scenarios; best-option positions {dict(sorted(first_best.items()))}")
        rep.note(f"  {where0}: {sid:<24} kind={kind:<22} items={n:>2} reversed={nrev}")

    # adaptive-testing settings (docs/bank-format.md [cat])
    cat = bank.get("cat")
    if cat is not None:
        if not isinstance(cat, dict):
            rep.err(where0, "[cat] must be a table")
            cat = {}
        for k in cat:
            if k not in ("se_target", "min_items", "max_items", "randomesque"):
                rep.err(where0, f"[cat] unknown key {k!r}")
        se = cat.get("se_target")
        if se is not None and not (isinstance(se, (int, float)) and 0 < se < 1):
            rep.err(where0, f"[cat] se_target {se!r} must lie between 0 and 1")
        for k in ("min_items", "max_items", "randomesque"):
            v = cat.get(k)
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 1):
                rep.err(where0, f"[cat] {k} must be a positive integer")
        mn, mx = cat.get("min_items"), cat.get("max_items")
        if isinstance(mx, int) and mx > 1000:
            rep.err(where0, "[cat] max_items must be at most 1000")
        if isinstance(mn, int) and isinstance(mx, int) and mn > mx:
            rep.err(where0, f"[cat] min_items {mn} is above max_items {mx}")
        rk = cat.get("randomesque")
        if isinstance(rk, int) and rk > 10:
            rep.err(where0, "[cat] randomesque must lie between 1 and 10")
    for iid_, it in items.items():
        if "exposure" in it:
            e = it["exposure"]
            if it.get("type") == "check":
                rep.err(f"{where0} item {iid_}", "check items carry no exposure parameter")
            elif not (isinstance(e, (int, float)) and not isinstance(e, bool) and 0 < e <= 1):
                rep.err(f"{where0} item {iid_}", f"exposure {e!r} must lie in (0, 1]")

    # validity settings
    val = bank.get("validity")
    if isinstance(val, dict):
        for k in ("longstring_caution_share", "longstring_invalid_share"):
            if k in val and not 0 < val[k] <= 1:
                rep.err(where0, f"validity.{k} must be in (0, 1]")
        if val.get("longstring_caution_share", 0.5) > val.get("longstring_invalid_share", 0.8):
            rep.err(where0, "longstring caution share above invalid share")
        if val.get("infrequency_caution_fails", 1) > val.get("infrequency_invalid_fails", 2):
            rep.err(where0, "infrequency caution fails above invalid fails")
        n_checks = sum(1 for it in items.values() if it.get("type") == "check")
        if n_checks and n_checks < val.get("infrequency_invalid_fails", 2):
            rep.err(where0, "fewer check items than the 'invalid' threshold")
        for pair in val.get("inconsistency_pairs", []):
            if not (isinstance(pair, list) and len(pair) == 2):
                rep.err(where0, f"inconsistency pair {pair!r} must have two item ids")
                continue
            a, b = (items.get(x) for x in pair)
            if a is None or b is None:
                rep.err(where0, f"inconsistency pair {pair} names an unknown item")
                continue
            if a.get("type") != "likert" or b.get("type") != "likert":
                rep.err(where0, f"inconsistency pair {pair} must be likert items")
            if a.get("scale") != b.get("scale"):
                rep.err(where0, f"inconsistency pair {pair} spans two scales")
            if bool(a.get("reverse")) != bool(b.get("reverse")):
                rep.err(where0, f"inconsistency pair {pair} differs in keyed direction")
            if pair[0] == pair[1]:
                rep.err(where0, f"inconsistency pair {pair} repeats one item")
    return {"bank": bank, "items": items, "scales": scales, "rscales": rscales, "by_scale": by_scale, "path": path}


# --------------------------------------------------------------------------
# simulation model


def cholesky(m: list[list[float]]) -> list[list[float]] | None:
    """Lower-triangular L with L L^T = m, or None if m is not positive definite."""
    n = len(m)
    L = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = m[i][j] - sum(L[i][k] * L[j][k] for k in range(j))
            if i == j:
                if s <= 1e-10:
                    return None
                L[i][i] = math.sqrt(s)
            else:
                L[i][j] = s / L[j][j]
    return L


def item_categories(it: dict, rscales: dict) -> int:
    if it["type"] == "likert":
        rs = rscales[it["response_scale"]]
        return rs["max"] - rs["min"] + 1
    return max(o["key"] for o in it["options"]) + 1


def check_simulation(rep: Report, path: Path, banks: dict[tuple[str, str], dict]) -> dict | None:
    where0 = str(path.relative_to(ROOT))
    try:
        with path.open("rb") as f:
            sim = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        rep.err(where0, f"TOML does not parse: {e}")
        return None
    key = (sim.get("bank"), sim.get("bank_version"))
    b = banks.get(key)
    if b is None:
        rep.err(where0, f"no bank file for {key}")
        return None
    if sim.get("bank") != path.parent.parent.name:
        rep.err(where0, "bank id differs from the instrument folder name")
    if sim.get("bank_version") != path.stem:
        rep.err(where0, f"bank_version {sim.get('bank_version')!r} differs from the file name '{path.stem}'")
    cs = sim.get("careless_share")
    if not isinstance(cs, (int, float)) or not 0 <= cs < 0.5:
        rep.err(where0, "careless_share must be a number in [0, 0.5)")
    lat = sim.get("latent", {})
    names = lat.get("scales", [])
    R = lat.get("correlations", [])
    if len(set(names)) != len(names):
        rep.err(where0, "latent.scales has duplicates")
    for s in names:
        if s not in b["scales"]:
            rep.err(where0, f"latent scale {s} is not a scale of the bank")
    needed = sorted(s for s, its in b["by_scale"].items() if any(it["type"] in ("likert", "sjt") for it in its))
    missing = [s for s in needed if s not in names]
    if missing:
        rep.err(where0, f"scales with likert/sjt items missing from latent.scales: {missing}")
    n = len(names)
    if len(R) != n or any(len(r) != n for r in R):
        rep.err(where0, f"correlations must be {n}x{n}")
        return None
    for i in range(n):
        if abs(R[i][i] - 1.0) > 1e-12:
            rep.err(where0, f"diagonal [{i}][{i}] = {R[i][i]}, expected 1")
        for j in range(n):
            if abs(R[i][j] - R[j][i]) > 1e-12:
                rep.err(where0, f"not symmetric at [{i}][{j}]")
            if i != j and not -1 < R[i][j] < 1:
                rep.err(where0, f"correlation [{i}][{j}] = {R[i][j]} outside (-1, 1)")
    L = cholesky(R)
    if L is None:
        rep.err(where0, "correlation matrix is not positive definite (Cholesky failed)")
    else:
        mind = min(L[i][i] for i in range(n)) ** 2
        rep.note(f"  {where0}: {n}x{n} correlation matrix positive definite (Cholesky ok, min pivot {mind:.3f})")

    params = sim.get("items", {})
    for iid, p in params.items():
        it = b["items"].get(iid)
        if it is None:
            rep.err(where0, f"parameters for unknown item {iid}")
            continue
        if it["type"] == "check":
            rep.err(where0, f"check item {iid} needs no generating parameters")
            continue
        check_grm(rep, f"{where0} items.{iid}", p, item_categories(it, b["rscales"]))
        if isinstance(p.get("a"), (int, float)) and not 1.0 <= p["a"] <= 3.0:
            rep.warn(where0, f"{iid}: a = {p['a']} outside the usual 1.0-3.0")
    for s in names:
        for it in b["by_scale"].get(s, []):
            if it["type"] in ("likert", "sjt") and it["id"] not in params:
                rep.err(where0, f"item {it['id']} of latent scale {s} has no generating parameters")
    return {"sim": sim, "L": L, "bank": b}


# --------------------------------------------------------------------------
# simulated reliability (independent of the Rust simulator)


def grm_draw(rng: random.Random, theta: float, a: float, b: list[float]) -> int:
    """Category index 0..len(b) from Samejima's GRM (logistic, D = 1)."""
    u = rng.random()
    cat = 0
    for bk in b:
        z = -a * (theta - bk)
        p = 1.0 / (1.0 + math.exp(z)) if z < 700 else 0.0
        if u < p:
            cat += 1
        else:
            break
    return cat


def cronbach_alpha(rows: list[list[float]]) -> float:
    k = len(rows[0])
    n = len(rows)

    def var(xs: list[float]) -> float:
        m = sum(xs) / len(xs)
        return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)

    item_vars = sum(var([r[j] for r in rows]) for j in range(k))
    total_var = var([sum(r) for r in rows])
    return k / (k - 1) * (1 - item_vars / total_var)


def pearson(x: list[float], y: list[float]) -> float:
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def simulate(rep: Report, simres: dict, n: int = 2000, seed: int = 20261123) -> None:
    sim, L, b = simres["sim"], simres["L"], simres["bank"]
    if L is None:
        return
    rng = random.Random(seed)
    names = sim["latent"]["scales"]
    params = sim["items"]
    cs = sim.get("careless_share", 0.0)
    k = len(names)
    # respondents x items (scored, keyed direction: category index 0..m)
    data: dict[str, list[list[float]]] = {s: [] for s in names}
    clean: dict[str, list[list[float]]] = {s: [] for s in names}
    for _ in range(n):
        z = [rng.gauss(0.0, 1.0) for _ in range(k)]
        theta = [sum(L[i][j] * z[j] for j in range(i + 1)) for i in range(k)]
        careless = rng.random() < cs
        for si, s in enumerate(names):
            row = []
            for it in b["by_scale"][s]:
                if it["type"] not in ("likert", "sjt"):
                    continue
                p = params[it["id"]]
                if careless:
                    x = rng.randrange(len(p["b"]) + 1)
                else:
                    x = grm_draw(rng, theta[si], p["a"], p["b"])
                row.append(float(x))
            data[s].append(row)
            if not careless:
                clean[s].append(row)
    rep.note(f"  simulated n={n} (seed {seed}, careless share {cs}): alpha all / attentive only, mean item score (0-based)")
    means = {}
    for s in names:
        a_all = cronbach_alpha(data[s])
        a_cl = cronbach_alpha(clean[s])
        m = sum(sum(r) / len(r) for r in data[s]) / len(data[s])
        means[s] = [sum(r) / len(r) for r in data[s]]
        kind = b["scales"][s].get("kind")
        flag = ""
        if kind in ("trait", "pulse") and a_all < 0.80:
            rep.err(str(simres["bank"]["path"].relative_to(ROOT)), f"simulated alpha for {s} = {a_all:.3f} < .80")
            flag = "  <-- below .80"
        rep.note(f"    {s:<24} k={len(data[s][0]):>2} alpha={a_all:.3f} / {a_cl:.3f}  mean={m:.2f}{flag}")
    if len(names) > 1:
        rep.note("  observed correlations of scale means (all respondents):")
        for i in range(len(names)):
            cells = " ".join(f"{pearson(means[names[i]], means[names[j]]):+.2f}" for j in range(len(names)))
            rep.note(f"    {names[i]:<24} {cells}")


# --------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    do_sim = "--simulate" in argv
    seed = 20261123
    if "--seed" in argv:
        seed = int(argv[argv.index("--seed") + 1])
    rep = Report()
    banks: dict[tuple[str, str], dict] = {}
    bank_files = sorted(p for p in BANKS.glob("*/*.toml") if SEMVER_RE.match(p.stem))
    if not bank_files:
        rep.err(str(BANKS), "no bank files found")
    for p in bank_files:
        r = check_bank(rep, p)
        if r is not None:
            inst = r["bank"]["instrument"]
            banks[(inst.get("id"), inst.get("version"))] = r
    # item ids unique across banks too (they are stored with responses)
    seen: dict[str, str] = {}
    for (bid, _), r in banks.items():
        for iid in r["items"]:
            if iid in seen and seen[iid] != bid:
                rep.err(iid, f"item id used in two banks ({seen[iid]}, {bid})")
            seen[iid] = bid
    for p in sorted(BANKS.glob("*/simulation.toml")):
        rep.err(str(p.relative_to(ROOT)), "old layout: population models live in <instrument>/simulation/<version>.toml")
    for p in sorted(BANKS.glob("*/simulation/*.toml")):
        res = check_simulation(rep, p, banks)
        if res is not None and do_sim:
            simulate(rep, res, seed=seed)
    for (bid, ver), r in banks.items():
        if not (r["path"].parent / "simulation" / f"{ver}.toml").exists():
            rep.warn(f"{bid}@{ver}", f"no simulation/{ver}.toml")

    for line in rep.info:
        print(line)
    for line in rep.warnings:
        print(line)
    for line in rep.errors:
        print(line)
    print(f"\n{len(bank_files)} bank file(s), {len(rep.errors)} error(s), {len(rep.warnings)} warning(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
