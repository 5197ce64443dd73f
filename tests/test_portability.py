"""What keeps every module of the app importable, and right, on Windows and macOS.

What exists on some systems only, or means something else on Windows, is used
in desktop/storage/platform.py alone, inside ``sys.platform`` branches.
``mypy --platform win32`` and ``--platform darwin`` (make lint) check the
types of each branch; these tests check what mypy cannot see: an import that
would fail at run time, ``os.name`` tests mypy does not understand, and
``os.open`` (text mode on Windows unless given O_BINARY) or ``chmod`` used
outside the one module that knows each system.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

from tests.conftest import REPO

DESKTOP = REPO / "desktop"
PLATFORM = DESKTOP / "storage" / "platform.py"
SYSTEM_ONLY_MODULES = frozenset(
    {
        "resource",
        "fcntl",
        "termios",
        "tty",
        "pty",
        "pwd",
        "grp",
        "posix",
        "syslog",
        "msvcrt",
        "winreg",
        "winsound",
        "nt",
        "_winapi",
    }
)
# Names in os that exist on some systems only, or act differently on Windows.
OS_NAMES = frozenset(
    {
        "open",
        "name",
        "umask",
        "chmod",
        "fchmod",
        "lchmod",
        "chown",
        "fchown",
        "getuid",
        "geteuid",
        "getgid",
        "getegid",
        "mkfifo",
        "mknod",
        "fork",
        "setsid",
        "killpg",
        "statvfs",
        "uname",
    }
)
RUNS_A_PROGRAM = ("system", "popen", "exec", "spawn", "posix_spawn", "startfile")


@functools.cache
def _trees() -> tuple[tuple[str, ast.Module], ...]:
    return tuple(
        (path.relative_to(REPO).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(DESKTOP.rglob("*.py"))
    )


def _system_imports(tree: ast.AST) -> Iterator[ast.stmt]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(name.split(".")[0] in SYSTEM_ONLY_MODULES for name in names):
            yield node


def _os_uses(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "chmod":
            yield f"{node.lineno}: .chmod"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "os" and (node.attr in OS_NAMES or node.attr.startswith("O_")):
                yield f"{node.lineno}: os.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in OS_NAMES or alias.name.startswith("O_"):
                    yield f"{node.lineno}: from os import {alias.name}"


def test_modules_of_one_system_are_imported_by_the_platform_module_alone() -> None:
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _trees()
        if name != "desktop/storage/platform.py"
        for node in _system_imports(tree)
    ]
    assert found == []


def test_os_calls_that_differ_between_systems_are_made_by_the_platform_module_alone() -> None:
    found = [
        f"{name}:{use}"
        for name, tree in _trees()
        if name != "desktop/storage/platform.py"
        for use in _os_uses(tree)
    ]
    assert found == []


def _imported(node: ast.AST) -> set[str]:
    """Return the modules and names an import statement names (none for other nodes)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom):
        return {node.module or "", *(alias.name for alias in node.names)}
    return set()


def _program_runs(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        for name in sorted(_imported(node) & {"subprocess", "QProcess"}):
            yield f"{getattr(node, 'lineno', 0)}: {name}"
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr.startswith(RUNS_A_PROGRAM)
        ):
            yield f"{node.lineno}: os.{node.attr}"


def test_the_app_runs_no_other_program() -> None:
    """No chmod, icacls or other system tool at run time: they differ between systems."""
    found = [f"{name}:{use}" for name, tree in _trees() for use in _program_runs(tree)]
    assert found == []


def _is_platform_test(node: ast.If) -> bool:
    return any(
        isinstance(part, ast.Attribute)
        and part.attr == "platform"
        and isinstance(part.value, ast.Name)
        and part.value.id == "sys"
        for part in ast.walk(node.test)
    )


def _outside_platform_branches(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    for statement in statements:
        if isinstance(statement, ast.If) and _is_platform_test(statement):
            continue
        yield from _system_imports(statement)


def test_the_platform_module_imports_each_system_s_modules_in_a_sys_platform_branch() -> None:
    tree = ast.parse(PLATFORM.read_text(encoding="utf-8"))
    assert [node.lineno for node in _outside_platform_branches(tree.body)] == []


def test_the_checks_find_what_they_look_for() -> None:
    sample = ast.parse(
        "import os, resource\n"
        "if os.name == 'posix':\n"
        "    fd = os.open('x', os.O_RDONLY)\n"
        "    Path('x').chmod(0o700)\n"
        "from fcntl import flock\n"
        "import sys\n"
        "if sys.platform == 'win32':\n"
        "    import msvcrt\n"
        "else:\n"
        "    import pwd\n"
    )
    assert [node.lineno for node in _system_imports(sample)] == [1, 5, 8, 10]
    assert [node.lineno for node in _outside_platform_branches(sample.body)] == [1, 5]
    assert sorted(_os_uses(sample)) == ["2: os.name", "3: os.O_RDONLY", "3: os.open", "4: .chmod"]
    runs = ast.parse(
        "import subprocess\nos.system('chmod 600 x')\nfrom PySide6.QtCore import QProcess\n"
    )
    assert sorted(_program_runs(runs)) == ["1: subprocess", "2: os.system", "3: QProcess"]
