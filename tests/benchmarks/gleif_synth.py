"""A generator of GLEIF-shaped golden-copy files (Level 1, Level 2 relationships, reporting exceptions).

Everything is made up at run time from a seed: LEIs with valid ISO 17442 check digits, legal names in
the scripts the register holds (Latin in many languages, Chinese, Japanese, Korean, Cyrillic, Arabic,
Greek), countries in roughly the register's proportions, consolidation trees, branches, fund relations,
and reporting exceptions for the entities without a reported parent. Nothing here is real data.

Two outputs from the same records:

- the three golden-copy CSV zips, with the golden copy's column headers (dotted paths such as
  `Entity.LegalName`, `Relationship.StartNode.NodeID`, `Relationship.Period.1.periodType`);
- the canonical dataset that the DESIGN mapping ("Open ownership data") turns them into, so that the
  shared loader can be measured with the canonical importer as well.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# ----------------------------------------------------------------------------------------- names


def _split(words: str) -> list[str]:
    return words.split()


_LATIN_SYLLABLES = _split(
    "al ber ca den el fa gar hel in jo ka lin mar no or pa qui ro sa tor ul va wen xa yor zan bri cor dra "
    "fen gro hal ker lum mer nor pol ras sil tre vin bel dor fir gan hor jen kel lor mon nev ost pen ren "
    "sol tam ves wil bra cla fle gla kra pla sta tri vel zor ab ad am an ar as at ex ol um ur"
)
_LATIN_WORDS = _split(
    "north south east west star river ocean atlas nova orion delta summit harbor vertex lumen crest apex "
    "meridian aurora cobalt granite sierra falcon emerald zenith quantum solar polar alpine baltic nordic "
    "central pacific atlantic united first national royal metro urban rural green blue silver golden "
    "bank energy power logistics shipping foods pharma medical health insurance realty property estates "
    "motors steel chemicals textiles mining software data networks media telecom airlines rail capital "
    "immobilien verwaltung beteiligungs handels bau versicherung stiftung sparkasse volksbank "
    "societe generale banque immobiliere financiere conseil batiment transports "
    "inversiones construcciones servicios promociones gestion comercial "
    "costruzioni servizi immobiliare finanziaria "
    "beheer vastgoed holdings investments trust fund partners advisors"
)
_LATIN_FORMS = {
    "US": ["Inc.", "LLC", "Corp.", "L.P.", "Trust", "Co."],
    "GB": ["Limited", "Ltd", "PLC", "LLP"],
    "DE": ["GmbH", "AG", "GmbH & Co. KG", "KG", "e.V."],
    "FR": ["SAS", "SA", "SARL", "SCI", "SNC"],
    "IT": ["S.p.A.", "S.r.l.", "S.r.l.s."],
    "ES": ["S.L.", "S.A.", "S.L.U."],
    "NL": ["B.V.", "N.V.", "Stichting"],
    "LU": ["S.A.", "S.à r.l.", "SICAV", "SCSp"],
    "IE": ["Limited", "DAC", "ICAV", "plc"],
    "SE": ["AB", "Aktiebolag"],
    "PL": ["sp. z o.o.", "S.A."],
    "IN": ["Private Limited", "Limited"],
    "SG": ["Pte. Ltd.", "Ltd."],
    "KY": ["Ltd.", "L.P.", "SPC"],
    "HK": ["Limited", "Company Limited"],
    "AU": ["Pty Ltd", "Limited"],
    "CA": ["Inc.", "Ltd.", "ULC"],
    "CH": ["AG", "SA", "GmbH"],
}
_CJK_PLACES = _split(
    "北京 上海 深圳 广州 杭州 成都 武汉 南京 天津 重庆 苏州 西安 青岛 厦门 宁波 长沙 郑州 合肥 大连 无锡"
)
_CJK_CHARS = _split(
    "华 中 国 金 银 宏 泰 信 达 远 新 盛 恒 鑫 源 隆 安 丰 海 天 东 南 西 北 明 光 辉 瑞 祥 福 德 利 通 顺 发 "
    "兴 旺 创 智 云 数 联 网 易 腾 讯 阿 里 巴 字 节 跳 动 美 团 京 滴 百 度 小 米 长 城 汽 车 电 力 能 源"
)
_CJK_TRADES = _split("科技 贸易 投资 实业 控股 集团 物流 医药 建设 置业 电子 软件 能源 化工 食品")
_CJK_FORMS = ["有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]
_KATAKANA = list("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロン")
_JP_WORDS = _split("東京 大阪 日本 三 井 住 友 菱 田 中 山 川 電機 商事 銀行 証券 不動産 建設 製作所 工業")
_JP_FORMS = ["株式会社", "合同会社", "有限会社"]
_HANGUL = _split("가 나 다 라 마 바 사 아 자 차 카 타 파 하 한 국 대 신 성 현 우 진 동 서 울 산 업 전 자 기 술")
_KO_FORMS = ["주식회사", "유한회사"]
_CYR_SYLLABLES = _split(
    "ра ро ма ле то ко ва ни ст ал ин ер ус ом газ нефть строй торг мет энерго пром инвест тех сиб урал"
)
_CYR_FORMS = ["ООО", "АО", "ПАО", "ЗАО"]
_AR_SYLLABLES = _split("ال مت حد عر بي خل يج نو ر سل ام كر يم فا طم ري اض دب ي مس قط")
_AR_WORDS = ["شركة", "مؤسسة", "مجموعة", "للتجارة", "للاستثمار", "القابضة", "العقارية", "للمقاولات"]
_AR_FORMS = ["ذ.م.م", "ش.م.ع", "ش.م.ب"]
_GR_SYLLABLES = _split("αλ εξ ορ πα νι κο στα ελ λη νι κη τρα πε ζα")
_GR_FORMS = ["Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε."]

# (country, weight, script)
_COUNTRIES: tuple[tuple[str, int, str], ...] = (
    ("US", 90, "latin"), ("DE", 70, "latin"), ("GB", 60, "latin"), ("IT", 55, "latin"), ("FR", 50, "latin"),
    ("ES", 45, "latin"), ("NL", 40, "latin"), ("CN", 45, "zh"), ("IN", 40, "latin"), ("LU", 30, "latin"),
    ("SE", 25, "latin"), ("DK", 20, "latin"), ("PL", 18, "latin"), ("JP", 18, "ja"), ("CA", 15, "latin"),
    ("AU", 12, "latin"), ("IE", 15, "latin"), ("KY", 15, "latin"), ("CH", 14, "latin"), ("BE", 14, "latin"),
    ("AT", 12, "latin"), ("FI", 10, "latin"), ("NO", 10, "latin"), ("CZ", 10, "latin"), ("KR", 8, "ko"),
    ("RU", 10, "ru"), ("SG", 8, "latin"), ("HK", 8, "zh"), ("AE", 6, "ar"), ("SA", 5, "ar"), ("GR", 6, "el"),
    ("BR", 8, "latin"), ("MX", 6, "latin"), ("ZA", 5, "latin"), ("TW", 4, "zh"), ("IR", 1, "ar"),
    ("EG", 2, "ar"), ("BG", 4, "ru"), ("UA", 3, "ru"), ("PT", 8, "latin"),
)

RELATIONSHIP_TYPES = (
    "IS_DIRECTLY_CONSOLIDATED_BY",
    "IS_ULTIMATELY_CONSOLIDATED_BY",
    "IS_INTERNATIONAL_BRANCH_OF",
    "IS_FUND-MANAGED_BY",
    "IS_SUBFUND_OF",
    "IS_FEEDER_TO",
)
COMPLETE_REASONS = ("NON_CONSOLIDATING", "NATURAL_PERSONS", "NO_KNOWN_PERSON")
PARTIAL_REASONS = ("NON_PUBLIC", "NO_LEI", "BINDING_LEGAL_COMMITMENTS", "LEGAL_OBSTACLES",
                   "DISCLOSURE_DETRIMENTAL", "DETRIMENT_NOT_EXCLUDED", "CONSENT_NOT_OBTAINED")

# The golden copy's column headers (a subset of the published ones; readers go by name).
LEI_COLUMNS = (
    "LEI", "Entity.LegalName", "Entity.LegalName.xmllang",
    "Entity.OtherEntityNames.OtherEntityName.1", "Entity.OtherEntityNames.OtherEntityName.1.xmllang",
    "Entity.OtherEntityNames.OtherEntityName.1.type",
    "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1",
    "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1.xmllang",
    "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1.type",
    "Entity.LegalAddress.FirstAddressLine", "Entity.LegalAddress.City", "Entity.LegalAddress.PostalCode",
    "Entity.LegalAddress.Country",
    "Entity.HeadquartersAddress.FirstAddressLine", "Entity.HeadquartersAddress.City",
    "Entity.HeadquartersAddress.PostalCode", "Entity.HeadquartersAddress.Country",
    "Entity.RegistrationAuthority.RegistrationAuthorityID",
    "Entity.RegistrationAuthority.RegistrationAuthorityEntityID",
    "Entity.LegalJurisdiction", "Entity.EntityCategory", "Entity.LegalForm.EntityLegalFormCode",
    "Entity.EntityStatus", "Entity.EntityCreationDate",
    "Registration.InitialRegistrationDate", "Registration.LastUpdateDate", "Registration.RegistrationStatus",
    "Registration.NextRenewalDate", "Registration.ManagingLOU", "Registration.ValidationSources",
)
RR_COLUMNS = (
    "Relationship.StartNode.NodeID", "Relationship.StartNode.NodeIDType",
    "Relationship.EndNode.NodeID", "Relationship.EndNode.NodeIDType",
    "Relationship.RelationshipType", "Relationship.RelationshipStatus",
    "Relationship.Period.1.startDate", "Relationship.Period.1.endDate", "Relationship.Period.1.periodType",
    "Relationship.Period.2.startDate", "Relationship.Period.2.endDate", "Relationship.Period.2.periodType",
    "Relationship.Qualifiers.1.QualifierDimension", "Relationship.Qualifiers.1.QualifierCategory",
    "Relationship.Quantifiers.1.MeasurementMethod", "Relationship.Quantifiers.1.QuantifierAmount",
    "Relationship.Quantifiers.1.QuantifierUnits",
    "Registration.InitialRegistrationDate", "Registration.LastUpdateDate", "Registration.RegistrationStatus",
    "Registration.NextRenewalDate", "Registration.ManagingLOU", "Registration.ValidationSources",
)
REPEX_COLUMNS = ("LEI", "ExceptionCategory", "ExceptionReason.1", "ExceptionReference.1")


def lei(n: int) -> str:
    """A valid LEI (ISO 17442: 18 characters, then two ISO 7064 mod 97-10 check digits)."""
    body = f"5299{n:014X}"
    digits = int("".join(str(int(c, 36)) for c in body) + "00")
    return f"{body}{98 - digits % 97:02d}"


class _Namer:
    """Company names in many scripts, with a vocabulary large enough to look like the register's."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        # a Zipf-like vocabulary of made-up Latin words on top of the dictionary words
        self.coined = sorted({self._coin(2 + (i % 3)) for i in range(60_000)})

    def _coin(self, syllables: int) -> str:
        return "".join(self.rnd.choice(_LATIN_SYLLABLES) for _ in range(syllables)).capitalize()

    def _latin_word(self) -> str:
        r = self.rnd.random()
        if r < 0.35:
            return self.rnd.choice(_LATIN_WORDS).title()
        # rank-skewed pick: a few coined words are common, most are rare
        return self.coined[int(len(self.coined) * self.rnd.random() ** 2.5)]

    def name(self, country: str, script: str, category: str) -> tuple[str, str]:
        """(legal name, language tag)."""
        rnd = self.rnd
        if script == "zh":
            core = rnd.choice(_CJK_PLACES) + "".join(rnd.choice(_CJK_CHARS) for _ in range(rnd.randint(2, 4)))
            return core + rnd.choice(_CJK_TRADES) + rnd.choice(_CJK_FORMS), "zh"
        if script == "ja":
            if rnd.random() < 0.5:
                core = "".join(rnd.choice(_KATAKANA) for _ in range(rnd.randint(3, 6)))
            else:
                core = "".join(rnd.choice(_JP_WORDS) for _ in range(rnd.randint(2, 3)))
            form = rnd.choice(_JP_FORMS)
            return (form + core if rnd.random() < 0.6 else core + form), "ja"
        if script == "ko":
            core = "".join(rnd.choice(_HANGUL) for _ in range(rnd.randint(2, 5)))
            return f"{rnd.choice(_KO_FORMS)} {core}", "ko"
        if script == "ru":
            core = "".join(rnd.choice(_CYR_SYLLABLES) for _ in range(rnd.randint(2, 4))).capitalize()
            return f"{rnd.choice(_CYR_FORMS)} «{core}»", "ru" if country != "BG" else "bg"
        if script == "ar":
            core = "".join(rnd.choice(_AR_SYLLABLES) for _ in range(rnd.randint(2, 4)))
            return f"{rnd.choice(_AR_WORDS)} {core} {rnd.choice(_AR_WORDS)} {rnd.choice(_AR_FORMS)}", "ar"
        if script == "el":
            core = "".join(rnd.choice(_GR_SYLLABLES) for _ in range(rnd.randint(2, 4))).upper()
            return f"{core} {rnd.choice(_GR_FORMS)}", "el"
        words = [self._latin_word() for _ in range(rnd.choice((1, 2, 2, 3, 3, 4)))]
        if category == "FUND":
            words += [rnd.choice(["Equity", "Bond", "Income", "Growth", "Index", "Pension", "Real Estate"]), "Fund"]
            if rnd.random() < 0.4:
                words.append(rnd.choice(["I", "II", "III", "IV", "2019-1", "2021", "A", "B"]))
            if rnd.random() < 0.3:
                words.append("SICAV" if country == "LU" else "ICAV" if country == "IE" else "Trust")
            return " ".join(words), "en"
        forms = _LATIN_FORMS.get(country, ["Ltd.", "S.A.", "Inc."])
        lang = {"DE": "de", "AT": "de", "FR": "fr", "IT": "it", "ES": "es", "NL": "nl", "PL": "pl"}.get(country, "en")
        return " ".join(words) + " " + rnd.choice(forms), lang


