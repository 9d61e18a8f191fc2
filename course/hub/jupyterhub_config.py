# JupyterHub for the course on one machine, as tests/classroom/test_hub.py runs it:
# JupyterHub (PyPI), configurable-http-proxy (npm, node_modules/ of the repository), test
# users, local processes.
#
#     RNNLESSON_HUB_PASSWORD=... .venv/bin/jupyterhub -f course/hub/jupyterhub_config.py
#
# Three choices here are for a test and a demonstration only (course/hub/class.md says
# what to use for a class): the dummy authenticator (any user name, one shared password),
# the simple local spawner (every learner's server runs as the same system user), and an
# exchange in a folder that every process can write. Every address is 127.0.0.1.
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines it)

REPO = Path(__file__).resolve().parents[2]
# database, secrets, homes
STATE = Path(os.environ.get("RNNLESSON_HUB_STATE", REPO / "build" / "hub"))
STATE.mkdir(parents=True, exist_ok=True)

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ.get("RNNLESSON_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("RNNLESSON_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('RNNLESSON_PROXY_API_PORT', '8001')}"
)
c.ConfigurableHTTPProxy.command = [
    str(REPO / "node_modules" / ".bin" / "configurable-http-proxy")
]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # the hub stops the learners' servers when it stops

# Users: one instructor (an admin of the hub), and learners who log in with the shared
# password.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["RNNLESSON_HUB_PASSWORD"]
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {os.environ.get("RNNLESSON_HUB_INSTRUCTOR", "instructor")}

# Each user's JupyterLab: a local process of this environment's jupyterhub-singleuser, at
# home in STATE/home/NAME, opening JupyterLab.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
c.Spawner.cmd = [str(Path(sys.prefix) / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.args = [
    # as in a container
    *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
    # window.jupyterapp, which the browser test drives
    "--LabApp.expose_app_in_browser=True",
    "--ServerApp.log_level=WARN",
]
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
c.Spawner.environment = {
    "NBGRADER_EXCHANGE": os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
}

# A service token for scripts (the test creates users and starts servers over /hub/api
# with it).
if os.environ.get("RNNLESSON_HUB_API_TOKEN"):
    c.JupyterHub.services = [
        {"name": "course-admin", "api_token": os.environ["RNNLESSON_HUB_API_TOKEN"]}
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "course-admin",
            "services": ["course-admin"],
            "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
        }
    ]
