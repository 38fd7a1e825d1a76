"""Deliberation over HTTP: the JSON API and the French pages of jurors, chairs and organisers.

Handlers only translate; who may do what is decided in the services, so the API and the pages cannot
drift apart. Page forms post, then redirect back (303) to the page they came from.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import JSONBody, Parameter
from litestar.response import Redirect, Template

from jury.access.guards import requires_organiser, requires_sign_in
from jury.access.identity import Identity
from jury.contests.service import list_rounds, organised_edition
from jury.db.queries import Database
from jury.deliberation import allocation, awards, notes, service, votes
from jury.deliberation.models import (
    Advancement,
    AdvanceRequest,
    AwardLine,
    AwardRow,
    AwardsRequest,
    Ballot,
    CastingVoteRequest,
    CloseBallotRequest,
    Decision,
    GrantLine,
    GrantsRequest,
    Note,
    NoteRequest,
    OpenBallotRequest,
    Proposal,
    VoteRequest,
)
from jury.errors import Invalid, JuryError
from jury.web.openapi_errors import error_responses

# --- JSON API -------------------------------------------------------------------------------------------

NOT_DELIBERATED = "Le tour n'a pas encore atteint la délibération."
NOT_DELIBERATING = "Le tour n'est pas en délibération."


class DeliberationApi(Controller):
    path = "/api"
    tags = ["délibération"]
    guards = [requires_sign_in]

    @get(
        "/rounds/{round_id:int}/notes",
        summary="Notes de délibération d'un tour",
        description="Membres du jury (pendant ou après la délibération, sans les candidats dont ils se sont "
        "déportés) et organisateurs du concours.",
        responses=error_responses({409: NOT_DELIBERATED}),
    )
    async def list_notes(
        self, db: Database, identity: Identity, round_id: int, panel_id: int | None = None
    ) -> list[Note]:
        return await notes.list_notes(db, identity=identity, round_id=round_id, panel_id=panel_id)

    @post(
        "/rounds/{round_id:int}/notes",
        summary="Ajouter une note de délibération sur un candidat",
        description="Membres du jury du candidat, pendant la délibération, jamais sur un candidat dont ils se "
        "sont déportés.",
        responses=error_responses({409: NOT_DELIBERATING, 422: "La note est vide."}),
    )
    async def add_note(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[NoteRequest]
    ) -> Note:
        return await notes.add_note(
            db, identity=identity, round_id=round_id, candidate_id=data.candidate_id, text=data.text
        )

    @get(
        "/rounds/{round_id:int}/ballots",
        summary="Scrutins d'un tour",
        responses=error_responses({409: NOT_DELIBERATED}),
    )
    async def list_ballots(
        self, db: Database, identity: Identity, round_id: int, panel_id: int | None = None
    ) -> list[Ballot]:
        return await votes.list_ballots(db, identity=identity, round_id=round_id, panel_id=panel_id)

    @post(
        "/rounds/{round_id:int}/ballots",
        summary="Ouvrir un scrutin (approbation ou classement)",
        description="Présidence du jury ou organisateurs, pendant la délibération.",
        responses=error_responses(
            {
                409: NOT_DELIBERATING,
                422: "Scrutin refusé (intitulé vide, candidat hors du jury ou cité deux fois) : chaque erreur "
                "est listée.",
            }
        ),
    )
    async def open_ballot(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[OpenBallotRequest]
    ) -> Ballot:
        return await votes.open_ballot(
            db,
            identity=identity,
            round_id=round_id,
            panel_id=data.panel_id,
            kind=data.kind,
            title=data.title,
            candidate_ids=data.candidate_ids,
        )

    @get("/ballots/{ballot_id:int}", summary="Un scrutin et, s'il est clos, son résultat")
    async def get_ballot(self, db: Database, identity: Identity, ballot_id: int) -> Ballot:
        return await votes.get_ballot(db, identity=identity, ballot_id=ballot_id)

    @post(
        "/ballots/{ballot_id:int}/votes",
        summary="Voter (un nouveau vote remplace le précédent tant que le scrutin est ouvert)",
        status_code=200,
        responses=error_responses(
            {
                409: "Scrutin clos, ou tour hors délibération.",
                422: "Vote non valide : chaque erreur est listée.",
            }
        ),
    )
    async def vote(
        self, db: Database, identity: Identity, ballot_id: int, data: JSONBody[VoteRequest]
    ) -> Ballot:
        return await votes.cast_vote(db, identity=identity, ballot_id=ballot_id, vote=data)

    @post(
        "/ballots/{ballot_id:int}/close",
        summary="Clore un scrutin et en établir le résultat",
        description="Applique la politique de départage de l'édition ; les scores calibrés ou par critère, "
        "s'ils ne sont pas fournis, sont écartés avec une mention au résultat.",
        status_code=200,
        responses=error_responses(
            {
                409: "Scrutin déjà clos ou sans aucun vote, ou tour hors délibération.",
                422: "Départage impossible avec les scores fournis.",
            }
        ),
    )
    async def close(
        self, db: Database, identity: Identity, ballot_id: int, data: JSONBody[CloseBallotRequest]
    ) -> Ballot:
        return await votes.close_ballot(
            db,
            identity=identity,
            ballot_id=ballot_id,
            calibrated=data.calibrated,
            criterion_scores=data.criterion_scores,
        )

    @post(
        "/ballots/{ballot_id:int}/casting-vote",
        summary="Voix prépondérante de la présidence sur une égalité restante",
        status_code=200,
        responses=error_responses(
            {
                409: "Scrutin pas encore clos, sans égalité à départager, voix déjà exprimée, ou tour hors "
                "délibération.",
                422: "Voix prépondérante non valide : chaque erreur est listée.",
            }
        ),
    )
    async def casting_vote(
        self, db: Database, identity: Identity, ballot_id: int, data: JSONBody[CastingVoteRequest]
    ) -> Ballot:
        return await votes.casting_vote(
            db, identity=identity, ballot_id=ballot_id, order=data.order, reason=data.reason
        )

    @post(
        "/rounds/{round_id:int}/advance",
        summary="Confirmer les qualifiés pour le tour suivant",
        description="Organisateurs, pendant la délibération. Les candidats cités entrent au tour suivant ; "
        "les autres candidats encore en lice (du jury indiqué, ou de tout le tour) sont éliminés. "
        "« based_on » nomme le classement utilisé (méthode et empreinte).",
        status_code=200,
        guards=[requires_organiser],
        responses=error_responses(
            {
                409: "Tour hors délibération, dernier tour de l'édition, ou tour suivant déjà commencé.",
                422: "Classement de référence manquant ou liste des qualifiés non valide : rien n'est écrit.",
            }
        ),
    )
    async def advance(
        self, db: Database, identity: Identity, round_id: int, data: JSONBody[AdvanceRequest]
    ) -> Advancement:
        return await service.confirm_advancement(
            db,
            identity=identity,
            round_id=round_id,
            advance=data.advance,
            based_on=data.based_on,
            reason=data.reason,
            panel_id=data.panel_id,
        )


class DecisionsApi(Controller):
    path = "/api/editions/{slug:str}"
    tags = ["décisions"]
    guards = [requires_organiser]

    @get("/decisions", summary="Décisions d'une édition (qui, quand, pourquoi)")
    async def decisions(self, db: Database, identity: Identity, slug: str) -> list[Decision]:
        return await service.list_decisions(db, identity=identity, slug=slug)

    @get("/awards", summary="Prix et subventions attribués dans une édition")
    async def list_awards(self, db: Database, identity: Identity, slug: str) -> list[AwardRow]:
        return await awards.list_awards(db, identity=identity, slug=slug)

    @post(
        "/awards",
        summary="Attribuer des prix (prix de catégorie, prix spécial, podium)",
        description="La feuille entière (prix déjà attribués compris) est vérifiée : un prix par lauréat si "
        "l'édition l'impose, podium 1er/2e/3e prix. Une erreur suffit pour ne rien enregistrer (422).",
        responses=error_responses(
            {
                409: "Le tour cité (`round_id`) n'est pas en délibération.",
                422: "Attribution refusée : chaque erreur est listée, rien n'est enregistré.",
            }
        ),
    )
    async def record_awards(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[AwardsRequest]
    ) -> list[AwardRow]:
        return await awards.record_awards(db, identity=identity, slug=slug, request=data)

    @get(
        "/grants/proposal",
        summary="Proposition de répartition des subventions (rien n'est enregistré)",
        description="« order » : identifiants des candidats dans l'ordre du classement (paramètre répété) ; "
        "à défaut, l'ordre des dossiers.",
        responses=error_responses(
            {
                409: "Le budget ou le plafond de subvention de l'édition n'est pas défini.",
                422: "Classement fourni non valide (candidat inconnu ou cité deux fois).",
            }
        ),
    )
    async def proposal(
        self,
        db: Database,
        identity: Identity,
        slug: str,
        order: list[int] | None = None,
        min_partial: int | None = Parameter(default=None, gt=0),
    ) -> Proposal:
        return await allocation.proposal(
            db, identity=identity, slug=slug, order=order, min_partial=min_partial
        )

    @post(
        "/grants",
        summary="Attribuer les subventions de lauréat",
        description="Montant accordé ≤ montant demandé ≤ plafond, total ≤ budget de l'édition, candidats "
        "éligibles seulement. Toute erreur est renvoyée (422) et rien n'est enregistré.",
        responses=error_responses(
            {
                409: "Budget ou plafond non défini, ou aucun prix « lauréat » dans l'édition.",
                422: "Répartition refusée : chaque erreur est listée, rien n'est enregistré.",
            }
        ),
    )
    async def record_grants(
        self, db: Database, identity: Identity, slug: str, data: JSONBody[GrantsRequest]
    ) -> list[AwardRow]:
        return await allocation.record_grants(db, identity=identity, slug=slug, request=data)


# --- Pages of the panel ---------------------------------------------------------------------------------


def _ints(values: list[str], *, what: str) -> list[int]:
    try:
        return [int(v) for v in values if v.strip()]
    except ValueError:
        raise Invalid(f"{what} : valeur non numérique.") from None


def _ranks(form: FormMultiDict, *, prefix: str = "rang-") -> dict[int, int]:
    ranks = {}
    for key, value in form.multi_items():
        if key.startswith(prefix) and str(value).strip():
            try:
                ranks[int(key[len(prefix) :])] = int(str(value))
            except ValueError:
                raise Invalid("Rang invalide : un nombre entier est attendu (1 pour le premier).") from None
    return ranks


def _tiers(ranks: dict[int, int]) -> list[list[int]]:
    return [sorted(c for c, r in ranks.items() if r == level) for level in sorted(set(ranks.values()))]


class DeliberationPages(Controller):
    path = "/deliberation"
    tags = ["délibération"]
    guards = [requires_sign_in]
    include_in_schema = False

    @get("/", summary="Mes jurys en délibération")
    async def index(self, db: Database, identity: Identity) -> Template:
        return Template(
            "deliberation/index.html", context={"panels": await service.my_panels(db, identity=identity)}
        )

    @get("/{panel_id:int}", summary="Délibération d'un jury")
    async def panel(self, db: Database, identity: Identity, panel_id: int) -> Template:
        rnd, seat = await service.panel_seat(db, identity=identity, panel_id=panel_id)
        if not seat.organiser:
            service.require_deliberated(rnd, what="Les pages de délibération")
        labels = await service.panel_candidates(db, panel_id=panel_id, blind=rnd.blind and not seat.organiser)
        by_candidate: dict[int, list[Note]] = defaultdict(list)
        for note in await notes.list_notes(db, identity=identity, round_id=rnd.id, panel_id=panel_id):
            by_candidate[note.candidate_id].append(note)
        ballots = await votes.list_ballots(db, identity=identity, round_id=rnd.id, panel_id=panel_id)
        return Template(
            "deliberation/panel.html",
            context={
                "round": rnd,
                "panel_id": panel_id,
                "panel_name": await service.panel_name(db, round_id=rnd.id, panel_id=panel_id),
                "role": seat.role(panel_id),
                "writable": rnd.status == "deliberation",
                "candidates": [(cid, label) for cid, label in labels.items() if cid not in seat.hidden],
                "labels": labels,
                "notes": by_candidate,
                "open_ballots": [b for b in ballots if b.status == "open"],
                "closed_ballots": [b for b in ballots if b.status == "closed"],
            },
        )

    @post("/{panel_id:int}/notes", summary="Ajouter une note (formulaire)", status_code=303)
    async def add_note(self, request: Request, db: Database, identity: Identity, panel_id: int) -> Redirect:
        rnd, _ = await service.panel_seat(db, identity=identity, panel_id=panel_id)
        form = await request.form()
        [candidate_id] = _ints([form.get("candidate_id", "")], what="Candidat") or [0]
        await notes.add_note(
            db, identity=identity, round_id=rnd.id, candidate_id=candidate_id, text=str(form.get("text", ""))
        )
        return Redirect(f"/deliberation/{panel_id}#candidat-{candidate_id}", status_code=303)

    @post("/{panel_id:int}/scrutins", summary="Ouvrir un scrutin (formulaire)", status_code=303)
    async def open_ballot(
        self, request: Request, db: Database, identity: Identity, panel_id: int
    ) -> Redirect:
        rnd, _ = await service.panel_seat(db, identity=identity, panel_id=panel_id)
        form = await request.form()
        kind = str(form.get("kind", ""))
        if kind not in ("approval", "ranked"):
            raise Invalid("Type de scrutin inconnu.")
        await votes.open_ballot(
            db,
            identity=identity,
            round_id=rnd.id,
            panel_id=panel_id,
            kind=kind,
            title=str(form.get("title", "")),
            candidate_ids=_ints(form.getall("candidate_ids", []), what="Candidats"),
        )
        return Redirect(f"/deliberation/{panel_id}#scrutins", status_code=303)

    @post("/scrutins/{ballot_id:int}/vote", summary="Voter (formulaire)", status_code=303)
    async def vote(self, request: Request, db: Database, identity: Identity, ballot_id: int) -> Redirect:
        form = await request.form()
        if form.get("kind") == "ranked":
            vote = VoteRequest(tiers=_tiers(_ranks(form)))
        else:
            vote = VoteRequest(approved=_ints(form.getall("approved", []), what="Candidats approuvés"))
        ballot = await votes.cast_vote(db, identity=identity, ballot_id=ballot_id, vote=vote)
        return Redirect(f"/deliberation/{ballot.panel_id}#scrutin-{ballot_id}", status_code=303)

    @post("/scrutins/{ballot_id:int}/cloture", summary="Clore un scrutin (formulaire)", status_code=303)
    async def close(self, db: Database, identity: Identity, ballot_id: int) -> Redirect:
        ballot = await votes.close_ballot(db, identity=identity, ballot_id=ballot_id)
        return Redirect(f"/deliberation/{ballot.panel_id}#scrutin-{ballot_id}", status_code=303)

    @post(
        "/scrutins/{ballot_id:int}/voix-preponderante",
        summary="Voix prépondérante de la présidence (formulaire)",
        status_code=303,
    )
    async def casting_vote(
        self, request: Request, db: Database, identity: Identity, ballot_id: int
    ) -> Redirect:
        form = await request.form()
        ranks = _ranks(form)
        if len(set(ranks.values())) != len(ranks):
            raise Invalid(
                "La voix prépondérante départage : deux candidats ne peuvent pas avoir le même rang."
            )
        order = sorted(ranks, key=ranks.__getitem__)
        ballot = await votes.casting_vote(
            db, identity=identity, ballot_id=ballot_id, order=order, reason=str(form.get("reason", ""))
        )
        return Redirect(f"/deliberation/{ballot.panel_id}#scrutin-{ballot_id}", status_code=303)


# --- Organisers' pages ----------------------------------------------------------------------------------


class DecisionPages(Controller):
    path = "/organisation/editions/{slug:str}"
    tags = ["organisation"]
    guards = [requires_organiser]
    include_in_schema = False

    @get("/decisions", summary="Décisions, qualifiés et prix d'une édition")
    async def decisions(self, db: Database, identity: Identity, slug: str) -> Template:
        return await _decisions_page(db, identity=identity, slug=slug)

    @post("/decisions/prix", summary="Attribuer des prix (formulaire)", status_code=303)
    async def award(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        form = await request.form()
        try:
            lines = [
                AwardLine(prize=key.removeprefix("prix-"), candidate_id=candidate_id)
                for key, value in form.multi_items()
                if key.startswith("prix-")
                for candidate_id in _ints([str(value)], what="Lauréat")
            ]
            if not lines:
                raise Invalid("Choisissez au moins un lauréat.")
            await awards.record_awards(
                db,
                identity=identity,
                slug=slug,
                request=AwardsRequest(
                    awards=lines,
                    reason=str(form.get("reason", "")),
                    based_on=str(form.get("based_on", "")),
                    allow_vacant=form.get("allow_vacant") == "on",
                ),
            )
        except Invalid as exc:
            return await _decisions_page(db, identity=identity, slug=slug, error=exc)
        return Redirect(f"/organisation/editions/{slug}/decisions#prix", status_code=303)

    @post("/decisions/qualifies", summary="Confirmer les qualifiés (formulaire)", status_code=303)
    async def advance(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        form = await request.form()
        try:
            [round_id] = _ints([form.get("round_id", "")], what="Tour") or [0]
            panel = _ints([form.get("panel_id", "")], what="Jury")
            edition = await organised_edition(db, identity=identity, slug=slug)
            rnd = await service.load_round(db, round_id)
            if rnd.edition_id != edition.id:
                raise Invalid("Ce tour n'appartient pas à cette édition.")
            await service.confirm_advancement(
                db,
                identity=identity,
                round_id=round_id,
                advance=_ints(form.getall("advance", []), what="Qualifiés"),
                based_on=str(form.get("based_on", "")),
                reason=str(form.get("reason", "")),
                panel_id=panel[0] if panel else None,
            )
        except Invalid as exc:
            return await _decisions_page(db, identity=identity, slug=slug, error=exc)
        return Redirect(f"/organisation/editions/{slug}/decisions", status_code=303)

    @get("/subventions", summary="Répartition des subventions")
    async def grants(
        self, db: Database, identity: Identity, slug: str, ordre: str = "", minimum: int | None = None
    ) -> Template:
        order = (
            _ints(ordre.replace(";", ",").split(","), what="Ordre du classement") if ordre.strip() else None
        )
        return await _grants_page(
            db, identity=identity, slug=slug, order=order, min_partial=minimum, ordre=ordre
        )

    @post("/subventions", summary="Enregistrer les subventions (formulaire)", status_code=303)
    async def record_grants(
        self, request: Request, db: Database, identity: Identity, slug: str
    ) -> Template | Redirect:
        form = await request.form()
        entered: dict[int, str] = {}
        for key, value in form.multi_items():
            if key.startswith("montant-"):
                entered[int(key.removeprefix("montant-"))] = str(value)
        try:
            amounts = {
                cid: int(v.replace(" ", "").replace("\u202f", "")) for cid, v in entered.items() if v.strip()
            }
        except ValueError:
            amounts = None
        try:
            if amounts is None:
                raise Invalid("Montant invalide : un nombre entier d'euros est attendu.")
            await allocation.record_grants(
                db,
                identity=identity,
                slug=slug,
                request=GrantsRequest(
                    grants=[GrantLine(candidate_id=c, granted_eur=a) for c, a in amounts.items()],
                    based_on=str(form.get("based_on", "")),
                    reason=str(form.get("reason", "")),
                ),
            )
        except Invalid as exc:
            ordre = str(form.get("ordre", ""))
            order = (
                _ints(ordre.replace(";", ",").split(","), what="Ordre du classement")
                if ordre.strip()
                else None
            )
            return await _grants_page(
                db,
                identity=identity,
                slug=slug,
                order=order,
                min_partial=None,
                ordre=ordre,
                error=exc,
                entered=entered,
                based_on=str(form.get("based_on", "")),
                reason=str(form.get("reason", "")),
            )
        return Redirect(f"/organisation/editions/{slug}/subventions", status_code=303)


async def _decisions_page(
    db: Database, *, identity: Identity, slug: str, error: JuryError | None = None
) -> Template:
    edition = await organised_edition(db, identity=identity, slug=slug)
    rounds = []
    for r in await db.fetch("delib_deliberating_rounds", edition_id=edition.id):
        candidates = await db.fetch("delib_round_candidates", round_id=r["id"])
        rounds.append(
            {
                "id": r["id"],
                "name": r["name"],
                "has_next": r["has_next"],
                "candidates": [
                    {**dict(c), "label": service.candidate_label(c, blind=False)} for c in candidates
                ],
                "panels": await db.fetch("delib_round_panels", round_id=r["id"]),
            }
        )
    prizes = [p for p in await db.fetch("delib_prizes", edition_id=edition.id) if p["kind"] != "laureate"]
    candidates = await db.fetch("delib_edition_candidates", edition_id=edition.id)
    return Template(
        "organiser/decisions.html",
        context={
            "edition": edition,
            "decisions": await service.list_decisions(db, identity=identity, slug=slug),
            "awards": await awards.awards_of_edition(db, edition_id=edition.id),
            "prizes": prizes,
            "candidates": service.unique_labels(candidates, blind=False),
            "rounds": rounds,
            "all_rounds": await list_rounds(db, edition.id),
            "error": error,
        },
        status_code=error.status_code if error else 200,
    )


async def _grants_page(
    db: Database,
    *,
    identity: Identity,
    slug: str,
    order: list[int] | None,
    min_partial: int | None,
    ordre: str,
    error: JuryError | None = None,
    entered: dict[int, str] | None = None,
    based_on: str = "",
    reason: str = "",
) -> Template:
    edition = await organised_edition(db, identity=identity, slug=slug)
    context: dict[str, Any] = {
        "edition": edition,
        "ordre": ordre,
        "minimum": min_partial,
        "error": error,
        "entered": entered or {},
        "based_on": based_on,
        "reason": reason,
        "awards": [
            a for a in await awards.awards_of_edition(db, edition_id=edition.id) if a.prize_kind == "laureate"
        ],
    }
    try:
        context["proposal"] = await allocation.proposal(
            db, identity=identity, slug=slug, order=order, min_partial=min_partial
        )
    except JuryError as exc:
        context["proposal"] = None
        context["error"] = error or exc
    status = context["error"].status_code if context["error"] else 200
    return Template("organiser/grants.html", context=context, status_code=status)
