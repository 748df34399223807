"""Packaging: the version, what importing costs, the wheel's data files, and the environment files in sync."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import ivig_content

from .conftest import PACKAGED_DATA, REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
DATA_FILES = sorted(path.name for path in PACKAGED_DATA.iterdir())
# conda-forge names that differ from PyPI's.
CONDA_NAMES = {"build": "python-build", "fastjsonschema": "python-fastjsonschema"}


def _run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _all_requirements() -> list[Requirement]:
    names = PYPROJECT["project"]["dependencies"] + [
        line for extra in PYPROJECT["project"]["optional-dependencies"].values() for line in extra
    ]
    return [Requirement(line) for line in names]


def test_version_is_the_installed_metadata_version():
    assert ivig_content.__version__ == importlib.metadata.version("ivig-teaching")


def test_public_names_exist():
    for name in ivig_content.__all__:
        assert hasattr(ivig_content, name), name


def test_import_loads_no_widget_or_plotting_library():
    code = (
        "import sys, ivig_content; ivig_content.facts_frame(); ivig_content.conditions_frame(); "
        "print(sorted(m for m in ('ipywidgets', 'IPython', 'matplotlib') if m in sys.modules))"
    )
    assert _run_python(code) == "[]"


def test_content_loads_without_the_network():
    # Any attempt to open a connection or resolve a name fails loudly in this process.
    code = (
        "import socket\n"
        "def refuse(*args, **kwargs): raise RuntimeError('network used')\n"
        "socket.socket.connect = socket.create_connection = socket.getaddrinfo = refuse\n"
        "import ivig_content\n"
        "frames = [ivig_content.facts_frame(), ivig_content.conditions_frame(), ivig_content.uses_frame()]\n"
        "print([len(frame) for frame in frames])\n"
    )
    assert _run_python(code) == str([len(ivig_content.facts()), 4, len(ivig_content.uses())])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    (built,) = out.glob("ivig_teaching-*.whl")
    return built


def test_wheel_contains_the_data_files_and_licences(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for data_file in DATA_FILES:
        assert f"ivig_content/data/{data_file}" in names
    assert "ivig_content/py.typed" in names
    for front_end in ("quiz.js", "explorer.js", "ivig.css"):  # the widgets' browser side, no build step
        assert f"ivig_content/frontend/{front_end}" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
    assert any(name.endswith("licenses/LICENSE-CONTENT.md") for name in names)


def test_installed_wheel_loads_its_content(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    code = (
        "import ivig_content; print(ivig_content.__file__); print(len(ivig_content.facts()))\n"
        "from ivig_content.quiz_page import quiz_page_html; from ivig_content.banks import builtin_bank\n"
        "print(len(quiz_page_html(builtin_bank(core=True))))"
    )
    where, count, page = _run_python(code, PYTHONPATH=str(target), PYTHONSAFEPATH="1").splitlines()
    assert Path(where).is_relative_to(target)
    assert int(count) == len(ivig_content.facts())
    assert int(page) > 50_000  # the quiz page, with the installed front end inlined


@pytest.mark.parametrize("requirement", _all_requirements(), ids=str)
def test_every_dependency_has_a_tested_lower_bound_and_a_major_upper_bound(requirement: Requirement):
    operators = {spec.operator for spec in requirement.specifier}
    assert {">=", "<"} <= operators, f"{requirement} needs a >= lower bound and a < upper bound"


def _conda_dependencies(path: Path) -> tuple[dict[str, SpecifierSet], list[str]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document["channels"] == ["conda-forge"]
    conda: dict[str, SpecifierSet] = {}
    pip: list[str] = []
    for entry in document["dependencies"]:
        if isinstance(entry, dict):
            pip = entry["pip"]
            continue
        name, _, spec = entry.partition(" ")
        if spec.startswith("=") and not spec.startswith("=="):
            spec = f"=={spec[1:]}.*"  # conda's "=3.11" means any 3.11.x
        conda[name] = SpecifierSet(spec)
    return conda, pip


@pytest.mark.parametrize("env_file", ["environment.yml", "binder/environment.yml"])
def test_conda_environment_lists_the_same_dependencies_as_pyproject(env_file: str):
    conda, pip = _conda_dependencies(REPO / env_file)
    python = conda.pop("python")
    assert conda.pop("pip") == SpecifierSet()
    from_pip = {Requirement(line).name: Requirement(line).specifier for line in pip if not line.startswith("-")}
    assert not set(conda) & set(from_pip), "a dependency is listed twice"
    expected = {CONDA_NAMES.get(req.name, req.name): req.specifier for req in _all_requirements()}
    assert {**conda, **{CONDA_NAMES.get(name, name): spec for name, spec in from_pip.items()}} == expected
    assert python.contains("3.11.7")
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"


def test_conda_environment_installs_this_package_with_pip():
    _, pip = _conda_dependencies(REPO / "environment.yml")
    assert pip[-1] == "--editable ."
    _, binder_pip = _conda_dependencies(REPO / "binder" / "environment.yml")
    assert "--editable ." not in binder_pip  # Binder installs the package in postBuild
    post_build = (REPO / "binder" / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps ." in post_build
    assert os.access(REPO / "binder" / "postBuild", os.X_OK)


def test_ci_runs_the_readmes_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.strip().splitlines()]
    assert commands == ["make lab", "make test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == "make test"
