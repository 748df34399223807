"""Results files as learners and spreadsheets make them (issue 13, items 6-10): written so any spreadsheet opens
them right and nothing in them runs; read back as spreadsheets save them, strictly; saved whole, once, or not at
all. Expected values written out."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ivig_content.__main__ import main
from ivig_content.instructors import class_summary
from ivig_content.quiz import QuizSession
from ivig_content.records import Choice, Question
from ivig_content.results import (
    MAX_RESULTS_BYTES,
    ResultsError,
    load_results,
    results_file_name,
    results_text,
    spreadsheet_safe,
)

HEADER = "learner,number,questions_in_quiz,question_id,topic,level,kind,prompt,answered,correct,attempts,your_answer,right_answer"


def two_questions() -> tuple[Question, ...]:
    def single(question_id: str, prompt: str, right: str, wrong: str) -> Question:
        return Question(question_id, "single", "general", "seed", prompt,
                        (Choice("A", right, True, "Yes."), Choice("B", wrong, False, "No.")))

    return (single("q1", "=1+1?", "-5 mg", "@SUM(A1)"), single("q2", "Dose?", "+1.5e3", "\tTab"))


def saved(tmp_path: Path, name: str = "r.csv", learner: str = "José") -> Path:
    session = QuizSession(two_questions(), shuffle=False)
    session.answer("q1", "B")
    return session.save(tmp_path / name, learner=learner)


# --- 6 and 9: what we write ----------------------------------------------------------------------------


def test_a_saved_csv_starts_with_a_bom_counts_its_questions_and_runs_nothing(tmp_path):
    text = saved(tmp_path).read_bytes().decode("utf-8")
    assert text == (
        "\ufeff" + HEADER + "\n"
        "José,1,2,q1,general,seed,single,'=1+1?,True,False,1,'@SUM(A1),'-5 mg\n"
        "José,2,2,q2,general,seed,single,Dose?,False,False,0,,+1.5e3\n"
    )


def test_spreadsheet_safe_follows_owasp_and_leaves_numbers_alone():
    assert [spreadsheet_safe(v) for v in ("=1", "+x", "-x", "@x", "\tx", "\rx", "-5", "+1.5e3", "-.5", "a=1", 7)] == [
        "'=1", "'+x", "'-x", "'@x", "'\tx", "'\rx", "-5", "+1.5e3", "-.5", "a=1", 7,
    ]
    assert spreadsheet_safe("-inf") == "'-inf"  # a word a spreadsheet may not read as a number: safer quoted


def test_reading_back_undoes_the_apostrophes_so_texts_are_as_written(tmp_path):
    frame = load_results(saved(tmp_path))
    assert frame["prompt"].tolist() == ["=1+1?", "Dose?"]
    assert frame["your_answer"].tolist() == ["@SUM(A1)", ""]


@pytest.mark.parametrize(
    ("learner", "slug"),
    [
        ("\u0141ukasz \u017b\u00f3\u0142w", "\u0142ukasz-\u017c\u00f3\u0142w"),
        ("\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", "\u0438\u0432\u0430\u043d-\u043f\u0435\u0442\u0440\u043e\u0432"),
        ("\u0645\u062d\u0645\u062f \u0639\u0644\u064a", "\u0645\u062d\u0645\u062f-\u0639\u0644\u064a"),
        ("\u738b\u5c0f\u660e", "\u738b\u5c0f\u660e"),
        ("Jose\u0301 O'Neil", "jos\u00e9-o-neil"),  # a decomposed é is joined first
        ("=HYPERLINK(1)", "hyperlink-1"),
        ("", "learner"),
        ("!!!", "learner"),
    ],
)
def test_results_file_names_keep_letters_of_every_script(learner, slug):
    name = results_file_name(learner, datetime.datetime(2026, 11, 30, 23, 5, 9))
    assert re.fullmatch(rf"ivig-quiz-results-{re.escape(slug)}-20261130-230509-[0-9a-f]{{6}}\.csv", name), name


def test_results_file_names_use_the_local_clock(tmp_path):
    # 23:30 in Los Angeles is already tomorrow in UTC: the name must carry the learner's own date
    code = (
        "import datetime; from ivig_content.results import results_file_name; "
        "print(results_file_name('Ada'), datetime.datetime.now().strftime('%Y%m%d-%H%M'))"
    )
    env = {**os.environ, "TZ": "America/Los_Angeles"}
    name, local = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                 check=True).stdout.split()
    utc = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d-%H%M")
    assert name[len("ivig-quiz-results-ada-"):][:13] == local != utc


def test_saving_into_a_folder_names_the_file_for_the_learner(tmp_path):
    path = saved(tmp_path, name="", learner="\u0141ukasz")
    assert path.parent == tmp_path
    assert re.fullmatch(r"ivig-quiz-results-\u0142ukasz-\d{8}-\d{6}-[0-9a-f]{6}\.csv", path.name)


# --- 7: reading as spreadsheets save ---------------------------------------------------------------------


ROW = "José,1,1,q1,general,seed,single,P?,{answered},{correct},1,a,a"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoding", "separator", "line_end", "true"),
    [
        ("utf-8", ",", "\n", "True"),
        ("utf-8-sig", ",", "\r\n", "TRUE"),
        ("cp1252", ";", "\r\n", "TRUE"),  # Excel in a French or German locale
        ("utf-16", "\t", "\r\n", "true"),  # Excel's "Unicode text"
    ],
)
def test_results_are_read_as_spreadsheets_save_them(tmp_path, encoding, separator, line_end, true):
    text = line_end.join([HEADER, ROW.format(answered=true, correct=true)]).replace(",", separator) + line_end
    frame = load_results(write(tmp_path, "r.csv", text.encode(encoding)))
    assert frame.loc[0, ["learner", "question_id", "answered", "correct", "questions_in_quiz"]].tolist() == [
        "José", "q1", True, True, 1,
    ]


@pytest.mark.parametrize(
    ("answered", "correct", "message"),
    [
        ("yes", "False", '"answered" must be true or false, not \'yes\''),
        ("True", "", '"correct" must be true or false, not an empty cell'),
        ("True", "nan", '"correct" must be true or false, not \'nan\''),
        ("True", "1", '"correct" must be true or false, not \'1\''),
        ("False", "True", '"correct" is true but "answered" is false'),
    ],
)
def test_booleans_are_read_strictly_naming_the_file_and_row(tmp_path, answered, correct, message):
    path = write(tmp_path, "r.csv", f"{HEADER}\n{ROW.format(answered=answered, correct=correct)}\n".encode())
    with pytest.raises(ResultsError) as raised:
        load_results(path)
    assert str(raised.value) == f"{path}: row 2: {message}"


def test_json_values_are_read_strictly_too(tmp_path):
    row = ('{"learner": "A", "number": 1, "question_id": "q1", "topic": "t", "level": "", "kind": "single", '
           '"prompt": "P?", "answered": true, "correct": null, "attempts": 1, "your_answer": "", "right_answer": "a"}')
    path = write(tmp_path, "r.json", f"[{row}]".encode())
    with pytest.raises(ResultsError) as raised:
        load_results(path)
    assert str(raised.value) == f'{path}: item 1: "correct" must be true or false, not null'
    fractional = row.replace("null", "false").replace('"attempts": 1', '"attempts": 1.5')
    path.write_text(f"[{fractional}]")
    with pytest.raises(ResultsError) as raised:
        load_results(path)
    assert str(raised.value) == f'{path}: item 1: "attempts" must be a whole number, not 1.5'


def test_a_file_cut_short_is_detected(tmp_path):
    text = saved(tmp_path).read_text(encoding="utf-8-sig")
    cut = write(tmp_path, "cut.csv", "\n".join(text.splitlines()[:2]).encode())
    with pytest.raises(ResultsError) as raised:
        load_results(cut)
    assert str(raised.value) == (
        f"{cut}: has rows for 1 question, but the quiz had 2: the file was cut short or edited; ask the learner "
        "to download it again"
    )


def test_rows_disagreeing_on_the_question_count_are_refused(tmp_path):
    text = saved(tmp_path).read_text(encoding="utf-8-sig").replace("José,2,2,", "José,2,3,")
    path = write(tmp_path, "mixed.csv", text.encode())
    with pytest.raises(ResultsError, match=r'rows disagree on "questions_in_quiz" \(2, 3\)'):
        load_results(path)


def test_a_row_with_too_few_cells_names_the_row(tmp_path):
    path = write(tmp_path, "r.csv", f"{HEADER}\nA,1,1,q1\n".encode())
    with pytest.raises(ResultsError) as raised:
        load_results(path)
    assert str(raised.value) == f"{path}: row 2: has 4 cells, but the header has 13"


def test_files_saved_before_the_question_count_are_still_read(tmp_path):
    old = HEADER.replace("questions_in_quiz,", "")
    path = write(tmp_path, "old.csv", f"{old}\nA,1,q1,t,seed,single,P?,True,False,1,b,a\n".encode())
    assert load_results(path).loc[0, ["question_id", "questions_in_quiz", "correct"]].tolist() == ["q1", 0, False]


# --- 8: only regular files, with a size limit, and every error names the file ---------------------------


def test_only_regular_files_of_limited_size_are_read(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code = ("import sys; from ivig_content.results import load_results, ResultsError\n"
            "try: load_results(sys.argv[1])\nexcept ResultsError as e: print(e)")
    result = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60)
    assert result.stdout == f"{fifo}: is not a regular file (it is a pipe, a device or a socket)\n"
    big = write(tmp_path, "big.csv", b"learner," + b"x" * MAX_RESULTS_BYTES)
    with pytest.raises(ResultsError) as raised:
        load_results(big)
    assert str(raised.value) == f"{big}: is 4.0 MiB; a results file may be at most 4 MiB"
    with pytest.raises(ResultsError) as raised:
        load_results(tmp_path)
    assert str(raised.value) == f'{tmp_path}: results are read from ".csv" or ".json" files, not ""'
    with pytest.raises(ResultsError) as raised:
        load_results(tmp_path / "gone.csv")
    assert str(raised.value) == f"{tmp_path / 'gone.csv'}: no such file"


def test_text_that_is_no_known_encoding_or_binary_is_refused(tmp_path):
    binary = write(tmp_path, "r.csv", HEADER.encode() + b"\n\x00\x01")
    with pytest.raises(ResultsError) as raised:
        load_results(binary)
    assert str(raised.value) == (f"{binary}: holds NUL bytes, so it is not UTF-8 text (Excel's \"Unicode text\" "
                                 "without its mark?); save it again as CSV UTF-8")
    odd = write(tmp_path, "s.csv", HEADER.encode() + b"\n\x81\x8d\x8f")  # bytes Windows-1252 does not define
    with pytest.raises(ResultsError) as raised:
        load_results(odd)
    assert str(raised.value) == (f"{odd}: is not UTF-8 text, and not Western European Windows text either; save it "
                                 "again as CSV UTF-8 (in Excel: Save As, CSV UTF-8)")


@pytest.mark.parametrize(
    ("name", "encoding", "seen"),
    [
        ("\u0141ukasz \u017b\u00f3\u0142w", "cp1250", "\u00a3"),  # Polish Excel: "£ukasz ¯ó³w"
        ("Ma\u0142gorzata", "cp1250", "\u00b3"),
        ("R\u00f3\u017ca", "cp1250", "\u00bf"),  # "Ró¿a"
        ("\u0418\u0432\u0430\u043d \u041f\u0435\u0442\u0440\u043e\u0432", "cp1251", "\u00c8\u00e2\u00e0\u00ed"),  # "Èâàí"
        ("\u0393\u03b9\u03ce\u03c1\u03b3\u03bf\u03c2", "cp1253", "\u00c3\u00e9\u00fe\u00f1\u00e3\u00ef\u00f2"),
        ("Zo\u00eb \u00c7", "mac_roman", "\u201a"),  # "Zo‘ ‚"
    ],
)
def test_another_code_page_is_refused_not_read_as_garbled_text(tmp_path, name, encoding, seen):
    """Found by a fresh-eyes trial: Polish, Russian and Mac files were read as Windows-1252, names garbled."""
    path = write(tmp_path, "r.csv", f"{HEADER}\n{ROW.format(answered='True', correct='True')}\n".replace(
        "Jos\u00e9", name).encode(encoding))
    with pytest.raises(ResultsError) as raised:
        load_results(path)
    assert str(raised.value) == (f'{path}: is not UTF-8 text, and not Western European Windows text either (read as '
                                 f'Windows-1252 it says "{seen}"); save it again as CSV UTF-8 (in Excel: Save As, '
                                 "CSV UTF-8)")


def test_western_windows_text_is_read(tmp_path):
    names = "Fran\u00e7ois Lef\u00e8vre; M\u00fcller; \u00bfQu\u00e9?; \u00aboui\u00bb; 38 \u00b0C; \u201eHallo\u201c; S\u00f8ren; \u017di\u017eek"
    row = ROW.format(answered="True", correct="True").replace("Jos\u00e9", f'"{names}"')
    path = write(tmp_path, "r.csv", f"{HEADER}\n{row}\n".encode("cp1252"))
    assert load_results(path).loc[0, "learner"] == names


def test_quoted_headers_are_read(tmp_path):
    """Found by a fresh-eyes trial: R's write.csv and "quote all text cells" quote the header too."""
    quoted = ";".join(f'"{column}"' for column in HEADER.split(","))
    row = ";".join(f'"{cell}"' for cell in ROW.format(answered="TRUE", correct="FALSE").split(","))
    frame = load_results(write(tmp_path, "r.csv", f"{quoted}\r\n{row}\r\n".encode()))
    assert frame.loc[0, ["learner", "answered", "correct"]].tolist() == ["Jos\u00e9", True, False]


