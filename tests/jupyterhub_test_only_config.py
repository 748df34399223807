# TEST ONLY. Never use this file to serve a class.
#
# The integration test and the hub benchmark run the production settings (deploy/jupyterhub/jupyterhub_config.py)
# with these laid over them, because a test cannot create Unix accounts, hold a certificate or own port 443:
#   - everything on 127.0.0.1, on free ports, with the hub's files in the test's own temporary folder;
#   - one shared test password, made up by the test for each run, instead of Unix accounts and PAM;
#   - every learner's server runs as the user running the test (SimpleLocalProcessSpawner), in a home folder
#     inside the test's folder, and with --allow-root, because CI runs as root;
#   - an API token for the test itself, to start servers and open kernels as an instructor's tool would;
#   - the learners' runtime folders (kernel sockets) in a short folder the test made (IVIG_TEST_HUB_RUNTIME), not
#     in their test homes: a Unix socket's path may be at most 107 bytes, and pytest's folders are long.
# Internal HTTPS (internal_ssl) and kernels on Unix sockets stay on, as in production.
# The test sets IVIG_TEST_HUB_* in the hub's environment; without them this file refuses to load.

import os
from pathlib import Path

PRODUCTION = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub" / "jupyterhub_config.py"
if not PRODUCTION.is_file():  # load_subconfig would silently skip a missing file
    raise FileNotFoundError(PRODUCTION)
c = get_config()  # noqa: F821 - traitlets gives config files get_config() and load_subconfig()
load_subconfig(str(PRODUCTION))  # noqa: F821

folder = Path(os.environ["IVIG_TEST_HUB_FOLDER"])
port, hub_port, proxy_port = (int(part) for part in os.environ["IVIG_TEST_HUB_PORTS"].split(","))

c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = f"https://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = f"https://127.0.0.1:{proxy_port}"  # internal_ssl: HTTPS inside the hub
c.JupyterHub.db_url = f"sqlite:///{folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(folder / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(folder / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(folder / "jupyterhub-proxy.pid")
c.JupyterHub.internal_certs_location = str(folder / "internal-ssl")

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["IVIG_TEST_HUB_PASSWORD"]
c.Authenticator.allow_all = True  # any name, with the test's password

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(folder / "homes" / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.args = [*c.Spawner.args, "--allow-root"]
runtime = Path(os.environ["IVIG_TEST_HUB_RUNTIME"])
c.Spawner.environment = {**c.Spawner.environment,
                         "JUPYTER_RUNTIME_DIR": lambda spawner: str(runtime / spawner.user.name)}
# The benchmark starts 30 servers at once on 2 cores; it sets the spawner's timeouts itself ("START,HTTP" s).
if "IVIG_TEST_HUB_TIMEOUTS" in os.environ:
    start, http = (int(part) for part in os.environ["IVIG_TEST_HUB_TIMEOUTS"].split(","))
    c.Spawner.start_timeout, c.Spawner.http_timeout = start, http

c.JupyterHub.services = [{"name": "ivig-test", "api_token": os.environ["IVIG_TEST_HUB_API_TOKEN"]}]
c.JupyterHub.load_roles = [{
    "name": "ivig-test",
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users", "read:users"],
    "services": ["ivig-test"],
}]
