"""`ictui serve`: the browser door, the app in a web page through textual-serve.

textual-serve starts one `ictui --web` per browser connection, as the account
that runs `ictui serve`; `--web` makes that app ask the person's name first and
record it marked (web) beside the serving account. The server has no
authentication of its own, so it binds to loopback by default and says, when it
starts, how to reach it safely: an SSH tunnel, or a proxy that authenticates.
Its page is ictui's own (serve_page/), which loads nothing from outside.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ictui.errors import IctuiError

if TYPE_CHECKING:
    from ictui.teamfile.store import Store

DEFAULT_HOST = "127.0.0.1"
"""Loopback: only this host (and SSH tunnels into it) can reach the door."""
DEFAULT_PORT = 8000
PAGE_FOLDER = Path(__file__).with_name("serve_page")
"""ictui's page template, in place of textual-serve's (which fetches web fonts)."""


def add_serve_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    reading: argparse.ArgumentParser,
) -> None:
    """Add `ictui serve`."""
    serve = sub.add_parser(
        "serve",
        parents=[reading],
        help="serve the app in a web browser (no authentication: see its help)",
        description="Serve the app in web pages, one app per browser tab, run as this "
        "account; each person types their name first and is recorded as `Name (web)` "
        "beside this account. It has NO AUTHENTICATION of its own: anyone who reaches "
        "the port can read and change the team file. Keep it on 127.0.0.1 (the default) "
        "and reach it through an SSH tunnel, or put a proxy that authenticates in front.",
        epilog=f"From your own machine: {tunnel_command(DEFAULT_PORT)}, "
        f"then open http://127.0.0.1:{DEFAULT_PORT}/ there. See docs/browser-door.md.",
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST}, this host only)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"port to listen on (default: {DEFAULT_PORT})",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when a proxy serves the door under another "
        "(default: http://HOST:PORT)",
    )
    serve.set_defaults(parser=serve, handler=cmd_serve)


def _port(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (a whole number)") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (1 to 65535)")
    return number


def tunnel_command(port: int) -> str:
    """Return the SSH tunnel that brings the door to someone's own machine, on the same port."""
    return f"ssh -L {port}:127.0.0.1:{port} you@{socket.gethostname()}"


def notice(host: str, port: int, url: str, team: Path) -> str:
    """Return what `ictui serve` says when it starts: where, and that it has no authentication."""
    return (
        f"ictui serve: {team} at {url}/\n"
        "It has NO AUTHENTICATION of its own: anyone who can reach this port can read and "
        "change the team file.\n"
        "Reach it through an SSH tunnel, from your own machine:\n"
        f"    {tunnel_command(port)}\n"
        f"then open http://127.0.0.1:{port}/ there; or put a proxy that authenticates in "
        "front (docs/browser-door.md).\n"
        "Each person types their name first, recorded as `Name (web)` beside the account "
        "serving. Ctrl+C stops."
    )


def is_loopback(host: str) -> bool:
    """Return whether every address host names is this machine's loopback; raise if none."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _bad_host(host, error) from None
    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in infos)


class ServeError(IctuiError):
    """The door cannot open: a bad host, a port in use, textual-serve missing."""


def check_port(host: str, port: int) -> None:
    """Raise ServeError if host:port cannot be listened on (in use, or not this machine's)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _bad_host(host, error) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server will: a port left in TIME_WAIT by a stopped door is free to take.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise ServeError(_bind_problem(host, port, error)) from None


def _bad_host(host: str, error: Exception) -> IctuiError:
    """Return the usage error for a host that names no address (exit 2, with the usage)."""
    from ictui.outputs.cli import UsageError

    return UsageError(f"argument --host: cannot use {host!r}: {error}")


def _bind_problem(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is in use (another ictui serve?); choose another with --port N"
        )
    if error.errno == errno.EADDRNOTAVAIL:
        return f"argument --host: {host!r} is not an address of this machine"
    if error.errno == errno.EACCES:
        return f"port {port} needs privileges this account lacks; choose one above 1023"
    return f"cannot listen on {host} port {port}: {error.strerror}"


def app_command(team: Path) -> str:
    """Return the shell command textual-serve runs per browser: this ictui, at the door."""
    return shlex.join([sys.executable, "-m", "ictui", "--db", str(team), "--web"])


LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
"""The names of this machine a tunnel or a local browser reaches the door by."""


def own_origins(public_url: str, port: int) -> frozenset[str]:
    """Return the origins the door's own page is loaded from: its public URL, and loopback."""
    public = urlsplit(public_url)
    loopback = (f"{scheme}://{name}:{port}" for scheme in ("http", "https") for name in LOOPBACK)
    return frozenset({f"{public.scheme}://{public.netloc}".lower(), *loopback})


def from_own_page(origin: str | None, host: str | None, origins: frozenset[str]) -> bool:
    """Whether a request may drive the app: sent by the door's own page, to the door's own name.

    A browser says where a page came from (Origin) on every websocket it opens, so
    another site open in the same browser cannot drive the app through someone's
    tunnel; the Host a request names must be the door's too, or a site could
    point its own name at 127.0.0.1 (DNS rebinding) and be its own origin.
    Programs other than browsers send no Origin: they could reach the port anyway.
    """
    hosts = {urlsplit(o).netloc for o in origins}
    if host is not None and host.lower() not in hosts:
        return False
    return origin is None or origin.lower() in origins


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address, as URLs write it
    return f"http://{shown}:{port}"


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app to web browsers until stopped."""
    from ictui.outputs.cli import _store

    store: Store = _store(args)
    if not store.exists():
        from ictui.outputs.cli import command

        raise ServeError(
            f"no team file at {store.path}; make one first, "
            f"with `{command('demo', store.path)}` or by opening the app once there"
        )
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        raise ServeError(
            "ictui serve needs textual-serve, which this install lacks: "
            "pip install textual-serve (it comes with ictui's own install)"
        ) from None
    if not is_loopback(args.host):  # said first: it is about the choice, whatever follows
        print(
            f"WARNING: --host {args.host} is reachable from other machines, and ictui serve "
            "has NO AUTHENTICATION: anyone who reaches it can read and change the team "
            "file. Use it only behind a proxy that authenticates.",
            file=sys.stderr,
            flush=True,
        )
    check_port(args.host, args.port)
    url = (args.public_url or _url(args.host, args.port)).rstrip("/")
    print(notice(args.host, args.port, url, store.path), flush=True)

    origins = own_origins(url, args.port)

    class _Door(Server):
        async def on_startup(self, app: object) -> None:
            """Say nothing more: the notice above says where, and what to mind."""

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            """Serve the page only under the door's own name (no DNS rebinding)."""
            if not from_own_page(None, request.headers.get("Host"), origins):
                raise web.HTTPForbidden(text="not this door's address")
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """Drive the app only from the door's own page, never from another site's."""
            origin, host = request.headers.get("Origin"), request.headers.get("Host")
            if not from_own_page(origin, host, origins):
                raise web.HTTPForbidden(text="only the door's own page may open the app")
            return await super().handle_websocket(request)

    door = _Door(
        app_command(store.path),
        host=args.host,
        port=args.port,
        title="ictui",
        public_url=url,
        templates_path=PAGE_FOLDER,
    )
    try:
        door.serve()
    except OSError as error:  # taken between the check and the start
        raise ServeError(_bind_problem(args.host, args.port, error)) from None
    return 0
