"""Who appears in the demo: fictional jurors, organisers and candidates, and the real signatories.

Every juror, organiser and candidate is invented. Real public figures appear only where the contests'
public material names them (see /work/shared/domain/contests.md): as signatories of a diploma, and
Stéphane Glacier as the chair of the Gâteau's tasting jury, who never gets a score sheet so that no mark is
put in a real person's mouth. E-mail addresses are on example domains and telephone numbers in the ranges
Arcep keeps for works of fiction, so nothing in the demo can reach anyone.
"""

from __future__ import annotations

import random
import re
import unicodedata

from jury.demo.plan import Person, Signatory

# --- real signatories ------------------------------------------------------------------------------------
# Mandates change: these are per-edition rows, and the names are the ones the sources support for the years
# the demo covers. The CMA Île-de-France – Hauts-de-Seine president is not named in any source we have, so
# the Gâteau carries no CMA signature rather than an invented name under a real office.
PRESIDENT_DEPARTEMENT = Signatory(
    full_name="Georges Siffredi", title="Le Président du Département des Hauts-de-Seine"
)
PRESIDENT_CCI = Signatory(full_name="Benoît Feytit", title="Le Président de la CCI Hauts-de-Seine")
MOF_TITLE = "Meilleur Ouvrier de France pâtissier"
PRESIDENT_JURY_GATEAU = Signatory(
    full_name="Stéphane Glacier", title="Le Président du jury", distinction=MOF_TITLE
)
JURY_CHAIR_GATEAU = Person(full_name="Stéphane Glacier", email="stephane.glacier@exemple.fr", title=MOF_TITLE)


