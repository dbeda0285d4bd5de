"""
Finds the function's handler, `module.function`, as Lambda's Python runtime does (`pkg.mod.fn`,
and `pkg/mod.fn` taken as `pkg.mod`), and only inside the function's own folder: a module found
elsewhere (the standard library, site-packages) or through a link out of the folder is refused
before anything of it runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Callable, List, Optional

from .errors import InitError, import_error_message


def load_handler(task_root: str, spec: str) -> Callable:
    module_name, function_name = _split(spec)
    _refuse_builtin(module_name)
    expected = _module_file(task_root, module_name)
    _check_top_level(task_root, module_name)
    module = _import(module_name)
    _check_origin(module, module_name, expected)
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
    if _parts(module_name)[0] in sys.builtin_module_names:
        raise InitError("Runtime.BuiltInModuleConflict", f"Cannot use built-in module {module_name} as a handler module")


def _parts(module_name: str) -> List[str]:
    return module_name.replace("/", ".").split(".")


def _module_file(task_root: str, module_name: str) -> str:
    """The file the module is in the function's folder; a module that is not there fails as Python would word it."""
    parts = _parts(module_name)
    if not all(part.isidentifier() for part in parts):
        raise InitError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': '{module_name}' is not a Python module path")
    for depth in range(1, len(parts) + 1):
        base = os.path.join(task_root, *parts[:depth])
        found = _package_or_module(base) if depth == len(parts) else (base if os.path.isdir(base) else None)
        if found is None:
            raise InitError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': No module named '{'.'.join(parts[:depth])}'")
    return _inside(task_root, module_name, found)


def _package_or_module(base: str) -> Optional[str]:
    for candidate in (base + ".py", os.path.join(base, "__init__.py")):
        if os.path.isfile(candidate):
            return candidate
    return None


def _inside(task_root: str, module_name: str, file: str) -> str:
    """The module's real file, which must lie in the function's folder (a symbolic link may not lead out)."""
    real, root = os.path.realpath(file), os.path.realpath(task_root)
    if os.path.commonpath([real, root]) != root:
        raise InitError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{module_name}': it leads out of the function's code folder {task_root} through a symbolic link (to {real})",
        )
    return real


def _check_top_level(task_root: str, module_name: str) -> None:
    """
    The module's top-level package must come from the function's folder: a folder there without
    __init__.py gives way to a regular package of that name elsewhere, which would run on import.
    Finding it runs nothing; below it, the function's own package decides.
    """
    top = _parts(module_name)[0]
    place, root = _found_at(top), os.path.realpath(task_root)
    if place is None or os.path.commonpath([os.path.realpath(place), root]) != root:
        raise InitError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{module_name}': Python would import '{top}' from {place or 'elsewhere'}, not from the function's folder; rename the function's '{top}' or give it an __init__.py",
        )


def _found_at(top: str) -> Optional[str]:
    """Where Python finds a top-level module: its file, or a namespace package's first folder."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.has_location:
        return spec.origin
    return next(iter(spec.submodule_search_locations or []), None)


def _import(module_name: str):
    try:
        return importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        raise InitError("Runtime.ImportModuleError", import_error_message(module_name, error)) from error
    except SyntaxError as error:
        trace = [f'  File "{error.filename}" Line {error.lineno}\n    {error.text}']
        raise InitError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}", trace) from error


def _check_origin(module, module_name: str, expected: str) -> None:
    """A module of the same name the runtime had imported already comes back from the cache, not from the function's folder."""
    loaded = getattr(module, "__file__", None)
    if loaded is None or os.path.realpath(loaded) != expected:
        raise InitError(
            "Runtime.ImportModuleError",
            f"Unable to import module '{module_name}': a module of that name was loaded from {loaded or 'the interpreter'} before the function's {expected}; rename the function's module",
        )
