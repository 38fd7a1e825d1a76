"""Made in 92: the 2024 edition fully decided and the 2025 edition half-way through its semi-finals.

Facts kept from the public material: young companies (< 8 years) of the Hauts-de-Seine, a preselection,
two territorial semi-finals (Nord = EPT T4 + T5, Sud = T2 + T3) and a final where a grand jury gives one
prize per category plus the Prix spécial Made in 92; 2024 was the 9th edition, themed « Entrepreneurs,
décrochez vos médailles ! ». The companies, founders and jurors are invented. Prize amounts are plausible,
not sourced.

Flow (both editions): 40 applications, 8 per category, 20 per zone → preselection by a committee that
reads every file → the best 12 of each zone, the best of every category first → semi-final panels, 4 jurors
per candidate, two bridging jurors sitting on both panels → the best 6 of each panel (again every category
first) → the final, where every member of the grand jury marks every finalist.

Grid: the six criteria below on 0–10 in steps of 1, weighted 20/25/20/15/10/10 (the weights make the
/100 total; the scale is the one jurors tap on the tablet). The same grid serves every category.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal

import msgspec

from jury.demo import build
from jury.demo import people as p
from jury.demo.build import Builder, EditionFacts
from jury.demo.catalogue import COMPANIES
from jury.demo.plan import (
    Assignment,
    Candidate,
    Category,
    Commune,
    Conflict,
    Contest,
    Decision,
    Edition,
    Person,
    Prize,
    Round,
    Zone,
)
from jury.demo.simulate import Comments, assign, at, best_per_category, french_number, standings
from jury.french.ordinal import ordinal

SLUG = "made-in-92"
SPECIAL_PRIZE = "special"

_GRID = (
    (
        "innovation",
        "Innovation",
        20,
        "Caractère nouveau du produit, du service ou du procédé par rapport à ce qui existe déjà.",
    ),
    (
        "modele-economique",
        "Modèle économique et croissance",
        25,
        "Solidité du modèle de revenus, premiers résultats commerciaux, perspectives de croissance.",
    ),
    (
        "emplois-ancrage",
        "Emplois et ancrage local",
        20,
        "Emplois créés ou prévus, implantation et partenaires dans les Hauts-de-Seine.",
    ),
    ("equipe", "Équipe", 15, "Complémentarité, compétences et engagement des fondateurs et de l'équipe."),
    (
        "impact",
        "Impact social et environnemental",
        10,
        "Effets positifs sur la société et l'environnement, sobriété dans l'usage des ressources.",
    ),
    (
        "pitch",
        "Pitch",
        10,
        "Clarté et force de conviction : dossier écrit en présélection, pitch oral en demi-finale et en finale.",
    ),
)

# (code, category name, prize name)
_CATEGORIES = (
    ("transition-energetique", "Transition énergétique", "Prix de la transition énergétique"),
    ("sante-sport-bien-etre", "Santé, sport et bien-être", "Prix santé, sport et bien-être"),
    (
        "gastronomie-culture-tourisme",
        "Gastronomie, culture et tourisme",
        "Prix gastronomie, culture et tourisme",
    ),
    ("innovation-educative", "Innovation éducative", "Prix de l'innovation éducative"),
    ("entrepreneuriat-feminin", "Entrepreneuriat au féminin", "Prix de l'entrepreneuriat au féminin"),
)

COMMENTS = Comments(
    high=(
        "Projet très convaincant, équipe solide et complémentaire.",
        "Excellente connaissance du marché ; la croissance est déjà là.",
        "Pitch clair et percutant, un vrai coup de cœur.",
        "Impact local remarquable, plusieurs embauches dans le 92.",
        "Modèle économique maîtrisé, premiers clients fidèles.",
    ),
    middle=(
        "Bon potentiel, mais le modèle économique reste à consolider.",
        "Idée intéressante ; la concurrence est sous-estimée.",
        "Équipe motivée, prévisionnel un peu optimiste.",
        "Première traction commerciale encourageante, à suivre.",
        "Impact réel mais difficile à mesurer pour l'instant.",
    ),
    low=(
        "Projet encore très en amont, pas de clients payants à ce stade.",
        "Dossier incomplet sur le financement.",
        "Pitch confus : la proposition de valeur n'est pas claire.",
        "Peu d'ancrage local pour le moment.",
    ),
)

ZONES = (
    Zone(code="nord", label="Nord", ept_codes=("T4", "T5")),
    Zone(code="sud", label="Sud", ept_codes=("T2", "T3")),
)
PRESELECTION, SEMI_FINAL, FINAL = 1, 2, 3
PRESELECTION_PANEL = "Comité de présélection"
FINAL_PANEL = "Grand jury"
PANEL_OF_ZONE = {"nord": "Demi-finale Nord", "sud": "Demi-finale Sud"}
PER_ZONE_TO_SEMI, PER_PANEL_TO_FINAL, JURORS_PER_CANDIDATE, BRIDGE_QUOTA = 12, 6, 4, 8
BASED_ON = "Moyenne des totaux pondérés /100 des grilles soumises"
ARGENTEUIL = "95018"
"""In EPT Boucle Nord de Seine though in the Val-d'Oise; a 2024 finalist came from it, so editions admit it."""


