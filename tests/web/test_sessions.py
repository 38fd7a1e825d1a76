"""The session cookie the browser gets: the same header on every answer of a session (built once per
session id, `jury.web.sessions`), a fresh id for a new sign-in, and the cookie cleared at sign-out."""

from __future__ import annotations

from tests.helpers import make_contest, make_organiser, sign_in


def session_cookies(response) -> list[str]:
    return [
        v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("jury_session=")
    ]


async def test_every_answer_of_a_session_carries_the_same_cookie_until_sign_out(client, db) -> None:
    await make_contest(db)
    await make_organiser(db, email="orga@exemple.fr", contests=["made-in-92"])
    anonymous = await client.get("/")
    assert session_cookies(anonymous) == []  # a visitor who never signs in gets no session

    await sign_in(client, email="orga@exemple.fr")
    session_id = client.cookies["jury_session"]
    expected = f"jury_session={session_id}; HttpOnly; Max-Age=14400; Path=/; SameSite=lax"
    answers = [await client.get("/organisation/") for _ in range(3)]
    assert [session_cookies(a) for a in answers] == [[expected]] * 3

    signed_out = await client.post("/deconnexion", follow_redirects=False)
    assert signed_out.status_code == 303
    [cleared] = session_cookies(signed_out)
    assert cleared.startswith("jury_session=null; expires=")

    await sign_in(client, email="orga@exemple.fr")
    assert client.cookies["jury_session"] != session_id
    again = await client.get("/organisation/")
    assert session_cookies(again) == [
        f"jury_session={client.cookies['jury_session']}; HttpOnly; Max-Age=14400; Path=/; SameSite=lax"
    ]
