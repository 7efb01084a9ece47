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
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
        store_password_hash(network, hash_password(password))
        render.success("Password set: the web app now asks for it (its hash is in the ledger).")
        return
    check_listen(host, None if team else stored_password_hash(network), team=team)

    import uvicorn

    from netfolio.web import create_app

    app = create_app(network.url, host=host, warm=True, max_upload_bytes=max_upload_mb * 2**20)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    render.success(f"netfolio is at {render.escape(url)} (Ctrl+C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