class _Jury(msgspec.Struct, frozen=True, kw_only=True):
    """Who sits where in one edition; the first of each tuple chairs its panel."""

    preselection: tuple[Person, ...]
    nord: tuple[Person, ...]
    sud: tuple[Person, ...]
    bridges: tuple[Person, ...]
    final: tuple[Person, ...]
    harsh_zone: str
    """The zone whose own jurors mark lower: what territorial calibration must find."""
    conflicts: tuple[tuple[Person, str, str], ...]
    """(juror, zone, reason): the juror knows one semi-finalist of that zone."""

    def own(self, zone: str) -> tuple[Person, ...]:
        return self.nord if zone == "nord" else self.sud


def _categories() -> tuple[Category, ...]:
    criteria = build.grid(_GRID, step=Decimal(1), scale_max=Decimal(10))
    return tuple(
        Category(code=code, name=name, position=i, criteria=criteria)
        for i, (code, name, _) in enumerate(_CATEGORIES, start=1)
    )


def _prizes() -> tuple[Prize, ...]:
    prizes = [
        Prize(code=code, name=prize, kind="category", category=code, amount_eur=10_000, position=i)
        for i, (code, _, prize) in enumerate(_CATEGORIES, start=1)
    ]
    prizes.append(
        Prize(
            code=SPECIAL_PRIZE,
            name="Prix spécial Made in 92",
            kind="special",
            amount_eur=15_000,
            position=len(prizes) + 1,
        )
    )
    return tuple(prizes)


def _candidates(
    rng: random.Random, *, parity: int, communes: Sequence[Commune], closes_on: dt.date
) -> tuple[list[Candidate], dict[str, str]]:
    """8 companies per category, 4 in each zone, communes dealt from a shuffled deck so all get some."""
    names = p.NamePool(rng)
    decks: dict[str, list[Commune]] = {}
    zone_of: dict[str, str] = {}
    candidates = []
    for code, _, _ in _CATEGORIES:
        for i, (company, summary) in enumerate(COMPANIES[code][parity::2]):
            zone = ZONES[i % 2]
            deck = decks.setdefault(zone.code, [])
            if not deck:
                deck.extend(c for c in communes if c.ept_code in zone.ept_codes)
                rng.shuffle(deck)
            commune = deck.pop()
            founder = names.draw(female=True if code == "entrepreneuriat-feminin" else None)
            key = f"{code}-{i + 1}"
            zone_of[key] = zone.code
            candidates.append(
                Candidate(
                    key=key,
                    kind="company",
                    organisation_name=company,
                    person_name=founder,
                    email=p.email_for(founder),
                    phone=p.fictional_phone(rng),
                    insee_code=commune.insee_code,
                    commune_label=commune.name,
                    legal_form=rng.choices(("SAS", "SASU", "SARL", "EURL"), weights=(5, 3, 2, 1))[0],
                    founded_on=closes_on - dt.timedelta(days=rng.randint(150, 8 * 365 - 60)),
                    category=code,
                    summary=summary,
                )
            )
    return candidates, zone_of


