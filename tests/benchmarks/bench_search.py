"""Search at GLEIF scale: per-keystroke latency, index build time, database size, recall against brute force.

Run:  .venv/bin/python tests/benchmarks/bench_search.py [--entities 3000000] [--queries 300] [--rebuild]

The synthetic database is cached under ./bench-data/ (git-ignored). Base tables (entities, names,
identifiers, relationships) are written directly with SQL for speed; the search index is built by
the application's own `search_index.rebuild`, exactly as an import does.

Names: about 15% of entities carry a local-script name (Chinese, Russian, Korean, Persian); brands are
drawn with Zipf-like frequencies from a million generated words, industries, places and surnames from
real vocabularies. Because such names repeat (many "China Bank Holding …" differ only in legal form),
recall is also given counting ties at the cut: the wanted entity is missing from the top 10 only
because ten others score at least as high. The brute-force comparison scans every indexed name with
rapidfuzz and scores the best 400 with the application's own scorer, so only candidate generation can
make the two disagree.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import resource
import sqlite3
import statistics
import string
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz, process  # noqa: E402

from desktop_app.domain.matching import Rarity, score_candidates  # noqa: E402
from desktop_app.domain.names import AnalyzedName, analyze  # noqa: E402
from desktop_app.services import lookup  # noqa: E402
from desktop_app.services.context import AppContext, open_context  # noqa: E402
from desktop_app.store import search_index  # noqa: E402
from desktop_app.store.database import open_store  # noqa: E402

# Words with real company-name frequencies at the head of the distribution; the long tail is generated.
INDUSTRY = [
    "bank", "energy", "power", "mobile", "telecom", "software", "systems", "solutions", "capital",
    "investment", "finance", "insurance", "steel", "metals", "mining", "oil", "gas", "petroleum", "chemical",
    "chemicals", "pharma", "pharmaceutical", "medical", "health", "foods", "food", "beverage", "logistics",
    "shipping", "transport", "airlines", "motors", "automotive", "electronics", "electric", "semiconductor",
    "network", "networks", "digital", "media", "entertainment", "games", "studio", "studios", "real",
    "estate", "property", "properties", "construction", "engineering", "machinery", "textile", "textiles",
    "apparel", "retail", "stores", "trade", "commerce", "agricultural", "agriculture", "paper", "packaging",
    "plastics", "glass", "cement", "water", "environmental", "renewable", "solar", "wind", "nuclear",
    "biotech", "bioscience", "labs", "laboratories", "security", "defense", "aerospace", "aviation",
    "marine", "hotel", "hotels", "resorts", "travel", "education", "consulting", "advisory", "partners",
    "fund", "funds", "asset", "assets", "securities", "leasing", "credit", "payments", "data", "cloud",
    "internet", "robotics", "instruments", "devices", "optical", "materials", "minerals", "resources",
]
WEAK = [
    "group", "holding", "holdings", "international", "company", "trading", "technology", "technologies",
    "global", "industries", "enterprises", "services",
]
PLACES = [
    "china", "shanghai", "beijing", "shenzhen", "guangzhou", "hangzhou", "tianjin", "wuhan", "chengdu",
    "nanjing", "hong", "kong", "singapore", "london", "paris", "berlin", "munich", "hamburg", "frankfurt",
    "zurich", "geneva", "vienna", "madrid", "barcelona", "milan", "rome", "amsterdam", "rotterdam",
    "brussels", "luxembourg", "dublin", "stockholm", "oslo", "copenhagen", "helsinki", "warsaw", "prague",
    "budapest", "moscow", "petersburg", "novosibirsk", "kazan", "tehran", "isfahan", "seoul", "busan",
    "incheon", "tokyo", "osaka", "dubai", "mumbai", "delhi", "sydney", "melbourne", "toronto", "vancouver",
    "texas", "california", "pacific", "atlantic", "nordic", "asia", "euro", "america", "africa",
]
SURNAMES = [
    "smith", "johnson", "williams", "brown", "jones", "miller", "davis", "garcia", "rodriguez", "wilson",
    "martinez", "anderson", "taylor", "thomas", "moore", "jackson", "martin", "lee", "thompson", "white",
    "harris", "clark", "lewis", "robinson", "walker", "young", "allen", "king", "wright", "scott", "green",
    "baker", "adams", "nelson", "hill", "campbell", "mitchell", "roberts", "carter", "phillips", "evans",
    "turner", "torres", "parker", "collins", "edwards", "stewart", "morris", "muller", "schmidt",
    "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann", "rossi", "russo",
    "ferrari", "esposito", "bianchi", "dupont", "durand", "leroy", "moreau", "laurent", "garnier", "ivanov",
    "petrov", "sidorov", "smirnov", "kuznetsov", "popov", "wang", "zhang", "liu", "chen", "yang", "huang",
    "zhao", "zhou", "kim", "park", "choi", "jung", "kang", "yoon", "tanaka", "suzuki", "watanabe", "sato",
    "nakamura",
]
SYLLABLES = [
    "ka", "ki", "ku", "ke", "ko", "sa", "si", "su", "se", "so", "ta", "ti", "tu", "te", "to", "na", "ni",
    "nu", "ne", "no", "ha", "hi", "hu", "he", "ho", "ma", "mi", "mu", "me", "mo", "ra", "ri", "ru", "re",
    "ro", "la", "li", "lu", "le", "lo", "va", "vi", "vo", "ve", "ba", "bi", "bo", "be", "da", "di", "do",
    "de", "ga", "gi", "go", "ge", "pa", "pi", "po", "pe", "fa", "fi", "fo", "fe", "za", "zo", "ze", "an",
    "en", "in", "on", "ar", "er", "ir", "or", "al", "el", "il", "ol", "ex", "ax", "ix", "tron", "tek", "tel",
    "lex", "max", "vis", "vox", "nova", "sol", "lum", "terra", "aqua", "star", "bright", "sun", "moon",
    "core", "prime", "zen", "neo", "omni", "vita", "bio", "geo", "eco", "gen", "med", "pro", "tri", "uni",
]
CJK = ("华中国东南西北新天地海山金银泰安福德兴盛发达通信科技电子网络软件能源石油化工钢铁矿业建设工程投资"
       "资本银行保险证券基金实业贸易物流航运汽车电气机械医药生物健康食品饮料农业环境水务电力光伏风电核"
       "腾讯阿里巴字节跳动京小米百度美团拼多多滴滴快手网易华为联想中兴比亚迪吉利长城格力海尔万科碧桂园恒大")
CYR = "абвгдежзиклмнопрстуфхцчшэюя"
HANGUL_LEADS = list(range(0xAC00, 0xD7A4, 28 * 3))
PERSIAN = [
    "ایران", "پارس", "نفت", "گاز", "صنایع", "بانک", "ملی", "تجارت", "سپهر", "آریا", "کیش", "پاسارگاد",
    "فولاد", "مس", "خودرو", "سایپا",
]

FORMS = {
    "US": ["Inc.", "LLC", "Corp.", "Corporation", "Co.", "L.P."], "GB": ["Ltd", "Limited", "PLC", "LLP"],
    "DE": ["GmbH", "AG", "GmbH & Co. KG", "SE"], "FR": ["SA", "SAS", "SARL"], "NL": ["B.V.", "N.V."],
    "IT": ["S.p.A.", "S.r.l."], "ES": ["S.A.", "S.L."], "SG": ["Pte. Ltd.", "Pte Ltd"], "HK": ["Limited", "Co., Ltd."],
    "CN": ["Co., Ltd.", "Group Co., Ltd.", "Limited"], "RU": ["LLC", "JSC", "PJSC", "OOO"],
    "KR": ["Co., Ltd.", "Corp."],
    "IR": ["Company", "PJS"], "JP": ["K.K.", "Co., Ltd."], "CH": ["AG", "SA", "GmbH"], "LU": ["S.A.", "S.à r.l."],
    "KY": ["Ltd.", "Limited"], "SE": ["AB"], "NO": ["AS", "ASA"], "PL": ["Sp. z o.o.", "S.A."],
}
COUNTRY_WEIGHTS = {"US": 18, "GB": 10, "DE": 10, "FR": 6, "NL": 5, "IT": 5, "ES": 4, "SG": 2, "HK": 3, "CN": 12,
                   "RU": 5, "KR": 3, "IR": 1, "JP": 4, "CH": 3, "LU": 3, "KY": 2, "SE": 2, "NO": 1, "PL": 3}
CN_FORMS = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
RU_FORMS = ["ООО", "АО", "ПАО"]
KR_FORMS = ["주식회사"]
TLDS = {"US": "com", "GB": "co.uk", "DE": "de", "FR": "fr", "CN": "cn", "RU": "ru", "KR": "co.kr", "JP": "co.jp"}
CYR_FROM_LATIN = {"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и", "k": "к",
                  "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф",
                  "h": "х", "c": "к", "x": "кс", "y": "й", "w": "в", "j": "ж", "q": "к"}


class Zipf:
    """Draws items with probability proportional to 1 / rank^s."""

    def __init__(self, items: list[str], s: float, rng: random.Random) -> None:
        self.items = items
        self.rng = rng
        acc = 0.0
        self.cum: list[float] = []
        for rank in range(1, len(items) + 1):
            acc += 1.0 / rank**s
            self.cum.append(acc)

    def __call__(self) -> str:
        return self.items[bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])]


def pseudo_words(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if rng.random() < 0.3:
            w += rng.choice(("a", "o", "ix", "ia", "on", "us", "er", "ex", "is", "en"))
        if 4 <= len(w) <= 14 and w not in seen:
            seen.add(w)
            out.append(w)
    return out


def lei_for(n: int) -> str:
    body = f"BNCH00{n:012d}"
    check = 98 - int("".join(str(int(c, 36)) for c in body + "00")) % 97
    return f"{body}{check:02d}"


class NameMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.brand = Zipf(pseudo_words(rng, 1_000_000), 0.6, rng)
        self.industry = Zipf(INDUSTRY, 1.0, rng)
        self.weak = Zipf(WEAK, 1.0, rng)
        self.place = Zipf(PLACES, 1.1, rng)
        self.surname = Zipf(SURNAMES, 0.9, rng)
        self.cjk = Zipf(list(CJK), 0.6, rng)
        self.country = list(COUNTRY_WEIGHTS)
        self.weights = list(COUNTRY_WEIGHTS.values())

    def entity(self) -> tuple[str, str, list[tuple[str, str, str]]]:
        """(country, primary name, aliases as (name, type, lang))."""
        rng = self.rng
        cc = rng.choices(self.country, self.weights)[0]
        form = rng.choice(FORMS[cc])
        aliases: list[tuple[str, str, str]] = []
        if cc == "CN" and rng.random() < 0.7:
            city = "".join(self.cjk() for _ in range(2))
            core = "".join(self.cjk() for _ in range(rng.choice((2, 2, 3, 4))))
            local = (city + "市" if rng.random() < 0.4 else "") + core + rng.choice(CN_FORMS)
            latin = " ".join(w.capitalize() for w in _pinyin_words(core))
            tail = rng.choice(("", " " + self.industry().capitalize(), " Technology"))
            return cc, f"{latin}{tail} {form}", [(local, "local", "zh")]
        if cc == "RU" and rng.random() < 0.7:
            word = self.brand()
            cyr = "".join(CYR_FROM_LATIN.get(ch, ch) for ch in word).capitalize()
            local = f"{rng.choice(RU_FORMS)} «{cyr}»"
            return cc, f"{word.capitalize()} {form}", [(local, "local", "ru")]
        if cc == "KR" and rng.random() < 0.6:
            local = "".join(chr(rng.choice(HANGUL_LEADS) + rng.randrange(28)) for _ in range(rng.choice((2, 3, 4))))
            return cc, f"{self.brand().capitalize()} {form}", [(rng.choice(KR_FORMS) + local, "local", "ko")]
        if cc == "IR" and rng.random() < 0.6:
            local = "شرکت " + " ".join(rng.sample(PERSIAN, 2))
            return cc, f"{self.brand().capitalize()} {self.industry().capitalize()} {form}", [
                (local, "local", "fa"),
            ]
        shape = rng.random()
        if shape < 0.35:
            words = [self.brand(), self.industry()]
        elif shape < 0.55:
            words = [self.brand()]
        elif shape < 0.7:
            words = [self.brand(), self.industry(), self.weak()]
        elif shape < 0.8:
            words = [self.place(), self.industry(), self.weak()]
        elif shape < 0.9:
            words = [self.surname(), rng.choice(("&", "and")), self.surname()]
        else:
            words = [self.brand(), self.brand(), self.industry()]
        name = " ".join(w if w in ("&", "and") else w.capitalize() for w in words) + " " + form
        if rng.random() < 0.08:
            aliases.append((" ".join(w.capitalize() for w in words[:2] if w not in ("&", "and")), "trade", "en"))
        if rng.random() < 0.03:
            aliases.append((self.brand().capitalize() + " " + form, "former", "en"))
        return cc, name, aliases


def _pinyin_words(core: str) -> list[str]:
    from anyascii import anyascii

    sylls = [anyascii(c).lower() for c in core]
    out, i = [], 0
    while i < len(sylls):
        out.append("".join(sylls[i : i + 2]))
        i += 2
    return out


def build_base(path: Path, n: int, seed: int = 7) -> None:
    """Entities, names, identifiers and relationships, written with plain SQL."""
    rng = random.Random(seed)
    store = open_store(path)
    store.dispose()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    db.execute("INSERT INTO datasets VALUES ('bench','Synthetic GLEIF-scale data','1','2026-01-01','bench','CC0',"
               "'synthetic', 'x', '2026-01-01 00:00:00', ?, 1000000)", (n,))
    db.execute("INSERT INTO sources VALUES ('bench','s1','Synthetic','','bench','2026-01-01','CC0')")
    maker = NameMaker(rng)
    ents: list[tuple[object, ...]] = []
    names: list[tuple[object, ...]] = []
    ids: list[tuple[object, ...]] = []
    t0 = time.perf_counter()
    for i in range(n):
        eid = f"bench:E{i:08d}"
        cc, name, aliases = maker.entity()
        lei = lei_for(i) if rng.random() < 0.6 else None
        website = None
        if rng.random() < 0.15:
            website = f"{analyze(name).distinctive_joined or 'co' + str(i)}{i % 97}.{TLDS.get(cc, 'com')}"
        ents.append((eid, "bench", f"E{i:08d}", eid, "company", name, cc, cc, None, "active", None, lei, website, "s1"))
        names.extend(("bench", eid, a, t, lang, "s1") for a, t, lang in aliases)
        if rng.random() < 0.05:
            ids.append(("bench", eid, "registration", f"{cc}:{rng.randrange(10**7, 10**9)}", "s1"))
        if len(ents) >= 50_000:
            _flush_base(db, ents, names, ids)
            print(f"  {i + 1:,} entities ({time.perf_counter() - t0:.0f} s)", flush=True)
    _flush_base(db, ents, names, ids)
    rels = []
    for _ in range(1_000_000 if n >= 3_000_000 else n // 3):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            share = rng.choice((100.0, 100.0, 51.0, 50.0, 30.0, 25.5, 10.0, None))
            rels.append(("bench", f"bench:E{a:08d}", f"bench:E{b:08d}", "ownership", share, share, "s1"))
    db.executemany("INSERT INTO relationships (dataset_id, owner_id, owned_id, kind, share_min, share_max, "
                   "source_id) VALUES (?,?,?,?,?,?,?)", rels)
    db.commit()
    db.close()


def _flush_base(db: sqlite3.Connection, ents: list[tuple[object, ...]], names: list[tuple[object, ...]],
                ids: list[tuple[object, ...]]) -> None:
    db.executemany("INSERT INTO entities (id, dataset_id, local_id, cluster_id, kind, name, hq_country, "
                   "incorporation_country, residence_country, status, ownership, lei, website, source_id) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", ents)
    db.executemany("INSERT INTO names (dataset_id, entity_id, name, type, lang, source_id) VALUES (?,?,?,?,?,?)",
                   names)
    db.executemany("INSERT INTO identifiers (dataset_id, entity_id, scheme, value, source_id) VALUES (?,?,?,?,?)",
                   ids)
    ents.clear()
    names.clear()
    ids.clear()


# ---------------------------------------------------------------- queries


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "swap", "sub", "dup"))
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "sub":
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def make_queries(db: sqlite3.Connection, n: int, seed: int = 11) -> list[tuple[str, str, str]]:
    """(query, expected entity id, kind): exact, without legal form, misspelled, local script, reordered."""
    rng = random.Random(seed)
    total = db.execute("SELECT max(rowid) FROM entities").fetchone()[0]
    out: list[tuple[str, str, str]] = []
    while len(out) < n:
        row = db.execute("SELECT id, name FROM entities WHERE rowid = ?", (rng.randrange(1, total + 1),)).fetchone()
        if row is None:
            continue
        eid, name = row
        words = name.split()
        core = analyze(name).tokens
        kind = rng.choice(("exact", "no-form", "typo", "typo", "local", "order"))
        if kind == "local":  # a name in Chinese, Russian, Korean or Persian script, of any entity that has one
            top = db.execute("SELECT max(id) FROM names").fetchone()[0]
            local = db.execute("SELECT name, entity_id FROM names WHERE id >= ? AND type = 'local' LIMIT 1",
                               (rng.randrange(1, top + 1),)).fetchone()
            if local is None:
                continue
            out.append((local[0], local[1], kind))
        elif kind == "exact":
            out.append((name, eid, kind))
        elif kind == "no-form":
            out.append((" ".join(core), eid, kind))
        elif kind == "typo":
            longest = max(range(len(core)), key=lambda k: len(core[k]))
            changed = list(core)
            changed[longest] = typo(core[longest], rng)
            out.append((" ".join(changed), eid, kind))
        elif len(words) >= 3 and len(core) >= 2:
            out.append((" ".join(reversed(core)), eid, kind))
    return out


def keystrokes(query: str) -> Iterator[str]:
    for i in range(1, len(query) + 1):
        if not query[i - 1].isspace():
            yield query[:i]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _candidates(db: sqlite3.Connection, where: str, params: list[object]) -> list[search_index.NameCandidate]:
    return [search_index.NameCandidate(*r) for r in db.execute(
        f"SELECT id, entity_id, name, matched_on, norm, forms FROM search_names WHERE {where}", params)]


def _shown(score: float) -> float:
    return max(0.0, min(100.0, round(score, 1)))


def brute_force_best(db: sqlite3.Connection, norms: list[str], ids: list[int],
                     variants: list[AnalyzedName], rarity: Rarity) -> tuple[set[str], float]:
    """The entities that an exhaustive scan finds closest, and their score: rapidfuzz over every indexed
    name, then the application's own scorer on the best 400, so only candidate generation can differ."""
    qs = " ".join(variants[0].distinctive)
    short: set[int] = set()
    for scorer in (fuzz.token_set_ratio, fuzz.ratio):
        short |= {ids[i] for _, _, i in process.extract(qs, norms, scorer=scorer, limit=200)}
    cands = _candidates(db, f"id IN ({','.join('?' * len(short))})", list(short))
    scored = score_candidates(variants, cands, prefix=False, rarity=rarity, sift=False)
    if not scored:
        return set(), 0.0
    top = max(s.score for s in scored.values())
    return {e for e, s in scored.items() if s.score >= top - 0.05}, top


