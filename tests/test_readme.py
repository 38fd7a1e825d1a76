import re

from jury.settings import ENVIRONMENT, PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _test_command() -> str:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    commands = [b for b in blocks if "pytest" in b]
    assert len(commands) == 1, "README must give exactly one test command"
    return commands[0].strip()


def test_ci_runs_exactly_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _test_command() in ci.splitlines()


def test_readme_configuration_table_lists_every_setting():
    for name in ENVIRONMENT:
        assert f"`{name}`" in README, f"{name} is missing from README's configuration table"
