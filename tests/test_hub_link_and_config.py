"""The hub-link command and the production JupyterHub settings (the hub itself runs in test_jupyterhub.py)."""

from __future__ import annotations

import pwd
import sys
import tomllib
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from traitlets.config.loader import PyFileConfigLoader

from ivig_content.__main__ import main
from ivig_content.hub import hub_link, published_repository

from .servers import REPO

PRODUCTION = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
TEST_ONLY = REPO / "tests" / "jupyterhub_test_only_config.py"
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def production_settings(monkeypatch, **env: str):
    for name in ("IVIG_HUB_SSL_CERT", "IVIG_HUB_SSL_KEY", "IVIG_HUB_SUBDOMAIN_HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader(PRODUCTION.name, str(PRODUCTION.parent)).load_config()


def test_the_link_opens_the_first_notebook_of_the_published_repository(capsys):
    assert main(["hub-link", "--hub", "https://hub.example.edu/"]) == 0
    link = capsys.readouterr().out
    assert link.endswith("\n") and link.count("\n") == 1
    parts = urlsplit(link.strip())
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {
        "repo": [PYPROJECT["project"]["urls"]["Repository"]],
        "branch": ["main"],
        "urlpath": ["lab/tree/ivig-teaching/notebooks/00-start-here.ipynb"],
    }


def test_the_default_repository_is_the_one_in_pyproject():
    assert published_repository() == PYPROJECT["project"]["urls"]["Repository"]


def test_repository_branch_and_a_hub_under_a_path_prefix():
    link = hub_link("https://example.edu/jupyter/hub", "file:///srv/lessons/ivig-class/", "spring-2027")
    parts = urlsplit(link)
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"
    assert parse_qs(parts.query) == {
        "repo": ["file:///srv/lessons/ivig-class"],  # no trailing slash: nbgitpuller names the folder after it
        "branch": ["spring-2027"],
        "urlpath": ["lab/tree/ivig-class/notebooks/00-start-here.ipynb"],
    }


@pytest.mark.parametrize(("args", "message"), [
    (["--hub", "hub.example.edu"], "FAIL  the hub address must be a full URL starting with https:// or http://; "
                                   "got 'hub.example.edu'"),
    (["--hub", "https://hub.example.edu", "--repo", "git@github.com:x/y.git"],
     "FAIL  the repository must be a full URL starting with https:// or http:// or file://; "
     "got 'git@github.com:x/y.git'"),
    (["--hub", "https://hub.example.edu", "--branch", " "], "FAIL  the branch name is empty"),
])
def test_bad_addresses_get_one_clear_line(args, message, capsys):
    assert main(["hub-link", *args]) == 1
    assert capsys.readouterr().out == message + "\n"


HUB = "the hub address"
NO_CREDENTIALS = "must not contain a user name or password (every learner gets the link); got "
NO_QUERY = "must not have a query ('?...') or fragment ('#...'); got "
NO_SPACES = "must not contain spaces, line breaks or control characters; got "
BAD_PORT = "has an invalid port (a number from 1 to 65535); got "


@pytest.mark.parametrize(("hub", "message"), [
    # a password (or a user name) in the link would go to every learner; the message never repeats it
    ("https://ada:s3cret@hub.example.edu", f"{HUB} {NO_CREDENTIALS}'https://***@hub.example.edu'"),
    ("https://ada@hub.example.edu/", f"{HUB} {NO_CREDENTIALS}'https://***@hub.example.edu/'"),
    ("https://ada:s3cret@", f"{HUB} {NO_CREDENTIALS}'https://***@'"),
    # a query or fragment would be glued to the link's own path and query
    ("https://hub.example.edu/?next=/hub/admin", f"{HUB} {NO_QUERY}'https://hub.example.edu/?next=/hub/admin'"),
    ("https://hub.example.edu/#top", f"{HUB} {NO_QUERY}'https://hub.example.edu/#top'"),
    ("https://hub.example.edu?", f"{HUB} {NO_QUERY}'https://hub.example.edu?'"),
    # whitespace, control and invisible characters, shown escaped so the message stays one line
    ("https://hub.example.edu\n", f"{HUB} {NO_SPACES}'https://hub.example.edu\\n'"),
    (" https://hub.example.edu", f"{HUB} {NO_SPACES}' https://hub.example.edu'"),
    ("https://hub.example.edu/\x1b[32mOK", f"{HUB} {NO_SPACES}'https://hub.example.edu/\\x1b[32mOK'"),
    ("https://hub.exa\u200bmple.edu", f"{HUB} {NO_SPACES}'https://hub.exa\\u200bmple.edu'"),
    ("https://hub.example.edu\u2028OK", f"{HUB} {NO_SPACES}'https://hub.example.edu\\u2028OK'"),
    ("https://hub.example.edu\tx", f"{HUB} {NO_SPACES}'https://hub.example.edu\\tx'"),
    # ports: digits only, 1 to 65535
    ("https://hub.example.edu:0", f"{HUB} {BAD_PORT}'https://hub.example.edu:0'"),
    ("https://hub.example.edu:65536", f"{HUB} {BAD_PORT}'https://hub.example.edu:65536'"),
    ("https://hub.example.edu:https", f"{HUB} {BAD_PORT}'https://hub.example.edu:https'"),
    ("https://hub.example.edu:", f"{HUB} {BAD_PORT}'https://hub.example.edu:'"),
    ("https://hub.example.edu:\u0668\u0660", f"{HUB} {BAD_PORT}'https://hub.example.edu:\u0668\u0660'"),
    ("https://[::1]:99999", f"{HUB} {BAD_PORT}'https://[::1]:99999'"),
    ("https://[::1", f"{HUB} must be a full URL starting with https:// or http://; got 'https://[::1'"),
    ("https://:8000", f"{HUB} must be a full URL starting with https:// or http://; got 'https://:8000'"),
    # found by a second fresh-eyes trial: a backslash (browsers read it as "/"), hosts no browser can look up, a
    # page of the hub instead of its address, plain http:// to a real host, a password with "/" in it
    ("https://evil.example\\.hub.example.edu", f"{HUB} must not contain a backslash; got "
                                              "'https://evil.example\\\\.hub.example.edu'"),
    ("https://-bad-.example", f"{HUB} has a host name no browser can look up; got 'https://-bad-.example'"),
    ("https://hub..example.edu", f"{HUB} has a host name no browser can look up; got 'https://hub..example.edu'"),
    ("https://256.256.256.256", f"{HUB} has a host name no browser can look up; got 'https://256.256.256.256'"),
    ("https://hub.example.edu/hub/user-redirect", f"{HUB} is the address learners open, not a page of the hub (cut "
                                                  "it before \"/hub/\"); got 'https://hub.example.edu/hub/user-redirect'"),
    ("http://hub.example.edu", f"{HUB} must start with https:// (learners type their passwords into it); http:// is "
                               "only for a hub on this computer; got 'http://hub.example.edu'"),
    ("https://ada:se/cret@hub.example.edu", f"{HUB} {BAD_PORT}'https://***@hub.example.edu'"),
    # absurd lengths: cut in the message, with the real length
    ("https://" + "a" * 1993, f"{HUB} is too long (2001 characters; at most 2000); got "
                               f"'https://{'a' * 72}'... (2001 characters)"),
])
def test_bad_hub_addresses_are_refused_in_one_line(hub, message, capsys):
    with pytest.raises(ValueError) as refused:
        hub_link(hub, "https://github.com/example/ivig-teaching")
    assert str(refused.value) == message
    assert main(["hub-link", "--hub", hub, "--repo", "https://github.com/example/ivig-teaching"]) == 1
    assert capsys.readouterr().out == f"FAIL  {message}\n"


@pytest.mark.parametrize(("repo", "branch", "message"), [
    ("https://ada:ghp_token@github.com/x/ivig-teaching", "main",
     f"the repository {NO_CREDENTIALS}'https://***@github.com/x/ivig-teaching'"),
    ("https://github.com:0/x/ivig-teaching", "main",
     f"the repository {BAD_PORT}'https://github.com:0/x/ivig-teaching'"),
    ("file:///srv/lesson\n/x", "main", f"the repository {NO_SPACES}'file:///srv/lesson\\n/x'"),
    ("https://github.com/x/ivig-teaching", "main\rOK", f"the branch name {NO_SPACES}'main\\rOK'"),
    ("https://github.com/x/ivig-teaching", "b" * 2001,
     f"the branch name is too long (2001 characters; at most 2000); got '{'b' * 80}'... (2001 characters)"),
])
def test_bad_repositories_and_branches_are_refused_in_one_line(repo, branch, message):
    with pytest.raises(ValueError) as refused:
        hub_link("https://hub.example.edu", repo, branch)
    assert str(refused.value) == message


@pytest.mark.parametrize(("hub", "start"), [
    ("https://hub.example.edu:8443", "https://hub.example.edu:8443/hub/user-redirect/git-pull?"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/hub/user-redirect/git-pull?"),
    ("https://[2001:db8::1]:443/jupyter/hub", "https://[2001:db8::1]:443/jupyter/hub/user-redirect/git-pull?"),
    ("https://hub.example.edu/a@b", "https://hub.example.edu/a@b/hub/user-redirect/git-pull?"),  # @ in a path
    ("https://xn--hb-1ga.example.edu", "https://xn--hb-1ga.example.edu/hub/user-redirect/git-pull?"),
    ("https://h\u00fcb.example.edu", "https://h\u00fcb.example.edu/hub/user-redirect/git-pull?"),  # its IDNA form is valid
    ("http://hub.localhost:8000", "http://hub.localhost:8000/hub/user-redirect/git-pull?"),  # this computer
    ("https://h.example.edu/" + "p" * 1978, f"https://h.example.edu/{'p' * 1978}/hub/user-redirect/git-pull?"),
])
def test_good_hub_addresses_still_make_links(hub, start):
    assert len(hub) <= 2000
    assert hub_link(hub, "https://github.com/example/ivig-teaching").startswith(start)


def test_the_hub_address_is_required(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["hub-link"])
    assert stopped.value.code == 2
    assert "--hub" in capsys.readouterr().err


def test_production_settings_use_accounts_own_servers_and_https(monkeypatch):
    config = production_settings(monkeypatch)
    assert config.JupyterHub.authenticator_class == "pam"
    assert config.PAMAuthenticator.allowed_groups == {"learners", "instructors"}
    assert config.PAMAuthenticator.admin_groups == {"instructors"}
    assert config.JupyterHub.spawner_class == "localprocess"
    assert config.Spawner.cmd == [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
    assert config.Spawner.start_timeout > 30 and config.Spawner.http_timeout > 30
    # Without a certificate the hub is reachable only from this machine (for an HTTPS reverse proxy).
    assert config.JupyterHub.bind_url == "http://127.0.0.1:8000"
    assert "ssl_cert" not in config.JupyterHub


def test_production_settings_keep_learners_apart(monkeypatch):
    config = production_settings(monkeypatch)
    # A learner's own ~/.jupyter config is ignored; kernels use Unix sockets; HTTPS inside the hub too.
    assert config.Spawner.disable_user_config is True
    assert "--KernelManager.transport=ipc" in config.Spawner.args
    assert config.JupyterHub.internal_ssl is True
    assert config.JupyterHub.internal_certs_location == "/srv/ivig-hub/internal-ssl"
    # Subdomains are off unless switched on (they need wildcard DNS and a wildcard certificate).
    assert "subdomain_host" not in config.JupyterHub


class SpawnerFor:
    """What the runtime folder setting reads of a spawner: the learner's name."""

    def __init__(self, name: str):
        self.user = type("User", (), {"name": name})()


def test_learners_runtime_folder_is_in_their_home_with_room_for_kernel_sockets(monkeypatch):
    runtime_folder = production_settings(monkeypatch).Spawner.environment["JUPYTER_RUNTIME_DIR"]
    assert runtime_folder(SpawnerFor("root")) == "/root/.jupyter-run"
    # The longest account name useradd accepts (32 characters) under /home still leaves room for the socket path.
    long_name = "a" * 32
    monkeypatch.setattr(pwd, "getpwnam", lambda name: type("Account", (), {"pw_dir": f"/home/{name}"})())
    assert runtime_folder(SpawnerFor(long_name)) == f"/home/{long_name}/.jupyter-run"
    assert len(f"/home/{long_name}/.jupyter-run/kernel-{uuid.uuid4()}-ipc-1") <= 107
    # A home too deep for a Unix socket's 107 bytes is refused in one line, before any kernel fails to start.
    monkeypatch.setattr(pwd, "getpwnam", lambda name: type("Account", (), {"pw_dir": f"/srv/{'x' * 60}/{name}"})())
    with pytest.raises(ValueError) as refused:
        runtime_folder(SpawnerFor("ada"))
    assert str(refused.value) == (
        f"ada's kernels cannot start: their runtime folder '/srv/{'x' * 60}/ada/.jupyter-run' is too long for a Unix "
        "socket's path (107 bytes with the kernel's socket name); use shorter home folders"
    )


def test_production_settings_with_subdomains(monkeypatch):
    config = production_settings(monkeypatch, IVIG_HUB_SUBDOMAIN_HOST="https://hub.example.edu")
    assert config.JupyterHub.subdomain_host == "https://hub.example.edu"
    assert config.JupyterHub.cookie_host_prefix_enabled is True
    # Over plain HTTP (only on loopback, as in the hub test) browsers would drop "__Host-" cookies
    config = production_settings(monkeypatch, IVIG_HUB_SUBDOMAIN_HOST="http://hub.localhost:8000")
    assert config.JupyterHub.cookie_host_prefix_enabled is False


def test_production_settings_with_a_certificate_serve_https(monkeypatch):
    config = production_settings(monkeypatch, IVIG_HUB_SSL_CERT="/etc/ssl/hub.pem", IVIG_HUB_SSL_KEY="/etc/ssl/k.pem")
    assert config.JupyterHub.bind_url == "https://0.0.0.0:443"
    assert (config.JupyterHub.ssl_cert, config.JupyterHub.ssl_key) == ("/etc/ssl/hub.pem", "/etc/ssl/k.pem")


def test_production_settings_hold_none_of_the_test_settings():
    text = PRODUCTION.read_text(encoding="utf-8")
    for test_only in ("shared-password", "dummy", '"simple"', "allow_all", "--allow-root", "user_password",
                      "api_token", "IVIG_TEST"):
        assert test_only not in text, test_only
    assert TEST_ONLY.read_text(encoding="utf-8").startswith("# TEST ONLY. Never use this file to serve a class.")


def test_the_learners_environment_has_nbgitpuller():
    # The single-user server runs from this environment, so nbgitpuller must be installed in it.
    assert any(line.startswith("nbgitpuller") for line in PYPROJECT["project"]["optional-dependencies"]["hub"])
    import nbgitpuller  # noqa: F401 - importable where the hub's learners' servers run


def test_jupyterhub_accepts_the_production_settings(monkeypatch):
    # The names resolve to JupyterHub's own classes, and every value has the type they expect.
    from jupyterhub.app import JupyterHub

    hub = JupyterHub(config=production_settings(monkeypatch))
    assert hub.authenticator_class.__name__ == "PAMAuthenticator"
    assert hub.spawner_class.__name__ == "LocalProcessSpawner"
    authenticator = hub.authenticator_class(parent=hub)
    assert authenticator.allowed_groups == {"learners", "instructors"}
    assert authenticator.admin_groups == {"instructors"}
    assert hub.bind_url == "http://127.0.0.1:8000"
    assert hub.db_url == "sqlite:////srv/ivig-hub/jupyterhub.sqlite"
    assert hub.internal_ssl is True
    spawner = hub.spawner_class(parent=hub, user=SpawnerFor("root").user, hub=hub)
    assert spawner.disable_user_config is True
    assert spawner.environment["JUPYTER_RUNTIME_DIR"](spawner) == "/root/.jupyter-run"
