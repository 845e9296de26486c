"""``rashomon serve``: the web UI and HTTP API on a store."""

from __future__ import annotations

import click

from ._options import db_option


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind. The default is reachable from this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--read-only", is_flag=True,
              help="Open the store read-only; pasted analyses are shown, never stored.")
@click.option("--allow-urls", is_flag=True,
              help="Let clients ask the server to fetch http(s) URLs (private addresses stay refused).")
@click.option("--max-upload-mb", default=10.0, show_default=True, type=click.FloatRange(0.01, 1000),
              help="Largest request (pasted text plus uploaded files) the server accepts.")
def serve(db: str, host: str, port: int, read_only: bool, allow_urls: bool, max_upload_mb: float) -> None:
    """Serve the web UI and HTTP API on the store (side-by-side stories, facts, quotes, events).

    Open http://HOST:PORT/ in a browser; the API is under /api (OpenAPI: /openapi.json,
    readable list: /docs). Stop with Ctrl-C.
    """
    try:
        import uvicorn

        from ..web import create_app
    except ImportError as exc:  # the [web] extra is optional
        raise click.ClickException(f"the web UI needs the [web] extra: pip install 'rashomon[web]' ({exc})") from exc
    from ..errors import StoreError

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: binding {host}: anyone who can reach this address can read the store"
                   + ("" if read_only else " and add to it"), err=True)
    try:
        app = create_app(db, read_only=read_only, allow_urls=allow_urls,
                         max_upload_bytes=int(max_upload_mb * 1_000_000))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Rashomon on {db}: http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
