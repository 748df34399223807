"""A class on a real JupyterHub (deploy/jupyterhub), on 127.0.0.1, with configurable-http-proxy from npm.

Two learners log in with the password, open the link that `python -m ivig_content hub-link` prints (pointing at a
local clone of this repository), get their own copy of the lesson through nbgitpuller, and run the quiz notebook
through the kernel API. Their kernels listen on Unix sockets that another local user cannot open, and on no TCP
port that answers as a kernel; their servers speak only HTTPS, to callers holding a certificate from the hub
(internal_ssl). Then the hub is stopped, and no process it started may be left. A second hub runs the
production switch for per-user subdomains on loopback (hub.localhost, NAME.hub.localhost).

Needs Node.js: without it these tests fail in CI (CI=true) and skip with a one-line reason elsewhere.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from ivig_content.__main__ import main as command_line
from ivig_content.hub import hub_link

from .hub import (
    Hub,
    Learner,
    as_another_user,
    connect_unix,
    kernel_info,
    kernel_sockets,
    listening_tcp_ports,
    localhost_subdomains,
    outcomes,
    published_lesson,
    require_hub,
    require_root,
    run_notebook_from_sync_code,
)
from .servers import REPO, process_tree

LEARNERS = ("ada", "ben")
QUIZ = "notebooks/04-quiz.ipynb"


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[Hub]:
    require_hub()
    folder = tmp_path_factory.mktemp("hub")
    for name in LEARNERS:  # each learner's own Jupyter config asks to show hidden files: the hub must ignore it
        (folder / "homes" / name / ".jupyter").mkdir(parents=True)
        (folder / "homes" / name / ".jupyter" / "jupyter_server_config.py").write_text(
            "c.ContentsManager.allow_hidden = True\n", encoding="utf-8")
    running = Hub(folder)
    yield running
    running.stop()


def test_two_learners_pull_the_lesson_and_run_the_quiz(hub: Hub, tmp_path, capsys):
    clone, branch = published_lesson(tmp_path)
    assert command_line(["hub-link", "--hub", hub.url, "--repo", clone.as_uri(), "--branch", branch]) == 0
    link = capsys.readouterr().out.strip()
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    for name in LEARNERS:
        learner = Learner(hub, name)
        wrong = Learner(hub, name).log_in("not-the-password")
        assert wrong.status_code == 403, "a wrong password must not log in"
        answer = learner.log_in(hub.password)
        assert answer.status_code == 200 and answer.url == f"{hub.url}/hub/spawn-pending/{name}", answer.url
        hub.wait_until_ready(name)

        landing = learner.open_link(link)
        assert landing == f"/user/{name}/lab/tree/ivig-teaching/notebooks/00-start-here.ipynb"
        copy = hub.folder / "homes" / name / "ivig-teaching"
        assert (copy / QUIZ).is_file()
        pulled = subprocess.run(["git", "-C", str(copy), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        assert pulled == head, "the learner's copy is the published lesson"
        # The landing page is the learner's own JupyterLab, not a login page
        page = learner.browser.get(f"{hub.url}{landing}", timeout=120)
        assert page.status_code == 200 and page.url == f"{hub.url}{landing}"

        ran = run_notebook_from_sync_code(hub.url, name, hub.learner_token(name), f"ivig-teaching/{QUIZ}")
        assert ran["error"] == [] and ran["stderr"] == [], ran
        assert len(ran["cells"]) >= 1
        assert len(ran["widgets"]) == 1 and ran["widgets"][0].startswith("QuizWidget(mode='quiz', question=1 of ")

    users = {user["name"]: user for user in hub.api("GET", "/users").json()}
    assert {name for name in LEARNERS} <= set(users)
    for name in LEARNERS:
        assert users[name]["servers"][""]["ready"]


def test_a_learners_own_jupyter_config_is_ignored(hub: Hub):
    # disable_user_config: ~/.jupyter/jupyter_server_config.py (written by the fixture) would let hidden files be
    # listed; the learner's server must not read it.
    for name in LEARNERS:
        headers = {"Authorization": f"token {hub.learner_token(name)}"}
        contents = f"{hub.url}/user/{name}/api/contents"
        assert requests.get(f"{contents}/ivig-teaching", headers=headers, timeout=60).status_code == 200
        assert (hub.folder / "homes" / name / ".jupyter" / "jupyter_server_config.py").is_file()
        assert requests.get(f"{contents}/.jupyter", headers=headers, timeout=60).status_code == 404


def test_kernels_listen_on_unix_sockets_in_a_folder_only_the_learner_can_open(hub: Hub):
    # Runs after the learners' test: each has a kernel running the quiz.
    kernels = hub.kernels()
    assert sorted(kernels) == sorted(LEARNERS)
    for name, (pid, connection_file) in kernels.items():
        info = json.loads(connection_file.read_text(encoding="utf-8"))
        assert info["transport"] == "ipc"
        # The kernel's sockets sit beside its connection file, in the learner's runtime folder, which Jupyter made
        # mode 0700 (plus the sticky bit jupyter_client adds) for the user the learner's server runs as.
        folder = hub.runtime / name
        assert connection_file.parent == folder
        assert info["ip"] == f"{folder / connection_file.stem}-ipc"
        assert all(stat.S_ISSOCK(path.stat().st_mode) for path in kernel_sockets(info))
        mode = folder.stat()
        assert (stat.S_IMODE(mode.st_mode) & 0o777, mode.st_uid) == (0o700, os.geteuid())
        # The kernel answers a signed request on its shell socket ...
        reply = kernel_info(f"ipc://{kernel_sockets(info)[0]}", info)
        assert reply is not None and reply["content"]["status"] == "ok", reply
        # ... and not on a TCP port, even to a caller holding its key (any local user may open a TCP connection
        # to 127.0.0.1). ipykernel 7 listens on one TCP port of its own: the pipe for output from forked
        # subprocesses (a ZeroMQ PULL socket, which drops any message without a random 16-byte secret). It is no
        # kernel channel: the same request sent there gets no answer.
        ports = listening_tcp_ports(pid)
        assert len(ports) <= 1, f"{name}'s kernel listens on TCP ports {ports}"
        for port in ports:
            assert kernel_info(f"tcp://127.0.0.1:{port}", info, timeout=3) is None, port


def test_another_local_user_cannot_reach_a_learners_kernel(hub: Hub):
    require_root("this test (it runs a probe as the user nobody)")
    # A control first: nobody can connect to a socket whose folder and mode let everyone in, and cannot to one
    # whose folder is mode 0700, like a learner's runtime folder.
    open_folder, closed_folder = hub.runtime / "open", hub.runtime / "closed"
    listeners = []
    for folder in (open_folder, closed_folder):
        folder.mkdir(mode=0o755)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(folder / "socket"))
        listener.listen()
        os.chmod(folder / "socket", 0o777)
        listeners.append(listener)
    closed_folder.chmod(0o700)
    try:
        seen = as_another_user(lambda: outcomes({
            "open": lambda: connect_unix(open_folder / "socket"),
            "closed": lambda: connect_unix(closed_folder / "socket"),
        }))
    finally:
        for listener in listeners:
            listener.close()
    assert seen == {"uid": 65534, "open": "allowed", "closed": "PermissionError"}

    for name, (_, connection_file) in hub.kernels().items():
        info = json.loads(connection_file.read_text(encoding="utf-8"))
        sockets = kernel_sockets(info)
        seen = as_another_user(lambda: outcomes({
            "read the connection file (the key)": connection_file.read_bytes,
            "list the runtime folder": lambda: os.listdir(connection_file.parent),
            **{f"connect to {path.name}": lambda path=path: connect_unix(path) for path in sockets},
        }))
        assert seen == {
            "uid": 65534,
            "read the connection file (the key)": "PermissionError",
            "list the runtime folder": "PermissionError",
            **{f"connect to {path.name}": "PermissionError" for path in sockets},
        }, name
        # The learner's own server (the same user as its kernel) still reaches it
        reply = kernel_info(f"ipc://{sockets[0]}", info)
        assert reply is not None and reply["content"]["status"] == "ok"


def test_learners_servers_answer_only_https_callers_holding_a_certificate_from_the_hub(hub: Hub):
    # internal_ssl: the hub made its own authorities; each learner's server has a certificate from one of them,
    # and demands one from every caller (the proxy and the hub have theirs).
    certificates = hub.folder / "internal-ssl"
    trusted = certificates / "hub-ca_trust.crt"
    hub_certificate = tuple(certificates / "hub-internal" / f"hub-internal.{kind}" for kind in ("crt", "key"))
    for name in LEARNERS:
        pid = hub.api("GET", f"/users/{name}").json()["servers"][""]["state"]["pid"]
        (port,) = listening_tcp_ports(pid)
        url = f"https://127.0.0.1:{port}/user/{name}/api/status"
        headers = {"Authorization": f"token {hub.learner_token(name)}"}
        with pytest.raises(requests.exceptions.ConnectionError):  # plain HTTP: not understood
            requests.get(url.replace("https:", "http:", 1), headers=headers, timeout=30)
        with pytest.raises(requests.exceptions.SSLError):  # HTTPS without a certificate: refused
            requests.get(url, headers=headers, verify=trusted, timeout=30)
        answer = requests.get(url, headers=headers, verify=trusted, cert=hub_certificate, timeout=30)
        assert answer.status_code == 200 and "kernels" in answer.json(), answer.text


def test_the_hub_stops_its_proxy_servers_and_kernels(hub: Hub):
    # Runs after the learners' test: their two servers and kernels are still up.
    running = process_tree(hub.pid)
    commands = " ".join(command for _, command in running.values())
    assert commands.count("jupyterhub-singleuser") == len(LEARNERS), commands
    assert commands.count("ipykernel") == len(LEARNERS), commands
    assert "configurable-http-proxy" in commands
    left = hub.stop()
    assert left == {}, f"still running after the hub stopped: {left}"


def test_per_user_subdomains_on_loopback(tmp_path):
    # The production switch IVIG_HUB_SUBDOMAIN_HOST, with names under .localhost, which resolve to 127.0.0.1 (as
    # in Chromium and curl): the hub at hub.localhost:PORT, each learner's server at NAME.hub.localhost:PORT.
    require_hub()
    name = "dan"
    with localhost_subdomains():
        hub = Hub(tmp_path / "hub", subdomains=True)
        try:
            own_origin = f"http://{name}.hub.localhost:{hub.port}"
            learner = Learner(hub, name)
            answer = learner.log_in(hub.password)
            assert answer.url == f"{hub.url}/hub/spawn-pending/{name}", answer.url
            hub.wait_until_ready(name)
            assert hub.api("GET", f"/users/{name}").json()["servers"][""]["full_url"] == f"{own_origin}/user/{name}/"

            clone, branch = published_lesson(tmp_path)
            landing = learner.open_link(hub_link(hub.url, clone.as_uri(), branch))
            assert landing == f"/user/{name}/lab/tree/ivig-teaching/notebooks/00-start-here.ipynb"
            page = learner.browser.get(f"{own_origin}{landing}", timeout=120)
            assert (page.status_code, page.url, page.history) == (200, f"{own_origin}{landing}", [])
            # The learner's server and its cookie live on its own origin only: on the hub's name, the same path is
            # the hub's, which sends the learner on to their own origin.
            assert {cookie.domain for cookie in learner.browser.cookies if cookie.name == f"jupyterhub-user-{name}"} \
                == {f"{name}.hub.localhost"}
            elsewhere = learner.browser.get(f"{hub.url}{landing}", timeout=120, allow_redirects=False)
            assert (elsewhere.status_code, elsewhere.headers["Location"]) == (302, f"{hub.url}/hub{landing}")
            followed = learner.browser.get(f"{hub.url}{landing}", timeout=120)
            assert followed.status_code == 200 and followed.url.startswith(f"{own_origin}{landing}"), followed.url
        finally:
            left = hub.stop()
    assert left == {}, f"still running after the hub stopped: {left}"


def test_a_missing_node_fails_in_ci_and_skips_elsewhere():
    # With only this Python's tools on PATH there is no node: the hub fixture decides before starting anything.
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PATH"] = str(Path(sys.executable).parent)
    test = "tests/test_jupyterhub.py::test_the_hub_stops_its_proxy_servers_and_kernels"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q", test]
    elsewhere = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    in_ci = subprocess.run(command, cwd=REPO, env={**env, "CI": "true"}, capture_output=True, text=True,
                           timeout=300)
    assert elsewhere.returncode == 0 and "1 skipped" in elsewhere.stdout, elsewhere.stdout
    assert "no Node.js, which the JupyterHub tests need: install Node.js and npm" in elsewhere.stdout
    assert in_ci.returncode == 1, in_ci.stdout
    assert "Node.js is missing, so the JupyterHub tests cannot run" in in_ci.stdout
