# Settings for serving the quiz and the condition explorer as web apps with Voila:
#   make quiz-app        notebooks/04-quiz.ipynb
#   make explorer-app    apps/explorer.ipynb
# Both pass --Voila.config_file_paths=apps, which makes Voila read this file.

# Only this computer can open the app. For a classroom, `ROOM=1 make quiz-app` listens on the network
# instead and requires a token (printed in the link to share); never serve a room without one.
c.Voila.ip = "127.0.0.1"  # noqa: F821 - `c` is the config object Voila provides
c.Voila.port = 8866  # noqa: F821

# Learners see the notebook's text and widgets, never its code or a Python traceback.
c.VoilaConfiguration.strip_sources = True  # noqa: F821
c.VoilaConfiguration.show_tracebacks = False  # noqa: F821

# Voila 0.5 leaves one kernel (about 100 MiB) behind for every visit, because the page's shutdown request is
# refused for lack of an XSRF token. Keep XSRF protection on, and shut down kernels instead once nobody is
# connected to them and they have been idle for 30 seconds (checked every 10 seconds). A learner who keeps the
# page open stays connected, so their kernel is kept.
c.MappingKernelManager.cull_idle_timeout = 30  # noqa: F821
c.MappingKernelManager.cull_interval = 10  # noqa: F821
c.MappingKernelManager.cull_connected = False  # noqa: F821

# The apps show no notebook navigation (links to other notebooks lead nowhere in an app) and no cells meant
# for JupyterLab only: such cells carry these tags.
c.TagRemovePreprocessor.remove_cell_tags = {"notebook-navigation", "not-in-app"}  # noqa: F821
