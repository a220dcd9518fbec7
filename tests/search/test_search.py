"""Search and check over the evaluation companies: what is found, what is not, and never an error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from desktop_app.domain.matching import POSSIBLE_MAX
from desktop_app.domain.names import analyze
from desktop_app.services import lookup
from desktop_app.services.context import AppContext
from desktop_app.store import queries, search_index

E = "search-fixture:"


def top(ctx: AppContext, query: str, prefix: bool = False) -> str | None:
    hits = lookup.search(ctx, query, limit=10, prefix=prefix).hits
    return hits[0].entity_id if hits else None


def test_acme_corp_does_not_match_beta_corp(companies_ctx: AppContext) -> None:
    outcome = lookup.check(companies_ctx, "Beta Corp")
    assert outcome.match is None
    assert all(h.score < lookup.MATCH_THRESHOLD for h in outcome.alternatives)


def test_weak_words_alone_never_make_a_match(companies_ctx: AppContext) -> None:
    for query in ("Holdings Limited", "Group", "International", "Technology Co., Ltd.", "Corp", "有限公司"):
        assert lookup.check(companies_ctx, query).match is None, query


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("Supercel", "supercell"),
        ("Byte Dance", "bytedance"),
        ("Tik-Tok Pte", "tiktok-pte"),
        ("字节跳动", "bytedance"),
        ("Газпром", "gazprom"),
        ("Сбербанк", "sberbank"),
        ("Lukoil", "lukoil"),
        ("Kaspersky", "kaspersky"),
        ("a.b@tiktok.com", "tiktok-pte"),
        ("gazprom.ru", "gazprom"),
        ("254900ZHZ9V6W0M7P545", "bytedance"),
    ],
)
def test_check_matches_what_salespeople_type(companies_ctx: AppContext, query: str, entity: str) -> None:
    outcome = lookup.check(companies_ctx, query)
    assert outcome.match is not None, (query, outcome.alternatives)
    assert outcome.match.entity_id == E + entity


def test_every_hit_says_what_matched(companies_ctx: AppContext) -> None:
    hits = lookup.search(companies_ctx, "字节跳动").hits
    assert hits[0].matched_on == "local name"
    assert hits[0].matched_text == "字节跳动有限公司"
    assert hits[0].name == "ByteDance Ltd."
    domain = lookup.search(companies_ctx, "jobs@bytedance.com").hits[0]
    assert (domain.matched_on, domain.matched_text) == ("domain", "bytedance.com")


def test_a_legal_form_in_the_query_tells_apart_otherwise_equal_names(companies_ctx: AppContext) -> None:
    # "tiktok" alone names both; they are one ownership family, so the group parent is the match
    plain = lookup.check(companies_ctx, "tiktok")
    assert plain.match is not None and plain.match.entity_id == E + "tiktok-ltd"
    assert E + "tiktok-pte" in {a.entity_id for a in plain.alternatives}
    assert lookup.check(companies_ctx, "TikTok Pte. Ltd.").match.entity_id == E + "tiktok-pte"  # type: ignore[union-attr]
    assert lookup.check(companies_ctx, "TikTok Ltd.").match.entity_id == E + "tiktok-ltd"  # type: ignore[union-attr]


def test_a_name_with_more_words_ranks_below_the_exact_one(companies_ctx: AppContext) -> None:
    hits = lookup.search(companies_ctx, "tencent", prefix=False).hits
    assert [h.entity_id for h in hits[:2]] == [E + "tencent", E + "tencent-music"]
    assert hits[0].score - hits[1].score >= lookup.MATCH_MARGIN


@pytest.mark.parametrize("typed", ["t", "te", "ten", "tenc", "tence", "tencen", "tencent"])
def test_every_keystroke_finds_the_company_being_typed(companies_ctx: AppContext, typed: str) -> None:
    ids = [h.entity_id for h in lookup.search(companies_ctx, typed, limit=20, prefix=True).hits]
    if len(typed) >= 3:
        assert E + "tencent" in ids[:3]
    else:
        assert ids  # one or two letters give some names, never an error


def test_the_last_word_is_completed_while_typing(companies_ctx: AppContext) -> None:
    assert top(companies_ctx, "samsung elec", prefix=True) == E + "samsung"
    assert top(companies_ctx, "deutsche b", prefix=True) == E + "deutsche-bank"
    assert top(companies_ctx, "byte d", prefix=True) == E + "bytedance"


@pytest.mark.parametrize(("typed", "entity"), [("tenc", "tencent"), ("samsung elec", "samsung"),
                                                ("deutsche b", "deutsche-bank"), ("byte d", "bytedance")])
def test_the_window_offers_the_names_being_typed(companies_ctx: AppContext, typed: str, entity: str) -> None:
    result = lookup.find(companies_ctx, typed)
    assert E + entity in [h.entity_id for h in result.hits]
    assert len(result.hits) <= POSSIBLE_MAX


def test_the_owners_of_several_entities_read_together_are_each_ones_own(reference_ctx: AppContext) -> None:
    with reference_ctx.store.read() as conn:
        rows = conn.execute(text(
            "SELECT m.cluster_id, o.cluster_id FROM relationships r JOIN entities m ON m.id = r.owned_id "
            "JOIN entities o ON o.id = r.owner_id")).all()
        owners: dict[str, set[str]] = {}
        for owned, owner in rows:
            owners.setdefault(owned, set()).add(owner)
        ids = sorted(owners)[::7]
        together = queries.ancestor_map(conn, ids)
    for start in ids:  # every owner reachable upwards, the entity itself aside (ownership may loop)
        seen: set[str] = set()
        todo = [start]
        while todo:
            for o in owners.get(todo.pop(), ()):
                if o not in seen:
                    seen.add(o)
                    todo.append(o)
        seen.discard(start)
        assert together[start] == seen, start
    assert len(ids) > 100


def test_not_on_file_gives_no_match(companies_ctx: AppContext) -> None:
    outcome = lookup.check(companies_ctx, "Zyxwvut Quantum Widgets")
    assert outcome.match is None


def test_name_score_ignores_spacing_weighs_order_a_little_and_extra_words_more() -> None:
    q = analyze("Byte Dance")
    assert lookup.name_score(q, "bytedance") > 97
    reordered = lookup.name_score(analyze("Electronics Samsung"), "samsung electronics")
    assert lookup.MATCH_THRESHOLD + lookup.MATCH_MARGIN < reordered < lookup.name_score(analyze("Samsung Electronics"),
                                                                                      "samsung electronics")
    assert lookup.name_score(analyze("Acme"), "beta") < 50
    assert lookup.name_score(analyze("Acme Corp"), "acme") > lookup.name_score(analyze("Acme Corp"), "acme widgets")


ODD_INPUTS = [
    '"', "'", '""', '"tiktok', "tik*", "NEAR(a b)", "a OR b", "a AND NOT b", "-tiktok", "^x", "col:val", "{a b}",
    "%", "_", "\\", "'; DROP TABLE entities; --", "\x00", "\x00tiktok\x00", "\u200b", "\ufeff", "\U0001f600" * 50,
    "x" * 10_000, "tencent " * 2_000, "٠١٢٣", "ǅ", "ﬁ", "\u0301" * 20, "@", "@@", "a@", "@b.com", "http://", "://",
    "..", ".com", "xn--", "http://[::1]/", "1" * 20, "0" * 64, "AAAAAAAAAAAAAAAAAA00", "\ud800", "a\udfffb",
]


@pytest.mark.parametrize("raw", ODD_INPUTS)
def test_odd_input_returns_results_or_none(companies_ctx: AppContext, raw: str) -> None:
    for prefix in (True, False):
        result = lookup.search(companies_ctx, raw, limit=20, prefix=prefix)
        assert isinstance(result.hits, tuple)
    lookup.check(companies_ctx, raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=200),
    st.text(alphabet=st.sampled_from('"\'*^:()-+@./\\ %_NEARORANDNOT字节Яндекс'), max_size=60),
    st.builds(lambda s, n: s * n, st.text(max_size=8), st.integers(min_value=0, max_value=2_000)),
))
def test_any_typed_text_returns_results_or_none(companies_ctx: AppContext, raw: str) -> None:
    result = lookup.search(companies_ctx, raw, limit=10, prefix=True)
    assert len(result.hits) <= 10
    assert all(0.0 <= h.score <= 100.0 for h in result.hits)


def test_rebuilding_gives_the_same_index(companies_ctx: AppContext) -> None:
    def snapshot() -> tuple[int, int, int, int]:
        with companies_ctx.store.engine.connect() as conn:
            return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # type: ignore[return-value]
                         for t in ("search_names", "search_terms", "search_vocab", "search_deletes"))

    before = snapshot()
    with companies_ctx.store.write() as conn:
        search_index.rebuild(conn)
    assert snapshot() == before


def test_an_emptied_index_is_rebuilt_on_first_search(companies_ctx: AppContext) -> None:
    with companies_ctx.store.write() as conn:
        conn.execute(text("DELETE FROM search_names"))
        assert search_index.needs_rebuild(conn)
    lookup._checked_stores.discard(id(companies_ctx.store))
    assert top(companies_ctx, "Supercell") == E + "supercell"


def test_a_typo_in_a_weak_word_still_gives_the_match(companies_ctx: AppContext) -> None:
    outcome = lookup.check(companies_ctx, "Tencent Holdngs")
    assert outcome.match is not None
    assert outcome.match.entity_id == E + "tencent"


@pytest.fixture
def invented_ctx(tmp_path, dataset_factory):  # type: ignore[no-untyped-def]
    from desktop_app.services.context import open_context
    from desktop_app.services.importing import import_dataset

    folder = dataset_factory(
        [{"id": "dotted", "name": "07.QX", "hq_country": "SG"},
         {"id": "tbank", "name": "Q-Bank", "hq_country": "SG"},
         {"id": "yunfan", "name": "Yunfan Tongxun Co., Ltd.", "hq_country": "CN"},
         {"id": "yunxing", "name": "Yunxing Fanchuan Ltd.", "hq_country": "CN"}],
        names=[["yunfan", "杭州云帆通讯有限公司", "local", "zh", "s1"],
               ["yunxing", "云星帆船有限公司", "local", "zh", "s1"]],
        identifiers=[["tbank", "domain", "qbank.sg", "s1"]],
    )
    ctx = open_context(db=tmp_path / "invented.db", seed_reference=False)
    import_dataset(ctx, folder)
    yield ctx
    ctx.close()


def test_a_name_written_like_a_domain_is_found_as_a_name(invented_ctx: AppContext) -> None:
    match = lookup.check(invented_ctx, "07.QX").match
    assert match is not None and match.entity_id == "cases:dotted"
    assert lookup.check(invented_ctx, "qbank.sg").match.entity_id == "cases:tbank"  # type: ignore[union-attr]


def test_a_common_word_alone_names_no_one(invented_ctx: AppContext) -> None:
    assert lookup.check(invented_ctx, "Bank").match is None
    assert lookup.check(invented_ctx, "bank.com").match is None
    assert lookup.check(invented_ctx, "Q-Bank").match.entity_id == "cases:tbank"  # type: ignore[union-attr]


@pytest.mark.parametrize("typed", ["Yun Fan", "Yunfan", "云帆", "Yun Fan Tong Xun", "Yunfan Tongxun Youxian Gongsi"])
def test_romanised_chinese_finds_the_name_however_it_is_spaced(invented_ctx: AppContext, typed: str) -> None:
    match = lookup.check(invented_ctx, typed).match
    assert match is not None and match.entity_id == "cases:yunfan", typed
