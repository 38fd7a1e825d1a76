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
from collections.abc import Sequence
from decimal import Decimal

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
    Zone,
)
from jury.demo.simulate import (
    Comments,
    assign,
    at,
    best_per_category,
    french_number,
    juror_models,
    score_round,
    standings,
    talents,
)
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

# 16 invented companies per category: the even ones apply in 2024, the odd ones in 2025.
COMPANIES: dict[str, tuple[tuple[str, str], ...]] = {
    "transition-energetique": (
        ("Solévia", "Centrales solaires partagées sur les toits des copropriétés."),
        ("Watt'Seine", "Pilotage intelligent de la consommation électrique des PME."),
        ("Recharge Urbaine", "Bornes de recharge mutualisées pour les parkings résidentiels."),
        ("Isolis", "Isolation thermique par l'extérieur en matériaux biosourcés."),
        ("Calorie Circulaire", "Récupération de la chaleur des serveurs pour chauffer l'eau des immeubles."),
        ("Berges Énergie", "Micro-hydroliennes installées le long des berges de la Seine."),
        ("Cargo du Val", "Livraison du dernier kilomètre en vélo-cargo électrique."),
        ("Seconde Cellule", "Batteries de véhicules reconditionnées en stockage stationnaire."),
        ("Thermaé", "Pompes à chaleur connectées pour l'habitat collectif."),
        ("Carbonote", "Bilan carbone automatisé pour les commerçants et artisans."),
        ("Lumen Sobriété", "Éclairage public à détection de présence pour les communes."),
        ("Rénov'Express", "Rénovation énergétique clé en main des maisons individuelles."),
        ("Géotherm'Île", "Géothermie de surface pour les petits immeubles tertiaires."),
        ("Méthania Urbaine", "Micro-méthanisation des biodéchets de la restauration."),
        ("Rétrofit Utilitaires", "Conversion de véhicules utilitaires thermiques à l'électrique."),
        ("Kilowatt Solidaire", "Électricité verte et accompagnement des ménages en précarité énergétique."),
    ),
    "sante-sport-bien-etre": (
        ("Kinéo Connect", "Rééducation à domicile guidée par des capteurs de mouvement."),
        ("Pulse Arena", "Salles de sport connectées en accès libre dans les quartiers."),
        ("Dormélia", "Programme numérique de thérapie comportementale contre l'insomnie."),
        ("Nutrilab Sport", "Coaching nutritionnel pour les sportifs amateurs."),
        ("Ergosens", "Prévention des troubles musculo-squelettiques au bureau."),
        ("AquaForme", "Cours d'aquagym dans les piscines d'hôtels aux heures creuses."),
        ("Silver Move", "Activité physique adaptée pour les seniors en résidence."),
        ("MediRoute", "Optimisation des tournées des infirmiers libéraux."),
        ("Respira Kids", "Jeux éducatifs pour les enfants asthmatiques."),
        ("Yoga des Berges", "Cours de yoga en plein air sur les berges de la Seine."),
        ("Orthomove", "Semelles orthopédiques imprimées en 3D sur mesure."),
        ("Padel Factory", "Terrains de padel couverts et démontables."),
        ("CalmeCare", "Soutien psychologique en ligne pour les aidants familiaux."),
        ("VitaSuivi", "Suivi post-opératoire à distance pour les cliniques."),
        ("Boxe & Co", "Boxe éducative et gestion du stress en entreprise."),
        ("OptiVue", "Dépistage visuel rapide en pharmacie."),
    ),
    "gastronomie-culture-tourisme": (
        ("Brasserie des Coteaux", "Bières artisanales brassées avec du houblon francilien."),
        ("Les Tables de Seine", "Dîners chez l'habitant autour du patrimoine local."),
        ("Balades Impressionnistes", "Visites guidées sur les traces des peintres des bords de Seine."),
        ("Maison Caravelle", "Traiteur événementiel zéro déchet."),
        ("Théâtre Nomade", "Spectacles vivants joués en appartement."),
        ("Épicerie du Quai", "Épicerie fine de producteurs d'Île-de-France."),
        ("Cuisines Partagées", "Laboratoire culinaire loué à l'heure aux jeunes traiteurs."),
        ("Atelier Faïence", "Céramique contemporaine et ateliers d'initiation."),
        ("Sirop de Ville", "Sirops et limonades artisanales aux plantes cultivées en ville."),
        ("Escape Patrimoine", "Jeux d'évasion dans des lieux historiques."),
        ("Fromagerie des Caves", "Affinage de fromages fermiers dans une cave urbaine."),
        ("Guinguette Mobile", "Guinguettes éphémères pour les fêtes de quartier."),
        ("Cinéma Bulle", "Cinéma itinérant sous un dôme gonflable."),
        ("Chai Urbain", "Vinification en ville de raisins franciliens."),
        ("Circuits Gourmands", "Circuits gastronomiques guidés à la découverte des artisans."),
        ("Galerie Éphémère", "Expositions d'artistes dans des commerces vacants."),
    ),
    "innovation-educative": (
        ("Lectio", "Application d'aide à la lecture pour les élèves dyslexiques."),
        ("Codéo Kids", "Ateliers de programmation pour les 8-14 ans."),
        ("MathsQuest", "Jeu de rôle en ligne pour réviser les mathématiques."),
        ("Classe Dehors", "Mobilier et programmes pour faire classe en plein air."),
        ("Tremplin Langues", "Tandems linguistiques en visioconférence entre collégiens."),
        ("Orient'Action", "Stages d'observation de 3e dans les entreprises locales."),
        ("Robolab", "Kits de robotique pédagogique pour les collèges."),
        ("Histoires Vives", "Podcasts d'histoire pour les lycéens."),
        ("Savoir-Faire Academy", "Formations courtes d'initiation aux métiers de l'artisanat."),
        ("Malle aux Sciences", "Malles pédagogiques de sciences expérimentales."),
        ("Passeurs d'Études", "Mentorat entre étudiants et lycéens des quartiers prioritaires."),
        ("Éduc'Audio", "Livres audio pédagogiques en plusieurs langues."),
        ("Fablab Junior", "Fabrication numérique pour les enfants."),
        ("Prépa Solidaire", "Soutien scolaire à tarif modulé selon les revenus."),
        ("Quiz Civique", "Jeux sur les institutions pour les collégiens."),
        ("StudyFlow", "Outil de planification des révisions pour lycéens."),
    ),
    "entrepreneuriat-feminin": (
        ("Atelier Céleste", "Bijoux fabriqués à partir de métaux recyclés."),
        ("Berceau & Bureau", "Espaces de coworking avec micro-crèche."),
        ("Couture Circulaire", "Retouche et surcyclage de vêtements professionnels."),
        ("Elles Codent", "Formation au développement web pour les femmes en reconversion."),
        ("Bureau Nomade", "Conciergerie d'entreprise pour les PME."),
        ("Bloom Cosmétiques", "Cosmétiques solides fabriqués localement."),
        ("Pédal'Elles", "Location de vélos électriques familiaux."),
        ("Jardin Suspendu", "Conception de jardins sur les toits et les balcons."),
        ("Mosaïk RH", "Recrutement inclusif pour les petites entreprises."),
        ("Saveurs d'Ailleurs", "Cuisine du monde en bocaux consignés."),
        ("Légal'Easy", "Assistance juridique en ligne pour les indépendants."),
        ("Papeterie Sauvage", "Papeterie en papier recyclé ensemencé."),
        ("Pixel & Plume", "Agence de communication pour les artisans."),
        ("Ludothèque Mobile", "Location de jeux éducatifs aux familles et aux écoles."),
        ("Cocon Digital", "Domotique simple pour le maintien à domicile."),
        ("Tissage Moderne", "Textiles d'ameublement tissés en Île-de-France."),
    ),
}

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


