import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { RuntimeFamily } from './runtimes.js';

/** The files a Node.js handler's module may be, in the order the runtime looks for them. */
export const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

/** The files a Python handler's module may be: a module, or a package's `__init__.py`. */
const PYTHON_MODULE_FILES = ['.py', `${path.sep}__init__.py`] as const;

/** One part of a Python module path: an identifier. */
const PYTHON_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export interface HandlerFile {
  /** The module file the handler names, when one exists. */
  file?: string | undefined;
  /** Why the handler may not be run: it reaches outside the code folder. */
  problem?: string | undefined;
}

/** The module part of a handler: `src/index.handler` → `src/index`. */
export function handlerModule(handler: string): string {
  const dot = handler.lastIndexOf('.');
  return dot <= 0 ? handler : handler.slice(0, dot);
}

/**
 * The file a handler names inside its code folder, or why it may not be run: an absolute path,
 * a `..` step, or a symbolic link whose target (real path) lies outside the folder.
 */
export function resolveHandlerFile(codeDir: string, handler: string, family: RuntimeFamily = 'nodejs'): HandlerFile {
  const modulePath = handlerModule(handler);
  const lexical = lexicalProblem(modulePath) ?? (family === 'python' ? pythonModuleProblem(modulePath) : undefined);
  if (lexical !== undefined) return { problem: `Handler ${JSON.stringify(handler)} ${lexical}` };
  const file = candidateFiles(codeDir, modulePath, family).find((candidate) => existsSync(candidate));
  if (file === undefined) return {};
  const real = realpathSync(file);
  if (isInside(realpathSync(codeDir), real)) return { file };
  return { problem: `Handler ${JSON.stringify(handler)} leads out of the function's code folder ${codeDir} through a symbolic link (to ${real})` };
}

/** The handler's problem as a full sentence that says what to do, or undefined when it stays in its folder. */
export function handlerProblem(codeDir: string, handler: string, family: RuntimeFamily = 'nodejs'): string | undefined {
  const { problem } = resolveHandlerFile(codeDir, handler, family);
  if (problem === undefined) return undefined;
  const example =
    family === 'python'
      ? 'a module inside the function\'s code folder, like "app.handler" or "pkg.mod.handler"'
      : 'a file inside the function\'s code folder, like "src/index.handler"';
  return `${problem}. A handler names ${example}.`;
}

/** The files a module path may name: `lib/index` → lib/index.js…; for Python `pkg/sub.mod` → pkg/sub/mod.py or pkg/sub/mod/__init__.py. */
function candidateFiles(codeDir: string, modulePath: string, family: RuntimeFamily): string[] {
  if (family === 'nodejs') return HANDLER_EXTENSIONS.map((ext) => path.resolve(codeDir, modulePath + ext));
  const relative = path.join(...modulePath.split(/[./]/));
  return PYTHON_MODULE_FILES.map((suffix) => path.resolve(codeDir, relative + suffix));
}

/** Python imports `pkg.mod` (or `pkg/mod`, as Lambda's runtime takes it): every part an identifier. */
function pythonModuleProblem(modulePath: string): string | undefined {
  return modulePath.split(/[./]/).every((part) => PYTHON_NAME.test(part)) ? undefined : 'is not a Python module path (names separated by dots)';
}

function lexicalProblem(modulePath: string): string | undefined {
  if (modulePath.includes('\0')) return 'contains a NUL character';
  if (path.isAbsolute(modulePath) || /^[a-zA-Z]:/.test(modulePath)) return 'is an absolute path';
  if (modulePath.split(/[\\/]/).includes('..')) return 'goes up out of its folder with ".."';
  return undefined;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}