def make_edition(facts: EditionFacts, jury: _Jury, *, seed: int, communes: Sequence[Commune]) -> Edition:
    rng = facts.rng(seed)
    dates = facts.dates
    candidates, zone_of = _candidates(
        rng, parity=(facts.year - 2024) % 2, communes=communes, closes_on=dates["closes"]
    )
    roster = (*jury.preselection, *jury.nord, *jury.sud, *jury.bridges, *jury.final)
    semi_status = "closed" if facts.decided else "open"
    edition = build.edition(
        facts,
        decision_day="final",
        accepted_outside_insee=(ARGENTEUIL,),
        max_company_age_years=8,
        signatories=(p.PRESIDENT_DEPARTEMENT, p.PRESIDENT_CCI),
        zones=ZONES,
        categories=_categories(),
        prizes=_prizes(),
        people=sorted({x.email: x for x in roster}.values(), key=lambda x: x.email),
        candidates=candidates,
        rounds=[
            Round(
                kind="preselection",
                name="Présélection",
                position=PRESELECTION,
                status="closed",
                scheduled_on=dates["preselection"],
                advance_count=2 * PER_ZONE_TO_SEMI,
                panels=(build.panel(PRESELECTION_PANEL, jury.preselection, venue="CCI Hauts-de-Seine"),),
            ),
            Round(
                kind="semi_final",
                name="Demi-finales",
                position=SEMI_FINAL,
                status=semi_status,
                scheduled_on=dates["nord"],
                advance_count=2 * PER_PANEL_TO_FINAL,
                panels=tuple(
                    build.panel(PANEL_OF_ZONE[z], (*jury.own(z), *jury.bridges), zone=z, venue=venue)
                    for z, venue in (("nord", "Gennevilliers"), ("sud", "Issy-les-Moulineaux"))
                ),
            ),
            Round(
                kind="final",
                name="Finale",
                position=FINAL,
                status="closed" if facts.decided else "draft",
                scheduled_on=dates["final"],
                panels=(build.panel(FINAL_PANEL, jury.final, venue="Boulogne-Billancourt"),),
            ),
        ],
    )
    everyone = {x.email for x in roster}
    harsh = {x.email for x in jury.own(jury.harsh_zone)}
    b = Builder(
        edition, rng=rng, comments=COMMENTS, jurors=[(sorted(everyone - harsh), 0.0), (sorted(harsh), -0.07)]
    )
    semi_finalists = _preselection(b, jury=jury, zone_of=zone_of, day=dates["preselection"])
    _semi_finals(b, jury=jury, zone_of=zone_of, semi_finalists=semi_finalists, facts=facts)
    if facts.decided:
        finalists = _semi_final_results(b, jury=jury, dates=dates)
        _final(b, jury=jury, finalists=finalists, day=dates["final"])
    return edition


def _preselection(b: Builder, *, jury: _Jury, zone_of: dict[str, str], day: dt.date) -> set[str]:
    """The committee reads every file; the best of each zone go on, the best of every category first."""
    pairs = build.pairs(
        round=PRESELECTION,
        panel=PRESELECTION_PANEL,
        jurors=[j.email for j in jury.preselection],
        candidates=[c.key for c in b.edition.candidates],
    )
    b.assign(pairs)
    ranked = standings(b.score(round=PRESELECTION, pairs=pairs, start=at(day, 9)), b.category_of)
    semi_finalists: set[str] = set()
    for zone in ZONES:
        in_zone = [(k, v) for k, v in ranked if zone_of[k] == zone.code]
        chosen = best_per_category(in_zone, category=_category_codes(b), count=PER_ZONE_TO_SEMI)
        semi_finalists |= chosen
        for rank, (key, score) in enumerate(in_zone, start=1):
            advanced = key in chosen
            reason = (
                f"{'Retenu' if advanced else 'Non retenu'} : classé {ordinal(rank)} "
                f"de la zone {zone.label} en présélection ({french_number(score)}/100)"
            )
            b.rule(
                Decision(
                    key=f"pre-{key}",
                    candidate=key,
                    round=PRESELECTION,
                    kind="advance" if advanced else "eliminate",
                    reason=reason,
                    based_on=BASED_ON,
                    decided_by=jury.preselection[0].email,
                    at=at(day, 18),
                ),
                status="advanced" if advanced else "eliminated",
                panel=PRESELECTION_PANEL,
            )
    return semi_finalists


