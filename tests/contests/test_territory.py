import csv
from pathlib import Path

import msgspec
import pytest

from jury.contests.territory import (
    Commune,
    Routing,
    Territory,
    Zone,
    commune_index,
    four_zones,
    is_insee_code,
    route,
    two_zones,
)

CSV_PATH = Path(__file__).resolve().parents[2] / "sql" / "reference" / "communes_92.csv"

# Written by hand from the INSEE EPT composition (domain notes §1.1), not from the CSV under test:
# INSEE code → (name, EPT, zone in the two-zone layout).
EXPECTED = {
    # T2 Vallée Sud - Grand Paris → Sud
    "92002": ("Antony", "T2", "SUD"),
    "92007": ("Bagneux", "T2", "SUD"),
    "92014": ("Bourg-la-Reine", "T2", "SUD"),
    "92019": ("Châtenay-Malabry", "T2", "SUD"),
    "92020": ("Châtillon", "T2", "SUD"),
    "92023": ("Clamart", "T2", "SUD"),
    "92032": ("Fontenay-aux-Roses", "T2", "SUD"),
    "92046": ("Malakoff", "T2", "SUD"),
    "92049": ("Montrouge", "T2", "SUD"),
    "92060": ("Le Plessis-Robinson", "T2", "SUD"),
    "92071": ("Sceaux", "T2", "SUD"),
    # T3 Grand Paris Seine Ouest → Sud
    "92012": ("Boulogne-Billancourt", "T3", "SUD"),
    "92022": ("Chaville", "T3", "SUD"),
    "92040": ("Issy-les-Moulineaux", "T3", "SUD"),
    "92047": ("Marnes-la-Coquette", "T3", "SUD"),
    "92048": ("Meudon", "T3", "SUD"),
    "92072": ("Sèvres", "T3", "SUD"),
    "92075": ("Vanves", "T3", "SUD"),
    "92077": ("Ville-d'Avray", "T3", "SUD"),
    # T4 Paris Ouest La Défense → Nord
    "92026": ("Courbevoie", "T4", "NORD"),
    "92033": ("Garches", "T4", "NORD"),
    "92035": ("La Garenne-Colombes", "T4", "NORD"),
    "92044": ("Levallois-Perret", "T4", "NORD"),
    "92050": ("Nanterre", "T4", "NORD"),
    "92051": ("Neuilly-sur-Seine", "T4", "NORD"),
    "92062": ("Puteaux", "T4", "NORD"),
    "92063": ("Rueil-Malmaison", "T4", "NORD"),
    "92064": ("Saint-Cloud", "T4", "NORD"),
    "92073": ("Suresnes", "T4", "NORD"),
    "92076": ("Vaucresson", "T4", "NORD"),
    # T5 Boucle Nord de Seine → Nord
    "92004": ("Asnières-sur-Seine", "T5", "NORD"),
    "92009": ("Bois-Colombes", "T5", "NORD"),
    "92024": ("Clichy", "T5", "NORD"),
    "92025": ("Colombes", "T5", "NORD"),
    "92036": ("Gennevilliers", "T5", "NORD"),
    "92078": ("Villeneuve-la-Garenne", "T5", "NORD"),
}

ARGENTEUIL = Commune(ept_code="T5", departement="95", name="Argenteuil", postal_codes=("95100",))
CRETEIL = Commune(ept_code="T11", departement="94", name="Créteil", postal_codes=("94000",))


@pytest.fixture(scope="module")
def communes_92() -> dict[str, Commune]:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        return commune_index(csv.DictReader(f))


@pytest.fixture(scope="module")
def communes(communes_92: dict[str, Commune]) -> dict[str, Commune]:
    return {**communes_92, "95018": ARGENTEUIL, "94028": CRETEIL}


def test_reference_file_has_the_36_communes_of_the_table(communes_92):
    assert len(EXPECTED) == 36
    assert set(communes_92) == set(EXPECTED)
    for code, (name, ept, _) in EXPECTED.items():
        assert communes_92[code].name == name
        assert communes_92[code].ept_code == ept
        assert communes_92[code].departement == "92"


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_commune_routed_in_two_zones(code, communes):
    _, ept, zone = EXPECTED[code]
    routing = route(insee_code=code, communes=communes, territory=two_zones())
    assert routing.eligible, routing.reason
    assert routing.zone is not None
    assert routing.zone.code == zone
    assert routing.zone.label == {"NORD": "Nord", "SUD": "Sud"}[zone]
    assert routing.ept_code == ept
    assert routing.reason is None


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_commune_routed_in_four_zones(code, communes):
    _, ept, _ = EXPECTED[code]
    routing = route(insee_code=code, communes=communes, territory=four_zones())
    assert routing.zone is not None
    assert routing.zone.code == ept
    assert routing.zone.ept_codes == (ept,)