def understood(ctx: AppContext, query: str) -> tuple[list[AnalyzedName], Rarity]:
    """The query as the application reads it, and how rare its words are."""
    with ctx.store.read() as conn:
        variants = lookup.query_variants(conn, query)
        return variants, lookup.rarity(conn, variants)


def found_or_tied(found: list[tuple[str, float]], wanted: set[str], wanted_score: float) -> bool:
    """The wanted entity is in the top 10, or ten others score at least as high (a tie at the cut)."""
    return bool(wanted & {e for e, _ in found}) or (len(found) == 10 and _shown(wanted_score) <= found[-1][1])


def as_good_as(found: list[tuple[str, float]], best: set[str], best_score: float) -> bool:
    """The search's top 10 hold the scan's best entity, or ten as good, or a better one the scan missed."""
    return not best or found_or_tied(found, best, best_score) or bool(found and found[0][1] > _shown(best_score))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=3_000_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--brute", type=int, default=100, help="queries checked against a brute-force scan")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the search index even if present")
    ap.add_argument("--data", type=Path, default=Path("bench-data"))
    args = ap.parse_args()
    args.data.mkdir(exist_ok=True)
    path = args.data / f"search-{args.entities}.db"
    if not path.exists():
        print(f"building synthetic base data: {args.entities:,} entities → {path}")
        t0 = time.perf_counter()
        build_base(path, args.entities)
        print(f"base data written in {time.perf_counter() - t0:.0f} s")
    store = open_store(path)
    with store.engine.connect() as conn:
        built = conn.exec_driver_sql("SELECT count(*) FROM search_names").scalar()
    if args.rebuild or not built:
        t0 = time.perf_counter()
        phases: dict[str, float] = {}

        def tick(phase: str, done: int, total: int) -> None:
            phases.setdefault(phase, time.perf_counter())

        with store.write() as conn:
            search_index.rebuild(conn, tick)
            phases["Writing the rest"] = time.perf_counter()
        marks = [*sorted(phases.items(), key=lambda kv: kv[1]), ("", time.perf_counter())]
        print("  " + "; ".join(f"{a[0]} {b[1] - a[1]:.0f} s" for a, b in itertools.pairwise(marks)))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"index build: {time.perf_counter() - t0:.1f} s (peak memory of this process so far {peak:,.0f} MiB)")
    store.engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("entities", "names", "relationships", "search_names", "search_terms", "search_vocab",
                            "search_deletes")}
        queries = make_queries(db, args.queries)
    size = path.stat().st_size
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"database size: {size / 2**20:,.0f} MiB")

    ctx = open_context(db=path, seed_reference=False)
    for q, _, _ in queries[:20]:  # warm the page cache as a running app would be
        lookup.search(ctx, q)
    times: list[float] = []
    finals: list[tuple[str, str, str, list[tuple[str, float]]]] = []
    for q, expected, kind in queries:
        for typed in keystrokes(q):
            t = time.perf_counter()
            lookup.search(ctx, typed, limit=20, prefix=True)
            times.append((time.perf_counter() - t) * 1000)
        result = lookup.search(ctx, q, limit=10, prefix=False)
        finals.append((q, expected, kind, [(h.entity_id, h.score) for h in result.hits]))
    print(f"keystrokes: {len(times):,} over {len(queries)} queries")
    print(f"latency per keystroke: p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
          f"p99 {percentile(times, 99):.1f} ms, max {max(times):.1f} ms, mean {statistics.fmean(times):.1f} ms")

    db = sqlite3.connect(path)
    tied: list[bool] = []
    for q, expected, _, found in finals:
        variants, rarity = understood(ctx, q)
        own = score_candidates(variants, _candidates(db, "entity_id = ?", [expected]), prefix=False, rarity=rarity,
                               sift=False)
        tied.append(found_or_tied(found, {expected}, own[expected].score if expected in own else 0.0))
    print("recall of the entity each query was made from (synthetic names repeat, so equally good names tie):")
    for kind in sorted({k for _, _, k, _ in finals}):
        rows = [(f, t) for f, t in zip(finals, tied, strict=True) if f[2] == kind]
        r1 = sum(f[1] == (f[3][0][0] if f[3] else None) for f, _ in rows) / len(rows)
        r10 = sum(f[1] in {e for e, _ in f[3]} for f, _ in rows) / len(rows)
        print(f"  {kind:8} ({len(rows):3}): recall@1 {r1:.3f}  recall@10 {r10:.3f}  "
              f"recall@10 counting ties at the cut {sum(t for _, t in rows) / len(rows):.3f}")
    r10 = sum(f[1] in {e for e, _ in f[3]} for f in finals) / len(finals)
    print(f"  all      ({len(finals):3}): recall@10 {r10:.3f}  counting ties at the cut {sum(tied) / len(tied):.3f}")

    norms: list[str] = []
    ids: list[int] = []
    for name_id, norm in db.execute("SELECT id, norm FROM search_names"):
        ids.append(name_id)
        norms.append(norm)
    sample = [f for f in finals if f[2] in ("typo", "local", "no-form")][: args.brute]
    agree = 0
    t0 = time.perf_counter()
    for q, _, _, found in sample:
        best, score = brute_force_best(db, norms, ids, *understood(ctx, q))
        agree += as_good_as(found, best, score)
    print(f"recall@10 against a brute-force rapidfuzz scan of all {len(norms):,} names "
          f"({len(sample)} misspelled / local-script / suffix-less queries): {agree / max(1, len(sample)):.3f} "
          f"(scan {1000 * (time.perf_counter() - t0) / max(1, len(sample)):.0f} ms per query)")
    db.close()
    ctx.close()


if __name__ == "__main__":
    main()
