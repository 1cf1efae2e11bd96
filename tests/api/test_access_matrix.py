"""The access matrix, generated: every API and page route of the application, for every kind
of caller, on a confidential complaint in screening and once registered (writes that are
not about the case are sent empty: nothing is done, but who is turned away is checked).

Each cell's expected status follows from the rules of API.md (who sees a case, who may read
its audit trail, who administers), written once below as functions of the caller and the
stage; the routes come from the application itself, so a new route that this file does not
classify fails the test. Every body a company, another party or the public receives is
checked for the confidential complainant's name, organisation, e-mail, phone and file
name, and every read that succeeded must have left its row in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.routing import iter_route_contexts
from sqlmodel import Session, select

from api.pages.cookies import SESSION_COOKIE, TRACK_COOKIE, csrf_token
from core.security import keyed_hash
from services.access import track_token
from store.security_tables import AuditEntry
from store.seed import DEMO_PASSWORD
from tests.api.conftest import PUBLIC_URL, Stack, complaint
from tests.api.test_accounts import STRONG, invite, mail_to, token_in

SECRET = {
    "name": "Nasrin Sultana Akhter",
    "organisation": "Rupali Knit Workers Committee",
    "email": "nasrin.akhter@rupali-workers.example",
    "phone": "+880 1711 555 000",
    "confidential": True,
}
SECRET_FILE = "Nasrin_Akhter_statement.txt"
LEAKS = (*[str(v) for k, v in SECRET.items() if k != "confidential"], "Nasrin_Akhter")
# Callers who must never learn who complains.
OUTSIDERS = frozenset({"company", "company2", "ngo", "steering", "wrong-code", "anonymous"})
STAGES = ("screening", "registered")


@dataclass
class Caller:
    """How one kind of caller authenticates: a bearer token (also the pages' session
    cookie), or an access code (also as the tracking cookie), or nothing."""

    name: str
    token: str | None = None
    code: str | None = None
    track: str | None = None

    def api(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        return {"X-Access-Code": self.code} if self.code else {}

    def page(self) -> dict[str, str]:
        cookies = []
        if self.token:
            cookies.append(f"{SESSION_COOKIE}={self.token}")
        if self.track:
            cookies.append(f"{TRACK_COOKIE}={self.track}")
        return {"Cookie": "; ".join(cookies)} if cookies else {}


@dataclass
class World:
    """The two cases, their documents and the callers."""

    cases: dict[str, str]  # stage -> reference
    documents: dict[str, str]  # stage -> document id
    callers: dict[str, Caller]
    reads: set[tuple[str, str, str]] = field(default_factory=set)  # (ref, user, action)


def sees(caller: str, stage: str) -> bool:
    """Who may see the confidential complaint (API.md: Authentication, and issue 9)."""
    if caller in ("secretariat", "chair", "committee2", "union", "code"):
        return True
    if caller == "company":  # the respondent, once the secretariat registered it
        return stage == "registered"
    # recused member, unassigned mediator, another covenant's steering group, the admin,
    # another company, another union, a wrong code, anonymous
    return False


# The demo users among the callers; "committee2" is invited by the test itself.
DEMO_CALLERS = (
    "secretariat",
    "chair",
    "committee",
    "mediator",
    "steering",
    "admin",
    "company",
    "company2",
    "union",
    "ngo",
)
SIGNED_IN = frozenset({*DEMO_CALLERS, "committee2"})
STAFF = frozenset({"secretariat", "chair", "committee2", "committee", "mediator", "steering"})
# Users of organisations that are party to a covenant: they may bring a dispute.
PARTIES = frozenset({"company", "company2", "union", "ngo"})


def case_route(method: str, path: str, caller: str, stage: str) -> set[int]:
    """The statuses allowed for a route on the case."""
    seen = sees(caller, stage)
    signed = caller in SIGNED_IN
    if path == "/t/{reference}":  # a text's short link: to the tracking form, for anyone
        return {303}
    if path == "/portal/cases/{reference}/access-code":
        if not signed:
            return {303}
        if not seen:
            return {404}
        return {200} if caller == "secretariat" else {403}
    if path.startswith("/portal/cases/{reference}/audit"):
        if not signed:
            return {303}
        if caller == "admin" or (caller == "chair" and seen):
            return {200}
        return {403} if seen else {404}
    if path == "/api/v1/cases/{reference}/audit":
        if not signed:
            return {401}
        if caller == "admin" or (caller == "chair" and seen):
            return {200}
        return {403} if seen else {404}
    if path.endswith("/register/{reference}"):
        return {404}  # the register shows a case only once the chair published it
    if "/redaction" in path:  # the case's redaction list: its staff alone
        staff = seen and caller in STAFF
        if path.startswith("/portal/"):
            if not signed:
                return {303}
            if not staff:
                return {404}
            return {200} if method == "GET" else {303, 400, 422}  # an empty form: said
        if not seen:
            return {404}
        if method == "GET":
            return {200} if staff else {403}
        # An empty body, or no term to remove: refused before anything is read or changed.
        return {422} if staff else {403, 422}
    if path.startswith("/portal/"):
        if not signed:
            return {303}
        if not seen:
            return {404}
        return {200} if method == "GET" else {303, 403, 409, 413, 422}
    if path.startswith("/track/"):
        complainant = caller in ("code", "union")
        if method == "GET":
            return {200} if complainant else {404}
        # A form without the visitor's token is refused first, alike for every reference;
        # a closing form is not one the tracking page offers (400).
        return {303, 400, 403, 409, 422} if complainant else {403, 404}
    if path == "/api/v1/cases/{reference}/access-code":
        if not seen:
            return {404}
        return {200} if caller == "secretariat" else {403}
    if not seen:
        return {404}
    if method == "GET":
        return {200}
    if path.endswith("/documents"):
        return {422}  # an empty upload: the caller may see the case, the file is missing
    return {403, 409}  # closing a case in screening or admissibility: refused, unchanged


ANYONE = {200}
# The figures: staff, a steering group (its own covenants) and the admin.
STATISTICS = frozenset({"secretariat", "chair", "committee", "committee2", "steering", "admin"})
API_ROLES: dict[str, frozenset[str] | None] = {
    "/api/v1/cases": None,  # any signed-in caller
    "/api/v1/organisations": frozenset({"admin", "secretariat"}),
    "/api/v1/users": frozenset({"admin"}),
    "/api/v1/administration/changes": frozenset({"admin"}),
    "/api/v1/stats": STATISTICS,
    "/api/v1/stats.csv": STATISTICS,
    "/api/v1/stats.xlsx": STATISTICS,
}
PAGE_ROLES: dict[str, frozenset[str] | None] = {
    "/portal": None,
    "/account": None,
    "/account/two-factor": None,
    "/portal/deadlines": STAFF,
    "/portal/dispute": PARTIES,  # others: a 403 page saying why
    "/portal/registry": frozenset({"secretariat", "admin"}),
    "/portal/covenants": STAFF | {"admin"},
    "/portal/notices": frozenset({"secretariat", "chair"}),
    "/portal/users": frozenset({"admin"}),
    "/portal/users/{username}": frozenset({"admin"}),
    "/portal/changes": frozenset({"admin"}),
    "/portal/stats": STATISTICS,
    "/portal/stats.csv": STATISTICS,
    "/portal/stats.xlsx": STATISTICS,
    "/portal/organisations": frozenset({"admin", "secretariat"}),
    "/portal/organisations/{id}": frozenset({"admin", "secretariat"}),
    "/portal/audit": None,  # without a reference: 404 for everyone signed in
    "/portal/mail": None,  # local mode only: 404 here for everyone signed in
    "/portal/mail/{message_id}": None,
    "/portal/email-drafts": frozenset({"secretariat"}),  # complaints e-mailed in
    "/portal/email-drafts/{draft_id}": frozenset({"secretariat"}),
}
# The operators' scrape: no user's sign-in opens it, only REDRESS_METRICS_TOKEN (unset here).
FOR_NO_CALLER = {"/metrics"}
PUBLIC_GETS = {
    "/",
    "/complaint",
    "/complaint/filed",
    "/signal",
    "/signal/filed",
    "/track",
    "/login",
    "/account/password",
    "/account/reset",
    "/healthz",
    "/robots.txt",
    "/favicon.ico",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    "/api/v1/production-locations",
    "/api/v1/covenants",
    "/api/v1/covenants/{slug}",
    "/api/v1/register",
    "/api/v1/register.atom",
    "/register",
}
# Not part of the matrix, and why: each is covered by its own tests.
ELSEWHERE = {
    "/static": "files, no access control",
}
PARAMS = {
    "{slug}": "garments-textile",
    "{username}": "union",
    "{id}": "dhaka-gwu",
    "{message_id}": "20260101T000000000000_nothing",
    "{provider}": "twilio",
    "{draft_id}": "no-such-draft",  # a draft that does not exist: 404 for everyone
}


# Writes that are not about the case, sent with an empty body (pages: an empty form with
# the caller's token): nothing gets done, but who is turned away, and how, is checked, and
# nothing may fail. None: any signed-in caller; PUBLIC: anyone.
PUBLIC = frozenset({"*"})
WRITES: dict[str, frozenset[str] | None] = {
    "/api/v1/auth/token": PUBLIC,
    "/api/v1/auth/password": PUBLIC,
    "/api/v1/auth/password-reset": PUBLIC,
    "/api/v1/complaints": PUBLIC,
    "/api/v1/signals": PUBLIC,
    "/api/v1/disputes": None,
    "/api/v1/auth/password/change": None,
    "/api/v1/auth/totp": None,
    "/api/v1/auth/totp/confirm": None,
    "/api/v1/organisations": frozenset({"admin", "secretariat"}),
    "/api/v1/organisations/{id}": frozenset({"admin", "secretariat"}),
    "/api/v1/covenants/{slug}/parties": frozenset({"admin"}),
    "/api/v1/users": frozenset({"admin"}),
    "/api/v1/users/{username}": frozenset({"admin"}),
    "/api/v1/users/{username}/invitation": frozenset({"admin"}),
    "/codec/decode": frozenset({"secretariat", "chair", "committee", "committee2", "admin"}),
    "/complaint": PUBLIC,
    "/signal": PUBLIC,
    "/portal/dispute": PARTIES,
    "/track": PUBLIC,
    "/track/forget": PUBLIC,
    "/time-zone": PUBLIC,  # the reader's choice of zone for the case pages' times
    "/api/v1/sms/{provider}": PUBLIC,  # the SMS gateway's webhook: its signature, not a caller
    "/login": PUBLIC,
    "/account/password": PUBLIC,
    "/account/reset": PUBLIC,
    "/account/password-change": None,
    "/account/two-factor": None,
    "/portal/registry": frozenset({"secretariat", "admin"}),
    "/portal/notices/retry": frozenset({"secretariat", "chair"}),
    "/portal/users": frozenset({"admin"}),
    "/portal/users/{username}": frozenset({"admin"}),
    "/portal/organisations": frozenset({"admin", "secretariat"}),
    "/portal/organisations/{id}": frozenset({"admin", "secretariat"}),
    "/portal/email-drafts/{draft_id}/file": frozenset({"secretariat"}),
    "/portal/email-drafts/{draft_id}/discard": frozenset({"secretariat"}),
    # Last of all: they end the caller's sign-in.
    "/api/v1/auth/logout": None,
    "/logout": None,
}
DONE_OR_REFUSED = {200, 201, 202, 204, 303, 400, 401, 404, 409, 422, 429}  # 429: sign-ins
TURNED_AWAY = {403, 404, 422}  # never done: refused, unseen, or stopped at the empty body


def other_write(path: str, caller: str) -> set[int]:
    """The statuses allowed for an empty write that is not about the case."""
    roles = WRITES[path]
    signed = caller in SIGNED_IN
    if roles is PUBLIC:
        return DONE_OR_REFUSED | {403}  # an anonymous form has no token: 403 first
    if not signed:
        return {401, 403, 303}  # API: sign in; pages: the form's token, or to /login
    if roles is None or caller in roles:
        return DONE_OR_REFUSED
    return TURNED_AWAY


def other_route(path: str, caller: str) -> set[int]:
    """The statuses allowed for a route that is not about the case."""
    signed = caller in SIGNED_IN
    if path in PUBLIC_GETS:
        return ANYONE
    if path in FOR_NO_CALLER:
        return {404}
    if path in API_ROLES:
        roles = API_ROLES[path]
        if not signed:
            return {401}
        return {200} if roles is None or caller in roles else {403}
    if path == "/portal/dispute":  # the dispute form: a page that says why to others
        return {303} if not signed else {200} if caller in PARTIES else {403}
    roles = PAGE_ROLES[path]
    if not signed:
        return {303}
    if path.startswith("/portal/mail") or path == "/portal/audit":
        return {404}
    if path == "/portal/email-drafts/{draft_id}":  # unknown to all, unseen by others alike
        return {404}
    return {200} if roles is None or caller in roles else {404}


def gets_of_the_app(stack: Stack) -> list[tuple[str, str]]:
    """Every (method, path) of the application."""
    found = []
    for context in iter_route_contexts(stack.app.routes):
        route = getattr(context, "original_route", context)
        methods = sorted((getattr(route, "methods", None) or set()) - {"HEAD"})
        path = getattr(context, "path", getattr(route, "path", ""))
        found += [(m, path) for m in methods] or [("", path)]
    return found


async def fresh_token(stack: Stack, username: str, password: str) -> str:
    """A new bearer token of its own for the user."""
    answer = await stack.http.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


async def build_world(stack: Stack) -> World:
    """The callers, and the complaint in screening and registered, each with a document.
    The callers sign in afresh: the matrix ends with their sign-outs, which must not end
    the sign-ins other tests share (``Stack.headers``)."""
    callers = {
        name: Caller(name, token=await fresh_token(stack, name, DEMO_PASSWORD))
        for name in DEMO_CALLERS
    }
    await invite(
        stack,
        username="committee2",
        email="committee2@mechanism.example",
        role="committee",
        covenants=["garments-textile"],
    )
    token = token_in(await mail_to(stack, "committee2@mechanism.example", "Redress"))
    await stack.http.post("/api/v1/auth/password", json={"token": token, "password": STRONG})
    callers["committee2"] = Caller(
        "committee2", token=await fresh_token(stack, "committee2", STRONG)
    )
    cases, documents, codes = {}, {}, {}
    for stage in STAGES:
        filed = await stack.http.post(
            "/api/v1/complaints",
            json=complaint(complainant={**SECRET, "language": "bn"}),
            headers=await stack.headers("union"),
        )
        assert filed.status_code == 201, filed.text
        ref = filed.json()["reference"]
        cases[stage], codes[stage] = ref, filed.json()["access_code"]
        uploaded = await stack.http.post(
            f"/api/v1/cases/{ref}/documents",
            headers=await stack.headers("union"),
            files={"file": (SECRET_FILE, b"what happened on 3 May", "text/plain")},
            data={"visibility": "parties"},
        )
        assert uploaded.status_code == 201, uploaded.text
        documents[stage] = uploaded.json()["id"]
        await stack.act(
            ref, "committee", action="recuse", member="committee", reason="Former employee"
        )
        if stage == "registered":
            await stack.act(ref, "secretariat", action="register")
    return World(cases, documents, callers | _code_callers(stack, cases, codes))


def _code_callers(stack: Stack, cases: dict[str, str], codes: dict[str, str]) -> dict[str, Caller]:
    """The complainant by its code (per case, filled in per request) and a wrong guesser."""
    return {
        "code": Caller("code"),
        "wrong-code": Caller("wrong-code", code="not-the-code", track="x:not-a-token"),
        "anonymous": Caller("anonymous"),
        **{
            f"code@{stage}": Caller(
                "code", code=codes[stage], track=_track(stack, cases[stage], codes[stage])
            )
            for stage in STAGES
        },
    }


def _track(stack: Stack, reference: str, code: str) -> str:
    key = stack.settings.secret_key
    return f"{reference}:{track_token(stack.settings, reference, keyed_hash(key, code))}"


def _body(path: str, method: str) -> dict[str, Any]:
    if method == "GET":
        return {}
    if "{reference}" not in path:  # an empty write
        return {"json": {}} if path.startswith(("/api/", "/codec")) else {"data": {}}
    if path.endswith("/documents"):
        return {"files": {"visibility": (None, "parties")}}
    if path.startswith("/api/"):
        return {"json": {"action": "close", "outcome": "resolved", "summary": "matrix"}}
    return {"data": {"action": "close", "outcome": "resolved", "summary": "matrix"}}


async def test_every_route_answers_every_caller_as_the_rules_say(stack: Stack) -> None:
    world = await build_world(stack)
    routes = gets_of_the_app(stack)
    unclassified = [
        (m, p)
        for m, p in routes
        if p not in ELSEWHERE
        and "{reference}" not in p
        and m == "GET"
        and p not in PUBLIC_GETS | FOR_NO_CALLER | set(API_ROLES) | set(PAGE_ROLES)
    ]
    unclassified += [
        (m, p)
        for m, p in routes
        if m not in ("GET", "") and "{reference}" not in p and p not in WRITES
    ]
    assert unclassified == [], f"classify these routes in the matrix: {unclassified}"
    case_routes = [(m, p) for m, p in routes if "{reference}" in p]
    other_gets = [(m, p) for m, p in routes if m == "GET" and "{reference}" not in p]
    # The access-code replacement runs last, and the secretariat last of all: it changes
    # the code the complainant holds.
    case_routes.sort(key=lambda r: r[1].endswith("/access-code"))
    names = sorted((n for n in world.callers if not n.startswith("code@")), key=secretariat_last)
    cells: list[Cell] = []
    for method, path in case_routes:
        for stage in STAGES:
            for name in names:
                caller = world.callers[f"code@{stage}" if name == "code" else name]
                url = _fill(path, world.cases[stage], world.documents[stage])
                cells.append(Cell(method, url, path, name, caller, stage))
    for method, path in other_gets:
        for name in names:
            url = _fill(path, "", "")
            cells.append(Cell(method, url, path, name, world.callers[name]))
    writes = [(m, p) for m, p in routes if m not in ("GET", "") and "{reference}" not in p]
    writes.sort(key=lambda r: list(WRITES).index(r[1]))
    for method, path in writes:
        for name in names:
            url = _fill(path, "", "")
            cells.append(Cell(method, url, path, name, world.callers[name]))
    failures: list[str] = []
    transport = httpx.ASGITransport(app=stack.app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        for cell in cells:
            answer = await cell.call(http, stack)
            failures += cell.check(answer, world)
    assert not failures, f"{len(failures)} of {len(cells)} cells differ:\n" + "\n".join(failures)
    with Session(stack.engine) as session:
        rows = {(r.reference, r.username, r.action) for r in session.exec(select(AuditEntry))}
    missing = sorted(world.reads - rows)
    assert missing == [], f"reads without their audit row: {missing}"
    print(f"access matrix: {len(cells)} cells, {len(world.reads)} audited reads")  # noqa: T201
    assert len(cells) > 900


def secretariat_last(name: str) -> bool:
    return name == "secretariat"


def _fill(path: str, reference: str, document: str) -> str:
    url = path.replace("{reference}", reference)
    for placeholder in ("{id}", "{document_id}"):
        url = url.replace(placeholder, document if reference else PARAMS.get(placeholder, ""))
    for placeholder, value in PARAMS.items():
        url = url.replace(placeholder, value)
    return url


@dataclass
class Cell:
    """One route, called by one caller (on the case at one stage)."""

    method: str
    url: str
    path: str
    name: str
    caller: Caller
    stage: str | None = None

    @property
    def expected(self) -> set[int]:
        if self.stage is None and self.method != "GET":
            return other_write(self.path, self.name)
        if self.stage is None:
            return other_route(self.path, self.name)
        return case_route(self.method, self.path, self.name, self.stage)

    async def call(self, http: httpx.AsyncClient, stack: Stack) -> httpx.Response:
        http.cookies.clear()
        if self.name == "wrong-code":
            stack.app.state.throttle.storage.reset()  # each guess on its own
        api = self.url.startswith(("/api/", "/codec"))
        extra = _body(self.path, self.method)
        if not api and self.method == "POST" and self.caller.token:
            token = csrf_token(stack.settings, self.caller.token)
            extra["data"] = {**extra.get("data", {}), "csrf_token": token}
        headers = self.caller.api() if api else self.caller.page()
        return await http.request(self.method, self.url, headers=headers, **extra)

    def check(self, answer: httpx.Response, world: World) -> list[str]:
        label = f"{self.method} {self.url} as {self.name}" + (
            f" ({self.stage})" if self.stage else ""
        )
        found = []
        if answer.status_code not in self.expected:
            found.append(f"{label}: {answer.status_code}, expected {sorted(self.expected)}")
        leaked = [s for s in LEAKS if s in answer.text]
        if self.name in OUTSIDERS and leaked:
            found.append(f"{label} shows {leaked}")
        if self.stage is not None and answer.status_code == 200 and self.method == "GET":
            action = "download" if "/documents/" in self.path else "read"
            action = "audit_read" if "audit" in self.path else action
            user = "complainant" if self.name == "code" else self.name
            world.reads.add((world.cases[self.stage], user, action))
        return found
