"""Screening in chunks gives, row for row, what screening each lead by itself gives.

A list is screened a chunk of leads at a time: their lookups are made together and the hits' entities
and stored statuses read once per chunk. The generated data and list below exercise every branch of a
lead's decision: names as written and misspelt, domains and e-mail addresses (of a group and of its
companies), countries that agree or not, same names in two countries, names not on file, repeated leads
and empty rows.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from desktop_app.services import importing, screening
from desktop_app.services.context import AppContext, open_context
from tests.conftest import make_dataset

BRANDS = ["Kestrel", "Orinoco", "Velmora", "Quanta", "Brisklane", "Tamarind", "Halvard", "Zephyrine", "Corvid",
          "Lumbra", "Marigold", "Norrland", "Ostrava", "Pellucid", "Rhodium", "Sable", "Tundra", "Umbria"]
TRADES = ["Optics", "Shipping", "Robotics", "Foods", "Capital", "Mining", "Software", "Textiles"]
FORMS = {"CN": "Co., Ltd.", "RU": "OOO", "DE": "GmbH", "SG": "Pte. Ltd.", "US": "Inc.", "GB": "Ltd", "HK": "Limited"}


def _generated(rnd: random.Random) -> tuple[list[dict[str, object]], list[dict[str, object]], list[list[str]]]:
    entities: list[dict[str, object]] = []
    rels: list[dict[str, object]] = []
    idents: list[list[str]] = []
    for i, brand in enumerate(BRANDS):
        parent = f"g{i}"
        country = rnd.choice(list(FORMS))
        entities.append({"id": parent, "name": f"{brand} Group {FORMS[country]}", "hq_country": country,
                         "ownership": rnd.choice(["complete", "partial", ""])})
        idents.append([parent, "domain", f"{brand.lower()}.example", "s1"])
        for j, trade in enumerate(rnd.sample(TRADES, 3)):
            for k, sub_country in enumerate(rnd.sample(list(FORMS), 1 + (j == 0))):  # a name in two countries
                sub = f"g{i}s{j}c{k}"
                entities.append({"id": sub, "name": f"{brand} {trade} {FORMS[sub_country]}",
                                 "hq_country": sub_country, "ownership": rnd.choice(["complete", ""])})
                rels.append({"owner_id": parent, "owned_id": sub, "share": rnd.choice([30, 51, 100])})
                if rnd.random() < 0.3:
                    idents.append([sub, "domain", f"{brand.lower()}{trade.lower()}.example", "s1"])
    return entities, rels, idents


def _typo(word: str, rnd: random.Random) -> str:
    i = rnd.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _leads(rnd: random.Random, entities: list[dict[str, object]], idents: list[list[str]], n: int) -> str:
    rows = ["Company\tWebsite\tE-mail\tCountry"]
    domains = [value for _, _, value, _ in idents]
    for _ in range(n):
        e = rnd.choice(entities)
        name, country = str(e["name"]), str(e["hq_country"])
        r = rnd.random()
        if r < 0.3:
            row = [name, "", "", country if rnd.random() < 0.5 else rnd.choice(list(FORMS))]
        elif r < 0.45:
            words = name.split()
            words[0] = _typo(words[0], rnd)
            row = [" ".join(words), "", "", ""]
        elif r < 0.55:
            row = [name.split()[0] + " " + name.split()[1], "", "", country]  # brand and trade, no legal form
        elif r < 0.7:
            row = [name if rnd.random() < 0.5 else "", f"https://www.{rnd.choice(domains)}/about", "", ""]
        elif r < 0.8:
            row = ["", "", f"sales@{rnd.choice(domains)}", ""]
        elif r < 0.9:
            row = [f"{rnd.choice(BRANDS)}ia {rnd.randrange(100)} Trading", "", "", "Narnia"]
        else:
            row = ["", "", "", ""]
        rows.append("\t".join(row))
    rows += rows[1:20]  # repeated leads
    return "\n".join(rows)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppContext, str]]:
    rnd = random.Random(11)
    entities, rels, idents = _generated(rnd)
    root = tmp_path_factory.mktemp("chunks")
    ds = make_dataset(root / "ds", entities, rels, (), idents, dataset_id="generated")
    ctx = open_context(db=root / "g.db", seed_reference=False)
    importing.import_dataset(ctx, ds)
    yield ctx, _leads(rnd, entities, idents, 240)
    ctx.close()


def test_leads_screened_in_chunks_get_the_rows_each_lead_gets_alone(generated: tuple[AppContext, str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, text = generated
    table = screening.parse_pasted(text)
    cols = screening.guess_columns(table)
    items = screening.leads(table, cols)
    firsts: dict[tuple[str, str, str, str], int] = {}  # a repeated lead is given its first's row: compare firsts
    for i, lead in enumerate(items):
        if lead.label:
            firsts.setdefault((lead.name.casefold(), lead.domain.casefold(), lead.email.casefold(), lead.country), i)
    alone = [screening.screen_lead(ctx, items[i], i) for i in firsts.values()]
    monkeypatch.setattr(screening, "CHUNK", 37)  # chunks that do not divide the list
    rows = screening.screen(ctx, table, cols, workers=1).rows
    assert len(rows) == len(items) and len(firsts) < len([lead for lead in items if lead.label])
    assert [rows[i] for i in firsts.values()] == alone
    verdicts = {r.verdict for r in alone}
    assert verdicts == {screening.MATCH, screening.POSSIBLE, screening.NOT_ON_FILE}  # every kind of answer
    assert {r.matched_by for r in alone} >= {"name", "domain", "e-mail"}
    assert {r.status for r in alone} >= {"restricted", "eligible", "review"}