class _Jury:
    """Who sits where in one edition; the first of each tuple chairs its panel."""

    def __init__(
        self,
        *,
        preselection: tuple[Person, ...],
        nord: tuple[Person, ...],
        sud: tuple[Person, ...],
        bridges: tuple[Person, ...],
        final: tuple[Person, ...],
        harsh_zone: str,
        conflicts: tuple[tuple[Person, str, str], ...],
    ) -> None:
        self.preselection, self.nord, self.sud, self.bridges, self.final = (
            preselection,
            nord,
            sud,
            bridges,
            final,
        )
        self.harsh_zone = harsh_zone
        self.conflicts = conflicts  # (juror, zone, reason): the juror knows one semi-finalist of that zone

    def own(self, zone: str) -> tuple[Person, ...]:
        return self.nord if zone == "nord" else self.sud


def _grid() -> tuple[Criterion, ...]:
    return tuple(
        Criterion(
            code=code,
            label=label,
            help=help_text,
            scale_min=Decimal(0),
            scale_max=Decimal(10),
            scale_step=Decimal(1),
            weight=Decimal(weight),
            position=i,
        )
        for i, (code, label, weight, help_text) in enumerate(_GRID, start=1)
    )


def _categories() -> tuple[Category, ...]:
    return tuple(
        Category(code=code, name=name, position=i, criteria=_grid())
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


def _edition(
    *,
    seed: int,
    communes: Sequence[Commune],
    slug: str,
    number: int,
    year: int,
    theme: str,
    decided: bool,
    dates: dict[str, dt.date],
    jury: _Jury,
) -> Edition:
    rng = random.Random(f"{seed}:{slug}")
    categories = _categories()
    category_by_code = {c.code: c for c in categories}
    candidates, zone_of = _candidates(
        rng, parity=(year - 2024) % 2, communes=communes, closes_on=dates["closes"]
    )
    cat_code = {c.key: c.category or "" for c in candidates}
    category_of = {c.key: category_by_code[c.category or ""] for c in candidates}
    talent_of = talents(rng, [c.key for c in candidates], criteria=categories[0].criteria)
    roster = (*jury.preselection, *jury.nord, *jury.sud, *jury.bridges, *jury.final)
    everyone = {x.email for x in roster}
    harsh = {x.email for x in jury.own(jury.harsh_zone)}
    juror_of = juror_models(rng, sorted(everyone - harsh))
    juror_of |= juror_models(rng, sorted(harsh), shift=-0.07)

    def panel(name: str, members: tuple[Person, ...], *, zone: str | None = None, venue: str) -> Panel:
        return Panel(
            name=name,
            zone=zone,
            venue=venue,
            members=tuple(
                Member(person=m.email, role="chair" if i == 0 else "juror") for i, m in enumerate(members)
            ),
        )

    semi_panels = tuple(
        panel(PANEL_OF_ZONE[z], (*jury.own(z), *jury.bridges), zone=z, venue=venue)
        for z, venue in (("nord", "Gennevilliers"), ("sud", "Issy-les-Moulineaux"))
    )
    semi_status = "closed" if decided else "open"
    final_status = "closed" if decided else "draft"
    edition = Edition(
        slug=slug,
        number=number,
        year=year,
        theme=theme,
        status="decided" if decided else "current",
        opens_on=dates["opens"],
        closes_on=dates["closes"],
        decision_on=dates["final"] if decided else None,
        accepted_outside_insee=(ARGENTEUIL,),
        max_company_age_years=8,
        signatories=(p.PRESIDENT_DEPARTEMENT, p.PRESIDENT_CCI),
        zones=ZONES,
        categories=categories,
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
                panels=(panel(PRESELECTION_PANEL, jury.preselection, venue="CCI Hauts-de-Seine"),),
            ),
            Round(
                kind="semi_final",
                name="Demi-finales",
                position=SEMI_FINAL,
                status=semi_status,
                scheduled_on=dates["nord"],
                advance_count=2 * PER_PANEL_TO_FINAL,
                panels=semi_panels,
            ),
            Round(
                kind="final",
                name="Finale",
                position=FINAL,
                status=final_status,
                scheduled_on=dates["final"],
                panels=(panel(FINAL_PANEL, jury.final, venue="Boulogne-Billancourt"),),
            ),
        ],
    )

    # Preselection: the committee reads every file.
    pres_pairs = [
        Assignment(round=PRESELECTION, panel=PRESELECTION_PANEL, person=j.email, candidate=c.key)
        for j in jury.preselection
        for c in candidates
    ]
    sheets, declared = score_round(
        rng,
        round_position=PRESELECTION,
        pairs=pres_pairs,
        category_of=category_of,
        talent_of=talent_of,
        juror_of=juror_of,
        comments=COMMENTS,
        start=at(dates["preselection"], 9),
    )
    edition.assignments += pres_pairs
    edition.sheets += sheets
    edition.conflicts += declared
    ranked = standings(sheets, category_of)
    semi_finalists: set[str] = set()
    for zone in ZONES:
        in_zone = [(k, v) for k, v in ranked if zone_of[k] == zone.code]
        chosen = best_per_category(in_zone, category=cat_code, count=PER_ZONE_TO_SEMI)
        semi_finalists |= chosen
        for rank, (key, score) in enumerate(in_zone, start=1):
            advanced = key in chosen
            reason = (
                f"{'Retenu' if advanced else 'Non retenu'} : classé {ordinal(rank)} "
                f"de la zone {zone.label} en présélection ({french_number(score)}/100)"
            )
            moment = at(dates["preselection"], 18)
            edition.entries.append(
                Entry(
                    candidate=key,
                    round=PRESELECTION,
                    panel=PRESELECTION_PANEL,
                    status="advanced" if advanced else "eliminated",
                    reason=reason,
                    at=moment,
                )
            )
            edition.decisions.append(
                Decision(
                    key=f"pre-{key}",
                    candidate=key,
                    round=PRESELECTION,
                    kind="advance" if advanced else "eliminate",
                    reason=reason,
                    based_on=BASED_ON,
                    decided_by=jury.preselection[0].email,
                    at=moment,
                )
            )

    # Semi-finals: k jurors per candidate within its panel, the bridging jurors on both panels.
    semi_pairs: list[Assignment] = []
    conflicts: set[tuple[str, str]] = set()
    for zone in ZONES:
        name = PANEL_OF_ZONE[zone.code]
        keys = sorted(k for k in semi_finalists if zone_of[k] == zone.code)
        for juror, conflict_zone, reason in jury.conflicts:
            if conflict_zone == zone.code:
                candidate = rng.choice(keys)
                conflicts.add((juror.email, candidate))
                edition.conflicts.append(
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
            rng,
            candidates=keys,
            jurors=[j.email for j in (*jury.own(zone.code), *jury.bridges)],
            k=JURORS_PER_CANDIDATE,
            bridges=[b.email for b in jury.bridges],
            bridge_quota=BRIDGE_QUOTA,
            conflicts=conflicts,
        )
        pairs = [Assignment(round=SEMI_FINAL, panel=name, person=j, candidate=c) for j, c in plan]
        semi_pairs += pairs
        edition.entries += [
            Entry(
                candidate=k, round=SEMI_FINAL, panel=name, status="pending", at=at(dates["preselection"], 18)
            )
            for k in keys
        ]
    edition.assignments += semi_pairs
    sheets, declared = [], []
    for zone in ZONES:
        zone_pairs = [a for a in semi_pairs if a.panel == PANEL_OF_ZONE[zone.code]]
        half = len(zone_pairs) // 2
        if not decided:  # scoring under way: about half the sheets are in, a few are drafts
            rng.shuffle(zone_pairs)
        s, d = score_round(
            rng,
            round_position=SEMI_FINAL,
            pairs=zone_pairs,
            category_of=category_of,
            talent_of=talent_of,
            juror_of=juror_of,
            comments=COMMENTS,
            start=at(dates[zone.code], 14),
            submitted=(lambda _: True) if decided else (lambda i, half=half: i < half),
            drafts=0 if decided else 3,
        )
        sheets += s
        declared += d
    edition.sheets += sheets
    edition.conflicts += declared
    if not decided:
        return edition

    finalists: set[str] = set()
    entries = {(e.candidate, e.round): e for e in edition.entries}
    for zone in ZONES:
        name = PANEL_OF_ZONE[zone.code]
        in_panel = standings([s for s in sheets if s.panel == name], category_of)
        chosen = best_per_category(in_panel, category=cat_code, count=PER_PANEL_TO_FINAL)
        finalists |= chosen
        chair = jury.own(zone.code)[0].email
        for rank, (key, score) in enumerate(in_panel, start=1):
            advanced = key in chosen
            reason = (
                f"{'Qualifié pour la finale' if advanced else 'Non qualifié'} : classé {ordinal(rank)} "
                f"de la demi-finale {zone.label} ({french_number(score)}/100)"
            )
            moment = at(dates[zone.code], 19)
            entries[(key, SEMI_FINAL)] = Entry(
                candidate=key,
                round=SEMI_FINAL,
                panel=name,
                status="advanced" if advanced else "eliminated",
                reason=reason,
                at=moment,
            )
            edition.decisions.append(
                Decision(
                    key=f"semi-{key}",
                    candidate=key,
                    round=SEMI_FINAL,
                    kind="advance" if advanced else "eliminate",
                    reason=reason,
                    based_on=BASED_ON,
                    decided_by=chair,
                    at=moment,
                )
            )
    edition.entries = list(entries.values())

    # Final: the grand jury marks every finalist; one prize per category, then the Prix spécial.
    final_pairs = [
        Assignment(round=FINAL, panel=FINAL_PANEL, person=j.email, candidate=k)
        for j in jury.final
        for k in sorted(finalists)
    ]
    sheets, declared = score_round(
        rng,
        round_position=FINAL,
        pairs=final_pairs,
        category_of=category_of,
        talent_of=talent_of,
        juror_of=juror_of,
        comments=COMMENTS,
        start=at(dates["final"], 18),
    )
    edition.assignments += final_pairs
    edition.sheets += sheets
    edition.conflicts += declared
    ranked = standings(sheets, category_of)
    winners: dict[str, str] = {}
    for prize in edition.prizes:
        pool = [
            (k, v)
            for k, v in ranked
            if k not in winners.values() and (prize.category is None or cat_code[k] == prize.category)
        ]
        key, score = pool[0]
        winners[prize.code] = key
        reason = (
            f"{prize.name} : meilleur total de sa catégorie en finale ({french_number(score)}/100)"
            if prize.category
            else f"{prize.name} : meilleur finaliste non encore primé ({french_number(score)}/100)"
        )
        decision = f"award-{prize.code}"
        edition.decisions.append(
            Decision(
                key=decision,
                candidate=key,
                round=FINAL,
                kind="award",
                reason=reason,
                based_on=BASED_ON,
                decided_by=jury.final[0].email,
                at=at(dates["final"], 21),
            )
        )
        edition.awards.append(
            Award(prize=prize.code, candidate=key, decision=decision, decided_on=dates["final"])
        )
    prize_of = {k: code for code, k in winners.items()}
    names = {x.code: x.name for x in edition.prizes}
    edition.entries += [
        Entry(
            candidate=k,
            round=FINAL,
            panel=FINAL_PANEL,
            at=at(dates["final"], 21),
            status="laureate" if k in prize_of else "eliminated",
            reason=names[prize_of[k]] if k in prize_of else "Finaliste, non primé",
        )
        for k in sorted(finalists)
    ]
    return edition


def contest(*, seed: int, communes: Sequence[Commune]) -> Contest:
    edition_2024 = _edition(
        seed=seed,
        communes=communes,
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
        jury=_Jury(
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
    )
    edition_2025 = _edition(
        seed=seed,
        communes=communes,
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
        jury=_Jury(
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
    )
    return Contest(
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
        editions=(edition_2024, edition_2025),
    )
