# JupyterHub for a whole class on one machine: every learner gets their own JupyterLab, with this package, and
# opens the lesson from a link (python -m ivig_content hub-link). How to start it: docs/deploy.md.
#
# These are the production settings. Each learner and each instructor has a Unix account on the machine:
#   - log in with that account's password (PAM), if it is in the group "learners" or "instructors";
#     members of "instructors" are hub admins (they can see and stop learners' servers);
#   - each learner's server runs as their own Unix user, in their own home folder (LocalProcessSpawner), which
#     only they can open (mode 0700: docs/deploy.md, "Setting it up");
#   - their kernels talk to their server over Unix sockets in a folder only they can open, never over TCP ports;
#   - every connection inside the hub (hub, proxy, learners' servers) is HTTPS with certificates the hub makes;
#   - learners type passwords, so the hub is only reachable over HTTPS: either it holds the certificate itself
#     (IVIG_HUB_SSL_CERT and IVIG_HUB_SSL_KEY) and listens on port 443, or it listens on 127.0.0.1:8000 only,
#     for a reverse proxy on this machine (Caddy, nginx) that holds the certificate.
# The integration test (tests/test_jupyterhub.py) runs this file with a few test-only settings laid over it, in
# tests/jupyterhub_test_only_config.py; none of those are used here.

import os
import pwd
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - JupyterHub gives config files get_config()
HERE = Path(__file__).resolve().parent
# The hub's own database, cookie secret and pid file. Create it first: sudo mkdir -m 700 -p /srv/ivig-hub
STATE = Path("/srv/ivig-hub")

# --- Who may log in -------------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {"learners", "instructors"}
c.PAMAuthenticator.admin_groups = {"instructors"}

# --- Each learner's server ------------------------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"
# The single-user server from the same environment as the hub, which has this package installed: the learners'
# kernels import ivig_content from it.
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab"
# Learners' own Jupyter config files (~/.jupyter) are ignored: a learner cannot switch off these settings.
c.Spawner.disable_user_config = True
# Each server takes about 5 s of CPU to start, so 30 learners logging in at once on 2 cores wait about 100 s.
# With JupyterHub's defaults (60 s to start, 30 s to answer) all 30 were refused; 180 s covers about 50 at once
# on 2 cores (docs/benchmarks.md, section 5).
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.args = [
    # An idle kernel (no tab open for an hour) is shut down, and so is a server with nothing running for an
    # hour: a finished class gives its memory back. A learner's open quiz is never culled.
    "--MappingKernelManager.cull_idle_timeout=3600",
    "--MappingKernelManager.cull_interval=300",
    "--ServerApp.shutdown_no_activity_timeout=3600",
    # Kernels listen on Unix sockets (ZeroMQ's "ipc" transport) beside their connection files, in the learner's
    # runtime folder (mode 0700), instead of on TCP ports of 127.0.0.1 that every local user can connect to.
    "--KernelManager.transport=ipc",
]

# A Unix socket's path may be at most 107 bytes, and a kernel's is its runtime folder followed by
# "/kernel-<36-character id>-ipc-<n>" (50 more): Jupyter's default folder, ~/.local/share/jupyter/runtime, would
# limit account names to 22 characters, so the folder is ~/.jupyter-run (any name of up to 32 under /home).
KERNEL_SOCKET_NAME = "/kernel-00000000-0000-0000-0000-000000000000-ipc-99"


def runtime_folder(spawner) -> str:
    """The learner's Jupyter runtime folder (connection files and kernel sockets), created mode 0700 by Jupyter."""
    folder = os.path.join(pwd.getpwnam(spawner.user.name).pw_dir, ".jupyter-run")
    if len(os.fsencode(folder + KERNEL_SOCKET_NAME)) > 107:
        raise ValueError(f"{spawner.user.name}'s kernels cannot start: their runtime folder {folder!r} is too long "
                         "for a Unix socket's path (107 bytes with the kernel's socket name); use shorter home folders")
    return folder


c.Spawner.environment = {"JUPYTER_RUNTIME_DIR": runtime_folder}

# --- Where the hub listens (HTTPS only) ---------------------------------------------------------------------------
cert, key = os.environ.get("IVIG_HUB_SSL_CERT"), os.environ.get("IVIG_HUB_SSL_KEY")
if cert and key:
    c.JupyterHub.bind_url = "https://0.0.0.0:443"
    c.JupyterHub.ssl_cert = cert
    c.JupyterHub.ssl_key = key
else:
    c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # reachable only through the HTTPS reverse proxy

# --- Per-user subdomains: a production switch, off unless set -----------------------------------------------------
# IVIG_HUB_SUBDOMAIN_HOST=https://hub.example.edu serves each learner's server from an origin of its own,
# https://NAME.hub.example.edu, so the browser keeps one learner's pages apart from another's and the hub's. It needs
# wildcard DNS (*.hub.example.edu to this machine) and a certificate for hub.example.edu and *.hub.example.edu.
subdomain_host = os.environ.get("IVIG_HUB_SUBDOMAIN_HOST")
if subdomain_host:
    c.JupyterHub.subdomain_host = subdomain_host
    # Login cookies locked to the name that set them ("__Host-" prefix), so a learner's server cannot plant one for
    # the hub (JupyterHub advisory GHSA-7r3h-4ph8-w38g); browsers keep such cookies over HTTPS only.
    c.JupyterHub.cookie_host_prefix_enabled = subdomain_host.startswith("https://")

# --- HTTPS inside the hub too -----------------------------------------------------------------------------------
# The hub, its proxy and every learner's server talk HTTPS to each other, with certificates from the hub's own
# authorities, and a learner's server answers only a caller holding one (a local user cannot reach it directly).
c.JupyterHub.internal_ssl = True
c.JupyterHub.internal_certs_location = str(STATE / "internal-ssl")

# --- The hub's own files and its proxy ------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
# configurable-http-proxy, as installed by: npm ci --prefix deploy/jupyterhub (else the one on PATH)
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(proxy) if proxy.exists() else "configurable-http-proxy"]
