"""Imaginez le gâteau des Hauts-de-Seine: the decided 2023 edition and the 2025 edition being tasted.

Facts kept from the public material: organised by the CMA Île-de-France – Hauts-de-Seine and the
Département; 2023 was the 5th edition (« caramel agrémenté d'une saveur », jury on 5 October 2023), 2025 the
7th (« Saveurs d'hier et de demain : le gâteau entre tradition et modernité », cakes handed in on 16 October
2025); blind tasting by entry number; a jury chaired by Stéphane Glacier, Meilleur Ouvrier de France
pâtissier, half of it professionals; a podium (1er, 2e, 3e prix). The artisans, their shops and creations
and the other jurors are invented, and so is the 2023 podium.

The chair presides and signs but has no score sheet: his marks would be words put in a real person's mouth.
The nine other jurors taste every cake. Grid: six criteria on 0–10 in half points, weighted
35/15/15/15/10/10.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

import msgspec

from jury.demo import build
from jury.demo import people as p
from jury.demo.build import Builder, EditionFacts
from jury.demo.plan import (
    Assignment,
    Candidate,
    Category,
    Commune,
    Contest,
    Criterion,
    Decision,
    Edition,
    Member,
    Panel,
    Person,
    Prize,
    Round,
    Sheet,
)
from jury.demo.simulate import Comments, at, french_number, standings

SLUG = "gateau-des-hauts-de-seine"
TASTING = 1
PANEL = "Jury de dégustation"


def _grid(theme_help: str) -> tuple[Criterion, ...]:
    rows = (
        ("gout", "Goût et saveurs", 35, "Qualité gustative, équilibre des saveurs, gourmandise."),
        ("theme", "Respect du thème", 15, theme_help),
        (
            "lien-92",
            "Lien avec les Hauts-de-Seine",
            15,
            "Évocation du département par la forme, la composition ou la décoration ; produits locaux.",
        ),
        (
            "aspect",
            "Aspect et présentation",
            15,
            "Esthétique avant et après découpe, netteté de la finition.",
        ),
        ("texture", "Texture et technique", 10, "Accord des textures, maîtrise des cuissons et du montage."),
        ("originalite", "Originalité", 10, "Créativité de la recette et de la présentation."),
    )
    return build.grid(rows, step=Decimal("0.5"), scale_max=Decimal(10))


PODIUM = (
    Prize(code="premier-prix", name="1er prix", kind="podium", category="gateau", place=1, position=1),
    Prize(code="deuxieme-prix", name="2e prix", kind="podium", category="gateau", place=2, position=2),
    Prize(code="troisieme-prix", name="3e prix", kind="podium", category="gateau", place=3, position=3),
)

CREATIONS_2023 = (
    ("Caramel & Fleur d'oranger", "Entremets au caramel parfumé à la fleur d'oranger, biscuit aux amandes."),
    ("L'Île Seguin", "Caramel au sarrasin, mousse vanille et croustillant praliné, en forme d'île."),
    ("Douceur de Sceaux", "Caramel au thé fumé, sablé breton et crème légère."),
    ("Le Mont Valérien", "Dôme caramel-café, cœur coulant et éclats de noisette."),
    ("Caramel Yuzu des Coteaux", "Caramel au yuzu, dacquoise coco et crémeux citron."),
    ("La Seine Dorée", "Tarte caramel au beurre salé et poire rôtie au poivre de Timut."),
    ("Éclat de Garenne", "Caramel à la bière blonde, mousse au chocolat au lait."),
    ("La Boucle Ambrée", "Caramel au miel de châtaignier et biscuit à la cannelle, en boucle de Seine."),
    ("Le Parc de Saint-Cloud", "Caramel à la pomme et au cidre, sablé aux noix."),
    ("Suresnes Gourmande", "Caramel au raisin blanc, crème diplomate et pâte sucrée."),
    ("Caramel Passion", "Caramel aux fruits de la passion, financier à la pistache."),
    ("Le Pavé de Nanterre", "Pavé caramel-cacahuète, ganache montée au café."),
    ("Caramel Tonka", "Caramel à la fève tonka, mousse au mascarpone."),
    ("La Cascade", "Caramel au gingembre, gelée de mangue et biscuit joconde."),
)
CREATIONS_2025 = (
    ("Renaissance", "Saint-honoré revisité, crème au caramel de pommes."),
    ("Mémoire de Sèvres", "Entremets façon porcelaine, crème brûlée à la vanille et fruits rouges."),
    ("Le Flan d'Antan", "Flan pâtissier à la vanille sur feuilletage inversé, caramel au sarrasin."),
    ("Opéra Boréal", "Opéra revisité au thé matcha et au chocolat blanc."),
    ("Baba des Coteaux", "Baba au rhum revisité, agrumes et crème montée au poivre."),
    ("Fraisier des Jardins", "Fraisier moderne, fraises d'Île-de-France et crème au basilic."),
    ("Le Chou de Vanves", "Religieuse revisitée, crème pralinée et caramel."),
    ("Kouglof Nouvelle Vague", "Kouglof brioché aux fruits secs, glaçage au miel."),
    ("Forêt de Meudon", "Forêt-noire revisitée, griottes et chantilly légère."),
    ("Savarin aux Agrumes", "Savarin aux agrumes, sirop à la verveine."),
    ("Le Pithiviers de la Malmaison", "Pithiviers à la frangipane et à la rose."),
    ("Bourdaloue Contemporaine", "Tarte poire-amande revisitée, poires pochées au thé."),
    ("Couronne de Nanterre", "Couronne de pâte à choux, crème pralinée noisette et cœur caramel."),
    ("Charlotte Moderne", "Charlotte aux framboises, biscuit à la cuillère au citron vert."),
    ("Mille-feuille des Hauts", "Mille-feuille vanille-caramel, feuilletage caramélisé."),
    ("Galette de Chaville", "Galette frangipane à la pistache et à la griotte."),
)

COMMENTS = Comments(
    high=(
        "Équilibre remarquable des saveurs, très gourmand.",
        "Très belle finition, textures parfaitement maîtrisées.",
        "Le lien avec le département est évident et bien trouvé.",
        "Un gâteau que l'on a envie de racheter.",
    ),
    middle=(
        "Bon goût, mais le lien avec les Hauts-de-Seine est peu lisible.",
        "Un peu trop sucré ; la saveur associée se perd.",
        "Belle idée, exécution à affiner.",
        "Présentation soignée, texture un peu compacte.",
    ),
    low=(
        "Saveur dominante imperceptible.",
        "Montage fragile, biscuit sec.",
        "Le thème n'est pas respecté.",
    ),
)


def _of(commune: str) -> str:
    """« de Sceaux », « d'Antony », « du Plessis-Robinson »: French elision and contraction."""
    if commune.startswith("Le "):
        return "du " + commune[3:]
    if commune[0] in "AEIOUÉÈÊaeiouéèê":
        return "d'" + commune
    return "de " + commune