def test_a_repeated_key_in_a_json_row_is_refused(tmp_path):
    """Found by a fresh-eyes trial: {"correct": false, ..., "correct": true} counted as right (the last wins)."""
    row = ('{"learner": "A", "number": 1, "question_id": "q1", "topic": "t", "level": "", "kind": "single", '
           '"prompt": "P?", "answered": true, "correct": false, "attempts": 1, "your_answer": "", '
           '"right_answer": "a", "correct": true}')
    path = write(tmp_path, "r.json", f"[{row}]".encode())
    with pytest.raises(ResultsError) as raised:
        load_results(path)
    assert str(raised.value) == f'{path}: item 1: the key "correct" appears twice'


# --- 8: nothing counted twice --------------------------------------------------------------------------


def test_two_files_from_one_learner_and_quiz_count_once_and_anonymous_files_all_count(tmp_path):
    first = saved(tmp_path, "a.csv", learner="Sam")
    session = QuizSession(two_questions(), shuffle=False)
    session.answer("q1", "A")
    second = session.save(tmp_path / "b.csv", learner="sam ")
    summary = class_summary([first, second])
    assert summary.files == 1
    assert summary.skipped == (f'{second}: every question in it was already counted for "sam" from {first}; the '
                               "first file given counts",)
    assert summary.per_question.loc[summary.per_question["question_id"] == "q1", "right"].tolist() == [0]
    # without names, two learners' files are never taken for one another
    anonymous = [saved(tmp_path, "c.csv", learner=""), session.save(tmp_path / "d.csv")]
    assert (class_summary(anonymous).files, class_summary(anonymous).skipped) == (2, ())


