import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { pythonImportPaths } from './python-import-paths.js';
import type { RuntimeFamily } from './runtimes.js';

/** The files a Node.js handler's module may be, in the order the runtime looks for them. */
export const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

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
 * a `..` step, or a symbolic link whose target (real path) lies outside the folder, anywhere on
 * the way the runtime would load it (for Python: every package on the way, as Python finds it).
 */
export function resolveHandlerFile(codeDir: string, handler: string, family: RuntimeFamily = 'nodejs'): HandlerFile {
  const modulePath = handlerModule(handler);
  const lexical = lexicalProblem(modulePath);
  if (lexical !== undefined) return { problem: `Handler ${JSON.stringify(handler)} ${lexical}` };
  const { paths, file } = family === 'python' ? pythonImportPaths(codeDir, modulePath) : nodeModulePaths(codeDir, modulePath);
  if (paths.length === 0) return {};
  const root = realpathSync(codeDir);
  const outside = paths.map((candidate) => realpathSync(candidate)).find((real) => !isInside(root, real));
  if (outside === undefined) return { file };
  return { problem: `Handler ${JSON.stringify(handler)} leads out of the function's code folder ${codeDir} through a symbolic link (to ${outside})` };
}

/**
 * Why a handler may not be configured, as a full sentence that says what to do, or undefined: it
 * would run code from outside the function's folder. Any other string Lambda's API takes (see
 * handlerConstraintProblem) is taken, and fails INIT, as on Lambda, when the runtime cannot load it.
 */
export function handlerProblem(codeDir: string, handler: string, family: RuntimeFamily = 'nodejs'): string | undefined {
  const { problem } = resolveHandlerFile(codeDir, handler, family);
  if (problem === undefined) return undefined;
  const example =
    family === 'python'
      ? 'a module inside the function\'s code folder, like "app.handler" or "pkg.mod.handler"'
      : 'a file inside the function\'s code folder, like "src/index.handler"';
  return `${problem}. A handler names ${example}.`;
}

/** The file a Node.js module path names, `lib/index` → the first of lib/index.js, .mjs, .cjs that exists. */
function nodeModulePaths(codeDir: string, modulePath: string): { paths: string[]; file?: string | undefined } {
  const file = HANDLER_EXTENSIONS.map((ext) => path.resolve(codeDir, modulePath + ext)).find((candidate) => existsSync(candidate));
  return { paths: file === undefined ? [] : [file], file };
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
