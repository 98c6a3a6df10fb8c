"""The engine is plain Python: it must run without Django and without the rest of the project."""
import ast
import shutil
import subprocess
import sys
from pathlib import Path

INSTRUMENTS = Path(__file__).resolve().parent.parent
ENGINE = INSTRUMENTS / "engine"

STANDALONE = """
import sys
sys.path.insert(0, {directory!r})
import engine
result = engine.builtin_library().get("phqa").score([0, 0, 0, 0, 0, 0, 0, 0, 1])
assert result["flags"][0]["id"] == "critical_self_harm_thoughts"
leaked = sorted(name for name in sys.modules if name.split(".")[0] in ("django", "xinshao"))
print(",".join(leaked))
"""


def test_the_engine_runs_without_django_or_the_project(tmp_path):
    # a copy of engine/ and definitions/ alone: nothing else of the project can be imported from there
    shutil.copytree(ENGINE, tmp_path / "engine", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(INSTRUMENTS / "definitions", tmp_path / "definitions")
    code = STANDALONE.format(directory=str(tmp_path))
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert completed.stdout.strip() == ""


def test_the_engine_imports_only_the_standard_library_and_itself():
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in sys.stdlib_module_names, f"{path.name} imports {name}"
