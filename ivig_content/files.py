"""Reading and writing the files that instructors and learners hand us, safely.

- :func:`read_limited` reads a regular file, never more than its size limit plus one byte, and never waits on a
  pipe or a device: question banks and results files both come from people we cannot check.
- :func:`write_text_file` and :func:`write_bytes_file` write a file whole or not at all, and keep an existing file
  unless told to replace it, in one atomic step (two saves at once never both report success).
- :func:`one_line` makes any message about a file one line, so a file's name or text can never print a second
  line such as a forged ``OK  other.yaml``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from pathlib import Path

__all__ = ["MAX_MESSAGE_CHARS", "TEXT_DIRECTION_CONTROLS", "one_line", "read_limited", "size_in_words", "write_bytes_file", "write_text_file"]

_BREAKS_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Embeddings, overrides and isolates reorder what a reader sees ("Dose lm 10" from "Dose \u202e01 ml"): banks refuse
# them, learners' names lose them, summaries show them as U+FFFD. The marks U+200E and U+200F are not among them.
TEXT_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
MAX_MESSAGE_CHARS = 500


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` as one line for a terminal: control characters and line separators escaped (a newline shows as
    ``\\n``), cut to ``limit`` characters with an ellipsis."""
    line = _BREAKS_A_LINE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), str(text))
    return line if len(line) <= limit else line[: limit - 1] + "\u2026"


def size_in_words(size: int) -> str:
    """A size in bytes as "1.5 MiB" or "300 KiB"."""
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size // 1024} KiB"


def read_limited(
    path: Path, limit: int, error: type[ValueError], what: str, missing_hint: str = "", file_format: str = ""
) -> bytes:
    """The bytes of ``path``, if it is a regular file of at most ``limit`` bytes.

    Never more than ``limit + 1`` bytes are read, and a FIFO or a device is never waited on. Anything else raises
    ``error`` (a ``ValueError`` subclass) with one line that names the file: missing (followed by
    ``missing_hint``), a folder, a pipe or device, unreadable, or too big for ``what`` (e.g. "question bank", in the
    message "a YAML question bank may be at most 512 KiB" with ``file_format`` "YAML").
    """
    noun = what if what.endswith("file") else f"{what} file"
    try:
        # a device is never even opened (opening some has effects); the type is checked again once open
        kind = os.stat(path).st_mode
        if not (stat.S_ISREG(kind) or stat.S_ISDIR(kind)):
            raise error(one_line(f"{path}: is not a regular file (it is a pipe, a device or a socket)"))
        # O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise error(one_line(f"{path}: no such file{missing_hint}")) from None
    except IsADirectoryError:
        raise error(one_line(f"{path}: is a folder, not a {noun}")) from None
    except PermissionError:
        raise error(one_line(f"{path}: cannot be read (permission denied)")) from None
    except OSError as problem:  # a symlink loop, a name too long, ...
        raise error(one_line(f"{path}: cannot be read ({problem.strerror})")) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise error(one_line(f"{path}: is a folder, not a {noun}"))
        raise error(one_line(f"{path}: is not a regular file (it is a pipe, a device or a socket)"))
    with os.fdopen(descriptor, "rb") as file:
        try:
            data = file.read(limit + 1)
        except OSError as problem:
            raise error(one_line(f"{path}: cannot be read ({problem.strerror})")) from None
    if len(data) > limit:
        size = os.stat(path).st_size
        most = f"{limit // 1024 // 1024} MiB" if limit % (1024 * 1024) == 0 else f"{limit // 1024} KiB"
        kind = f"{file_format} {what}" if file_format else what
        raise error(one_line(f"{path}: is {size_in_words(size)}; a {kind} may be at most {most}"))
    return data


def write_text_file(
    path: str | os.PathLike[str], text: str, overwrite: bool = False, how_to_replace: str = "pass overwrite=True"
) -> Path:
    """Write ``text`` (UTF-8, as given: no newline translation) to ``path``, as :func:`write_bytes_file` does."""
    return write_bytes_file(path, text.encode("utf-8"), overwrite, how_to_replace)


def write_bytes_file(
    path: str | os.PathLike[str], data: bytes, overwrite: bool = False, how_to_replace: str = "pass overwrite=True"
) -> Path:
    """Write ``data`` to ``path``, whole or not at all; mode 0644.

    The data goes to a hidden temporary file beside ``path`` (``.NAME.XXXX.tmp``), is flushed to disk, and only
    then takes the name: a save killed midway leaves no file that looks like the real one. Without ``overwrite``
    the name is taken with a hard link, which fails if anything (a file, a folder, even a dangling symlink) has
    it, so of two saves at once only one succeeds.

    Raises ``FileExistsError`` for an existing name (without ``overwrite``; the message says to do
    ``how_to_replace``), ``FileNotFoundError`` naming a missing folder, ``NotADirectoryError`` when the folder is
    a file, ``IsADirectoryError`` for a folder (or a name ending in "/"), ``OSError`` naming the file otherwise.
    """
    given = os.fspath(path)
    path = Path(path)
    folder = path.parent
    if path.is_dir() or given.endswith(("/", os.sep)):  # "out/" names a folder, even one that does not exist
        raise IsADirectoryError(one_line(f"{given}: is a folder; give the name of a file to write"))
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(one_line(f"{folder}: is a file, not a folder (to save {path.name} in)"))
    if not folder.is_dir():
        raise FileNotFoundError(one_line(f"{folder}: no such folder (to save {path.name} in); create it first"))
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(one_line(f"{path}: already exists; {how_to_replace} to replace it"))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as problem:  # a read-only folder, /proc, a full disk: name the file we meant, not the temporary
        raise OSError(one_line(f"{path}: cannot be written ({problem.strerror})")) from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; results and pages are meant to be read by others
        if overwrite:
            os.replace(temporary, path)
        else:
            _take_name(temporary, path, how_to_replace)
        _sync_folder(folder)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def _take_name(temporary: str, path: Path, how_to_replace: str) -> None:
    """Give ``temporary``'s content the name ``path``, only if nothing has that name (atomically)."""
    try:
        os.link(temporary, path)
        return
    except FileExistsError:
        raise FileExistsError(one_line(f"{path}: already exists; {how_to_replace} to replace it")) from None
    except OSError as problem:
        if problem.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
    # A file system without hard links (FAT, some network shares): reserve the name, then replace it.
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except FileExistsError:
        raise FileExistsError(one_line(f"{path}: already exists; {how_to_replace} to replace it")) from None
    os.replace(temporary, path)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry for the new name, so a power cut cannot lose a save that reported success."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows cannot open a folder; the file itself was flushed
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
