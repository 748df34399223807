"""The command line: python -m ivig_content validate FILE..."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ivig_content.__main__ import main

from .test_bank_errors import GOOD


def test_validate_says_ok_with_the_question_count(tmp_path: Path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["validate", str(good)]) == 0
    assert capsys.readouterr().out == f"OK  {good}: 3 questions\n"


def test_validate_prints_one_line_per_file_and_fails_if_any_fails(tmp_path: Path, capsys):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("    answer: A\n", "    answer: E\n", 1), encoding="utf-8")
    assert main(["validate", str(bad), str(good), str(tmp_path / "gone.json")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'FAIL  {bad}: question 1 (id "q-route"): "answer" names "E", which is not a choice',
        f"OK  {good}: 3 questions",
        f"FAIL  {tmp_path / 'gone.json'}: no such file",
    ]


def test_validate_never_prints_a_traceback_even_for_unexpected_errors(tmp_path: Path, capsys, monkeypatch):
    import ivig_content.__main__ as cli

    def explode(path):
        raise RuntimeError("something odd")

    monkeypatch.setattr(cli, "load_bank", explode)
    assert main(["validate", "x.yaml"]) == 1
    output = capsys.readouterr()
    assert output.out == "FAIL  x.yaml: could not be read (RuntimeError: something odd)\n"
    assert "Traceback" not in output.err


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"]])
def test_help_is_shown(args):
    result = subprocess.run([sys.executable, "-m", "ivig_content", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "usage: python -m ivig_content" in result.stdout
    assert "validate" in result.stdout


def test_no_command_shows_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().out


def test_validate_from_the_shell_exits_1_on_a_broken_file(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01")
    result = subprocess.run(
        [sys.executable, "-m", "ivig_content", "validate", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, f"FAIL  {bad}: holds binary data, not text\n", "")


def test_the_documented_example_bank_is_valid(tmp_path: Path, capsys):
    guide = (Path(__file__).resolve().parents[1] / "instructors" / "writing-a-question-bank.md").read_text(
        encoding="utf-8"
    )
    example = guide.split("### A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    bank = tmp_path / "example.yaml"
    bank.write_text(example, encoding="utf-8")
    assert main(["validate", str(bank)]) == 0
    assert capsys.readouterr().out == f"OK  {bank}: 4 questions\n"


# --- quiz-page ---------------------------------------------------------------------------------------------


def page_data(path: Path) -> dict:
    import json
    import re

    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="ivig-quiz-data">(.*?)</script>', text, re.S).group(1))


def test_quiz_page_writes_the_core_quiz_by_default_and_every_question_with_all(tmp_path: Path, capsys):
    from ivig_content.banks import builtin_bank
    from ivig_content.quiz import QuizSession

    assert main(["quiz-page", "--out", str(tmp_path / "core.html")]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'core.html'}: 15 questions;")
    assert [q["id"] for q in page_data(tmp_path / "core.html")["questions"]] == [
        q.id for q in QuizSession(builtin_bank(core=True), seed=0).questions
    ]
    assert main(["quiz-page", "--all", "--exam", "--seed", "3", "--out", str(tmp_path / "all.html")]) == 0
    data = page_data(tmp_path / "all.html")
    assert len(data["questions"]) == len(builtin_bank()) and data["exam"] is True
    assert (tmp_path / "all.html").stat().st_mode & 0o644 == 0o644  # readable by a web server


def test_quiz_page_of_an_instructors_bank_keeps_its_text_inert(tmp_path: Path):
    bank = tmp_path / "my bank.yaml"
    bank.write_text(GOOD.replace("How is IVIG given?", "How is IVIG given? </script><script>alert(1)</script>"),
                    encoding="utf-8")
    assert main(["quiz-page", str(bank), "--out", str(tmp_path / "page.html")]) == 0
    text = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in text  # "<" inside the JSON is written \u003c
    assert any("alert(1)" in q["prompt"] for q in page_data(tmp_path / "page.html")["questions"])
    assert "<title>Quiz: my bank</title>" in text


def test_quiz_page_never_overwrites_without_asking_and_names_a_broken_bank(tmp_path: Path, capsys):
    out = tmp_path / "quiz.html"
    out.write_text("keep me", encoding="utf-8")
    assert main(["quiz-page", "--out", str(out)]) == 1
    assert "already exists; use --overwrite to replace it" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["quiz-page", "--overwrite", "--out", str(out)]) == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("questions: [oops", encoding="utf-8")
    capsys.readouterr()
    assert main(["quiz-page", str(broken), "--out", str(tmp_path / "x.html")]) == 1
    line = capsys.readouterr().out
    assert line.startswith("FAIL  ") and "broken.yaml" in line and line.count("\n") == 1
    assert not (tmp_path / "x.html").exists()


def test_validate_into_head_prints_no_traceback(tmp_path: Path):
    """`validate *.yaml | head -1`: the reader goes away after one line; the command stops quietly."""
    good = GOOD.encode("utf-8")
    names = []
    for number in range(2000):  # more output than a pipe holds, so the command writes after `head` has gone
        (tmp_path / f"bank{number:04}.yaml").write_bytes(good)
        names.append(str(tmp_path / f"bank{number:04}.yaml"))
    command = [sys.executable, "-m", "ivig_content", "validate", *names]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        first = process.stdout.readline()
        process.stdout.close()  # what `head -1` does after its line
        errors = process.stderr.read().decode()
        process.wait(timeout=120)
    assert first.decode() == f"OK  {names[0]}: 3 questions\n"
    assert errors == "" and process.returncode == 1


def test_a_console_that_cannot_show_a_letter_gets_it_escaped(tmp_path: Path):
    """A Windows console in cp1252 cannot show "Ł" or "☃": the name is shown escaped, nothing crashes."""
    bank = tmp_path / "\u0141ukasz \u2603.yaml"
    bank.write_text(GOOD, encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    result = subprocess.run([sys.executable, "-m", "ivig_content", "validate", str(bank)], capture_output=True,
                            env=env, timeout=60)
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.decode("cp1252") == f"OK  {tmp_path}/\\u0141ukasz \\u2603.yaml: 3 questions\n"


def test_other_commands_print_a_banks_warnings_once_as_warn_lines(tmp_path: Path, capsys):
    """Found by a fresh-eyes trial: answer-key printed Python's warning text, three times over."""
    bank = Path(__file__).parent / "cases" / "banks" / "yaml-hash-truncation.yaml"
    out = tmp_path / "key.md"
    assert main(["answer-key", str(bank), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert printed.out == f"wrote {out}\n"
    assert [line.split(": ")[2][:13] for line in printed.err.splitlines()] == ['"choices.A" i', '"explanation"']
    assert all(line.startswith(f'WARN  {bank}: question 1 (id "q-lot"): ') for line in printed.err.splitlines())


def test_every_out_path_that_is_not_a_file_to_write_is_named_in_one_line(tmp_path: Path, capsys):
    """A second fresh-eyes trial: "--out newdir/" wrote a file named newdir; a folder given as --out asked for
    --overwrite, which then failed; a file on the way gave "no such folder"; /proc named a temporary file."""
    (tmp_path / "afile").write_text("keep")
    (tmp_path / "adir").mkdir()
    cases = {
        f"{tmp_path}/newdir/": f"{tmp_path}/newdir/: is a folder; give the name of a file to write",
        str(tmp_path / "adir"): f"{tmp_path / 'adir'}: is a folder; give the name of a file to write",
        str(tmp_path / "afile" / "key.md"): f"{tmp_path / 'afile'}: is a file, not a folder (to save key.md in)",
        "/proc/key.md": "/proc/key.md: cannot be written (No such file or directory)",
    }
    for out, message in cases.items():
        assert main(["answer-key", "--out", out, "--overwrite"]) == 1
        assert capsys.readouterr().out == f"FAIL  {message}\n", out
    assert not (tmp_path / "newdir").exists() and (tmp_path / "afile").read_text() == "keep"
    assert main(["quiz-page", "--out", f"{tmp_path}/qdir/"]) == 1
    assert capsys.readouterr().out == f"FAIL  {tmp_path}/qdir/: is a folder; give the name of a file to write\n"
    results = tmp_path / "r.json"
    from ivig_content.banks import builtin_bank
    from ivig_content.quiz import QuizSession

    QuizSession(builtin_bank(core=True)).save(results)
    assert main(["class-summary", str(results), "--out", str(tmp_path / "afile" / "sub")]) == 1
    assert capsys.readouterr().out == (
        f"FAIL  {tmp_path / 'afile' / 'sub'}: cannot make this folder (Not a directory)\n"
    )


def test_a_banks_own_title_names_its_page_and_export(tmp_path: Path, capsys):
    """A fresh-eyes trial: a bank's `title:` was accepted but never shown; pages were named after the file."""
    bank = tmp_path / "my.yaml"
    bank.write_text("title: IVIG  basics\n" + GOOD, encoding="utf-8")
    assert main(["quiz-page", str(bank), "--out", str(tmp_path / "q.html")]) == 0
    assert "<title>IVIG basics</title>" in (tmp_path / "q.html").read_text(encoding="utf-8")
    untitled = tmp_path / "plain.yaml"
    untitled.write_text(GOOD, encoding="utf-8")  # no title
    assert main(["quiz-page", str(untitled), "--out", str(tmp_path / "p.html")]) == 0
    assert "<title>Quiz: plain</title>" in (tmp_path / "p.html").read_text(encoding="utf-8")
