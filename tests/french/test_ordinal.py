import pytest

from jury.french.ordinal import edition_ordinal, ordinal, ordinal_suffix, prize_ordinal


@pytest.mark.parametrize(
    ("n", "masculine", "feminine"),
    [
        (1, "1er", "1re"),
        (2, "2e", "2e"),
        (3, "3e", "3e"),
        (10, "10e", "10e"),
        (21, "21e", "21e"),
        (101, "101e", "101e"),
    ],
)
def test_only_the_first_rank_agrees_in_gender(n: int, masculine: str, feminine: str) -> None:
    assert ordinal(n) == masculine
    assert ordinal(n, gender="masculine") == masculine
    assert ordinal(n, gender="feminine") == feminine


def test_edition_is_feminine_and_prize_masculine() -> None:
    assert edition_ordinal(1) == "1re édition"
    assert edition_ordinal(10) == "10e édition"
    assert prize_ordinal(1) == "1er prix"
    assert prize_ordinal(2) == "2e prix"
    assert prize_ordinal(3) == "3e prix"


def test_never_the_ieme_forms() -> None:
    for n in range(1, 60):
        for gender in ("masculine", "feminine"):
            text = ordinal(n, gender=gender)
            assert "è" not in text and "i" not in text and not text.endswith("ème")


@pytest.mark.parametrize("bad", [0, -1])
def test_ordinals_start_at_one(bad: int) -> None:
    with pytest.raises(ValueError):
        ordinal(bad)


@pytest.mark.parametrize("bad", [True, 1.0, "1", None])
def test_only_ints(bad: object) -> None:
    with pytest.raises(TypeError):
        ordinal_suffix(bad)  # type: ignore[arg-type]