def test_zone_counts_match_the_arrondissements(communes):
    # North = arrondissement of Nanterre (17 communes), south = Antony + Boulogne (19).
    counts: dict[str, int] = {}
    for code in EXPECTED:
        zone = route(insee_code=code, communes=communes, territory=two_zones()).zone
        assert zone is not None
        counts[zone.code] = counts.get(zone.code, 0) + 1
    assert counts == {"NORD": 17, "SUD": 19}


def test_named_examples(communes):
    assert route(insee_code="92050", communes=communes, territory=two_zones()).zone.code == "NORD"
    assert route(insee_code="92002", communes=communes, territory=two_zones()).zone.code == "SUD"
    four = four_zones()
    assert route(insee_code="92050", communes=communes, territory=four).zone.label == "Paris Ouest La Défense"
    assert (
        route(insee_code="92002", communes=communes, territory=four).zone.label == "Vallée Sud - Grand Paris"
    )


def test_plain_pairs_are_accepted_as_communes():
    communes = {"92050": ("T4", "92"), "92002": ("T2", "Hauts-de-Seine"), "95018": ("T5", "Val-d'Oise")}
    assert route(insee_code="92050", communes=communes, territory=two_zones()).zone.code == "NORD"
    # The département may be given by name as well as by code.
    assert route(insee_code="92002", communes=communes, territory=two_zones()).zone.code == "SUD"
    refused = route(insee_code="95018", communes=communes, territory=two_zones())
    assert refused.reason == (
        "La commune de code INSEE 95018 (Val-d'Oise) n'est pas acceptée pour cette édition : "
        "commune hors du département 92"
    )


# --- Argenteuil -------------------------------------------------------------------------------------


def test_argenteuil_refused_when_the_edition_does_not_accept_it(communes):
    routing = route(insee_code="95018", communes=communes, territory=two_zones())
    assert not routing.eligible
    assert routing.zone is None
    assert routing.ept_code == "T5"
    assert routing.reason == (
        "Argenteuil (95) n'est pas acceptée pour cette édition : commune hors du département 92"
    )


def test_argenteuil_accepted_goes_north_or_to_t5(communes):
    two = route(insee_code="95018", communes=communes, territory=two_zones(accepted_outside={"95018"}))
    assert two.eligible
    assert two.zone.code == "NORD"
    four = route(insee_code="95018", communes=communes, territory=four_zones(accepted_outside={"95018"}))
    assert four.zone.code == "T5"
    assert four.zone.label == "Boucle Nord de Seine"


def test_argenteuil_accepted_but_missing_from_reference(communes_92):
    routing = route(insee_code="95018", communes=communes_92, territory=two_zones(accepted_outside=["95018"]))
    assert not routing.eligible
    assert routing.reason == (
        "Code INSEE 95018 accepté pour cette édition mais absent du référentiel des communes : EPT inconnu"
    )


def test_accepting_argenteuil_does_not_open_other_communes(communes):
    territory = two_zones(accepted_outside={"95018"})
    routing = route(insee_code="94028", communes=communes, territory=territory)
    assert routing.reason == "Commune hors du territoire du concours : Créteil (94)"


# --- Outside the territory ---------------------------------------------------------------------------


def test_val_de_marne_commune_known_to_the_reference_is_refused(communes):
    routing = route(insee_code="94028", communes=communes, territory=four_zones())
    assert not routing.eligible
    assert routing.ept_code == "T11"
    assert routing.reason == "Commune hors du territoire du concours : Créteil (94)"


def test_paris_code_unknown_to_the_reference_is_refused(communes):
    routing = route(insee_code="75056", communes=communes, territory=two_zones())
    assert not routing.eligible
    assert routing.reason == "Commune hors du territoire du concours : code INSEE 75056 (département 75)"


def test_paris_given_as_a_plain_pair_is_refused():
    routing = route(insee_code="75056", communes={"75056": (None, "75")}, territory=two_zones())
    assert routing.reason == "Commune hors du territoire du concours : code INSEE 75056 (75)"


def test_commune_of_the_92_whose_ept_is_not_covered(communes):
    # An edition limited to the south: Nanterre (T4) is in the 92 but outside the edition's territory.
    south_only = Territory(zones=(Zone(code="SUD", label="Sud", ept_codes=("T2", "T3")),))
    routing = route(insee_code="92050", communes=communes, territory=south_only)
    assert routing.reason == (
        "Commune hors du territoire du concours : Nanterre (92), EPT T4 non couvert par cette édition"
    )
    assert route(insee_code="92002", communes=communes, territory=south_only).eligible


