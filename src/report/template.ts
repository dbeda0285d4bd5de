import { readFileSync } from 'node:fs';
import path from 'node:path';
import { userError } from '../errors.js';
import { packageRoot } from '../package-root.js';

/** The bundled report templates; a user's copy given with --template takes their place. */
export function bundledTemplate(name: 'report.md' | 'report.html'): string {
  return readFileSync(path.join(packageRoot(), 'templates', name), 'utf8');
}

/** Reads the --template files: each by its extension, .md for report.md and .html for report.html. */
export function userTemplates(files: readonly string[]): { md?: string; html?: string } {
  const templates: { md?: string; html?: string } = {};
  for (const file of files) {
    const kind = path.extname(file).slice(1).toLowerCase();
    if (kind !== 'md' && kind !== 'html') {
      throw userError('BAD_TEMPLATE', { file, reason: 'give a .md or .html file' });
    }
    try {
      templates[kind] = readFileSync(file, 'utf8');
    } catch {
      throw userError('BAD_TEMPLATE', { file, reason: 'the file cannot be read' });
    }
  }
  return templates;
}

/**
 * Fills `{{name}}` markers in one pass, so text put in for one marker is never read as another.
 * Unknown markers stay as they are, where a reader of the report will see them.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (marker, name: string) => values[name] ?? marker);
}
