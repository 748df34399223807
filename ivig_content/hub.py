"""Links for a class on JupyterHub: one link per lesson that gives each learner their own copy (nbgitpuller).

A learner who opens the link logs in to the hub; nbgitpuller then copies the lesson's repository into their
home folder (or brings an earlier copy up to date, keeping their own changes) and opens the first notebook.

The link goes to a whole class, so what it is made from is checked first: every problem is a ``ValueError`` with
a one-line message that shows the bad value safely (quoted, escaped, cut when long; never a password).
"""

from __future__ import annotations

import importlib.metadata
import ipaddress
import re
import unicodedata
from urllib.parse import urlencode, urlsplit

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
    """``url`` for messages, with everything from "://" to its last "@" as ***: never echo a password, even one
    with a "/" or "#" in it, which makes it hard to tell from a path."""
    scheme, separator, rest = url.partition("://")
    if not separator or "@" not in rest:
        return url
    return f"{scheme}://***@{rest.rpartition('@')[2]}"


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)


def _valid_host(host: str) -> bool:
    """A host name a browser can look up (labels of letters, digits and inner hyphens; international names by
    their IDNA form), or an IP address; "256.256.256.256" and "hub..example.edu" are neither."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    if all(label.isdigit() for label in labels):  # a number that is not an IP address
        return False
    return len(ascii_host) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _checked_url(url: str, what: str, schemes: tuple[str, ...], *, query_allowed: bool) -> str:
    _checked_text(_masked(url), what)
    if "@" in _netloc(url):
        raise ValueError(f"{what} must not contain a user name or password (every learner gets the link); "
                         f"got {_shown(_masked(url))}")
    if "\\" in url:  # browsers read "\" as "/": "https://evil.example\.hub.edu" goes to evil.example
        raise ValueError(f"{what} must not contain a backslash; got {_shown(_masked(url))}")
    try:
        parts = urlsplit(url)
        full = parts.scheme in schemes and bool(parts.hostname or parts.scheme == "file")
    except ValueError:  # e.g. an unclosed [ of an IPv6 address
        full = False
    if not full:
        raise ValueError(f"{what} must be a full URL starting with {' or '.join(s + '://' for s in schemes)}; "
                         f"got {_shown(_masked(url))}")
    if not query_allowed and ("?" in url or "#" in url):
        raise ValueError(f"{what} must not have a query ('?...') or fragment ('#...'); got {_shown(_masked(url))}")
    port = _port(parts.netloc)
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"{what} has an invalid port (a number from 1 to 65535); got {_shown(_masked(url))}")
    if parts.scheme != "file" and not _valid_host(parts.hostname):
        raise ValueError(f"{what} has a host name no browser can look up; got {_shown(_masked(url))}")
    return url.rstrip("/")


def hub_link(hub: str, repo: str | None = None, branch: str = "main", notebook: str = FIRST_NOTEBOOK) -> str:
    """The nbgitpuller link that opens ``notebook`` of ``repo`` (at ``branch``) in JupyterLab on ``hub``.

    ``hub`` is the address learners open (``https://hub.example.edu``, with its path prefix if it has one);
    ``repo`` defaults to :func:`published_repository`. Raises ``ValueError`` (one line) for an address with a
    user name or password, a query or fragment in the hub's address, whitespace, control characters or a
    backslash, an invalid port or host name, more than :data:`MAX_LENGTH` characters, a hub address that is a
    page of the hub ("/hub/..."), or a hub on plain http:// other than on this computer.
    """
    hub = _checked_url(hub, "the hub address", ("https", "http"), query_allowed=False)
    hub = hub.removesuffix("/hub")  # "https://host/hub" is a common way to write the hub's address
    if "/hub/" in urlsplit(hub).path + "/":
        raise ValueError("the hub address is the address learners open, not a page of the hub (cut it before "
                         f"\"/hub/\"); got {_shown(_masked(hub))}")
    host = urlsplit(hub).hostname or ""
    if urlsplit(hub).scheme == "http" and not _loopback(host):
        raise ValueError("the hub address must start with https:// (learners type their passwords into it); "
                         f"http:// is only for a hub on this computer; got {_shown(hub)}")
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
