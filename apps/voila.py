# Settings for serving the quiz and the condition explorer as web apps with Voila:
#   make quiz-app        notebooks/04-quiz.ipynb
#   make explorer-app    apps/explorer.ipynb
# Both pass --Voila.config_file_paths=apps, which makes Voila read this file.
# `c` is the config object Voila provides (hence the noqa: F821 below).

import os

from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.web import HTTPError

# Only this computer can open the app. For a classroom, `ROOM=1 make quiz-app` listens on the network
# instead and requires a token (printed in the link to share); never serve a room without one.
c.Voila.ip = "127.0.0.1"  # noqa: F821
c.Voila.port = 8866  # noqa: F821
# ROOM=1: scripts/room.py makes a token for the run and passes it here in the environment (other users could read
# a command line with ps). Voila 0.5 prints such a token as "?token=...", so scripts/room.py prints the link; and
# a busy port is an error, not another port the printed link would not name.
if os.environ.get("IVIG_ROOM_TOKEN"):
    c.Voila.ip = "0.0.0.0"  # noqa: F821
    c.Voila.token = os.environ["IVIG_ROOM_TOKEN"]  # noqa: F821
    c.Voila.port_retries = 0  # noqa: F821

# Learners see the notebook's text and widgets, never its code or a Python traceback.
c.VoilaConfiguration.strip_sources = True  # noqa: F821
c.VoilaConfiguration.show_tracebacks = False  # noqa: F821

# No file of the lesson folder is served. Voila serves pictures (.png, .jpg, .gif, .svg) next to the notebook at
# /voila/files/ to anyone, token or not; the apps show none, so allow none.
c.VoilaConfiguration.file_allowlist = []  # noqa: F821

# The apps show no notebook navigation (links to other notebooks lead nowhere in an app) and no cells meant
# for JupyterLab only: such cells carry these tags.
c.TagRemovePreprocessor.remove_cell_tags = {"notebook-navigation", "not-in-app"}  # noqa: F821


# --- Each learner's kernel: kept while their page is open, given back when it is closed ---------------------
#
# 1. A page that is closed or reloaded asks Voila to shut its kernel down at once (a beacon, sent on
#    `beforeunload`). Voila 0.5 never sets the `_xsrf` cookie that request must carry, because it starts
#    streaming the page before anything reads the token, so the request was refused (403; voila-dashboards/voila
#    issue 1458). Reading the token before the kernel starts sets the cookie; XSRF checks stay on.
def set_xsrf_cookie(handler, notebook, cwd):
    handler.xsrf_token  # noqa: B018 - reading it sets the cookie, before the first byte of the page is sent


c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie  # noqa: F821


# 2. Phones, crashed browsers and tabs closed without the beacon: jupyter_server culls a kernel when nobody is
#    connected to it and its last message is older than `cull_idle_timeout`. A page that is open stays
#    connected, so it is never culled however long the learner reads (`cull_connected = False`). But the idle
#    time counts from the kernel's last message, so a learner who read for ten minutes and then lost the network
#    lost their kernel at the next check. Here the idle time counts from the moment the last page disconnected,
#    and a disconnected kernel is kept for 120 s: longer than a 60 s drop, and longer than the page keeps trying
#    to reconnect (7 tries at random delays of up to 1, 3, 7, 15, 31 and 63 s: at most 120 s in all).
# 3. A network drop the server cannot see (packets lost, no connection reset) keeps the connection: the server
#    closes it only after 90 s without an answer to its pings (jupyter_server's defaults, pinned here because
#    2. relies on them), so a 60 s drop of that kind is not even a disconnection.
# 4. A kernel that dies as it starts left the page loading forever (Voila waits for cells that never come;
#    voila-dashboards/voila issue 1311). The kernel must answer first; if it dies or has not answered within
#    60 s, the learner gets an error page that says to reload instead.
class LessonKernels(AsyncMappingKernelManager):
    """Kernels whose idle time counts from the last disconnection, and that must answer before a page uses them."""

    start_answer_timeout = 60  # seconds

    def notify_disconnect(self, kernel_id):
        super().notify_disconnect(kernel_id)
        if self._kernel_connections.get(kernel_id) == 0 and kernel_id in self:
            self.get_kernel(kernel_id).last_activity = utcnow()

    async def start_kernel(self, *args, **kwargs):
        kernel_id = await super().start_kernel(*args, **kwargs)
        client = self.get_kernel(kernel_id).client()
        client.start_channels()
        try:
            await ensure_async(client.wait_for_ready(timeout=self.start_answer_timeout))
        except RuntimeError as error:  # died before answering, or no answer in time
            self.log.error("Kernel %s did not start: %s", kernel_id, error)
            await ensure_async(self.shutdown_kernel(kernel_id, now=True))
            raise HTTPError(503, reason="The app could not start. Please reload the page.") from None
        finally:
            client.stop_channels()
        return kernel_id


c.VoilaConfiguration.multi_kernel_manager_class = LessonKernels  # noqa: F821
c.MappingKernelManager.cull_idle_timeout = 120  # noqa: F821
c.MappingKernelManager.cull_interval = 10  # noqa: F821
c.MappingKernelManager.cull_connected = False  # noqa: F821
c.Voila.tornado_settings = {"ws_ping_interval": 30_000, "ws_ping_timeout": 90_000}  # noqa: F821 - milliseconds
