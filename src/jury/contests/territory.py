"""Routing of a candidate to a territorial zone: INSEE commune → EPT → zone of the edition.

The territory is data of each edition (two semi-finals one year, four territorial stages another; Argenteuil
accepted or not), so nothing here knows a particular edition: callers pass the communes and the territory in.
We always key on the INSEE code, never on the postal code: they differ (Nanterre is INSEE 92050 but
postal code 92000) and postal codes do not identify a commune reliably (CEDEX codes, shared codes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import msgspec

__all__ = [
    "EPT_NAMES",
    "Commune",
    "Routing",
    "Territory",
    "Zone",
    "commune_index",
    "four_zones",
    "is_insee_code",
    "route",
    "two_zones",
]

# The four EPTs of the Hauts-de-Seine with their customary Métropole du Grand Paris numbering. They are
# geography, not edition settings, and the standard layouts below need their names.
EPT_NAMES: Mapping[str, str] = {
    "T2": "Vallée Sud - Grand Paris",
    "T3": "Grand Paris Seine Ouest",
    "T4": "Paris Ouest La Défense",
    "T5": "Boucle Nord de Seine",
}

# Five ASCII digits (\d would also take Arabic-Indic digits) or Corsica's 2A/2B + three digits:
# well-formed even if we never route them.
_INSEE_RE = re.compile(r"(?:[0-9]{5}|2[AB][0-9]{3})")


class Zone(msgspec.Struct, frozen=True, kw_only=True):
    """One semi-final or territorial stage; its EPTs decide which candidates it receives."""

    code: str
    label: str
    ept_codes: tuple[str, ...]


class Territory(msgspec.Struct, frozen=True, kw_only=True):
    """The territory of one edition.

    ``accepted_outside`` lists the INSEE codes of communes outside the home département that the edition
    admits anyway (Argenteuil, 95018, belongs to EPT T5 Boucle Nord de Seine and some editions take it).
    ``departement`` and ``departement_name`` both identify the home département because the communes
    reference may carry either the code or the name.
    """

    zones: tuple[Zone, ...]
    accepted_outside: frozenset[str] = frozenset()
    departement: str = "92"
    departement_name: str = "Hauts-de-Seine"

    def __post_init__(self) -> None:
        # An EPT in two zones would make routing depend on zone order: refuse the layout instead.
        seen_zones: set[str] = set()
        owner: dict[str, str] = {}
        for zone in self.zones:
            if zone.code in seen_zones:
                raise ValueError(f"Zone en double dans le territoire : {zone.code}")
            seen_zones.add(zone.code)
            for ept in zone.ept_codes:
                if ept in owner:
                    raise ValueError(f"L'EPT {ept} est rattaché à deux zones : {owner[ept]} et {zone.code}")
                owner[ept] = zone.code
        for code in self.accepted_outside:
            if not is_insee_code(code):
                raise ValueError(
                    f"Code INSEE invalide dans les communes acceptées hors département : {code!r}"
                )

    def zone_of_ept(self, ept_code: str | None) -> Zone | None:
        if ept_code is None:
            return None
        for zone in self.zones:
            if ept_code in zone.ept_codes:
                return zone
        return None


class Commune(msgspec.Struct, frozen=True, kw_only=True):
    """What routing needs to know about a commune; name and postal codes only sharpen the messages."""

    ept_code: str | None
    departement: str
    name: str | None = None
    postal_codes: tuple[str, ...] = ()


class Routing(msgspec.Struct, frozen=True, kw_only=True):
    """Outcome of routing: a zone, or a French reason fit to show to the organiser and the candidate."""

    insee_code: str
    zone: Zone | None = None
    ept_code: str | None = None
    reason: str | None = None

    @property
    def eligible(self) -> bool:
        return self.zone is not None


def is_insee_code(value: str) -> bool:
    """Shape check only: a well-formed code may still name no commune."""
    return isinstance(value, str) and _INSEE_RE.fullmatch(value) is not None


def two_zones(*, accepted_outside: Iterable[str] = ()) -> Territory:
    """North/south split used when there are two semi-finals.

    North = T4 + T5 and south = T2 + T3 is the arrondissement split (Nanterre vs Antony + Boulogne); the
    organisers have not published their own mapping, so this is the default an edition can replace.
    """
    return Territory(
        zones=(
            Zone(code="NORD", label="Nord", ept_codes=("T4", "T5")),
            Zone(code="SUD", label="Sud", ept_codes=("T2", "T3")),
        ),
        accepted_outside=frozenset(accepted_outside),
    )


def four_zones(*, accepted_outside: Iterable[str] = ()) -> Territory:
    """One territorial stage per EPT, as in the years with four stages."""
    return Territory(
        zones=tuple(Zone(code=code, label=name, ept_codes=(code,)) for code, name in EPT_NAMES.items()),
        accepted_outside=frozenset(accepted_outside),
    )


def commune_index(rows: Iterable[Mapping[str, str]]) -> dict[str, Commune]:
    """Build the ``communes`` argument of :func:`route` from rows shaped like ``communes_92.csv``.

    The reference file has no département column, so when a row lacks ``departement`` it is taken from the
    INSEE code (three characters for the overseas départements, two otherwise).
    """
    index: dict[str, Commune] = {}
    for row in rows:
        code = row["insee_code"].strip().upper()
        if not is_insee_code(code):
            raise ValueError(f"Code INSEE invalide dans le référentiel des communes : {code!r}")
        if code in index:
            raise ValueError(f"Code INSEE en double dans le référentiel des communes : {code}")
        departement = (row.get("departement") or "").strip() or _departement_of(code)
        postal = tuple(p.strip() for p in (row.get("postal_codes") or "").split(";") if p.strip())
        index[code] = Commune(
            ept_code=(row.get("ept_code") or "").strip() or None,
            departement=departement,
            name=(row.get("name") or "").strip() or None,
            postal_codes=postal,
        )
    return index


def route(
    *,
    insee_code: str,
    communes: Mapping[str, Commune | tuple[str | None, str]],
    territory: Territory,
) -> Routing:
    """Find the zone of a candidate's commune, or say precisely why the candidate is not eligible.

    ``communes`` maps an INSEE code to a :class:`Commune` or to a plain ``(EPT code, département)`` pair.
    It must contain the accepted communes outside the département too (Argenteuil with EPT T5), since
    their EPT cannot be guessed.
    """
    raw = insee_code if isinstance(insee_code, str) else str(insee_code)
    code = raw.strip().upper()
    if not code:
        return Routing(insee_code=code, reason="Code INSEE manquant")
    if not is_insee_code(code):
        return Routing(
            insee_code=code,
            reason=f"Code INSEE invalide : « {raw.strip()} » "
            "(5 caractères attendus, par exemple 92050 pour Nanterre)",
        )

    entry = communes.get(code)
    if entry is None:
        return Routing(
            insee_code=code, reason=_unknown_code_reason(code, communes=communes, territory=territory)
        )
    commune = _as_commune(entry)
    where = _describe(code, commune)
    zone = territory.zone_of_ept(commune.ept_code)
    at_home = commune.departement.strip() in {territory.departement, territory.departement_name}

    if not at_home and code not in territory.accepted_outside:
        if zone is not None:
            # Same EPT as our communes (Argenteuil in T5): the edition's choice, not geography, excludes it.
            subject = where if commune.name else f"La commune de {where}"
            return Routing(
                insee_code=code,
                ept_code=commune.ept_code,
                reason=f"{subject} n'est pas acceptée pour cette édition : commune hors du département "
                f"{territory.departement}",
            )
        return Routing(
            insee_code=code,
            ept_code=commune.ept_code,
            reason=f"Commune hors du territoire du concours : {where}",
        )
    if zone is None:
        detail = (
            "rattachée à aucun EPT"
            if commune.ept_code is None
            else f"EPT {commune.ept_code} non couvert par cette édition"
        )
        return Routing(
            insee_code=code,
            ept_code=commune.ept_code,
            reason=f"Commune hors du territoire du concours : {where}, {detail}",
        )
    return Routing(insee_code=code, zone=zone, ept_code=commune.ept_code)


def _as_commune(entry: Commune | tuple[str | None, str]) -> Commune:
    if isinstance(entry, Commune):
        return entry
    ept_code, departement = entry
    return Commune(ept_code=ept_code, departement=departement)


def _describe(code: str, commune: Commune) -> str:
    if commune.name:
        return f"{commune.name} ({commune.departement})"
    return f"code INSEE {code} ({commune.departement})"


def _departement_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def _unknown_code_reason(
    code: str,
    *,
    communes: Mapping[str, Commune | tuple[str | None, str]],
    territory: Territory,
) -> str:
    # A postal code is the most common mistake on application forms: name the commune when we can.
    owners = [
        (insee, entry)
        for insee, entry in communes.items()
        if isinstance(entry, Commune) and code in entry.postal_codes
    ]
    if owners:
        hints = ", ".join(f"{c.name or insee} (code INSEE {insee})" for insee, c in sorted(owners))
        return f"« {code} » est un code postal, pas un code INSEE : {hints}"
    if code in territory.accepted_outside:
        return (
            f"Code INSEE {code} accepté pour cette édition mais absent du référentiel des communes : "
            "EPT inconnu"
        )
    departement = _departement_of(code)
    if departement != territory.departement:
        return f"Commune hors du territoire du concours : code INSEE {code} (département {departement})"
    if code.endswith("0"):
        # Postal codes of the 92 all end in 0 (92000 … 92800) while most INSEE codes do not.
        return (
            f"Code INSEE inconnu : « {code} » ressemble à un code postal ; indiquer le code INSEE de la "
            "commune (par exemple 92050 pour Nanterre, dont le code postal est 92000)"
        )
    return f"Code INSEE inconnu : « {code} »"
