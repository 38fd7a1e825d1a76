from tests.helpers import make_contest, make_organiser


async def test_pages_carry_a_strict_content_security_policy(client):
    response = await client.get("/connexion")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_cross_site_form_posts_are_refused_before_reaching_the_handler(client, db):
    await make_contest(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    form = {"email": "cci@exemple.fr", "password": "mot-de-passe-solide"}
    refused = await client.post("/connexion", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Requête d'origine extérieure refusée."
    refused_origin = await client.post("/connexion", data=form, headers={"Origin": "https://evil.example"})
    assert refused_origin.status_code == 403
    same_site = await client.post(
        "/connexion", data=form, headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False
    )
    assert same_site.status_code == 303


async def test_session_cookie_is_httponly_and_samesite(client, db):
    await make_contest(db)
    await make_organiser(db, email="cci@exemple.fr", contests=["made-in-92"])
    response = await client.post(
        "/connexion",
        data={"email": "cci@exemple.fr", "password": "mot-de-passe-solide"},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # served over plain HTTP in tests; Secure is set when base_url is https