def email_for(full_name: str, domain: str = "exemple.fr") -> str:
    """`prénom.nom@domaine` without accents or spaces, the way French work addresses are usually built."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    parts = [re.sub(r"[^a-z0-9-]", "", p) for p in ascii_name.lower().replace("'", "").split()]
    return ".".join(p for p in parts if p) + "@" + domain


def person(full_name: str, title: str, *, domain: str = "exemple.fr") -> Person:
    return Person(full_name=full_name, email=email_for(full_name, domain), title=title)


# --- organisers (accounts without password; a later issue gives them one) ---------------------------------
ORGANISER_MADE_IN_92 = person("Claire Vasseur", "Chargée de mission Made in 92, CCI Hauts-de-Seine")
ORGANISER_GATEAU = person(
    "Romain Texier", "Chargé de développement économique, CMA Île-de-France – Hauts-de-Seine"
)
ORGANISER_PROGRESS = person("Leïla Amrani", "Chargée de mission ESS, Département des Hauts-de-Seine")
# The Département's administrator: creates contests and names their organisers (README lists the account).
ADMINISTRATOR = Person(
    full_name="Nathalie Garnier",
    email="admin@exemple.fr",
    title="Administratrice des concours, Département des Hauts-de-Seine",
)

# --- Made in 92 jurors: business people of the territory ------------------------------------------------
SOPHIE_MARCHAND = person("Sophie Marchand", "Cheffe d'entreprise, services numériques")
KARIM_BENALI = person("Karim Benali", "Chargé d'affaires, banque")
HELENE_ROUSSEAU = person("Hélène Rousseau-Dupré", "Experte-comptable")
NADIA_HADDAD = person("Nadia Haddad", "Directrice d'incubateur")
JULIEN_MOREAU = person("Julien Moreau", "Responsable innovation, groupe industriel")
CAMILLE_NGUYEN = person("Camille Nguyen", "Avocate en droit des affaires")
PIERRE_ANTOINE_GIRARD = person("Pierre-Antoine Girard", "Chef d'entreprise, industrie")
AICHA_DIALLO = person("Aïcha Diallo", "Chargée de développement économique, territoire")
MARC_DUBOIS = person("Marc Dubois", "Chargé d'affaires, banque")
LAURE_FONTAINE = person("Laure Fontaine", "Investisseuse, fonds d'amorçage")
THOMAS_LEFEBVRE = person("Thomas Lefebvre", "Business angel")
FRANCOIS_LAMBERT = person("François Lambert", "Conseiller entreprises, CCI Hauts-de-Seine")
ELODIE_BESSON = person("Élodie Besson", "Cheffe d'entreprise, lauréate Made in 92")
ISABELLE_KOWALSKI = person("Isabelle Kowalski", "Directrice RSE, entreprise de services")
ANTOINE_MERCIER = person("Antoine Mercier", "Chef d'entreprise, président du grand jury")
YANNICK_LE_GOFF = person("Yannick Le Goff", "Journaliste économique")
SAMIR_OUALI = person("Samir Ouali", "Expert-comptable")
VALERIE_CHEVALIER = person("Valérie Chevalier", "Directrice d'agence, banque")
GREGORY_PETIT = person("Grégory Petit", "Chef d'entreprise, bâtiment")
MANON_ROCHE = person("Manon Roche", "Responsable des partenariats, école d'ingénieurs")

# --- Gâteau jurors: half professionals (is_professional), half informed amateurs --------------------------
GATEAU_PROFESSIONALS = (
    person("Maëlle Carpentier", "Boulangère-pâtissière"),
    person("Olivier Tessier", "Artisan chocolatier"),
    person("Inès Belkacem", "Cheffe pâtissière, restauration"),
    person("Hugo Vannier", "Formateur en pâtisserie, centre de formation d'apprentis"),
    person("Lucie Perrin", "Artisane pâtissière-glacière"),
)
GATEAU_AMATEURS = (
    person("Catherine Aubert", "Journaliste culinaire"),
    person("Mehdi Saïdi", "Auteur d'un blog gastronomique"),
    person("Brigitte Lemoine", "Habitante des Hauts-de-Seine, amatrice de pâtisserie"),
    person("Paul-Henri Devaux", "Représentant d'une association de consommateurs"),
    person("Sarah Cohen", "Élève en CAP pâtissier"),
    person("Jean-Luc Barbier", "Gastronome, ancien restaurateur"),
)

# --- Progr'ESS committee: the Département's ESS team and partners of the support programme ---------------
PROGRESS_COMMITTEE = (
    person("Martine Olivier", "Directrice de l'attractivité et de l'ESS, Département des Hauts-de-Seine"),
    person("Bruno Garnier", "Chargé d'accompagnement, réseau de financement solidaire"),
    person("Fatou Sy", "Responsable d'un incubateur de l'économie sociale et solidaire"),
    person("Élise Marchetti", "Chargée de mission insertion, Département des Hauts-de-Seine"),
    person("Denis Caron", "Administrateur d'une fondation d'entreprise"),
    person("Nathalie Brunet", "Déléguée territoriale, réseau d'associations"),
    person("Rachid Mansouri", "Directeur d'une structure d'insertion par l'activité économique"),
    person("Agnès Leroy", "Chargée de mission développement durable, Département des Hauts-de-Seine"),
)

# --- name pools for candidates ----------------------------------------------------------------------------
FEMALE_FIRST_NAMES = (
    "Amandine",
    "Anaïs",
    "Aurélie",
    "Béatrice",
    "Capucine",
    "Céline",
    "Chloé",
    "Clémence",
    "Delphine",
    "Émilie",
    "Fanny",
    "Farida",
    "Florence",
    "Gaëlle",
    "Hanane",
    "Inès",
    "Isabelle",
    "Jeanne",
    "Julie",
    "Justine",
    "Karine",
    "Léa",
    "Linh",
    "Lina",
    "Louise",
    "Lucie",
    "Madeleine",
    "Margaux",
    "Marie",
    "Mathilde",
    "Mélanie",
    "Mona",
    "Nadège",
    "Naïma",
    "Noémie",
    "Océane",
    "Pauline",
    "Rokia",
    "Salomé",
    "Sandrine",
    "Sonia",
    "Stéphanie",
    "Valentine",
    "Virginie",
    "Yasmine",
    "Zoé",
)
MALE_FIRST_NAMES = (
    "Adrien",
    "Alexandre",
    "Arnaud",
    "Baptiste",
    "Benjamin",
    "Bilal",
    "Cédric",
    "Charles",
    "Damien",
    "David",
    "Djibril",
    "Éric",
    "Étienne",
    "Fabien",
    "Florian",
    "Frédéric",
    "Guillaume",
    "Hugo",
    "Ibrahim",
    "Jérôme",
    "Jonathan",
    "Kevin",
    "Loïc",
    "Louis",
    "Lucas",
    "Mathieu",
    "Maxime",
    "Mehdi",
    "Nicolas",
    "Olivier",
    "Quentin",
    "Raphaël",
    "Rémi",
    "Romain",
    "Sébastien",
    "Simon",
    "Stéphane",
    "Théo",
    "Tristan",
    "Vincent",
    "Wassim",
    "Xavier",
    "Yann",
    "Youssef",
)
LAST_NAMES = (
    "Achour",
    "Antoine",
    "Arnaud",
    "Barbier",
    "Baron",
    "Benoît",
    "Bernard",
    "Bertin",
    "Blanc",
    "Bonnet",
    "Boucher",
    "Bouvier",
    "Brun",
    "Carré",
    "Chauvin",
    "Clément",
    "Colin",
    "Collet",
    "Cordier",
    "Costa",
    "Da Silva",
    "Daniel",
    "David",
    "Delmas",
    "Denis",
    "Deschamps",
    "Diop",
    "Dumas",
    "Dupont",
    "Durand",
    "Fabre",
    "Faure",
    "Fernandes",
    "Fleury",
    "Fournier",
    "Gaillard",
    "Garcia",
    "Gauthier",
    "Gautier",
    "Gérard",
    "Gilbert",
    "Giraud",
    "Guérin",
    "Guillot",
    "Hamon",
    "Henry",
    "Hoarau",
    "Huet",
    "Jacob",
    "Joly",
    "Julien",
    "Keita",
    "Klein",
    "Lacroix",
    "Laine",
    "Lambert",
    "Laurent",
    "Le Bihan",
    "Leclerc",
    "Lefèvre",
    "Legrand",
    "Lemaire",
    "Leroux",
    "Lopez",
    "Lucas",
    "Maillard",
    "Martin",
    "Martinez",
    "Masson",
    "Mathieu",
    "Meunier",
    "Meyer",
    "Michaud",
    "Moulin",
    "Muller",
    "N'Diaye",
    "Nicolas",
    "Noël",
    "Ozturk",
    "Paris",
    "Pereira",
    "Perret",
    "Petitjean",
    "Picard",
    "Poirier",
    "Prévost",
    "Renard",
    "Rey",
    "Richard",
    "Rivière",
    "Robert",
    "Robin",
    "Rolland",
    "Roussel",
    "Roy",
    "Sanchez",
    "Schmitt",
    "Tan",
    "Thomas",
    "Tran",
    "Vidal",
    "Vincent",
    "Weber",
    "Zimmermann",
)


class NamePool:
    """Draws distinct full names from the pools, so no two candidates of an edition share a name."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._taken: set[str] = set()

    def draw(self, *, female: bool | None = None) -> str:
        if female is None:
            female = self._rng.random() < 0.5
        first_names = FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES
        while True:
            name = f"{self._rng.choice(first_names)} {self._rng.choice(LAST_NAMES)}"
            if name not in self._taken:
                self._taken.add(name)
                return name


def fictional_phone(rng: random.Random) -> str:
    """A number from the blocks the national numbering plan keeps for audiovisual works (Arcep, plan national
    de numérotation § 2.5.12: 01 99 00, 06 39 98…): it looks real and rings nowhere."""
    prefix = rng.choice(("01 99 00", "06 39 98"))
    return f"{prefix} {rng.randrange(100):02d} {rng.randrange(100):02d}"
