"""Progr'ESS: the decided 2023 call for projects (2nd edition) and the 2024 one (3rd) in committee.

Facts kept from the public material: the Département's call for social and solidarity economy projects,
100 000 € per edition and at most 15 000 € per project; 2nd edition « Développement durable et finance
solidaire » (launched October 2023, closing 31 December 2023), 3rd « L'inclusion pour un territoire plus
solidaire » (launched November 2024). Eligible legal forms change per edition: associations, foundations,
mutuals, ESAT, SIAE, ESUS-approved structures and PTCE for the 2nd; associations and ESUS-approved
structures only for the 3rd. The organisations, projects, amounts and committee members are invented.

Grid, /100: each criterion is marked from 0 to its number of points (step 1) and weighs those points, so
the total on the tablet is simply the sum of the marks. Eligibility is a pass/fail round before it, using
the same rule as the app (`jury.deliberation.grants.check_eligibility`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from jury.contests.eligibility import check_eligibility
from jury.demo import people as p
from jury.demo.plan import (
    Assignment,
    Award,
    Candidate,
    Category,
    Commune,
    Conflict,
    Contest,
    Criterion,
    Decision,
    Edition,
    Entry,
    Member,
    Panel,
    Person,
    Prize,
    Round,
)
from jury.demo.simulate import (
    Comments,
    assign,
    at,
    french_number,
    juror_models,
    score_round,
    standings,
    talents,
)
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
    code="projet-ess",
    name="Projet ESS",
    position=1,
    criteria=tuple(
        Criterion(
            code=code,
            label=label,
            help=help_text,
            scale_min=Decimal(0),
            scale_max=Decimal(points),
            scale_step=Decimal(1),
            weight=Decimal(points),
            position=i,
        )
        for i, (code, label, points, help_text) in enumerate(_GRID, start=1)
    ),
)
LAUREATE = Prize(
    code="laureat",
    name="Lauréat Progr'ESS",
    kind="laureate",
    category="projet-ess",
    max_winners=None,
    position=1,
)

# (organisation, legal form, project title, summary)
PROJECTS_2023 = (
    (
        "Les Jardins de la Boucle",
        "Association",
        "Jardin partagé et compostage collectif",
        "Un jardin en pied d'immeuble et un compost de quartier animés par les habitants.",
    ),
    (
        "Ressourcerie du Plateau",
        "Association",
        "Atelier de réemploi de meubles",
        "Collecte, remise en état et revente solidaire de meubles et d'électroménager.",
    ),
    (
        "Épicerie solidaire de la Vallée",
        "Association",
        "Épicerie solidaire en circuit court",
        "Des produits de maraîchers franciliens à prix modulés selon les revenus.",
    ),
    (
        "Roue Libre Solidaire",
        "Association",
        "Atelier d'autoréparation de vélos",
        "Apprendre à réparer son vélo et remettre en circulation des vélos abandonnés.",
    ),
    (
        "Énergies Partagées du Val",
        "ESUS",
        "Centrale solaire citoyenne sur un gymnase",
        "Une société coopérative agréée ESUS qui associe habitants et commune au financement.",
    ),
    (
        "Club d'épargne solidaire des Coteaux",
        "Association",
        "Épargne de proximité pour les TPE",
        "Des épargnants du quartier financent en prêts d'honneur les très petites entreprises locales.",
    ),
    (
        "Mutuelle Entraide Seine-Ouest",
        "Mutuelle",
        "Micro-assurance santé des indépendants",
        "Une couverture santé à petit prix pour les travailleurs indépendants aux revenus modestes.",
    ),
    (
        "Fondation Terre d'Avenir",
        "Fondation",
        "Bourses pour la transition écologique",
        "Des bourses pour les projets étudiants de sobriété et de réemploi.",
    ),
    (
        "Fil d'Ariane Insertion",
        "SIAE",
        "Surcyclage de textiles d'entreprise",
        "Un atelier chantier d'insertion transforme les uniformes usagés en accessoires.",
    ),
    (
        "ESAT des Peupliers",
        "ESAT",
        "Blanchisserie écologique",
        "Une blanchisserie à faible consommation d'eau tenue par des travailleurs en situation de handicap.",
    ),
    (
        "Zéro Gaspi Cantines",
        "Association",
        "Moins de gaspillage dans les cantines",
        "Pesées, ateliers et menus repensés avec les élèves de trois écoles.",
    ),
    (
        "Budget Malin Pour Tous",
        "Association",
        "Ateliers d'éducation budgétaire",
        "Des ateliers pour prévenir le surendettement, animés par des bénévoles formés.",
    ),
    (
        "Les Ruchers Citoyens",
        "Association",
        "Ruches pédagogiques de quartier",
        "Des ruches en pied d'immeuble et des animations sur la biodiversité.",
    ),
    (
        "Recyclerie Numérique",
        "ESUS",
        "Ordinateurs reconditionnés pour les familles",
        "Des ordinateurs d'entreprise reconditionnés et vendus à prix solidaire.",
    ),
    (
        "Maraîchers de la Plaine",
        "SIAE",
        "Chantier d'insertion maraîcher",
        "Un chantier d'insertion qui cultive des légumes biologiques pour les cantines.",
    ),
    (
        "Compost'Quartier",
        "Association",
        "Composteurs partagés en résidence",
        "Installation et animation de composteurs dans les résidences sociales.",
    ),
    (
        "La Fabrique Verte",
        "ESUS",
        "Tiers-lieu de la transition",
        "Un tiers-lieu avec atelier de réparation, grainothèque et ateliers zéro déchet.",
    ),
    (
        "Vrac & Partage",
        "Association",
        "Épicerie vrac itinérante",
        "Une épicerie en vrac qui passe dans les quartiers sans commerce de proximité.",
    ),
    (
        "Coopérative des Mobilités Douces",
        "ESUS",
        "Autopartage de véhicules électriques",
        "Des voitures électriques partagées entre voisins, réservées par application.",
    ),
    (
        "Répar'Tout",
        "Association",
        "Ateliers de réparation itinérants",
        "Des bénévoles réparent petits appareils et vêtements sur les marchés.",
    ),
    (
        "Prêt d'Honneur Jeunes",
        "Association",
        "Microcrédits pour jeunes créateurs",
        "Des prêts sans intérêt et un parrainage pour les moins de 26 ans.",
    ),
    (
        "Toits Verts Solidaires",
        "PTCE",
        "Végétalisation de toitures en insertion",
        "Un pôle territorial de coopération économique végétalise des toits avec des salariés en insertion.",
    ),
    (
        "Green Conseil Habitat",
        "SAS",
        "Conseil en sobriété énergétique",
        "Une société de conseil en rénovation énergétique des logements.",
    ),
    (
        "Les Bocaux Malins",
        "SARL",
        "Consigne de bocaux alimentaires",
        "Une société de collecte et de lavage de bocaux consignés pour les restaurateurs.",
    ),
)
PROJECTS_2024 = (
    (
        "Passerelle Emploi Jeunes",
        "Association",
        "Accompagner les jeunes décrocheurs vers l'emploi",
        "Un parcours de six mois mêlant stages, sport et mentorat.",
    ),
    (
        "Sport Partagé",
        "Association",
        "Sport partagé valides et handicapés",
        "Des séances hebdomadaires de basket fauteuil ouvertes à tous.",
    ),
    (
        "Lire Ensemble",
        "Association",
        "Ateliers d'alphabétisation pour adultes",
        "Des ateliers de lecture et d'écriture pour les adultes qui ne maîtrisent pas le français écrit.",
    ),
    (
        "Numérique Solidaire",
        "ESUS",
        "Médiation numérique pour les seniors",
        "Des permanences pour accompagner les seniors dans leurs démarches en ligne.",
    ),
    (
        "Pause Aidants",
        "Association",
        "Répit et rencontres pour les aidants",
        "Des après-midi de répit et de parole pour les proches aidants.",
    ),
    (
        "Sciences en Bas de Chez Toi",
        "Association",
        "Ateliers scientifiques en pied d'immeuble",
        "Des expériences scientifiques pour les enfants pendant les vacances scolaires.",
    ),
    (
        "Ludothèque Vivre Ensemble",
        "Association",
        "Ludothèque intergénérationnelle",
        "Un lieu de jeu partagé entre enfants, parents et grands-parents.",
    ),
    (
        "Théâtre de l'Inclusion",
        "Association",
        "Troupe de théâtre inclusive",
        "Une troupe qui réunit comédiens en situation de handicap et amateurs.",
    ),
    (
        "Cuisine du Monde Solidaire",
        "ESUS",
        "Traiteur d'insertion",
        "Un traiteur qui forme et emploie des femmes éloignées de l'emploi.",
    ),
    (
        "Accueil Jeunes Parents",
        "Association",
        "Halte-garderie solidaire",
        "Une garde d'enfants à petit prix pour les parents en formation ou en recherche d'emploi.",
    ),
    (
        "Permis Solidaire",
        "ESUS",
        "Auto-école sociale",
        "Le permis de conduire à tarif réduit pour les personnes en insertion.",
    ),
    (
        "Musique Pour Tous",
        "Association",
        "Orchestre de quartier",
        "Des instruments prêtés et des cours collectifs gratuits pour les enfants.",
    ),
    (
        "Jardin des Possibles",
        "Association",
        "Jardin thérapeutique en maison de retraite",
        "Un jardin adapté aux résidents, entretenu avec des écoles voisines.",
    ),
    (
        "Danse en Fauteuil",
        "Association",
        "Danse inclusive",
        "Des cours de danse pour personnes en fauteuil et leurs proches.",
    ),
    (
        "Signes et Octets",
        "ESUS",
        "Formation numérique pour personnes sourdes",
        "Des formations au numérique en langue des signes française.",
    ),
    (
        "Toit Partagé",
        "Association",
        "Colocations intergénérationnelles",
        "Mise en relation d'étudiants et de seniors qui disposent d'une chambre libre.",
    ),
    (
        "Vacances Partagées",
        "Association",
        "Séjours de loisirs pour les familles",
        "Des séjours courts pour les familles qui ne partent jamais en vacances.",
    ),
    (
        "Atelier Vélo Inclusif",
        "ESUS",
        "Vélos adaptés et apprentissage",
        "Des vélos adaptés et des cours pour apprendre à pédaler à tout âge.",
    ),
    (
        "Bibliothèque de Rue",
        "Association",
        "Lecture en plein air",
        "Des livres et des lectures sur les places des quartiers prioritaires.",
    ),
    (
        "Foot Mixte de Quartier",
        "Association",
        "Football mixte pour les 8-15 ans",
        "Des équipes mixtes encadrées par des éducateurs formés à l'égalité.",
    ),
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


def _edition(
    *,
    seed: int,
    communes: Sequence[Commune],
    slug: str,
    number: int,
    year: int,
    theme: str,
    projects: Sequence[tuple[str, str, str, str]],
    eligible_forms: tuple[str, ...],
    decided: bool,
    dates: dict[str, dt.date],
    committee: tuple[Person, ...],
    conflict: tuple[Person, str, str],
) -> Edition:
    rng = random.Random(f"{seed}:{slug}")
    names = p.NamePool(rng)
    candidates = []
    for i, (organisation, form, title, summary) in enumerate(projects):
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
    category_of = {c.key: CATEGORY for c in candidates}
    talent_of = talents(rng, [c.key for c in candidates], criteria=CATEGORY.criteria)
    juror_of = juror_models(rng, [x.email for x in committee])
    chair = committee[0].email
    edition = Edition(
        slug=slug,
        number=number,
        year=year,
        theme=theme,
        status="decided" if decided else "current",
        opens_on=dates["opens"],
        closes_on=dates["closes"],
        decision_on=dates["committee"] if decided else None,
        budget_eur=BUDGET_EUR,
        max_grant_eur=MAX_GRANT_EUR,
        eligible_legal_forms=eligible_forms,
        signatories=(p.PRESIDENT_DEPARTEMENT,),
        categories=(CATEGORY,),
        prizes=(LAUREATE,),
        people=list(committee),
        candidates=candidates,
        rounds=[
            Round(
                kind="eligibility",
                name="Éligibilité",
                position=ELIGIBILITY,
                status="closed",
                scheduled_on=dates["eligibility"],
            ),
            Round(
                kind="committee",
                name="Comité de sélection",
                position=COMMITTEE,
                status="closed" if decided else "open",
                scheduled_on=dates["committee"],
                panels=(
                    Panel(
                        name=PANEL,
                        venue="Hôtel du Département, Nanterre",
                        members=tuple(
                            Member(person=m.email, role="chair" if i == 0 else "juror")
                            for i, m in enumerate(committee)
                        ),
                    ),
                ),
            ),
        ],
    )

    communes_92 = {c.insee_code for c in communes}
    eligible = []
    checked = at(dates["eligibility"], 17)
    for c in candidates:
        verdict = check_eligibility(
            legal_form=c.legal_form,
            allowed_forms=eligible_forms,
            seat_insee=c.insee_code or "",
            communes_92=communes_92,
            requested=c.requested_eur or 0,
            max_grant=MAX_GRANT_EUR,
        )
        if verdict.eligible:
            eligible.append(c.key)
            edition.entries.append(
                Entry(
                    candidate=c.key,
                    round=ELIGIBILITY,
                    status="eligible",
                    at=checked,
                    reason="Forme juridique, siège et montant demandé conformes",
                )
            )
        else:
            reason = " ; ".join(f.message for f in verdict.failures)
            edition.entries.append(
                Entry(candidate=c.key, round=ELIGIBILITY, status="ineligible", at=checked, reason=reason)
            )
            edition.decisions.append(
                Decision(
                    key=f"eligibilite-{c.key}",
                    candidate=c.key,
                    round=ELIGIBILITY,
                    kind="ineligible",
                    reason=reason,
                    at=checked,
                    based_on="Règlement de l'appel à projets",
                    decided_by=chair,
                )
            )

    juror, organisation, reason = conflict
    conflicted = next(c.key for c in candidates if c.organisation_name == organisation)
    edition.conflicts.append(
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
        rng,
        candidates=eligible,
        jurors=[m.email for m in committee],
        k=JURORS_PER_CANDIDATE,
        conflicts={(juror.email, conflicted)},
    )
    pairs = [Assignment(round=COMMITTEE, panel=PANEL, person=j, candidate=c) for j, c in plan]
    edition.assignments += pairs
    if not decided:
        rng.shuffle(pairs)
    half = len(pairs) // 2
    sheets, declared = score_round(
        rng,
        round_position=COMMITTEE,
        pairs=pairs,
        category_of=category_of,
        talent_of=talent_of,
        juror_of=juror_of,
        comments=COMMENTS,
        start=at(dates["committee"] - dt.timedelta(days=14), 9),
        submitted=(lambda _: True) if decided else (lambda i: i < half),
        drafts=0 if decided else 4,
        comment_rate=0.4,
    )
    edition.sheets += sheets
    edition.conflicts += declared
    if not decided:
        edition.entries += [
            Entry(candidate=k, round=COMMITTEE, panel=PANEL, status="pending", at=checked) for k in eligible
        ]
        return edition

    requested = {c.key: c.requested_eur or 0 for c in candidates}
    moment = at(dates["committee"], 17)
    for key, (granted, reason) in _allocate(standings(sheets, category_of), requested).items():
        edition.entries.append(
            Entry(
                candidate=key,
                round=COMMITTEE,
                panel=PANEL,
                reason=reason,
                at=moment,
                status="laureate" if granted else "eliminated",
            )
        )
        decision = f"comite-{key}"
        edition.decisions.append(
            Decision(
                key=decision,
                candidate=key,
                round=COMMITTEE,
                reason=reason,
                kind="laureate" if granted else "eliminate",
                at=moment,
                based_on="Moyenne des grilles /100 et enveloppe de l'édition",
                decided_by=chair,
            )
        )
        if granted:
            edition.awards.append(
                Award(
                    prize=LAUREATE.code,
                    candidate=key,
                    decision=decision,
                    decided_on=dates["committee"],
                    granted_eur=granted,
                )
            )
    return edition


def contest(*, seed: int, communes: Sequence[Commune]) -> Contest:
    committee = p.PROGRESS_COMMITTEE
    edition_2023 = _edition(
        seed=seed,
        communes=communes,
        slug="progress-2023",
        number=2,
        year=2023,
        theme="Développement durable et finance solidaire",
        projects=PROJECTS_2023,
        eligible_forms=("Association", "Fondation", "Mutuelle", "ESAT", "SIAE", "ESUS", "PTCE"),
        decided=True,
        dates={
            "opens": dt.date(2023, 10, 2),
            "closes": dt.date(2023, 12, 31),
            "eligibility": dt.date(2024, 1, 25),
            "committee": dt.date(2024, 3, 14),
        },
        committee=committee[:7],
        conflict=(
            committee[4],
            "Fondation Terre d'Avenir",
            "Je siège au conseil d'administration de cette fondation.",
        ),
    )
    edition_2024 = _edition(
        seed=seed,
        communes=communes,
        slug="progress-2024",
        number=3,
        year=2024,
        theme="L'inclusion pour un territoire plus solidaire",
        projects=PROJECTS_2024,
        eligible_forms=("Association", "ESUS"),
        decided=False,
        dates={
            "opens": dt.date(2024, 11, 4),
            "closes": dt.date(2024, 12, 31),
            "eligibility": dt.date(2025, 1, 23),
            "committee": dt.date(2025, 3, 13),
        },
        committee=(committee[0], *committee[2:]),
        conflict=(
            committee[6],
            "Cuisine du Monde Solidaire",
            "La structure d'insertion que je dirige est partenaire de ce projet.",
        ),
    )
    return Contest(
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
        editions=(edition_2023, edition_2024),
    )
