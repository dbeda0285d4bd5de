import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What Python would read a module path from, and the module's own file when it has one. */
export interface PythonImportPaths {
  /** Every package folder, `__init__` and module file on the way, in the order Python takes them. */
  paths: string[];
  /** The last part's file (a module, or a package's `__init__`); undefined for a namespace package or when Python finds nothing. */
  file?: string | undefined;
}

/**
 * What Python's path finder (FileFinder) takes for each part of a module path (`pkg.sub.mod`, or
 * `pkg/sub/mod` as Lambda's runtime takes it), from the code folder down and in its order: a folder
 * with an `__init__` (a package), then a module file (an extension module before source before
 * bytecode), then a folder without `__init__` (a namespace package). It stops where Python would
 * fail to import, which the runtime reports when it starts.
 */
export function pythonImportPaths(codeDir: string, modulePath: string): PythonImportPaths {
  const paths: string[] = [];
  const parts = modulePath.split(/[./]/);
  let dir = codeDir;
  for (const [index, part] of parts.entries()) {
    const found = part === '' ? undefined : findInFolder(dir, part);
    if (found === undefined) return { paths };
    paths.push(...found.paths);
    const last = index === parts.length - 1;
    if (last) return { paths, file: found.file };
    // A module that is not a package has no submodules: Python fails on the next part.
    if (found.dir === undefined) return { paths };
    dir = found.dir;
  }
  return { paths };
}

/** One part in one folder, as FileFinder finds it; `dir` is where its submodules are, when it may have any. */
function findInFolder(dir: string, name: string): { paths: string[]; file?: string; dir?: string } | undefined {
  const base = path.join(dir, name);
  const isPackageFolder = isDirectory(base);
  const init = isPackageFolder ? moduleFile(base, '__init__') : undefined;
  if (init !== undefined) return { paths: [base, init], file: init, dir: base };
  const module = moduleFile(dir, name);
  if (module !== undefined) return { paths: [module], file: module };
  return isPackageFolder ? { paths: [base], dir: base } : undefined;
}

/** The file Python loads for a module in a folder: an extension module (`name.cpython-312-….so`, `name.abi3.so`, `name.so`), then `name.py`, then `name.pyc`. */
function moduleFile(dir: string, name: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return undefined;
  }
  const extensions = entries.filter((entry) => isExtensionModule(entry, name)).sort((a, b) => extensionRank(a) - extensionRank(b));
  const present = new Set(entries);
  return [...extensions, `${name}.py`, `${name}.pyc`]
    .filter((entry) => present.has(entry))
    .map((entry) => path.join(dir, entry))
    .find(isFile);
}

/** `name.so` or `name.<tag>.so` (`.pyd` on Windows). */
function isExtensionModule(entry: string, name: string): boolean {
  return entry.startsWith(`${name}.`) && /^(\.[^.]+)?\.(so|pyd)$/.test(entry.slice(name.length));
}

/** The interpreter's own tag (`.cpython-312-….so`) comes before the stable ABI's (`.abi3.so`), before a bare `.so`. */
function extensionRank(entry: string): number {
  if (entry.split('.').length === 2) return 2;
  return entry.includes('.abi3.') ? 1 : 0;
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