def _semi_finals(
    b: Builder, *, jury: _Jury, zone_of: dict[str, str], semi_finalists: set[str], facts: EditionFacts
) -> None:
    """k jurors per candidate within its panel, the bridging jurors on both panels; in a current edition
    scoring is under way: about half the sheets are in, a few are drafts."""
    decided, dates = facts.decided, facts.dates
    semi_pairs: list[Assignment] = []
    conflicts: set[tuple[str, str]] = set()
    for zone in ZONES:
        name = PANEL_OF_ZONE[zone.code]
        keys = sorted(k for k in semi_finalists if zone_of[k] == zone.code)
        for juror, conflict_zone, reason in jury.conflicts:
            if conflict_zone == zone.code:
                candidate = b.rng.choice(keys)
                conflicts.add((juror.email, candidate))
                b.edition.conflicts.append(
                    Conflict(
                        round=SEMI_FINAL,
                        person=juror.email,
                        candidate=candidate,
                        has_conflict=True,
                        reason=reason,
                        at=at(dates[zone.code], 8, minute=30),
                    )
                )
        plan = assign(
            b.rng,
            candidates=keys,
            jurors=[j.email for j in (*jury.own(zone.code), *jury.bridges)],
            k=JURORS_PER_CANDIDATE,
            bridges=[x.email for x in jury.bridges],
            bridge_quota=BRIDGE_QUOTA,
            conflicts=conflicts,
        )
        semi_pairs += [Assignment(round=SEMI_FINAL, panel=name, person=j, candidate=c) for j, c in plan]
        b.pending(keys, round=SEMI_FINAL, panel=name, at=at(dates["preselection"], 18))
    b.assign(semi_pairs)
    for zone in ZONES:
        zone_pairs = [a for a in semi_pairs if a.panel == PANEL_OF_ZONE[zone.code]]
        half = len(zone_pairs) // 2
        if not decided:
            b.rng.shuffle(zone_pairs)
        b.score(
            round=SEMI_FINAL,
            pairs=zone_pairs,
            start=at(dates[zone.code], 14),
            submitted=(lambda _: True) if decided else (lambda i, half=half: i < half),
            drafts=0 if decided else 3,
        )


def _semi_final_results(b: Builder, *, jury: _Jury, dates: Mapping[str, dt.date]) -> set[str]:
    """The best of each panel go to the final, again the best of every category first."""
    finalists: set[str] = set()
    for zone in ZONES:
        name = PANEL_OF_ZONE[zone.code]
        sheets = [s for s in b.edition.sheets if s.round == SEMI_FINAL and s.panel == name]
        in_panel = standings(sheets, b.category_of)
        chosen = best_per_category(in_panel, category=_category_codes(b), count=PER_PANEL_TO_FINAL)
        finalists |= chosen
        for rank, (key, score) in enumerate(in_panel, start=1):
            advanced = key in chosen
            reason = (
                f"{'Qualifié pour la finale' if advanced else 'Non qualifié'} : classé {ordinal(rank)} "
                f"de la demi-finale {zone.label} ({french_number(score)}/100)"
            )
            b.rule(
                Decision(
                    key=f"semi-{key}",
                    candidate=key,
                    round=SEMI_FINAL,
                    kind="advance" if advanced else "eliminate",
                    reason=reason,
                    based_on=BASED_ON,
                    decided_by=jury.own(zone.code)[0].email,
                    at=at(dates[zone.code], 19),
                ),
                status="advanced" if advanced else "eliminated",
                panel=name,
            )
    return finalists


def _final(b: Builder, *, jury: _Jury, finalists: set[str], day: dt.date) -> None:
    """The grand jury marks every finalist; one prize per category, then the Prix spécial."""
    pairs = build.pairs(
        round=FINAL, panel=FINAL_PANEL, jurors=[j.email for j in jury.final], candidates=sorted(finalists)
    )
    b.assign(pairs)
    ranked = standings(b.score(round=FINAL, pairs=pairs, start=at(day, 18)), b.category_of)
    category = _category_codes(b)
    winners: dict[str, str] = {}
    for prize in b.edition.prizes:
        pool = [
            (k, v)
            for k, v in ranked
            if k not in winners.values() and (prize.category is None or category[k] == prize.category)
        ]
        key, score = pool[0]
        winners[prize.code] = key
        reason = (
            f"{prize.name} : meilleur total de sa catégorie en finale ({french_number(score)}/100)"
            if prize.category
            else f"{prize.name} : meilleur finaliste non encore primé ({french_number(score)}/100)"
        )
        decision = Decision(
            key=f"award-{prize.code}",
            candidate=key,
            round=FINAL,
            kind="award",
            reason=reason,
            based_on=BASED_ON,
            decided_by=jury.final[0].email,
            at=at(day, 21),
        )
        b.decide(decision)
        b.award(decision, prize=prize.code, decided_on=day)
    prize_of = {k: code for code, k in winners.items()}
    names = {x.code: x.name for x in b.edition.prizes}
    for k in sorted(finalists):
        b.enter(
            candidate=k,
            round=FINAL,
            panel=FINAL_PANEL,
            at=at(day, 21),
            status="laureate" if k in prize_of else "eliminated",
            reason=names[prize_of[k]] if k in prize_of else "Finaliste, non primé",
        )