def test_commune_without_ept():
    routing = route(insee_code="92050", communes={"92050": (None, "92")}, territory=two_zones())
    assert routing.reason == (
        "Commune hors du territoire du concours : code INSEE 92050 (92), rattachée à aucun EPT"
    )


# --- Postal codes and malformed codes ------------------------------------------------------------------


def test_postal_code_of_nanterre_is_named(communes):
    routing = route(insee_code="92000", communes=communes, territory=two_zones())
    assert not routing.eligible
    assert routing.reason == "« 92000 » est un code postal, pas un code INSEE : Nanterre (code INSEE 92050)"


def test_second_postal_code_of_meudon_is_named(communes):
    routing = route(insee_code="92360", communes=communes, territory=two_zones())
    assert routing.reason == "« 92360 » est un code postal, pas un code INSEE : Meudon (code INSEE 92048)"


def test_postal_code_outside_the_92_is_named_too(communes):
    routing = route(insee_code="95100", communes=communes, territory=two_zones(accepted_outside={"95018"}))
    assert routing.reason == "« 95100 » est un code postal, pas un code INSEE : Argenteuil (code INSEE 95018)"


def test_postal_code_without_postal_data_still_looks_like_one():
    communes = {"92050": ("T4", "92")}
    routing = route(insee_code="92000", communes=communes, territory=two_zones())
    assert routing.reason is not None
    assert routing.reason.startswith("Code INSEE inconnu : « 92000 » ressemble à un code postal")


def test_unknown_code_of_the_92(communes):
    routing = route(insee_code="92099", communes=communes, territory=two_zones())
    assert routing.reason == "Code INSEE inconnu : « 92099 »"


@pytest.mark.parametrize("raw", ["9205", "920500", "92O50", "92 050", "abcde", "-9205", "٩٢٠٥٠"])
def test_malformed_codes_are_refused(raw, communes):
    routing = route(insee_code=raw, communes=communes, territory=two_zones())
    assert not routing.eligible
    assert routing.reason == (
        f"Code INSEE invalide : « {raw} » (5 caractères attendus, par exemple 92050 pour Nanterre)"
    )


@pytest.mark.parametrize("raw", ["", "   "])
def test_missing_code(raw, communes):
    assert route(insee_code=raw, communes=communes, territory=two_zones()).reason == "Code INSEE manquant"


def test_surrounding_spaces_are_ignored(communes):
    assert route(insee_code=" 92050 ", communes=communes, territory=two_zones()).zone.code == "NORD"


def test_corsican_code_does_not_crash(communes):
    assert is_insee_code("2A004")
    routing = route(insee_code="2a004", communes=communes, territory=two_zones())
    assert routing.insee_code == "2A004"
    assert routing.reason == "Commune hors du territoire du concours : code INSEE 2A004 (département 2A)"


def test_non_string_code_does_not_crash(communes):
    routing = route(insee_code=92050, communes=communes, territory=two_zones())  # type: ignore[arg-type]
    assert routing.zone.code == "NORD"


# --- Territory data ---------------------------------------------------------------------------------


def test_standard_layouts_cover_the_four_epts_once():
    for territory in (two_zones(), four_zones()):
        epts = [ept for zone in territory.zones for ept in zone.ept_codes]
        assert sorted(epts) == ["T2", "T3", "T4", "T5"]
    assert [z.code for z in four_zones().zones] == ["T2", "T3", "T4", "T5"]
    assert two_zones().accepted_outside == frozenset()


def test_ept_in_two_zones_is_refused():
    with pytest.raises(ValueError, match="L'EPT T4 est rattaché à deux zones : A et B"):
        Territory(
            zones=(
                Zone(code="A", label="A", ept_codes=("T4",)),
                Zone(code="B", label="B", ept_codes=("T4", "T5")),
            )
        )


def test_duplicate_zone_code_is_refused():
    with pytest.raises(ValueError, match="Zone en double"):
        Territory(
            zones=(Zone(code="A", label="A", ept_codes=("T2",)), Zone(code="A", label="A", ept_codes=("T3",)))
        )


def test_malformed_accepted_outside_is_refused():
    with pytest.raises(ValueError, match="Code INSEE invalide"):
        two_zones(accepted_outside={"95100 Argenteuil"})


def test_commune_index_rejects_duplicates():
    rows = [{"insee_code": "92050", "ept_code": "T4"}, {"insee_code": "92050", "ept_code": "T4"}]
    with pytest.raises(ValueError, match="en double"):
        commune_index(rows)


def test_routing_encodes_to_json(communes):
    routing = route(insee_code="92050", communes=communes, territory=four_zones())
    decoded = msgspec.json.decode(msgspec.json.encode(routing), type=Routing)
    assert decoded == routing
