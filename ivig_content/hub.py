"""Links for a class on JupyterHub: one link per lesson that gives each learner their own copy (nbgitpuller).

A learner who opens the link logs in to the hub; nbgitpuller then copies the lesson's repository into their
home folder (or brings an earlier copy up to date, keeping their own changes) and opens the first notebook.
"""

from __future__ import annotations

import importlib.metadata
from urllib.parse import urlencode, urlsplit

FIRST_NOTEBOOK = "notebooks/00-start-here.ipynb"


def published_repository() -> str:
    """The repository URL in the package's metadata (``[project.urls] Repository`` in pyproject.toml)."""
    for entry in importlib.metadata.metadata("ivig-teaching").get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return url.strip()
    raise ValueError("the installed ivig-teaching names no repository URL; pass --repo URL")


def _checked_url(url: str, what: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in schemes or not (parts.netloc or parts.scheme == "file"):
        raise ValueError(f"{what} must be a full URL starting with {' or '.join(s + '://' for s in schemes)}; "
                         f"got {url!r}")
    return url.strip().rstrip("/")


def hub_link(hub: str, repo: str | None = None, branch: str = "main", notebook: str = FIRST_NOTEBOOK) -> str:
    """The nbgitpuller link that opens ``notebook`` of ``repo`` (at ``branch``) in JupyterLab on ``hub``.

    ``hub`` is the address learners open (``https://hub.example.edu``, with its path prefix if it has one);
    ``repo`` defaults to :func:`published_repository`.
    """
    hub = _checked_url(hub, "the hub address", ("https", "http"))
    hub = hub.removesuffix("/hub")  # "https://host/hub" is a common way to write the hub's address
    repo = _checked_url(published_repository() if repo is None else repo, "the repository", ("https", "http", "file"))
    if not branch.strip():
        raise ValueError("the branch name is empty")
    # nbgitpuller copies the repository into a folder named after the URL's last part.
    folder = repo.split("/")[-1]
    query = urlencode({"repo": repo, "branch": branch.strip(), "urlpath": f"lab/tree/{folder}/{notebook}"})
    # user-redirect sends each learner to their own server (starting it after they log in).
    return f"{hub}/hub/user-redirect/git-pull?{query}"