def _shop(rng: random.Random, *, artisan: str, commune: str) -> str:
    last = artisan.split(" ", 1)[1]
    return rng.choice(
        (
            f"Pâtisserie {last}",
            f"Boulangerie {last}",
            f"Maison {last}",
            f"Chocolaterie {last}",
            f"Au Fournil {_of(commune)}",
            f"Les Délices {_of(commune)}",
            f"Boulangerie-Pâtisserie {last}",
        )
    )


class _Tasting(msgspec.Struct, frozen=True, kw_only=True):
    """What one year's tasting is about beyond its dates: the theme's criterion, the cakes, the jury."""

    theme_help: str
    creations: Sequence[tuple[str, str]]
    """(creation, recipe): `entries` of them are drawn."""
    entries: int
    professionals: Sequence[Person]
    amateurs: Sequence[Person]


def make_edition(
    facts: EditionFacts, tasting: _Tasting, *, seed: int, communes: Sequence[Commune]
) -> Edition:
    rng = facts.rng(seed)
    dates = facts.dates
    category = Category(code="gateau", name="Gâteau", position=1, criteria=_grid(tasting.theme_help))
    names = p.NamePool(rng)
    count = tasting.entries
    numbers = rng.sample(range(1, count + 1), count)  # anonymous: unrelated to the order of registration
    candidates = []
    for i, (creation, recipe) in enumerate(rng.sample(list(tasting.creations), count)):
        artisan = names.draw()
        commune = rng.choice(communes)
        candidates.append(
            Candidate(
                key=f"entree-{i + 1}",
                kind="artisan",
                person_name=artisan,
                organisation_name=_shop(rng, artisan=artisan, commune=commune.name),
                email=p.email_for(artisan),
                phone=p.fictional_phone(rng),
                insee_code=commune.insee_code,
                commune_label=commune.name,
                legal_form=rng.choice(("EI", "SARL", "SAS")),
                founded_on=dates["closes"] - dt.timedelta(days=rng.randint(400, 25 * 365)),
                entry_number=numbers[i],
                creation_name=creation,
                category="gateau",
                summary=recipe,
            )
        )
    members = (
        Member(person=p.JURY_CHAIR_GATEAU.email, role="chair", is_professional=True),
        *(Member(person=x.email, is_professional=True) for x in tasting.professionals),
        *(Member(person=x.email) for x in tasting.amateurs),
    )
    edition = build.edition(
        facts,
        decision_day="tasting",
        signatories=(p.PRESIDENT_DEPARTEMENT, p.PRESIDENT_JURY_GATEAU),
        categories=(category,),
        prizes=PODIUM,
        people=[p.JURY_CHAIR_GATEAU, *tasting.professionals, *tasting.amateurs, p.ORGANISER_GATEAU],
        candidates=candidates,
        rounds=[
            Round(
                kind="tasting",
                name="Dégustation à l'aveugle",
                position=TASTING,
                status="closed" if facts.decided else "open",
                scheduled_on=dates["tasting"],
                blind=True,
                panels=(Panel(name=PANEL, members=members, venue="CMA Île-de-France – Hauts-de-Seine"),),
            )
        ],
    )
    b = Builder(
        edition,
        rng=rng,
        comments=COMMENTS,
        jurors=[
            ([x.email for x in tasting.professionals], -0.03),
            ([x.email for x in tasting.amateurs], 0.03),
        ],
    )
    # Every juror tastes every cake, cake after cake in entry-number order.
    pairs = [
        Assignment(round=TASTING, panel=PANEL, person=j.email, candidate=c.key)
        for c in sorted(candidates, key=lambda c: c.entry_number or 0)
        for j in (*tasting.professionals, *tasting.amateurs)
    ]
    done = len(pairs) if facts.decided else (len(pairs) * 2) // 5
    sheets = b.score(
        round=TASTING,
        pairs=pairs,
        start=at(dates["tasting"], 14),
        submitted=lambda i: i < done,
        drafts=0 if facts.decided else 4,
        comment_rate=0.25,
    )
    b.assign(pairs)
    if facts.decided:
        _podium(b, sheets=sheets, day=dates["tasting"])
    else:
        b.pending([c.key for c in candidates], round=TASTING, panel=PANEL, at=at(dates["closes"], 12))
    return edition


