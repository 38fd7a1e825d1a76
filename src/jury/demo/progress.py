"""Progr'ESS: the decided 2023 call for projects (2nd edition) and the 2024 one (3rd) in committee.

Facts kept from the public material: the Département's call for social and solidarity economy projects,
100 000 € per edition and at most 15 000 € per project; 2nd edition « Développement durable et finance
solidaire » (launched October 2023, closing 31 December 2023), 3rd « L'inclusion pour un territoire plus
solidaire » (launched November 2024). Eligible legal forms change per edition: associations, foundations,
mutuals, ESAT, SIAE, ESUS-approved structures and PTCE for the 2nd; associations and ESUS-approved
structures only for the 3rd. The organisations, projects, amounts and committee members are invented.

Grid, /100: each criterion is marked from 0 to its number of points (step 1) and weighs those points, so
the total on the tablet is simply the sum of the marks. Eligibility is a pass/fail round before it, using
the same rule as the app (`jury.contests.eligibility.check_eligibility`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import msgspec

from jury.contests.eligibility import check_eligibility
from jury.demo import build
from jury.demo import people as p
from jury.demo.build import Builder, EditionFacts
from jury.demo.catalogue import PROJECTS_2023, PROJECTS_2024
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
)
from jury.demo.simulate import Comments, assign, at, french_number, standings
from jury.french.money import euros
from jury.french.ordinal import ordinal

SLUG = "progress"
ELIGIBILITY, COMMITTEE = 1, 2
PANEL = "Comité de sélection"
BUDGET_EUR, MAX_GRANT_EUR = 100_000, 15_000
PASS_MARK = 50.0
"""Below this total the committee funds nothing, even with money left: a weak project is not a laureate."""
MIN_PARTIAL_EUR = 5_000
"""A partial grant below this would not let the project start; the committee then skips to the next."""
JURORS_PER_CANDIDATE = 4

_GRID = (
    (
        "utilite-sociale",
        "Utilité sociale",
        25,
        "Réponse aux besoins des publics fragiles, création de lien social (loi n° 2014-856, article 2).",
    ),
    (
        "ancrage-local",
        "Ancrage local",
        20,
        "Implantation dans les Hauts-de-Seine, partenariats locaux, participation des habitants.",
    ),
    (
        "viabilite",
        "Viabilité économique",
        20,
        "Budget réaliste, hybridation des ressources, pérennité au-delà de la subvention.",
    ),
    ("innovation", "Innovation", 15, "Caractère innovant du produit, du service ou de la démarche."),
    (
        "environnement",
        "Impact environnemental",
        10,
        "Sobriété, réemploi, réduction des déchets et de l'empreinte carbone.",
    ),
    (
        "gouvernance",
        "Gouvernance",
        10,
        "Gouvernance démocratique ou participative, capacité du porteur à mener le projet.",
    ),
)
CATEGORY = Category(
    code="projet-ess", name="Projet ESS", position=1, criteria=build.grid(_GRID, step=Decimal(1))
)
LAUREATE = Prize(
    code="laureat",
    name="Lauréat Progr'ESS",
    kind="laureate",
    category="projet-ess",
    max_winners=None,
    position=1,
)

COMMENTS = Comments(
    high=(
        "Projet très utile et bien ancré dans le quartier.",
        "Budget réaliste, cofinancements déjà sécurisés.",
        "Porteurs expérimentés, partenariats solides.",
    ),
    middle=(
        "Intéressant, mais le public visé reste à préciser.",
        "Modèle économique fragile après la subvention.",
        "Bon projet ; l'impact environnemental est peu documenté.",
    ),
    low=(
        "Le lien avec l'économie sociale et solidaire est ténu.",
        "Budget peu détaillé.",
        "Gouvernance à clarifier.",
    ),
)


def _allocate(ranked: Sequence[tuple[str, float]], requested: dict[str, int]) -> dict[str, tuple[int, str]]:
    """The committee's split: in standing order, full requests while they fit, one partial grant when the
    rest still lets a project start, then smaller requests further down; nothing below the pass mark."""
    remaining = BUDGET_EUR
    outcome: dict[str, tuple[int, str]] = {}
    for rank, (key, score) in enumerate(ranked, start=1):
        asked = min(requested[key], MAX_GRANT_EUR)
        where = f"classé {ordinal(rank)} ({french_number(score)}/100)"
        if score < PASS_MARK:
            outcome[key] = (0, f"Non retenu : {where}, sous le seuil de {french_number(PASS_MARK, 0)}/100")
        elif asked <= remaining:
            remaining -= asked
            outcome[key] = (asked, f"Lauréat : {where} ; subvention de {euros(asked)}, montant demandé")
        elif remaining >= MIN_PARTIAL_EUR:
            granted = remaining - remaining % 500
            remaining -= granted
            outcome[key] = (
                granted,
                f"Lauréat : {where} ; subvention de {euros(granted)} sur "
                f"{euros(asked)} demandés, reliquat de l'enveloppe",
            )
        else:
            outcome[key] = (0, f"Non retenu : {where}, enveloppe de {euros(BUDGET_EUR)} épuisée")
    return outcome


class _Call(msgspec.Struct, frozen=True, kw_only=True):
    """What one call for projects is about beyond its dates: who applies, who may, who judges."""

    projects: Sequence[tuple[str, str, str, str]]
    """(organisation, legal form, project title, summary)"""
    eligible_forms: tuple[str, ...]
    committee: tuple[Person, ...]
    """The first member chairs."""
    conflict: tuple[Person, str, str]
    """(member, organisation, reason): a member who declares a conflict with one project."""


def make_edition(facts: EditionFacts, call: _Call, *, seed: int, communes: Sequence[Commune]) -> Edition:
    rng = facts.rng(seed)
    dates = facts.dates
    names = p.NamePool(rng)
    candidates = []
    for i, (organisation, form, title, summary) in enumerate(call.projects):
        contact = names.draw()
        commune = rng.choice(communes)
        candidates.append(
            Candidate(
                key=f"projet-{i + 1}",
                kind="organisation",
                organisation_name=organisation,
                person_name=contact,
                email=p.email_for(contact, "exemple.org"),
                phone=p.fictional_phone(rng),
                insee_code=commune.insee_code,
                commune_label=commune.name,
                legal_form=form,
                founded_on=dates["closes"] - dt.timedelta(days=rng.randint(300, 20 * 365)),
                requested_eur=rng.randrange(3_000, MAX_GRANT_EUR + 1, 500),
                category=CATEGORY.code,
                project_title=title,
                summary=summary,
            )
        )
    committee_round = Round(
        kind="committee",
        name="Comité de sélection",
        position=COMMITTEE,
        status="closed" if facts.decided else "open",
        scheduled_on=dates["committee"],
        panels=(build.panel(PANEL, call.committee, venue="Hôtel du Département, Nanterre"),),
    )
    edition = build.edition(
        facts,
        decision_day="committee",
        budget_eur=BUDGET_EUR,
        max_grant_eur=MAX_GRANT_EUR,
        eligible_legal_forms=call.eligible_forms,
        signatories=(p.PRESIDENT_DEPARTEMENT,),
        categories=(CATEGORY,),
        prizes=(LAUREATE,),
        people=list(call.committee),
        candidates=candidates,
        rounds=[
            Round(
                kind="eligibility",
                name="Éligibilité",
                position=ELIGIBILITY,
                status="closed",
                scheduled_on=dates["eligibility"],
            ),
            committee_round,
        ],
    )
    b = Builder(edition, rng=rng, comments=COMMENTS, jurors=[([x.email for x in call.committee], 0.0)])
    eligible = _eligibility(b, call=call, communes=communes, day=dates["eligibility"])
    _committee(b, call=call, eligible=eligible, facts=facts)
    return edition


def _eligibility(b: Builder, *, call: _Call, communes: Sequence[Commune], day: dt.date) -> list[str]:
    """The pass/fail check the app makes (`check_eligibility`); only an ineligible project gets a
    decision, the others simply go on to the committee."""
    communes_92 = {c.insee_code for c in communes}
    eligible = []
    checked = at(day, 17)
    for c in b.edition.candidates:
        verdict = check_eligibility(
            legal_form=c.legal_form,
            allowed_forms=call.eligible_forms,
            seat_insee=c.insee_code or "",
            communes_92=communes_92,
            requested=c.requested_eur or 0,
            max_grant=MAX_GRANT_EUR,
        )
        if verdict.eligible:
            eligible.append(c.key)
            b.enter(
                candidate=c.key,
                round=ELIGIBILITY,
                status="eligible",
                at=checked,
                reason="Forme juridique, siège et montant demandé conformes",
            )
        else:
            decision = Decision(
                key=f"eligibilite-{c.key}",
                candidate=c.key,
                round=ELIGIBILITY,
                kind="ineligible",
                reason=" ; ".join(f.message for f in verdict.failures),
                at=checked,
                based_on="Règlement de l'appel à projets",
                decided_by=call.committee[0].email,
            )
            b.rule(decision, status="ineligible")
    return eligible


def _committee(b: Builder, *, call: _Call, eligible: list[str], facts: EditionFacts) -> None:
    """Each eligible project is read by four members; a current edition is half-way through its sheets,
    a decided one funds by standing within the budget (`_allocate`)."""
    dates = facts.dates
    juror, organisation, reason = call.conflict
    conflicted = next(c.key for c in b.edition.candidates if c.organisation_name == organisation)
    b.edition.conflicts.append(
        Conflict(
            round=COMMITTEE,
            person=juror.email,
            candidate=conflicted,
            has_conflict=True,
            reason=reason,
            at=at(dates["eligibility"], 18),
        )
    )
    plan = assign(
        b.rng,
        candidates=eligible,
        jurors=[m.email for m in call.committee],
        k=JURORS_PER_CANDIDATE,
        conflicts={(juror.email, conflicted)},
    )
    pairs = [Assignment(round=COMMITTEE, panel=PANEL, person=j, candidate=c) for j, c in plan]
    b.assign(pairs)
    if not facts.decided:
        b.rng.shuffle(pairs)
    half = len(pairs) // 2
    sheets = b.score(
        round=COMMITTEE,
        pairs=pairs,
        start=at(dates["committee"] - dt.timedelta(days=14), 9),
        submitted=(lambda _: True) if facts.decided else (lambda i: i < half),
        drafts=0 if facts.decided else 4,
        comment_rate=0.4,
    )
    if not facts.decided:
        b.pending(eligible, round=COMMITTEE, panel=PANEL, at=at(dates["eligibility"], 17))
        return

    requested = {c.key: c.requested_eur or 0 for c in b.edition.candidates}
    moment = at(dates["committee"], 17)
    for key, (granted, reason) in _allocate(standings(sheets, b.category_of), requested).items():
        decision = Decision(
            key=f"comite-{key}",
            candidate=key,
            round=COMMITTEE,
            reason=reason,
            kind="laureate" if granted else "eliminate",
            at=moment,
            based_on="Moyenne des grilles /100 et enveloppe de l'édition",
            decided_by=call.committee[0].email,
        )
        b.rule(decision, status="laureate" if granted else "eliminated", panel=PANEL)
        if granted:
            b.award(decision, prize=LAUREATE.code, decided_on=dates["committee"], granted_eur=granted)


COMMITTEE_MEMBERS = p.PROGRESS_COMMITTEE
EDITIONS = (
    (
        EditionFacts(
            slug="progress-2023",
            number=2,
            year=2023,
            theme="Développement durable et finance solidaire",
            decided=True,
            dates={
                "opens": dt.date(2023, 10, 2),
                "closes": dt.date(2023, 12, 31),
                "eligibility": dt.date(2024, 1, 25),
                "committee": dt.date(2024, 3, 14),
            },
        ),
        _Call(
            projects=PROJECTS_2023,
            eligible_forms=("Association", "Fondation", "Mutuelle", "ESAT", "SIAE", "ESUS", "PTCE"),
            committee=COMMITTEE_MEMBERS[:7],
            conflict=(
                COMMITTEE_MEMBERS[4],
                "Fondation Terre d'Avenir",
                "Je siège au conseil d'administration de cette fondation.",
            ),
        ),
    ),
    (
        EditionFacts(
            slug="progress-2024",
            number=3,
            year=2024,
            theme="L'inclusion pour un territoire plus solidaire",
            decided=False,
            dates={
                "opens": dt.date(2024, 11, 4),
                "closes": dt.date(2024, 12, 31),
                "eligibility": dt.date(2025, 1, 23),
                "committee": dt.date(2025, 3, 13),
            },
        ),
        _Call(
            projects=PROJECTS_2024,
            eligible_forms=("Association", "ESUS"),
            committee=(COMMITTEE_MEMBERS[0], *COMMITTEE_MEMBERS[2:]),
            conflict=(
                COMMITTEE_MEMBERS[6],
                "Cuisine du Monde Solidaire",
                "La structure d'insertion que je dirige est partenaire de ce projet.",
            ),
        ),
    ),
)


CONTEST = Contest(
    slug=SLUG,
    name="Progr'ESS",
    organisers="Département des Hauts-de-Seine",
    candidate_kind="organisation",
    description=(
        "Appel à projets du Département pour l'économie sociale et solidaire : éligibilité, notation sur "
        "une grille /100 puis délibération du comité ; subvention jusqu'à 15 000 € par projet dans une "
        "enveloppe de 100 000 € par édition, accompagnement et place en incubateur."
    ),
    organiser_people=(p.ORGANISER_PROGRESS,),
    editions=(),
)
