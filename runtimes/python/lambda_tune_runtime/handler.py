"""
Finds the function's handler, `module.function`, as Lambda's Python runtime does (`pkg.mod.fn`,
and `pkg/mod.fn` taken as `pkg.mod`), and only inside the function's own folder. Python decides
where each module of the handler's dotted name comes from, so Python's own finder is asked: while
the module is imported, a finder placed first on sys.meta_path finds `pkg`, then `pkg.mod`, as the
path finder does, and refuses, before anything of it runs, a module that Python would load from
elsewhere (the standard library, site-packages, the interpreter's frozen modules) or through a
symbolic link out of the folder.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import sys
from typing import Callable, List

from .errors import InitError, import_error_message


def load_handler(task_root: str, spec: str) -> Callable:
    module_name, function_name = _split(spec)
    _refuse_builtin(module_name)
    module = _import(task_root, module_name)
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise InitError("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'") from None


def _split(spec: str):
    module_name, dot, function_name = spec.rpartition(".")
    if not dot or not module_name or not function_name:
        raise InitError("Runtime.MalformedHandlerName", f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)")
    return module_name, function_name


def _refuse_builtin(module_name: str) -> None:
    if module_name.replace("/", ".").split(".")[0] in sys.builtin_module_names:
        raise InitError("Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module")


def _import(task_root: str, module_name: str):
    guard = FolderGuard(task_root, module_name.replace("/", "."))
    try:
        with guard:
            return importlib.import_module(guard.dotted)
    except ImportError as error:
        raise InitError("Runtime.ImportModuleError", import_error_message(module_name, error)) from error
    except SyntaxError as error:
        trace = [f'  File "{error.filename}" Line {error.lineno}\n    {error.text}']
        raise InitError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}", trace) from error


class FolderGuard:
    """
    While it is entered, the handler's module and each package above it can only come from the
    function's folder: one imported already (by the runtime) is refused on entry, the others are
    found by the path finder and refused, when they would come from elsewhere, before they run.
    """

    def __init__(self, task_root: str, dotted: str):
        self.dotted = dotted
        self._task_root = task_root
        self._root = os.path.realpath(task_root)
        parts = dotted.split(".")
        self._names = {".".join(parts[: depth + 1]) for depth in range(len(parts))}

    def __enter__(self) -> "FolderGuard":
        for name in sorted(self._names, key=len):
            if name in sys.modules:
                self._check_imported(name, sys.modules[name])
        sys.meta_path.insert(0, self)
        return self

    def __exit__(self, *exc) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)

    def find_spec(self, fullname: str, path=None, target=None):
        if fullname not in self._names:
            return None
        machinery = importlib.machinery
        if machinery.BuiltinImporter.find_spec(fullname) is not None or machinery.FrozenImporter.find_spec(fullname) is not None:
            raise ImportError(self._elsewhere(fullname, "the interpreter's own modules"), name=fullname)
        spec = machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            # Not in the folder: no finder after this one may bring it from elsewhere.
            raise ModuleNotFoundError(f"No module named '{fullname}'", name=fullname)
        for place in _spec_places(spec):
            self._check_place(fullname, place, namespace=spec.origin is None)
        return spec

    def _check_imported(self, name: str, module) -> None:
        places = _module_places(module)
        if not places:
            raise ImportError(self._elsewhere(name, "the interpreter (imported already)"), name=name)
        for place in places:
            self._check_place(name, place, namespace=False, note=" (imported already)")

    def _check_place(self, name: str, place: str, namespace: bool, note: str = "") -> None:
        real = os.path.realpath(place)
        if _inside(real, self._root):
            return
        if _inside(os.path.abspath(place), self._root):
            message = f"Python would import '{name}' from {place}, a symbolic link out of the function's folder {self._task_root} (to {real})"
        else:
            message = self._elsewhere(name, place + note, namespace)
        raise ImportError(message, name=name)

    def _elsewhere(self, name: str, where: str, namespace: bool = False) -> str:
        message = f"Python would import '{name}' from {where}, not from the function's folder {self._task_root}"
        top = name.split(".")[0]
        if not _has_entry(self._task_root, top):
            return message
        fix = f"give the function's folder '{top}' an __init__.py, or rename it" if namespace else f"rename the function's '{top}'"
        return f"{message}; {fix}"


def _spec_places(spec) -> List[str]:
    """The files and folders a found module comes from: its file, its cached bytecode, a package's folders."""
    places = [spec.origin] if spec.has_location and spec.origin else []
    if spec.has_location and spec.cached and os.path.exists(spec.cached):
        places.append(spec.cached)
    return places + list(spec.submodule_search_locations or [])


def _module_places(module) -> List[str]:
    """Where a module imported already came from: its file and a package's folders (none: built in or frozen)."""
    file = getattr(module, "__file__", None)
    return ([file] if file else []) + list(getattr(module, "__path__", None) or [])


def _has_entry(folder: str, top: str) -> bool:
    """Whether the folder has a module or package of that name, which the one found elsewhere shadows."""
    try:
        return any(entry == top or entry.startswith(top + ".") for entry in os.listdir(folder))
    except OSError:
        return False


def _inside(real: str, root: str) -> bool:
    try:
        return os.path.commonpath([real, root]) == root
    except ValueError:
        return False
