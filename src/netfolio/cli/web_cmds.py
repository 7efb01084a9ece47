"""The web command: ``netfolio serve`` (FastAPI and uvicorn are imported only when it runs)."""

from __future__ import annotations

import typer

from netfolio.cli.state import net


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: str = typer.Option(
        "127.0.0.1", "--host", metavar="ADDRESS",
        help="Where to listen. Anything but loopback (127.0.0.1, localhost, ::1) needs a "
        "password first.",
    ),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="The port."),
    set_password: bool = typer.Option(
        False, "--set-password", help="Set the password the web app asks for, and stop.",
    ),
    open_browser: bool = typer.Option(False, "--open", help="Open the dashboard in a browser."),
    max_upload_mb: int = typer.Option(
        64, "--max-upload-mb", min=1, max=2048, metavar="MB",
        help="The largest file the import page accepts.",
    ),
    secure_cookies: bool = typer.Option(
        False, "--secure-cookies",
        help="Behind TLS (a proxy that serves https): mark the session cookie Secure and "
        "send Strict-Transport-Security.",
    ),
    allowed_host: list[str] = typer.Option(
        [], "--allowed-host", metavar="NAME",
        help="A name browsers reach this server by (e.g. netfolio.example.org); repeat for "
        "several. Requests naming any other host are refused. On loopback: loopback names.",
    ),
) -> None:
    """Serve the web app and JSON API over your ledger (the CLI can be used at the same time).
    On a team database every member logs in with their own username and password.

    Example: netfolio serve --open
    """
    from netfolio.cli import render
    from netfolio.core.users import hash_password
    from netfolio.errors import ConfigError
    from netfolio.web.app import serves_team, store_password_hash, stored_password_hash
    from netfolio.web.security import check_listen

    network = net(ctx)
    team = serves_team(network.url)
    if set_password:
        if team:
            raise ConfigError("on a team database members log in with their own passwords: "
                              "`netfolio team set-password NAME`")
        from netfolio.core.web_sessions import end_sessions

        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
        store_password_hash(network, hash_password(password))
        with network.session() as s:
            ended = end_sessions(db_session=s)
        render.success("Password set: the web app now asks for it (its hash is in the "
                       f"ledger). Logged out: {ended} browser(s).")
        return
    check_listen(host, None if team else stored_password_hash(network), team=team)

    import uvicorn

    from netfolio.web import create_app

    app = create_app(network.url, host=host, warm=True, max_upload_bytes=max_upload_mb * 2**20,
                     secure_cookie=secure_cookies, allowed_hosts=_allowed(host, allowed_host))
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    render.success(f"netfolio is at {render.escape(url)} (Ctrl+C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def _allowed(host: str, names: list[str]) -> frozenset[str] | None:
    """The Host names to answer: loopback's on loopback (create_app's default); else the
    address listened on and ``--allowed-host`` names (None: any, for 0.0.0.0 or ::)."""
    from netfolio.errors import ConfigError
    from netfolio.web.security import host_name, is_loopback

    if is_loopback(host) and not names:
        return None
    allowed = set()
    for name in names:
        plain = host_name(name)
        if plain is None:
            raise ConfigError(f"--allowed-host {name!r} is not a host name")
        allowed.add(plain)
    if host not in ("0.0.0.0", "::"):
        allowed.add(f"[{host}]" if ":" in host else host.lower())
    if is_loopback(host):
        from netfolio.web.app import LOOPBACK_NAMES

        allowed |= LOOPBACK_NAMES
    return frozenset(allowed) if names or host not in ("0.0.0.0", "::") else None
