"""On the Dutch admin pages the services' refusals read in Dutch (field and problem), the
names they quote kept; the JSON API and the English pages keep the API's words."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.pages.portal import CSRF, Portal

PROBLEM = re.compile(r'<div class="errors"[^>]*>.*?<p>(.*?)</p>', re.S)


async def _post(client: httpx.AsyncClient, path: str, data: dict[str, Any]) -> str:
    """Post a form of the page at ``path`` in Dutch; the problem the page shows (a 422)."""
    form = await client.get(f"{path}?lang=nl")
    answer = await client.post(
        f"{path}?lang=nl", data={"csrf_token": CSRF.findall(form.text)[0], **data}
    )
    assert answer.status_code == 422, (data, answer.status_code)
    assert '<html lang="nl">' in answer.text
    found = PROBLEM.search(answer.text)
    assert found is not None, answer.text[answer.text.find("<main") :][:1000]
    return html.unescape(found[1])


# Each invitation below is refused: nobody is added (the username is this test's own).
INVITE = {"username": "nieuwkomer", "email": "nieuwkomer@else.example", "role": "secretariat"}


async def test_the_admin_reads_the_refusals_of_the_people_forms_in_dutch(portal: Portal) -> None:
    admin = await portal.as_user("admin")
    taken = "vertaler@else.example"
    headers = {"Authorization": f"Bearer {await portal.token('admin')}"}
    async with httpx.AsyncClient(base_url=portal.site.url) as http:
        made = await http.post(
            "/api/v1/users",
            # An admin: it is sent no case's notices, which other tests on this site count.
            json={"username": "vertaler", "email": taken, "role": "admin"},
            headers=headers,
        )
    assert made.status_code == 201, made.text
    for data, dutch, english in (
        (
            {**INVITE, "username": "secretariat"},
            "Gebruikersnaam: 'secretariat' is al in gebruik",
            "is taken already",
        ),
        (
            {**INVITE, "username": "Nieuw Lid"},
            "Gebruikersnaam: gebruik 2 tot 64 kleine letters, cijfers, punten, streepjes of "
            "lage streepjes",
            "lower-case letters",
        ),
        (
            {**INVITE, "email": taken},
            "E-mailadres: een andere gebruiker heeft dit e-mailadres al",
            "another user",
        ),
        (
            {**INVITE, "role": "union", "organisation": "delta-denim"},
            "Organisatie: een gebruiker met de rol union hoort bij een organisatie van het "
            "soort ngo of union",
            "belongs to an organisation",
        ),
        (
            {**INVITE, "role": "company", "organisation": "no-such-company"},
            "Organisatie: er is geen organisatie 'no-such-company'",
            "no organisation",
        ),
        (
            {**INVITE, "email": "not an address"},
            "E-mailadres: dit is geen geldig e-mailadres",
            "valid email",
        ),
        (
            {**INVITE, "role": "chieftain"},
            "Rol: kies uit",
            "Input should be",
        ),
    ):
        page = await _post(admin, "/portal/users", data)
        assert dutch in page, (data, page)
        assert english not in page, data
    yourself = await _post(admin, "/portal/users/admin", {"do": "disable"})
    assert "Account: u kunt uzelf niet uitschakelen of uw beheerdersrol opgeven" in yourself
    # The JSON API keeps its English words.
    async with httpx.AsyncClient(base_url=portal.site.url) as http:
        api = await http.patch("/api/v1/users/admin", json={"active": False}, headers=headers)
    assert api.status_code == 422
    assert (
        api.json()["detail"] == "body.active: you cannot disable yourself or drop your admin role"
    )


async def test_the_organisation_forms_refuse_in_dutch(portal: Portal) -> None:
    secretariat = await portal.as_user("secretariat")
    data = {"name": "Noorderlicht Fashion", "kind": "company", "contacts": ""}
    page = await _post(secretariat, "/portal/organisations", data)
    assert page.startswith("Naam: 'Noorderlicht Fashion")
    assert page.endswith("' bestaat al, als 'noorderlicht-fashion'")
    page = await _post(secretariat, "/portal/organisations", {**data, "name": "X"})
    assert "Naam: gebruik minstens 2 tekens" in page
    page = await _post(
        secretariat, "/portal/organisations", {**data, "name": "Narnia Knits", "country": "Narnia"}
    )
    assert "Land: 'Narnia' is geen landcode van twee letters (ISO 3166)" in page
    page = await _post(
        secretariat,
        "/portal/organisations/noorderlicht-fashion",
        {"do": "change", "name": "Noorderlicht Fashion", "contacts": "not-an-address en"},
    )
    assert "E-mailadres: dit is geen geldig e-mailadres" in page
    assert "value is not a valid email" not in page
