"""The scorer of `domain.matching`, on invented names: rarity, numbers, typos, brands, spellings, places."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.domain.matching import (
    ALTERNATIVE_FLOOR,
    BRAND_SCORE,
    LONG_TYPO_MIN,
    MATCH_MARGIN,
    MATCH_THRESHOLD,
    Rarity,
    Scored,
    acronyms,
    completing,
    decide,
    form_adjustment,
    narrow_by_place,
    prepare,
    read_numbers,
    score_candidates,
    score_name,
    spelling_variants,
    split_syllables,
    syllable_variant,
)
from desktop_app.domain.names import analyze

# 10,000 names on file: "bank" and "air" are common, the invented brands rare
RARITY = Rarity({"bank": 900, "air": 400, "zorvex": 2, "quilta": 1, "brovia": 3, "zentrova": 4, "kelmar": 2,
                 "velmar": 3, "drovanik": 1, "interactive": 40, "entertainment": 120}, 10_000)


def score(query: str, name: str, prefix: bool = False) -> float:
    return score_name(prepare(analyze(query), RARITY), analyze(name).norm, prefix).score


@dataclass(frozen=True)
class Name:
    entity_id: str
    name: str
    matched_on: str = "name"

    @property
    def norm(self) -> str:
        return analyze(self.name).norm

    @property
    def forms(self) -> str:
        return " ".join(analyze(self.name).legal_forms)


def best(query: str, names: list[Name], rarity: Rarity = RARITY) -> list[Scored]:
    scored = score_candidates([analyze(query)], names, prefix=False, rarity=rarity)
    return sorted(scored.values(), key=lambda s: -s.score)


def test_a_rare_word_decides_and_a_common_one_only_supports() -> None:
    # "Quilta Bank" shares only the common word "bank" with "Zorvex Bank"
    s = score_name(prepare(analyze("Zorvex Bank"), RARITY), "quilta bank")
    assert not s.shares and s.score < ALTERNATIVE_FLOOR
    assert decide([Scored("q", s.score, "name", "Quilta Bank", s.shares)]).possible == ()
    assert score("Zorvex Bank", "Zorvex Bank") >= MATCH_THRESHOLD
    # the rare word the candidate lacks weighs more than the common ones it shares
    assert score("Zorvex Interactive Entertainment", "Sonlo Interactive Entertainment") < MATCH_THRESHOLD - 5


def test_numbers_and_series_must_agree() -> None:
    assert score("Velmar Fund II", "Velmar Fund IV") < ALTERNATIVE_FLOOR
    assert score("Velmar Trust 2004-1", "Velmar Trust 2004-2") < ALTERNATIVE_FLOOR
    assert score("Velmar Fund II", "Velmar Fund II") >= MATCH_THRESHOLD
    # the query has a number the name lacks: another company; the name has one the query lacks: weaker
    assert score("Kelmar Stream 3", "Kelmar Stream") < MATCH_THRESHOLD
    assert score("Kelmar Stream", "Kelmar Stream") - score("Kelmar Stream", "Kelmar Stream 2") >= MATCH_MARGIN


def test_numbers_written_differently_are_the_same_number() -> None:
    assert score("1st Brovia Bank", "First Brovia Bank") >= 99
    assert score("44 Kelmar Partners", "Forty-Four Kelmar Partners") >= 99
    assert score("Kelmar III", "Kelmar 3") >= 99
    assert read_numbers(("kelmar", "fund", "viii"))[1] == (8,)
    assert read_numbers(("i", "kelmar"))[1] == ()  # a lone "I" first is a letter
    assert read_numbers(("ne", "i", "beo"))[1] == ()  # syllables of a Korean name, not a numeral
    assert {v.tokens for v in spelling_variants(analyze("Kelmar 44"))} >= {("kelmar", "forty", "four")}


def test_one_edit_in_a_distinctive_word_of_five_letters_still_finds_it() -> None:
    assert score("Zentorva", "Zentrova Holdings") >= MATCH_THRESHOLD  # transposition
    assert score("Zentova", "Zentrova") >= MATCH_THRESHOLD  # deletion
    # a word that names on file hold is taken as typed, not as a misspelling of another
    assert score("Kelmar", "Velmar") < MATCH_THRESHOLD


def test_a_brand_alone_matches_the_only_entity_whose_name_begins_with_it() -> None:
    names = [Name("drov", "Drovanik Entertainment SA"), Name("other", "Zorvex Bank AG")]
    top = best("Drovanik", names, Rarity({"drovanik": 1, "zorvex": 1}, 1_000))
    assert top[0].entity_id == "drov" and top[0].score == BRAND_SCORE
    assert decide(top).match == "drov"
    # another entity holding the word: no longer a brand of one
    shared = [*names, Name("drov2", "Sonlo Drovanik Media")]
    top = best("Drovanik", shared, Rarity({"drovanik": 2, "zorvex": 1}, 1_000))
    assert top[0].score < BRAND_SCORE
    # names holding the word that were not read (the index holds more): no brand either
    top = best("Drovanik", names, Rarity({"drovanik": 5, "zorvex": 1}, 1_000))
    assert top[0].score < BRAND_SCORE


def test_dotted_and_spaced_abbreviations_and_legal_forms_agree() -> None:
    assert analyze("Kelvor Systems, L.L.C.").legal_forms == analyze("Kelvor Systems LLC").legal_forms
    assert analyze("Brovia S. A.").legal_forms == analyze("Brovia SA").legal_forms
    assert score("Q.R.T. Brovia", "QRT Brovia") >= 99


def test_common_transliteration_variants_agree() -> None:
    rarity = Rarity({"yandeks": 2}, 1_000)
    assert score_name(prepare(analyze("Jandeks"), rarity), "yandex").score >= MATCH_THRESHOLD
    # "Qa'ida" is read as "qaida", one letter from "qaeda"
    assert score_name(prepare(analyze("Al-Qa'ida Brovia"), Rarity({"qaeda": 1}, 1_000)),
                      "al qaeda brovia").score >= MATCH_THRESHOLD


def test_a_place_typed_with_the_name_narrows_the_choice() -> None:
    names = [Name("sg", "Brovia Bank Ltd."), Name("hk", "Brovia Bank (Asia) Limited")]
    scored = score_candidates([analyze("Brovia Bank Singapore")], names, prefix=False, rarity=RARITY)
    narrowed = narrow_by_place(scored, {"sg": "SG", "hk": "HK"}, {"SG"})
    ranked = sorted(narrowed.values(), key=lambda s: -s.score)
    assert ranked[0].entity_id == "sg" and decide(ranked).match == "sg"
    # the place is not a name word: a name holding it is found as well
    assert score("Kelmar Singapore", "Kelmar Singapore Pte Ltd") >= MATCH_THRESHOLD


def test_an_acronym_typed_in_capitals_is_not_read_as_a_typo() -> None:
    rarity = Rarity({"zqrtvb": 1}, 1_000)
    assert score_name(prepare(analyze("zqrtvx"), rarity), "zqrtvb").score >= MATCH_THRESHOLD  # a typo
    literal = prepare(analyze("ZQRTVX"), rarity, acronyms("ZQRTVX"))
    assert score_name(literal, "zqrtvb").score < MATCH_THRESHOLD
    assert acronyms("NIOPDC of Kelmar") == {"niopdc"}


def test_a_cjk_name_typed_is_found_inside_the_one_longer_name_that_holds_it() -> None:
    names = [Name("yf", "杭州云帆数字技术有限公司", "local name"), Name("other", "北京星河科技有限公司", "local name")]
    q = analyze("云帆")
    top = best("云帆", names, Rarity({"yunfan": 1, "yun": 3, "fan": 5}, 1_000))
    assert q.syllabic and top[0].entity_id == "yf" and decide(top).match == "yf"


def _syllables(query: str, names: list[Name], rarity: Rarity) -> list[Scored]:
    """Scores as the search does: the query as typed and as syllables."""
    typed = analyze(query)
    variants = [typed, *([v] if (v := syllable_variant(typed)) else [])]
    scored = score_candidates(variants, names, prefix=False, rarity=rarity)
    return sorted(scored.values(), key=lambda s: -s.score)


def test_romanised_chinese_is_read_as_syllables_however_it_is_spaced() -> None:
    assert split_syllables("yunfan") == ("yun", "fan")
    assert split_syllables("zorvex") is None
    assert syllable_variant(analyze("Yun Fan")) == syllable_variant(analyze("Yunfan"))
    assert syllable_variant(analyze("Yunfan")).tokens == ("yun", "fan")  # type: ignore[union-attr]
    assert syllable_variant(analyze("Zorvex Bank")) is None
    names = [Name("yf", "杭州云帆通讯设备有限公司", "local name"), Name("other", "云星帆船有限公司", "local name")]
    rarity = Rarity({"yun": 2, "fan": 2, "yunfan": 1, "fanchuan": 1, "yunxing": 1}, 1_000)
    for typed in ("Yun Fan", "Yunfan", "Yún Fān"):
        top = _syllables(typed, names, rarity)
        assert top[0].entity_id == "yf" and decide(top).match == "yf", typed


def test_syllables_typed_together_must_stand_together_in_the_name() -> None:
    # 云星帆船 holds "yun" and "fan", but apart: it is not "Yunfan"
    rarity = Rarity({"yun": 2, "fan": 2, "yunxing": 1, "fanchuan": 1}, 1_000)
    top = _syllables("Yunfan", [Name("other", "云星帆船有限公司", "local name")], rarity)
    assert top[0].score < ALTERNATIVE_FLOOR and decide(top).match is None
    top = _syllables("云帆", [Name("other", "云星帆船有限公司", "local name")], rarity)
    assert decide(top).match is None


def test_weak_words_and_legal_forms_written_in_pinyin_are_read_as_such() -> None:
    typed = analyze("Yunfan Jishu Youxian Gongsi")
    assert typed.tokens == ("yunfan", "technology") and typed.legal_forms == ("youxian", "gongsi")
    assert analyze("Keji").tokens == ("keji",)  # a name's first word is never set aside
    on_file = analyze("云帆技术有限公司")
    assert form_adjustment(set(typed.legal_forms), " ".join(on_file.legal_forms), "youxiangongsi") == 0.0


def test_two_edits_in_a_long_distinctive_word_still_find_it() -> None:
    rarity = Rarity({"drovanikor": 1, "brovia": 1}, 1_000)
    assert len("drovanikor") >= LONG_TYPO_MIN
    assert score_name(prepare(analyze("Drovvanikorr Mining"), rarity), "drovanikor mining").score >= MATCH_THRESHOLD
    # a shorter word with two edits is another word
    assert score_name(prepare(analyze("Bravea Mining"), rarity), "brovia mining").score < MATCH_THRESHOLD


def test_two_letters_swapped_in_a_four_letter_word_beside_a_word_that_agrees() -> None:
    rarity = Rarity({"zorvex": 1, "neft": 3}, 1_000)
    assert score_name(prepare(analyze("Zorvex Nfet"), rarity), "zorvex neft").score >= MATCH_THRESHOLD
    # alone, four letters are too few to be read as a typo
    assert score_name(prepare(analyze("Nfet"), rarity), "neft").score < MATCH_THRESHOLD


def test_x_of_y_typed_without_of_is_x_of_y_rather_than_y_x() -> None:
    names = [Name("yx", "Quilta Bank"), Name("xofy", "Bank of Quilta Limited")]
    top = best("Bank Quilta", names)
    assert top[0].entity_id == "xofy" and decide(top).match == "xofy"
    top = best("Quilta Bank", names)
    assert top[0].entity_id == "yx" and decide(top).match == "yx"
    # with one entity, the order typed does not stop the match
    assert decide(best("Bank Quilta", [Name("yx", "Quilta Bank")])).match == "yx"


def test_a_word_in_place_of_another_is_another_name() -> None:
    # "bank" is common, but the name has its own word where the query has it
    assert score("Zorvex Bank", "Zorvex Bahn") < MATCH_THRESHOLD
    assert score("Zorvex Bank", "Zorvex Bank") >= MATCH_THRESHOLD
    assert score("Zorvex", "Zorvex Bahn") > score("Zorvex Bank", "Zorvex Bahn")


def test_a_brand_typed_in_two_words_is_the_brand() -> None:
    names = [Name("drov", "Drovanik Entertainment SA"), Name("other", "Zorvex Bank AG")]
    top = best("Drova Nik", names, Rarity({"drovanik": 1, "zorvex": 1}, 1_000))
    assert top[0].entity_id == "drov" and decide(top).match == "drov"


def test_a_name_given_in_parentheses_within_a_name_on_file_is_found() -> None:
    names = [Name("zb", "Zorvex Broadcasting Corporation (ZBC / Zorvex Radio)"),
             Name("kb", "Kelmar Bank (Singapore) Limited"),
             Name("bk", "Brovia Holdings Inc. (formerly The Quilta Group)")]
    rarity = Rarity({"zorvex": 1, "zbc": 1, "kelmar": 1, "brovia": 1, "quilta": 1, "radio": 30}, 1_000)
    for typed, entity in (("ZBC", "zb"), ("Zorvex Radio", "zb"), ("Quilta", "bk")):
        top = best(typed, names, rarity)
        assert top[0].entity_id == entity and decide(top).match == entity, typed
    # a former name is weaker evidence than a current one; a place in parentheses is no name of its own
    assert best("Quilta", names, rarity)[0].score < best("ZBC", names, rarity)[0].score
    assert best("Singapore", names, rarity)[0].score < MATCH_THRESHOLD


def test_a_name_typed_in_its_own_script_prefers_the_name_written_in_that_script() -> None:
    names = [Name("ru", "Зорвекс", "local name"), Name("nl", "Zorveks N.V.")]
    variants = [analyze("Зорвекс")]
    scored = score_candidates(variants, names, prefix=False, rarity=Rarity({"zorveks": 2}, 1_000), typed="Зорвекс")
    top = sorted(scored.values(), key=lambda s: -s.score)
    assert top[0].entity_id == "ru" and decide(top).match == "ru"
    # typed in Latin, both agree as well as before
    scored = score_candidates([analyze("Zorveks")], names, prefix=False, rarity=Rarity({"zorveks": 2}, 1_000),
                              typed="Zorveks")
    assert decide(sorted(scored.values(), key=lambda s: -s.score)).match is None


def test_doubled_letters_of_a_transliteration_agree() -> None:
    rarity = Rarity({"kelmar": 1, "aval": 1}, 1_000)
    assert score_name(prepare(analyze("Kelmarre Avval"), rarity), "kelmare aval").score >= MATCH_THRESHOLD
    # short words and acronyms keep their letters: "CMCC" is not "CMC"
    assert score_name(prepare(analyze("CMCC"), rarity, acronyms("CMCC")), "cmc").score < MATCH_THRESHOLD


def test_subsidiaries_tied_on_a_brand_are_answered_by_their_parent_a_little_below() -> None:
    """"Kelmar AB", "Kelmar GmbH", "Kelmar Ltd" tie on the brand; "Kelmar Technology S.A." owns them all and
    scores a little lower because its name adds a word: the parent is the answer, saying it is shared."""
    hits = [
        Scored("ab", 99.8, "name", "Kelmar AB"),
        Scored("gmbh", 99.8, "name", "Kelmar GmbH"),
        Scored("ltd", 99.7, "name", "Kelmar Ltd"),
        Scored("tech", 95.3, "name", "Kelmar Technology S.A."),
        Scored("usa", 90.8, "name", "Kelmar USA Inc."),
    ]
    owners = {"ab": {"tech"}, "gmbh": {"tech"}, "ltd": {"tech", "ab"}, "usa": {"tech"}, "tech": set()}
    decision = decide(hits, lambda e: owners[e])
    assert decision.match == "tech" and decision.group is not None and decision.group.entities == 4
    assert "tech" not in decision.possible
    # a parent below the threshold is no answer (too unlike what was typed): the tied ones decide alone
    low = [*hits[:3], Scored("tech", MATCH_THRESHOLD - 1, "name", "Kelmar Technology S.A.")]
    assert decide(low, lambda e: owners[e]).match == "ab"  # it owns the other tied one
    # two unrelated parents, each owning the tied ones (a joint venture): no single answer
    joint = {"ab": {"tech", "velm"}, "gmbh": {"tech", "velm"}, "ltd": {"tech", "velm"}, "tech": set(), "velm": set()}
    two = [*hits[:4], Scored("velm", 94.0, "name", "Kelmar Velmar Holding")]
    assert decide(two, lambda e: joint[e]).match is None
    # a parent that is itself owned by the other candidate parent: the one on top answers
    chain = {**joint, "tech": {"velm"}}
    assert decide(two, lambda e: chain[e]).match == "velm"


def test_completions_are_the_names_the_typed_text_begins() -> None:
    from types import SimpleNamespace

    names = [SimpleNamespace(norm=analyze(n).norm, name=n) for n in
             ("Deutsche Bahn AG", "Deutsche Telekom AG", "ByteDance Ltd.", "Bank of China")]

    def begun(typed: str) -> list[str]:
        return [c.name for c in completing(analyze(typed), names)]

    assert begun("deutsche b") == ["Deutsche Bahn AG", "ByteDance Ltd.", "Bank of China"]  # a word begins "b"
    assert begun("byte da") == ["ByteDance Ltd."]  # the words typed run together begin the name
    assert begun("telek") == ["Deutsche Telekom AG"]
    assert len(begun("中兴")) == len(names)  # a CJK name typed: any syllable may be the last typed
