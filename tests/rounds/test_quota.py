"""A round's qualification rule, checked and described with plain values."""

from jury.rounds.quota import describe_quota, quota_errors


def fields(**kwargs) -> list[str]:
    args = {"advance_count": 12, "quota_scope": "overall", "wildcards": 0, "zones": 2, "categories": 3}
    return [e.field for e in quota_errors(**{**args, **kwargs})]


def test_a_plain_top_n_is_valid():
    assert fields() == []
    assert fields(advance_count=None) == []
    assert fields(quota_scope="zone", wildcards=2) == []


def test_a_quota_per_zone_needs_zones_and_per_category_categories():
    assert fields(quota_scope="zone", zones=0) == ["quota_scope"]
    assert fields(quota_scope="category", categories=0) == ["quota_scope"]
    assert fields(quota_scope="region") == ["quota_scope"]


def test_wildcards_need_a_quota_and_counts_are_bounded():
    assert fields(advance_count=None, wildcards=2) == ["wildcards"]
    assert fields(wildcards=-1) == ["wildcards"]
    assert fields(advance_count=-3) == ["advance_count"]
    assert fields(advance_count=10_001) == ["advance_count"]


def test_the_rule_in_words():
    assert describe_quota(advance_count=12, quota_scope="zone", wildcards=2) == (
        "Les 12 premiers par zone, plus 2 repêchés."
    )
    assert describe_quota(advance_count=1, quota_scope="category", wildcards=0) == "Le premier par catégorie."
    assert describe_quota(advance_count=5, quota_scope="overall", wildcards=1) == (
        "Les 5 premiers au classement général, plus 1 repêché."
    )
    assert describe_quota(advance_count=None, quota_scope="overall", wildcards=0).startswith("Aucune")