def transliterate(name: str) -> str:
    from anyascii import anyascii

    return " ".join(anyascii(name).split()).upper()


# ----------------------------------------------------------------------------------------- records


@dataclass
class Plan:
    """The shape of the generated register, decided before anything is written."""

    entities: int
    parent: array  # direct parent index or -1
    ultimate: array  # ultimate parent index or -1
    kind: bytearray  # 0 general, 1 fund, 2 branch
    head: array  # head office of a branch, or manager of a fund, or -1
    country: bytearray  # index into _COUNTRIES
    exception: bytearray  # 0 none, 1 + index into COMPLETE_REASONS + PARTIAL_REASONS


def plan(entities: int, relationships: int, exceptions: int, seed: int = 14) -> Plan:
    rnd = random.Random(seed)
    weights = [w for _, w, _ in _COUNTRIES]
    country = bytearray(rnd.choices(range(len(_COUNTRIES)), weights, k=entities))
    parent = array("i", [-1]) * entities
    ultimate = array("i", [-1]) * entities
    head = array("i", [-1]) * entities
    kind = bytearray(entities)
    exception = bytearray(entities)
    # budget: direct ≈ 48%, ultimate ≈ 36%, branches 7%, fund relations 9% of the relationship records
    n_direct = relationships * 48 // 100
    n_branch = relationships * 7 // 100
    n_fund = relationships * 9 // 100
    # consolidation trees: roots are spread over the index range, children pick a parent among earlier
    # group members, so chains form (a few deep ones) and some groups are large (fan-out)
    order = list(range(entities))
    rnd.shuffle(order)
    pos = 0
    groups: list[list[int]] = []
    made = 0
    while made < n_direct and pos < entities:
        size = min(int(rnd.paretovariate(1.3)) + 1, 400)
        members = order[pos : pos + size + 1]
        pos += len(members)
        for k in range(1, len(members)):
            # mostly attach near the top; sometimes continue the chain from the latest member (depth)
            p = members[k - 1] if rnd.random() < 0.25 else members[rnd.randrange(max(1, k // 2 + 1))]
            parent[members[k]] = p
            made += 1
        groups.append(members)
    n_ultimate = 0
    budget_ultimate = relationships - n_direct - n_branch - n_fund
    for members in groups:
        top = members[0]
        for m in members[1:]:
            if parent[m] != top and n_ultimate < budget_ultimate:
                ultimate[m] = top
                n_ultimate += 1
            elif parent[m] == top and rnd.random() < 0.5 and n_ultimate < budget_ultimate:
                ultimate[m] = top  # GLEIF reports both when the direct parent is also the ultimate one
                n_ultimate += 1
    rest = order[pos:]
    k = 0
    for _ in range(n_branch):
        if k + 1 >= len(rest):
            break
        kind[rest[k]] = 2
        head[rest[k]] = rest[k + 1]
        k += 2 if rnd.random() < 0.5 else 1
    for _ in range(n_fund):
        if k + 1 >= len(rest):
            break
        kind[rest[k]] = 1
        head[rest[k]] = rest[k + 1 + rnd.randrange(3)] if k + 4 < len(rest) else rest[k + 1]
        k += 1
    # reporting exceptions: entities without a reported parent, two categories for most of them
    without = [i for i in range(entities) if parent[i] < 0 and kind[i] != 2]
    rnd.shuffle(without)
    reasons = COMPLETE_REASONS + PARTIAL_REASONS
    reason_weights = [60, 22, 8, 5, 2, 1, 1, 0.5, 0.3, 0.2]
    with_exception = min(len(without), max(0, exceptions // 2 + exceptions % 2))
    picks = rnd.choices(range(len(reasons)), reason_weights, k=with_exception)
    for i, r in zip(without[:with_exception], picks, strict=True):
        exception[i] = r + 1
    return Plan(entities, parent, ultimate, kind, head, country, exception)


def _date(rnd: random.Random) -> str:
    return f"{rnd.randint(1990, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"


@dataclass(frozen=True)
class Counts:
    entities: int
    relationships: int
    exceptions: int
    names: int


def _zip_csv(path: Path, member: str, header: tuple[str, ...], rows: Iterator[list[str]]) -> int:
    n = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf, zf.open(member, "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        w = csv.writer(text, quoting=csv.QUOTE_ALL)
        w.writerow(header)
        for row in rows:
            w.writerow(row)
            n += 1
        text.flush()
        text.detach()
    return n


def write(folder: Path, p: Plan, exceptions: int, seed: int = 14, day: str = "2026-11-28") -> Counts:
    """Write lei2, rr and repex golden-copy zips and the equivalent canonical dataset zip into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed + 1)
    namer = _Namer(rnd)
    stamp = day.replace("-", "")
    leis = [lei(i) for i in range(p.entities)]
    has_child = bytearray(p.entities)
    for i in range(p.entities):
        if p.parent[i] >= 0:
            has_child[p.parent[i]] = 1
    names_rows: list[list[str]] = []  # canonical names.csv, built alongside the entities
    canon_entities: list[list[str]] = []

    def entity_rows() -> Iterator[list[str]]:
        for i in range(p.entities):
            c, _, script = _COUNTRIES[p.country[i]]
            category = ("GENERAL", "FUND", "BRANCH")[p.kind[i]]
            name, lang = namer.name(c, script, category)
            if p.kind[i] == 2:
                head_name = name
                name = f"{head_name}, {rnd.choice(['London', 'Singapore', 'Frankfurt', 'New York'])} Branch"
            hq = c if rnd.random() > 0.03 else rnd.choice(("US", "GB", "CN", "HK", "SG"))
            other = trans = ""
            other_type = trans_type = ""
            if script != "latin" and rnd.random() < 0.55:
                trans, trans_type = transliterate(name), "AUTO_ASCII_TRANSLITERATED_LEGAL_NAME"
            if rnd.random() < 0.08:
                other, other_type = namer.name(c, "latin", category)[0], rnd.choice(
                    ["TRADING_OR_OPERATING_NAME", "PREVIOUS_LEGAL_NAME", "ALTERNATIVE_LANGUAGE_LEGAL_NAME"])
            inactive = rnd.random() < 0.04
            status = "LAPSED" if rnd.random() < 0.2 else "ISSUED"
            if inactive:
                status = rnd.choice(["RETIRED", "MERGED", "ANNULLED"])
            created = _date(rnd)
            yield [
                leis[i], name, lang, other, "en" if other else "", other_type, trans, "en" if trans else "",
                trans_type, f"{rnd.randint(1, 300)} Main Street", "City", f"{rnd.randint(10000, 99999)}", c,
                f"{rnd.randint(1, 300)} Main Street" if hq else "", "City" if hq else "", "", hq,
                "RA000665", f"{rnd.randint(10**6, 10**9)}", c, category, "8888", "INACTIVE" if inactive else "ACTIVE",
                created, created + "T00:00:00Z", day + "T00:00:00Z", status, "2027-06-30T00:00:00Z",
                "5299000J2N45DDNE4Y28", "FULLY_CORROBORATED",
            ]
            # the canonical twin of this record
            ownership = ""
            if p.parent[i] >= 0 or p.kind[i] == 2:
                ownership = "complete"
            elif p.exception[i]:
                ownership = "complete" if p.exception[i] <= len(COMPLETE_REASONS) else "partial"
            canon_entities.append([
                leis[i], "fund" if p.kind[i] == 1 else "company", name, hq, c,
                "inactive" if inactive else "active", ownership, leis[i], "lei2",
            ])
            if trans:
                names_rows.append([leis[i], trans, "transliteration", "", "lei2"])
            if other:
                t = {"TRADING_OR_OPERATING_NAME": "trade", "PREVIOUS_LEGAL_NAME": "former"}.get(other_type, "local")
                names_rows.append([leis[i], other, t, "en" if t == "local" else "", "lei2"])

    def chunked_entities() -> Iterator[list[str]]:
        yield from entity_rows()

    n_entities = _zip_csv(folder / f"{stamp}-gleif-goldencopy-lei2-golden-copy.csv.zip",
                          f"{stamp}-gleif-goldencopy-lei2-golden-copy.csv", LEI_COLUMNS, chunked_entities())

    canon_rels: list[list[str]] = []

    def rr_rows() -> Iterator[list[str]]:
        for i in range(p.entities):
            links: list[tuple[int, str]] = []
            if p.parent[i] >= 0:
                links.append((p.parent[i], "IS_DIRECTLY_CONSOLIDATED_BY"))
            if p.ultimate[i] >= 0:
                links.append((p.ultimate[i], "IS_ULTIMATELY_CONSOLIDATED_BY"))
            if p.kind[i] == 2 and p.head[i] >= 0:
                links.append((p.head[i], "IS_INTERNATIONAL_BRANCH_OF"))
            if p.kind[i] == 1 and p.head[i] >= 0:
                links.append((p.head[i], rnd.choice(["IS_FUND-MANAGED_BY"] * 6 + ["IS_SUBFUND_OF", "IS_FEEDER_TO"])))
            for target, rtype in links:
                active = rnd.random() > 0.05
                start = _date(rnd)
                amount = f"{rnd.choice([100, 100, 100, 75, 51.5, 60])}.00" if rnd.random() < 0.3 else ""
                yield [
                    leis[i], "LEI", leis[target], "LEI", rtype, "ACTIVE" if active else "INACTIVE",
                    "2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z", "ACCOUNTING_PERIOD",
                    start + "T00:00:00Z", "" if active else "2025-06-30T00:00:00Z", "RELATIONSHIP_PERIOD",
                    "ACCOUNTING_STANDARD", rnd.choice(["IFRS", "US_GAAP", "OTHER_ACCOUNTING_STANDARD"]),
                    "ACCOUNTING_CONSOLIDATION" if amount else "", amount, "PERCENTAGE" if amount else "",
                    "2018-01-01T00:00:00Z", day + "T00:00:00Z", "PUBLISHED", "2027-06-30T00:00:00Z",
                    "5299000J2N45DDNE4Y28", "FULLY_CORROBORATED",
                ]
                if rtype.startswith(("IS_DIRECTLY", "IS_ULTIMATELY", "IS_INTERNATIONAL")):
                    share = amount.removesuffix(".00") if amount else ""
                    canon_rels.append([
                        leis[target], leis[i], "control", share, share, start,
                        "" if active else "2025-06-30", "rr", rtype,
                    ])

    n_rels = _zip_csv(folder / f"{stamp}-gleif-goldencopy-rr-golden-copy.csv.zip",
                      f"{stamp}-gleif-goldencopy-rr-golden-copy.csv", RR_COLUMNS, rr_rows())

    def repex_rows() -> Iterator[list[str]]:
        reasons = COMPLETE_REASONS + PARTIAL_REASONS
        written = 0
        for i in range(p.entities):
            if not p.exception[i] or written >= exceptions:
                continue
            reason = reasons[p.exception[i] - 1]
            yield [leis[i], "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", reason, ""]
            written += 1
            if written < exceptions and (reason != "NATURAL_PERSONS" or rnd.random() < 0.5):
                yield [leis[i], "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT", reason, ""]
                written += 1

    n_exc = _zip_csv(folder / f"{stamp}-gleif-goldencopy-repex-golden-copy.csv.zip",
                     f"{stamp}-gleif-goldencopy-repex-golden-copy.csv", REPEX_COLUMNS, repex_rows())

    # the canonical dataset the mapping gives
    with zipfile.ZipFile(folder / "canonical-gleif.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("dataset.toml", f'id = "gleif"\ntitle = "GLEIF golden copy (synthetic)"\nversion = "{day}"\n'
                                    f'as_of = {day}\npublisher = "benchmark"\nlicense = "CC0-1.0"\n')
        files = {
            "sources.csv": (["id", "title", "url", "publisher", "as_of", "license"],
                            [["lei2", "LEI-CDF golden copy", "", "GLEIF", day, "CC0-1.0"],
                             ["rr", "RR-CDF golden copy", "", "GLEIF", day, "CC0-1.0"],
                             ["repex", "Reporting exceptions", "", "GLEIF", day, "CC0-1.0"]]),
            "entities.csv": (["id", "kind", "name", "hq_country", "incorporation_country", "status", "ownership",
                              "lei", "source_id"], canon_entities),
            "names.csv": (["entity_id", "name", "type", "lang", "source_id"], names_rows),
            "relationships.csv": (["owner_id", "owned_id", "kind", "share_min", "share_max", "start_date",
                                   "end_date", "source_id", "note"], canon_rels),
        }
        for member, (header, rows) in files.items():
            with zf.open(member, "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                w = csv.writer(text)
                w.writerow(header)
                w.writerows(rows)
                text.flush()
                text.detach()
    return Counts(n_entities, n_rels, n_exc, len(names_rows))
