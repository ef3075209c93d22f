"""The third-party rule shared by the redacted export and the subject access bundle
(referrals/redaction.py): names found in free text whole-word and in any case, accents
and hyphens included; the subject's own names never withheld from their bundle."""

from referrals.redaction import THIRD_PARTY, NameMatcher, folded_names, name_terms


def test_a_name_is_looked_for_whole_and_by_each_part_of_three_letters_or_more():
    assert name_terms("Łucja Kowalczyk-Nowak") == [
        "Łucja Kowalczyk-Nowak",
        "Kowalczyk-Nowak",
        "Kowalczyk",
        "Nowak",
        "Łucja",
    ]
    assert "Al" not in name_terms("Al Þórsson")


def test_names_with_accents_are_replaced_in_any_case_and_only_as_whole_words():
    matcher = NameMatcher.of("Øyvind Þórsson", "Snowbird")
    text = "ØYVIND ÞÓRSSON and snowbird met Øyvindsen; Þórsson left."
    assert matcher.replace(text) == (
        f"{THIRD_PARTY} and {THIRD_PARTY} met Øyvindsen; {THIRD_PARTY} left."
    )


def test_the_subjects_own_names_are_kept_even_when_a_third_party_shares_one():
    keep = folded_names("Zoë", "Inventedsubject")
    matcher = NameMatcher.of("Anna Inventedsubject", keep=keep)
    assert matcher.replace("Zoë Inventedsubject lives with Anna Inventedsubject.") == (
        f"Zoë Inventedsubject lives with {THIRD_PARTY}."
    )
    assert matcher.replace("Anna came too.") == f"{THIRD_PARTY} came too."
