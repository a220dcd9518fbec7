"""Name normalization: what two spellings of one company have in common, and what they do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.names import (
    WEAK_WORDS,
    analyze,
    clean,
    correct_weak_typos,
    distinctive_tokens,
    legal_form_tokens,
    name_variants,
    normalize_name,
    weak_typo_candidates,
)


@pytest.mark.parametrize(
    ("name", "tokens", "forms"),
    [
        ("TikTok Pte. Ltd.", ("tiktok",), ("pte", "ltd")),
        ("Tencent Holdings Limited", ("tencent", "holdings"), ("limited",)),
        ("Foo GmbH & Co. KG", ("foo",), ("gmbh", "co", "kg")),
        ("Banco Santander, S.A.", ("banco", "santander"), ("sa",)),
        ("Shenzhen Bank Holding S.à r.l.", ("shenzhen", "bank", "holding"), ("sarl",)),
        ("PT Astra International Tbk", ("astra", "international"), ("tbk", "pt")),
        ("PJSC Gazprom", ("gazprom",), ("pjsc",)),
        ("Foo Sp. z o.o.", ("foo",), ("sp", "zoo")),
        ("I.B.M. Corp", ("ibm",), ("corp",)),
        ("McDonald's Corporation", ("mcdonalds",), ("corporation",)),
        ("Nestlé S.A.", ("nestle",), ("sa",)),
    ],
)
def test_latin_legal_forms_are_set_aside(name: str, tokens: tuple[str, ...], forms: tuple[str, ...]) -> None:
    result = analyze(name)
    assert result.tokens == tokens
    assert result.legal_forms == forms


def test_case_is_folded_before_legal_forms_are_recognised() -> None:
    assert analyze("TIKTOK PTE. LTD.").tokens == ("tiktok",)
    assert analyze("Volkswagen AKTIENGESELLSCHAFT").tokens == analyze("volkswagen ag").tokens


def test_chinese_legal_form_suffixes_are_stripped() -> None:
    assert analyze("字节跳动有限公司").tokens == analyze("字节跳动").tokens == ("zi", "jie", "tiao", "dong")
    assert analyze("比亚迪股份有限公司").tokens == ("bi", "ya", "di")
    assert analyze("北京字节跳动科技有限公司").legal_forms  # 有限公司 set aside


def test_chinese_weak_suffixes_read_as_the_english_weak_words() -> None:
    # 腾讯控股: 控股 means "holdings", which is weak in English too
    result = analyze("腾讯控股有限公司")
    assert result.tokens == ("teng", "xun", "holdings")
    assert result.distinctive == ("teng", "xun")


def test_chinese_syllables_that_look_like_stopwords_stay_distinctive() -> None:
    # "di" in 比亚迪 must not be dropped as the Italian "di"
    assert analyze("比亚迪").distinctive == ("bi", "ya", "di")


def test_korean_and_japanese_forms_in_front_or_behind() -> None:
    assert analyze("삼성전자 주식회사").tokens == analyze("삼성전자").tokens
    assert analyze("주식회사 카카오").tokens == analyze("카카오").tokens
    assert analyze("株式会社トヨタ").tokens == ("toyota",)


def test_russian_legal_forms_before_the_name() -> None:
    assert analyze("ООО «Ромашка»").tokens == ("romashka",)
    assert analyze("Общество с ограниченной ответственностью «Ромашка»").tokens == ("romashka",)
    assert analyze("ПАО «Газпром»").tokens == ("gazprom",)


def test_persian_company_word_is_a_legal_form() -> None:
    assert "shrkt" in analyze("شرکت ملی نفت ایران").legal_forms


def test_cyrillic_names_also_get_the_usual_english_spelling() -> None:
    spellings = {v.norm for v in name_variants("Яндекс")}
    assert spellings == {"yandeks", "yandex"}
    assert "lukoil" in {v.norm for v in name_variants("Лукойл")}
    assert "kaspersky" in {v.norm for v in name_variants("Касперский")}
    assert normalize_name("Тинькофф") == "tinkoff"  # the soft sign does not split the word


def test_latin_names_have_a_single_variant() -> None:
    assert len(name_variants("Yandex N.V.")) == 1


def test_spacing_and_punctuation_variants_meet_when_joined() -> None:
    assert analyze("Byte Dance").distinctive_joined == analyze("ByteDance Ltd.").distinctive_joined
    assert analyze("Tik-Tok").distinctive_joined == analyze("TikTok").distinctive_joined


def test_weak_words_do_not_count_as_distinctive() -> None:
    assert analyze("Acme Group Holdings").distinctive == ("acme",)
    assert distinctive_tokens(["global", "trading", "acme"]) == ["acme"]
    # a name made only of weak words keeps them, so it can still be found
    assert analyze("Global Trading Company Limited").distinctive == ("global", "trading")


def test_legal_forms_alone_never_make_distinctive_tokens() -> None:
    assert analyze("Acme Corp").distinctive == ("acme",)
    assert analyze("Beta Corp").distinctive == ("beta",)
    assert "corp" in WEAK_WORDS


def test_a_name_made_only_of_legal_forms_keeps_them() -> None:
    assert analyze("Company Limited").tokens


def test_legal_form_tokens_for_ranking() -> None:
    assert legal_form_tokens("TikTok Pte. Ltd.") == ["pte", "ltd"]


def test_control_and_zero_width_characters_are_removed() -> None:
    assert clean("Tik\u200bTok\x00 Ltd") == "tik tok ltd"
    assert analyze("Tik\u200bTok").distinctive_joined == "tiktok"


def test_very_long_input_is_bounded() -> None:
    assert len(analyze("tencent " * 5000).tokens) <= 1000


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=300))
def test_any_text_gives_lowercase_ascii_tokens(text: str) -> None:
    for variant in name_variants(text):
        for token in variant.tokens + variant.legal_forms:
            assert token
            assert token.isascii()
            assert token == token.lower()
            assert token.isalnum()


def test_unknown_words_one_edit_from_a_weak_word_are_read_as_it() -> None:
    name = analyze("Tencent Holdngs")
    assert weak_typo_candidates(name) == {"tencent", "holdngs"}
    assert correct_weak_typos(name, {"holdngs"}).distinctive == ("tencent",)


def test_known_words_near_a_weak_word_are_left_alone() -> None:
    name = analyze("Capitol Records")
    assert correct_weak_typos(name, set()).tokens == ("capitol", "records")
