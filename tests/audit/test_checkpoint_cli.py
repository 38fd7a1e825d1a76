"""`jury audit checkpoint` and `jury audit verify --checkpoint / --expect-head`, run as operators run them.

Each fault of issue 19 is made for real in the database (triggers off, as someone with the database's
owner rights would): a deleted tail, an edited event, a rewrite re-hashed with the public function, a
reordering. Each is detected and the first bad event named; a checkpoint file changed by hand is refused.
"""

from __future__ import annotations

import json

from tests.audit.test_cli import append_events, run_jury

from jury.audit.chain import link_hash


async def checkpoint(database_url: str, path) -> dict:
    result = await run_jury(database_url, "audit", "checkpoint", "--out", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Point de contrôle écrit : {path}"
    return json.loads(path.read_text())


async def unlock(db) -> None:
    await db.conn.execute("alter table audit_events disable trigger audit_events_no_update")


async def test_a_checkpoint_is_signed_and_an_intact_chain_matches_it(db, database_url, tmp_path):
    ids = await append_events(db, 3)
    cp = await checkpoint(database_url, tmp_path / "cp.json")
    head = await db.conn.fetchval("select hash from audit_events order by id desc limit 1")
    assert (cp["count"], cp["last_event_id"], cp["head_hash"]) == (3, ids[-1], head)
    assert cp["format"] == "jury-audit-checkpoint/1" and len(cp["signature"]) == 64 and cp["created_at"]
    await append_events(db, 2)  # the chain grows after the checkpoint: still conforming
    result = await run_jury(database_url, "audit", "verify", "--checkpoint", str(tmp_path / "cp.json"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Chaîne d'audit intègre : 5 événements vérifiés."
    assert f"Conforme au maillon attesté : 3 événement(s), {head} toujours à sa place." in result.stdout


async def test_a_deleted_tail_is_detected_against_the_checkpoint(db, database_url, tmp_path):
    ids = await append_events(db, 5)
    await checkpoint(database_url, tmp_path / "cp.json")
    await unlock(db)
    await db.conn.execute("delete from audit_events where id > $1", ids[2])
    alone = await run_jury(database_url, "audit", "verify")
    assert alone.returncode == 0  # what the issue found: the shorter chain links
    result = await run_jury(database_url, "audit", "verify", "--checkpoint", str(tmp_path / "cp.json"))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Chaîne incomplète : chaîne tronquée après l'événement n° {ids[2]} : 2 événement(s) manquent "
        f"sur les 5 attestés (dernier attendu : n° {ids[4]})"
    )
    assert "intègre" not in result.stdout


async def test_a_deleted_tail_is_detected_against_a_written_down_head(db, database_url):
    ids = await append_events(db, 4)
    head = await db.conn.fetchval("select hash from audit_events order by id desc limit 1")
    await unlock(db)
    await db.conn.execute("delete from audit_events where id = $1", ids[3])
    result = await run_jury(database_url, "audit", "verify", "--expect-head", head, "--expect-count", "4")
    assert result.returncode == 1
    assert result.stderr.strip().startswith(
        f"Chaîne incomplète : chaîne tronquée après l'événement n° {ids[2]} : 1 événement(s) manquent"
    )


async def test_an_edited_event_is_named(db, database_url, tmp_path):
    ids = await append_events(db, 4)
    await checkpoint(database_url, tmp_path / "cp.json")
    await unlock(db)
    await db.conn.execute("update audit_events set target = 't:99' where id = $1", ids[1])
    result = await run_jury(database_url, "audit", "verify", "--checkpoint", str(tmp_path / "cp.json"))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Chaîne rompue à l'événement n° {ids[1]} : le contenu de l'événement a été modifié"
    )


async def test_a_rewrite_rehashed_with_the_public_function_is_named(db, database_url, tmp_path):
    """The forgery the issue found undetected: edit one event, recompute every later hash."""
    ids = await append_events(db, 5)
    await unlock(db)
    await db.conn.execute("update audit_events set target = 't:forgé' where id = $1", ids[2])
    rows = await db.conn.fetch("select * from audit_events order by id")
    prev = rows[1]["hash"]
    for row in rows[2:]:
        new = link_hash(
            prev_hash=prev,
            occurred_at=row["occurred_at"],
            actor=row["actor_label"],
            action=row["action"],
            target=row["target"],
            digest=row["digest"],
        )
        await db.conn.execute(
            "update audit_events set prev_hash = $1, hash = $2 where id = $3", prev, new, row["id"]
        )
        prev = new
    result = await run_jury(database_url, "audit", "verify")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Chaîne rompue à l'événement n° {ids[2]} : maillon recalculé sans la clé d'audit (historique réécrit)"
    )


async def test_a_reordering_is_named_at_the_first_event_out_of_place(db, database_url):
    ids = await append_events(db, 4)
    await unlock(db)
    a, b = await db.conn.fetch(
        "select * from audit_events where id = any($1::bigint[]) order by id", [ids[1], ids[2]]
    )
    columns = ("occurred_at", "actor_label", "action", "target", "digest", "prev_hash", "hash")
    # Swap the two rows' contents (through a placeholder hash: the column is unique).
    await db.conn.execute("update audit_events set hash = 'tmp' where id = $1", ids[2])
    for row, into in ((b, ids[1]), (a, ids[2])):
        await db.conn.execute(
            "update audit_events set occurred_at = $1, actor_label = $2, action = $3, target = $4, "
            "digest = $5, prev_hash = $6, hash = $7 where id = $8",
            *(row[c] for c in columns),
            into,
        )
    order = [r["target"] for r in await db.conn.fetch("select target from audit_events order by id")]
    assert order == ["t:0", "t:2", "t:1", "t:3"]
    result = await run_jury(database_url, "audit", "verify")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Chaîne rompue à l'événement n° {ids[1]} : le maillon précédent manque ou a été modifié"
    )


async def test_a_tampered_checkpoint_file_is_refused(db, database_url, tmp_path):
    await append_events(db, 3)
    path = tmp_path / "cp.json"
    cp = await checkpoint(database_url, path)
    path.write_text(json.dumps({**cp, "count": 2}))
    result = await run_jury(database_url, "audit", "verify", "--checkpoint", str(path))
    assert result.returncode == 1
    assert "Point de contrôle refusé : sa signature ne correspond pas" in result.stderr
    other_key = await run_jury(database_url, "audit", "verify", "--checkpoint", str(tmp_path / "nope.json"))
    assert other_key.returncode == 2  # no such file: click names the option


async def test_a_checkpoint_is_not_written_for_a_broken_chain(db, database_url, tmp_path):
    ids = await append_events(db, 3)
    await unlock(db)
    await db.conn.execute("update audit_events set target = 't:x' where id = $1", ids[0])
    result = await run_jury(database_url, "audit", "checkpoint", "--out", str(tmp_path / "cp.json"))
    assert result.returncode == 1
    assert f"Chaîne rompue à l'événement n° {ids[0]}" in result.stderr
    assert not (tmp_path / "cp.json").exists()


async def test_a_checkpoint_signed_with_another_key_is_refused(db, database_url, tmp_path):
    await append_events(db, 2)
    await checkpoint(database_url, tmp_path / "cp.json")
    other_key = "k" * 40
    result = await run_jury(
        database_url, "audit", "verify", "--checkpoint", str(tmp_path / "cp.json"), audit_key=other_key
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: Point de contrôle refusé : sa signature ne correspond pas (fichier modifié, ou autre clé "
        "d'audit)."
    )
