"""Packaging: the version, what importing costs, the wheel's data files, and the environment files in sync."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import ivig_content
from ivig_content.lesson import lesson_files

from .conftest import PACKAGED_DATA, REPO
from .servers import private_jupyter_env

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
DATA_FILES = sorted(path.name for path in PACKAGED_DATA.iterdir())
# conda-forge names that differ from PyPI's.
CONDA_NAMES = {"build": "python-build", "fastjsonschema": "python-fastjsonschema"}
LESSON = lesson_files(REPO)
COMMANDS = ("lesson", "lab", "quiz-app", "validate", "answer-key", "review-sheet", "class-summary", "quiz-page",
            "hub-link")


def _run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _all_requirements(extras: tuple[str, ...] | None = None) -> list[Requirement]:
    """The runtime dependencies and those of ``extras`` (default: every extra)."""
    optional = PYPROJECT["project"]["optional-dependencies"]
    names = PYPROJECT["project"]["dependencies"] + [
        line for extra in (optional if extras is None else extras) for line in optional[extra]
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


def test_the_lesson_ships_in_the_wheel_from_the_repositorys_own_folders():
    """pyproject maps each lesson file into the wheel (ivig_content/lesson/...): all of them, and nothing else, and
    the repository keeps one copy (there is no ivig_content/lesson/ in git)."""
    force_include = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    missing = sorted(set(LESSON) - set(force_include))
    assert not missing, f"add these to [tool.hatch.build.targets.wheel.force-include]: {missing}"
    assert force_include == {name: f"ivig_content/lesson/{name}" for name in LESSON}
    assert not (REPO / "ivig_content" / "lesson").exists()
    assert PYPROJECT["project"]["scripts"] == {"ivig-teaching": "ivig_content.__main__:main"}


def test_wheel_contains_the_lesson_and_the_command(wheel: Path):
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    for name in LESSON:
        assert archive.read(f"ivig_content/lesson/{name}") == (REPO / name).read_bytes(), name
    assert not [name for name in names if "/." in name or "checkpoint" in name]
    (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    assert "ivig-teaching = ivig_content.__main__:main" in archive.read(entry_points).decode()


def test_wheel_metadata_reads_well_on_pypi(wheel: Path):
    archive = zipfile.ZipFile(wheel)
    (metadata,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
    text = archive.read(metadata).decode("utf-8")
    base = PYPROJECT["project"]["urls"]["Repository"]
    for label in ("Repository", "Documentation", "Issues"):
        assert re.search(rf"^Project-URL: {label}, {re.escape(base)}", text, re.MULTILINE), label
    for version in ("3.11", "3.12", "3.13"):
        assert f"Classifier: Programming Language :: Python :: {version}" in text
    assert "Description-Content-Type: text/markdown" in text
    description = text.split("\n\n", 1)[1]
    assert not re.findall(r"\]\((?!https://|#)[^)]*\)|src=\"(?!https://)", description)  # no relative link or image


def _fresh_venv(folder: Path) -> Path:
    """A new virtual environment in ``folder`` (outside the repository), without the package and without pip.

    Its dependencies come from this test's environment, through a .pth file that adds this environment's
    site-packages as a plain path: their files, not their .pth files, so the repository's own editable install
    stays out of sight. (Installing them from PyPI took minutes; the README's "From pip" timings were made so.)
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, capture_output=True,
                   timeout=120)
    python = folder / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "dependencies-from-the-test-environment.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


def test_the_wheel_in_a_fresh_virtual_environment_gives_the_lesson_and_runs_its_notebooks(wheel: Path, tmp_path: Path):
    python = _fresh_venv(tmp_path / "venv")
    bin_folder = python.parent
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=300)
    env = private_jupyter_env(tmp_path / "jupyter")
    env.pop("PYTHONPATH", None)
    env["PATH"] = f"{bin_folder}{os.pathsep}{env['PATH'].split(os.pathsep, 1)[1]}"  # not this environment's bin

    def run(*command: str, cwd: Path = tmp_path) -> str:
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    help_text = run(str(bin_folder / "ivig-teaching"), "--help")
    assert help_text.startswith("usage: ivig-teaching ")
    for command in COMMANDS:
        assert re.search(rf"^    {command}( |$)", help_text, re.MULTILINE), command

    out = run(str(bin_folder / "ivig-teaching"), "lesson")
    folder = tmp_path / "ivig-lesson"
    assert out.splitlines()[0] == f"copied {len(LESSON)} files into ivig-lesson"
    assert out.splitlines()[-1].startswith("Next: ivig-teaching lab ivig-lesson ")
    for name in LESSON:
        assert (folder / name).read_bytes() == (REPO / name).read_bytes(), name

    where = run(str(python), "-c", "import ivig_content, ivig_content.lesson as lesson; "
                "print(ivig_content.__file__); print(lesson.lesson_source())").split()
    site = Path(where[0]).parent.parent
    assert site.is_relative_to(tmp_path / "venv") and Path(where[1]) == site / "ivig_content" / "lesson"

    # Every notebook of the copied lesson, run from the fresh environment, gives its stored outputs (nbval).
    result = run(str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                 "notebooks", "apps", cwd=folder)
    assert re.search(r"^\d+ passed", result.splitlines()[-1]), result


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


@pytest.mark.parametrize(("env_file", "extras"), [
    ("environment.yml", None),  # conda users: everything, the test tools too
    ("binder/environment.yml", ("lab",)),  # Binder: the lesson in JupyterLab and its apps, no test tools, no hub
])
def test_conda_environment_lists_the_same_dependencies_as_pyproject(env_file: str, extras: tuple[str, ...] | None):
    conda, pip = _conda_dependencies(REPO / env_file)
    python = conda.pop("python")
    assert conda.pop("pip") == SpecifierSet()
    from_pip = {Requirement(line).name: Requirement(line).specifier for line in pip if not line.startswith("-")}
    assert not set(conda) & set(from_pip), "a dependency is listed twice"
    expected = {CONDA_NAMES.get(req.name, req.name): req.specifier for req in _all_requirements(extras)}
    assert {**conda, **{CONDA_NAMES.get(name, name): spec for name, spec in from_pip.items()}} == expected
    assert python.contains("3.11.7")
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"


def test_conda_environment_installs_this_package_with_pip():
    _, pip = _conda_dependencies(REPO / "environment.yml")
    assert pip[-1] == "--editable ."
    _, binder_pip = _conda_dependencies(REPO / "binder" / "environment.yml")
    assert "--editable ." not in binder_pip and not any(line.startswith("-") for line in binder_pip)  # see postBuild
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
