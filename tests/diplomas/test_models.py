import pickle
import re

import msgspec
import pytest

from jury.diplomas.models import CODE_ALPHABET, DiplomaContext, Signatory, new_verification_code

from .conftest import BASES


def test_verification_url_is_the_qr_payload(make_context) -> None:
    ctx = make_context(base_url="https://concours.example.fr/", verification_code="K7QM-3XH2-PA9D")
    assert ctx.verification_url == "https://concours.example.fr/verifier/K7QM-3XH2-PA9D"


def test_context_survives_pickling_and_json(make_context) -> None:
    """The pool sends contexts to other processes; the web layer may receive them as JSON."""
    ctx = make_context("progress")
    assert pickle.loads(pickle.dumps(ctx)) == ctx
    assert msgspec.json.decode(msgspec.json.encode(ctx), type=DiplomaContext) == ctx


def test_a_laureate_is_required(make_context) -> None:
    with pytest.raises(ValueError, match="laureate"):
        make_context(laureate_person=None, laureate_organisation=None)


@pytest.mark.parametrize(
    "field", ["laureate_person", "laureate_organisation", "prize", "creation_name", "category"]
)
@pytest.mark.parametrize(
    "wording", ["Meilleur Ouvrier de France", "un des meilleurs ouvriers de France", "MOF"]
)
def test_mof_is_never_given_to_a_laureate(make_context, field: str, wording: str) -> None:
    with pytest.raises(ValueError, match="Meilleur Ouvrier de France"):
        make_context(**{field: f"Camille DURAND, {wording}"})


def test_mof_belongs_in_a_signatory_distinction_only(make_context) -> None:
    chair = Signatory(name="Jean Dupont, MOF", title="Le Président du jury")
    with pytest.raises(ValueError, match="distinction"):
        make_context(signatories=(chair,))
    ok = Signatory(name="Jean Dupont", title="Le Président du jury", distinction="Meilleur Ouvrier de France")
    assert make_context(signatories=(ok,)).signatories == (ok,)


def test_words_containing_mof_letters_are_fine(make_context) -> None:
    assert make_context(laureate_person="Mofida MOFFAT").laureate_person == "Mofida MOFFAT"


def test_decoding_reports_bad_input_by_field(make_context) -> None:
    raw = msgspec.to_builtins(make_context())
    raw["laureate_person"] = "x" * 121
    with pytest.raises(msgspec.ValidationError, match="laureate_person"):
        msgspec.convert(raw, DiplomaContext)


@pytest.mark.parametrize("code", ["k7qm-3xh2", "AB", "AB12/CD34", "AB12 CD34"])
def test_verification_code_is_url_safe_upper_case(make_context, code: str) -> None:
    with pytest.raises(ValueError, match="verification_code"):
        make_context(verification_code=code)


def test_gateau_needs_a_place_or_prize_and_made_in_92_a_prize(make_context) -> None:
    with pytest.raises(ValueError, match="Gâteau"):
        make_context("gateau-des-hauts-de-seine", place=None, prize=None)
    with pytest.raises(ValueError, match="Made in 92"):
        make_context("made-in-92", prize=None)


def test_new_verification_codes_are_crockford_groups() -> None:
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}(-[{CODE_ALPHABET}]{{4}}){{2}}", code)


def test_a_contest_without_a_template_of_its_own_falls_back_to_the_generic_diploma(make_context) -> None:
    assert make_context("progress").template_names == ("progress.html", "generic.html")
    assert make_context("curious-lab").template_names == ("curious-lab.html", "generic.html")
    # A slug spelling a template that is not a contest's diploma never selects it.
    assert DiplomaContext(**{**BASES["curious-lab"], "contest": "base"}).template_names == ("generic.html",)


@pytest.mark.parametrize("slug", ["../progress", "Curious-Lab", "curious lab", "curious_lab", "", "-lab"])
def test_the_contest_is_a_slug(make_context, slug: str) -> None:
    """The slug names a template file: nothing but lower-case words joined by dashes."""
    with pytest.raises(ValueError, match="contest"):
        DiplomaContext(**{**BASES["curious-lab"], "contest": slug})
    raw = msgspec.to_builtins(make_context("curious-lab"))
    with pytest.raises(msgspec.ValidationError, match="contest"):
        msgspec.convert({**raw, "contest": slug}, DiplomaContext)
