"""The decisions page's prize sheet: closed until the edition's last round deliberates, then offering each
prize to the candidates still in play in its category only."""

from __future__ import annotations

from jury.db.queries import Database


async def test_the_prize_sheet_waits_for_the_final(client, made_in_92, as_organiser):
    await as_organiser("cci@exemple.fr")
    page = await client.get(f"/organisation/editions/{made_in_92.slug}/decisions")
    assert page.status_code == 200
    assert (
        "La feuille des prix s'ouvre quand le dernier tour de l'édition (« Grande finale ») est en délibération."
        in (page.text.replace("&#39;", "'"))
    )
    assert 'name="prix-energie"' not in page.text


async def test_each_prize_lists_only_the_finalists_of_its_category_still_in_play(
    db: Database, client, made_in_92, as_organiser
):
    m = made_in_92
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", m.final)
    for key, status in (
        ("solaris", "pending"),
        ("batiment", "withdrawn"),
        ("elles", "pending"),
        ("ondine", "pending"),
    ):
        await db.conn.execute(
            "insert into candidate_rounds (candidate_id, round_id, status) values ($1, $2, $3)",
            m.c[key],
            m.final,
            status,
        )
    await as_organiser("cci@exemple.fr")
    page = (await client.get(f"/organisation/editions/{m.slug}/decisions")).text
    energie = page.split('name="prix-energie"', 1)[1].split("</select>", 1)[0]
    feminin = page.split('name="prix-feminin"', 1)[1].split("</select>", 1)[0]
    special = page.split('name="prix-special"', 1)[1].split("</select>", 1)[0]
    assert f'value="{m.c["solaris"]}"' in energie
    assert f'value="{m.c["batiment"]}"' not in energie  # withdrawn from the final
    assert (
        f'value="{m.c["elles"]}"' not in energie and f'value="{m.c["verdure"]}"' not in energie
    )  # other category, not a finalist
    assert f'value="{m.c["elles"]}"' in feminin and f'value="{m.c["ondine"]}"' in feminin
    assert all(f'value="{m.c[k]}"' in special for k in ("solaris", "elles", "ondine"))
    assert f'name="round_id" value="{m.final}"' in page


async def test_a_label_is_given_to_several_finalists_from_the_page(
    db: Database, client, made_in_92, as_organiser
):
    m = made_in_92
    await db.conn.execute(
        "insert into prizes (edition_id, code, name, kind, max_winners, position) "
        "values ($1, 'label', 'Label Made in 92', 'label', 2, 4)",
        m.edition,
    )
    await db.conn.execute("update rounds set status = 'deliberation' where id = $1", m.final)
    for key in ("solaris", "elles", "ondine"):
        await db.conn.execute(
            "insert into candidate_rounds (candidate_id, round_id) values ($1, $2)", m.c[key], m.final
        )
    await as_organiser("cci@exemple.fr")
    page = (await client.get(f"/organisation/editions/{m.slug}/decisions")).text
    assert "Label Made in 92 — plusieurs lauréats (au plus 2)" in page
    assert page.count('type="checkbox" name="prix-label"') == 3

    posted = await client.post(
        f"/organisation/editions/{m.slug}/decisions/prix",
        data={
            "prix-label": [str(m.c["solaris"]), str(m.c["elles"])],
            "round_id": str(m.final),
            "based_on": "Grand jury",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    holders = await db.conn.fetch(
        "select a.candidate_id from awards a join prizes p on p.id = a.prize_id where p.code = 'label' order by 1"
    )
    assert [r["candidate_id"] for r in holders] == sorted([m.c["solaris"], m.c["elles"]])
