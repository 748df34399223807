# JupyterHub for a whole class on one machine: every learner gets their own JupyterLab, with this package, and
# opens the lesson from a link (python -m ivig_content hub-link). How to start it: docs/deploy.md.
#
# These are the production settings. Each learner and each instructor has a Unix account on the machine:
#   - log in with that account's password (PAM), if it is in the group "learners" or "instructors";
#     members of "instructors" are hub admins (they can see and stop learners' servers);
#   - each learner's server runs as their own Unix user, in their own home folder (LocalProcessSpawner);
#   - learners type passwords, so the hub is only reachable over HTTPS: either it holds the certificate itself
#     (IVIG_HUB_SSL_CERT and IVIG_HUB_SSL_KEY) and listens on port 443, or it listens on 127.0.0.1:8000 only,
#     for a reverse proxy on this machine (Caddy, nginx) that holds the certificate.
# The integration test (tests/test_jupyterhub.py) runs this file with a few test-only settings laid over it, in
# tests/jupyterhub_test_only_config.py; none of those are used here.

import os
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
]

# --- Where the hub listens (HTTPS only) ---------------------------------------------------------------------------
cert, key = os.environ.get("IVIG_HUB_SSL_CERT"), os.environ.get("IVIG_HUB_SSL_KEY")
if cert and key:
    c.JupyterHub.bind_url = "https://0.0.0.0:443"
    c.JupyterHub.ssl_cert = cert
    c.JupyterHub.ssl_key = key
else:
    c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # reachable only through the HTTPS reverse proxy

# --- The hub's own files and its proxy ------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
# configurable-http-proxy, as installed by: npm ci --prefix deploy/jupyterhub (else the one on PATH)
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(proxy) if proxy.exists() else "configurable-http-proxy"]