def test_a_download_after_practise_all_counts_only_its_new_questions(tmp_path):
    """Found by a fresh-eyes trial: "Practise all" keeps the core answers, so a learner's second download held
    them again, and every core question was counted twice."""
    from ivig_content.banks import builtin_bank

    core = QuizSession(builtin_bank(core=True), seed=1)
    for question in core.questions:
        core.answer(question.id, next(c.id for c in question.choices if c.correct)
                    if question.kind == "single" else
                    [c.id for c in question.choices if c.correct] if question.kind == "multiple" else
                    {item.id: item.answer for item in question.items})
    first = core.save(tmp_path / "zoe-core.csv", learner="Zoe")
    second = core.widened(builtin_bank()).save(tmp_path / "zoe-all.csv", learner="Zoe")
    summary = class_summary([first, second])
    assert summary.skipped == (f'{second}: 15 of its 51 questions were already counted for "Zoe" from {first}; only '
                               "its other questions count",)
    assert summary.per_question["answered"].tolist().count(1) == 15 and set(summary.per_question["answered"]) == {0, 1}
    assert len(summary.per_question) == 51


def test_one_name_typed_two_ways_is_one_learner(tmp_path):
    """Found by a fresh-eyes trial: "José" with a composed é and with e + a combining accent were two learners."""
    first = saved(tmp_path, "a.csv", learner="Jos\u00e9 Ruiz")
    second = saved(tmp_path, "b.csv", learner="jose\u0301  ruiz")
    assert class_summary([first, second]).skipped == (
        f'{second}: every question in it was already counted for "jose\u0301  ruiz" from {first}; the first file '
        "given counts",
    )


