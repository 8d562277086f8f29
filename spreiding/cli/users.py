"""The ``spreiding user`` and ``spreiding web`` commands: accounts, API tokens, the service.

Whoever has a shell on the server host is trusted as an administrator (as with any database
tool), so these commands need no sign-in. A password or token is printed only once, when it is
made (``user add`` or ``user reset-password`` without ``--password-stdin``, ``user token
create``), and never logged. Bad input prints one line and exits 2 (through
:func:`spreiding.cli.main.main`), with nothing written.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from spreiding.cli.common import JsonOption, PlainTable, console, emit_json, open_store
from spreiding.core.errors import InvalidInput

user_app = typer.Typer(
    help="Accounts of the web service: add, list, disable, roles, passwords, API tokens.",
    no_args_is_help=True,
)
token_app = typer.Typer(help="Personal API tokens of an account.", no_args_is_help=True)
web_app = typer.Typer(help="The web service (JSON API under /api/v1).", no_args_is_help=True)
user_app.add_typer(token_app, name="token")

EmailArgument = Annotated[str, typer.Argument(help="The account's e-mail address.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]
ROLE_HELP = "bzk, ministry:<CODE>, mr, viewer or beheer."
DEMO_ACCOUNTS = (  # (e-mail, name, role): one per role, two ministries to see the difference
    ("bzk@demo.spreiding.example", "Demo BZK-behandelaar", "bzk"),
    ("fin@demo.spreiding.example", "Demo ministerie van Financiën", "ministry:FIN"),
    ("jenv@demo.spreiding.example", "Demo ministerie van JenV", "ministry:JENV"),
    ("mr@demo.spreiding.example", "Demo secretariaat ministerraad", "mr"),
    ("viewer@demo.spreiding.example", "Demo lezer", "viewer"),
    ("beheer@demo.spreiding.example", "Demo beheerder", "beheer"),
)


def register(app: typer.Typer) -> None:
    """Add the ``user`` and ``web`` command groups to the main app."""
    app.add_typer(user_app, name="user")
    app.add_typer(web_app, name="web")


def _account_settings() -> Any:
    from spreiding.core.settings import get_settings

    return get_settings().accounts


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise InvalidInput("--password-stdin: de eerste regel van stdin bevat geen wachtwoord")
    return password


def _show_secret(label: str, secret: str) -> None:
    # The one time a password or token is shown.
    console.print(f"{label} (shown only now, store it safely): {secret}")


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Option(help="E-mail address (signs in with it).")],
    name: Annotated[str, typer.Option(help="Name, as the audit trail shows it.")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    password_stdin: PasswordStdin = False,
) -> None:
    """Add an account; without --password-stdin a strong password is made and shown once."""
    from spreiding.accounts.passwords import generate_password
    from spreiding.accounts.store import add_account
    from spreiding.models.db import session_scope

    password = _read_password() if password_stdin else generate_password()
    with session_scope(open_store()) as session:
        account = add_account(
            session, _account_settings(), email=email, name=name, role=role, password=password
        )
        text = f"Added account {account.email} ({account.name}), role {account.role}."
    console.print(text)
    if not password_stdin:
        _show_secret("Password", password)


@user_app.command("list")
def user_list(as_json: JsonOption = False) -> None:
    """List the accounts (never their passwords)."""
    from spreiding.accounts.store import account_json, list_accounts
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        rows = [account_json(a) for a in list_accounts(session)]
    if as_json:
        emit_json(rows)
        return
    table = PlainTable("id", "e-mail", "naam", "rol", "status", title="Accounts")
    for r in rows:
        status = "uitgeschakeld" if r["disabled"] else "actief"
        table.add_row(
            str(r["id"]),
            r["email"],
            r["name"],
            r["role"],
            status + (" (demo)" if r["demo"] else ""),
        )
    console.print(table)


@user_app.command("disable")
def user_disable(email: EmailArgument) -> None:
    """Disable an account: no more sign-ins; its sessions and tokens stop working."""
    from spreiding.accounts.store import disable_account
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        account = disable_account(session, email)
        text = f"Disabled account {account.email}."
    console.print(text)


@user_app.command("enable")
def user_enable(email: EmailArgument) -> None:
    """Enable a disabled account again: it may sign in (its old sessions stay ended)."""
    from spreiding.accounts.store import enable_account
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        account = enable_account(session, email)
        text = f"Enabled account {account.email}."
    console.print(text)


@user_app.command("set-role")
def user_set_role(
    email: EmailArgument, role: Annotated[str, typer.Argument(help=ROLE_HELP)]
) -> None:
    """Give an account another role."""
    from spreiding.accounts.store import set_role
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        account = set_role(session, email, role)
        text = f"Account {account.email} now has role {account.role}."
    console.print(text)


@user_app.command("reset-password")
def user_reset_password(email: EmailArgument, password_stdin: PasswordStdin = False) -> None:
    """Set a new password (made and shown once without --password-stdin); sessions end."""
    from spreiding.accounts.passwords import generate_password
    from spreiding.accounts.store import reset_password
    from spreiding.models.db import session_scope

    password = _read_password() if password_stdin else generate_password()
    with session_scope(open_store()) as session:
        account = reset_password(session, _account_settings(), email, password)
        text = f"New password set for {account.email}; its web sessions have ended."
    console.print(text)
    if not password_stdin:
        _show_secret("Password", password)


@user_app.command("demo")
def user_demo() -> None:
    """Create the demo accounts (one per role), marked demo; their passwords are shown once."""
    from spreiding.accounts.passwords import generate_password
    from spreiding.accounts.store import add_account, find_account
    from spreiding.models.db import session_scope

    made: list[tuple[str, str, str]] = []
    existing: list[str] = []
    with session_scope(open_store()) as session:
        for email, name, role in DEMO_ACCOUNTS:
            if find_account(session, email) is not None:
                existing.append(email)
                continue
            password = generate_password()
            add_account(
                session,
                _account_settings(),
                email=email,
                name=name,
                role=role,
                password=password,
                demo=True,
            )
            made.append((email, role, password))
    for email in existing:  # printed after the commit, like every command
        console.print(
            f"{email} exists already (new password: spreiding user reset-password {email})"
        )
    if made:
        table = PlainTable("e-mail", "rol", "wachtwoord (alleen nu getoond)", title="Demo-accounts")
        for row in made:
            table.add_row(*row)
        console.print(table)
        console.print("These are demo accounts for the synthetic demo data only.")


@token_app.command("create")
def token_create(
    email: EmailArgument,
    days: Annotated[int, typer.Option(help="Valid for this many days.", min=1, max=366)] = 90,
    name: Annotated[str | None, typer.Option(help="A label, e.g. the system using it.")] = None,
) -> None:
    """Create a personal API token (shown once) for Authorization: Bearer <token>."""
    from spreiding.accounts.store import create_token, get_account
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        new = create_token(session, get_account(session, email), days=days, name=name)
        text = (
            f"Token {new.token.id} ({new.token.name}) for {email.strip().lower()}, valid until "
            f"{new.token.expires_at.date().isoformat()}."
        )
    console.print(text)
    _show_secret("Token", new.secret)


@token_app.command("list")
def token_list(email: EmailArgument, as_json: JsonOption = False) -> None:
    """List an account's tokens (not the tokens themselves): active, expired or revoked."""
    from spreiding.accounts.store import get_account, list_tokens, token_json
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        rows = [token_json(t) for t in list_tokens(session, get_account(session, email))]
    if as_json:
        emit_json(rows)
        return
    table = PlainTable("id", "naam", "gemaakt", "geldig tot", "status", title=f"Tokens van {email}")
    for r in rows:
        table.add_row(
            str(r["id"]), r["name"], r["created_at"][:10], r["expires_at"][:10], r["status"]
        )
    console.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (user token list).", min=1)],
) -> None:
    """Revoke a token: it stops working at once."""
    from spreiding.accounts.store import revoke_token
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        revoke_token(session, token_id)
    console.print(f"Token {token_id} is revoked.")


@web_app.command("serve")
def web_serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web service (JSON API under /api/v1) with uvicorn until Ctrl-C."""
    import uvicorn

    from spreiding.core.settings import get_settings
    from spreiding.web.app import create_app

    open_store()  # an empty database is refused here, not on the first request
    console.print(
        f"Serving on http://{host}:{port}/api/v1 (OpenAPI: /api/v1/openapi.json); Ctrl-C stops."
    )
    uvicorn.run(
        create_app(get_settings()), host=host, port=port, log_level="info", server_header=False
    )