def _category_codes(b: Builder) -> dict[str, str]:
    return {key: category.code for key, category in b.category_of.items()}


EDITIONS = (
    (
        EditionFacts(
            slug="made-in-92-2024",
            number=9,
            year=2024,
            theme="Entrepreneurs, décrochez vos médailles !",
            decided=True,
            dates={
                "opens": dt.date(2023, 11, 6),
                "closes": dt.date(2024, 1, 31),
                "preselection": dt.date(2024, 2, 22),
                "nord": dt.date(2024, 5, 16),
                "sud": dt.date(2024, 6, 13),
                "final": dt.date(2024, 7, 4),
            },
        ),
        _Jury(
            preselection=(p.FRANCOIS_LAMBERT, p.ELODIE_BESSON, p.ISABELLE_KOWALSKI, p.SAMIR_OUALI),
            nord=(p.SOPHIE_MARCHAND, p.KARIM_BENALI, p.HELENE_ROUSSEAU, p.NADIA_HADDAD, p.JULIEN_MOREAU),
            sud=(p.PIERRE_ANTOINE_GIRARD, p.CAMILLE_NGUYEN, p.AICHA_DIALLO, p.MARC_DUBOIS, p.LAURE_FONTAINE),
            bridges=(p.THOMAS_LEFEBVRE, p.FRANCOIS_LAMBERT),
            final=(
                p.ANTOINE_MERCIER,
                p.SOPHIE_MARCHAND,
                p.PIERRE_ANTOINE_GIRARD,
                p.ISABELLE_KOWALSKI,
                p.YANNICK_LE_GOFF,
            ),
            harsh_zone="sud",
            conflicts=(
                (p.KARIM_BENALI, "nord", "Je suis le chargé d'affaires de l'entreprise dans ma banque."),
                (p.CAMILLE_NGUYEN, "sud", "J'ai conseillé la fondatrice lors de la création de la société."),
            ),
        ),
    ),
    (
        EditionFacts(
            slug="made-in-92-2025",
            number=10,
            year=2025,
            theme="Dix ans d'entrepreneurs alto-séquanais",
            decided=False,
            dates={
                "opens": dt.date(2024, 11, 4),
                "closes": dt.date(2025, 1, 31),
                "preselection": dt.date(2025, 2, 20),
                "nord": dt.date(2025, 5, 15),
                "sud": dt.date(2025, 6, 12),
                "final": dt.date(2025, 7, 3),
            },
        ),
        _Jury(
            preselection=(p.FRANCOIS_LAMBERT, p.ISABELLE_KOWALSKI, p.VALERIE_CHEVALIER, p.MANON_ROCHE),
            nord=(p.NADIA_HADDAD, p.KARIM_BENALI, p.JULIEN_MOREAU, p.SAMIR_OUALI, p.GREGORY_PETIT),
            sud=(p.CAMILLE_NGUYEN, p.AICHA_DIALLO, p.MARC_DUBOIS, p.LAURE_FONTAINE, p.HELENE_ROUSSEAU),
            bridges=(p.THOMAS_LEFEBVRE, p.ELODIE_BESSON),
            final=(
                p.SOPHIE_MARCHAND,
                p.ANTOINE_MERCIER,
                p.PIERRE_ANTOINE_GIRARD,
                p.YANNICK_LE_GOFF,
                p.VALERIE_CHEVALIER,
            ),
            harsh_zone="nord",
            conflicts=((p.JULIEN_MOREAU, "nord", "Mon employeur est client de cette société."),),
        ),
    ),
)


CONTEST = Contest(
    slug=SLUG,
    name="Made in 92",
    organisers="CCI Hauts-de-Seine et Département des Hauts-de-Seine",
    candidate_kind="company",
    description=(
        "Concours des jeunes entreprises (moins de huit ans) des Hauts-de-Seine : présélection, "
        "demi-finales territoriales Nord et Sud avec pitch, puis grande finale où le grand jury remet "
        "un prix par catégorie et le Prix spécial Made in 92."
    ),
    organiser_people=(p.ORGANISER_MADE_IN_92,),
    editions=(),
)