def test_the_same_file_under_two_names_counts_once(tmp_path):
    first = saved(tmp_path, "a.csv")
    copy = write(tmp_path, "copy.csv", first.read_bytes())
    assert class_summary([first, copy]).skipped == (f"{copy}: the same file as {first}; counted once",)


# --- 10: saving ----------------------------------------------------------------------------------------


def test_two_saves_at_once_never_both_succeed(tmp_path):
    target = tmp_path / "r.csv"
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def save(number: int) -> None:
        session = QuizSession(two_questions(), shuffle=False)
        start.wait()
        try:
            session.save(target, learner=f"L{number}")
            outcomes.append(f"L{number}")
        except FileExistsError:
            outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [outcome for outcome in outcomes if outcome != "refused"]
    assert len(winners) == 1 and outcomes.count("refused") == 7
    assert load_results(target)["learner"].iloc[0] == winners[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


def test_a_dangling_symlink_is_not_replaced_without_overwrite(tmp_path):
    link = tmp_path / "r.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(FileExistsError) as raised:
        saved(tmp_path)
    assert str(raised.value) == f"{link}: already exists; pass overwrite=True to replace it"
    assert link.is_symlink() and not (tmp_path / "elsewhere.csv").exists()


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(FileNotFoundError) as raised:
        QuizSession(two_questions()).save(tmp_path / "no" / "r.csv")
    assert str(raised.value) == f"{tmp_path / 'no'}: no such folder (to save r.csv in); create it first"


def test_a_save_killed_midway_leaves_nothing_that_looks_like_results(tmp_path):
    # the process is killed (SIGKILL: no clean-up runs) right after the text is flushed, before it takes its name
    code = (
        "import os, signal, sys\n"
        "from ivig_content import files\n"
        "from ivig_content.quiz import QuizSession\n"
        "from ivig_content.banks import builtin_bank\n"
        "files.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)\n"
        "QuizSession(builtin_bank(core=True)).save(sys.argv[1])\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "r.csv")], timeout=120)
    assert result.returncode == -9
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and re.fullmatch(r"\.r\.csv\.\w+\.tmp", left[0]), left
    assert list(tmp_path.glob("*.csv")) == []


def test_results_text_is_the_same_for_csv_and_what_the_page_downloads():
    # The page's download is compared byte for byte with this in tests/browser/test_quiz_page.py
    session = QuizSession(two_questions(), shuffle=False)
    assert results_text(session.to_frame("A"), ".csv").startswith("\ufeff" + HEADER + "\nA,1,2,q1,")


def test_class_summary_command_prints_what_it_skipped_and_counted(tmp_path, capsys):
    first = saved(tmp_path, "a.csv")
    assert main(["class-summary", str(first), str(first), "--out", str(tmp_path / "out"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [f"skipped  {first}: given twice; counted once", "counted  1 file"]
    assert (tmp_path / "out" / "per-topic.csv").read_bytes().startswith(b"\xef\xbb\xbftopic,answered,right,percent_right\n")


def test_saving_into_a_missing_or_wrong_folder_names_it(tmp_path):
    """Found by a fresh-eyes trial: "no-such-folder/" said the suffix was wrong; a file as folder said "no such"."""
    with pytest.raises(FileNotFoundError) as raised:
        QuizSession(two_questions()).save(f"{tmp_path}/no-such-folder/")
    assert str(raised.value) == f"{tmp_path / 'no-such-folder'}: no such folder (to save results in); create it first"
    (tmp_path / "afile").write_text("x")
    with pytest.raises(NotADirectoryError) as raised:
        QuizSession(two_questions()).save(tmp_path / "afile" / "r.csv")
    assert str(raised.value) == f"{tmp_path / 'afile'}: is a file, not a folder (to save r.csv in)"


def test_class_summary_checks_every_target_before_writing_any(tmp_path, capsys):
    """Found by a fresh-eyes trial: with by-topic.svg a folder, --overwrite wrote class-summary.md, then failed."""
    results_file = saved(tmp_path)
    out = tmp_path / "out"
    (out / "by-topic.svg").mkdir(parents=True)
    assert main(["class-summary", str(results_file), "--out", str(out), "--overwrite"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"FAIL  {out / 'by-topic.svg'}: is a folder, not a file I can replace; move it away"
    )
    assert sorted(p.name for p in out.iterdir()) == ["by-topic.svg"]
    afile = tmp_path / "afile"
    afile.write_text("keep")
    assert main(["class-summary", str(results_file), "--out", str(afile)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"FAIL  {afile}: is a file, not a folder; give --out a folder for the summary"
    )
    assert afile.read_text() == "keep"
    (tmp_path / "o2").mkdir()
    (tmp_path / "o2" / "per-topic.csv").write_text("keep")
    assert main(["class-summary", str(results_file), "--out", str(tmp_path / "o2"), "--format", "csv"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"FAIL  {tmp_path / 'o2' / 'per-topic.csv'}: already exists; use --overwrite to replace it"
    )


def test_questions_nobody_answered_say_so_and_come_last(tmp_path):
    """A second fresh-eyes trial: questions nobody answered showed as "0%" right, hardest first."""
    session = QuizSession(two_questions(), shuffle=False)
    session.answer("q1", "A")  # right; q2 is never answered
    summary = class_summary([session.save(tmp_path / "a.csv", learner="Ann")])
    assert summary.per_question[["question_id", "answered", "right"]].values.tolist() == [["q1", 1, 1], ["q2", 0, 0]]
    assert summary.per_question["percent_right"].tolist()[0] == 100
    assert summary.per_question["percent_right"].isna().tolist() == [False, True]
    from ivig_content.instructors import write_class_summary

    write_class_summary(summary, tmp_path / "out", form="csv", overwrite=False)
    assert (tmp_path / "out" / "per-question.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "q1,'=1+1?,general,1,1,100", "q2,Dose?,general,0,0,",
    ]


def test_a_line_break_of_any_kind_in_a_learners_file_stays_inside_its_cell(tmp_path):
    """A second fresh-eyes trial: a carriage return in a name made a real heading in the summary."""
    from ivig_content.instructors import class_summary_markdown

    row = ('{"learner": "Ann\\r# Everyone got 100%\\r", "number": 1, "question_id": "q1", "topic": "t\\u2028x", '
           '"level": "", "kind": "single", "prompt": "P?\\r\\n| x |", "answered": true, "correct": true, "attempts": 1, '
           '"your_answer": "", "right_answer": "a"}')
    path = write(tmp_path, "r.json", f"[{row}]".encode())
    text = class_summary_markdown(class_summary([path]))
    assert "(Ann<br># Everyone got 100%<br>)" in text
    assert "| 100% | 1 | 1 | T<br>x | P?<br>\\| x \\| | <code>q1</code> |" in text.splitlines()


def test_a_file_read_as_windows_1252_is_named_for_the_instructor_to_check(tmp_path, capsys):
    """A second fresh-eyes trial: "Jiří" saved in Windows-1250 reads as "Jiøí", which looks like a real name, so
    no rule can refuse it; the summary says which files were read with that guess."""
    row = ROW.format(answered="True", correct="True").replace("Jos\u00e9", "Ji\u0159\u00ed Dvo\u0159\u00e1k")
    path = write(tmp_path, "cz.csv", f"{HEADER}\n{row}\n".encode("cp1250"))
    out = tmp_path / "out"
    assert main(["class-summary", str(path), "--out", str(out)]) == 0
    note = (f"{path}: not UTF-8, so read as Windows-1252 (Western European); if its names look wrong here, save it "
            "again as CSV UTF-8")
    assert capsys.readouterr().out.splitlines()[0] == f"note  {note}"
    text = (out / "class-summary.md").read_text(encoding="utf-8")
    assert "1 results file (Ji\u00f8\u00ed Dvo\u00f8\u00e1k)." in text  # the guess, shown as it was read
    assert text.split("## Check these files\n\n")[1].splitlines()[0] == f"- {note}"


def test_text_direction_controls_never_turn_text_around(tmp_path):
    """A fresh-eyes trial: a name "Zoë\\u202eevil" showed the summary's next sentence backwards."""
    from ivig_content.instructors import class_summary_markdown
    from ivig_content.results import clean_learner_name

    assert clean_learner_name("Zo\u00eb\u202eevil\u2066x") == "Zo\u00ebevilx"
    row = ROW.format(answered="True", correct="True").replace("Jos\u00e9", "Zo\u00eb\u202eevil")
    text = class_summary_markdown(class_summary([write(tmp_path, "r.csv", f"{HEADER}\n{row}\n".encode())]))
    assert "1 results file (Zo\u00eb\ufffdevil)." in text and "\u202e" not in text


def test_a_summary_in_another_format_keeps_the_same_chart_without_asking(tmp_path, capsys):
    """A fresh-eyes trial: --format csv after a Markdown summary refused, because by-topic.svg was there."""
    results_file = saved(tmp_path)
    out = tmp_path / "out"
    assert main(["class-summary", str(results_file), "--out", str(out)]) == 0
    assert main(["class-summary", str(results_file), "--out", str(out), "--format", "csv"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["by-topic.svg", "class-summary.md", "per-question.csv",
                                                       "per-topic.csv"]