def _podium(b: Builder, *, sheets: Sequence[Sheet], day: dt.date) -> None:
    """The jury's mean decides: the three best get the podium's prizes, the others their rank."""
    moment = at(day, 18)
    for rank, (key, score) in enumerate(standings(sheets, b.category_of), start=1):
        if rank > len(PODIUM):
            reason = f"Hors podium : {rank}e ({french_number(score)}/100)"
            b.enter(candidate=key, round=TASTING, panel=PANEL, status="eliminated", reason=reason, at=moment)
            continue
        prize = PODIUM[rank - 1]
        decision = Decision(
            key=prize.code,
            candidate=key,
            round=TASTING,
            kind="award",
            reason=(
                f"{prize.name} : {'meilleure' if rank == 1 else f'{rank}e'} moyenne du jury "
                f"({french_number(score)}/100), délibération du jury"
            ),
            at=moment,
            decided_by=p.ORGANISER_GATEAU.email,
            based_on="Moyenne des totaux pondérés /100 des grilles soumises",
        )
        b.decide(decision)
        b.award(decision, prize=prize.code, decided_on=day)
        b.enter(candidate=key, round=TASTING, panel=PANEL, status="laureate", reason=prize.name, at=moment)


EDITIONS = (
    (
        EditionFacts(
            slug="gateau-des-hauts-de-seine-2023",
            number=5,
            year=2023,
            theme="Caramel agrémenté d'une saveur",
            decided=True,
            dates={
                "opens": dt.date(2023, 5, 15),
                "closes": dt.date(2023, 9, 15),
                "tasting": dt.date(2023, 10, 5),
            },
        ),
        _Tasting(
            theme_help="Un caramel agrémenté d'une saveur, reconnaissable à la dégustation.",
            creations=CREATIONS_2023,
            entries=12,
            professionals=p.GATEAU_PROFESSIONALS[:4],
            amateurs=p.GATEAU_AMATEURS[:5],
        ),
    ),
    (
        EditionFacts(
            slug="gateau-des-hauts-de-seine-2025",
            number=7,
            year=2025,
            theme="Saveurs d'hier et de demain : le gâteau entre tradition et modernité",
            decided=False,
            dates={
                "opens": dt.date(2025, 6, 2),
                "closes": dt.date(2025, 10, 3),
                "tasting": dt.date(2025, 10, 16),
            },
        ),
        _Tasting(
            theme_help="Une recette traditionnelle réinventée, qui met en valeur des produits locaux.",
            creations=CREATIONS_2025,
            entries=14,
            professionals=p.GATEAU_PROFESSIONALS[1:],
            amateurs=p.GATEAU_AMATEURS[1:],
        ),
    ),
)


CONTEST = Contest(
    slug=SLUG,
    name="Imaginez le gâteau des Hauts-de-Seine",
    organisers="CMA Île-de-France – Hauts-de-Seine et Département des Hauts-de-Seine",
    candidate_kind="artisan",
    description=(
        "Concours des artisans boulangers, pâtissiers et chocolatiers des Hauts-de-Seine : dégustation "
        "à l'aveugle par numéro, jury présidé par un Meilleur Ouvrier de France et composé pour moitié "
        "de professionnels, podium des trois meilleurs gâteaux."
    ),
    organiser_people=(p.ORGANISER_GATEAU,),
    editions=(),
)
