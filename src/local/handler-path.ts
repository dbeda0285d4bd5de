import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

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
 * a `..` step, or a symbolic link whose target (real path) lies outside the folder.
 */
export function resolveHandlerFile(codeDir: string, handler: string): HandlerFile {
  const lexical = lexicalProblem(handlerModule(handler));
  if (lexical !== undefined) return { problem: `Handler ${JSON.stringify(handler)} ${lexical}` };
  const file = HANDLER_EXTENSIONS.map((ext) => path.resolve(codeDir, handlerModule(handler) + ext)).find((candidate) => existsSync(candidate));
  if (file === undefined) return {};
  const real = realpathSync(file);
  if (isInside(realpathSync(codeDir), real)) return { file };
  return { problem: `Handler ${JSON.stringify(handler)} leads out of the function's code folder ${codeDir} through a symbolic link (to ${real})` };
}

/** The handler's problem as a full sentence that says what to do, or undefined when it stays in its folder. */
export function handlerProblem(codeDir: string, handler: string): string | undefined {
  const { problem } = resolveHandlerFile(codeDir, handler);
  return problem === undefined ? undefined : `${problem}. A handler names a file inside the function's code folder, like "src/index.handler".`;
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
