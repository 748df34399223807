"""Links for a class on JupyterHub: one link per lesson that gives each learner their own copy (nbgitpuller).

A learner who opens the link logs in to the hub; nbgitpuller then copies the lesson's repository into their
home folder (or brings an earlier copy up to date, keeping their own changes) and opens the first notebook.

The link goes to a whole class, so what it is made from is checked first: every problem is a ``ValueError`` with
a one-line message that shows the bad value safely (quoted, escaped, cut when long; never a password).
"""

from __future__ import annotations

import importlib.metadata
import unicodedata
from urllib.parse import urlencode, urlsplit, urlunsplit

FIRST_NOTEBOOK = "notebooks/00-start-here.ipynb"
MAX_LENGTH = 2000  # characters in the hub's address, the repository's or the branch name
SHOWN = 80  # characters of a bad value shown in a message


def published_repository() -> str:
    """The repository URL in the package's metadata (``[project.urls] Repository`` in pyproject.toml)."""
    for entry in importlib.metadata.metadata("ivig-teaching").get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return url.strip()
    raise ValueError("the installed ivig-teaching names no repository URL; pass --repo URL")


def _shown(value: str) -> str:
    """``value`` quoted for a one-line message: escaped by ``repr``, cut to :data:`SHOWN` characters."""
    if len(value) <= SHOWN:
        return repr(value)
    return f"{value[:SHOWN]!r}... ({len(value)} characters)"


def _checked_text(value: str, what: str) -> None:
    """Refuse absurd lengths, and whitespace and control or invisible formatting characters anywhere."""
    if len(value) > MAX_LENGTH:
        raise ValueError(f"{what} is too long ({len(value)} characters; at most {MAX_LENGTH}); got {_shown(value)}")
    if any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in value):
        raise ValueError(f"{what} must not contain spaces, line breaks or control characters; got {_shown(value)}")


def _port(netloc: str) -> str | None:
    """The port written in ``netloc`` (after any user name), or None when there is none ("" when it is garbled)."""
    host_and_port = netloc.rpartition("@")[2]
    if host_and_port.startswith("["):  # an IPv6 address: [::1]:8000
        _, closed, rest = host_and_port.partition("]")
        if not closed or (rest and not rest.startswith(":")):
            return ""
        return rest[1:] if rest else None
    return host_and_port.partition(":")[2] if ":" in host_and_port else None


def _netloc(url: str) -> str:
    """The part of ``url`` between "://" and the path, query or fragment (user name, host and port)."""
    rest = url.partition("://")[2]
    return rest[: min((at for at in map(rest.find, "/?#") if at >= 0), default=len(rest))]


def _masked(url: str) -> str:
    """``url`` with any user name and password replaced by ***, for messages: never echo a password."""
    netloc = _netloc(url)
    if "@" not in netloc:
        return url
    at = url.index(netloc)
    return f"{url[:at]}***@{netloc.rpartition('@')[2]}{url[at + len(netloc):]}"


def _checked_url(url: str, what: str, schemes: tuple[str, ...], *, query_allowed: bool) -> str:
    _checked_text(_masked(url), what)
    if "@" in _netloc(url):
        raise ValueError(f"{what} must not contain a user name or password (every learner gets the link); "
                         f"got {_shown(_masked(url))}")
    try:
        parts = urlsplit(url)
        full = parts.scheme in schemes and bool(parts.hostname or parts.scheme == "file")
    except ValueError:  # e.g. an unclosed [ of an IPv6 address
        full = False
    if not full:
        raise ValueError(f"{what} must be a full URL starting with {' or '.join(s + '://' for s in schemes)}; "
                         f"got {_shown(url)}")
    if not query_allowed and ("?" in url or "#" in url):
        raise ValueError(f"{what} must not have a query ('?...') or fragment ('#...'); got {_shown(url)}")
    port = _port(parts.netloc)
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"{what} has an invalid port (a number from 1 to 65535); got {_shown(url)}")
    return url.rstrip("/")


def hub_link(hub: str, repo: str | None = None, branch: str = "main", notebook: str = FIRST_NOTEBOOK) -> str:
    """The nbgitpuller link that opens ``notebook`` of ``repo`` (at ``branch``) in JupyterLab on ``hub``.

    ``hub`` is the address learners open (``https://hub.example.edu``, with its path prefix if it has one);
    ``repo`` defaults to :func:`published_repository`. Raises ``ValueError`` (one line) for an address with a
    user name or password, a query or fragment in the hub's address, whitespace or control characters, an invalid
    port, or more than :data:`MAX_LENGTH` characters.
    """
    hub = _checked_url(hub, "the hub address", ("https", "http"), query_allowed=False)
    hub = hub.removesuffix("/hub")  # "https://host/hub" is a common way to write the hub's address
    repo = _checked_url(published_repository() if repo is None else repo, "the repository",
                        ("https", "http", "file"), query_allowed=True)
    if not branch.strip():
        raise ValueError("the branch name is empty")
    _checked_text(branch, "the branch name")
    # nbgitpuller copies the repository into a folder named after the URL's last part.
    folder = repo.split("/")[-1]
    query = urlencode({"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{notebook}"})
    # user-redirect sends each learner to their own server (starting it after they log in).
    return f"{hub}/hub/user-redirect/git-pull?{query}"
