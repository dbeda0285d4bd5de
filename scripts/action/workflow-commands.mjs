// How an action talks to the runner: step outputs in the GITHUB_OUTPUT file and annotations as
// workflow commands on stdout, each escaped as GitHub's runner reads them. Pure.
import { randomUUID } from 'node:crypto';

/**
 * One output in the GITHUB_OUTPUT file, in the delimiter form that holds any value, newlines
 * included: `name<<DELIMITER`, the value, the delimiter. The delimiter is random and checked
 * against the value, so no value can end the entry early and set another output.
 */
export function outputEntry(name, value, delimiter = `ghadelimiter_${randomUUID()}`) {
  const text = String(value);
  if (name.includes(delimiter) || text.includes(delimiter)) throw new Error(`The output ${name} contains its delimiter.`);
  return `${name}<<${delimiter}\n${text}\n${delimiter}\n`;
}

/**
 * A command's message: the runner reads %, CR and LF escaped. Other control characters and bidi
 * controls (a function's name or an error type may hold them) are shown as \u escapes, so no
 * annotation colours the log or reorders its text.
 */
export function escapeData(text) {
  return visible(String(text)).replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

// C0 and C1 controls but tab, CR and LF (escaped by the runner's own rules), and the bidi controls.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(text) {
  return text.replace(INVISIBLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A command's property value: as its message, and `:` and `,` too, which end a property. */
export function escapeProperty(text) {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/** `::error file=…,title=…::message` (or warning, notice); properties left undefined are left out. */
export function annotation(level, message, properties = {}) {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  return `::${level}${props === '' ? '' : ` ${props}`}::${escapeData(message)}\n`;
}

/**
 * Brackets output that must not be read as workflow commands (what the CLI prints can carry text
 * from the measured function): nothing between the two lines is a command.
 */
export function stopCommands(token = randomUUID()) {
  return { stop: `::stop-commands::${token}\n`, resume: `::${token}::\n` };
}
